/*
 * tbgen.c - a hall's 100,000 local cases for the benchmarks (bench_search,
 * bench_lowend): the schema by store_open, then one transaction of direct
 * inserts into cases (their trigger fills the trigram index case_text): two
 * years of a hall's working days up to TBGEN_LAST_DAY, names, numbers and
 * items drawn from fixed pseudo-random mixes, so that every run makes the
 * same cases.
 */
#include "tbgen.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/event.h"
#include "core/idcard.h"
#include "core/pinyin.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "store/store.h"
#include "tbcheck.h"

#define GEN_DAYS   730 /* calendar days, weekends left out */
#define N_WINDOWS  8
#define N_UNSYNCED 300                   /* the newest cases: no official number yet */
#define SAMPLE_AT  (TBGEN_CASES * 2 / 3) /* the case whose numbers are typed */

/* ---- what the cases are made of ---- */

/* The common surnames, weight in hundredths of a percent of the population. */
static const struct {
	const char *name;
	int weight;
} surnames[] = {
    {"王", 710}, {"李", 700}, {"张", 670}, {"刘", 540}, {"陈", 460}, {"杨", 310}, {"黄", 230},
    {"赵", 220}, {"吴", 200}, {"周", 190}, {"徐", 140}, {"孙", 140}, {"马", 120}, {"朱", 110},
    {"胡", 100}, {"郭", 97},  {"何", 90},  {"林", 87},  {"高", 85},  {"罗", 84},  {"郑", 80},
    {"梁", 70},  {"谢", 60},  {"宋", 53},  {"唐", 50},  {"许", 48},  {"韩", 46},  {"冯", 45},
    {"邓", 44},  {"曹", 43},  {"彭", 41},  {"曾", 40},  {"肖", 40},  {"田", 36},  {"董", 35},
    {"袁", 34},  {"潘", 33},  {"于", 32},  {"蒋", 32},  {"蔡", 31},  {"余", 30},  {"杜", 29},
    {"叶", 28},  {"程", 27},  {"苏", 27},  {"魏", 26},  {"吕", 25},  {"丁", 25},  {"任", 24},
    {"沈", 23},  {"姚", 22},  {"卢", 22},  {"姜", 21},  {"崔", 20},  {"钟", 20},  {"谭", 19},
    {"陆", 19},  {"汪", 18},  {"范", 18},  {"金", 17},  {"石", 17},  {"廖", 16},  {"贾", 16},
    {"夏", 15},  {"韦", 15},  {"付", 15},  {"方", 14},  {"白", 14},  {"邹", 14},  {"孟", 13},
    {"熊", 13},  {"秦", 13},  {"邱", 13},  {"江", 12},  {"尹", 12},  {"薛", 12},  {"闫", 11},
    {"段", 11},  {"雷", 11},  {"侯", 11},  {"龙", 11},  {"史", 10},  {"陶", 10},  {"黎", 10},
    {"贺", 10},  {"顾", 10},  {"毛", 10},  {"郝", 10},  {"龚", 10},  {"邵", 10},  {"万", 10},
    {"钱", 10},  {"严", 10},  {"武", 9},   {"戴", 9},   {"莫", 9},   {"孔", 9},   {"汤", 9},
};
static const char *const compound_surnames[] = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫",
                                                "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙"};
/* One hanzi (3 bytes of UTF-8) each. */
static const char given_chars[] =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文飞斌宇浩凯健俊帆帅旭宁"
    "龙林欣佳怡婷雪梅琳晨阳子涵轩博睿思雨瑞鑫嘉晓志海波春燕荣慧颖倩琴云峰亮成东立新永德金松亚"
    "丹青晶莉洁凤淑珍秀兵昊然梓萱诗琪一诺泽宏";
static const char *const cities[] = {"杭州", "宁波", "温州", "绍兴",
                                     "嘉兴", "湖州", "金华", "台州"};
static const char *const brands[] = {"恒信", "华达", "鑫源", "宏远", "中天",   "金鼎",
                                     "汇通", "瑞丰", "永安", "东方", "新世纪", "盛世"};
