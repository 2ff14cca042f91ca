/*
 * tests/e2e/test_ecert.c - e-certificates at the counter (电子证照, 免提交),
 * typed through the real tongban in a pseudo-terminal against a real
 * tongband holding examples/certificates.tsv: a certificate found online
 * shows on its checklist line and is never asked for, the lookup on
 * tongband's audit chain; offline the material is 待核验, the case is
 * accepted, and the sync agent checks it by itself when tongband is back:
 * the record shows what was found, and a failed check is a material the
 * applicant must be told of in a one-time notice.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "store/store.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"
#include "term.h"

/* 城乡居民基本养老保险参保登记: m2 居民身份证 and m3 居民户口簿 are e-certificates */
#define PENSION_ITEM "002009102000"
/* from examples/certificates.tsv */
#define ZHANG "430102198503151236" /* ID card until 2036-05-20, 户口簿 without end */
#define LI    "43010219900101456X" /* ID card ended 2025-02-01, no 户口簿 */
/* the agent backs off while tongband is away: it may take a while to come back */
#define BACK_MS 60000

static struct tbserver *srv;
static char dir[64], db[128];

static void import_certificates(void)
{
	char *file = tbcheck_src_path("examples/certificates.tsv");
	char *cmd = xasprintf("'%s' import-certificates --db '%s' '%s' >/dev/null 2>&1",
	                      tbserver_bin(), tbserver_db(srv), file);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(file);
}

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	import_certificates();
	snprintf(dir, sizeof dir, "/tmp/tongban-ecert-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/client.db", dir);
}

static void teardown(void)
{
	char cmd[128];

	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A wide terminal: the checklist line holds the whole certificate. */
static struct term *start(void)
{
	return tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 30, 160);
}

/* The pension item for name with ID id, up to its checklist. */
static void intake(struct term *t, const char *name, const char *id)
{
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, PENSION_ITEM TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, name);
	term_send(t, TERM_KEY_TAB TERM_KEY_TAB);
	term_send(t, id);
	term_send(t, "13800138000" TB_TO_CHECKLIST);
	tbcheck_expect(t, "[未核对]");
}

static void expect_within(struct term *t, const char *text, int ms)
{
	char *screen;

	if (term_wait_text(t, text, ms) == 0)
		return;
	screen = term_screen(t);
	ck_abort_msg("'%s' never appeared; screen:\n%s", text, screen);
	free(screen);
}

static long long server_int(const char *query)
{
	char *v = tbdb_text(tbserver_db(srv), query, NULL);
	long long n = v ? atoll(v) : -1;

	free(v);
	return n;
}

START_TEST(a_certificate_found_online_is_shown_and_never_asked_for)
{
	struct term *t = start();

	tbcheck_login(t);
	intake(t, "张伟", ZHANG);
	/* the lookups were answered while the clerk was on the form or at once */
	tbcheck_expect(t, "电子证照 已核验：居民身份证 " ZHANG
	                  " 长沙市公安局芙蓉分局 有效期至 2036-05-20");
	tbcheck_expect(t,
	               "电子证照 已核验：居民户口簿 430102000123 长沙市公安局芙蓉分局五里牌派出所 "
	               "有效期至 长期");
	/* the two e-certificates are 免提交: the clerk cannot ask for them */
	ck_assert_int_eq(term_find(t, "[免提交", NULL, NULL), 1);
	term_send(t, TERM_KEY_DOWN "4");
	tbcheck_expect(t, "免提交");
	/* the form and the bank account are in: accepted */
	term_send(t, TERM_KEY_UP TERM_KEY_UP " ");
	term_send(t, TERM_KEY_DOWN TERM_KEY_DOWN " " TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "已受理");
	tbcheck_quit(t);
	/* each lookup is on tongband's audit chain, by the clerk, without the ID */
	ck_assert_int_eq(server_int("SELECT count(*) FROM audit WHERE what = 'certificate' AND"
	                            " user_id = 'demo' AND detail = 'lookup 居民身份证: found'"),
	                 1);
	ck_assert_int_eq(server_int("SELECT count(*) FROM audit WHERE what = 'certificate' AND"
	                            " detail = 'lookup 居民户口簿: found'"),
	                 1);
	ck_assert_int_eq(server_int("SELECT count(*) FROM audit WHERE detail LIKE '%" ZHANG "%'"),
	                 0);
}
END_TEST

