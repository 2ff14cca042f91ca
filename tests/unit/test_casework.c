/* tests/unit/test_casework.c - casework after intake in a real store: case
 * search (core/casequery + store/search), the work queue (core/queue), the
 * decisions after a case is decided (release, rating, follow-up, deemed
 * withdrawal, verification and revocation) and what they mark on the case,
 * the case's history and the record of who saw what. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casequery.h"
#include "core/i18n.h"
#include "core/queue.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tmpdir.h"

static char *dir;
static char path[512];
static struct store *st;
static struct tbfixture fx;

static void setup(void)
{
	struct err e = {0};

	i18n_set_chinese(true);
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	dir = harness_tmpdir("tongban-casework", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
}

static void teardown(void)
{
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	tbfixture_close(&fx);
	store_close(st);
	harness_tmpdir_remove(dir);
	free(dir);
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int count_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* A case of item decided by d for name with this ID and phone. */
static void make(const struct decision *d, const char *item, const char *name, const char *id,
                 const char *phone, struct case_row *out)
{
	struct err e = {0};

	fx.id_number = id;
	fx.phone = phone;
	ck_assert_msg(tbfixture_case(&fx, d, item, name, out, &e) == 0, "%s", e.msg);
}

/* ---- the query ------------------------------------------------------------ */

START_TEST(query_words_take_the_kind_that_fits_them)
{
	struct casequery q;
	char why[256] = "";

	ck_assert_int_eq(casequery_parse("  张三  ZS 1234 欧阳修　002X 7 ", &q, why, sizeof why),
	                 0);
	ck_assert_int_eq((int)q.n_words, 6);
	ck_assert_int_eq(q.words[0].kind, CQ_SURNAME);
	ck_assert_str_eq(q.words[0].text, "张三");
	ck_assert_int_eq(q.words[1].kind, CQ_LETTERS);
	ck_assert_str_eq(q.words[1].text, "zs"); /* lower-cased */
	ck_assert_int_eq(q.words[2].kind, CQ_TEXT);
	ck_assert_int_eq(q.words[3].kind, CQ_TEXT); /* three characters: trigram */
	ck_assert_str_eq(q.words[4].text, "002X");  /* after a full-width space */
	ck_assert_int_eq(q.words[5].kind, CQ_SHORT);
	ck_assert(!q.dated);
	ck_assert(!casequery_empty(&q));
	ck_assert_int_eq(casequery_parse(" \t ", &q, why, sizeof why), 0);
	ck_assert(casequery_empty(&q));
}
END_TEST

START_TEST(query_dates_are_days_months_and_ranges)
{
	struct casequery q;
	char why[256] = "";

	ck_assert_int_eq(casequery_parse("2026-11", &q, why, sizeof why), 0);
	ck_assert(q.dated);
	ck_assert_int_eq(q.from.d, 1);
	ck_assert_int_eq(q.to.d, 30);
	ck_assert_int_eq((int)q.n_words, 0);
	ck_assert_int_eq(casequery_parse("2026-02-03..2026-02-10 张", &q, why, sizeof why), 0);
	ck_assert_int_eq(q.from.m, 2);
	ck_assert_int_eq(q.from.d, 3);
	ck_assert_int_eq(q.to.d, 10);
	ck_assert_int_eq((int)q.n_words, 1);
	ck_assert_int_eq(casequery_parse("2026-01~2026-03", &q, why, sizeof why), 0);
	ck_assert_int_eq(q.to.m, 3);
	ck_assert_int_eq(q.to.d, 31);
	ck_assert_int_eq(casequery_parse("2026-11-31", &q, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "2026-11-31") != NULL, "%s", why);
	ck_assert_int_eq(casequery_parse("2026-12-01..2026-11-01", &q, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "结束早于开始") != NULL, "%s", why);
	/* a case number's day is a number, not a date */
	ck_assert_int_eq(casequery_parse("20261130", &q, why, sizeof why), 0);
	ck_assert(!q.dated);
	ck_assert_int_eq(q.words[0].kind, CQ_TEXT);
}
END_TEST

