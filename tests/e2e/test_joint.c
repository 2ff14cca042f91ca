/*
 * tests/e2e/test_joint.c - joint (并联审批) and cross-region (跨域通办) cases
 * end to end, typed through the real tongban in a pseudo-terminal against
 * a real tongband: the clerk takes the item in through the screens, the
 * case reaches tongband, each deciding back office finds it in GET
 * /v1/inbox and decides over HTTP, and the decisions come back through the
 * changes feed onto the case's record one by one, with the joint result
 * the item's rule makes of them (one refusal denies an all-must-approve
 * item; a partial one releases the parts approved); another region's item, found in the item
 * search with its region, is decided by that region's hall and its
 * decision comes back the same way.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbserver.h"
#include "term.h"

/* 施工图联合审查: three departments decide in parallel, all must approve */
#define ALL_ITEM "001002103000"
#define GUIHUA   "市自然资源和规划局"
#define XIAOFANG "市消防救援支队"
#define RENFANG  "市人民防空办公室"
/* 建设工程并联验收: five departments, what was approved may be released */
#define PARTIAL_ITEM "001002101000"
#define HUANBAO      "市生态环境局"
#define ZHUJIAN      "市住房和城乡建设局"
/* 个体工商户设立登记 of 甘肃省天水市 (620500), decided by hall H620 */
#define REGION_ITEM "620500103402"
#define REGION_DEPT "天水市市场监督管理局"

static struct tbserver *srv;
static char dir[64], db[128];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-joint-XXXXXX");
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
}

