/*
 * tests/integration/test_updates.c - the central catalogue and calendar
 * against a real tongband: an import on the server is announced by the
 * pull, downloaded, checked, kept, and chosen over the bundled files; a
 * broken bundled file or a broken answer never costs the last good copy.
 * A central catalogue past the 8 MiB of an ordinary answer comes through
 * sync whole; tongband sends it gzip when asked (checked on the wire) and
 * says "unchanged" to a current copy; an answer over the client's limit is
 * refused naming its size and the limit.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/i18n.h"
#include "core/paths.h"
#include "store/store.h"
#include "sync/agent.h"
#include "sync/data.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "sync/updates.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"
#include "tmpdir.h"

#define NEW_ITEM_CODE "999999999999"
#define NEW_ITEM_NAME "测试新增事项"
/* Items of the large central catalogue: the bundled ones again with codes of
 * their own, about 10 MB, past the 8 MiB an ordinary answer may be. */
#define BIG_ITEMS 7000
#define MIB       (1024 * 1024)

static struct tbserver *srv;
static struct store *st;
static char *dir, path[512], faults[512], token[128];

static void set_faults(const char *spec)
{
	struct err e = {0};

	ck_assert_msg(harness_write_file(faults, spec, strlen(spec), &e) == 0, "%s", e.msg);
}

static void setup(void)
{
	struct err e = {0};
	struct clerk clerk;

	dir = harness_tmpdir("tongban-updates", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	snprintf(faults, sizeof faults, "%s/faults", dir);
	set_faults("");
	setenv("TONGBAND_FAULTS_FILE", faults, 1);
	srv = tbserver_start_without_catalogue(&e); /* the tests import their own */
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &clerk, &e),
	                 LOGIN_ONLINE);
	ck_assert_int_eq(store_session_get(st, NULL, token, NULL, &e), 1);
}

static void teardown(void)
{
	store_close(st);
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
}

/* A bundled data file parsed as JSON.  Caller puts. */
static struct json_object *bundled_json(const char *name)
{
	char sub[64], *p;
	struct json_object *o;

	snprintf(sub, sizeof sub, "data/%s", name);
	p = tbcheck_src_path(sub);
	o = json_object_from_file(p);
	ck_assert_msg(o != NULL, "cannot read %s", p);
	free(p);
	return o;
}

/* Write o to dir/name; returns the path (static until the next call). */
static const char *write_json(const char *name, struct json_object *o)
{
	static char out[600];
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	                                                         JSON_C_TO_STRING_NOSLASHESCAPE);
	struct err e = {0};

	snprintf(out, sizeof out, "%s/%s", dir, name);
	ck_assert_msg(harness_write_file(out, text, strlen(text), &e) == 0, "%s", e.msg);
	return out;
}

/* The bundled catalogue with one more item, as version. */
static const char *catalogue_with_new_item(const char *version)
{
	struct json_object *o = bundled_json("catalogue.json"), *items, *copy = NULL;
	const char *file;

	ck_assert(json_object_object_get_ex(o, "items", &items));
	ck_assert_int_eq(json_object_deep_copy(json_object_array_get_idx(items, 0), &copy, NULL),
	                 0);
	json_object_object_add(copy, "code", json_object_new_string(NEW_ITEM_CODE));
	json_object_object_add(copy, "impl_code", json_object_new_string("TEST" NEW_ITEM_CODE));
	json_object_object_add(copy, "name", json_object_new_string(NEW_ITEM_NAME));
	json_object_array_add(items, copy);
	json_object_object_add(o, "version", json_object_new_string(version));
	file = write_json("catalogue-new.json", o);
	json_object_put(o);
	return file;
}