START_TEST(query_long_words_are_cut_on_a_character)
{
	char text[600];
	struct casequery q;
	char why[64];
	size_t i;

	text[0] = '\0';
	for (i = 0; i < 60; i++)
		strcat(text, "张"); /* 180 bytes, one word */
	strcat(text, " a b c d e f g h i j");
	ck_assert_int_eq(casequery_parse(text, &q, why, sizeof why), 0);
	ck_assert_int_eq((int)q.n_words, CASEQUERY_MAX_WORDS);
	ck_assert_int_eq((int)strlen(q.words[0].text), 126); /* 42 whole characters */
}
END_TEST

/* ---- search ---------------------------------------------------------------- */

struct found {
	char no[16][64];
	int n;
};

static int collect(void *arg, const struct case_row *r)
{
	struct found *f = arg;

	if (f->n < 16)
		str_copy(f->no[f->n], sizeof f->no[0], r->case_no);
	f->n++;
	return 0;
}

static int search(const char *text, struct found *f)
{
	struct casequery q;
	struct err e = {0};
	char why[256];
	int n;

	memset(f, 0, sizeof *f);
	ck_assert_msg(casequery_parse(text, &q, why, sizeof why) == 0, "%s", why);
	casequery_items(&q, fx.cat);
	n = store_case_search(st, &q, 50, collect, f, &e);
	ck_assert_msg(n >= 0, "%s", e.msg);
	ck_assert_int_eq(n, f->n);
	return n;
}

static bool has(const struct found *f, const char *no)
{
	int i;

	for (i = 0; i < f->n && i < 16; i++)
		if (strcmp(f->no[i], no) == 0)
			return true;
	return false;
}

/* Three applicants: 张三 (jzlj), 李四 and 欧阳修 (用气报装). */
static struct case_row zs, ls, oyx;

static void three_cases(void)
{
	make(&decision_accept, TBFIX_ITEM, "张三", "11010519491231002X", "13800138000", &zs);
	make(&decision_notice, TBFIX_COMMIT_ITEM, "李四", "110105194912310021", "13911112222", &ls);
	make(&decision_accept, TBFIX_COMMIT_ITEM, "欧阳修", "440301199001011234", "13755556666",
	     &oyx);
}

START_TEST(search_finds_by_id_phone_name_initials_number_item_and_date)
{
	struct found f;
	char part[32], range[64], today[TB_DATE_LEN];

	three_cases();
	/* the whole ID, its last 4 and 6 characters (X in either case) */
	ck_assert_int_eq(search("11010519491231002X", &f), 1);
	ck_assert_str_eq(f.no[0], zs.case_no);
	ck_assert_int_eq(search("002x", &f), 1);
	ck_assert_int_eq(search("311234", &f), 0);
	ck_assert_int_eq(search("011234", &f), 1);
	ck_assert_str_eq(f.no[0], oyx.case_no);
	/* the phone's last 4 digits */
	ck_assert_int_eq(search("2222", &f), 1);
	ck_assert_str_eq(f.no[0], ls.case_no);
	/* the name: surname, whole name, a 3-character name's middle */
	ck_assert_int_eq(search("张", &f), 1);
	ck_assert_int_eq(search("李四", &f), 1);
	ck_assert_str_eq(f.no[0], ls.case_no);
	ck_assert_int_eq(search("阳修", &f), 0); /* 2 characters: from the start only */
	ck_assert_int_eq(search("欧阳修", &f), 1);
	/* pinyin initials, any case */
	ck_assert_int_eq(search("ZS", &f), 1);
	ck_assert_str_eq(f.no[0], zs.case_no);
	ck_assert_int_eq(search("oyx", &f), 1);
	/* any part of the case number: its last 8 characters */
	str_copy(part, sizeof part, oyx.case_no + strlen(oyx.case_no) - 8);
	ck_assert_int_eq(search(part, &f), 1);
	ck_assert_str_eq(f.no[0], oyx.case_no);
	/* the item: code, name (3 characters and more, or 2), initials */
	ck_assert_int_eq(search(TBFIX_COMMIT_ITEM, &f), 2);
	ck_assert(has(&f, ls.case_no) && has(&f, oyx.case_no));
	ck_assert_int_eq(search("建筑垃圾", &f), 1);
	ck_assert_int_eq(search("jzlj", &f), 1);
	ck_assert_str_eq(f.no[0], zs.case_no);
	/* words narrow each other; newest first */
	ck_assert_int_eq(search("用气 李", &f), 1);
	ck_assert_int_eq(search("13", &f), 3);
	ck_assert_str_eq(f.no[0], oyx.case_no);
	ck_assert_str_eq(f.no[2], zs.case_no);
	/* the application date */
	tb_date_format(tb_date_from_time_shanghai(store_clock_now()), today);
	ck_assert_int_eq(search(today, &f), 3);
	snprintf(range, sizeof range, "2020-01-01..2020-12-31 %s", "张三");
	ck_assert_int_eq(search(range, &f), 0);
	/* 1-2 digits: any part of a number */
	ck_assert_int_eq(search("66", &f), 1);
	ck_assert_int_eq(search("王五", &f), 0);
	ck_assert_int_eq(search("\"'%_", &f), 0); /* quotes and LIKE's characters are text */
}
END_TEST