/* A back-office account of dept at hall, logged in: its token. */
static char *backoffice(const char *id, const char *hall, const char *dept)
{
	struct err e = {0};
	char *token;

	ck_assert_msg(tbserver_add_user(srv, id, "shen123", hall, "backoffice", dept, &e) == 0,
	              "%s", e.msg);
	token = tbserver_login(srv, id, "shen123", &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	return token;
}

/* The id of the client's only case (with its number into no). */
static void the_case(char id[40], char no[64])
{
	struct err e = {0};
	struct store *st = store_open(db, &e);
	struct case_row r;

	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(store_case_recent(st, &r, 1, &e), 1);
	str_copy(id, 40, r.id);
	str_copy(no, 64, r.case_no);
	store_close(st);
}

/* The case's latest notice of kind in the client's database, its lines
 * joined (caller frees). */
static char *notice_of(const char *case_id, const char *kind)
{
	struct err e = {0};
	struct store *st = store_open(db, &e);
	char *text = NULL;

	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(store_notice_latest(st, case_id, kind, &text, NULL, 0, &e), 1);
	store_close(st);
	/* a paragraph is wrapped at the notice's width: read it unwrapped */
	for (char *from = text, *to = text;; from++) {
		if (*from != '\n')
			*to++ = *from;
		if (*from == '\0')
			break;
	}
	return text;
}

/* Whether the inbox of token holds case_id now; its entry into *entry
 * (caller puts) when it does and entry is not NULL. */
static bool in_inbox(const char *token, const char *case_id, struct json_object **entry)
{
	struct err e = {0};
	long status = 0;
	char *r = tbserver_request(srv, "GET", "/v1/inbox", token, NULL, &status, &e);
	struct json_object *o, *list;
	bool found = false;
	size_t i;

	ck_assert_msg(r != NULL && status == 200, "GET /v1/inbox: %ld %s", status, r ? r : e.msg);
	o = json_tokener_parse(r);
	ck_assert_msg(o != NULL && json_object_object_get_ex(o, "cases", &list), "%s", r);
	for (i = 0; i < json_object_array_length(list) && !found; i++) {
		struct json_object *c = json_object_array_get_idx(list, i);

		if (strcmp(tbcheck_json_at(c, "id"), case_id) == 0) {
			found = true;
			if (entry)
				*entry = json_object_get(c);
		}
	}
	json_object_put(o);
	free(r);
	return found;
}

/* Wait (15 s at most) until the clerk's tongban has pushed the case and it
 * is in the inbox of token. */
static void wait_inbox(const char *token, const char *case_id, struct json_object **entry)
{
	int i;

	for (i = 0; i < 150; i++) {
		if (in_inbox(token, case_id, entry))
			return;
		usleep(100 * 1000);
	}
	ck_abort_msg("case %s never reached the back office's inbox", case_id);
}

/* The back office of token decides the case over HTTP: want is the status
 * expected. */
static void decide(const char *token, const char *case_id, const char *outcome, const char *reason,
                   long want)
{
	struct err e = {0};
	long status = 0;
	char path[128], *body, *r;

	snprintf(path, sizeof path, "/v1/cases/%s/decision", case_id);
	body = xasprintf("{\"decision\":\"%s\",\"reason\":\"%s\"}", outcome, reason);
	r = tbserver_request(srv, "POST", path, token, body, &status, &e);
	ck_assert_msg(r != NULL && status == want, "%s %s: %ld, want %ld: %s", outcome, case_id,
	              status, want, r ? r : e.msg);
	free(r);
	free(body);
}

/* Leave whatever screen for home. */
static void home(struct term *t)
{
	int i;

	for (i = 0; i < 5 && term_find(t, "[F2] 新建收件", NULL, NULL) == 0; i++) {
		term_send(t, TERM_KEY_ESC);
		term_wait_quiet(t, 150, 3000);
	}
	tbcheck_expect(t, "[F2] 新建收件");
}

/* From home: find the case by the applicant's name and open its record. */
static void open_record(struct term *t, const char *name)
{
	char want[128];

	term_send(t, TERM_KEY_F3);
	tbcheck_expect(t, "查找案件");
	term_send(t, name);
	term_wait_quiet(t, 300, 5000);
	term_send(t, TERM_KEY_ENTER);
	snprintf(want, sizeof want, "申请人：%s", name);
	tbcheck_expect(t, want);
}

/* The line of the screen that shows text ("" when none; caller frees). */
static char *line_with(struct term *t, const char *text)
{
	int row;

	return term_find(t, text, &row, NULL) == 0 ? xstrdup("") : term_line(t, row);
}

START_TEST(a_joint_case_is_decided_department_by_department_and_one_refusal_denies_it)
{
	struct term *t;
	char id[40], no[64], *gh, *xf, *rf, *text, *line;
	struct json_object *entry = NULL;

	gh = backoffice("gh", TBSERVER_HALL, GUIHUA);
	xf = backoffice("xf", TBSERVER_HALL, XIAOFANG);
	rf = backoffice("rf", TBSERVER_HALL, RENFANG);
	t = tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);
	tbcheck_login(t);
	/* the item search says it is joint; its two materials in, accepted */
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, ALL_ITEM);
	tbcheck_expect(t, "并联审批（3个部门）");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, TB_APPLICANT("张三") TB_TO_CHECKLIST);
	tbcheck_expect(t, "[未核对]");
	term_send(t, "  " TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	the_case(id, no);
	text = notice_of(id, "acceptance");
	ck_assert_msg(strstr(text, "本事项实行并联审批，由" GUIHUA "、" XIAOFANG "、" RENFANG
	                           "同步审查，各部门均准予的方予批准"),
	              "%s", text);
	free(text);
	home(t);
	open_record(t, "张三");
	tbcheck_expect(t, "—— 并联审批（各部门均准予方可批准）——");
	tbcheck_expect(t, "尚待3个部门决定");
	/* the case reaches tongband: in each department's inbox, marked joint */
	wait_inbox(gh, id, &entry);
	ck_assert_str_eq(tbcheck_json_at(entry, "joint"), "true");
	json_object_put(entry);
	wait_inbox(xf, id, NULL);
	wait_inbox(rf, id, NULL);
	/* 规划 approves: the record shows it as the pull brings it */
	decide(gh, id, "approve", "符合规划条件", 200);
	tbcheck_expect(t, "尚待2个部门决定（" XIAOFANG "、" RENFANG "）");
	line = line_with(t, GUIHUA "  ");
	ck_assert_msg(strstr(line, "准予") && strstr(line, "gh") && strstr(line, "符合规划条件"),
	              "%s", line);
	free(line);
	line = line_with(t, XIAOFANG "  ");
	ck_assert_msg(strstr(line, "待决定"), "%s", line);
	free(line);
	ck_assert(!in_inbox(gh, id, NULL)); /* its part is done */
	tbcheck_expect(t, "状态：已受理");
	/* 消防 refuses: all must approve, so the case is denied at once */
	decide(xf, id, "refuse", "疏散通道宽度不足", 200);
	tbcheck_expect(t, "并联审批结果：不予许可（" XIAOFANG "不予批准：疏散通道宽度不足）");
	tbcheck_expect(t, "状态：不予许可");
	line = line_with(t, XIAOFANG "  ");
	ck_assert_msg(strstr(line, "不予批准") && strstr(line, "xf"), "%s", line);
	free(line);
	/* 人防 has nothing left to decide */
	ck_assert(!in_inbox(rf, id, NULL));
	decide(rf, id, "approve", "", 409);
	/* the queue: the decision to hand out, and why */
	home(t);
	tbcheck_expect(t, "待出件 1");
	tbcheck_expect(t, "不予许可（" XIAOFANG "不予批准）"); /* on 80 columns */
	tbcheck_quit(t);
	free(gh);
	free(xf);
	free(rf);
}
END_TEST

