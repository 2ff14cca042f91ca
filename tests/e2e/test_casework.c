/*
 * tests/e2e/test_casework.c - a window's day after intake, typed through the
 * real tongban in a pseudo-terminal against a real tongband: the work queue
 * on the home screen, finding a case as one types (locally and on the
 * server), the case's record and the recorded look at the whole ID,
 * handing out a result (pickup, mail with its label) and the applicant's
 * rating with the follow-up of a bad one, an overdue supplement closed as
 * withdrawn, the day's statistics, and the clerk's shift: logging out and
 * in without quitting, and the screen that locks when left alone.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/event.h"
#include "core/i18n.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "term.h"

static struct tbserver *srv;
static char dir[64], db[128];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-casework-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/client.db", dir);
	unsetenv("TONGBAN_CONFIG");
}

static void teardown(void)
{
	char cmd[128];

	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	unsetenv("TONGBAN_CONFIG");
}

static struct term *start(void)
{
	return tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);
}

static struct term *login(void)
{
	struct term *t = start();

	tbcheck_login(t);
	return t;
}

static void sql(const char *text)
{
	sqlite3 *h;
	char *msg = NULL;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	ck_assert_msg(sqlite3_exec(h, text, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", text, msg);
	sqlite3_close(h);
}

static int sql_int(const char *text)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, text, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* Cases made before the clerk sits down, through core's decisions. */
struct made {
	struct case_row row;
};

static void make(const struct decision *d, const char *item, const char *name, const char *id,
                 const char *phone, struct case_row *out)
{
	struct err e = {0};
	struct store *st = store_open(db, &e);
	struct tbfixture fx;

	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
	fx.id_number = id;
	fx.phone = phone;
	ck_assert_msg(tbfixture_case(&fx, d, item, name, out, &e) == 0, "%s", e.msg);
	tbfixture_close(&fx);
	store_close(st);
}

/* The back office of dept (the one of the case's item) approves the case on
 * tongband, once the clerk's tongban has pushed its acceptance there; the
 * clerk's pull brings the decision. */
static void approve(const struct case_row *r, const char *dept)
{
	static int users;
	struct err e = {0};
	char *token, *answer = NULL, path[128], id[32];
	long status = 0;
	int i;

	snprintf(id, sizeof id, "shen%d", users++);
	ck_assert_msg(
	    tbserver_add_user(srv, id, "shen123", TBSERVER_HALL, "backoffice", dept, &e) == 0, "%s",
	    e.msg);
	token = tbserver_login(srv, id, "shen123", &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "/v1/cases/%s", r->id);
	for (i = 0; i < 150; i++) { /* pushed within 15 s */
		free(answer);
		answer = tbserver_request(srv, "GET", path, token, NULL, &status, &e);
		if (status == 200 && answer && strstr(answer, "\"state\":\"accepted\""))
			break;
		usleep(100 * 1000);
	}
	ck_assert_msg(status == 200, "the case never reached the server: %s", answer);
	free(answer);
	snprintf(path, sizeof path, "/v1/cases/%s/decision", r->id);
	answer =
	    tbserver_request(srv, "POST", path, token,
	                     "{\"decision\":\"approve\",\"reason\":\"符合条件\"}", &status, &e);
	ck_assert_msg(answer && status == 200, "%ld %s", status, answer ? answer : e.msg);
	free(answer);
	free(token);
}

/* Leave whatever screen for home and quit. */
static void quit(struct term *t)
{
	int i;

	for (i = 0; i < 4 && !term_find(t, "[F2] 新建收件", NULL, NULL); i++) {
		term_send(t, TERM_KEY_ESC);
		term_wait_quiet(t, 150, 3000);
	}
	tbcheck_quit(t);
}

#define ZS_ID "11010519491231002X"
#define LS_ID "110105194912310021"
#define WW_ID "440301199001011234"
#define GAS   TBFIX_COMMIT_ITEM

/* ---- the queue ----------------------------------------------------------------- */