/* The bundled calendar with 2027 added, as version. */
static const char *calendar_with_2027(const char *version)
{
	struct json_object *o = bundled_json("calendar.json"), *years, *y, *hol, *range;
	const char *file;

	ck_assert(json_object_object_get_ex(o, "years", &years));
	y = json_object_new_object();
	json_object_object_add(y, "source", json_object_new_string("测试用 2027 年安排"));
	hol = json_object_new_array();
	range = json_object_new_array();
	json_object_array_add(range, json_object_new_string("2027-01-01"));
	json_object_array_add(range, json_object_new_string("2027-01-03"));
	json_object_array_add(hol, range);
	json_object_object_add(y, "holidays", hol);
	json_object_object_add(y, "workdays", json_object_new_array());
	json_object_object_add(years, "2027", y);
	json_object_object_add(o, "version", json_object_new_string(version));
	file = write_json("calendar-new.json", o);
	json_object_put(o);
	return file;
}

/* tongband import-catalogue / import-calendar FILE on the test server's database. */
static void server_import(const char *what, const char *file)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "'%s' import-%s --db '%s' '%s' >>'%s/import.log' 2>&1",
	         tbserver_bin(), what, tbserver_db(srv), file, dir);
	ck_assert_msg(system(cmd) == 0, "%s failed; see %s/import.log", cmd, dir);
}

/* Pull, then fetch: one round of the sync side, as the agent does it. */
static enum sync_result round_trip(struct update_report *r, struct err *e)
{
	struct sync_progress p;

	memset(&p, 0, sizeof p);
	ck_assert_msg(sync_pull(st, tbserver_url(srv), token, 100, &p, NULL, NULL, e) == SYNC_OK,
	              "%s", e->msg);
	return sync_fetch_updates(st, tbserver_url(srv), token, r, e);
}

/* data_choose with the source tree's data. */
static int choose(const char *root, struct catalogue **cat, struct calendar **cal, char *note,
                  size_t n)
{
	return data_choose(st, root ? root : tbcheck_env("TONGBAN_SRCDIR", "."), cat, cal, note, n);
}

static bool waiting(const char *what)
{
	bool cat = false, cal = false;

	ck_assert_int_eq(store_updates_waiting(st, &cat, &cal, NULL), 0);
	return strcmp(what, "catalogue") == 0 ? cat : cal;
}

START_TEST(a_new_central_catalogue_arrives_after_a_pull_and_is_used)
{
	struct update_report r;
	struct catalogue *cat;
	struct calendar *cal;
	struct err e = {0};
	char note[1024];

	/* nothing imported yet: the round is fine and the bundled file is used */
	ck_assert_msg(round_trip(&r, &e) == SYNC_OK, "%s", e.msg);
	ck_assert_str_eq(r.catalogue_version, "");
	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_eq(note, "");
	ck_assert_ptr_null(catalogue_find(cat, NEW_ITEM_CODE));
	ck_assert_int_eq(data_mark_in_use(st, cat, cal, &e), 0);
	ck_assert(!data_update_ready(st));
	catalogue_free(cat);
	cal_free(cal);

	server_import("catalogue", catalogue_with_new_item("2026.12.1"));
	ck_assert_msg(round_trip(&r, &e) == SYNC_OK, "%s", e.msg);
	ck_assert(r.catalogue_new);
	ck_assert_str_eq(r.catalogue_version, "2026.12.1");
	ck_assert(!waiting("catalogue"));
	ck_assert(data_update_ready(st));
	ck_assert(data_is_newer(st, "2026.11.1", NULL));

	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_eq(note, "");
	ck_assert_str_eq(cat->version, "2026.12.1");
	ck_assert_ptr_nonnull(catalogue_find(cat, NEW_ITEM_CODE));
	/* the pinyin table comes with it: initials search still works */
	{
		const struct item *found[4];

		ck_assert_uint_ge(catalogue_search(cat, "jzlj", found, 4), 1);
	}
	ck_assert_int_eq(data_mark_in_use(st, cat, cal, &e), 0);
	ck_assert(!data_update_ready(st));
	catalogue_free(cat);
	cal_free(cal);

	/* announced again with nothing new: "unchanged", nothing rewritten */
	ck_assert_int_eq(store_meta_set(st, "catalogue_update_waiting", "1", &e), 0);
	ck_assert_msg(sync_fetch_updates(st, tbserver_url(srv), token, &r, &e) == SYNC_OK, "%s",
	              e.msg);
	ck_assert(!r.catalogue_new);
	ck_assert_str_eq(r.catalogue_version, "2026.12.1");
	ck_assert(!waiting("catalogue"));
}
END_TEST

