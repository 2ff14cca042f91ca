/*
 * test_ecert.c - the e-certificate check of a material (src/core/ecert.c)
 * and the catalogue's ecert field (src/core/catalogue.c): a found or
 * pending check leaves the material 免提交, a failed one makes it defective
 * with the failure as its reason, so that accept is refused and the
 * one-time notice lists it; the checklist line says what was found.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/checklist.h"
#include "core/ecert.h"
#include "core/i18n.h"
#include "tbcheck.h"

static const char catalogue_json[] =
    "{\"version\":\"t\",\"items\":[{\"code\":\"T1\",\"impl_code\":\"T1\",\"name\":\"测试\","
    "\"type\":\"公共服务\",\"dept\":\"局\",\"legal_basis\":\"法\",\"conditions\":\"条件\","
    "\"legal_days\":1,\"promised_days\":1,\"visits\":1,\"fee\":\"不收费\",\"commitment\":false,"
    "\"result\":\"结果\",\"delivery\":\"窗口领取\",\"materials\":["
    "{\"id\":\"m1\",\"name\":\"申请表\",\"form\":\"原件\",\"copies\":1,\"need\":\"必要\"},"
    "{\"id\":\"m2\",\"name\":\"申请人居民身份证\",\"form\":\"电子\",\"copies\":0,"
    "\"need\":\"必要\",\"exempt\":true,\"ecert\":\"居民身份证\"}]}]}";

static struct catalogue *load(const char *json, struct err *e)
{
	return catalogue_parse(json, strlen(json), "t.json", e);
}

static void setup(void)
{
	i18n_set_chinese(true);
}

static struct ecert_check check_of(enum ecert_state s)
{
	struct ecert_check c;

	memset(&c, 0, sizeof c);
	strcpy(c.type, "居民身份证");
	strcpy(c.holder_id, "430102198503151236");
	c.state = s;
	strcpy(c.number, "430102198503151236");
	strcpy(c.issuer, "长沙市公安局芙蓉分局");
	strcpy(c.valid_until, "2036-05-20");
	return c;
}

START_TEST(the_catalogue_keeps_a_materials_ecert_type_and_refuses_one_not_exempt)
{
	struct err e = {0};
	struct catalogue *c = load(catalogue_json, &e);
	char *bad;
	const char *at;

	ck_assert_msg(c != NULL, "%s", e.msg);
	ck_assert_str_eq(c->items[0].materials[0].ecert, "");
	ck_assert_str_eq(c->items[0].materials[1].ecert, "居民身份证");
	catalogue_free(c);

	/* the same material without "exempt": an e-certificate is never demanded */
	bad = xstrdup(catalogue_json);
	at = strstr(bad, ",\"exempt\":true");
	memmove(bad + (at - bad), at + 14, strlen(at + 14) + 1);
	ck_assert_ptr_null(load(bad, &e));
	ck_assert_msg(strstr(e.msg, "material m2: field ecert: names an e-certificate but the "
	                            "material is not exempt") != NULL,
	              "%s", e.msg);
	free(bad);
}
END_TEST