static const char *const trades[] = {"建筑工程", "装饰工程", "商贸", "餐饮管理",   "物流",
                                     "科技",     "环境工程", "建材", "房地产开发", "物业管理"};
static const char *const mobile_prefixes[] = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "178",
    "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the database ---- */

struct gen {
	sqlite3 *db;
	sqlite3_stmt *ins;
	const struct catalogue *cat;
	uint64_t rng;
	char (*regions)[7]; /* prefecture codes NNNN00 of data/regions.tsv */
	size_t n_regions;
	double *item_cum; /* cumulative weights of the items */
	struct tb_date days[GEN_DAYS];
	int n_days, surname_total;
	int day, day_cases; /* the working day being filled, its cases so far */
	int window_seq[N_WINDOWS + 1], official_seq, official_year;
	struct tbgen_sample sample;
};

/* xorshift64*: the same cases on every run. */
static uint32_t rnd(struct gen *g, uint32_t n)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (uint32_t)((g->rng * 2685821657736338717ull) >> 32) % n;
}

static void pick_given(struct gen *g, char *out, size_t n, int chars)
{
	size_t n_given = (sizeof given_chars - 1) / 3, len = strlen(out);
	int i;

	for (i = 0; i < chars && len + 3 < n; i++, len += 3)
		memcpy(out + len, given_chars + 3 * rnd(g, (uint32_t)n_given), 3);
	out[len] = '\0';
}

static const char *pick_surname(struct gen *g)
{
	int r = (int)rnd(g, (uint32_t)g->surname_total);
	size_t i;

	for (i = 0; i + 1 < N_OF(surnames) && r >= surnames[i].weight; i++)
		r -= surnames[i].weight;
	return surnames[i].name;
}

/* A person's name: 1% a compound surname; a given name of 1 (25%) or 2 characters. */
static void person_name(struct gen *g, char *out, size_t n)
{
	const char *surname =
	    rnd(g, 100) == 0 ? compound_surnames[rnd(g, N_OF(compound_surnames))] : pick_surname(g);

	str_copy(out, n, surname);
	pick_given(g, out, n, rnd(g, 4) == 0 ? 1 : 2);
}

/* 18 characters: a county of a listed prefecture, a birth day 1950-2004, a
 * sequence number and the check character (an X one time in eleven). */
static void person_id(struct gen *g, char out[20])
{
	struct tb_date birth =
	    tb_date_add_days((struct tb_date){1950, 1, 1}, (int)rnd(g, 55 * 365));

	snprintf(out, 20, "%.4s%02u%04d%02d%02d%03u", g->regions[rnd(g, (uint32_t)g->n_regions)],
	         1 + rnd(g, 18), birth.y, birth.m, birth.d, rnd(g, 1000));
	out[17] = idcard_check_char(out);
	out[18] = '\0';
}

/* A unified social credit code of a company (91...) with its check character. */
static void company_id(struct gen *g, char out[20])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	int i;

	snprintf(out, 20, "91%.4s%02u", g->regions[rnd(g, (uint32_t)g->n_regions)], 1 + rnd(g, 18));
	for (i = 8; i < 17; i++)
		out[i] = alphabet[rnd(g, sizeof alphabet - 1)];
	out[17] = '\0';
	out[17] = uscc_check_char(out);
	out[18] = '\0';
}

static void company_name(struct gen *g, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s有限公司", cities[rnd(g, N_OF(cities))],
	         brands[rnd(g, N_OF(brands))], trades[rnd(g, N_OF(trades))]);
}

static void mobile(struct gen *g, char out[16])
{
	snprintf(out, 16, "%s%04u%04u", mobile_prefixes[rnd(g, N_OF(mobile_prefixes))],
	         rnd(g, 10000), rnd(g, 10000));
}

/* Items weighted 1/(rank + 4): the busiest 9% of the cases, the quietest
 * 0.7%; the ranks shuffled over the catalogue. */
