/*
 * test_server_ecert.c - tongband's e-certificate register
 * (src/server/srv_ecert.c), against a real tongband over HTTP on loopback:
 * `tongband import-certificates` takes the example file, names the line
 * and the field of a bad one and then imports nothing; POST
 * /v1/certificates/lookup answers found, expired, not found and holder
 * mismatch, only to a logged-in user of a hall, and every lookup is a row
 * of tongband's audit chain that holds neither the holder's ID nor the
 * certificate's number, which no log line holds either.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/util.h"
#include "server/srv_ecert.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"

/* From examples/certificates.tsv. */
#define ZHANG      "430102198503151236" /* 张伟: ID card, 户口簿, 不动产权证书 */
#define LI         "43010219900101456X" /* 李娜: an ID card that ended 2025-02-01 */
#define SHOP_USCC  "91430100MA4L16XU16" /* a business licence without end */
#define FLAT_NO    "湘(2023)长沙市不动产权第0012345号"
#define CASE_ID    "aaaaaaaa-bbbb-4ccc-8ddd-000000000e01"
#define N_EXAMPLES 6

static struct tbserver *srv;
static char *demo;

static char *call(const char *method, const char *path, const char *token, const char *body,
                  long want)
{
	struct err e = {0};
	long status = 0;
	char *r = tbserver_request(srv, method, path, token, body, &status, &e);

	ck_assert_msg(r != NULL, "%s %s: %s", method, path, e.msg);
	ck_assert_msg(status == want, "%s %s: %ld, want %ld: %s", method, path, status, want, r);
	return r;
}

static char *sql_text(const char *query)
{
	char *v = tbdb_text(tbserver_db(srv), query, NULL);

	return v ? v : xstrdup("");
}

static long long sql_int(const char *query)
{
	char *v = sql_text(query);
	long long n = atoll(v);

	free(v);
	return n;
}

/* Run `tongband ARGS --db SERVER_DB` in English: its exit status, and its
 * standard output and error into *out (caller frees). */
