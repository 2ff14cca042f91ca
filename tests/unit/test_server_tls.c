/*
 * test_server_tls.c - tongband over HTTPS: a self-signed certificate made
 * with the openssl command, a server started in-process with it, libcurl
 * trusting exactly that certificate (CURLOPT_CAINFO).
 */
#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_http.h"
#include "tbcheck.h"
#include "tbdb.h"

static char dir[] = "/tmp/tongband-tls-XXXXXX";
static char cert[300], key[300];
static char *db; /* tbdb.h */

static void make_cert(void)
{
	char *cmd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	db = tbdb_new(dir, "tls", NULL);
	ck_assert_ptr_nonnull(db);
	cmd = xasprintf("openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' -days 2"
	                " -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
	                " >/dev/null 2>&1",
	                key, cert);
	ck_assert_msg(system(cmd) == 0, "openssl could not make a certificate: %s", cmd);
	free(cmd);
}

static void remove_dir(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	tbdb_remove(db);
	free(db);
	db = NULL;
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static struct srv *start_tls(const char *listen)
{
	struct srv_config cfg = {0};
	struct err e = {0};
	struct srv *s;

	cfg.listen = listen;
	cfg.db_path = db;
	cfg.quiet = true;
	cfg.tls_cert = cert;
	cfg.tls_key = key;
	s = srv_start(&cfg, &e);
	ck_assert_msg(s != NULL, "srv_start: %s", e.msg);
	return s;
}

static size_t discard(char *p, size_t size, size_t n, void *userdata)
{
	(void)p;
	(void)userdata;
	return size * n;
}

/* GET url; cainfo NULL = the system's CAs.  The curl code; *status set. */
static CURLcode get(const char *url, const char *cainfo, long *status)
{
	CURL *c = curl_easy_init();
	CURLcode rc;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (cainfo != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, cainfo);
	rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	return rc;
}

START_TEST(test_https_with_a_trusted_certificate_answers)
{
	struct srv *s = start_tls("127.0.0.1:0");
	char *url = xasprintf("%s/v1/health", srv_url(s));
	long status;
	CURLcode rc;

	ck_assert_msg(strncmp(srv_url(s), "https://", 8) == 0, "%s", srv_url(s));
	rc = get(url, cert, &status);
	ck_assert_msg(rc == CURLE_OK, "%s", curl_easy_strerror(rc));
	ck_assert_int_eq(status, 200);
	free(url);
	srv_stop(s);
}
END_TEST

START_TEST(test_an_untrusted_certificate_is_refused_by_the_client)
{
	struct srv *s = start_tls("127.0.0.1:0");
	char *url = xasprintf("%s/v1/health", srv_url(s));
	long status;

	ck_assert_int_eq(get(url, NULL, &status), CURLE_PEER_FAILED_VERIFICATION);
	free(url);
	srv_stop(s);
}
END_TEST

START_TEST(test_plain_http_to_the_tls_port_gets_no_answer)
{
	struct srv *s = start_tls("127.0.0.1:0");
	char *url = xasprintf("http://127.0.0.1:%u/v1/health", srv_port(s));
	long status;

	ck_assert_int_ne(get(url, NULL, &status), CURLE_OK);
	ck_assert_int_ne(status, 200);
	free(url);
	srv_stop(s);
}
END_TEST

START_TEST(test_tls_allows_a_non_loopback_address_plain_http_does_not)
{
	struct srv_config cfg = {0};
	struct err e = {0};
	struct srv *s = start_tls("0.0.0.0:0");

	srv_stop(s);
	cfg.listen = "0.0.0.0:0";
	cfg.db_path = db;
	cfg.quiet = true;
	ck_assert_ptr_null(srv_start(&cfg, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "--tls-cert"));
}
END_TEST

START_TEST(test_a_certificate_without_key_or_a_bad_file_is_refused)
{
	struct srv_config cfg = {0};
	struct err e = {0};

	cfg.listen = "127.0.0.1:0";
	cfg.db_path = db;
	cfg.quiet = true;
	cfg.tls_cert = cert;
	ck_assert_ptr_null(srv_start(&cfg, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "--tls-key"));
	cfg.tls_key = db; /* not a PEM key */
	ck_assert_ptr_null(srv_start(&cfg, &e));
	cfg.tls_key = "/nonexistent/key.pem";
	ck_assert_ptr_null(srv_start(&cfg, &e));
}
END_TEST

static Suite *tls_suite(void)
{
	Suite *s = suite_create("server_tls");
	TCase *tc = tcase_create("tls");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, make_cert, remove_dir);
	tcase_add_test(tc, test_https_with_a_trusted_certificate_answers);
	tcase_add_test(tc, test_an_untrusted_certificate_is_refused_by_the_client);
	tcase_add_test(tc, test_plain_http_to_the_tls_port_gets_no_answer);
	tcase_add_test(tc, test_tls_allows_a_non_loopback_address_plain_http_does_not);
	tcase_add_test(tc, test_a_certificate_without_key_or_a_bad_file_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = tbcheck_run(tls_suite());
	curl_global_cleanup();
	return rc;
}