static const struct item *pick_item(struct gen *g)
{
	double r = (double)rnd(g, 1000000) / 1e6 * g->item_cum[g->cat->n_items - 1];
	size_t i;

	for (i = 0; i + 1 < g->cat->n_items && r >= g->item_cum[i]; i++)
		;
	return &g->cat->items[i];
}

/* Where a case stands on TBGEN_LAST_DAY: the counter's decision (3% refused,
 * 12% a one-time notice, 15% on commitment where the item allows it), then
 * by its age in progress, decided, released (and rated) or withdrawn. */
struct fate {
	const char *state, *outcome;
	char due[TB_DATE_LEN], done[TB_DATE_LEN], released[TB_DATE_LEN];
	int rating;
};

static void date_after(struct tb_date received, int days, char out[TB_DATE_LEN])
{
	tb_date_format(tb_date_add_days(received, days), out);
}

/* 好差评: a quarter not rated, a few declined or bad, most good. */
static int pick_rating(struct gen *g)
{
	int r = (int)rnd(g, 100);

	if (r < 25)
		return -1;
	if (r < 28)
		return 0;
	return r < 30 ? 1 + (int)rnd(g, 3) : 4 + (int)rnd(g, 2);
}

/* Accepted: in progress until the promised day (days after received), then
 * decided and mostly collected within 10 days. */
static void fate_accepted(struct gen *g, struct fate *f, struct tb_date received, int age, int days)
{
	bool commitment = strcmp(f->outcome, "committed") == 0;
	int r = (int)rnd(g, 100), collected = days + (int)rnd(g, 10);

	date_after(received, days, f->due);
	if (age < days) {
		f->state = r < 50 ? "in_review" : commitment ? "accepted_commitment" : "accepted";
		return;
	}
	date_after(received, days, f->done);
	if (r < 4) {
		f->state = "denied";
	} else if (commitment && r < 6) {
		f->state = "revoked";
	} else if (age < collected) {
		f->state = "approved";
	} else {
		f->state = "released";
		date_after(received, collected, f->released);
		f->rating = pick_rating(g);
	}
}

static void case_fate(struct gen *g, struct tb_date received, int age, const struct item *it,
                      struct fate *f)
{
	int r = (int)rnd(g, 100), days = it->promised_days * 7 / 5;
	bool notice = r >= 3 && r < 15;

	memset(f, 0, sizeof *f);
	f->rating = -1;
	f->outcome = r < 3                      ? "refused"
	             : notice                   ? "notice"
	             : r < 30 && it->commitment ? "committed"
	                                        : "accepted";
	if (age < 2 && rnd(g, 3) == 0) {
		f->state = "received";
		f->outcome = "";
	} else if (r < 3) {
		f->state = "refused";
		date_after(received, 0, f->done);
	} else if (notice && age < 15) {
		f->state = "awaiting_supplement";
	} else if (notice && rnd(g, 5) == 0) {
		f->state = "withdrawn"; /* 视为放弃: no supplement in 15 days */
		date_after(received, 15, f->done);
	} else {
		fate_accepted(g, f, received, age, notice ? days + 5 : days);
	}
}

/* Case i's day (the cases spread evenly over the working days) and time (from
 * 08:30, one every 140 s), window, case number and official number. */
static void case_numbers(struct gen *g, int i, char no[64], char official[32], char window[4],
                         char when[32], struct tb_date *day)
{
	int d = (int)((long long)i * g->n_days / TBGEN_CASES), w = 1 + (int)rnd(g, N_WINDOWS);
	char ymd[16];

	if (i == 0 || d != g->day) {
		memset(g->window_seq, 0, sizeof g->window_seq);
		g->day = d, g->day_cases = 0;
	}
	*day = g->days[d];
	/* 08:30 in the hall is 00:30 UTC */
	time_iso_shanghai((time_t)tb_date_to_days(*day) * 86400 + 1800 + g->day_cases++ * 140,
	                  when);
	snprintf(ymd, sizeof ymd, "%04d%02d%02d", day->y, day->m, day->d);
	snprintf(window, 4, "%d", w);
	case_no_make(no, 64, "H001", window, "T01", ymd, ++g->window_seq[w]);
	if (day->y != g->official_year)
		g->official_year = day->y, g->official_seq = 0;
	official[0] = '\0';
	if (i < TBGEN_CASES - N_UNSYNCED)
		snprintf(official, 32, "H001-%04d-%06d", day->y, ++g->official_seq);
}