static int tongband(const char *args, char **out)
{
	char *cmd, buf[4096];
	struct buf b;
	FILE *p;
	size_t n;
	int st;

	cmd = xasprintf("LC_ALL=C LANG=C TONGBAN_LANG= '%s' %s --db '%s' 2>&1", tbserver_bin(),
	                args, tbserver_db(srv));
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	buf_init(&b);
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		buf_add(&b, buf, n);
	st = pclose(p);
	*out = buf_take(&b);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Import file (a path): tongband's exit status, its output in *out. */
static int import(const char *file, char **out)
{
	char *args = xasprintf("import-certificates '%s'", file);
	int rc = tongband(args, out);

	free(args);
	return rc;
}

/* Write text to a scratch file in the server's directory.  Caller frees
 * the path. */
static char *scratch(const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", tbserver_dir(srv), name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

static void import_examples(void)
{
	char *file = tbcheck_src_path("examples/certificates.tsv"), *out;
	int rc = import(file, &out);

	ck_assert_msg(rc == 0, "exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "6 certificates imported") != NULL, "%s", out);
	free(out);
	free(file);
}

/* POST /v1/certificates/lookup with body by token: the answer, status want. */
static struct json_object *lookup(const char *token, const char *body, long want)
{
	char *r = call("POST", "/v1/certificates/lookup", token, body, want);
	struct json_object *o = json_tokener_parse(r);

	ck_assert_msg(o != NULL, "not JSON: %s", r);
	free(r);
	return o;
}

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "%s", e.msg);
	demo = tbserver_login(srv, TBSERVER_CLERK, TBSERVER_PASSWORD, &e);
	ck_assert_msg(demo != NULL, "%s", e.msg);
}

static void teardown(void)
{
	free(demo);
	tbserver_free(srv);
}

/* ---- tests ---------------------------------------------------------------------- */

START_TEST(test_a_found_certificate_is_answered_with_its_elements_and_audited_without_the_id)
{
	struct json_object *o;
	char *rows, *log;

	import_examples();
	o = lookup(demo,
	           "{\"type\":\"不动产权证书\",\"holder_id\":\"" ZHANG "\",\"case_id\":\"" CASE_ID
	           "\",\"on\":\"2026-12-01\"}",
	           200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "found");
	ck_assert_str_eq(tbcheck_json_at(o, "certificate.number"), FLAT_NO);
	ck_assert_str_eq(tbcheck_json_at(o, "certificate.issuer"), "长沙市自然资源和规划局");
	ck_assert_str_eq(tbcheck_json_at(o, "certificate.holder_name"), "张伟");
	ck_assert_str_eq(tbcheck_json_at(o, "certificate.valid_until"), ""); /* 长期 */
	json_object_put(o);
	/* a lowercase x is the same ID */
	o = lookup(demo, "{\"type\":\"居民身份证\",\"holder_id\":\"43010219900101456x\"}", 200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "expired");
	ck_assert_str_eq(tbcheck_json_at(o, "certificate.valid_until"), "2025-02-01");
	json_object_put(o);

	/* each lookup is a row of the chain, by whom, for which case, what was found */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'certificate'"), 2);
	rows =
	    sql_text("SELECT user_id || '|' || hall || '|' || case_id || '|' || detail FROM audit"
	             " WHERE what = 'certificate' ORDER BY id");
	ck_assert_msg(strcmp(rows, "demo|H001|" CASE_ID "|lookup 不动产权证书: found") == 0, "%s",
	              rows);
	free(rows);
	rows = sql_text("SELECT group_concat(detail || case_id, ';') FROM audit");
	if (rows[0] == '\0') { /* PostgreSQL */
		free(rows);
		rows = sql_text("SELECT string_agg(detail || case_id, ';') FROM audit");
	}
	ck_assert_msg(strstr(rows, "lookup 居民身份证: expired") != NULL, "%s", rows);
	ck_assert_msg(strstr(rows, ZHANG) == NULL && strstr(rows, "43010219900101456") == NULL &&
	                  strstr(rows, "0012345") == NULL,
	              "personal data on the audit chain: %s", rows);
	free(rows);
	/* and the chain still holds */
	ck_assert_int_eq(tongband("audit verify", &rows), 0);
	free(rows);
	log = tbserver_log_tail(srv, 1 << 20);
	ck_assert_msg(strstr(log, ZHANG) == NULL && strstr(log, "43010219900101456") == NULL,
	              "personal data in the server log: %s", log);
	free(log);
}
END_TEST

START_TEST(test_not_kept_not_found_expired_and_another_holders_number_are_told_apart)
{
	struct json_object *o;

	import_examples();
	/* a type of which the register holds nothing (its department's were never
	 * imported) refutes nothing */
	o = lookup(demo, "{\"type\":\"结婚证\",\"holder_id\":\"" ZHANG "\"}", 200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "not_kept");
	ck_assert(!json_object_object_get_ex(o, "certificate", NULL));
	json_object_put(o);
	/* 张伟 has no business licence */
	o = lookup(demo, "{\"type\":\"营业执照\",\"holder_id\":\"" ZHANG "\"}", 200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "not_found");
	ck_assert(!json_object_object_get_ex(o, "certificate", NULL));
	json_object_put(o);
	/* the licence without end is valid on any day */
	o = lookup(demo,
	           "{\"type\":\"营业执照\",\"holder_id\":\"" SHOP_USCC "\",\"on\":\"2099-01-01\"}",
	           200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "found");
	json_object_put(o);
	/* 李娜's ID card was valid on 2025-02-01, not the day after */
	o = lookup(demo, "{\"type\":\"居民身份证\",\"holder_id\":\"" LI "\",\"on\":\"2025-02-01\"}",
	           200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "found");
	json_object_put(o);
	o = lookup(demo, "{\"type\":\"居民身份证\",\"holder_id\":\"" LI "\",\"on\":\"2025-02-02\"}",
	           200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "expired");
	json_object_put(o);
	/* 张伟's flat, asked for by 李娜: a mismatch, and nothing of the certificate shown */
	o = lookup(
	    demo, "{\"type\":\"不动产权证书\",\"holder_id\":\"" LI "\",\"number\":\"" FLAT_NO "\"}",
	    200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "holder_mismatch");
	ck_assert(!json_object_object_get_ex(o, "certificate", NULL));
	json_object_put(o);
	o = lookup(demo,
	           "{\"type\":\"不动产权证书\",\"holder_id\":\"" ZHANG "\",\"number\":\"" FLAT_NO
	           "\"}",
	           200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "found");
	json_object_put(o);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'certificate'"), 7);
	ck_assert_int_eq(
	    sql_int("SELECT count(*) FROM audit WHERE what = 'certificate' AND detail ="
	            " 'lookup 不动产权证书: holder_mismatch'"),
	    1);
}
END_TEST

START_TEST(test_only_a_logged_in_user_of_a_hall_may_look_up_and_a_bad_question_is_400)
{
	static const char *const bad[] = {
	    "{}",
	    "{\"type\":\"营业执照\"}",
	    "{\"type\":\"\",\"holder_id\":\"" ZHANG "\"}",
	    "{\"type\":\"营业执照\",\"holder_id\":\"12345\"}",
	    "{\"type\":\"营业执照\",\"holder_id\":42}",
	    "{\"type\":\"营业执照\",\"holder_id\":\"" ZHANG "\",\"on\":\"2026-02-30\"}",
	    "{\"type\":\"营业执照\",\"holder_id\":\"" ZHANG "\",\"case_id\":\"x\"}",
	    "[1]",
	    "not json",
	    NULL,
	};
	struct err e = {0};
	char *op, *r;
	size_t i;

	import_examples();
	r = call("POST", "/v1/certificates/lookup", NULL,
	         "{\"type\":\"营业执照\",\"holder_id\":\"" SHOP_USCC "\"}", 401);
	free(r);
	r = call("POST", "/v1/certificates/lookup", "not-a-token",
	         "{\"type\":\"营业执照\",\"holder_id\":\"" SHOP_USCC "\"}", 401);
	free(r);
	ck_assert_msg(tbserver_add_user(srv, "op", "op12345", "H001", "operator", "", &e) == 0,
	              "%s", e.msg);
	op = tbserver_login(srv, "op", "op12345", &e);
	ck_assert_msg(op != NULL, "%s", e.msg);
	r = call("POST", "/v1/certificates/lookup", op,
	         "{\"type\":\"营业执照\",\"holder_id\":\"" SHOP_USCC "\"}", 403);
	ck_assert_msg(strstr(r, "looks up certificates") != NULL, "%s", r);
	free(r);
	free(op);
	for (i = 0; bad[i] != NULL; i++) {
		r = call("POST", "/v1/certificates/lookup", demo, bad[i], 400);
		ck_assert_msg(strstr(r, "\"error\"") != NULL, "%s: %s", bad[i], r);
		free(r);
	}
	r = call("GET", "/v1/certificates/lookup", demo, NULL, 405);
	free(r);
	/* nothing was looked up, so nothing is on the chain */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'certificate'"), 0);
}
END_TEST

/* One bad file and the words its error must hold. */
struct bad_file {
	const char *name, *text;
	const char *says;
};

#define HEADER "type\tnumber\tholder_id\tholder_name\tissuer\tissued_on\tvalid_until\n"
#define GOOD   "营业执照\tN1\t" SHOP_USCC "\t店\t局\t2021-03-02\t长期\n"

START_TEST(test_a_bad_certificate_file_is_named_by_line_and_field_and_imports_nothing)
{
	static const struct bad_file bad[] = {
	    {"no-header.tsv", GOOD, ":1: the first line must be the header"},
	    {"empty.tsv", "# nothing\n", "no header line"},
	    {"fields.tsv", HEADER GOOD "营业执照\tN2\t" SHOP_USCC "\t店\t局\t2021-03-02\n",
	     ":3: 6 fields, want 7"},
	    {"holder.tsv",
	     HEADER GOOD "居民身份证\tN3\t430102198503151235\t张\t局\t2021-03-02\t长期\n",
	     ":3: field holder_id:"},
	    {"date.tsv", HEADER "居民身份证\tN4\t" ZHANG "\t张\t局\t2021-13-02\t长期\n",
	     ":2: field issued_on: \"2021-13-02\" is not a date"},
	    {"until.tsv", HEADER "居民身份证\tN5\t" ZHANG "\t张\t局\t2021-03-02\t永久\n",
	     ":2: field valid_until: \"永久\" is neither a date"},
	    {"before.tsv", HEADER "居民身份证\tN6\t" ZHANG "\t张\t局\t2021-03-02\t2020-01-01\n",
	     ":2: field valid_until: 2020-01-01 is before issued_on"},
	    {"empty-field.tsv", HEADER "居民身份证\t\t" ZHANG "\t张\t局\t2021-03-02\t长期\n",
	     ":2: field number: empty"},
	    {"utf8.tsv", HEADER "\xff\xfe\tN7\t" ZHANG "\t张\t局\t2021-03-02\t长期\n",
	     ":2: not UTF-8 text"},
	    {"missing.tsv", NULL, "cannot open"},
	};
	char *path, *out, *longline, *text;
	size_t i;
	int rc;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		path = bad[i].text ? scratch(bad[i].name, bad[i].text, strlen(bad[i].text))
		                   : xasprintf("%s/%s", tbserver_dir(srv), bad[i].name);
		rc = import(path, &out);
		ck_assert_msg(rc == 1, "%s: exit %d: %s", bad[i].name, rc, out);
		ck_assert_msg(strstr(out, bad[i].says) != NULL && strstr(out, bad[i].name) != NULL,
		              "%s: no \"%s\" in: %s", bad[i].name, bad[i].says, out);
		free(out);
		free(path);
	}
	/* a NUL byte, and a line too long to be a certificate */
	path = scratch("nul.tsv", HEADER "营业执照\tN\0\t", sizeof HEADER + 14);
	ck_assert_int_eq(import(path, &out), 1);
	ck_assert_msg(strstr(out, ":2: holds a NUL byte") != NULL, "%s", out);
	free(out);
	free(path);
	longline = xcalloc(1, 9000);
	memset(longline, 'A', 8999);
	text = xasprintf(HEADER "%s\n", longline);
	path = scratch("long.tsv", text, strlen(text));
	ck_assert_int_eq(import(path, &out), 1);
	ck_assert_msg(strstr(out, ":2: longer than 4096 bytes") != NULL, "%s", out);
	free(out);
	free(path);
	free(text);
	free(longline);
	/* all or nothing: the good lines before a bad one were not kept */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM certificates"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'import' AND detail LIKE "
	                         "'certificates:%'"),
	                 0);
}
END_TEST

