/*
 * test_catalogue.c - the bundled service-item catalogue (data/catalogue.json):
 * it holds the real items with the time limits of the seed documents, a clerk
 * finds them by code, name or pinyin initials, and a broken file is refused
 * with an error naming the file, the item and the field.
 */
#include "core/catalogue.h"
#include "core/i18n.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/pinyin.h"

static struct catalogue *cat;

static char *data_path(const char *name)
{
	const char *dir = getenv("TONGBAN_SRCDIR");

	return xasprintf("%s/data/%s", dir ? dir : ".", name);
}

static void load_real_catalogue(void)
{
	char *json = data_path("catalogue.json");
	char *tsv = data_path("pinyin.tsv");
	struct err e = {0};

	cat = catalogue_load(json, tsv, &e);
	ck_assert_msg(cat != NULL, "%s", e.msg);
	free(json);
	free(tsv);
}

static void free_real_catalogue(void)
{
	catalogue_free(cat);
	cat = NULL;
}

/* The item called name (and sub_name, when not NULL); fails the test if absent. */
static const struct item *item_named(const char *name, const char *sub_name)
{
	size_t i;

	for (i = 0; i < cat->n_items; i++) {
		const struct item *it = &cat->items[i];

		if (strcmp(it->name, name) == 0 &&
		    (!sub_name || strcmp(it->sub_name, sub_name) == 0))
			return it;
	}
	ck_abort_msg("no item %s %s", name, sub_name ? sub_name : "");
	return NULL;
}

static bool results_contain(const struct item **out, size_t n, const char *name, const char *sub)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(out[i]->name, name) == 0 && (!sub || strcmp(out[i]->sub_name, sub) == 0))
			return true;
	}
	return false;
}

/* ---- the bundled catalogue ---- */

START_TEST(bundled_catalogue_is_big_enough)
{
	const char *depts[64];
	size_t i, j, n_depts = 0, n_materials = 0;

	ck_assert_str_eq(cat->version, "2026.11.1");
	ck_assert_uint_ge(cat->n_items, 40);
	for (i = 0; i < cat->n_items; i++) {
		n_materials += cat->items[i].n_materials;
		for (j = 0; j < n_depts && strcmp(depts[j], cat->items[i].dept) != 0; j++)
			;
		if (j == n_depts && n_depts < 64)
			depts[n_depts++] = cat->items[i].dept;
	}
	ck_assert_uint_ge(n_depts, 8);
	ck_assert_uint_ge(n_materials, 3 * cat->n_items);
	ck_assert_uint_gt(pinyin_size(cat->pinyin), 20000);
}
END_TEST

START_TEST(time_limits_follow_the_seed_documents)
{
	ck_assert_int_eq(item_named("建筑垃圾处置许可", NULL)->promised_days, 3);
	ck_assert_int_eq(item_named("建设工程并联验收", NULL)->promised_days, 21);
	ck_assert_int_eq(item_named("企业开办", NULL)->promised_days, 1);
	ck_assert_int_eq(item_named("不动产登记", "变更登记")->promised_days, 0);
	ck_assert_int_eq(item_named("不动产登记", "商品房买卖转移登记")->promised_days, 1);
	ck_assert_int_eq(item_named("不动产登记", "存量房买卖转移登记")->promised_days, 2);
	ck_assert_int_eq(item_named("不动产登记", "单位产权抵押登记")->promised_days, 3);
	ck_assert_int_eq(item_named("不动产登记", "大宗（批量）房产抵押登记")->promised_days, 5);
	ck_assert_int_eq(item_named("不动产登记", "集体土地所有权首次登记")->promised_days, 10);
	ck_assert_int_eq(item_named("住房公积金个人住房贷款", NULL)->promised_days, 7);
	ck_assert_int_eq(item_named("政府信息依申请公开", NULL)->promised_days, 10);
	ck_assert_int_eq(item_named("用热报装", NULL)->promised_days, 2);
	ck_assert_int_eq(item_named("用气报装", "零散户（居民）燃气报装")->promised_days, 10);
	ck_assert_int_eq(item_named("用气报装", "工商户燃气报装")->promised_days, 15);
	item_named("用水报装", NULL);
}
END_TEST