/* The numbers of case SAMPLE_AT, and the first names of each kind from there. */
static void keep_sample(struct gen *g, int i, const char *no, const char *official,
                        const char *name, const char *id, const char *phone, struct tb_date day,
                        bool person)
{
	struct tbgen_sample *s = &g->sample;
	size_t chars = utf8_count(name), k;
	bool compound = false;

	for (k = 0; k < N_OF(compound_surnames); k++)
		compound |= strncmp(name, compound_surnames[k], strlen(compound_surnames[k])) == 0;

	if (i == SAMPLE_AT) {
		str_copy(s->case_no, sizeof s->case_no, no);
		str_copy(s->official_no, sizeof s->official_no, official);
		str_copy(s->id_number, sizeof s->id_number, id);
		str_copy(s->phone, sizeof s->phone, phone);
		tb_date_format(day, s->received_on);
	}
	if (i < SAMPLE_AT || !person)
		return;
	if (!s->name2[0] && chars == 2)
		str_copy(s->name2, sizeof s->name2, name);
	if (!s->name3[0] && chars == 3 && !compound)
		str_copy(s->name3, sizeof s->name3, name);
	if (!s->compound[0] && compound)
		str_copy(s->compound, sizeof s->compound, name);
}

static int insert(sqlite3_stmt *s, const char *const *v, int n)
{
	int i;

	sqlite3_reset(s);
	for (i = 0; i < n; i++)
		sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_TRANSIENT);
	return sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
}

/* Case i, the i-th received in GEN_DAYS: 92% people, 8% companies. */
static int gen_case(struct gen *g, int i)
{
	char id[40], no[64], official[32], window[4], when[32], name[96], idno[20], phone[16];
	char initials[64], fields[512], rating[8];
	bool person = rnd(g, 100) < 92;
	const struct item *it = pick_item(g);
	struct tb_date day;
	struct fate f;
	char received[TB_DATE_LEN];

	case_numbers(g, i, no, official, window, when, &day);
	if (person) {
		person_name(g, name, sizeof name);
		person_id(g, idno);
	} else {
		company_name(g, name, sizeof name);
		company_id(g, idno);
	}
	mobile(g, phone);
	pinyin_name_initials(g->cat->pinyin, name, initials, sizeof initials);
	case_fate(g, day, (int)(tb_date_to_days(g->days[g->n_days - 1]) - tb_date_to_days(day)), it,
	          &f);
	keep_sample(g, i, no, official, name, idno, phone, day, person);
	snprintf(id, sizeof id, "%08x-%04x-4000-8000-%012x", (unsigned)i, rnd(g, 65536),
	         (unsigned)i * 104729u);
	snprintf(fields, sizeof fields,
	         "{\"name\":\"%s\",\"id_number\":\"%s\",\"phone\":\"%s\",\"kind\":\"%s\"}", name,
	         idno, phone, person ? "person" : "organisation");
	snprintf(rating, sizeof rating, "%d", f.rating);
	tb_date_format(day, received);
	return insert(
	    g->ins, (const char *const[]){id,     no,       it->code, it->name,  name,   idno,
	                                  phone,  fields,   f.state,  "demo",    "H001", window,
	                                  when,   official, received, f.outcome, f.done, f.released,
	                                  rating, f.due,    initials},
	    21);
}

/* The prefecture codes (NNNN00, not NN0000) of data/regions.tsv. */
static int load_regions(struct gen *g, struct err *e)
{
	char *path = tbcheck_src_path("data/regions.tsv"), line[256];
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		err_set(e, "%s: cannot open", path);
		free(path);
		return -1;
	}
	while (fgets(line, sizeof line, f))
		if (line[0] >= '1' && line[0] <= '9' && strncmp(line + 4, "00", 2) == 0 &&
		    strncmp(line + 2, "00", 2) != 0) {
			g->regions =
			    xrealloc(g->regions, (g->n_regions + 1) * sizeof g->regions[0]);
			str_copy(g->regions[g->n_regions++], 7, line);
		}
	fclose(f);
	free(path);
	if (g->n_regions == 0)
		err_set(e, "data/regions.tsv: no prefecture codes");
	return g->n_regions ? 0 : -1;
}

