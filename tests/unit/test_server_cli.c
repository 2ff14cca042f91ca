/*
 * test_server_cli.c - the tongband binary itself ($TONGBAND_BIN, else
 * build/tongband): the operator subcommands decide, import-catalogue,
 * import-calendar and export with their output and exit codes (0 done,
 * 1 failed, 2 usage); the idle --timeout of serve; and the audit lines a
 * running server writes for refusals and account changes.
 */
#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_admin.h"
#include "server/srv_encode.h"
#include "server/srv_events.h"
#include "server/srv_store.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"
#include "tmpdir.h"

static char *dir;
static char *db;

#define CASE_1 "aaaaaaaa-bbbb-4ccc-8ddd-000000000c01"
#define CASE_2 "aaaaaaaa-bbbb-4ccc-8ddd-000000000c02"
#define ID_NO  "11010519491231002X"

/* What one run of the binary did. */
struct run {
	int status; /* exit code, or -1 if it did not exit normally */
	char *out;
	char *err;
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static char *slurp(const char *path)
{
	size_t len;
	char *s = file_read_all(path, &len, 64 << 20, NULL);

	return s ? s : xstrdup("");
}

/* Run tongband with args (NULL-terminated, without argv[0]) and stdin
 * from /dev/null; capture stdout and stderr. */
static struct run tongband(const char *const *args)
{
	const char *argv[16];
	char *out = xasprintf("%s/stdout", dir), *err = xasprintf("%s/stderr", dir);
	struct run r = {-1, NULL, NULL};
	int n = 0, st;
	pid_t pid;

