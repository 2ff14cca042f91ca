/*
 * test_sync_ecert.c - the sync's e-certificate checks (src/sync/ecert.c,
 * src/store/ecert.c) against a real tongband: a check asked at the counter
 * stays pending while tongband is away, is answered once it is back (found
 * with the certificate's elements, expired, not found), and is not asked
 * again for the same day; `tongban sync` answers them too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "store/clerk.h"
#include "store/ecert.h"
#include "store/store.h"
#include "sync/ecert.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"

#define ZHANG "430102198503151236"
#define LI    "43010219900101456X"
#define DAY   "2026-12-01"

static struct tbserver *srv;
static struct store *st;
static char dir[64], path[128], token[128];

static void setup(void)
{
	struct err e = {0};
	struct clerk clerk;
	char *file = tbcheck_src_path("examples/certificates.tsv"), *cmd;

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	cmd = xasprintf("'%s' import-certificates --db '%s' '%s' >/dev/null 2>&1", tbserver_bin(),
	                tbserver_db(srv), file);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(file);
	snprintf(dir, sizeof dir, "/tmp/tongban-ecert-sync-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &clerk, &e),
	                 LOGIN_ONLINE);
	ck_assert_int_eq(store_session_get(st, NULL, token, NULL, &e), 1);
}

static void teardown(void)
{
	char cmd[128];

	store_close(st);
	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct ecert_check get(const char *type, const char *holder)
{
	struct ecert_check c;
	struct err e = {0};

	ck_assert_int_eq(store_ecert_get(st, type, holder, &c, &e), 1);
	return c;
}

static void ask(const char *type, const char *holder, const char *day)
{
	struct err e = {0};

	ck_assert_msg(store_ecert_ask(st, type, holder, day, "demo", &e) == 0, "%s", e.msg);
}

START_TEST(a_check_waits_while_tongband_is_away_and_is_answered_when_it_is_back)
{
	struct err e = {0};
	struct ecert_check c;
	int checked = -1;

	ask("居民身份证", ZHANG, DAY);
	ask("居民身份证", LI, DAY);
	ask("居民户口簿", LI, DAY);
	ck_assert_int_eq(tbserver_stop(srv), 0);
	ck_assert_int_eq(sync_check_ecerts(st, tbserver_url(srv), token, &checked, &e),
	                 SYNC_OFFLINE);
	ck_assert_int_eq(checked, 0);
	ck_assert_int_eq(get("居民身份证", ZHANG).state, ECERT_PENDING);

	ck_assert_msg(tbserver_restart(srv, &e) == 0, "%s", e.msg);
	err_clear(&e);
	ck_assert_msg(sync_check_ecerts(st, tbserver_url(srv), token, &checked, &e) == SYNC_OK,
	              "%s", e.msg);
	ck_assert_int_eq(checked, 3);
	c = get("居民身份证", ZHANG);
	ck_assert_int_eq(c.state, ECERT_FOUND);
	ck_assert_str_eq(c.number, ZHANG);
	ck_assert_str_eq(c.issuer, "长沙市公安局芙蓉分局");
	ck_assert_str_eq(c.valid_until, "2036-05-20");
	ck_assert_str_eq(c.holder_name, "张伟");
	ck_assert(c.checked_at[0] != '\0');
	ck_assert_int_eq(get("居民身份证", LI).state, ECERT_EXPIRED);
	ck_assert_int_eq(get("居民户口簿", LI).state, ECERT_NOT_FOUND);
	/* nothing pending: nothing asked */
	ck_assert_int_eq(sync_check_ecerts(st, tbserver_url(srv), token, &checked, &e), SYNC_OK);
	ck_assert_int_eq(checked, 0);
	ck_assert_int_eq(tbdb_int(tbserver_db(srv),
	                          "SELECT count(*) FROM audit WHERE what = 'certificate'", NULL,
	                          NULL),
	                 3);
}
END_TEST

START_TEST(the_same_day_keeps_an_answer_and_another_day_asks_again)
{
	struct err e = {0};
	int checked;

	ask("居民身份证", LI, "2025-01-20");
	ck_assert_int_eq(sync_check_ecerts(st, tbserver_url(srv), token, &checked, &e), SYNC_OK);
	ck_assert_int_eq(get("居民身份证", LI).state, ECERT_FOUND); /* valid then */
	ask("居民身份证", LI, "2025-01-20");
	ck_assert_int_eq(get("居民身份证", LI).state, ECERT_FOUND);
	ask("居民身份证", LI, DAY);
	ck_assert_int_eq(get("居民身份证", LI).state, ECERT_PENDING);
	ck_assert_str_eq(get("居民身份证", LI).number, "");
	ck_assert_int_eq(sync_check_ecerts(st, tbserver_url(srv), token, &checked, &e), SYNC_OK);
	ck_assert_int_eq(get("居民身份证", LI).state, ECERT_EXPIRED);
}
END_TEST

START_TEST(tongban_sync_answers_the_checks_asked_offline)
{
	char *cmd, buf[512];
	FILE *p;
	size_t n;
	int status;

	ask("不动产权证书", ZHANG, DAY);
	store_close(st);
	cmd = xasprintf("LANG=C LC_ALL=C '%s' --db '%s' --server '%s' sync 2>&1",
	                tbcheck_env("TONGBAN_BIN", "build/tongban"), path, tbserver_url(srv));
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	status = pclose(p);
	free(cmd);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", buf);
	ck_assert_msg(strstr(buf, "1 e-certificates checked") != NULL, "%s", buf);
	st = store_open(path, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(get("不动产权证书", ZHANG).state, ECERT_FOUND);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sync_ecert");
	TCase *tc = tcase_create("ecert");

	sync_global_init();
	if (login_init() < 0)
		return 1;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, a_check_waits_while_tongband_is_away_and_is_answered_when_it_is_back);
	tcase_add_test(tc, the_same_day_keeps_an_answer_and_another_day_asks_again);
	tcase_add_test(tc, tongban_sync_answers_the_checks_asked_offline);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
