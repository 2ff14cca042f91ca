/* tests/unit/test_form.c - forms/NAME.json load, bad forms are named, values are checked. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "core/i18n.h"
#include "core/paths.h"

static char *src_path(const char *sub)
{
	const char *top = getenv("TONGBAN_SRCDIR");

	return paths_join(top && *top ? top : ".", sub);
}

START_TEST(bundled_intake_form_loads)
{
	char *p = src_path("forms/intake.json");
	struct err e = {0};
	struct form *f = form_load(p, &e);

	ck_assert_msg(f != NULL, "%s", e.msg);
	ck_assert_ptr_nonnull(form_field_find(f, "name"));
	ck_assert_int_eq(form_field_find(f, "id_number")->type, FT_IDCARD);
	ck_assert_int_eq(form_field_find(f, "phone")->type, FT_PHONE);
	ck_assert(form_field_find(f, "name")->required);
	form_free(f);
	free(p);
}
END_TEST

/* Parse text that must fail; the error must name the file and contain want. */
static void expect_error(const char *json, const char *want)
{
	struct err e = {0};
	struct form *f = form_parse(json, strlen(json), "forms/bad.json", &e);

	ck_assert_msg(f == NULL, "accepted: %s", json);
	ck_assert_msg(strstr(e.msg, "forms/bad.json") != NULL, "no file in: %s", e.msg);
	ck_assert_msg(strstr(e.msg, want) != NULL, "'%s' not in: %s", want, e.msg);
}

START_TEST(bad_forms_are_reported_with_file_and_field)
{
	expect_error("{", "not valid JSON");
	expect_error("[]", "must be an object");
	expect_error("{\"id\":\"x\"}", "sections");
	expect_error("{\"id\":\"x\",\"sections\":[{\"fields\":[{\"id\":\"a\"}]}]}",
	             "field a: label: missing");
	expect_error("{\"id\":\"x\",\"sections\":[{\"fields\":[{\"id\":\"a\",\"label\":\"A\","
	             "\"type\":\"colour\"}]}]}",
	             "field a: type");
	expect_error("{\"id\":\"x\",\"sections\":[{\"fields\":[{\"id\":\"a\",\"label\":\"A\","
	             "\"width\":\"wide\"}]}]}",
	             "field a: width");
	expect_error("{\"id\":\"x\",\"sections\":[{\"fields\":[{\"id\":\"a\",\"label\":\"A\","
	             "\"type\":\"choice\"}]}]}",
	             "field a: choices");
	expect_error("{\"id\":\"x\",\"sections\":[{\"fields\":[{\"id\":\"a\",\"label\":\"A\","
	             "\"pattern\":\"([\"}]}]}",
	             "field a: pattern");
	expect_error("{\"id\":\"x\",\"sections\":[{\"fields\":[{\"id\":\"a\",\"label\":\"A\"},"
	             "{\"id\":\"a\",\"label\":\"B\"}]}]}",
	             "used by two fields");
	expect_error(
	    "{\"id\":\"x\",\"sections\":[{\"fields\":[{\"id\":\"a\",\"label\":\"\xff\"}]}]}",
	    "UTF-8");
}
END_TEST

static const char *check_one(const char *type_json, const char *value)
{
	static char msg[512];
	char json[512];
	struct err e = {0};
	struct form *f;
	int rc;

	snprintf(json, sizeof json,
	         "{\"id\":\"t\",\"sections\":[{\"fields\":[{\"id\":\"v\",\"label\":\"值\","
	         "\"required\":true,%s}]}]}",
	         type_json);
	f = form_parse(json, strlen(json), "t.json", &e);
	ck_assert_msg(f != NULL, "%s", e.msg);
	rc = form_field_check(&f->fields[0], value, msg, sizeof msg);
	form_free(f);
	return rc == 0 ? NULL : msg;
}

