/*
 * tests/e2e/test_counter.c - the clerk's decisions at the counter, typed
 * through the real tongban in a pseudo-terminal: accept, one-time notice
 * then supplement, accept on commitment then verify, refuse; Chinese
 * editing, ditto, a 2,000-character burst, and a draft that survives kill -9.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/i18n.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbserver.h"
#include "term.h"

#define WAIT_MS 15000
/* 用气报装 · 工商户燃气报装: m2 is shared data, m5 (消防安全承诺书) may be committed */
#define GAS_ITEM "002005201002"

static struct tbserver *srv;
static char dir[64], db[128];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-counter-XXXXXX");
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

static struct term *login(void)
{
	struct term *t = tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);

	tbcheck_login(t);
	return t;
}

/* The case's state and its latest notice in the client's database. */
static void case_state(const char *name, char *state, size_t n, char **notice)
{
	struct err e = {0};
	struct store *st = store_open(db, &e);
	struct case_row rows[20];
	int i, found;

	ck_assert_msg(st != NULL, "%s", e.msg);
	found = store_case_recent(st, rows, 20, &e);
	state[0] = '\0';
	for (i = 0; i < found; i++) {
		if (strcmp(rows[i].name, name) != 0)
			continue;
		snprintf(state, n, "%s", rows[i].state);
		if (notice)
			store_notice_latest(st, rows[i].id, NULL, notice, NULL, 0, &e);
		break;
	}
	store_close(st);
}

START_TEST(accept_when_every_material_is_in)
{
	struct term *t = login();
	char state[32], *notice = NULL;

	tbcheck_intake(t, "jzlj", "张三丰");
	/* one material missing: accept is refused with the reason */
	term_send(t, "   4    ");
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "缺少必要材料");
	ck_assert_int_eq(term_find(t, "受理通知书", NULL, NULL), 0);
	/* back up to the missing one and mark it received */
	term_send(t, TERM_KEY_UP TERM_KEY_UP TERM_KEY_UP TERM_KEY_UP "1");
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	tbcheck_expect(t, "收件清单");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "已受理");
	tbcheck_quit(t);
	case_state("张三丰", state, sizeof state, &notice);
	ck_assert_str_eq(state, "accepted");
	ck_assert_ptr_nonnull(notice);
	ck_assert_msg(strstr(notice, "受理通知书") && strstr(notice, "建筑垃圾处置方案"), "%s",
	              notice);
	free(notice);
}
END_TEST

START_TEST(notice_lists_exactly_the_missing_then_supplement_and_accept)
{
	struct term *t = login();
	char state[32], *notice = NULL;

	tbcheck_intake(t, "jzlj", "李四");
	/* m1 original, m2 shared, m3 missing, m4 defective (reason), the rest original */
	term_send(t, "  45");
	tbcheck_expect(t, "有误原因");
	term_send(t, "未盖章" TERM_KEY_ENTER "    ");
	term_send(t, TERM_KEY_F6);
	tbcheck_expect(t, "补充说明");
	term_send(t, "请携带原件" TERM_KEY_ENTER);
	tbcheck_expect(t, "补正材料通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "待补正");
	case_state("李四", state, sizeof state, &notice);
	ck_assert_str_eq(state, "awaiting_supplement");
	ck_assert_msg(strstr(notice, "建设工程施工许可证或房屋装饰装修登记证明") &&
	                  strstr(notice, "建筑垃圾处置方案") && strstr(notice, "未盖章"),
	              "%s", notice);
	ck_assert_msg(strstr(notice, "建筑垃圾处置申请书") == NULL, "lists a present material: %s",
	              notice);
	free(notice);

	/* the applicant returns: found by name, the record, F2 takes the supplement */
	term_send(t, TERM_KEY_F3 "李四");
	tbcheck_expect(t, "查找案件");
	tbcheck_expect(t, "李*");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：李四");
	tbcheck_expect(t, "补正期限");
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "补正材料");
	tbcheck_expect(t, "★待补");
	/* asking now for something that was in order at the first visit is refused */
	term_send(t, TERM_KEY_UP TERM_KEY_UP "4");
	term_send(t, TERM_KEY_F6);
	tbcheck_expect(t, "不能再次要求补正");
	/* the cursor went on to the next material; fix the first again, then supply */
	term_send(t, TERM_KEY_UP "1111");
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_quit(t);
	case_state("李四", state, sizeof state, NULL);
	ck_assert_str_eq(state, "accepted");
}
END_TEST