START_TEST(search_stops_at_the_maximum_newest_first)
{
	struct casequery q;
	struct found f;
	struct err e = {0};
	struct case_row r;
	char why[64];
	int i;

	for (i = 0; i < 12; i++)
		make(&decision_accept, TBFIX_ITEM, "张三", "11010519491231002X", "13800138000", &r);
	ck_assert_int_eq(casequery_parse("1380013", &q, why, sizeof why), 0);
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(store_case_search(st, &q, 5, collect, &f, &e), 5);
	ck_assert_str_eq(f.no[0], r.case_no); /* the last one made */
}
END_TEST

START_TEST(a_lone_short_word_looks_only_at_the_newest_when_asked)
{
	struct casequery q;
	struct found f;
	struct err e = {0};
	struct case_row r;
	char why[64];
	int i;

	make(&decision_accept, TBFIX_ITEM, "李四", "110105194912310021", "13911117777", &r);
	for (i = 0; i < 5; i++)
		make(&decision_accept, TBFIX_ITEM, "张三", "11010519491231002X", "13800138000", &r);
	ck_assert_int_eq(casequery_parse("77", &q, why, sizeof why), 0);
	ck_assert(casequery_only_short(&q));
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(store_case_search(st, &q, 50, collect, &f, &e), 1); /* every case */
	q.newest = 3;
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(store_case_search(st, &q, 50, collect, &f, &e), 0); /* the newest 3 */
	q.newest = 6;
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(store_case_search(st, &q, 50, collect, &f, &e), 1);
	/* with another word, every case again */
	ck_assert_int_eq(casequery_parse("77 李", &q, why, sizeof why), 0);
	ck_assert(!casequery_only_short(&q));
	q.newest = 3;
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(store_case_search(st, &q, 50, collect, &f, &e), 1);
}
END_TEST

START_TEST(search_finds_the_official_number_and_changed_numbers)
{
	struct found f;
	char sql[256];

	three_cases();
	snprintf(sql, sizeof sql, "UPDATE cases SET official_no = 'SZ2026-000731' WHERE id = '%s'",
	         ls.id);
	exec_sql(sql);
	ck_assert_int_eq(search("000731", &f), 1);
	ck_assert_str_eq(f.no[0], ls.case_no);
	ck_assert_int_eq(search("sz2026", &f), 1); /* letters and digits: trigram, any case */
}
END_TEST

START_TEST(search_of_a_whole_number_matches_all_of_it)
{
	struct found f;
	char other[64], sql[256];

	three_cases();
	/* the index finds the cases of the number's date; the whole number decides */
	ck_assert_int_eq(search(zs.case_no, &f), 1);
	ck_assert_str_eq(f.no[0], zs.case_no);
	str_copy(other, sizeof other, zs.case_no);
	other[0] = other[0] == 'K' ? 'J' : 'K'; /* the same day and counter, another hall */
	ck_assert_int_eq(search(other, &f), 0);
	snprintf(sql, sizeof sql, "UPDATE cases SET official_no = 'SZ2026-000731' WHERE id = '%s'",
	         ls.id);
	exec_sql(sql);
	ck_assert_int_eq(search("sz2026-000731", &f), 1); /* any case, as the index */
	ck_assert_str_eq(f.no[0], ls.case_no);
	ck_assert_int_eq(search("SZ2027-000731", &f), 0);
}
END_TEST

static void initials_of(void *arg, const char *name, char *out, size_t n)
{
	pinyin_name_initials(arg, name, out, n);
}