START_TEST(offline_the_certificate_waits_and_is_checked_when_tongband_is_back)
{
	struct term *t = start();
	struct err e = {0};

	tbcheck_login(t); /* online first, so the clerk is cached */
	tbcheck_quit(t);
	ck_assert_int_eq(tbserver_stop(srv), 0);

	t = start();
	tbcheck_login(t);
	tbcheck_expect(t, "离线");
	intake(t, "张伟", ZHANG);
	tbcheck_expect(t, "电子证照 待核验（联网后自动核验）");
	/* 待核验 counts as in hand: the case is accepted */
	term_send(t, " " TERM_KEY_DOWN TERM_KEY_DOWN TERM_KEY_DOWN " " TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "已受理");
	/* 李娜 too, whose ID card has expired and who has no 户口簿 */
	intake(t, "李娜", LI);
	tbcheck_expect(t, "电子证照 待核验");
	term_send(t, " " TERM_KEY_DOWN TERM_KEY_DOWN TERM_KEY_DOWN " " TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "已受理");

	/* tongband is back: nobody touches a key, the agent checks them */
	ck_assert_msg(tbserver_restart(srv, &e) == 0, "%s", e.msg);
	term_send(t, TERM_KEY_F3 "张伟");
	tbcheck_expect(t, "查找案件");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：张伟");
	expect_within(t, "电子证照 已核验：居民身份证 " ZHANG, BACK_MS);
	tbcheck_expect(t, "电子证照 已核验：居民户口簿 430102000123");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "查找案件");
	term_wait_quiet(t, 150, 5000);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
	term_send(t, TERM_KEY_F3 "李娜");
	tbcheck_expect(t, "查找案件");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：李娜");
	expect_within(t,
	              "电子证照核验未通过：电子证照已过期（居民身份证 " LI
	              " 有效期至 2025-02-01），须一次性告知申请人补正（F11）",
	              BACK_MS);
	tbcheck_expect(t, "电子证照核验未通过：未查到电子证照，须一次性告知申请人补正（F11）");
	/* F11: one notice with both, and the case stays accepted */
	term_send(t, TERM_KEY_F11);
	tbcheck_expect(t, "电子证照核验补正告知书");
	tbcheck_expect(t, "1. 申请人居民身份证");
	tbcheck_expect(t, "问题及要求：电子证照核验未通过：电子证照已过期");
	tbcheck_expect(t, "2. 居民户口簿");
	tbcheck_expect(t, "问题及要求：电子证照核验未通过：未查到电子证照");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "状态：已受理");
	tbcheck_expect(t, "电子证照核验补正告知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "查找案件");
	term_wait_quiet(t, 150, 5000);
	tbcheck_quit(t);
	ck_assert_int_eq(server_int("SELECT count(*) FROM audit WHERE what = 'certificate' AND"
	                            " detail = 'lookup 居民身份证: expired'"),
	                 1);
}
END_TEST

START_TEST(a_failed_check_at_the_counter_goes_on_the_one_time_notice)
{
	struct term *t = start();

	tbcheck_login(t);
	intake(t, "李娜", LI);
	tbcheck_expect(t, "电子证照核验未通过：电子证照已过期");
	tbcheck_expect(t, "电子证照核验未通过：未查到电子证照");
	term_send(t, " " TERM_KEY_DOWN TERM_KEY_DOWN TERM_KEY_DOWN " " TERM_KEY_F5);
	tbcheck_expect(t, "材料有误，不能受理：申请人居民身份证");
	term_send(t, TERM_KEY_F6);
	tbcheck_expect(t, "补充说明");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "补正材料通知书");
	tbcheck_expect(t, "1. 申请人居民身份证");
	tbcheck_expect(t, "问题及要求：电子证照核验未通过：电子证照已过期");
	tbcheck_expect(t, "2. 居民户口簿");
	tbcheck_expect(t, "问题及要求：电子证照核验未通过：未查到电子证照");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "待补正");
	tbcheck_quit(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ecert e2e");
	TCase *tc = tcase_create("ecert");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, a_certificate_found_online_is_shown_and_never_asked_for);
	tcase_add_test(tc, offline_the_certificate_waits_and_is_checked_when_tongband_is_back);
	tcase_add_test(tc, a_failed_check_at_the_counter_goes_on_the_one_time_notice);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