START_TEST(commitment_then_verified_and_breached)
{
	struct term *t = login();
	char state[32], *notice = NULL;

	tbcheck_intake(t, GAS_ITEM, "王五");
	term_send(t, "    6");
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "告知承诺书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "承诺受理");
	case_state("王五", state, sizeof state, &notice);
	ck_assert_str_eq(state, "accepted_commitment");
	ck_assert_msg(strstr(notice, "消防安全承诺书") != NULL, "%s", notice);
	free(notice);

	tbcheck_intake(t, GAS_ITEM, "赵六");
	term_send(t, "    6" TERM_KEY_F7);
	tbcheck_expect(t, "告知承诺书");
	term_send(t, TERM_KEY_ESC);

	/* verify: the newest case (赵六) is breached, then 王五 confirmed */
	term_send(t, TERM_KEY_F3);
	tbcheck_expect(t, "查找案件");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：赵六");
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "核查");
	term_send(t, "2" TERM_KEY_ENTER);
	/* a revocation is confirmed, needs the finding of the check, and prints
	 * its 撤销决定书 */
	tbcheck_expect(t, "记入失信记录？");
	term_send(t, "1" TERM_KEY_ENTER);
	tbcheck_expect(t, "核查情况");
	term_send(t, "现场核查未见消防安全承诺书所述设施" TERM_KEY_ENTER);
	tbcheck_expect(t, "撤销决定书");
	tbcheck_expect(t, "现场核查未见消防安全承诺书所述设施");
	tbcheck_expect(t, "虚假承诺，已撤销");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[失信记录]");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "查找案件");
	term_send(t, TERM_KEY_DOWN TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：王五");
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "核查");
	term_send(t, "1" TERM_KEY_ENTER);
	tbcheck_expect(t, "承诺核查属实");
	tbcheck_expect(t, "[承诺已核实]");
	/* verified once: not asked again */
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "承诺已核实，无需再次核查");
	term_send(t, TERM_KEY_ESC TERM_KEY_ESC);
	tbcheck_quit(t);
	case_state("赵六", state, sizeof state, NULL);
	ck_assert_str_eq(state, "revoked");
	case_state("王五", state, sizeof state, NULL);
	ck_assert_str_eq(state, "accepted_commitment");
}
END_TEST

START_TEST(commitment_is_refused_for_an_item_that_does_not_allow_it)
{
	struct term *t = login();

	tbcheck_intake(t, "jzlj", "钱七");
	term_send(t, " 4");
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "不适用告知承诺");
	tbcheck_quit(t);
}
END_TEST

START_TEST(refuse_with_reason_and_legal_basis)
{
	struct term *t = login();
	char state[32], *notice = NULL;

	tbcheck_intake(t, "jzlj", "孙八");
	term_send(t, TERM_KEY_F8);
	tbcheck_expect(t, "不予受理的理由");
	/* second reason, then the detail; the legal basis is filled from the item */
	term_send(t, TERM_KEY_RIGHT TERM_KEY_TAB
	          "申请人所述事项属于另一部门职责" TERM_KEY_TAB TERM_KEY_TAB "市住房和城乡建设局");
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "不予受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_quit(t);
	case_state("孙八", state, sizeof state, &notice);
	ck_assert_str_eq(state, "refused");
	ck_assert_msg(strstr(notice, "申请事项依法不需要取得行政许可") &&
	                  strstr(notice, "市住房和城乡建设局") && strstr(notice, "行政复议"),
	              "%s", notice);
	free(notice);
}
END_TEST