START_TEST(values_are_checked_by_type)
{
	i18n_set_chinese(true);
	ck_assert_ptr_null(check_one("\"type\":\"text\"", "张三丰"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"text\"", ""));
	ck_assert_ptr_null(check_one("\"type\":\"idcard\"", "11010519491231002X"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"idcard\"", "110105194912310021"));
	ck_assert_ptr_null(check_one("\"type\":\"phone\"", "13800138000"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"phone\"", "12345"));
	ck_assert_ptr_null(check_one("\"type\":\"money\"", "120.50"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"money\"", "12.345"));
	ck_assert_ptr_null(check_one("\"type\":\"date\"", "2026-02-28"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"date\"", "2026-02-30"));
	ck_assert_ptr_null(check_one("\"type\":\"number\"", "42"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"number\"", "4x"));
	ck_assert_ptr_null(check_one("\"type\":\"choice\",\"choices\":[\"甲\",\"乙\"]", "乙"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"choice\",\"choices\":[\"甲\",\"乙\"]", "丙"));
	ck_assert_ptr_nonnull(check_one("\"maxlen\":2", "张三丰"));
	ck_assert_ptr_nonnull(check_one("\"pattern\":\"^[0-9]+$\"", "abc"));
	/* the whole value must match, not a part of it */
	ck_assert_ptr_null(check_one("\"pattern\":\"[0-9]{6}\"", "123456"));
	ck_assert_ptr_nonnull(check_one("\"pattern\":\"[0-9]{6}\"", "abc123456xyz"));
	/* a pasted zero-width space or a control character is refused */
	ck_assert_ptr_nonnull(check_one("\"type\":\"text\"", "张\u200b三"));
	ck_assert_ptr_nonnull(check_one("\"type\":\"text\"", "张\t三"));
}
END_TEST

START_TEST(a_field_can_be_required_once_another_is_filled)
{
	const char *json = "{\"id\":\"t\",\"sections\":[{\"fields\":["
	                   "{\"id\":\"agent_name\",\"label\":\"代理人姓名\"},"
	                   "{\"id\":\"agent_id\",\"label\":\"代理人身份证号\",\"type\":\"idcard\","
	                   "\"required_if\":\"agent_name\"}]}]}";
	struct err e = {0};
	struct form *f = form_parse(json, strlen(json), "t.json", &e);
	char *none[2] = {"", ""}, *named[2] = {"李四", ""},
	     *both[2] = {"李四", "11010519491231002X"};
	char msg[512];

	ck_assert_msg(f != NULL, "%s", e.msg);
	ck_assert_int_eq(form_check_in(f, 1, none, msg, sizeof msg), 0);
	ck_assert_int_eq(form_check_in(f, 1, named, msg, sizeof msg), -1);
	ck_assert_msg(strstr(msg, "必填") != NULL, "%s", msg);
	ck_assert_int_eq(form_check_in(f, 1, both, msg, sizeof msg), 0);
	form_free(f);
}
END_TEST

START_TEST(messages_name_the_field_in_the_clerks_language)
{
	const char *m;

	i18n_set_chinese(true);
	m = check_one("\"type\":\"text\"", "");
	ck_assert_msg(strstr(m, "值") && strstr(m, "必填"), "%s", m);
	i18n_set_chinese(false);
	m = check_one("\"type\":\"text\"", "");
	ck_assert_msg(strstr(m, "required"), "%s", m);
	i18n_set_chinese(true);
}
END_TEST

START_TEST(values_become_a_json_object)
{
	char *p = src_path("forms/intake.json");
	struct err e = {0};
	struct form *f = form_load(p, &e);
	char *vals[9] = {"张三丰",
	                 "居民身份证",
	                 "11010519491231002X",
	                 "13800138000",
	                 "北京市\"东城区\"",
	                 "",
	                 "",
	                 "",
	                 ""};
	char *json;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->n_fields, 9);
	json = form_values_json(f, vals);
	ck_assert_msg(strstr(json, "\"name\":\"张三丰\"") != NULL, "%s", json);
	ck_assert_msg(strstr(json, "\\\"东城区\\\"") != NULL, "%s", json);
	ck_assert_str_eq(form_value(f, vals, "phone"), "13800138000");
	ck_assert_str_eq(form_value(f, vals, "nope"), "");
	free(json);
	form_free(f);
	free(p);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("form");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, bundled_intake_form_loads);
	tcase_add_test(tc, bad_forms_are_reported_with_file_and_field);
	tcase_add_test(tc, values_are_checked_by_type);
	tcase_add_test(tc, messages_name_the_field_in_the_clerks_language);
	tcase_add_test(tc, a_field_can_be_required_once_another_is_filled);
	tcase_add_test(tc, values_become_a_json_object);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
