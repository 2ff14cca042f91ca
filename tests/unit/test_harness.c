/*
 * test_harness.c - the test harness tests itself: a pty whose screen we can
 * read, typing that arrives complete, and a real tongband we can start.
 */
#include "core/i18n.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WAIT_MS 10000

/* Run a shell script in an 24x80 pty. */
static struct term *spawn_sh(const char *script)
{
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	struct err e = {0};
	struct term *t = term_spawn(argv, NULL, 24, 80, &e);

	ck_assert_msg(t != NULL, "term_spawn: %s", e.msg);
	return t;
}

/* Fail showing the screen when text does not appear. */
static void expect_text(struct term *t, const char *text)
{
	if (term_wait_text(t, text, WAIT_MS) != 0) {
		char *screen = term_screen(t);

		ck_abort_msg("\"%s\" not on screen:\n%s", text, screen);
	}
}

START_TEST(chinese_output_is_found_on_its_row)
{
	struct term *t =
	    spawn_sh("printf 'first\\n\\344\\275\\240\\345\\245\\275 world\\n'; read x");
	char *line;
	int row = -1, col = -1;

	expect_text(t, "你好 world");
	line = term_line(t, 1);
	ck_assert_str_eq(line, "你好 world");
	free(line);
	line = term_line(t, 0);
	ck_assert_str_eq(line, "first");
	free(line);
	line = term_line(t, 99);
	ck_assert_str_eq(line, "");
	free(line);
	ck_assert(term_find(t, "world", &row, &col));
	ck_assert_int_eq(row, 1);
	ck_assert_int_eq(col, 5); /* 你 and 好 take two cells each */
	ck_assert(term_find(t, "好", &row, &col));
	ck_assert_int_eq(col, 2);
	ck_assert(!term_find(t, "你好world", NULL, NULL));
	term_close(t);
}
END_TEST

START_TEST(typed_chinese_reaches_the_child)
{
	struct term *t = spawn_sh("printf 'name? '; read x; echo \"got:$x\"; read y");

	expect_text(t, "name?");
	ck_assert_int_eq(term_send(t, "张三丰" TERM_KEY_ENTER), 0);
	expect_text(t, "got:张三丰");
	expect_text(t, "name? 张三丰"); /* the tty's echo */
	term_close(t);
}
END_TEST

START_TEST(wait_text_times_out_for_absent_text)
{
	struct term *t = spawn_sh("printf 'hello\\n'; read x");
	long long start;
	long long took;

	expect_text(t, "hello");
	start = clock_ms();
	ck_assert_int_eq(term_wait_text(t, "never shown", 300), -1);
	took = clock_ms() - start;
	ck_assert_msg(took >= 290 && took < 2000, "waited %lld ms for a 300 ms timeout", took);
	term_close(t);
}
END_TEST

START_TEST(wait_gone_sees_text_erased)
{
	struct term *t = spawn_sh("printf 'busy'; read x; printf '\\033[H\\033[2Jidle'; read y");

	expect_text(t, "busy");
	ck_assert_int_eq(term_wait_gone(t, "busy", 200), -1);
	term_send(t, TERM_KEY_ENTER);
	ck_assert_int_eq(term_wait_gone(t, "busy", WAIT_MS), 0);
	expect_text(t, "idle");
	term_close(t);
}
END_TEST

START_TEST(child_exit_is_detected)
{
	struct term *t = spawn_sh("printf 'bye\\n'; exit 3");
	int status = -1;
	long long start;

	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, &status), 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 3);
	ck_assert(!term_is_running(t));
	expect_text(t, "bye"); /* the last output is still read */
	start = clock_ms();
	ck_assert_int_eq(term_wait_text(t, "never", WAIT_MS), -1);
	ck_assert_int_lt(clock_ms() - start, 1000);
	ck_assert_int_eq(term_pump(t, 100), -1);
	term_close(t);
}
END_TEST

START_TEST(last_output_before_exit_is_seen)
{
	struct term *t = spawn_sh("printf 'last words'");

	expect_text(t, "last words");
	term_close(t);
}
END_TEST

START_TEST(exec_failure_exits_127)
{
	char *argv[] = {"/nonexistent/program", NULL};
	struct err e = {0};
	struct term *t = term_spawn(argv, NULL, 24, 80, &e);
	int status = -1;

	ck_assert_msg(t != NULL, "%s", e.msg);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, &status), 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 127);
	term_close(t);
}
END_TEST

START_TEST(resize_reaches_the_child)
{
	struct term *t = spawn_sh("stty size; read x; stty size; read y");
	int rows, cols;

	expect_text(t, "24 80");
	ck_assert_int_eq(term_resize(t, 30, 100), 0);
	term_size(t, &rows, &cols);
	ck_assert_int_eq(rows, 30);
	ck_assert_int_eq(cols, 100);
	term_send(t, TERM_KEY_ENTER);
	expect_text(t, "30 100");
	term_close(t);
}
END_TEST