START_TEST(the_queue_puts_the_most_urgent_first_and_opens_the_case)
{
	struct case_row late, waiting, decided, fine;
	struct term *t;
	char text[256];
	int row_red, row_release;

	make(&decision_accept, TBFIX_ITEM, "张三", ZS_ID, "13800138000", &late);
	make(&decision_notice, GAS, "李四", LS_ID, "13911112222", &waiting);
	make(&decision_accept, GAS, "王五", WW_ID, "13755556666", &decided);
	make(&decision_accept, GAS, "赵六", WW_ID, "13755556666", &fine);
	/* 张三's promised date has passed; 王五's result is decided */
	snprintf(text, sizeof text, "UPDATE cases SET due_date = '2026-01-05' WHERE id = '%s'",
	         late.id);
	sql(text);

	t = login();
	tbcheck_expect(t, "待办 2 件：");
	/* the back office decides 王五's case: it comes to the queue by itself */
	approve(&decided, TBFIX_COMMIT_ITEM_DEPT);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "待办 3 件：");
	tbcheck_expect(t, "红灯 逾期 1");
	tbcheck_expect(t, "待补正 1");
	tbcheck_expect(t, "待出件 1");
	/* masked names, the reason, most urgent first; 赵六 needs nothing now */
	tbcheck_expect(t, "张*");
	tbcheck_expect(t, "逾期");
	tbcheck_expect(t, "已等 0 个工作日");
	tbcheck_expect(t, "准予许可");
	ck_assert(!term_find(t, "赵*", NULL, NULL));
	ck_assert(term_find(t, "红灯 逾期  01-05", &row_red, NULL));
	ck_assert(term_find(t, "待出件  ", &row_release, NULL));
	ck_assert_int_lt(row_red, row_release);
	/* the selected row in full under the list */
	tbcheck_expect(t, "已超过承诺办结日期 1月5日");
	ck_assert(!term_find(t, ZS_ID, NULL, NULL)); /* no whole ID in a list */
	/* Enter opens the first: 张三's record */
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：张三");
	tbcheck_expect(t, late.case_no);
	/* back and down to 王五, typed ahead in one go: home draws no queue
	 * for keys that are waiting, but the keys still act on it */
	term_send(t, TERM_KEY_ESC TERM_KEY_DOWN TERM_KEY_DOWN TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：王五");
	tbcheck_expect(t, "F5 出件");
	quit(t);
}
END_TEST

/* More waiting than the list keeps (500): the counts cover every case, the
 * list says it holds the most urgent, and which are kept never depends on
 * the order the cases are read in (the most urgent is made last; equal ones
 * go by case number). */
START_TEST(past_500_waiting_the_list_keeps_the_most_urgent_and_says_so)
{
	enum { NOTICES = 519 };
	static char nos[NOTICES][64];
	struct case_row r, late;
	struct tbfixture fx;
	struct err e = {0};
	struct store *st = store_open(db, &e);
	struct term *t;
	char text[256];
	int i;

	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
	for (i = 0; i < NOTICES; i++) {
		ck_assert_msg(tbfixture_case(&fx, &decision_notice, GAS, "李四", &r, &e) == 0, "%s",
		              e.msg);
		snprintf(nos[i], sizeof nos[i], "%s", r.case_no);
		if (i > 0)
			ck_assert_str_lt(nos[i - 1], nos[i]);
	}
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "张三", &late, &e) == 0,
	              "%s", e.msg);
	tbfixture_close(&fx);
	store_close(st);
	snprintf(text, sizeof text, "UPDATE cases SET due_date = '2026-01-05' WHERE id = '%s'",
	         late.id);
	sql(text);

	t = login();
	tbcheck_expect(t, "待办 520 件（列出最急的 500 件）：");
	tbcheck_expect(t, "红灯 逾期 1");
	tbcheck_expect(t, "待补正 519");
	/* the first row is the overdue case, made last */
	tbcheck_expect(t, "已超过承诺办结日期 1月5日");
	ck_assert(term_find(t, late.case_no, NULL, NULL));
	/* End: the last row kept is the 499th waiting case by number */
	term_send(t, TERM_KEY_END);
	tbcheck_expect(t, nos[498]);
	ck_assert(!term_find(t, nos[499], NULL, NULL));
	term_send(t, TERM_KEY_UP);
	tbcheck_expect(t, nos[497]);
	term_send(t, TERM_KEY_HOME);
	tbcheck_expect(t, "已超过承诺办结日期 1月5日");
	quit(t);
}
END_TEST

/* ---- search -------------------------------------------------------------------- */