	argv[n++] = tbserver_bin();
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(in, 0);
		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.out = slurp(out);
	r.err = slurp(err);
	free(out);
	free(err);
	return r;
}

static void assert_exit(const struct run *r, int want)
{
	ck_assert_msg(r->status == want, "exit %d, want %d\nstdout: %s\nstderr: %s", r->status,
	              want, r->out, r->err);
}

static char *srcfile(const char *rel)
{
	const char *src = getenv("TONGBAN_SRCDIR");

	return xasprintf("%s/%s", src ? src : ".", rel);
}

/* A created event of case_id (k-th case) for applicant name (JSON-escaped). */
static char *created(const char *case_id, int k, const char *name)
{
	return xasprintf(
	    "{\"uuid\":\"11111111-2222-4333-8444-%012d\",\"case_id\":\"%s\",\"seq\":1,"
	    "\"type\":\"created\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	    "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
	    "\"case_no\":\"H001-03-20261125-%04d\",\"item_code\":\"000101001000\","
	    "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"name\":\"%s\","
	    "\"id_number\":\"" ID_NO "\",\"phone\":\"13800138000\"}}}",
	    k, case_id, k, name);
}

static char *accepted(const char *case_id, int k)
{
	return xasprintf("{\"uuid\":\"11111111-2222-4333-8444-%012d\",\"case_id\":\"%s\","
	                 "\"seq\":2,\"type\":\"accepted\",\"hall\":\"H001\",\"window\":\"3\","
	                 "\"clerk\":\"demo\",\"client_time\":\"2026-11-25T10:02:00+08:00\","
	                 "\"payload\":{}}",
	                 100 + k, case_id);
}

/* Apply a batch of events to db as clerk demo of H001; all must apply. */
static void apply_batch(const char *events_json)
{
	struct srv_user u;
	struct srv_store *s;
	struct err e = {0};
	struct json_object *events = json_tokener_parse(events_json), *results;
	size_t i;

	ck_assert_ptr_nonnull(events);
	memset(&u, 0, sizeof u);
	str_copy(u.id, sizeof u.id, "demo");
	str_copy(u.hall, sizeof u.hall, "H001");
	str_copy(u.window, sizeof u.window, "3");
	str_copy(u.role, sizeof u.role, "clerk");
	ck_assert_msg(srv_store_open(&s, db, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(srv_events_apply(s, &u, events, time(NULL), &results, &e), 0);
	for (i = 0; i < json_object_array_length(results); i++) {
		struct json_object *st;

		json_object_object_get_ex(json_object_array_get_idx(results, i), "status", &st);
		ck_assert_str_eq(json_object_get_string(st), "applied");
	}
	json_object_put(results);
	json_object_put(events);
	srv_store_close(s);
}

/* Each test: a scratch directory with a database holding the bundled
 * catalogue and two accepted cases of hall H001, the second for an
 * applicant whose name holds a comma and quotes. */
static void setup(void)
{
	struct err e = {0};
	char *c1, *a1, *c2, *a2, *batch, *cat = srcfile("data/catalogue.json"), *version;
	bool unchanged;

	dir = harness_tmpdir("tongband-cli", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	db = tbdb_new(dir, "server", &e);
	ck_assert_msg(db != NULL, "%s", e.msg);
	ck_assert_msg(srv_admin_init(db, &e) == 0, "%s", e.msg);
	ck_assert_msg(srv_admin_import(db, "catalogue", cat, &version, &unchanged, &e) == 0, "%s",
	              e.msg);
	free(version);
	free(cat);
	c1 = created(CASE_1, 1, "张三丰");
	a1 = accepted(CASE_1, 1);
	c2 = created(CASE_2, 2, "王\\\"五\\\",李");
	a2 = accepted(CASE_2, 2);
	batch = xasprintf("[%s,%s,%s,%s]", c1, a1, c2, a2);
	apply_batch(batch);
	free(batch);
	free(c1);
	free(a1);
	free(c2);
	free(a2);
}

static void teardown(void)
{
	tbdb_remove(db);
	harness_tmpdir_remove(dir);
	free(dir);
	free(db);
}

/* The state of case id in the database, from export --format json. */
static char *case_state(const char *id)
{
	const char *args[] = {"export", "--db", db, "--format", "json", NULL};
	struct run r = tongband(args);
	struct json_object *list = json_tokener_parse(r.out), *c, *v;
	char *state = NULL;
	size_t i;

	assert_exit(&r, 0);
	ck_assert_ptr_nonnull(list);
	for (i = 0; i < json_object_array_length(list); i++) {
		c = json_object_array_get_idx(list, i);
		json_object_object_get_ex(c, "id", &v);
		if (strcmp(json_object_get_string(v), id) == 0) {
			json_object_object_get_ex(c, "state", &v);
			state = xstrdup(json_object_get_string(v));
		}
	}
	json_object_put(list);
	run_free(&r);
	ck_assert_msg(state != NULL, "no case %s in the export", id);
	return state;
}

START_TEST(test_decide_by_id_or_number_prints_the_event_and_moves_the_case)
{
	const char *by_id[] = {"decide", "--db", db, CASE_1, "approve", NULL};
	const char *by_no[] = {"decide", "--db",     db,         "H001-03-20261125-0002",
	                       "refuse", "--reason", "材料不全", NULL};
	struct run r = tongband(by_id);
	struct json_object *ev = json_tokener_parse(r.out), *v;
	char *state;

	assert_exit(&r, 0);
	ck_assert_msg(ev != NULL, "not JSON: %s", r.out);
	json_object_object_get_ex(ev, "type", &v);
	ck_assert_str_eq(json_object_get_string(v), "decided");
	json_object_object_get_ex(ev, "seq", &v);
	ck_assert_int_eq(json_object_get_int(v), 3);
	json_object_put(ev);
	run_free(&r);
	r = tongband(by_no);
	assert_exit(&r, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "材料不全"));
	run_free(&r);
	state = case_state(CASE_1);
	ck_assert_str_eq(state, "approved");
	free(state);
	state = case_state(CASE_2);
	ck_assert_str_eq(state, "denied");
	free(state);
}
END_TEST

START_TEST(test_decide_fails_with_1_and_misuse_is_2)
{
	const char *again[] = {"decide", "--db", db, CASE_1, "approve", NULL};
	const char *unknown[] = {"decide", "--db", db, "H001-nope", "approve", NULL};
	const char *bad_outcome[] = {"decide", "--db", db, CASE_1, "maybe", NULL};
	const char *missing[] = {"decide", "--db", db, CASE_1, NULL};
	const char *extra[] = {"decide", "--db", db, CASE_1, "approve", "x", NULL};
	struct run r = tongband(again);
	char *state;

	assert_exit(&r, 0);
	run_free(&r);
	r = tongband(again); /* decided already: the state machine says no */
	assert_exit(&r, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "tongband: "));
	run_free(&r);
	r = tongband(unknown);
	assert_exit(&r, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "H001-nope"));
	run_free(&r);
	r = tongband(bad_outcome);
	assert_exit(&r, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "maybe"));
	run_free(&r);
	r = tongband(missing);
	assert_exit(&r, 2);
	run_free(&r);
	r = tongband(extra);
	assert_exit(&r, 2);
	run_free(&r);
	state = case_state(CASE_2);
	ck_assert_str_eq(state, "accepted");
	free(state);
}
END_TEST

