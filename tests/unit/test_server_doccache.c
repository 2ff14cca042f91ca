/*
 * test_server_doccache.c - the catalogue as tongband serves it: one copy
 * per version shared by every answer, kept until the last answer is done;
 * its gzip copy; which Accept-Encoding headers take gzip.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_doccache.h"
#include "server/srv_store.h"
#include "tbcheck.h"
#include "tbdb.h"

static char dir[] = "/tmp/tongband-doccache-XXXXXX";
static char *db;
static struct srv_store *store;

static void setup(void)
{
	struct err e = {0};

	strcpy(dir, "/tmp/tongband-doccache-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	db = tbdb_new(dir, "t", &e);
	ck_assert_msg(db != NULL, "%s", e.msg);
	ck_assert_msg(srv_store_open(&store, db, &e) == 0, "%s", e.msg);
}

static void teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	srv_store_close(store);
	tbdb_remove(db);
	free(db);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void put(const char *version, const char *body)
{
	struct err e = {0};

	ck_assert_msg(srv_store_document_put(store, "catalogue", version, body,
	                                     "2026-12-01T00:00:00+08:00", &e) == 0,
	              "%s", e.msg);
}

/* data[0..len) unpacked; fails the test unless it is one whole gzip stream. */
static char *gunzip(const char *data, size_t len, size_t *out_len)
{
	struct buf out;
	char chunk[4096];
	z_stream z;
	int rc = Z_OK;

	memset(&z, 0, sizeof z);
	buf_init(&out);
	ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	while (rc == Z_OK) {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof chunk;
		rc = inflate(&z, Z_NO_FLUSH);
		buf_add(&out, chunk, sizeof chunk - z.avail_out);
	}
	ck_assert_int_eq(rc, Z_STREAM_END);
	ck_assert_uint_eq(z.avail_in, 0);
	inflateEnd(&z);
	*out_len = out.len;
	return buf_take(&out);
}

START_TEST(one_copy_per_version_is_shared_and_outlives_its_replacement)
{
	struct srv_doccache *c = srv_doccache_new();
	struct srv_doc *a = NULL, *b = NULL, *newer = NULL;
	struct err e = {0};

	ck_assert_int_eq(srv_doccache_get(c, store, "catalogue", "1", &a, &e), 0); /* none yet */
	ck_assert_ptr_null(a);
	put("1", "{\"version\":\"1\",\"items\":[]}");
	ck_assert_int_eq(srv_doccache_get(c, store, "catalogue", "1", &a, &e), 1);
	ck_assert_int_eq(srv_doccache_get(c, store, "catalogue", "1", &b, &e), 1);
	ck_assert_ptr_eq(a, b); /* read once */
	ck_assert_str_eq(a->plain, "{\"version\":\"1\",\"items\":[]}");
	srv_doc_release(b);

	/* a newer import: the next request reads it; the old copy stays whole
	 * for the answer still sending it */
	put("2", "{\"version\":\"2\",\"items\":[]}");
	ck_assert_int_eq(srv_doccache_get(c, store, "catalogue", "2", &newer, &e), 1);
	ck_assert_ptr_ne(newer, a);
	ck_assert_str_eq(newer->version, "2");
	srv_doccache_free(c);
	ck_assert_str_eq(a->version, "1");
	ck_assert_str_eq(a->plain, "{\"version\":\"1\",\"items\":[]}");
	srv_doc_release(a);
	ck_assert_str_eq(newer->plain, "{\"version\":\"2\",\"items\":[]}");
	srv_doc_release(newer);
}
END_TEST

START_TEST(without_a_cache_each_caller_gets_its_own_copy)
{
	struct srv_doc *a = NULL, *b = NULL;
	struct err e = {0};

	put("1", "{\"version\":\"1\",\"items\":[]}");
	ck_assert_int_eq(srv_doccache_get(NULL, store, "catalogue", "1", &a, &e), 1);
	ck_assert_int_eq(srv_doccache_get(NULL, store, "catalogue", "1", &b, &e), 1);
	ck_assert_ptr_ne(a, b);
	srv_doc_release(a);
	srv_doc_release(b);
}
END_TEST

START_TEST(the_gzip_copy_unpacks_to_the_text)
{
	struct buf text;
	char *gz, *back;
	size_t gz_len, back_len;
	struct err e = {0};
	int i;

	buf_init(&text);
	for (i = 0; i < 20000; i++) /* 1.5 MB: more than one output buffer */
		buf_printf(&text, "{\"code\":\"9%011d\",\"name\":\"测试事项%d\"},\n", i, i * 7919);
	ck_assert_int_eq(srv_gzip(text.data, text.len, &gz, &gz_len, &e), 0);
	ck_assert_uint_lt(gz_len, text.len / 3);
	back = gunzip(gz, gz_len, &back_len);
	ck_assert_uint_eq(back_len, text.len);
	ck_assert(memcmp(back, text.data, text.len) == 0);
	free(gz);
	free(back);
	ck_assert_int_eq(srv_gzip("", 0, &gz, &gz_len, &e), 0);
	back = gunzip(gz, gz_len, &back_len);
	ck_assert_uint_eq(back_len, 0);
	free(gz);
	free(back);
	buf_free(&text);
}
END_TEST

START_TEST(accept_encoding_takes_gzip_unless_refused)
{
	ck_assert(srv_accepts_gzip("gzip"));
	ck_assert(srv_accepts_gzip("gzip, deflate, br"));
	ck_assert(srv_accepts_gzip("deflate , GZIP;q=0.5"));
	ck_assert(srv_accepts_gzip("x-gzip"));
	ck_assert(srv_accepts_gzip("*"));
	ck_assert(srv_accepts_gzip("br, *;q=0.1"));
	ck_assert(!srv_accepts_gzip(NULL));
	ck_assert(!srv_accepts_gzip(""));
	ck_assert(!srv_accepts_gzip("identity"));
	ck_assert(!srv_accepts_gzip("deflate, br"));
	ck_assert(!srv_accepts_gzip("gzip;q=0"));
	ck_assert(!srv_accepts_gzip("gzip; q=0.000, deflate"));
	ck_assert(!srv_accepts_gzip("*;q=0"));
	ck_assert(!srv_accepts_gzip("*, gzip;q=0")); /* the named entry wins */
	ck_assert(!srv_accepts_gzip("gzipx, xgzip"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("server_doccache");
	TCase *tc = tcase_create("doccache");

	i18n_set_chinese(true);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, one_copy_per_version_is_shared_and_outlives_its_replacement);
	tcase_add_test(tc, without_a_cache_each_caller_gets_its_own_copy);
	tcase_add_test(tc, the_gzip_copy_unpacks_to_the_text);
	tcase_add_test(tc, accept_encoding_takes_gzip_unless_refused);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
