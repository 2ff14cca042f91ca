/*
 * tests/unit/test_server_pwcost.c - the cost of tongband's password hashes
 * (core/pwcost.h): new accounts get it, the hash an unknown clerk is
 * checked against has it too (the same time for both), and an account whose
 * hash was made at the old, dearer cost (libsodium's interactive: 64 MiB)
 * gets it at its next successful login, keeping its password and sessions.
 */
#include <check.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/pwcost.h"
#include "server/srv_auth.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"

static char *hash_of(struct tbserver *s, const char *id)
{
	struct err e = {0};
	char sql[128], *h;

	snprintf(sql, sizeof sql, "SELECT pwhash FROM users WHERE id = '%s'", id);
	h = tbdb_text(tbserver_db(s), sql, &e);
	ck_assert_msg(h != NULL, "%s", e.msg);
	return h;
}

START_TEST(the_unknown_clerks_hash_costs_the_same_as_a_real_one)
{
	const char *d = srv_auth_dummy_hash();

	ck_assert_ptr_nonnull(strstr(d, "$m=19456,t=2,p=1$"));
	ck_assert(!srv_auth_needs_rehash(d));
	ck_assert(srv_auth_needs_rehash("$argon2id$v=19$m=65536,t=2,p=1$5WSBZwbUJIJ1rM9ASUAgOw$"
	                                "FeoThl/5lj6u0gQURMV5iF2le8wiHnnVkRbu6qgR54k"));
}
END_TEST

START_TEST(an_old_hash_is_made_again_at_the_next_login)
{
	struct err e = {0};
	struct tbserver *s = tbserver_start(&e);
	char old[crypto_pwhash_STRBYTES], sql[512], *h, *token, *body;
	long status = 0;

	ck_assert_msg(s != NULL, "%s", e.msg);
	ck_assert_int_eq(sodium_init() < 0, 0);
	ck_assert_msg(tbserver_add_user(s, "zhou", "zhou-pass", TBSERVER_HALL, "clerk", "", &e) ==
	                  0,
	              "%s", e.msg);
	h = hash_of(s, "zhou");
	ck_assert_msg(strstr(h, "$m=19456,t=2,p=1$") != NULL, "a new account's hash: %s", h);
	free(h);
	/* as tongband stored it before */
	ck_assert_int_eq(crypto_pwhash_str(old, "zhou-pass", 9, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                   crypto_pwhash_MEMLIMIT_INTERACTIVE),
	                 0);
	snprintf(sql, sizeof sql, "UPDATE users SET pwhash = '%s' WHERE id = 'zhou'", old);
	ck_assert_msg(tbdb_exec(tbserver_db(s), sql, &e) == 0, "%s", e.msg);
	/* a wrong password changes nothing */
	ck_assert_ptr_null(tbserver_login(s, "zhou", "not-it", &e));
	h = hash_of(s, "zhou");
	ck_assert_str_eq(h, old);
	free(h);
	/* the right one logs in, and the hash is of the new cost */
	token = tbserver_login(s, "zhou", "zhou-pass", &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	h = hash_of(s, "zhou");
	ck_assert_msg(strstr(h, "$m=19456,t=2,p=1$") != NULL, "after the login: %s", h);
	ck_assert_int_eq(crypto_pwhash_str_verify(h, "zhou-pass", 9), 0);
	free(h);
	/* the session it gave works, and the password still does */
	body = tbserver_request(s, "GET", "/v1/changes?since=0", token, NULL, &status, &e);
	ck_assert_msg(body != NULL && status == 200, "%ld %s", status, body ? body : e.msg);
	free(body);
	free(token);
	token = tbserver_login(s, "zhou", "zhou-pass", &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	free(token);
	tbserver_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("server password cost");
	TCase *tc = tcase_create("argon2id");

	i18n_set_chinese(true); /* the suite reads the default language */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_unknown_clerks_hash_costs_the_same_as_a_real_one);
	tcase_add_test(tc, an_old_hash_is_made_again_at_the_next_login);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