START_TEST(initials_of_upgraded_cases_are_filled_once)
{
	struct found f;
	struct err e = {0};

	three_cases();
	exec_sql("UPDATE cases SET initials = ''");
	exec_sql("UPDATE cases SET applicant_name = 'Ann', initials = '' WHERE applicant_name = "
	         "'李四'");
	ck_assert_int_eq(search("zs", &f), 0);
	ck_assert_int_eq(store_case_fill_initials(st, initials_of, fx.cat->pinyin, &e), 3);
	ck_assert_int_eq(search("zs", &f), 1);
	ck_assert_int_eq(search("ann", &f), 1);
	ck_assert_int_eq(store_case_fill_initials(st, initials_of, fx.cat->pinyin, &e), 0);
	exec_sql(
	    "UPDATE cases SET applicant_name = '·', initials = '' WHERE applicant_name = 'Ann'");
	ck_assert_int_eq(store_case_fill_initials(st, initials_of, fx.cat->pinyin, &e), 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE initials = '-'"), 1);
	ck_assert_int_eq(store_case_fill_initials(st, initials_of, fx.cat->pinyin, &e), 0);
}
END_TEST

/* ---- decisions after the counter and their marks ---------------------------- */

static int decide(const struct decision *d, const char *id, const struct decision_input *extra)
{
	struct err e = {0};
	int rc = tbfixture_decide_with(&fx, d, id, extra, &e);

	if (rc < 0)
		fprintf(stderr, "%s: %s\n", d->name, e.msg);
	return rc;
}

static void get(const char *id, struct case_row *r)
{
	struct err e = {0};

	ck_assert_int_eq(store_case_get(st, id, r, &e), 1);
}

/* The back office's decision, as a pull brings it. */
static void approve(const char *id)
{
	char sql[512];

	snprintf(sql, sizeof sql,
	         "UPDATE cases SET state = 'approved', done_on = '2026-11-20' WHERE id = '%s'", id);
	exec_sql(sql);
}

START_TEST(release_checks_the_collector_and_marks_the_case)
{
	struct decision_release rel = {
	    RELEASE_PICKUP, "张三", "110105194912310021", "", "", false, "", "", ""};
	struct decision_input x;
	struct case_row r;
	char *text = NULL;
	struct err e = {0};

	three_cases();
	memset(&x, 0, sizeof x);
	x.rating = -1;
	x.release = &rel;
	ck_assert_int_eq(decide(&decision_release, zs.id, &x), -1); /* still accepted */
	approve(zs.id);
	ck_assert_int_eq(decide(&decision_release, zs.id, &x), -1); /* someone else's ID */
	rel.collector_id = "11010519491231002x";                    /* the applicant's, any case */
	ck_assert_int_eq(decide(&decision_release, zs.id, &x), 0);
	get(zs.id, &r);
	ck_assert_str_eq(r.state, "released");
	ck_assert_int_eq((int)strlen(r.released_on), 10);
	ck_assert_int_eq(store_notice_latest(st, zs.id, "release", &text, NULL, 0, &e), 1);
	ck_assert_msg(strstr(text, "送达回证") && strstr(text, "窗口领取") && strstr(text, "张三"),
	              "%s", text);
	ck_assert_msg(strstr(text, "11010519491231002X") == NULL, "ID not masked:\n%s", text);
	free(text);
	/* mail needs its three values; an agent needs the letter */
	approve(oyx.id);
	rel.method = RELEASE_MAIL;
	rel.courier = "中国邮政EMS";
	rel.tracking_no = "";
	rel.address = "示例市示例路1号";
	ck_assert_int_eq(decide(&decision_release, oyx.id, &x), -1);
	rel.method = RELEASE_PICKUP;
	rel.collector_name = "赵六";
	rel.collector_id = "110105195001010011";
	rel.agent_name = "赵六";
	rel.agent_id = "110105195001010011";
	ck_assert_int_eq(decide(&decision_release, oyx.id, &x), -1);
	rel.letter = true;
	ck_assert_int_eq(decide(&decision_release, oyx.id, &x), 0);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM events WHERE type = 'released' AND"
	                           " json_extract(body, '$.payload.collector_is_agent')"),
	                 1);
}
END_TEST