START_TEST(a_failed_check_makes_the_material_defective_and_a_found_one_exempt_again)
{
	struct err e = {0};
	struct catalogue *c = load(catalogue_json, &e);
	struct checklist cl;
	struct ecert_check k = check_of(ECERT_PENDING);
	char why[256];

	ck_assert_msg(c != NULL, "%s", e.msg);
	checklist_init(&cl, &c->items[0]);
	ck_assert_int_eq(checklist_set(&cl, 0, MS_ORIGINAL, NULL, why, sizeof why), 0);
	/* pending: in hand, nothing changes, the case may be accepted */
	ck_assert(!ecert_apply(&cl, 1, &k));
	ck_assert_int_eq(cl.m[1].status, MS_EXEMPT);
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), 0);
	/* expired: defective with why, accept refused, the notice may list it */
	k = check_of(ECERT_EXPIRED);
	ck_assert(ecert_apply(&cl, 1, &k));
	ck_assert_int_eq(cl.m[1].status, MS_DEFECTIVE);
	ck_assert_str_eq(cl.m[1].reason, "电子证照核验未通过：电子证照已过期");
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), -1);
	ck_assert_int_eq(checklist_can_notice(&cl, why, sizeof why), 0);
	ck_assert(!ecert_apply(&cl, 1, &k)); /* the same answer again changes nothing */
	k = check_of(ECERT_HOLDER_MISMATCH);
	ck_assert(ecert_apply(&cl, 1, &k));
	ck_assert_str_eq(cl.m[1].reason, "电子证照核验未通过：持证人与申请人不符");
	/* a register without such certificates refutes nothing: 免提交 */
	k = check_of(ECERT_NOT_KEPT);
	ck_assert(ecert_apply(&cl, 1, &k));
	ck_assert_int_eq(cl.m[1].status, MS_EXEMPT);
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), 0);
	k = check_of(ECERT_EXPIRED);
	ck_assert(ecert_apply(&cl, 1, &k));
	/* a renewed certificate found later: in hand again */
	k = check_of(ECERT_FOUND);
	ck_assert(ecert_apply(&cl, 1, &k));
	ck_assert_int_eq(cl.m[1].status, MS_EXEMPT);
	ck_assert_str_eq(cl.m[1].reason, "");
	ck_assert_int_eq(checklist_can_accept(&cl, why, sizeof why), 0);
	checklist_free(&cl);
	catalogue_free(c);
}
END_TEST

START_TEST(the_checklist_line_says_what_was_found_in_both_languages)
{
	struct ecert_check k = check_of(ECERT_FOUND);
	char out[512];

	ck_assert_str_eq(ecert_describe(&k, out, sizeof out),
	                 "电子证照 已核验：居民身份证 430102198503151236 长沙市公安局芙蓉分局 "
	                 "有效期至 2036-05-20");
	k.valid_until[0] = '\0';
	ck_assert_msg(strstr(ecert_describe(&k, out, sizeof out), "有效期至 长期") != NULL, "%s",
	              out);
	k = check_of(ECERT_PENDING);
	ck_assert_str_eq(ecert_describe(&k, out, sizeof out), "电子证照 待核验（联网后自动核验）");
	k = check_of(ECERT_NOT_FOUND);
	ck_assert_str_eq(ecert_describe(&k, out, sizeof out), "电子证照核验未通过：未查到电子证照");
	i18n_set_chinese(false);
	k = check_of(ECERT_EXPIRED);
	ck_assert_str_eq(ecert_describe(&k, out, sizeof out),
	                 "e-cert check failed: the e-certificate has expired (Resident ID card "
	                 "430102198503151236 valid until 2036-05-20)");
	i18n_set_chinese(true);
}
END_TEST

START_TEST(names_and_holder_keys)
{
	enum ecert_state s;
	char key[40];
	int i;

	for (i = 0; i < ECERT_N_STATES; i++) {
		ck_assert_int_eq(ecert_state_from_name(ecert_state_name((enum ecert_state)i), &s),
		                 0);
		ck_assert_int_eq(s, i);
	}
	ck_assert_int_eq(ecert_state_from_name("lost", &s), -1);
	ck_assert(!ecert_state_failed(ECERT_PENDING) && !ecert_state_failed(ECERT_FOUND));
	ck_assert(ecert_state_failed(ECERT_NOT_FOUND) && ecert_state_failed(ECERT_EXPIRED));
	ck_assert(!ecert_state_failed(ECERT_NOT_KEPT));
	ck_assert_int_eq(ecert_holder_key("43010219900101456x", key, sizeof key), 0);
	ck_assert_str_eq(key, "43010219900101456X");
	ck_assert_int_eq(ecert_holder_key("91350100m000100y43", key, sizeof key), 0);
	ck_assert_str_eq(key, "91350100M000100Y43");
	ck_assert_int_eq(ecert_holder_key("4301021990010145", key, sizeof key), -1);
	ck_assert_int_eq(ecert_holder_key("", key, sizeof key), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ecert");
	TCase *tc = tcase_create("ecert");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, the_catalogue_keeps_a_materials_ecert_type_and_refuses_one_not_exempt);
	tcase_add_test(tc,
	               a_failed_check_makes_the_material_defective_and_a_found_one_exempt_again);
	tcase_add_test(tc, the_checklist_line_says_what_was_found_in_both_languages);
	tcase_add_test(tc, names_and_holder_keys);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