START_TEST(tongban_sync_downloads_the_catalogue_too)
{
	char cmd[2048], version[64] = "";

	server_import("catalogue", catalogue_with_new_item("2026.12.5"));
	store_close(st);
	st = NULL;
	snprintf(cmd, sizeof cmd, "'%s' --db='%s' --server='%s' sync >'%s/sync.out' 2>&1",
	         tbcheck_env("TONGBAN_BIN", "build/tongban"), path, tbserver_url(srv), dir);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
	{
		struct err e = {0};

		st = store_open(path, &e);
		ck_assert_msg(st != NULL, "%s", e.msg);
	}
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, NULL, NULL), 1);
	ck_assert_str_eq(version, "2026.12.5");
}
END_TEST

/* A data root of its own: the source tree's data with a catalogue to break. */
static char *private_root(void)
{
	char *root = xasprintf("%s/root", dir), *data = xasprintf("%s/data", root), *src, *dst;
	const char *files[] = {"calendar.json", "pinyin.tsv", "catalogue.json"};
	struct err e = {0};
	size_t i;

	ck_assert_msg(mkdir_p(data, &e) == 0, "%s", e.msg);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		char sub[64];
		size_t len;
		char *text;

		snprintf(sub, sizeof sub, "data/%s", files[i]);
		src = tbcheck_src_path(sub);
		dst = paths_join(root, sub);
		text = file_read_all(src, &len, 64u << 20, &e);
		ck_assert_msg(text != NULL, "%s", e.msg);
		ck_assert_msg(harness_write_file(dst, text, len, &e) == 0, "%s", e.msg);
		free(text);
		free(src);
		free(dst);
	}
	free(data);
	return root;
}

/* Break root's catalogue: the first item's legal_days becomes text. */
static void break_bundled_catalogue(const char *root)
{
	char *p = paths_join(root, "data/catalogue.json");
	struct json_object *o = json_object_from_file(p), *items;

	ck_assert(json_object_object_get_ex(o, "items", &items));
	json_object_object_add(json_object_array_get_idx(items, 0), "legal_days",
	                       json_object_new_string("三天"));
	ck_assert_int_eq(json_object_to_file(p, o), 0);
	json_object_put(o);
	free(p);
}