START_TEST(chinese_editing_rare_characters_ditto_and_a_long_burst)
{
	struct term *t = login();
	char burst[2001 * 3], state[32];
	struct err e = {0};
	struct store *st;
	struct case_row rows[5];
	char *fields = NULL;
	int i;

	/* first case: an ethnic-minority name with the middle dot, an address to copy later */
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(
	    t, TB_APPLICANT("阿依古丽·买买提") "北京市东城区" TB_JZLJ_AFTER_ADDRESS TB_TO_CHECKLIST
	           TB_JZLJ_ALL_IN TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);

	/* second: a rare character outside GB2312, cursor moves and deletes inside Chinese */
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, "张𠀀三丰" TERM_KEY_LEFT TERM_KEY_BACKSPACE);
	tbcheck_expect(t, "张𠀀丰");
	term_send(t, TERM_KEY_HOME TERM_KEY_DELETE "李");
	tbcheck_expect(t, "李𠀀丰");
	term_send(t, TERM_KEY_TAB TERM_KEY_TAB TB_ID_NUMBER "13800138000" TERM_KEY_F3);
	tbcheck_expect(t, "北京市东城区");
	/* 2,000 characters in one write into the remark */
	for (i = 0; i < 2000; i++)
		memcpy(burst + i * 3, i % 2 ? "办" : "通", 3);
	burst[2000 * 3] = '\0';
	term_send(t, TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB);
	term_send(t, burst);
	term_send(t, TERM_KEY_TAB "某小区改造工程" TERM_KEY_TAB "120" TERM_KEY_TAB
	                          "2026-12-31" TB_TO_CHECKLIST TB_JZLJ_ALL_IN TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_quit(t);

	case_state("李𠀀丰", state, sizeof state, NULL);
	ck_assert_str_eq(state, "accepted");
	st = store_open(db, &e);
	ck_assert_int_eq(store_case_recent(st, rows, 5, &e), 2);
	ck_assert_int_eq(store_case_fields(st, rows[0].id, &fields, &e), 1);
	ck_assert_msg(strstr(fields, "\"address\":\"北京市东城区\"") != NULL, "%s", fields);
	ck_assert_msg(strstr(fields, burst) != NULL, "remark incomplete");
	free(fields);
	store_close(st);
}
END_TEST

START_TEST(a_draft_survives_kill_9_and_is_offered_again)
{
	struct term *t = login();
	char *screen;

	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, "周九" TERM_KEY_TAB TERM_KEY_TAB "11010519491231002X"
	             "139");
	tbcheck_expect(t, "139");
	tbcheck_kill9(t);

	t = login();
	tbcheck_expect(t, "继续未完成的草稿");
	tbcheck_expect(t, "周九");
	term_send(t, TERM_KEY_F4);
	tbcheck_expect(t, "申请人姓名");
	tbcheck_expect(t, "周九");
	tbcheck_expect(t, "11010519491231002X");
	/* the phone was being typed when the power went: only what left its field is kept */
	screen = term_screen(t);
	ck_assert_msg(strstr(screen, "139") == NULL, "%s", screen);
	free(screen);
	tbcheck_quit(t);
}
END_TEST

START_TEST(resizing_keeps_what_was_typed_and_80x24_shows_every_key)
{
	struct term *t = login();

	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, "吴十" TERM_KEY_TAB TERM_KEY_TAB "110105");
	tbcheck_expect(t, "110105");
	/* the decisions' keys all fit on the bottom line of 80 columns */
	tbcheck_expect(t, "F8 不予受理");
	ck_assert_int_eq(term_resize(t, 30, 120), 0);
	tbcheck_expect(t, "吴十");
	ck_assert_int_eq(term_resize(t, 24, 80), 0);
	tbcheck_expect(t, "110105");
	term_send(t, "19491231002X");
	tbcheck_expect(t, "11010519491231002X");
	tbcheck_expect(t, "吴十");
	tbcheck_quit(t);
}
END_TEST

