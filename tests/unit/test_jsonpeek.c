/* tests/unit/test_jsonpeek.c - one top-level string member read without parsing the rest. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/jsonpeek.h"

static bool peek(const char *text, const char *key, char *out, size_t n)
{
	return json_peek_string(text, strlen(text), key, out, n);
}

START_TEST(the_version_is_found_before_or_after_the_items)
{
	char v[32];

	ck_assert(peek("{\"version\": \"2026.11.1\", \"items\": []}", "version", v, sizeof v));
	ck_assert_str_eq(v, "2026.11.1");
	ck_assert(peek(" {\n \"items\": [{\"a\": \"}]\\\"\", \"b\": [1, {\"c\": null}]}],\n"
	               " \"n\": -1.5e3, \"t\": true, \"version\" : \"v2\"}",
	               "version", v, sizeof v));
	ck_assert_str_eq(v, "v2");
}
END_TEST

START_TEST(only_the_top_level_counts)
{
	char v[32];

	ck_assert(!peek("{\"items\": [{\"version\": \"inner\"}]}", "version", v, sizeof v));
	ck_assert(!peek("{\"x\": {\"version\": \"inner\"}}", "version", v, sizeof v));
}
END_TEST

START_TEST(what_is_not_a_plain_string_is_not_found)
{
	char v[8];

	ck_assert(!peek("{\"version\": 3}", "version", v, sizeof v));
	ck_assert(!peek("{\"version\": \"a\\\"b\"}", "version", v, sizeof v));
	ck_assert(!peek("{\"version\": \"much too long\"}", "version", v, sizeof v));
	ck_assert(!peek("[\"version\", \"x\"]", "version", v, sizeof v));
	ck_assert(!peek("{\"version\": \"unterminated", "version", v, sizeof v));
	ck_assert(!peek("{\"items\": [1, 2", "version", v, sizeof v));
	ck_assert(!peek("", "version", v, sizeof v));
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("jsonpeek");
	TCase *tc = tcase_create("jsonpeek");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, the_version_is_found_before_or_after_the_items);
	tcase_add_test(tc, only_the_top_level_counts);
	tcase_add_test(tc, what_is_not_a_plain_string_is_not_found);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