/* A case another window of the hall took in, on the server only: clerk
 * zhou's at window 9 (an event is pushed with its own clerk's session). */
static void case_on_the_server(const char *name)
{
	struct err e = {0};
	char *token, *ev, *body, *r;
	char payload[512];
	struct case_event c;
	long status = 0;

	ck_assert_msg(tbserver_add_user(srv, "zhou", "zhou123", TBSERVER_HALL, "clerk", "", &e) ==
	                  0,
	              "%s", e.msg);
	token = tbserver_login(srv, "zhou", "zhou123", &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	memset(&c, 0, sizeof c);
	uuid_make(c.uuid);
	uuid_make(c.case_id);
	c.seq = 1;
	c.type = "created";
	c.hall = TBSERVER_HALL;
	c.window = "9";
	c.clerk = "zhou";
	time_iso_shanghai(time(NULL), c.client_time);
	snprintf(payload, sizeof payload,
	         "{\"case_no\":\"H001-09-T09-20261201-0001\",\"item_code\":\"000101001000\","
	         "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"kind\":\"person\",\"name\":"
	         "\"%s\",\"id_number\":\"110105195001010011\",\"phone\":\"13600001111\"}}",
	         name);
	c.payload_json = payload;
	ev = event_to_json(&c);
	body = xasprintf("{\"events\":[%s]}", ev);
	r = tbserver_request(srv, "POST", "/v1/events", token, body, &status, &e);
	ck_assert_msg(r != NULL && status == 200, "%ld %s", status, r ? r : e.msg);
	free(r);
	free(body);
	free(ev);
	free(token);
}

START_TEST(search_finds_a_case_as_the_clerk_types)
{
	struct case_row zs, ls, ww;
	struct term *t;

	make(&decision_accept, TBFIX_ITEM, "张三", ZS_ID, "13800138000", &zs);
	make(&decision_notice, GAS, "李四", LS_ID, "13911112222", &ls);
	make(&decision_accept, GAS, "欧阳修", WW_ID, "13755556666", &ww);
	case_on_the_server("孙八");
	t = login();
	term_send(t, TERM_KEY_F3);
	tbcheck_expect(t, "查找案件");
	/* nothing typed: the newest cases */
	tbcheck_expect(t, "欧**");
	tbcheck_expect(t, "张*");
	/* the ID's last 4 characters, typed one by one */
	term_send(t, "0");
	term_send(t, "0");
	term_send(t, "2");
	term_send(t, "x");
	tbcheck_expect(t, "张*");
	if (term_wait_gone(t, "欧**", 5000) != 0 || term_find(t, "李*", NULL, NULL))
		ck_abort_msg("only 张三's ID ends in 002X");
	/* pinyin initials */
	term_send(t, "\x15"
	             "oyx");
	tbcheck_expect(t, "欧**");
	if (term_wait_gone(t, "张*", 5000) != 0)
		ck_abort_msg("zs is not oyx");
	/* the phone's last 4 digits */
	term_send(t, "\x15"
	             "2222");
	tbcheck_expect(t, "李*");
	/* an item by name, with a date */
	term_send(t, "\x15"
	             "用气报装");
	tbcheck_expect(t, "李*");
	tbcheck_expect(t, "欧**");
	term_send(t, "\x15"
	             "2020-01");
	tbcheck_expect(t, "没有找到符合条件的案件");
	term_send(t, "\x15"
	             "2026-13");
	tbcheck_expect(t, "“2026-13”不是有效的日期");
	/* online: the hall's case on the server, marked, not openable here */
	term_send(t, "\x15"
	             "孙八");
	tbcheck_expect(t, "服务器上另有 1 件本机没有的案件");
	tbcheck_expect(t, "孙*");
	tbcheck_expect(t, "服务器");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "在服务器上");
	/* Enter opens a local case's record; back keeps what was typed */
	term_send(t, "\x15"
	             "李四");
	tbcheck_expect(t, "李*");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：李四");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "查找案件");
	tbcheck_expect(t, "李四");
	quit(t);
}
END_TEST

/* ---- the record ---------------------------------------------------------------- */