START_TEST(environment_is_set_for_the_child)
{
	char *argv[] = {"/bin/sh", "-c",
	                "echo \"[$TERM $FOO ${LINES:-none} $HOME $LC_ALL]\"; read x", NULL};
	char *env[] = {"FOO=bar", "HOME=/elsewhere", NULL};
	struct err e = {0};
	struct term *t = term_spawn(argv, env, 24, 80, &e);

	ck_assert_msg(t != NULL, "%s", e.msg);
	expect_text(t, "[xterm-256color bar none /elsewhere C.UTF-8]");
	term_close(t);
}
END_TEST

START_TEST(cursor_position_follows_output)
{
	struct term *t = spawn_sh("printf 'ab\\n\\344\\275\\240x'; read x");
	int row = -1, col = -1;

	expect_text(t, "你x");
	term_cursor(t, &row, &col);
	ck_assert_int_eq(row, 1);
	ck_assert_int_eq(col, 3);
	term_close(t);
}
END_TEST

/* Read what a raw, non-echoing child received into dir/got. */
static char *received(const char *dir, size_t *len)
{
	char *path = xasprintf("%s/got", dir);
	struct err e = {0};
	char *data = file_read_all(path, len, 1 << 20, &e);

	ck_assert_msg(data != NULL, "%s", e.msg);
	free(path);
	return data;
}

static struct term *spawn_receiver(const char *dir, size_t nbytes)
{
	char *script = xasprintf("stty raw -echo; printf 'ready\\n'; head -c %zu > '%s/got'; "
	                         "printf 'done\\n'; read x",
	                         nbytes, dir);
	struct term *t = spawn_sh(script);

	free(script);
	expect_text(t, "ready");
	return t;
}

START_TEST(burst_of_2000_characters_arrives_complete)
{
	struct err e = {0};
	char *dir = harness_tmpdir("tongban-harness", &e);
	char typed[2001], *got;
	struct term *t;
	size_t i, len = 0;

	ck_assert_msg(dir != NULL, "%s", e.msg);
	for (i = 0; i < 2000; i++)
		typed[i] = (char)('a' + i % 26);
	typed[2000] = '\0';
	t = spawn_receiver(dir, 2000);
	ck_assert_int_eq(term_send(t, typed), 0);
	expect_text(t, "done");
	got = received(dir, &len);
	ck_assert_uint_eq(len, 2000);
	ck_assert(memcmp(got, typed, 2000) == 0);
	free(got);
	term_close(t);
	harness_tmpdir_remove(dir);
	free(dir);
}
END_TEST

START_TEST(burst_of_2000_chinese_characters_arrives_complete)
{
	struct err e = {0};
	char *dir = harness_tmpdir("tongban-harness", &e);
	struct buf typed;
	char *got;
	struct term *t;
	size_t i, len = 0;

	ck_assert_msg(dir != NULL, "%s", e.msg);
	buf_init(&typed);
	for (i = 0; i < 2000; i++)
		buf_adds(&typed, i % 2 ? "张" : "三");
	t = spawn_receiver(dir, typed.len);
	ck_assert_int_eq(term_send(t, typed.data), 0);
	expect_text(t, "done");
	got = received(dir, &len);
	ck_assert_uint_eq(len, typed.len);
	ck_assert(memcmp(got, typed.data, len) == 0);
	free(got);
	buf_free(&typed);
	term_close(t);
	harness_tmpdir_remove(dir);
	free(dir);
}
END_TEST

START_TEST(keys_are_sent_as_xterm_sends_them)
{
	struct err e = {0};
	char *dir = harness_tmpdir("tongban-harness", &e);
	const char *keys = TERM_KEY_F1 TERM_KEY_F5 TERM_KEY_F12 TERM_KEY_BTAB TERM_KEY_DELETE;
	char *got;
	struct term *t;
	size_t len = 0;

	ck_assert_msg(dir != NULL, "%s", e.msg);
	t = spawn_receiver(dir, strlen(keys) + 1);
	ck_assert_int_eq(term_send(t, keys), 0);
	ck_assert_int_eq(term_send(t, TERM_KEY_CTRL('x')), 0);
	expect_text(t, "done");
	got = received(dir, &len);
	ck_assert_str_eq(got, "\033OP\033[15~\033[24~\033[Z\033[3~\030");
	free(got);
	term_close(t);
	harness_tmpdir_remove(dir);
	free(dir);
}
END_TEST