START_TEST(a_bad_rating_opens_a_follow_up_that_a_note_closes)
{
	struct decision_release rel = {RELEASE_ELECTRONIC, "", "", "", "", false, "", "", ""};
	struct decision_input x;
	struct case_row r;

	three_cases();
	approve(zs.id);
	memset(&x, 0, sizeof x);
	x.release = &rel;
	x.rating = -1;
	ck_assert_int_eq(decide(&decision_release, zs.id, &x), 0);
	x.rating = 7;
	ck_assert_int_eq(decide(&decision_rate, zs.id, &x), -1);
	x.rating = 2; /* 不满意 */
	x.comment = "等候时间太长";
	ck_assert_int_eq(decide(&decision_rate, zs.id, &x), 0);
	get(zs.id, &r);
	ck_assert_int_eq(r.rating, 2);
	ck_assert(r.follow_up_open);
	ck_assert_int_eq((int)strlen(r.follow_up_due), 10);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM events WHERE type = 'rated' AND"
	                           " json_extract(body, '$.payload.comment') = '等候时间太长'"),
	                 1);
	/* closing needs a note */
	x.note = "";
	ck_assert_int_eq(decide(&decision_follow_up, zs.id, &x), -1);
	x.note = "已增加取号窗口，电话回访申请人";
	ck_assert_int_eq(decide(&decision_follow_up, zs.id, &x), 0);
	get(zs.id, &r);
	ck_assert(!r.follow_up_open);
	ck_assert_str_eq(r.state, "released");
	/* a good rating or a declined one opens nothing */
	approve(oyx.id);
	x.rating = -1;
	ck_assert_int_eq(decide(&decision_release, oyx.id, &x), 0);
	x.rating = 0;
	ck_assert_int_eq(decide(&decision_rate, oyx.id, &x), 0);
	get(oyx.id, &r);
	ck_assert_int_eq(r.rating, 0);
	ck_assert(!r.follow_up_open);
}
END_TEST

START_TEST(a_supplement_overdue_can_be_closed_as_withdrawn)
{
	struct decision_input x;
	struct case_row r;
	char *text = NULL;
	struct err e = {0};

	three_cases(); /* 李四 waits for a supplement */
	memset(&x, 0, sizeof x);
	x.rating = -1;
	ck_assert_int_eq(decide(&decision_withdraw, ls.id, &x), -1); /* not yet due */
	get(ls.id, &r);
	ck_assert_int_eq((int)strlen(r.supply_by), 10);
	setenv("TONGBAN_FAKE_CLOCK_OFFSET", "5184000", 1); /* 60 days later */
	ck_assert_int_eq(decide(&decision_withdraw, ls.id, &x), 0);
	get(ls.id, &r);
	ck_assert_str_eq(r.state, "withdrawn");
	ck_assert_int_eq((int)strlen(r.done_on), 10);
	ck_assert_int_eq(store_notice_latest(st, ls.id, "withdrawal", &text, NULL, 0, &e), 1);
	ck_assert_msg(strstr(text, "视为放弃") && strstr(text, "李四"), "%s", text);
	free(text);
}
END_TEST

START_TEST(the_acceptance_after_a_supplement_keeps_the_application_date)
{
	struct decision_input x;
	char *text = NULL, day[64];
	struct err e = {0};
	struct tb_date today = tb_date_from_time_shanghai(store_clock_now());

	three_cases();
	memset(&x, 0, sizeof x);
	x.rating = -1;
	setenv("TONGBAN_FAKE_CLOCK_OFFSET", "172800", 1); /* two days later */
	ck_assert_int_eq(decide(&decision_accept, ls.id, &x), 0);
	ck_assert_int_eq(store_notice_latest(st, ls.id, "acceptance", &text, NULL, 0, &e), 1);
	snprintf(day, sizeof day, "于%d年%d月%d日提出的", today.y, today.m, today.d);
	ck_assert_msg(strstr(text, day) != NULL, "%s not in\n%s", day, text);
	free(text);
}
END_TEST