START_TEST(six_tax_proofs_accept_a_commitment)
{
	const char *proofs[] = {"国家综合性消防救援车辆证明",
	                        "公共汽电车辆认定表",
	                        "专用车证明",
	                        "家庭成员信息证明",
	                        "家庭唯一生活用房证明",
	                        "个体工商户经营者身份证明或合伙企业合伙人的合伙身份证明"};
	size_t p, i, j;

	for (p = 0; p < 6; p++) {
		bool found = false;

		for (i = 0; i < cat->n_items && !found; i++) {
			const struct item *it = &cat->items[i];

			for (j = 0; j < it->n_materials && !found; j++) {
				if (strcmp(it->materials[j].name, proofs[p]) == 0) {
					ck_assert(it->commitment);
					ck_assert(it->materials[j].commitable);
					found = true;
				}
			}
		}
		ck_assert_msg(found, "no material %s", proofs[p]);
	}
}
END_TEST

START_TEST(shared_data_materials_are_exempt)
{
	const struct item *it = item_named("不动产登记", "存量房买卖转移登记");
	size_t i, n_exempt = 0;

	for (i = 0; i < it->n_materials; i++)
		n_exempt += it->materials[i].exempt;
	ck_assert_uint_ge(n_exempt, 1);
	ck_assert(item_find_material(it, "m2")->exempt); /* identity via e-certificate */
	ck_assert_ptr_null(item_find_material(it, "m99"));
}
END_TEST

START_TEST(need_labels_are_the_clerks_words)
{
	ck_assert_str_eq(material_need_label(NEED_REQUIRED), "必要");
	ck_assert_str_eq(material_need_label(NEED_OPTIONAL), "非必要");
	ck_assert_str_eq(material_need_label(NEED_DEFERRABLE), "容缺后补");
}
END_TEST

/* ---- finding items ---- */

START_TEST(find_by_item_code_and_implementation_code)
{
	const struct item *it = item_named("建筑垃圾处置许可", NULL);

	ck_assert_ptr_eq(catalogue_find(cat, it->code), it);
	ck_assert_ptr_eq(catalogue_find(cat, it->impl_code), it);
	ck_assert_ptr_null(catalogue_find(cat, "no-such-code"));
}
END_TEST

START_TEST(search_by_code_prefix)
{
	const struct item *want = item_named("建筑垃圾处置许可", NULL);
	const struct item *out[8];
	char prefix[8];

	ck_assert_uint_eq(catalogue_search(cat, want->code, out, 8), 1);
	ck_assert_ptr_eq(out[0], want);
	str_copy(prefix, sizeof prefix, want->code);
	ck_assert_uint_ge(catalogue_search(cat, prefix, out, 8), 1);
}
END_TEST