START_TEST(terminal_answers_cursor_position_query)
{
	struct err e = {0};
	char *dir = harness_tmpdir("tongban-harness", &e);
	char *script, *got;
	struct term *t;
	size_t len = 0;

	ck_assert_msg(dir != NULL, "%s", e.msg);
	/* ESC[6n asks where the cursor is; libvterm answers ESC[2;4R. */
	script = xasprintf("stty raw -echo; printf 'abc\\r\\n123\\033[6n'; head -c 6 > '%s/got';"
	                   " printf 'done\\n'; read x",
	                   dir);
	t = spawn_sh(script);
	free(script);
	expect_text(t, "done");
	got = received(dir, &len);
	ck_assert_str_eq(got, "\033[2;4R");
	free(got);
	term_close(t);
	harness_tmpdir_remove(dir);
	free(dir);
}
END_TEST

START_TEST(close_kills_a_child_that_ignores_sigterm)
{
	struct term *t =
	    spawn_sh("trap '' TERM HUP; printf 'stubborn\\n'; while :; do read x; done");
	pid_t pid;
	long long start;

	expect_text(t, "stubborn");
	pid = term_pid(t);
	start = clock_ms();
	term_close(t);
	ck_assert_int_lt(clock_ms() - start, 5000);
	ck_assert_int_eq(kill(pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	term_close(NULL);
}
END_TEST

/* The tbserver tests need the real tongband binary. */
START_TEST(server_starts_answers_and_stops)
{
	struct err e = {0};
	struct tbserver *s = tbserver_start(&e);
	char *body, *token, *dir;
	long status = 0;

	ck_assert_msg(s != NULL, "tbserver_start: %s", e.msg);
	ck_assert(strncmp(tbserver_url(s), "http://127.0.0.1:", 17) == 0);
	ck_assert_int_gt(tbserver_pid(s), 0);
	body = tbserver_request(s, "GET", "/v1/health", NULL, NULL, &status, &e);
	ck_assert_msg(body != NULL, "%s", e.msg);
	ck_assert_int_eq(status, 200);
	ck_assert_msg(strstr(body, "ok") != NULL, "health: %s", body);
	free(body);

	token = tbserver_login(s, TBSERVER_CLERK, TBSERVER_PASSWORD, &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	ck_assert(strlen(token) > 0);
	free(token);
	token = tbserver_login(s, TBSERVER_OTHER_CLERK, TBSERVER_OTHER_PASSWORD, &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	free(token);
	ck_assert(tbserver_login(s, TBSERVER_CLERK, "wrong", &e) == NULL);

	ck_assert_int_eq(tbserver_stop(s), 0);
	ck_assert_int_eq(tbserver_pid(s), -1);
	ck_assert(tbserver_request(s, "GET", "/v1/health", NULL, NULL, &status, &e) == NULL);

	dir = xstrdup(tbserver_dir(s));
	ck_assert_int_eq(access(dir, F_OK), 0);
	tbserver_free(s);
	ck_assert_int_eq(access(dir, F_OK), -1);
	free(dir);
}
END_TEST

START_TEST(server_restarts_on_the_same_database)
{
	struct err e = {0};
	struct tbserver *s = tbserver_start(&e);
	char *token;
	pid_t old;

	ck_assert_msg(s != NULL, "tbserver_start: %s", e.msg);
	old = tbserver_pid(s);
	kill(old, SIGKILL); /* a crash, not a clean stop */
	ck_assert_msg(tbserver_restart(s, &e) == 0, "restart: %s", e.msg);
	ck_assert_int_ne(tbserver_pid(s), old);
	token = tbserver_login(s, TBSERVER_CLERK, TBSERVER_PASSWORD, &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	free(token);
	tbserver_free(s);
}
END_TEST

static Suite *harness_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *tc = tcase_create("term");
	TCase *srv = tcase_create("tbserver");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, chinese_output_is_found_on_its_row);
	tcase_add_test(tc, typed_chinese_reaches_the_child);
	tcase_add_test(tc, wait_text_times_out_for_absent_text);
	tcase_add_test(tc, wait_gone_sees_text_erased);
	tcase_add_test(tc, child_exit_is_detected);
	tcase_add_test(tc, last_output_before_exit_is_seen);
	tcase_add_test(tc, exec_failure_exits_127);
	tcase_add_test(tc, resize_reaches_the_child);
	tcase_add_test(tc, environment_is_set_for_the_child);
	tcase_add_test(tc, cursor_position_follows_output);
	tcase_add_test(tc, burst_of_2000_characters_arrives_complete);
	tcase_add_test(tc, burst_of_2000_chinese_characters_arrives_complete);
	tcase_add_test(tc, keys_are_sent_as_xterm_sends_them);
	tcase_add_test(tc, terminal_answers_cursor_position_query);
	tcase_add_test(tc, close_kills_a_child_that_ignores_sigterm);
	suite_add_tcase(s, tc);

	tcase_set_timeout(srv, 30);
	tcase_add_test(srv, server_starts_answers_and_stops);
	tcase_add_test(srv, server_restarts_on_the_same_database);
	suite_add_tcase(s, srv);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(harness_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