START_TEST(verification_marks_verified_or_the_credit_record)
{
	struct case_row a, b, r;
	struct decision_input x;

	make(&decision_commit, TBFIX_COMMIT_ITEM, "张三", "11010519491231002X", "13800138000", &a);
	make(&decision_commit, TBFIX_COMMIT_ITEM, "李四", "110105194912310021", "13911112222", &b);
	memset(&x, 0, sizeof x);
	x.rating = -1;
	ck_assert_int_eq(decide(&decision_confirm, a.id, &x), 0);
	get(a.id, &r);
	ck_assert(r.verified);
	ck_assert_str_eq(r.outcome, "committed");
	x.reason = "现场核查发现未安装燃气泄漏报警器";
	ck_assert_int_eq(decide(&decision_revoke, b.id, &x), 0);
	get(b.id, &r);
	ck_assert(r.credit_record);
	ck_assert_str_eq(r.state, "revoked");
	ck_assert_int_eq((int)strlen(r.done_on), 10);
}
END_TEST

/* ---- the queue -------------------------------------------------------------- */

static struct queue_case qc(const struct case_row *r)
{
	struct queue_case c = {r->state,
	                       r->outcome,
	                       r->received_on,
	                       r->due_date,
	                       r->supply_by,
	                       r->commit_due,
	                       r->follow_up_due,
	                       r->done_on,
	                       r->verified,
	                       r->follow_up_open,
	                       r->green_cert[0] != '\0',
	                       0,
	                       0,
	                       NULL,
	                       NULL,
	                       NULL};
	return c;
}

START_TEST(queue_groups_cases_by_what_they_need)
{
	struct case_row a, r;
	struct queue_entry q;
	struct queue_case c;
	struct tb_date today = tb_date_from_time_shanghai(store_clock_now()), later;

	three_cases();
	make(&decision_commit, TBFIX_COMMIT_ITEM, "王五", "110105194912310021", "13911112222", &a);
	/* accepted, 3 working days left: nothing to do yet with yellow at 1 */
	get(zs.id, &r);
	c = qc(&r);
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 1, &q), 0);
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_YELLOW);
	ck_assert_int_eq(q.days, 3);
	/* the same case past its date (3 working days): red, with the days */
	ck_assert_msg(tb_date_parse(r.due_date, &later) == 0, "no due date '%s'", r.due_date);
	ck_assert_int_eq(queue_classify(&c, fx.cal, later, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_YELLOW);
	ck_assert_msg(strstr(q.why, "今日") != NULL, "%s", q.why);
	later = tb_date_add_days(later, 3);
	ck_assert_int_eq(queue_classify(&c, fx.cal, later, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_RED);
	ck_assert_int_gt(q.days, 0);
	ck_assert_msg(strstr(q.why, "逾期") != NULL, "%s", q.why);
	/* awaiting a supplement: the days waited, then overdue */
	get(ls.id, &r);
	c = qc(&r);
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_SUPPLY);
	ck_assert_int_eq(q.days, 0);
	ck_assert_int_eq(tb_date_parse(r.supply_by, &later), 0);
	ck_assert_int_eq(queue_classify(&c, fx.cal, tb_date_add_days(later, 1), 3, &q), 1);
	ck_assert_int_eq(q.group, QG_SUPPLY_OVERDUE);
	/* accepted on commitment and approved: handed out, then verified once
	 * its commitment is overdue (before the results to hand out) */
	approve(a.id);
	get(a.id, &r);
	c = qc(&r);
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_RELEASE);
	ck_assert_int_eq(tb_date_parse(r.commit_due, &later), 0);
	ck_assert_int_eq(queue_classify(&c, fx.cal, tb_date_add_days(later, 1), 0, &q), 1);
	ck_assert_int_eq(q.group, QG_VERIFY);
	ck_assert_msg(strstr(q.why, "已过") != NULL, "%s", q.why);
	/* decided by the back office: hand it out */
	approve(oyx.id);
	get(oyx.id, &r);
	c = qc(&r);
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_RELEASE);
	ck_assert_str_eq(queue_group_label(QG_RELEASE), "待出件");
}
END_TEST

static int count_row(void *arg, const struct case_row *r)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