START_TEST(the_record_shows_everything_and_a_look_at_the_whole_id_is_recorded)
{
	struct case_row r;
	struct term *t;

	make(&decision_notice, GAS, "李四", LS_ID, "13911112222", &r);
	t = login();
	term_send(t, TERM_KEY_ENTER); /* the queue's only case */
	tbcheck_expect(t, "申请人：李四");
	tbcheck_expect(t, "证件：1101**********0021");
	tbcheck_expect(t, "电话：139****2222");
	tbcheck_expect(t, "事项：用气报装");
	tbcheck_expect(t, "补正期限");
	tbcheck_expect(t, "—— 材料 ——");
	tbcheck_expect(t, "[缺]");
	tbcheck_expect(t, "收件登记");
	tbcheck_expect(t, "一次性告知");
	tbcheck_expect(t, "补正材料通知书（一次性告知）");
	/* sent to the server by now: the timeline says so */
	tbcheck_expect(t, "[已上传]");
	/* the whole numbers, once, recorded */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'reveal'"), 0);
	term_send(t, TERM_KEY_F4);
	tbcheck_expect(t, "证件：" LS_ID);
	tbcheck_expect(t, "电话：13911112222");
	tbcheck_expect(t, "完整显示已记录");
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE clerk = 'demo' AND what = "
	                         "'reveal' AND case_id = (SELECT id FROM cases)"),
	                 1);
	term_send(t, TERM_KEY_F4);
	tbcheck_expect(t, "证件：1101**********0021");
	/* a note goes on the timeline */
	term_send(t, TERM_KEY_F3);
	tbcheck_expect(t, "备注：");
	term_send(t, "申请人来电询问进度" TERM_KEY_ENTER);
	tbcheck_expect(t, "备注已保存");
	tbcheck_expect(t, "申请人来电询问进度");
	/* F9 reprints the notice */
	term_send(t, TERM_KEY_F9);
	tbcheck_expect(t, "补正材料通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "申请人：李四");
	quit(t);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE type = 'note'"), 1);
	/* the login, the look and the note are on the audit chain too */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'login' AND clerk ="
	                         " 'demo'"),
	                 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'decision' AND detail ="
	                         " 'note'"),
	                 1);
}
END_TEST

/* ---- release and rating --------------------------------------------------------- */

START_TEST(release_at_the_window_checks_the_collector_then_the_applicant_rates)
{
	struct case_row r;
	struct term *t;

	make(&decision_accept, TBFIX_ITEM, "张三", ZS_ID, "13800138000", &r);
	t = login();
	approve(&r, TBFIX_ITEM_DEPT);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "待出件 1");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：张三");
	/* someone else's ID: refused */
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "出件方式");
	term_send(t, TERM_KEY_ENTER); /* 1, pickup */
	tbcheck_expect(t, "领取人姓名");
	term_send(t, TERM_KEY_ENTER); /* the applicant's name offered */
	tbcheck_expect(t, "领取人证件号码");
	term_send(t, LS_ID TERM_KEY_ENTER);
	tbcheck_expect(t, "领取人不是申请人");
	/* the applicant's own card */
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "出件方式");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "领取人姓名");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "领取人证件号码");
	term_send(t, ZS_ID TERM_KEY_ENTER);
	/* the applicant rates: 2 不满意, with a comment */
	tbcheck_expect(t, "请您对本次服务作出评价");
	tbcheck_expect(t, "非常不满意");
	term_send(t, "2");
	tbcheck_expect(t, "评价意见");
	term_send(t, "等候时间太长" TERM_KEY_ENTER);
	tbcheck_expect(t, "送达回证");
	tbcheck_expect(t, "窗口领取");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "状态：已出件");
	tbcheck_expect(t, "[评价 不满意]");
	tbcheck_expect(t, "差评整改");
	tbcheck_expect(t, "等候时间太长");
	/* the follow-up waits in the queue */
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "待整改 1");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：张三");
	term_send(t, TERM_KEY_F6);
	tbcheck_expect(t, "整改情况");
	term_send(t, "增设取号机并电话回访" TERM_KEY_ENTER);
	tbcheck_expect(t, "整改已完成并记录");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "待办：没有需要处理的案件");
	quit(t);
	ck_assert_int_eq(sql_int("SELECT rating FROM cases"), 2);
	ck_assert_int_eq(sql_int("SELECT follow_up_open FROM cases"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE type IN ('released', 'rated',"
	                         " 'followed_up')"),
	                 3);
}
END_TEST