/* The number of rows in GET /v1/changes terms: every change of hall H001. */
static size_t n_changes(void)
{
	struct srv_store *s;
	struct err e = {0};
	struct json_object *list;
	long long next;
	bool more;
	size_t n;

	ck_assert(srv_store_open(&s, db, &e) == 0);
	list = json_object_new_array();
	ck_assert(srv_store_changes(s, "H001", 0, 1000, srv_encode_add_change, list, &more, &next,
	                            &e) == 0);
	n = json_object_array_length(list);
	json_object_put(list);
	srv_store_close(s);
	return n;
}

/* Write a copy of the bundled file rel with the first from replaced by to;
 * returns its path.  Caller frees. */
/* A copy of rel in dir, named name, with its first from replaced by to.
 * Caller frees the path. */
static char *edited_copy(const char *rel, const char *from, const char *to, const char *name)
{
	char *src = srcfile(rel), *text, *at, *fixed, *path;
	struct err e = {0};
	size_t len;

	text = file_read_all(src, &len, 16 << 20, &e);
	ck_assert_msg(text != NULL, "%s", e.msg);
	at = strstr(text, from);
	ck_assert_msg(at != NULL, "%s has no %s", rel, from);
	*at = '\0';
	fixed = xasprintf("%s%s%s", text, to, at + strlen(from));
	path = xasprintf("%s/%s", dir, name);
	ck_assert(harness_write_file(path, fixed, strlen(fixed), &e) == 0);
	free(fixed);
	free(text);
	free(src);
	return path;
}

static char *broken_copy(const char *rel, const char *from, const char *to)
{
	char *name = xasprintf("broken-%s", strrchr(rel, '/') + 1);
	char *path = edited_copy(rel, from, to, name);

	free(name);
	return path;
}

/* Import a bundled document, then a broken copy, then the bundled one
 * again: the broken one is refused naming file and field, and leaves the
 * stored version and the change log as they were. */
/* cmd imports the file good (a version the database does not hold yet),
 * then refuses a copy of rel with from replaced by to, naming field. */
static void check_import(const char *cmd, char *good, const char *rel, const char *from,
                         const char *to, const char *field)
{
	char *bad = broken_copy(rel, from, to);
	const char *ok_args[] = {cmd, "--db", db, good, NULL};
	const char *bad_args[] = {cmd, "--db", db, bad, NULL};
	const char *missing[] = {cmd, "--db", db, NULL};
	const char *absent[] = {cmd, "--db", db, "/nonexistent/file.json", NULL};
	size_t before = n_changes(); /* the catalogue, the cases' official numbers */
	struct run r = tongband(ok_args);
	size_t n;

	assert_exit(&r, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "imported"));
	run_free(&r);
	n = n_changes();
	ck_assert_uint_eq(n, before + 1);
	r = tongband(bad_args);
	assert_exit(&r, 1);
	ck_assert_msg(strstr(r.err, bad) != NULL && strstr(r.err, field) != NULL,
	              "want file and %s named: %s", field, r.err);
	run_free(&r);
	r = tongband(ok_args);
	assert_exit(&r, 0);
	ck_assert_msg(strstr(r.out, "already the current one") != NULL, "%s", r.out);
	run_free(&r);
	ck_assert_uint_eq(n_changes(), n);
	r = tongband(absent);
	assert_exit(&r, 1);
	run_free(&r);
	r = tongband(missing);
	assert_exit(&r, 2);
	run_free(&r);
	free(good);
	free(bad);
}