START_TEST(test_importing_again_replaces_a_certificate_of_the_same_type_and_number)
{
	const char *text;
	char *path, *out;
	struct json_object *o;

	import_examples();
	import_examples();
	ck_assert_int_eq(sql_int("SELECT count(*) FROM certificates"), N_EXAMPLES);
	/* the ID card renewed: same number, a new end */
	text = HEADER "居民身份证\t" LI "\t" LI
	              "\t李娜\t长沙市公安局岳麓分局\t2025-01-20\t2045-01-20\n";
	path = scratch("renewed.tsv", text, strlen(text));
	ck_assert_int_eq(import(path, &out), 0);
	ck_assert_msg(strstr(out, "1 certificate imported") != NULL, "%s", out);
	free(out);
	free(path);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM certificates"), N_EXAMPLES);
	o = lookup(demo, "{\"type\":\"居民身份证\",\"holder_id\":\"" LI "\",\"on\":\"2026-12-01\"}",
	           200);
	ck_assert_str_eq(tbcheck_json_at(o, "result"), "found");
	ck_assert_str_eq(tbcheck_json_at(o, "certificate.valid_until"), "2045-01-20");
	json_object_put(o);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'import' AND detail LIKE "
	                         "'certificates:%'"),
	                 3);
}
END_TEST