START_TEST(a_partial_result_hands_out_only_the_parts_approved)
{
	struct term *t;
	char id[40], no[64], *gh, *hb, *xf, *rf, *zj, *text;

	gh = backoffice("gh", TBSERVER_HALL, GUIHUA);
	hb = backoffice("hb", TBSERVER_HALL, HUANBAO);
	xf = backoffice("xf", TBSERVER_HALL, XIAOFANG);
	rf = backoffice("rf", TBSERVER_HALL, RENFANG);
	zj = backoffice("zj", TBSERVER_HALL, ZHUJIAN);
	t = tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);
	tbcheck_login(t);
	tbcheck_intake(t, PARTIAL_ITEM, "王五");
	term_send(t, "       " TERM_KEY_F5); /* its seven materials */
	tbcheck_expect(t, "受理通知书");
	the_case(id, no);
	home(t);
	open_record(t, "王五");
	tbcheck_expect(t, "—— 并联审批（部分准予：准予部分可先行出件）——");
	wait_inbox(zj, id, NULL);
	/* 消防 refuses first: under partial the others still decide */
	decide(xf, id, "refuse", "消防设施未通过验收", 200);
	tbcheck_expect(t, "尚待4个部门决定");
	ck_assert(in_inbox(gh, id, NULL));
	decide(gh, id, "approve", "", 200);
	decide(hb, id, "approve", "", 200);
	decide(rf, id, "approve", "", 200);
	tbcheck_expect(t, "尚待1个部门决定（" ZHUJIAN "）");
	decide(zj, id, "approve", "同意", 200);
	/* every part answered: approved, what passed released alone */
	tbcheck_expect(t, "并联审批结果：部分准予（4/5），仅出件：");
	tbcheck_expect(t, "状态：准予许可");
	home(t);
	tbcheck_expect(t, "待出件 1");
	tbcheck_expect(t, "部分准予");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：王五");
	/* the release says it hands out part, and the receipt which parts */
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "部分准予（4/5个部门）出件");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "领取人姓名");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "领取人证件号码");
	term_send(t, TB_ID_NUMBER TERM_KEY_ENTER);
	tbcheck_expect(t, "请您对本次服务作出评价");
	term_send(t, "5");
	tbcheck_expect(t, "评价意见");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "送达回证");
	text = notice_of(id, "release");
	ck_assert_msg(strstr(text, "并联审批：" GUIHUA "、" HUANBAO "、" RENFANG "、" ZHUJIAN
	                           "准予；" XIAOFANG "不予批准。本次交付准予部分的办理结果"),
	              "%s", text);
	free(text);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "状态：已出件");
	tbcheck_quit(t);
	free(gh);
	free(hb);
	free(xf);
	free(rf);
	free(zj);
}
END_TEST

