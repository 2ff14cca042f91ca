/*
 * test_strpool.c - the pool a catalogue keeps its text in: the same bytes
 * give the same pointer, at the alignment asked for, large blocks too, and
 * forgetting the table keeps what was interned.
 */
#include "core/i18n.h"
#include "core/strpool.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

START_TEST(the_same_text_is_kept_once)
{
	struct strpool *p = strpool_new();
	const char *a = strpool_str(p, "建筑垃圾处置许可xyz", strlen("建筑垃圾处置许可"));
	const char *b = strpool_str(p, "建筑垃圾处置许可", strlen("建筑垃圾处置许可"));
	const char *c = strpool_str(p, "建筑垃圾", strlen("建筑垃圾"));

	ck_assert_str_eq(a, "建筑垃圾处置许可");
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, c);
	ck_assert_str_eq(c, "建筑垃圾");
	ck_assert_ptr_eq(strpool_str(p, "", 0), strpool_str(p, "", 0));
	strpool_free(p);
}
END_TEST

START_TEST(blocks_come_aligned)
{
	struct strpool *p = strpool_new();
	uint32_t v[3] = {1, 2, 3};
	size_t i;

	for (i = 0; i < 100; i++) {
		const void *s = strpool_str(p, "abc", i % 4);
		const uint32_t *w = strpool_intern(p, v, sizeof v, sizeof v[0]);
		const void *q = strpool_intern(p, &i, sizeof i, 16);

		(void)s;
		ck_assert_uint_eq((uintptr_t)w % sizeof v[0], 0);
		ck_assert_uint_eq((uintptr_t)q % 16, 0);
		ck_assert_uint_eq(w[2], 3);
		ck_assert_ptr_eq(w, strpool_intern(p, v, sizeof v, sizeof v[0]));
	}
	strpool_free(p);
}
END_TEST

START_TEST(large_blocks_and_many_strings)
{
	struct strpool *p = strpool_new();
	char *big = xmalloc(300000);
	const char *kept[5000];
	const char *b1, *b2;
	size_t i;

	memset(big, 'x', 299999);
	big[299999] = '\0';
	b1 = strpool_str(p, big, 299999);
	for (i = 0; i < 5000; i++) {
		char s[32];

		snprintf(s, sizeof s, "item %zu", i);
		kept[i] = strpool_str(p, s, strlen(s));
	}
	b2 = strpool_str(p, big, 299999);
	ck_assert_ptr_eq(b1, b2);
	for (i = 0; i < 5000; i++) {
		char s[32];

		snprintf(s, sizeof s, "item %zu", i);
		ck_assert_str_eq(kept[i], s);
		ck_assert_ptr_eq(kept[i], strpool_str(p, s, strlen(s)));
	}
	ck_assert_uint_ge(strpool_size(p), 300000);
	free(big);
	strpool_free(p);
}
END_TEST

START_TEST(forgetting_keeps_the_blocks)
{
	struct strpool *p = strpool_new();
	const char *a = strpool_str(p, "受理条件", strlen("受理条件"));
	const char *b;

	strpool_forget(p);
	ck_assert_str_eq(a, "受理条件");
	b = strpool_str(p, "受理条件", strlen("受理条件"));
	ck_assert_str_eq(b, "受理条件");
	ck_assert_ptr_eq(b, strpool_str(p, "受理条件", strlen("受理条件")));
	strpool_free(p);
	strpool_free(NULL);
}
END_TEST

static Suite *strpool_suite(void)
{
	Suite *s = suite_create("strpool");
	TCase *tc = tcase_create("strpool");

	tcase_add_test(tc, the_same_text_is_kept_once);
	tcase_add_test(tc, blocks_come_aligned);
	tcase_add_test(tc, large_blocks_and_many_strings);
	tcase_add_test(tc, forgetting_keeps_the_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(strpool_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