/* Mutations of the example's lines: each is parsed or refused with a reason
 * naming what is wrong, never a crash. */
START_TEST(test_mangled_lines_are_parsed_or_refused_with_a_reason)
{
	static const char *const lines[] = {
	    "营业执照\t91430100MA4L16XU16\t91430100MA4L16XU16\t长沙通办示例商贸有限公司\t"
	    "长沙市市场监督管理局\t2021-03-02\t长期",
	    "居民身份证\t" ZHANG "\t" ZHANG "\t张伟\t长沙市公安局芙蓉分局\t2016-05-20\t2036-05-20",
	};
	static const char bytes[] = {'\t', '\n', '\0', 'X', '-', '9', (char)0xe9, (char)0xff, ' '};
	unsigned seed = 42;
	struct srv_ecert c;
	char line[512], why[512];
	int i, j, ok = 0, refused = 0;

	for (i = 0; i < 20000; i++) {
		const char *src = lines[i % 2];
		size_t len = strlen(src);
		int edits = 1 + (int)(rand_r(&seed) % 4);

		memcpy(line, src, len + 1);
		for (j = 0; j < edits; j++) {
			size_t at = (size_t)rand_r(&seed) % len;

			if (rand_r(&seed) % 3 == 0)
				line[at] = '\0'; /* cut short */
			else
				line[at] = bytes[rand_r(&seed) % sizeof bytes];
		}
		why[0] = '\0';
		if (srv_ecert_parse_line(line, &c, why, sizeof why) == 0) {
			ok++;
			ck_assert(c.type[0] && c.number[0] && c.holder_id[0] && c.issued_on[0]);
		} else {
			refused++;
			ck_assert_msg(why[0] != '\0', "no reason for: %s", line);
		}
	}
	ck_assert_int_gt(refused, 0);
	ck_assert_int_eq(srv_ecert_parse_line(lines[1], &c, why, sizeof why), 0);
	ck_assert_str_eq(c.valid_until, "2036-05-20");
	(void)ok;
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("server_ecert");
	TCase *tc = tcase_create("ecert");

	tcase_set_timeout(tc, 90);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(
	    tc, test_a_found_certificate_is_answered_with_its_elements_and_audited_without_the_id);
	tcase_add_test(tc,
	               test_not_kept_not_found_expired_and_another_holders_number_are_told_apart);
	tcase_add_test(tc,
	               test_only_a_logged_in_user_of_a_hall_may_look_up_and_a_bad_question_is_400);
	tcase_add_test(tc,
	               test_a_bad_certificate_file_is_named_by_line_and_field_and_imports_nothing);
	tcase_add_test(tc, test_importing_again_replaces_a_certificate_of_the_same_type_and_number);
	tcase_add_test(tc, test_mangled_lines_are_parsed_or_refused_with_a_reason);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tbcheck_run(suite());
}