/* tongband import-catalogue of 甘肃省天水市's catalogue, decided at H620. */
static void import_region(void)
{
	char *src = tbcheck_src_path("data/catalogue-620500.json");
	char *cmd = xasprintf("'%s' import-catalogue --db '%s' --region 620500 --region-name "
	                      "甘肃省天水市 --hall H620 '%s' >/dev/null",
	                      tbserver_bin(), tbserver_db(srv), src);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(src);
}

START_TEST(another_regions_case_is_decided_there_and_comes_back_to_the_record)
{
	struct term *t;
	char id[40], no[64], *ts, *local, *text;
	struct json_object *entry = NULL;
	int i;

	import_region();
	ts = backoffice("ts", "H620", REGION_DEPT);
	local = backoffice("sc", TBSERVER_HALL, REGION_DEPT);
	t = tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);
	tbcheck_login(t);
	/* the served catalogue, with the region's items, comes down by sync */
	for (i = 0; i < 30 && term_find(t, "已启用新版事项目录", NULL, NULL) == 0; i++) {
		term_send(t, TERM_KEY_F5);
		term_wait_text(t, "已启用新版事项目录", 1000);
	}
	tbcheck_expect(t, "已启用新版事项目录");
	/* the item search shows the region and who decides */
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, REGION_ITEM);
	tbcheck_expect(t, "【甘肃省天水市·跨域】");
	tbcheck_expect(t, "跨域通办：由甘肃省天水市" REGION_DEPT "审批");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, TB_APPLICANT("李四") TB_TO_CHECKLIST);
	tbcheck_expect(t, "[未核对]");
	term_send(t, "   " TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	/* the notice names the authority that decides */
	the_case(id, no);
	text = notice_of(id, "acceptance");
	ck_assert_msg(strstr(text, "本事项为跨域通办事项，由甘肃省天水市" REGION_DEPT "审批决定"),
	              "%s", text);
	free(text);
	home(t);
	open_record(t, "李四");
	tbcheck_expect(t, "跨域通办：由甘肃省天水市" REGION_DEPT "审批（H620），结果回本窗口送达");
	/* routed to H620's back office, not to the taking hall's */
	wait_inbox(ts, id, &entry);
	ck_assert_str_eq(tbcheck_json_at(entry, "region_name"), "甘肃省天水市");
	ck_assert_str_eq(tbcheck_json_at(entry, "hall"), TBSERVER_HALL);
	json_object_put(entry);
	ck_assert(!in_inbox(local, id, NULL));
	decide(local, id, "approve", "", 404);
	/* decided there; the decision comes back to this window's record */
	decide(ts, id, "approve", "符合登记条件", 200);
	tbcheck_expect(t, "状态：准予许可");
	tbcheck_expect(t, "符合登记条件");
	home(t);
	tbcheck_expect(t, "待出件 1");
	tbcheck_quit(t);
	free(ts);
	free(local);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_joint");
	TCase *tc = tcase_create("joint");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc,
	               a_joint_case_is_decided_department_by_department_and_one_refusal_denies_it);
	tcase_add_test(tc, a_partial_result_hands_out_only_the_parts_approved);
	tcase_add_test(tc, another_regions_case_is_decided_there_and_comes_back_to_the_record);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tbcheck_run(suite());
}