START_TEST(a_broken_bundled_catalogue_falls_back_to_the_last_good_copy)
{
	char *root = private_root(), note[1024];
	struct catalogue *cat;
	struct calendar *cal;

	/* a good start keeps the bundled file */
	ck_assert_int_eq(choose(root, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_eq(note, "");
	catalogue_free(cat);
	cal_free(cal);

	break_bundled_catalogue(root);
	ck_assert_int_eq(choose(root, &cat, &cal, note, sizeof note), 0);
	ck_assert_ptr_nonnull(cat);
	ck_assert_str_eq(cat->version, "2026.11.1");
	ck_assert_ptr_nonnull(catalogue_find(cat, "000101001000"));
	/* the note names the file, the item and the field */
	ck_assert_msg(strstr(note, "root/data/catalogue.json") != NULL, "%s", note);
	ck_assert_msg(strstr(note, "000101001000") != NULL, "%s", note);
	ck_assert_msg(strstr(note, "legal_days") != NULL, "%s", note);
	ck_assert_msg(strstr(note, "last good copy") != NULL || strstr(note, "上次完好") != NULL,
	              "%s", note);
	catalogue_free(cat);
	cal_free(cal);

	/* a newer central copy wins over the last good bundled one */
	{
		struct update_report r;
		struct err e = {0};

		server_import("catalogue", catalogue_with_new_item("2026.12.1"));
		ck_assert_msg(round_trip(&r, &e) == SYNC_OK, "%s", e.msg);
	}
	ck_assert_int_eq(choose(root, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_eq(cat->version, "2026.12.1");
	/* only the newer copy is parsed (issue 13): the broken file is not read
	 * past its version while the central copy is newer, so nothing to tell */
	ck_assert_str_eq(note, "");
	catalogue_free(cat);
	cal_free(cal);
	free(root);
}
END_TEST

START_TEST(with_no_good_copy_anywhere_both_errors_are_told)
{
	char *root = private_root(), note[1024];
	struct catalogue *cat;
	struct calendar *cal;
	struct err e = {0};

	/* never loaded good on this database, and the stored central copy is broken */
	break_bundled_catalogue(root);
	ck_assert_int_eq(store_data_put(st, "catalogue", "2027.1.1", "{\"version\":", &e), 0);
	ck_assert_int_eq(choose(root, &cat, &cal, note, sizeof note), -1);
	ck_assert_ptr_null(cat);
	ck_assert_ptr_nonnull(cal);
	ck_assert_msg(strstr(note, "legal_days") != NULL, "%s", note);
	ck_assert_msg(strstr(note, "JSON") != NULL, "%s", note);
	cal_free(cal);
	free(root);
}
END_TEST

START_TEST(a_truncated_central_catalogue_is_refused_and_the_last_good_kept)
{
	struct update_report r;
	struct catalogue *cat;
	struct calendar *cal;
	struct err e = {0};
	char version[64], note[1024], stored_err[512] = "";

	server_import("catalogue", catalogue_with_new_item("2026.12.1"));
	ck_assert_msg(round_trip(&r, &e) == SYNC_OK, "%s", e.msg);
	ck_assert_str_eq(r.catalogue_version, "2026.12.1");

	server_import("catalogue", catalogue_with_new_item("2026.12.2"));
	set_faults("truncate=1:path=/v1/catalogue");
	ck_assert_int_eq(round_trip(&r, &e), SYNC_ERROR);
	ck_assert_msg(strstr(r.catalogue_error, "/v1/catalogue") != NULL, "%s", r.catalogue_error);
	ck_assert_msg(strstr(e.msg, "/v1/catalogue") != NULL, "%s", e.msg);
	ck_assert(!r.catalogue_new);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, NULL, NULL), 1);
	ck_assert_str_eq(version, "2026.12.1");
	ck_assert(waiting("catalogue")); /* asked again next round */
	ck_assert_int_eq(
	    store_meta_get(st, "catalogue_fetch_error", stored_err, sizeof stored_err, NULL), 1);
	ck_assert_msg(strstr(stored_err, "/v1/catalogue") != NULL, "%s", stored_err);
	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_eq(cat->version, "2026.12.1");
	catalogue_free(cat);
	cal_free(cal);

	/* the server mends: the next round takes the new version */
	set_faults("");
	ck_assert_msg(round_trip(&r, &e) == SYNC_OK, "%s", e.msg);
	ck_assert(r.catalogue_new);
	ck_assert_str_eq(r.catalogue_version, "2026.12.2");
	ck_assert(!waiting("catalogue"));
}
END_TEST

START_TEST(a_year_added_to_the_central_calendar_is_used)
{
	struct update_report r;
	struct catalogue *cat;
	struct calendar *cal;
	struct tb_date due, accepted = {2026, 12, 28};
	struct err e = {0};
	char note[1024];

	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert(!cal_has_year(cal, 2027));
	ck_assert_int_eq(data_mark_in_use(st, cat, cal, &e), 0);
	catalogue_free(cat);
	cal_free(cal);

	server_import("calendar", calendar_with_2027("2026-11-10"));
	ck_assert_msg(round_trip(&r, &e) == SYNC_OK, "%s", e.msg);
	ck_assert(r.calendar_new);
	ck_assert_str_eq(r.calendar_version, "2026-11-10");
	ck_assert(data_update_ready(st));

	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_eq(cal_version(cal), "2026-11-10");
	ck_assert(cal_has_year(cal, 2027));
	/* Mon 2026-12-28 + 5 working days: 29, 30, 31, then 1-3 Jan are off: 4, 5 Jan */
	ck_assert_msg(cal_add_workdays(cal, accepted, 5, NULL, 0, &due, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(due.y, 2027);
	ck_assert_int_eq(due.m, 1);
	ck_assert_int_eq(due.d, 5);
	catalogue_free(cat);
	cal_free(cal);
}
END_TEST

START_TEST(a_truncated_central_calendar_keeps_the_bundled_one)
{
	struct update_report r;
	struct catalogue *cat;
	struct calendar *cal;
	struct err e = {0};
	char note[1024];

	server_import("calendar", calendar_with_2027("2026-11-10"));
	set_faults("truncate=1:path=/v1/calendar");
	ck_assert_int_eq(round_trip(&r, &e), SYNC_ERROR);
	ck_assert_msg(strstr(r.calendar_error, "/v1/calendar") != NULL, "%s", r.calendar_error);
	ck_assert_int_eq(store_data_get(st, "calendar", NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert(!cal_has_year(cal, 2027));
	catalogue_free(cat);
	cal_free(cal);
}
END_TEST

START_TEST(the_agent_downloads_an_announced_catalogue_and_says_so)
{
	struct agent_status as;
	struct sync_agent *a;
	struct catalogue *cat;
	struct calendar *cal;
	struct err e = {0};
	char version[64] = "", note[1024];
	int i;

	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_int_eq(data_mark_in_use(st, cat, cal, &e), 0);
	catalogue_free(cat);
	cal_free(cal);
	server_import("catalogue", catalogue_with_new_item("2026.12.3"));
	a = sync_agent_start(path, tbserver_url(srv), &e);
	ck_assert_msg(a != NULL, "%s", e.msg);
	for (i = 0; i < 150; i++) {
		sync_agent_status(a, &as);
		if (as.updates_waiting && as.last_ok)
			break;
		usleep(100 * 1000);
	}
	sync_agent_status(a, &as);
	ck_assert_msg(as.updates_waiting, "last error: %s", as.last_error);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, NULL, NULL), 1);
	ck_assert_str_eq(version, "2026.12.3");

	/* the UI swaps it in: the next round has nothing to report */
	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_int_eq(data_mark_in_use(st, cat, cal, &e), 0);
	catalogue_free(cat);
	cal_free(cal);
	sync_agent_poke(a);
	for (i = 0; i < 150; i++) {
		sync_agent_status(a, &as);
		if (!as.updates_waiting)
			break;
		usleep(100 * 1000);
	}
	sync_agent_stop(a);
	ck_assert(!as.updates_waiting);
}
END_TEST

START_TEST(the_tui_starts_with_the_downloaded_catalogue)
{
	struct update_report r;
	struct err e = {0};
	struct term *t;

	server_import("catalogue", catalogue_with_new_item("2026.12.1"));
	ck_assert_msg(round_trip(&r, &e) == SYNC_OK, "%s", e.msg);
	t = tbcheck_tongban(path, tbserver_url(srv), "C.UTF-8", 24, 80);
	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, "999999");
	tbcheck_expect(t, NEW_ITEM_NAME);
	term_close(t);
}
END_TEST

/* The bundled items again and again up to n, each copy after the first
 * with a code of its own ("9" and the index), one item a line, as version.
 * Returns the path (static until the next call). */
static const char *big_catalogue(int n, const char *version)
{
	static char out[600];
	struct json_object *base = bundled_json("catalogue.json"), *items;
	size_t n_base, i;
	FILE *f;

	ck_assert(json_object_object_get_ex(base, "items", &items));
	n_base = json_object_array_length(items);
	snprintf(out, sizeof out, "%s/catalogue-big.json", dir);
	ck_assert_ptr_nonnull(f = fopen(out, "w"));
	fprintf(f, "{\"version\":\"%s\",\"items\":[\n", version);
	for (i = 0; i < (size_t)n; i++) {
		struct json_object *it = NULL;
		char code[32], impl[64];

		json_object_deep_copy(json_object_array_get_idx(items, i % n_base), &it, NULL);
		if (i >= n_base) {
			snprintf(code, sizeof code, "9%011zu", i);
			snprintf(impl, sizeof impl, "BIG-%zu", i);
			json_object_object_add(it, "code", json_object_new_string(code));
			json_object_object_add(it, "impl_code", json_object_new_string(impl));
		}
		fprintf(f, "%s%s\n", i ? "," : "",
		        json_object_to_json_string_ext(it, JSON_C_TO_STRING_PLAIN |
		                                               JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(it);
	}
	fputs("]}\n", f);
	ck_assert_int_eq(fclose(f), 0);
	json_object_put(base);
	return out;
}

static long file_size(const char *p)
{
	struct stat sb;

	ck_assert_int_eq(stat(p, &sb), 0);
	return (long)sb.st_size;
}

/* The tongban binary's sync on the test database (closed meanwhile). */
static void tongban_sync(void)
{
	char cmd[2048];
	struct err e = {0};

	store_close(st);
	snprintf(cmd, sizeof cmd, "'%s' --db='%s' --server='%s' sync >'%s/sync.out' 2>&1",
	         tbcheck_env("TONGBAN_BIN", "build/tongban"), path, tbserver_url(srv), dir);
	ck_assert_msg(system(cmd) == 0, "%s failed; see %s/sync.out", cmd, dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
}

START_TEST(a_central_catalogue_over_8_mib_comes_through_sync_and_is_used)
{
	const char *file = big_catalogue(BIG_ITEMS, "2027.1.1");
	char version[64] = "", note[1024], last[16];
	struct catalogue *cat;
	struct calendar *cal;
	struct err e = {0};
	char *body = NULL;

	ck_assert_int_gt(file_size(file), 8 * MIB);
	server_import("catalogue", file);
	tongban_sync();
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, &body, &e), 1);
	ck_assert_str_eq(version, "2027.1.1");
	ck_assert_int_eq((long)strlen(body), file_size(file)); /* stored as it came */
	free(body);
	ck_assert(!waiting("catalogue"));

	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_eq(cat->version, "2027.1.1");
	ck_assert_uint_eq(cat->n_items, BIG_ITEMS);
	snprintf(last, sizeof last, "9%011d", BIG_ITEMS - 1);
	ck_assert_ptr_nonnull(catalogue_find(cat, last));
	catalogue_free(cat);
	cal_free(cal);
}
END_TEST

/* One answer of GET path, its raw bytes as they came over the wire. */
struct wire {
	struct buf body;
	char encoding[32], vary[64], etag[80];
	long status;
};

static size_t wire_data(char *p, size_t size, size_t n, void *arg)
{
	buf_add(&((struct wire *)arg)->body, p, size * n);
	return size * n;
}

static void wire_header_copy(const char *line, size_t len, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);

	if (len <= nl || strncasecmp(line, name, nl) != 0)
		return;
	line += nl;
	len -= nl;
	while (len > 0 && *line == ' ') {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	snprintf(out, n, "%.*s", (int)len, line);
}

static size_t wire_header(char *p, size_t size, size_t n, void *arg)
{
	struct wire *w = arg;

	wire_header_copy(p, size * n, "content-encoding:", w->encoding, sizeof w->encoding);
	wire_header_copy(p, size * n, "vary:", w->vary, sizeof w->vary);
	wire_header_copy(p, size * n, "etag:", w->etag, sizeof w->etag);
	return size * n;
}

/* GET path with Accept-Encoding: accept (NULL: none sent), not decoded. */
static void wire_get(const char *request, const char *accept, struct wire *w)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[600], auth[200], ae[128];

	memset(w, 0, sizeof *w);
	buf_init(&w->body);
	snprintf(url, sizeof url, "%s%s", tbserver_url(srv), request);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	h = curl_slist_append(h, auth);
	if (accept) {
		snprintf(ae, sizeof ae, "Accept-Encoding: %s", accept);
		h = curl_slist_append(h, ae);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, wire_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, w);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, wire_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, w);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &w->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

/* gzip data[0..len) unpacked with zlib; fails the test when it is not a
 * whole gzip stream. */
static void gunzip(const char *data, size_t len, struct buf *out)
{
	z_stream z;
	char chunk[64 * 1024];
	int rc = Z_OK;

	memset(&z, 0, sizeof z);
	buf_init(out);
	ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	while (rc == Z_OK) {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof chunk;
		rc = inflate(&z, Z_NO_FLUSH);
		buf_add(out, chunk, sizeof chunk - z.avail_out);
	}
	ck_assert_int_eq(rc, Z_STREAM_END);
	ck_assert_uint_eq(z.avail_in, 0);
	inflateEnd(&z);
}

START_TEST(tongband_answers_gzip_when_asked_and_plain_when_not)
{
	const char *file = catalogue_with_new_item("2026.12.7");
	struct wire plain, packed, refused, any;
	struct buf unpacked;
	size_t len;
	struct err e = {0};
	char *text;

	server_import("catalogue", file);
	text = file_read_all(file, &len, 64 * MIB, &e);
	ck_assert_msg(text != NULL, "%s", e.msg);

	wire_get("/v1/catalogue", NULL, &plain);
	ck_assert_int_eq(plain.status, 200);
	ck_assert_str_eq(plain.encoding, "");
	ck_assert_str_eq(plain.vary, "Accept-Encoding");
	ck_assert_str_eq(plain.etag, "W/\"2026.12.7\"");
	ck_assert_uint_eq(plain.body.len, len);
	ck_assert(memcmp(plain.body.data, text, len) == 0); /* exactly as imported */

	wire_get("/v1/catalogue", "gzip", &packed);
	ck_assert_int_eq(packed.status, 200);
	ck_assert_str_eq(packed.encoding, "gzip");
	ck_assert_str_eq(packed.vary, "Accept-Encoding");
	ck_assert_uint_lt(packed.body.len, len / 4);
	ck_assert((unsigned char)packed.body.data[0] == 0x1f &&
	          (unsigned char)packed.body.data[1] == 0x8b);
	gunzip(packed.body.data, packed.body.len, &unpacked);
	ck_assert_uint_eq(unpacked.len, plain.body.len);
	ck_assert(memcmp(unpacked.data, plain.body.data, plain.body.len) == 0);

	wire_get("/v1/catalogue", "gzip;q=0, identity", &refused);
	ck_assert_str_eq(refused.encoding, "");
	ck_assert_uint_eq(refused.body.len, len);
	wire_get("/v1/catalogue", "deflate, *;q=0.5", &any);
	ck_assert_str_eq(any.encoding, "gzip");
	ck_assert_uint_eq(any.body.len, packed.body.len);

	buf_free(&plain.body);
	buf_free(&packed.body);
	buf_free(&refused.body);
	buf_free(&any.body);
	buf_free(&unpacked);
	free(text);
}
END_TEST

START_TEST(since_the_current_version_answers_unchanged)
{
	struct wire w, older;
	struct json_object *o, *v;

	server_import("catalogue", catalogue_with_new_item("2026.12.8"));
	wire_get("/v1/catalogue?since=2026.12.8", "gzip", &w);
	ck_assert_int_eq(w.status, 200);
	ck_assert_str_eq(w.encoding, "");
	o = json_tokener_parse(w.body.data);
	ck_assert_msg(o != NULL, "%s", w.body.data);
	ck_assert(json_object_object_get_ex(o, "unchanged", &v) && json_object_get_boolean(v));
	ck_assert(json_object_object_get_ex(o, "version", &v));
	ck_assert_str_eq(json_object_get_string(v), "2026.12.8");
	ck_assert(!json_object_object_get_ex(o, "items", &v));
	json_object_put(o);

	/* an older copy gets the whole catalogue */
	wire_get("/v1/catalogue?since=2026.11.1", NULL, &older);
	ck_assert_int_eq(older.status, 200);
	ck_assert_ptr_nonnull(strstr(older.body.data, NEW_ITEM_NAME));
	buf_free(&w.body);
	buf_free(&older.body);
}
END_TEST

/* Put a calendar of 9 MiB straight into the server's database (on either
 * backend), one that tongband import-calendar would refuse: a test of the
 * client's own limit. */
static void server_calendar_of_9_mib(void)
{
	char sql[600];
	struct err e = {0};

	snprintf(sql, sizeof sql,
	         "INSERT INTO documents (kind, version, body, updated_at) VALUES ('calendar',"
	         " '2099-01-01', '{\"version\":\"2099-01-01\",\"years\":{},\"pad\":\"' || %s ||"
	         " '\"}', '2026-12-01T00:00:00+08:00') ON CONFLICT (kind) DO UPDATE SET"
	         " version = excluded.version, body = excluded.body",
	         tbdb_is_postgresql() ? "repeat('0', 9437184)" : "hex(zeroblob(4718592))");
	ck_assert_msg(tbdb_exec(tbserver_db(srv), sql, &e) == 0, "%s", e.msg);
}

START_TEST(an_answer_over_its_limit_is_refused_naming_size_and_limit)
{
	struct update_report r;
	struct catalogue *cat;
	struct calendar *cal;
	struct err e = {0};
	char note[1024], stored_err[512] = "";

	/* a calendar is an ordinary document: at most 8 MiB */
	server_calendar_of_9_mib();
	ck_assert_int_eq(round_trip(&r, &e), SYNC_ERROR);
	ck_assert_msg(strstr(r.calendar_error, "/v1/calendar") != NULL, "%s", r.calendar_error);
	ck_assert_msg(strstr(r.calendar_error, "9.0 MiB") != NULL, "%s", r.calendar_error);
	ck_assert_msg(strstr(r.calendar_error, "8 MiB") != NULL, "%s", r.calendar_error);
	ck_assert_int_eq(
	    store_meta_get(st, "calendar_fetch_error", stored_err, sizeof stored_err, NULL), 1);
	ck_assert_str_eq(stored_err, r.calendar_error);
	ck_assert_int_eq(store_data_get(st, "calendar", NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(choose(NULL, &cat, &cal, note, sizeof note), 0);
	ck_assert_str_ne(cal_version(cal), "2099-01-01"); /* the bundled one stays in use */
	catalogue_free(cat);
	cal_free(cal);
}
END_TEST

START_TEST(versions_compare_as_numbers)
{
	ck_assert_int_lt(data_version_cmp("2026.11.9", "2026.11.10"), 0);
	ck_assert_int_gt(data_version_cmp("2026-11-04", "2025-11-04"), 0);
	ck_assert_int_eq(data_version_cmp("2026.11.1", "2026.11.1"), 0);
	ck_assert_int_eq(data_version_cmp("2026.011.1", "2026.11.1"), 0);
	ck_assert_int_lt(data_version_cmp("2026.11", "2026.11.1"), 0);
	ck_assert_int_lt(data_version_cmp(NULL, "1"), 0);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("updates");
	TCase *tc = tcase_create("against tongband");

	if (login_init() < 0) {
		fprintf(stderr, "libsodium failed to initialise\n");
		return EXIT_FAILURE;
	}
	sync_global_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_new_central_catalogue_arrives_after_a_pull_and_is_used);
	tcase_add_test(tc, tongban_sync_downloads_the_catalogue_too);
	tcase_add_test(tc, a_broken_bundled_catalogue_falls_back_to_the_last_good_copy);
	tcase_add_test(tc, with_no_good_copy_anywhere_both_errors_are_told);
	tcase_add_test(tc, a_truncated_central_catalogue_is_refused_and_the_last_good_kept);
	tcase_add_test(tc, a_year_added_to_the_central_calendar_is_used);
	tcase_add_test(tc, a_truncated_central_calendar_keeps_the_bundled_one);
	tcase_add_test(tc, the_agent_downloads_an_announced_catalogue_and_says_so);
	tcase_add_test(tc, the_tui_starts_with_the_downloaded_catalogue);
	tcase_add_test(tc, a_central_catalogue_over_8_mib_comes_through_sync_and_is_used);
	tcase_add_test(tc, tongband_answers_gzip_when_asked_and_plain_when_not);
	tcase_add_test(tc, since_the_current_version_answers_unchanged);
	tcase_add_test(tc, an_answer_over_its_limit_is_refused_naming_size_and_limit);
	tcase_add_test(tc, versions_compare_as_numbers);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