START_TEST(a_result_by_mail_prints_its_address_label)
{
	struct case_row r;
	struct term *t;

	make(&decision_accept, GAS, "欧阳修", WW_ID, "13755556666", &r);
	t = login();
	approve(&r, TBFIX_COMMIT_ITEM_DEPT);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "待出件 1");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：欧阳修");
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "出件方式");
	term_send(t, TERM_KEY_BACKSPACE "2" TERM_KEY_ENTER);
	tbcheck_expect(t, "快递公司");
	term_send(t, TERM_KEY_ENTER); /* 中国邮政EMS offered */
	tbcheck_expect(t, "运单号");
	term_send(t, "EA123456789CN" TERM_KEY_ENTER);
	tbcheck_expect(t, "收件地址");
	term_send(t, "示例市人民路100号" TERM_KEY_ENTER);
	/* the applicant declines to rate */
	tbcheck_expect(t, "请您对本次服务作出评价");
	term_send(t, "0");
	tbcheck_expect(t, "快递送达");
	tbcheck_expect(t, "EA123456789CN");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[评价 未评价]");
	/* F9: the receipt or the label */
	term_send(t, TERM_KEY_F9);
	tbcheck_expect(t, "为快递面单");
	term_send(t, "3" TERM_KEY_ENTER);
	tbcheck_expect(t, "收件人：欧阳修");
	tbcheck_expect(t, "示例市人民路100号");
	tbcheck_expect(t, "13755556666"); /* the courier needs the phone */
	term_send(t, TERM_KEY_ESC);
	quit(t);
}
END_TEST

/* ---- an overdue supplement -------------------------------------------------------- */

START_TEST(an_overdue_supplement_warns_and_can_be_closed_as_withdrawn)
{
	struct case_row r;
	struct term *t;

	make(&decision_notice, GAS, "李四", LS_ID, "13911112222", &r);
	sql("UPDATE cases SET supply_by = '2026-06-01'");
	t = login();
	tbcheck_expect(t, "逾期未补正 1");
	tbcheck_expect(t, "可视为放弃");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：李四");
	/* a late supplement is possible, but the clerk is warned first */
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "已过（逾期未补正）");
	term_send(t, "0" TERM_KEY_ENTER);
	tbcheck_expect(t, "未接收补正");
	/* closed as deemed withdrawn, with its notice */
	term_send(t, TERM_KEY_F8);
	tbcheck_expect(t, "情况说明");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "视为放弃申请通知书");
	tbcheck_expect(t, "已视为放弃");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "状态：视为放弃");
	quit(t);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM cases WHERE state = 'withdrawn' AND"
	                         " done_on <> ''"),
	                 1);
}
END_TEST

/* ---- statistics ------------------------------------------------------------------ */

START_TEST(statistics_of_the_day_in_bar_charts)
{
	struct case_row r;
	struct term *t;

	make(&decision_accept, TBFIX_ITEM, "张三", ZS_ID, "13800138000", &r);
	make(&decision_accept, GAS, "王五", WW_ID, "13755556666", &r);
	make(&decision_notice, GAS, "李四", LS_ID, "13911112222", &r);
	make(&decision_refuse, TBFIX_ITEM, "赵六", LS_ID, "13911112222", &r);
	t = login();
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "收件 4 件");
	tbcheck_expect(t, "收件结果");
	tbcheck_expect(t, "##########");
	tbcheck_expect(t, "一次性告知");
	/* the month and a range of days before anything was taken in */
	term_send(t, TERM_KEY_F4);
	tbcheck_expect(t, "收件 4 件");
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "起始日期");
	term_send(t, "\x15"
	             "2026-01-01" TERM_KEY_ENTER);
	tbcheck_expect(t, "截止日期");
	term_send(t, "\x15"
	             "2026-01-31" TERM_KEY_ENTER);
	tbcheck_expect(t, "收件 0 件");
	quit(t);
}
END_TEST

/* ---- the shift ------------------------------------------------------------------- */