START_TEST(a_clock_a_day_fast_is_reported_and_dates_follow_the_hall)
{
	struct tb_date today = tb_date_today_shanghai();
	struct tb_date tomorrow = tb_date_add_days(today, 1);
	char want[64], wrong[64], line[128], state[32], *notice = NULL;
	struct term *t;

	setenv("TONGBAN_FAKE_CLOCK_OFFSET", "86400", 1);
	t = login();
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	tbcheck_expect(t, "本机时钟不准");
	tbcheck_intake(t, "jzlj", "郑十一");
	term_send(t, "        " TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_quit(t);
	case_state("郑十一", state, sizeof state, &notice);
	ck_assert_ptr_nonnull(notice);
	snprintf(want, sizeof want, "%d年%d月%d日", today.y, today.m, today.d);
	snprintf(wrong, sizeof wrong, "%d年%d月%d日", tomorrow.y, tomorrow.m, tomorrow.d);
	snprintf(line, sizeof line, "于%s提出", want);
	ck_assert_msg(strstr(notice, line) != NULL, "notice not dated %s:\n%s", want, notice);
	snprintf(line, sizeof line, "于%s提出", wrong);
	ck_assert_msg(strstr(notice, line) == NULL, "dated by the wrong clock:\n%s", notice);
	free(notice);
}
END_TEST

START_TEST(an_organisation_applies_with_its_credit_code_and_the_items_own_fields)
{
	struct term *t = login();
	struct err e = {0};
	struct store *st;
	struct case_row rows[2];
	char *fields = NULL;

	/* 存量房买卖转移登记 has its own fields: unit number (28 characters), location, price */
	term_send(t, TERM_KEY_F2 "000704101003" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, TERM_KEY_F9);
	tbcheck_expect(t, "统一社会信用代码");
	/* a wrong check character is refused with the reason */
	term_send(t, "某某科技有限公司" TERM_KEY_TAB "91350100M000100Y44");
	tbcheck_expect(t, "校验");
	term_send(t, TERM_KEY_BTAB "\025"
	                           "91350100M000100Y43"
	                           "张大" TERM_KEY_TAB "李二" TERM_KEY_TAB "13800138000");
	term_send(t, TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB
	          "12345" TERM_KEY_TAB);
	tbcheck_expect(t, "不动产单元号为 28 位");
	term_send(t, TERM_KEY_BTAB "\025"
	                           "110105001001GB00001F00010001" TERM_KEY_TAB
	                           "北京市东城区某路1号" TERM_KEY_TAB "1200000.00" TB_TO_CHECKLIST
	                           "       " TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_quit(t);

	st = store_open(db, &e);
	ck_assert_int_eq(store_case_recent(st, rows, 2, &e), 1);
	ck_assert_str_eq(rows[0].name, "某某科技有限公司");
	ck_assert_str_eq(rows[0].id_number, "91350100M000100Y43");
	ck_assert_int_eq(store_case_fields(st, rows[0].id, &fields, &e), 1);
	ck_assert_msg(strstr(fields, "\"kind\":\"organisation\"") &&
	                  strstr(fields, "\"legal_rep\":\"张大\"") &&
	                  strstr(fields, "\"unit_no\":\"110105001001GB00001F00010001\"") &&
	                  strstr(fields, "\"price\":\"1200000.00\""),
	              "%s", fields);
	free(fields);
	store_close(st);
}
END_TEST

START_TEST(an_overdue_case_shows_red_in_the_queue)
{
	struct term *t = login();

	tbcheck_intake(t, "jzlj", "冯十二");
	term_send(t, TB_JZLJ_ALL_IN TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC TERM_KEY_F3);
	tbcheck_expect(t, "冯十二");
	term_wait_quiet(t, 150, WAIT_MS);
	ck_assert_int_eq(term_find(t, "红灯", NULL, NULL), 0);
	tbcheck_quit(t);

	/* a month later, offline: the promised 3 working days are long past */
	ck_assert_int_eq(tbserver_stop(srv), 0);
	setenv("TONGBAN_FAKE_CLOCK_OFFSET", "2592000", 1);
	t = login();
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	term_send(t, TERM_KEY_F3);
	tbcheck_expect(t, "红灯 逾期");
	tbcheck_quit(t);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("counter e2e");
	TCase *tc = tcase_create("counter");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, accept_when_every_material_is_in);
	tcase_add_test(tc, notice_lists_exactly_the_missing_then_supplement_and_accept);
	tcase_add_test(tc, commitment_then_verified_and_breached);
	tcase_add_test(tc, commitment_is_refused_for_an_item_that_does_not_allow_it);
	tcase_add_test(tc, refuse_with_reason_and_legal_basis);
	tcase_add_test(tc, chinese_editing_rare_characters_ditto_and_a_long_burst);
	tcase_add_test(tc, a_draft_survives_kill_9_and_is_offered_again);
	tcase_add_test(tc, resizing_keeps_what_was_typed_and_80x24_shows_every_key);
	tcase_add_test(tc, a_clock_a_day_fast_is_reported_and_dates_follow_the_hall);
	tcase_add_test(tc, an_organisation_applies_with_its_credit_code_and_the_items_own_fields);
	tcase_add_test(tc, an_overdue_case_shows_red_in_the_queue);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