START_TEST(test_import_catalogue_refuses_a_malformed_file_and_keeps_the_old)
{
	/* the setup imported the bundled catalogue: a newer version of it */
	check_import("import-catalogue",
	             edited_copy("data/catalogue.json", "\"version\": \"2026.11.1\"",
	                         "\"version\": \"2026.12.1\"", "newer-catalogue.json"),
	             "data/catalogue.json", "\"promised_days\": 3", "\"promised_days\": \"three\"",
	             "promised_days");
}
END_TEST

START_TEST(test_import_calendar_refuses_a_malformed_file_and_keeps_the_old)
{
	check_import("import-calendar", srcfile("data/calendar.json"), "data/calendar.json",
	             "\"2024-01-01\"", "\"2024-13-01\"", "2024-13-01");
}
END_TEST

#define CSV_HEADER                                                                                 \
	"id,hall,case_no,item_code,item_name,dept,applicant_name,id_number,phone,state,events,"    \
	"created_at,received_at,updated_at\r\n"

START_TEST(test_export_csv_has_a_header_and_quotes_per_rfc4180)
{
	const char *args[] = {"export", "--db", db, NULL};
	const char *h002[] = {"export", "--db", db, "--hall", "H002", "--format", "csv", NULL};
	struct run r = tongband(args);
	char *row2;

	assert_exit(&r, 0);
	ck_assert_msg(strncmp(r.out, CSV_HEADER, strlen(CSV_HEADER)) == 0, "%s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\r\n" CASE_1 ",H001,H001-03-20261125-0001,"));
	row2 = strstr(r.out, "\r\n" CASE_2 ",");
	ck_assert_ptr_nonnull(row2);
	ck_assert_msg(strstr(row2, ",\"王\"\"五\"\",李\"," ID_NO ",") != NULL, "%s", row2);
	ck_assert_ptr_nonnull(strstr(row2, ",accepted,2,"));
	ck_assert_str_eq(r.out + strlen(r.out) - 2, "\r\n");
	run_free(&r);
	r = tongband(h002);
	assert_exit(&r, 0);
	ck_assert_str_eq(r.out, CSV_HEADER);
	run_free(&r);
}
END_TEST

START_TEST(test_export_json_parses_and_bad_use_is_refused)
{
	const char *args[] = {"export", "--db", db, "--format", "json", NULL};
	const char *xml[] = {"export", "--db", db, "--format", "xml", NULL};
	char *nodir = xasprintf("%s/no/such/dir/x.db", dir);
	const char *bad_db[] = {"export", "--db", nodir, NULL};
	struct run r = tongband(args);
	struct json_object *list = json_tokener_parse(r.out), *c, *v;

	assert_exit(&r, 0);
	ck_assert_msg(json_object_is_type(list, json_type_array), "%s", r.out);
	ck_assert_int_eq(json_object_array_length(list), 2);
	c = json_object_array_get_idx(list, 1);
	json_object_object_get_ex(c, "applicant_name", &v);
	ck_assert_str_eq(json_object_get_string(v), "王\"五\",李");
	json_object_object_get_ex(c, "events", &v);
	ck_assert_int_eq(json_object_get_int(v), 2);
	json_object_put(list);
	run_free(&r);
	r = tongband(xml);
	assert_exit(&r, 2);
	ck_assert_str_eq(r.out, "");
	run_free(&r);
	r = tongband(bad_db);
	assert_exit(&r, 1);
	ck_assert_ptr_nonnull(strstr(r.err, nodir));
	run_free(&r);
	free(nodir);
}
END_TEST

/* Start `tongband serve` on a free port with extra args; *port gets it. */
static pid_t serve(const char *timeout, int *port)
{
	char *port_file = xasprintf("%s/port", dir), *log = xasprintf("%s/serve.log", dir);
	long long deadline = clock_ms() + 10000;
	char *text = NULL;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(tbserver_bin(), tbserver_bin(), "serve", "--db", db, "--listen",
		      "127.0.0.1:0", "--port-file", port_file, "--timeout", timeout, (char *)NULL);
		_exit(127);
	}
	while (clock_ms() < deadline && (text = file_read_all(port_file, NULL, 64, NULL)) == NULL)
		poll(NULL, 0, 10);
	ck_assert_msg(text != NULL, "no port file: %s", slurp(log));
	*port = atoi(text);
	free(text);
	free(port_file);
	free(log);
	return pid;
}