START_TEST(the_shift_changes_without_quitting_and_drafts_stay_with_their_clerk)
{
	struct err e = {0};
	struct term *t;

	ck_assert_msg(tbserver_add_user(srv, "zhou", "zhou123", TBSERVER_HALL, "clerk", "", &e) ==
	                  0,
	              "%s", e.msg);
	t = login();
	/* demo starts an intake and leaves it as a draft */
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, "交班前" TERM_KEY_TAB);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F4] 继续未完成的草稿");
	/* F8 ends the shift: the login comes, the program stays */
	term_send(t, TERM_KEY_F8);
	tbcheck_expect(t, "工号");
	tbcheck_expect(t, "已交班");
	ck_assert(term_is_running(t));
	term_send(t, "zhou" TERM_KEY_TAB "zhou123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：zhou");
	tbcheck_expect(t, "[F2] 新建收件");
	ck_assert_msg(!term_find(t, "交班前", NULL, NULL), "demo's draft is demo's");
	term_send(t, TERM_KEY_F8);
	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	tbcheck_expect(t, "交班前");
	quit(t);
	/* each shift's beginning and end is recorded */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'logout'"), 2);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'login' AND clerk ="
	                         " 'zhou'"),
	                 1);
}
END_TEST

START_TEST(the_screen_locks_when_left_alone)
{
	char cfg[256], *src = tbcheck_src_path("data/config.json"), cmd[1024];
	struct term *t;

	/* lock after one idle minute */
	snprintf(cfg, sizeof cfg, "%s/config.json", dir);
	snprintf(cmd, sizeof cmd,
	         "sed 's/\"lock_minutes\": *[0-9]*/\"lock_minutes\": 1/' '%s' > '%s'", src, cfg);
	ck_assert_int_eq(system(cmd), 0);
	free(src);
	setenv("TONGBAN_CONFIG", cfg, 1);
	t = login();
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, "离开片刻");
	if (term_wait_text(t, "屏幕已锁定", 75000) != 0)
		ck_abort_msg("the screen did not lock after a minute");
	/* the case is covered (the lock may be drawn over a few writes) */
	ck_assert_msg(term_wait_gone(t, "离开片刻", 5000) == 0, "the lock shows the case");
	term_send(t, "wrong" TERM_KEY_ENTER);
	tbcheck_expect(t, "密码错误");
	term_send(t, "demo123" TERM_KEY_ENTER);
	/* back where the clerk was, the typing kept */
	tbcheck_expect(t, "离开片刻");
	tbcheck_expect(t, "申请人姓名");
	/* and the lock is gone: curses redraws the form over several writes, so
	 * its top rows can be back while the old lock text is still below them,
	 * and the wait for the next lock would find that at once */
	ck_assert_msg(term_wait_gone(t, "屏幕已锁定", 5000) == 0,
	              "the lock stays after the password");
	/* locked again, another clerk comes: F8 ends the shift there, and the
	 * form under the lock is kept as its clerk's draft */
	if (term_wait_text(t, "屏幕已锁定", 75000) != 0)
		ck_abort_msg("the screen did not lock again");
	term_send(t, TERM_KEY_F8);
	tbcheck_expect(t, "工号");
	tbcheck_expect(t, "已交班");
	tbcheck_login(t);
	tbcheck_expect(t, "[F4] 继续未完成的草稿");
	tbcheck_expect(t, "离开片刻");
	quit(t);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("casework e2e");
	TCase *tc = tcase_create("a window's day after intake");
	TCase *lock = tcase_create("the idle lock");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_queue_puts_the_most_urgent_first_and_opens_the_case);
	tcase_add_test(tc, past_500_waiting_the_list_keeps_the_most_urgent_and_says_so);
	tcase_add_test(tc, search_finds_a_case_as_the_clerk_types);
	tcase_add_test(tc, the_record_shows_everything_and_a_look_at_the_whole_id_is_recorded);
	tcase_add_test(tc, release_at_the_window_checks_the_collector_then_the_applicant_rates);
	tcase_add_test(tc, a_result_by_mail_prints_its_address_label);
	tcase_add_test(tc, an_overdue_supplement_warns_and_can_be_closed_as_withdrawn);
	tcase_add_test(tc, statistics_of_the_day_in_bar_charts);
	tcase_add_test(tc, the_shift_changes_without_quitting_and_drafts_stay_with_their_clerk);
	tcase_add_checked_fixture(lock, setup, teardown);
	tcase_set_timeout(lock, 240);
	tcase_add_test(lock, the_screen_locks_when_left_alone);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, lock);
	return tbcheck_run(s);
}