/* The working days of the GEN_DAYS calendar days up to TBGEN_LAST_DAY; the
 * weights of the items and surnames. */
static void gen_tables(struct gen *g)
{
	struct tb_date last;
	size_t i;
	int k;

	tb_date_parse(TBGEN_LAST_DAY, &last);
	for (k = GEN_DAYS - 1; k >= 0; k--) {
		struct tb_date d = tb_date_add_days(last, -k);

		if (!tb_date_is_weekend(d))
			g->days[g->n_days++] = d;
	}
	g->item_cum = xmalloc(g->cat->n_items * sizeof g->item_cum[0]);
	for (i = 0; i < g->cat->n_items; i++)
		g->item_cum[i] =
		    (i ? g->item_cum[i - 1] : 0) + 1.0 / (4.0 + (double)(i * 17 % g->cat->n_items));
	for (i = 0; i < N_OF(surnames); i++)
		g->surname_total += surnames[i].weight;
}

/* The trigram index holds every case, and finds the sample's ID number. */
static int check_index(struct gen *g, struct err *e)
{
	sqlite3_stmt *s;
	int docs = -1, found = -1;

	if (sqlite3_prepare_v2(g->db,
	                       "SELECT (SELECT count(*) FROM case_text_docsize),"
	                       " (SELECT count(*) FROM case_text WHERE case_text MATCH ?1)",
	                       -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, g->sample.id_number, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		docs = sqlite3_column_int(s, 0), found = sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	if (docs != TBGEN_CASES || found < 1) {
		err_set(e, "the index case_text holds %d cases, finds %s %d times", docs,
		        g->sample.id_number, found);
		return -1;
	}
	return 0;
}

static const char insert_sql[] =
    "INSERT INTO cases (id, case_no, item_code, item_name, applicant_name, id_number, phone,"
    " fields, state, clerk_id, hall, window, last_seq, created_at, updated_at, official_no,"
    " received_on, outcome, done_on, released_on, rating, due_date, initials) VALUES (?1, ?2,"
    " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 2, ?13, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
    " ?20, ?21)";

/* The schema by store_open, then the cases in one transaction.  0, or -1
 * with e filled. */
static int gen_database(const char *path, struct gen *g, struct err *e)
{
	struct store *st = store_open(path, e);
	int i, rc = 0;

	if (st == NULL)
		return -1;
	store_close(st);
	gen_tables(g);
	if (sqlite3_open(path, &g->db) != SQLITE_OK ||
	    sqlite3_prepare_v2(g->db, insert_sql, -1, &g->ins, NULL) != SQLITE_OK ||
	    sqlite3_exec(g->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	for (i = 0; rc == 0 && i < TBGEN_CASES; i++)
		rc = gen_case(g, i);
	if (rc == 0 && sqlite3_exec(g->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	if (rc < 0)
		err_set(e, "%s: %s", path, sqlite3_errmsg(g->db));
	else
		rc = check_index(g, e);
	sqlite3_finalize(g->ins);
	sqlite3_close(g->db);
	return rc;
}

int tbgen_cases(const char *path, const struct catalogue *cat, struct tbgen_sample *sample,
                int *n_days, struct err *e)
{
	static struct gen g;
	int rc;

	memset(&g, 0, sizeof g);
	g.cat = cat;
	g.rng = 0x9e3779b97f4a7c15ull;
	rc = load_regions(&g, e) == 0 && gen_database(path, &g, e) == 0 ? 0 : -1;
	if (rc == 0 && sample)
		*sample = g.sample;
	if (rc == 0 && n_days)
		*n_days = g.n_days;
	free(g.regions);
	free(g.item_cum);
	return rc;
}
