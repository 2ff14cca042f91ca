/*
 * tests/unit/test_i18n.c - the languages through gettext: the Chinese
 * catalogue is found and used by default, English under an English choice,
 * and every name of the bundled data that a clerk sees (items, departments,
 * conditions, materials, form titles, sections, labels, help, choices) has
 * an English without a Chinese character in po/data/en.po, so that an item
 * or a form added without its English fails here.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "tbcheck.h"

/* Whether s holds a CJK character or CJK / full-width punctuation. */
static bool has_chinese(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p == 0xE3 || (*p >= 0xE4 && *p <= 0xE9)) /* U+3000..U+9FFF */
			return true;
		if (*p == 0xEF && (p[1] == 0xBC || p[1] == 0xBD || p[1] == 0xBF)) /* full width */
			return true;
		if (*p == 0xE2 && p[1] == 0x80 && (p[2] == 0x9C || p[2] == 0x9D)) /* “ ” */
			return true;
	}
	return false;
}

static int missing;

static void english_of(const char *zh, const char *where)
{
	const char *en;

	if (zh == NULL || zh[0] == '\0' || !has_chinese(zh))
		return;
	en = i18n_data(zh);
	if (en == zh || strcmp(en, zh) == 0 || has_chinese(en)) {
		if (missing++ < 20)
			fprintf(stderr, "no English for \"%s\" (%s): \"%s\"\n", zh, where, en);
	}
}

START_TEST(messages_are_chinese_by_default_and_english_when_chosen)
{
	i18n_set_chinese(true);
	ck_assert_str_eq(_("Please log in"), "请登录");
	ck_assert_str_eq(C_("event", "accepted"), "受理");
	ck_assert_str_eq(C_("state", "accepted"), "已受理");
	ck_assert_str_eq(P_("%d working day", "%d working days", 3), "%d个工作日");
	/* data are shown as they are in Chinese */
	ck_assert_str_eq(i18n_data("居民身份证"), "居民身份证");
	i18n_set_chinese(false);
	ck_assert_str_eq(_("Please log in"), "Please log in");
	ck_assert_str_eq(C_("state", "accepted"), "accepted");
	ck_assert_str_eq(P_("%d working day", "%d working days", 1), "%d working day");
	ck_assert_str_eq(P_("%d working day", "%d working days", 3), "%d working days");
	ck_assert(!has_chinese(i18n_data("居民身份证")));
	/* what the data catalogue does not know stays as it is */
	ck_assert_str_eq(i18n_data("某个没有英文的名称"), "某个没有英文的名称");
	i18n_set_chinese(true);
}
END_TEST

START_TEST(every_bundled_item_and_material_has_its_english)
{
	struct err e = {0};
	char *path = tbcheck_src_path("data/catalogue.json");
	struct catalogue *c = catalogue_load(path, NULL, &e);
	size_t i, j;

	ck_assert_msg(c != NULL, "%s", e.msg);
	i18n_set_chinese(false);
	missing = 0;
	for (i = 0; i < c->n_items; i++) {
		const struct item *it = &c->items[i];

		english_of(it->name, it->code);
		english_of(it->sub_name, it->code);
		english_of(it->type, it->code);
		english_of(it->dept, it->code);
		english_of(it->fee, it->code);
		english_of(it->conditions, it->code);
		for (j = 0; j < it->n_materials; j++) {
			english_of(it->materials[j].name, it->code);
			english_of(it->materials[j].form, it->code);
			english_of(it->materials[j].note, it->code);
		}
	}
	i18n_set_chinese(true);
	catalogue_free(c);
	free(path);
	ck_assert_msg(missing == 0,
	              "%d names of data/catalogue.json have no English in po/data/en.po "
	              "(python3 scripts/data-pot.py, then translate)",
	              missing);
}
END_TEST

START_TEST(every_bundled_form_has_its_english)
{
	char *pattern = tbcheck_src_path("forms/*.json"),
	     *items = tbcheck_src_path("forms/items/*.json");
	glob_t g;
	size_t k, i, j;

	ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
	ck_assert_int_eq(glob(items, GLOB_APPEND, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 4);
	i18n_set_chinese(false);
	missing = 0;
	for (k = 0; k < g.gl_pathc; k++) {
		struct err e = {0};
		struct form *f = form_load(g.gl_pathv[k], &e);

		ck_assert_msg(f != NULL, "%s", e.msg);
		english_of(f->title, g.gl_pathv[k]);
		for (i = 0; i < f->n_sections; i++)
			english_of(f->sections[i].title, g.gl_pathv[k]);
		for (i = 0; i < f->n_fields; i++) {
			const struct form_field *fld = &f->fields[i];

			english_of(fld->label, g.gl_pathv[k]);
			english_of(fld->help, g.gl_pathv[k]);
			english_of(fld->pattern_msg, g.gl_pathv[k]);
			for (j = 0; j < fld->n_choices; j++)
				english_of(fld->choices[j], g.gl_pathv[k]);
		}
		form_free(f);
	}
	i18n_set_chinese(true);
	globfree(&g);
	free(pattern);
	free(items);
	ck_assert_msg(missing == 0, "%d texts of forms/ have no English in po/data/en.po", missing);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("catalogues");

	i18n_set_chinese(true); /* the suite reads the default language */
	tcase_add_test(tc, messages_are_chinese_by_default_and_english_when_chosen);
	tcase_add_test(tc, every_bundled_item_and_material_has_its_english);
	tcase_add_test(tc, every_bundled_form_has_its_english);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