static void stop_serve(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static int connect_to(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

/* Milliseconds until the server closes fd (reading gives 0), at most ms;
 * -1 if it stays open. */
static long long ms_until_closed(int fd, int ms)
{
	long long start = clock_ms();
	struct pollfd p = {fd, POLLIN, 0};
	char c;

	while (clock_ms() - start < ms) {
		if (poll(&p, 1, 50) == 1)
			return recv(fd, &c, 1, 0) <= 0 ? clock_ms() - start : -1;
	}
	return -1;
}

START_TEST(test_timeout_closes_an_idle_connection)
{
	int port, idle, half;
	long long ms;
	pid_t pid = serve("1", &port);

	idle = connect_to(port);
	half = connect_to(port);
	ck_assert_int_eq(send(half, "GET /v1/health HTTP/1.1\r\nHost: x\r\n", 34, 0), 34);
	ms = ms_until_closed(idle, 5000);
	ck_assert_msg(ms >= 700 && ms < 4000, "idle connection closed after %lld ms", ms);
	ms = ms_until_closed(half, 5000);
	ck_assert_msg(ms >= 0 && ms < 4000, "half-sent request kept open (%lld ms)", ms);
	close(idle);
	close(half);
	stop_serve(pid);
}
END_TEST

START_TEST(test_a_trickling_body_is_cut_off_after_the_timeout)
{
	static const char head[] = "POST /v1/login HTTP/1.1\r\nHost: x\r\n"
	                           "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n";
	long long start, ms = -1;
	int port, fd, i;
	pid_t pid = serve("1", &port);

	fd = connect_to(port);
	ck_assert_int_eq(send(fd, head, strlen(head), 0), (ssize_t)strlen(head));
	start = clock_ms();
	for (i = 0; i < 20 && ms < 0; i++) { /* a byte every 400 ms: never idle for 1 s */
		if (send(fd, " ", 1, MSG_NOSIGNAL) != 1)
			break;
		ms = ms_until_closed(fd, 400);
	}
	ms = clock_ms() - start;
	/* --timeout 1 and a second per 32 KiB: the 100 bytes have 1 s */
	ck_assert_msg(i < 20 && ms >= 700 && ms < 4000, "cut off after %lld ms (%d bytes)", ms, i);
	close(fd);
	stop_serve(pid);
}
END_TEST

START_TEST(test_serve_refuses_a_bad_timeout)
{
	const char *zero[] = {"serve", "--db", db, "--timeout", "0", NULL};
	const char *word[] = {"serve", "--db", db, "--timeout", "soon", NULL};
	struct run r = tongband(zero);

	assert_exit(&r, 2);
	run_free(&r);
	r = tongband(word);
	assert_exit(&r, 2);
	run_free(&r);
}
END_TEST

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

/* /etc/tongband/tongband.conf (here --config FILE) sets serve's options
 * and every command's db, under $TONGBAND_DB and the command line. */
START_TEST(test_the_settings_file_comes_under_the_environment_and_the_options)
{
	char *conf = xasprintf("%s/tongband.conf", dir), *other = xasprintf("%s/other.db", dir),
	     *flag = xasprintf("%s/flag.db", dir), *env = xasprintf("%s/env.db", dir),
	     *port_file = xasprintf("%s/port-from-file", dir), *text, *port = NULL;
	const char *show[] = {"config", "show", "--config", conf, NULL};
	const char *init[] = {"init", "--config", conf, NULL};
	const char *init_flag[] = {"init", "--config", conf, "--db", flag, NULL};
	const char *serve_bad[] = {"serve", "--config", conf, NULL};
	long long deadline;
	struct run r;
	pid_t pid;

	text = xasprintf("# tongband's settings\nlisten = 127.0.0.1:0\ntimeout = 7\ndb = %s\n"
	                 "port_file = %s\ninsecure_http = no\n",
	                 other, port_file);
	write_text(conf, text);
	free(text);
	r = tongband(show);
	assert_exit(&r, 0);
	ck_assert_msg(strstr(r.out, "timeout = 7") && strstr(r.out, "tongband.conf:3"), "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, other) != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "max_connections = 512") != NULL, "the default: %s", r.out);
	run_free(&r);

	/* the file's db is every command's; --db over it; $TONGBAND_DB between */
	r = tongband(init);
	assert_exit(&r, 0);
	ck_assert_msg(access(other, F_OK) == 0, "init did not use the file's db: %s", r.err);
	run_free(&r);
	r = tongband(init_flag);
	assert_exit(&r, 0);
	ck_assert_msg(access(flag, F_OK) == 0, "%s", r.err);
	run_free(&r);
	setenv("TONGBAND_DB", env, 1);
	r = tongband(show);
	unsetenv("TONGBAND_DB");
	ck_assert_msg(strstr(r.out, env) != NULL && strstr(r.out, "TONGBAND_DB") != NULL, "%s",
	              r.out);
	run_free(&r);

	/* serve listens where the file says and writes its port file */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(tbserver_bin(), tbserver_bin(), "serve", "--config", conf, (char *)NULL);
		_exit(127);
	}
	deadline = clock_ms() + 10000;
	while (clock_ms() < deadline && (port = file_read_all(port_file, NULL, 64, NULL)) == NULL)
		poll(NULL, 0, 10);
	ck_assert_msg(port != NULL && atoi(port) > 0, "serve did not take port_file from the file");
	stop_serve(pid);
	free(port);

	/* a value its option does not take, an unknown name: serve refuses */
	write_text(conf, "timeout = soon\n");
	r = tongband(serve_bad);
	assert_exit(&r, 2);
	ck_assert_msg(strstr(r.err, "tongband.conf:1: bad value for timeout: soon"), "%s", r.err);
	run_free(&r);
	r = tongband(show);
	assert_exit(&r, 1);
	run_free(&r);
	write_text(conf, "listen = 127.0.0.1:0\nlisten_on = 127.0.0.1:0\n");
	r = tongband(serve_bad);
	assert_exit(&r, 2);
	ck_assert_msg(strstr(r.err, "tongband.conf:2") && strstr(r.err, "listen_on"), "%s", r.err);
	run_free(&r);

	/* the installed example holds only settings serve takes */
	free(port_file);
	port_file = srcfile("examples/tongband.conf");
	text = slurp(port_file);
	for (port = text; (port = strstr(port, "\n#")) != NULL; port++)
		if (port[2] >= 'a' && port[2] <= 'z' &&
		    strchr(port + 2, '=') < strchr(port + 2, '\n'))
			port[1] = ' ';
	write_text(conf, text);
	free(text);
	r = tongband(show);
	assert_exit(&r, 0);
	ck_assert_msg(strstr(r.out, "login_workers = 2") && strstr(r.out, "tongband.conf:"), "%s",
	              r.out);
	run_free(&r);
	free(conf);
	free(other);
	free(flag);
	free(env);
	free(port_file);
}
END_TEST

static void request(struct tbserver *s, const char *method, const char *path, const char *token,
                    const char *body, long want)
{
	struct err e = {0};
	long status = 0;
	char *r = tbserver_request(s, method, path, token, body, &status, &e);

	ck_assert_msg(r != NULL, "%s", e.msg);
	ck_assert_msg(status == want, "%s %s: %ld, want %ld: %s", method, path, status, want, r);
	free(r);
}

START_TEST(test_every_refusal_is_audited_without_secrets)
{
	struct err e = {0};
	struct tbserver *s = tbserver_start(&e);
	char *demo, *other, *ops, *c1, *batch, *log, *path;

	ck_assert_msg(s != NULL, "%s", e.msg);
	ck_assert_msg(tbserver_add_user(s, "ops", "ops-pass", "H001", "operator", "", &e) == 0,
	              "%s", e.msg);
	demo = tbserver_login(s, "demo", "demo123", &e);
	other = tbserver_login(s, "other", "other123", &e);
	ops = tbserver_login(s, "ops", "ops-pass", &e);
	ck_assert_msg(demo && other && ops, "%s", e.msg);
	c1 = created(CASE_1, 1, "张三丰");
	batch = xasprintf("{\"events\":[%s]}", c1);
	request(s, "POST", "/v1/events", demo, batch, 200);
	path = xasprintf("/v1/cases/%s", CASE_1);
	request(s, "GET", path, other, NULL, 404); /* another hall's: as none, not a refusal */
	request(s, "GET", "/v1/users", demo, NULL, 403);
	request(s, "POST", "/v1/cases/" CASE_1 "/decision", demo, "{\"decision\":\"approve\"}",
	        403);
	request(s, "POST", "/v1/users", ops,
	        "{\"id\":\"zhao\",\"name\":\"赵六\",\"hall\":\"H001\",\"hall_name\":\"示例\","
	        "\"window\":\"7\",\"password\":\"zhao-secret\"}",
	        201);
	ck_assert_int_eq(tbserver_stop(s), 0);
	log = tbserver_log_tail(s, 1 << 20);
	ck_assert_msg(strstr(log, " AUDIT other ") == NULL, "%s", log);
	ck_assert_msg(strstr(log, " AUDIT demo GET /v1/users refused: only an operator manages "
	                          "users\n") != NULL,
	              "%s", log);
	ck_assert_msg(strstr(log, " AUDIT demo POST /v1/cases/" CASE_1
	                          "/decision refused: only a back-office user") != NULL,
	              "%s", log);
	ck_assert_msg(strstr(log, " AUDIT ops POST /v1/users user zhao created: role clerk, "
	                          "hall H001, password set\n") != NULL,
	              "%s", log);
	ck_assert_ptr_null(strstr(log, demo));
	ck_assert_ptr_null(strstr(log, other));
	ck_assert_ptr_null(strstr(log, ops));
	ck_assert_ptr_null(strstr(log, "demo123"));
	ck_assert_ptr_null(strstr(log, "ops-pass"));
	ck_assert_ptr_null(strstr(log, "zhao-secret"));
	ck_assert_ptr_null(strstr(log, ID_NO));
	free(log);
	free(path);
	free(batch);
	free(c1);
	free(demo);
	free(other);
	free(ops);
	tbserver_free(s);
}
END_TEST

/* A clerk logged in, then tongband useradd gives the account a new
 * password: the old session is over, the new password logs in. */
START_TEST(test_useradd_resetting_a_password_ends_the_old_sessions)
{
	struct err e = {0};
	struct tbserver *s = tbserver_start(&e);
	char *old_token, *keep, *new_token;

	ck_assert_msg(s != NULL, "%s", e.msg);
	ck_assert_msg(tbserver_add_user(s, "zhou", "first-pw", "H001", "clerk", "", &e) == 0, "%s",
	              e.msg);
	old_token = tbserver_login(s, "zhou", "first-pw", &e);
	keep = tbserver_login(s, "demo", "demo123", &e);
	ck_assert_msg(old_token && keep, "%s", e.msg);
	request(s, "GET", "/v1/cases?query=", old_token, NULL, 200);
	ck_assert_msg(tbserver_add_user(s, "zhou", "second-pw", "H001", "clerk", "", &e) == 0, "%s",
	              e.msg);
	request(s, "GET", "/v1/cases?query=", old_token, NULL, 401);
	request(s, "POST", "/v1/events", old_token, "{\"events\":[]}", 401);
	request(s, "GET", "/v1/cases?query=", keep, NULL, 200); /* another account's stays */
	ck_assert_ptr_null(tbserver_login(s, "zhou", "first-pw", &e));
	new_token = tbserver_login(s, "zhou", "second-pw", &e);
	ck_assert_msg(new_token != NULL, "%s", e.msg);
	request(s, "GET", "/v1/cases?query=", new_token, NULL, 200);
	free(new_token);
	free(keep);
	free(old_token);
	tbserver_free(s);
}
END_TEST

/* %E5%BC%A0%E4%B8%89%E4%B8%B0 is 张三丰 */
#define Q_NAME "%E5%BC%A0%E4%B8%89%E4%B8%B0"

/* Searches for an ID number, a phone and a name, the same put in paths,
 * failed logins and a refusal: the server's log names none of them. */
START_TEST(test_the_server_log_holds_no_ones_personal_data)
{
	static const char *const personal[] = {
	    ID_NO, "19491231", "13800138000", "张三丰", "张", Q_NAME, "%E5",
	};
	struct err e = {0};
	struct tbserver *s = tbserver_start(&e);
	char *demo, *c1, *batch, *log;
	size_t i;

	ck_assert_msg(s != NULL, "%s", e.msg);
	demo = tbserver_login(s, "demo", "demo123", &e);
	ck_assert_msg(demo != NULL, "%s", e.msg);
	c1 = created(CASE_1, 1, "张三丰");
	batch = xasprintf("{\"events\":[%s]}", c1);
	request(s, "POST", "/v1/events", demo, batch, 200);
	request(s, "GET", "/v1/cases?query=" ID_NO, demo, NULL, 200);
	request(s, "GET", "/v1/cases?query=13800138000", demo, NULL, 200);
	request(s, "GET", "/v1/cases?query=" Q_NAME "%201002X", demo, NULL, 200);
	request(s, "GET", "/v1/cases/" ID_NO, demo, NULL, 404);
	request(s, "GET", "/v1/cases/" Q_NAME, demo, NULL, 404);
	request(s, "GET", "/v1/cases/%25E5%25BC%25A0", demo, NULL, 404);
	request(s, "GET", "/v1/13800138000/" Q_NAME, demo, NULL, 404);
	request(s, "GET", "/v1/cases/" CASE_1, demo, NULL, 200);
	request(s, "GET", "/v1/users", demo, NULL, 403);
	request(s, "POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"" ID_NO "\"}",
	        401);
	request(s, "POST", "/v1/login", NULL, "{\"clerk\":\"ghost\",\"password\":\"13800138000\"}",
	        401);
	ck_assert_int_eq(tbserver_stop(s), 0);
	log = tbserver_log_tail(s, 1 << 20);
	for (i = 0; i < sizeof personal / sizeof personal[0]; i++)
		ck_assert_msg(strstr(log, personal[i]) == NULL, "%s in the log:\n%s", personal[i],
		              log);
	/* the lines are there, the data masked, a case id kept */
	ck_assert_msg(strstr(log, " GET /v1/cases 200 ") != NULL, "%s", log);
	ck_assert_msg(strstr(log, " GET /v1/cases/* 404 ") != NULL, "%s", log);
	ck_assert_msg(strstr(log, " GET /v1/*/* 404 ") != NULL, "%s", log);
	ck_assert_msg(strstr(log, " GET /v1/cases/" CASE_1 " 200 ") != NULL, "%s", log);
	ck_assert_msg(strstr(log, " POST /v1/login 401 ") != NULL, "%s", log);
	free(log);
	free(batch);
	free(c1);
	free(demo);
	tbserver_free(s);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("server_cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_decide_by_id_or_number_prints_the_event_and_moves_the_case);
	tcase_add_test(tc, test_decide_fails_with_1_and_misuse_is_2);
	tcase_add_test(tc, test_import_catalogue_refuses_a_malformed_file_and_keeps_the_old);
	tcase_add_test(tc, test_import_calendar_refuses_a_malformed_file_and_keeps_the_old);
	tcase_add_test(tc, test_export_csv_has_a_header_and_quotes_per_rfc4180);
	tcase_add_test(tc, test_export_json_parses_and_bad_use_is_refused);
	tcase_add_test(tc, test_timeout_closes_an_idle_connection);
	tcase_add_test(tc, test_a_trickling_body_is_cut_off_after_the_timeout);
	tcase_add_test(tc, test_serve_refuses_a_bad_timeout);
	tcase_add_test(tc, test_the_settings_file_comes_under_the_environment_and_the_options);
	tcase_add_test(tc, test_every_refusal_is_audited_without_secrets);
	tcase_add_test(tc, test_useradd_resetting_a_password_ends_the_old_sessions);
	tcase_add_test(tc, test_the_server_log_holds_no_ones_personal_data);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = tbcheck_run(cli_suite());
	curl_global_cleanup();
	return rc;
}