START_TEST(search_by_name_substring)
{
	const struct item *out[64];
	size_t n = catalogue_search(cat, "变更登记", out, 64);

	ck_assert_uint_ge(n, 2);
	ck_assert(results_contain(out, n, "不动产登记", "变更登记"));
	ck_assert(results_contain(out, n, "机动车变更登记", NULL));
	n = catalogue_search(cat, "公积金", out, 64);
	ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(search_jzlj_finds_construction_waste_first)
{
	const struct item *out[8];

	ck_assert_uint_ge(catalogue_search(cat, "jzlj", out, 8), 1);
	ck_assert_str_eq(out[0]->name, "建筑垃圾处置许可");
	ck_assert_uint_ge(catalogue_search(cat, " JZLJ ", out, 8), 1);
	ck_assert_str_eq(out[0]->name, "建筑垃圾处置许可");
}
END_TEST

START_TEST(search_initials_of_a_polyphonic_character)
{
	const struct item *out[8];

	/* 车 reads che and ju: both find 车辆购置税 */
	ck_assert_uint_eq(catalogue_search(cat, "clgzs", out, 8), 3);
	ck_assert_str_eq(out[0]->name, "车辆购置税减免税申报");
	ck_assert_uint_eq(catalogue_search(cat, "jlgzs", out, 8), 3);
}
END_TEST

START_TEST(search_initials_across_name_and_sub_name)
{
	const struct item *out[8];

	ck_assert_uint_ge(catalogue_search(cat, "bdcdjbgdj", out, 8), 1);
	ck_assert_str_eq(out[0]->sub_name, "变更登记");
}
END_TEST

START_TEST(empty_query_lists_everything_in_catalogue_order)
{
	const struct item *out[4];

	ck_assert_uint_eq(catalogue_search(cat, "", out, 4), cat->n_items);
	ck_assert_ptr_eq(out[0], &cat->items[0]);
	ck_assert_ptr_eq(out[3], &cat->items[3]);
	ck_assert_uint_eq(catalogue_search(cat, "   ", out, 4), cat->n_items);
}
END_TEST

START_TEST(search_without_match_finds_nothing)
{
	const struct item *out[4];

	ck_assert_uint_eq(catalogue_search(cat, "qqqqq", out, 4), 0);
	ck_assert_uint_eq(catalogue_search(cat, "不存在的事项", out, 4), 0);
}
END_TEST

/* The hits kept between keystrokes give what a fresh search gives, as the
 * query grows, shrinks (Backspace) and changes. */
START_TEST(a_growing_query_finds_what_a_fresh_search_finds)
{
	static const char *const typed[] = {"j",      "jz",       "jzl",    "jzlj", "jzl",  "jz",
	                                    "b",      "bd",       "bdc",    "bdcd", "不",   "不动",
	                                    "不动产", "不动产登", "0",      "00",   "0001", "",
	                                    " J",     " JZ",      " JZLJ ", "sh",   "shb",  "qqq"};
	const struct item *a[64], *b[64];
	struct catalogue_hits h = {0};
	size_t i, k;

	for (i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		size_t na = catalogue_search_hits(cat, typed[i], &h, a, 64);
		size_t nb = catalogue_search_ranked(cat, typed[i], b, 64);

		ck_assert_msg(na == nb, "'%s': %zu hits narrowed, %zu fresh", typed[i], na, nb);
		for (k = 0; k < na && k < 64; k++)
			ck_assert_msg(a[k] == b[k], "'%s': hit %zu differs", typed[i], k);
	}
	catalogue_hits_free(&h);
}
END_TEST

/* ---- malformed catalogues ---- */

/* The fields of one valid item, as "key": raw JSON value. */
struct field {
	const char *key;
	const char *value;
};

static const struct field base_item[] = {
    {"code", "\"A1\""},
    {"impl_code", "\"IMPL-A1\""},
    {"name", "\"测试事项\""},
    {"type", "\"行政许可\""},
    {"dept", "\"测试局\""},
    {"legal_basis", "\"某法第一条\""},
    {"conditions", "\"符合条件\""},
    {"legal_days", "20"},
    {"promised_days", "3"},
    {"visits", "1"},
    {"fee", "\"不收费\""},
    {"commitment", "false"},
    {"result", "\"许可证\""},
    {"delivery", "\"窗口领取\""},
    {"materials",
     "[{\"id\":\"m1\",\"name\":\"申请书\",\"form\":\"原件\",\"copies\":1,\"need\":\"必要\"}]"},
};

/* One item's JSON: the base item with key set to value (NULL: left out). */
static void add_item(struct buf *b, const char *key, const char *value)
{
	size_t i;
	bool first = true, replaced = false;

	buf_adds(b, "{");
	for (i = 0; i < sizeof base_item / sizeof base_item[0]; i++) {
		const char *v = base_item[i].value;

		if (key && strcmp(key, base_item[i].key) == 0) {
			v = value;
			replaced = true;
		}
		if (v == NULL)
			continue;
		buf_printf(b, "%s\"%s\":%s", first ? "" : ",", base_item[i].key, v);
		first = false;
	}
	if (key && !replaced && value)
		buf_printf(b, ",\"%s\":%s", key, value);
	buf_adds(b, "}");
}

/* A catalogue of one base item changed at key, parsed; the error must contain want. */
static void expect_item_error(const char *key, const char *value, const char *want)
{
	struct buf b;
	struct err e = {0};
	struct catalogue *c;

	buf_init(&b);
	buf_adds(&b, "{\"version\":\"t\",\"items\":[");
	add_item(&b, key, value);
	buf_adds(&b, "]}");
	c = catalogue_parse(b.data, b.len, "t.json", &e);
	ck_assert_msg(c == NULL, "parsed but should not: %s", b.data);
	ck_assert_msg(strstr(e.msg, want) != NULL, "error \"%s\" lacks \"%s\"", e.msg, want);
	buf_free(&b);
}

static void expect_text_error(const char *json, const char *want)
{
	struct err e = {0};
	struct catalogue *c = catalogue_parse(json, strlen(json), "t.json", &e);

	ck_assert_msg(c == NULL, "parsed but should not: %s", json);
	ck_assert_msg(strstr(e.msg, want) != NULL, "error \"%s\" lacks \"%s\"", e.msg, want);
}

START_TEST(base_item_is_valid)
{
	struct buf b;
	struct err e = {0};
	struct catalogue *c;

	buf_init(&b);
	buf_adds(&b, "{\"version\":\"t\",\"items\":[");
	add_item(&b, NULL, NULL);
	buf_adds(&b, "]}");
	c = catalogue_parse(b.data, b.len, "t.json", &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	ck_assert_str_eq(c->items[0].sub_name, "");
	ck_assert_str_eq(c->items[0].materials[0].note, "");
	ck_assert(!c->items[0].materials[0].exempt);
	ck_assert_ptr_null(c->pinyin);
	catalogue_free(c);
	buf_free(&b);
}
END_TEST

START_TEST(missing_field_is_named)
{
	expect_item_error("dept", NULL, "t.json: item A1: field dept: missing");
	expect_item_error("legal_days", NULL, "t.json: item A1: field legal_days: missing");
	expect_item_error("code", NULL, "t.json: item #1: field code: missing");
	expect_item_error("materials", NULL, "t.json: item A1: field materials: missing");
}
END_TEST

START_TEST(wrong_type_is_named)
{
	expect_item_error("legal_days", "\"20\"",
	                  "t.json: item A1: field legal_days: must be an integer 0..3650");
	expect_item_error("promised_days", "2.5",
	                  "item A1: field promised_days: must be an integer");
	expect_item_error("name", "42", "t.json: item A1: field name: must be a string");
	expect_item_error("commitment", "\"否\"",
	                  "item A1: field commitment: must be true or false");
	expect_item_error("materials", "{}", "item A1: field materials: must be an array");
	expect_text_error("{\"version\":\"t\",\"items\":[7]}",
	                  "t.json: item #1: must be a JSON object");
	expect_text_error("[]", "t.json: top level: must be a JSON object");
}
END_TEST

START_TEST(out_of_range_values_are_refused)
{
	expect_item_error("legal_days", "-1",
	                  "item A1: field legal_days: must be an integer 0..3650");
	expect_item_error("promised_days", "30",
	                  "item A1: field promised_days: 30 exceeds legal_days (20)");
	expect_item_error("visits", "10", "item A1: field visits: must be an integer 0..9");
	expect_item_error("name", "\"\"", "item A1: field name: must not be empty");
	expect_item_error("code", "\"A 1\"", "item #1: field code: may hold only");
}
END_TEST

START_TEST(bad_enum_is_named)
{
	expect_item_error("type", "\"行政审批\"", "t.json: item A1: field type: must be one of");
	expect_item_error(
	    "materials",
	    "[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"原件\",\"copies\":1,\"need\":"
	    "\"可选\"}]",
	    "t.json: item A1: material m1: field need: must be 必要, 非必要 or 容缺后补");
	expect_item_error("materials",
	                  "[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"原件+原件\",\"copies\":1,"
	                  "\"need\":\"必要\"}]",
	                  "item A1: material m1: field form:");
	expect_item_error("materials",
	                  "[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"扫描件\",\"copies\":1,"
	                  "\"need\":\"必要\"}]",
	                  "item A1: material m1: field form:");
}
END_TEST

START_TEST(combined_forms_are_accepted)
{
	struct buf b;
	struct err e = {0};
	struct catalogue *c;

	buf_init(&b);
	buf_adds(&b, "{\"version\":\"t\",\"items\":[");
	add_item(&b, "materials",
	         "[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"电子+原件+复印件\",\"copies\":2,"
	         "\"need\":\"非必要\",\"exempt\":true,\"note\":\"x\"}]");
	buf_adds(&b, "]}");
	c = catalogue_parse(b.data, b.len, "t.json", &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	ck_assert_int_eq(c->items[0].materials[0].need, NEED_OPTIONAL);
	ck_assert(c->items[0].materials[0].exempt);
	catalogue_free(c);
	buf_free(&b);
}
END_TEST

START_TEST(material_errors_name_the_material)
{
	expect_item_error("materials", "[]",
	                  "item A1: field materials: must list at least one material");
	expect_item_error("materials", "[{\"name\":\"n\"}]",
	                  "item A1: material #1: field id: missing");
	expect_item_error("materials",
	                  "[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"原件\",\"copies\":1,\"need\":"
	                  "\"必要\"},{\"id\":\"m1\",\"name\":\"n\",\"form\":\"原件\",\"copies\":1,"
	                  "\"need\":\"必要\"}]",
	                  "item A1: material m1: field id: duplicate material id");
	expect_item_error(
	    "materials",
	    "[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"原件\",\"copies\":1,\"need\":"
	    "\"必要\",\"commitable\":true}]",
	    "material m1: field commitable: is true but the item's commitment is false");
	expect_item_error(
	    "materials",
	    "[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"原件\",\"copies\":1,\"need\":"
	    "\"容缺后补\"}]",
	    "material m1: field need: 容缺后补 needs an item whose commitment is true");
}
END_TEST

START_TEST(unknown_field_is_refused)
{
	expect_item_error("promise_days", "3",
	                  "t.json: item A1: field promise_days: unknown field");
	expect_text_error("{\"version\":\"t\",\"items\":[],\"extra\":1}",
	                  "t.json: top level: field extra: unknown field");
}
END_TEST

START_TEST(duplicate_code_is_refused)
{
	struct buf b;
	struct err e = {0};

	buf_init(&b);
	buf_adds(&b, "{\"version\":\"t\",\"items\":[");
	add_item(&b, NULL, NULL);
	buf_adds(&b, ",");
	add_item(&b, "impl_code", "\"IMPL-A2\"");
	buf_adds(&b, "]}");
	ck_assert_ptr_null(catalogue_parse(b.data, b.len, "t.json", &e));
	ck_assert_msg(strstr(e.msg, "t.json: item A1: field code: A1 is already used by item #1"),
	              "%s", e.msg);
	buf_free(&b);

	buf_init(&b);
	buf_adds(&b, "{\"version\":\"t\",\"items\":[");
	add_item(&b, NULL, NULL);
	buf_adds(&b, ",");
	add_item(&b, "code", "\"A2\"");
	buf_adds(&b, "]}");
	ck_assert_ptr_null(catalogue_parse(b.data, b.len, "t.json", &e));
	ck_assert_msg(strstr(e.msg, "item A2: field impl_code: IMPL-A1 is already used by item #1"),
	              "%s", e.msg);
	buf_free(&b);
}
END_TEST

START_TEST(invalid_utf8_is_named)
{
	expect_item_error("name", "\"\xe5\xbb\"",
	                  "t.json: item A1: field name: is not valid UTF-8");
	expect_item_error("conditions", "\"\xc0\xaf\"",
	                  "item A1: field conditions: is not valid UTF-8");
	expect_item_error("fee", "\"a\\u0000b\"", "item A1: field fee: contains a NUL character");
	expect_item_error("result", "\"a\\u0007b\"", "item A1: field result: contains control");
}
END_TEST

START_TEST(not_json_is_refused)
{
	expect_text_error("{\"version\":\"t\",", "t.json: not valid JSON");
	expect_text_error("this is not json", "t.json: not valid JSON");
	expect_text_error("{\"version\":\"t\",\"items\":[]} trailing", "t.json: not valid JSON");
	expect_text_error("{\"version\":\"t\",\"items\":[],}", "t.json: not valid JSON");
	expect_text_error("", "t.json: not valid JSON");
}
END_TEST

START_TEST(not_json_is_named_by_line)
{
	expect_text_error("{\"version\":\"t\",\n\"items\":[\n{\"code\":}]}",
	                  "t.json: not valid JSON: unexpected character at line 3");
	expect_text_error("{\"version\":\"t\"\n\n\"items\":[]}",
	                  "t.json: not valid JSON: expected ',' or '}' at line 3");
	expect_text_error("{\"version\":\"t\",\"version\":\"u\",\"items\":[]}",
	                  "t.json: top level: field version: given twice");
	expect_text_error("{\"items\":[]}", "t.json: top level: field version: missing");
	expect_text_error("{\"version\":\"t\"}", "t.json: top level: field items: missing");
	expect_text_error("{\"version\":7,\"items\":[]}",
	                  "t.json: top level: field version: must be a string");
	expect_text_error("{\"version\":\"t\",\"items\":{}}",
	                  "t.json: top level: field items: must be an array");
}
END_TEST

/* The base item and the same again with codes A2 and IMPL-A2. */
static struct catalogue *two_items_of_one_name(void)
{
	struct buf b, second;
	struct err e = {0};
	struct catalogue *c;

	buf_init(&second);
	add_item(&second, "code", "\"A2\"");
	strstr(second.data, "IMPL-A1")[6] = '2';
	buf_init(&b);
	buf_adds(&b, "{\"version\":\"t\",\"items\":[");
	add_item(&b, NULL, NULL);
	buf_printf(&b, ",%s]}", second.data);
	c = catalogue_parse(b.data, b.len, "t.json", &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	buf_free(&b);
	buf_free(&second);
	return c;
}

/* Items the same but for their codes share their strings and materials. */
START_TEST(repeated_text_is_kept_once)
{
	struct catalogue *c = two_items_of_one_name();

	ck_assert_uint_eq(c->n_items, 2);
	ck_assert_str_eq(c->items[1].code, "A2");
	ck_assert_str_eq(c->items[1].impl_code, "IMPL-A2");
	ck_assert_ptr_eq(c->items[0].name, c->items[1].name);
	ck_assert_ptr_eq(c->items[0].legal_basis, c->items[1].legal_basis);
	ck_assert_ptr_eq(c->items[0].materials, c->items[1].materials);
	catalogue_free(c);
}
END_TEST

/* Items of one name share their index entry: a search still tells them
 * apart by their codes, and finds them all by the name. */
START_TEST(items_of_one_name_are_told_apart_by_their_codes)
{
	struct catalogue *c = two_items_of_one_name();
	const struct item *out[4];

	ck_assert_uint_eq(catalogue_search_ranked(c, "a2", out, 4), 1);
	ck_assert_str_eq(out[0]->code, "A2");
	ck_assert_uint_eq(catalogue_search_ranked(c, "impl-a1", out, 4), 1);
	ck_assert_str_eq(out[0]->code, "A1");
	ck_assert_uint_eq(catalogue_search_ranked(c, "a", out, 4), 2);
	ck_assert_uint_eq(catalogue_search_ranked(c, c->items[0].name, out, 4), 2);
	ck_assert_uint_eq(catalogue_search(c, c->items[1].name, out, 4), 2);
	catalogue_free(c);
}
END_TEST

/* A file is read a chunk at a time: an item longer than a chunk, with
 * escapes astride its edges, loads as it does from memory. */
START_TEST(a_file_is_read_an_item_at_a_time)
{
	char path[] = "/tmp/tongban-test-catalogue-XXXXXX";
	int fd = mkstemp(path);
	struct buf b, cond;
	struct err e = {0};
	struct catalogue *c, *m;
	FILE *f;
	size_t i;

	ck_assert_int_ge(fd, 0);
	buf_init(&cond);
	buf_adds(&cond, "\"");
	for (i = 0; i < 30000; i++)
		buf_adds(&cond, i % 7 ? "条件" : "\\\"引\\\"");
	buf_adds(&cond, "\"");
	buf_init(&b);
	buf_adds(&b, "{\"version\":\"t\",\"items\":[\n");
	add_item(&b, "conditions", cond.data);
	buf_adds(&b, "\n]}\n");
	f = fdopen(fd, "w");
	ck_assert_uint_eq(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	c = catalogue_load(path, NULL, &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	m = catalogue_parse(b.data, b.len, "t.json", &e);
	ck_assert_msg(m != NULL, "%s", e.msg);
	ck_assert_str_eq(c->items[0].conditions, m->items[0].conditions);
	ck_assert_ptr_nonnull(strstr(c->items[0].conditions, "条件\"引\"条件"));
	catalogue_free(c);
	catalogue_free(m);
	/* cut in the middle of the long string: the end of the file is named */
	f = fopen(path, "w");
	ck_assert_uint_eq(fwrite(b.data, 1, b.len / 2, f), b.len / 2);
	fclose(f);
	ck_assert_ptr_null(catalogue_load(path, NULL, &e));
	ck_assert_msg(strstr(e.msg, "not valid JSON: unexpected end of file") != NULL, "%s", e.msg);
	unlink(path);
	buf_free(&b);
	buf_free(&cond);
}
END_TEST

START_TEST(missing_file_is_named)
{
	struct err e = {0};

	ck_assert_ptr_null(catalogue_load("/nonexistent/catalogue.json", NULL, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/catalogue.json"));
}
END_TEST

START_TEST(bad_pinyin_file_fails_the_load)
{
	char *json = data_path("catalogue.json");
	struct err e = {0};

	ck_assert_ptr_null(catalogue_load(json, "/nonexistent/pinyin.tsv", &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/pinyin.tsv"));
	free(json);
}
END_TEST

static Suite *catalogue_suite(void)
{
	Suite *s = suite_create("catalogue");
	TCase *real = tcase_create("bundled catalogue");
	TCase *bad = tcase_create("malformed catalogues");

	tcase_add_checked_fixture(real, load_real_catalogue, free_real_catalogue);
	tcase_add_test(real, bundled_catalogue_is_big_enough);
	tcase_add_test(real, time_limits_follow_the_seed_documents);
	tcase_add_test(real, six_tax_proofs_accept_a_commitment);
	tcase_add_test(real, shared_data_materials_are_exempt);
	tcase_add_test(real, need_labels_are_the_clerks_words);
	tcase_add_test(real, find_by_item_code_and_implementation_code);
	tcase_add_test(real, search_by_code_prefix);
	tcase_add_test(real, search_by_name_substring);
	tcase_add_test(real, search_jzlj_finds_construction_waste_first);
	tcase_add_test(real, search_initials_of_a_polyphonic_character);
	tcase_add_test(real, search_initials_across_name_and_sub_name);
	tcase_add_test(real, empty_query_lists_everything_in_catalogue_order);
	tcase_add_test(real, search_without_match_finds_nothing);
	tcase_add_test(real, a_growing_query_finds_what_a_fresh_search_finds);
	suite_add_tcase(s, real);

	tcase_add_test(bad, base_item_is_valid);
	tcase_add_test(bad, missing_field_is_named);
	tcase_add_test(bad, wrong_type_is_named);
	tcase_add_test(bad, out_of_range_values_are_refused);
	tcase_add_test(bad, bad_enum_is_named);
	tcase_add_test(bad, combined_forms_are_accepted);
	tcase_add_test(bad, material_errors_name_the_material);
	tcase_add_test(bad, unknown_field_is_refused);
	tcase_add_test(bad, duplicate_code_is_refused);
	tcase_add_test(bad, invalid_utf8_is_named);
	tcase_add_test(bad, not_json_is_refused);
	tcase_add_test(bad, not_json_is_named_by_line);
	tcase_add_test(bad, repeated_text_is_kept_once);
	tcase_add_test(bad, items_of_one_name_are_told_apart_by_their_codes);
	tcase_add_test(bad, a_file_is_read_an_item_at_a_time);
	tcase_add_test(bad, missing_file_is_named);
	tcase_add_test(bad, bad_pinyin_file_fails_the_load);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(catalogue_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
