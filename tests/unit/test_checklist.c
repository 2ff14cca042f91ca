/* tests/unit/test_checklist.c - which counter decision a material checklist allows. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/checklist.h"
#include "core/i18n.h"
#include "tbcheck.h"

/* An item: m1 required, m2 shared data, m3 required and may be committed,
 * m4 optional, m5 deferrable (容缺后补). */
static struct material mats[] = {
    {"m1", "申请书", "原件", 1, NEED_REQUIRED, false, false, "", ""},
    {"m2", "营业执照", "电子", 0, NEED_REQUIRED, true, false, "", ""},
    {"m3", "消防安全承诺书", "原件", 1, NEED_REQUIRED, false, true, "", ""},
    {"m4", "授权委托书", "原件", 1, NEED_OPTIONAL, false, false, "", ""},
    {"m5", "竣工图", "复印件", 1, NEED_DEFERRABLE, false, false, "", ""},
};
static struct item item = {
    .code = "T1", .name = "测试事项", .commitment = true, .materials = mats, .n_materials = 5};
static struct checklist cl;
static char why[256];

static void setup(void)
{
	i18n_set_chinese(true);
	checklist_init(&cl, &item);
}

static void teardown(void)
{
	checklist_free(&cl);
}

static void set(enum mat_status a, enum mat_status c, enum mat_status d, enum mat_status e)
{
	cl.m[0].status = a;
	cl.m[2].status = c;
	cl.m[3].status = d;
	cl.m[4].status = e;
}

START_TEST(shared_data_starts_exempt_and_counts_as_in)
{
	ck_assert_int_eq(cl.m[1].status, MS_EXEMPT);
	ck_assert(mat_status_is_in(MS_EXEMPT));
	ck_assert_int_eq(cl.m[0].status, MS_UNCHECKED);
}
END_TEST

START_TEST(accept_needs_every_required_material_in)
{
	set(MS_ORIGINAL, MS_COPY, MS_UNCHECKED, MS_ELECTRONIC);
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), 0); /* optional unchecked */
	set(MS_UNCHECKED, MS_COPY, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "未核对") && strstr(why, "申请书"), "%s", why);
	set(MS_ORIGINAL, MS_MISSING, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "消防安全承诺书") != NULL, "%s", why);
	set(MS_ORIGINAL, MS_DEFECTIVE, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "有误") != NULL, "%s", why);
}
END_TEST

START_TEST(a_notice_needs_everything_checked_and_something_missing)
{
	set(MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_can_notice(&cl, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "无需") != NULL, "%s", why);
	set(MS_UNCHECKED, MS_MISSING, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_can_notice(&cl, why, sizeof why), -1); /* list ALL at once */
	set(MS_ORIGINAL, MS_DEFECTIVE, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_can_notice(&cl, why, sizeof why), -1); /* no reason given */
	strcpy(cl.m[2].reason, "未签字");
	ck_assert_int_eq(checklist_can_notice(&cl, why, sizeof why), 0);
}
END_TEST

START_TEST(commitment_only_for_materials_that_allow_it)
{
	set(MS_ORIGINAL, MS_COMMITTED, MS_ORIGINAL, MS_COMMITTED);
	ck_assert_int_eq(checklist_can_commit(&cl, why, sizeof why), 0);
	set(MS_COMMITTED, MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL); /* m1 may not be committed */
	ck_assert_int_eq(checklist_can_commit(&cl, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "不能以承诺代替") != NULL, "%s", why);
	set(MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL); /* nothing committed */
	ck_assert_int_eq(checklist_can_commit(&cl, why, sizeof why), -1);
	item.commitment = false;
	set(MS_ORIGINAL, MS_COMMITTED, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_can_commit(&cl, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "不适用告知承诺") != NULL, "%s", why);
	item.commitment = true;
}
END_TEST

START_TEST(a_second_notice_cannot_ask_for_what_was_in_order)
{
	struct checklist first;

	checklist_init(&first, &item);
	first.m[0].status = MS_ORIGINAL;
	first.m[2].status = MS_MISSING;
	set(MS_ORIGINAL, MS_MISSING, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_notice_again_ok(&first, &cl, why, sizeof why), 0);
	set(MS_MISSING, MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_notice_again_ok(&first, &cl, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "申请书") != NULL, "%s", why);
	checklist_free(&first);
}
END_TEST

START_TEST(an_agent_needs_the_authorisation_letter)
{
	set(MS_ORIGINAL, MS_ORIGINAL, MS_UNCHECKED, MS_ORIGINAL); /* m4 is 授权委托书 */
	ck_assert_int_eq(checklist_check_agent(&cl, false, why, sizeof why), 0);
	ck_assert_int_eq(checklist_check_agent(&cl, true, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "授权委托书") != NULL, "%s", why);
	set(MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL, MS_ORIGINAL);
	ck_assert_int_eq(checklist_check_agent(&cl, true, why, sizeof why), 0);
}
END_TEST

START_TEST(json_round_trip_keeps_statuses_and_reasons)
{
	struct checklist back;
	char *json;

	set(MS_COPY, MS_DEFECTIVE, MS_MISSING, MS_COMMITTED);
	strcpy(cl.m[2].reason, "复印件不清晰");
	json = checklist_to_json(&cl);
	checklist_init(&back, &item);
	ck_assert_int_eq(checklist_from_json(&back, json), 0);
	ck_assert_int_eq(back.m[0].status, MS_COPY);
	ck_assert_int_eq(back.m[2].status, MS_DEFECTIVE);
	ck_assert_str_eq(back.m[2].reason, "复印件不清晰");
	ck_assert_int_eq(back.m[4].status, MS_COMMITTED);
	ck_assert_int_eq(checklist_from_json(&back, "{not json"), -1);
	free(json);
	checklist_free(&back);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("checklist");
	TCase *tc = tcase_create("decisions");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, shared_data_starts_exempt_and_counts_as_in);
	tcase_add_test(tc, accept_needs_every_required_material_in);
	tcase_add_test(tc, a_notice_needs_everything_checked_and_something_missing);
	tcase_add_test(tc, commitment_only_for_materials_that_allow_it);
	tcase_add_test(tc, a_second_notice_cannot_ask_for_what_was_in_order);
	tcase_add_test(tc, json_round_trip_keeps_statuses_and_reasons);
	tcase_add_test(tc, an_agent_needs_the_authorisation_letter);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