START_TEST(open_cases_are_the_queue_candidates)
{
	struct case_row a, rf;
	struct decision_input x;
	struct err e = {0};
	int n = 0;

	three_cases();
	make(&decision_refuse, TBFIX_ITEM, "赵六", "110105194912310021", "13911112222", &rf);
	make(&decision_commit, TBFIX_COMMIT_ITEM, "王五", "110105194912310021", "13911112222", &a);
	ck_assert_int_eq(store_case_open(st, count_row, &n, &e), 4); /* not the refused one */
	memset(&x, 0, sizeof x);
	x.rating = -1;
	ck_assert_int_eq(decide(&decision_confirm, a.id, &x), 0);
	n = 0;
	ck_assert_int_eq(store_case_open(st, count_row, &n, &e), 4); /* still accepted */
	ck_assert_int_eq(n, 4);
}
END_TEST

/* ---- the case's history and the record of who saw what --------------------- */

struct seen {
	char types[8][32];
	int n, synced;
};

static int history(void *arg, const struct case_history *h)
{
	struct seen *s = arg;

	if (s->n < 8)
		str_copy(s->types[s->n], sizeof s->types[0], h->type);
	s->n++;
	s->synced += h->synced;
	ck_assert(h->payload[0] == '{');
	ck_assert_str_eq(h->clerk, "demo");
	return 0;
}

static int notice_count(void *arg, const struct notice_row *n)
{
	ck_assert(n->text[0] != '\0');
	++*(int *)arg;
	return 0;
}

START_TEST(history_lists_every_event_and_whether_it_was_sent)
{
	struct seen s;
	struct err e = {0};
	struct decision_input x;
	int notices = 0;
	char sql[256];

	three_cases();
	memset(&x, 0, sizeof x);
	x.rating = -1;
	ck_assert_int_eq(decide(&decision_accept, ls.id, &x), 0); /* after the supplement */
	x.note = "申请人来电询问进度";
	ck_assert_int_eq(decide(&decision_note, ls.id, &x), 0);
	snprintf(sql, sizeof sql,
	         "UPDATE outbox SET state = 'sent' WHERE event_uuid IN (SELECT uuid FROM events"
	         " WHERE case_id = '%s' AND seq <= 2)",
	         ls.id);
	exec_sql(sql);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(store_case_history(st, ls.id, history, &s, &e), 5);
	ck_assert_str_eq(s.types[0], "created");
	ck_assert_str_eq(s.types[1], "notice_issued");
	ck_assert_str_eq(s.types[2], "supplemented");
	ck_assert_str_eq(s.types[3], "accepted");
	ck_assert_str_eq(s.types[4], "note");
	ck_assert_int_eq(s.synced, 2);
	ck_assert_int_eq(store_notice_list(st, ls.id, notice_count, &notices, &e), 2);
	ck_assert_int_eq(notices, 2);
	ck_assert_int_eq(store_audit_add(st, "demo", ls.id, "reveal", "id_number,phone", &e), 0);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM audit WHERE clerk = 'demo' AND"
	                           " what = 'reveal'"),
	                 1);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("casework");
	TCase *q = tcase_create("query"), *t = tcase_create("store");

	tcase_add_test(q, query_words_take_the_kind_that_fits_them);
	tcase_add_test(q, query_dates_are_days_months_and_ranges);
	tcase_add_test(q, query_long_words_are_cut_on_a_character);
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, search_finds_by_id_phone_name_initials_number_item_and_date);
	tcase_add_test(t, search_stops_at_the_maximum_newest_first);
	tcase_add_test(t, search_finds_the_official_number_and_changed_numbers);
	tcase_add_test(t, a_lone_short_word_looks_only_at_the_newest_when_asked);
	tcase_add_test(t, search_of_a_whole_number_matches_all_of_it);
	tcase_add_test(t, initials_of_upgraded_cases_are_filled_once);
	tcase_add_test(t, release_checks_the_collector_and_marks_the_case);
	tcase_add_test(t, a_bad_rating_opens_a_follow_up_that_a_note_closes);
	tcase_add_test(t, a_supplement_overdue_can_be_closed_as_withdrawn);
	tcase_add_test(t, the_acceptance_after_a_supplement_keeps_the_application_date);
	tcase_add_test(t, verification_marks_verified_or_the_credit_record);
	tcase_add_test(t, queue_groups_cases_by_what_they_need);
	tcase_add_test(t, open_cases_are_the_queue_candidates);
	tcase_add_test(t, history_lists_every_event_and_whether_it_was_sent);
	suite_add_tcase(s, q);
	suite_add_tcase(s, t);
	return tbcheck_run(s);
}
