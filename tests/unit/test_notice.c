/* tests/unit/test_notice.c - the notice template language and the four notices. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/notice.h"
#include "core/utf8.h"
#include "core/util.h"

/* Render a template given as a C string; fails the test on error. */
static char *render(const char *tmpl, const struct notice_ctx *ctx, int width)
{
	struct err e = {0};
	char *out = notice_render(tmpl, strlen(tmpl), "t.txt", ctx, width, &e);

	ck_assert_msg(out != NULL, "render failed: %s", e.msg);
	return out;
}

/* The error message of a template that must fail. */
static const char *render_error(const char *tmpl, const struct notice_ctx *ctx)
{
	static struct err e;
	char *out;

	memset(&e, 0, sizeof e);
	out = notice_render(tmpl, strlen(tmpl), "t.txt", ctx, 80, &e);
	ck_assert_msg(out == NULL, "expected an error, got: %s", out ? out : "");
	return e.msg;
}

/* Display column at which needle starts in line, or -1. */
static int column_of(const char *line, const char *needle)
{
	const char *at = strstr(line, needle);
	char *head;
	int col;

	if (at == NULL)
		return -1;
	head = xstrndup(line, (size_t)(at - line));
	col = utf8_width(head);
	free(head);
	return col;
}

/* The n-th line (0-based) of text, or NULL.  Caller frees. */
static char *line_at(const char *text, int n)
{
	const char *p = text;

	for (; n > 0 && p; n--) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (p == NULL || *p == '\0')
		return NULL;
	return xstrndup(p, strcspn(p, "\n"));
}

static int widest_line(const char *text)
{
	int max = 0, i;
	char *l;

	for (i = 0; (l = line_at(text, i)) != NULL; i++) {
		int w = utf8_width(l);

		if (w > max)
			max = w;
		free(l);
	}
	return max;
}

static void assert_no_trailing_spaces(const char *text)
{
	ck_assert_ptr_null(strstr(text, " \n"));
	ck_assert(strlen(text) == 0 || text[strlen(text) - 1] == '\n');
}

START_TEST(placeholders_are_replaced_and_missing_values_render_empty)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *out;

	notice_set(ctx, "applicant_name", "阿依古丽·买买提");
	notice_set(ctx, "case_no", "TB-2026-000123");
	out = render("{{applicant_name}}：{{case_no}}{{! 注释不输出 }}，{{note}}完\n", ctx, 80);
	ck_assert_str_eq(out, "阿依古丽·买买提：TB-2026-000123，完\n");
	free(out);
	notice_set(ctx, "case_no", "TB-2");
	out = render("{{ case_no }}\n", ctx, 80);
	ck_assert_str_eq(out, "TB-2\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(padding_counts_chinese_as_two_columns)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *out;

	notice_set(ctx, "clerk_name", "张三");
	out = render("[{{clerk_name:8}}][{{clerk_name:>8}}][{{clerk_name:^8}}]\n", ctx, 80);
	ck_assert_str_eq(out, "[张三    ][    张三][  张三  ]\n");
	free(out);
	out = render("[{{clerk_name:^7}}]\n", ctx, 80);
	ck_assert_str_eq(out, "[ 张三  ]\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(truncation_never_splits_a_character)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *out;

	notice_set(ctx, "item_name", "建筑垃圾处置核准");
	/* 5 columns hold two characters (4 columns) and a pad space, never half of 垃 */
	out = render("[{{item_name:5}}]\n", ctx, 80);
	ck_assert_str_eq(out, "[建筑 ]\n");
	ck_assert(utf8_is_valid(out, strlen(out)));
	free(out);
	out = render("[{{item_name:>3}}]\n", ctx, 80);
	ck_assert_str_eq(out, "[ 建]\n");
	free(out);
	notice_set(ctx, "item_name", "ab\n中文");
	out = render("[{{item_name:6}}]\n", ctx, 80);
	ck_assert_str_eq(out, "[ab 中 ]\n"); /* a newline inside a padded value is a space */
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(centred_lines_use_the_width)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *out;

	notice_set(ctx, "hall_name", "吉首市政务服务中心");
	out = render("^^ {{hall_name}}\n^^ 受理通知书\n", ctx, 80);
	/* 18 columns in 80: 31 spaces before; 10 columns: 35 spaces */
	ck_assert_int_eq(column_of(out, "吉首"), 31);
	ck_assert_int_eq(column_of(strchr(out, '\n') + 1, "受理"), 35);
	assert_no_trailing_spaces(out);
	free(out);
	out = render("^^ 受理通知书\n", ctx, 20);
	ck_assert_str_eq(out, "     受理通知书\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(loops_repeat_rows_with_their_number)
{
	struct notice_ctx *ctx = notice_ctx_new();
	const char *names[] = {"申请书", "营业执照", "法定代表人身份证明"};
	size_t i, r;
	char *out;

	for (i = 0; i < 3; i++) {
		r = notice_row_add(ctx, "missing");
		ck_assert_uint_eq(r, i);
		notice_row_set(ctx, "missing", r, "name", names[i]);
		notice_row_set(ctx, "missing", r, "problem", i == 1 ? "已过期" : "未提供");
	}
	out = render("{{#missing}}\n{{@n}}. {{name}}：{{problem}}\n{{/missing}}\n", ctx, 80);
	ck_assert_str_eq(out,
	                 "1. 申请书：未提供\n2. 营业执照：已过期\n3. 法定代表人身份证明：未提供\n");
	free(out);
	out = render("{{#missing}}{{name}}、{{/missing}}\n", ctx, 80);
	ck_assert_str_eq(out, "申请书、营业执照、法定代表人身份证明、\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(empty_list_renders_the_inverted_section)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *out;

	out = render("收件清单：\n{{#materials}}\n  {{name}}\n{{/materials}}\n{{^materials}}\n"
	             "  （无）\n{{/materials}}\n完\n",
	             ctx, 80);
	ck_assert_str_eq(out, "收件清单：\n  （无）\n完\n");
	free(out);
	notice_row_set(ctx, "materials", notice_row_add(ctx, "materials"), "name", "申请书");
	out = render("{{#materials}}\n  {{name}}\n{{/materials}}\n{{^materials}}\n  （无）\n"
	             "{{/materials}}\n",
	             ctx, 80);
	ck_assert_str_eq(out, "  申请书\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(rows_see_outer_keys_and_rows_win_over_them)
{
	struct notice_ctx *ctx = notice_ctx_new();
	size_t r;
	char *out;

	notice_set(ctx, "supply_by", "2026年11月20日");
	notice_set(ctx, "due_date", "外层");
	r = notice_row_add(ctx, "commitments");
	notice_row_set(ctx, "commitments", r, "name", "消防验收意见");
	notice_row_set(ctx, "commitments", r, "due_date", "2026年12月1日");
	out = render("{{#commitments}}{{@n}}{{name}}/{{due_date}}/{{supply_by}}\n{{/commitments}}",
	             ctx, 80);
	ck_assert_str_eq(out, "1消防验收意见/2026年12月1日/2026年11月20日\n");
	free(out);
	/* a scalar section renders once when the value is set */
	out = render("{{#note}}备注：{{note}}\n{{/note}}{{^note}}无备注\n{{/note}}", ctx, 80);
	ck_assert_str_eq(out, "无备注\n");
	free(out);
	notice_set(ctx, "note", "请带原件");
	out = render("{{#note}}备注：{{note}}\n{{/note}}{{^note}}无备注\n{{/note}}", ctx, 80);
	ck_assert_str_eq(out, "备注：请带原件\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

/* Remove a continuation indent of n spaces from every line but the first, and the newlines. */
static char *join_lines(const char *text, int indent)
{
	struct buf b;
	char *l;
	int i;

	buf_init(&b);
	for (i = 0; (l = line_at(text, i)) != NULL; i++) {
		int skip = i == 0 ? 0 : indent, k;

		for (k = 0; k < skip; k++)
			ck_assert_msg(l[k] == ' ', "line %d not indented: %s", i, l);
		buf_adds(&b, l + skip);
		free(l);
	}
	return buf_take(&b);
}

static const char paragraph[] =
    "根据《中华人民共和国行政许可法》第三十二条的规定，申请材料不齐全或者不符合法定形式的，"
    "行政机关应当当场或者在五日内一次告知申请人需要补正的全部内容，逾期不告知的，"
    "自收到申请材料之日起即为受理。补正材料所需时间不计算在办理时限内，"
    "办理时限自收到全部补正材料之日起重新计算。请于2026年11月20日前补正，"
    "咨询电话0743-8223456。";

START_TEST(long_chinese_paragraph_wraps_at_80_columns_losing_nothing)
{
	char *tmpl = xasprintf("%s\n", paragraph), *out, *joined, *third;

	out = render(tmpl, NULL, 80);
	ck_assert_int_le(widest_line(out), 80);
	third = line_at(out, 2); /* the paragraph takes several lines */
	ck_assert_ptr_nonnull(third);
	free(third);
	joined = join_lines(out, 0);
	ck_assert_str_eq(joined, paragraph);
	ck_assert(utf8_is_valid(out, strlen(out)));
	free(joined);
	free(out);
	free(tmpl);

	/* a leading indent is repeated on continuation lines */
	tmpl = xasprintf("    %s\n", paragraph);
	out = render(tmpl, NULL, 80);
	ck_assert_int_le(widest_line(out), 80);
	joined = join_lines(out, 4);
	ck_assert_str_eq(joined + 4, paragraph);
	free(joined);
	free(out);
	free(tmpl);
}
END_TEST

START_TEST(wrapping_keeps_words_and_punctuation_in_place)
{
	char *out, *l;
	int i;

	/* no line begins with closing punctuation */
	out = render("一二三四五六七八九十一二三四五六七八九，十一二三\n", NULL, 38);
	for (i = 0; (l = line_at(out, i)) != NULL; i++) {
		ck_assert_msg(strncmp(l, "，", 3) != 0, "line starts with a comma: %s", l);
		ck_assert_int_le(utf8_width(l), 38);
		free(l);
	}
	free(out);
	/* ASCII words are not cut; the break falls at the space */
	out = render("alpha beta gamma delta\n", NULL, 12);
	ck_assert_str_eq(out, "alpha beta\ngamma delta\n");
	free(out);
	/* a case number after Chinese text moves whole to the next line */
	out = render("案件编号为TB-20261105-0001\n", NULL, 20);
	ck_assert_str_eq(out, "案件编号为\nTB-20261105-0001\n");
	free(out);
}
END_TEST

START_TEST(errors_name_the_file_and_line)
{
	const char *msg;

	i18n_set_chinese(false);
	msg = render_error("第一行\n第二行{{no_such_key}}\n", NULL);
	ck_assert_msg(strncmp(msg, "t.txt:2: ", 9) == 0, "%s", msg);
	ck_assert_ptr_nonnull(strstr(msg, "no_such_key"));

	msg = render_error("a\nb\n{{#materials}}\n{{name}}\n", NULL);
	ck_assert_msg(strncmp(msg, "t.txt:3: ", 9) == 0, "%s", msg);
	msg = render_error("a\n{{/materials}}\n", NULL);
	ck_assert_msg(strncmp(msg, "t.txt:2: ", 9) == 0, "%s", msg);
	msg = render_error("{{#materials}}\n{{#missing}}\n{{/materials}}\n{{/missing}}\n", NULL);
	ck_assert_msg(strncmp(msg, "t.txt:3: ", 9) == 0, "%s", msg);
	msg = render_error("\n\n\n\n{{hall_name\n", NULL);
	ck_assert_msg(strncmp(msg, "t.txt:5: ", 9) == 0, "%s", msg);
	msg = render_error("{{hall_name:x}}\n", NULL);
	ck_assert_msg(strncmp(msg, "t.txt:1: ", 9) == 0, "%s", msg);
	/* a row key is unknown outside its list, and @n outside any list */
	msg = render_error("{{name}}\n", NULL);
	ck_assert_ptr_nonnull(strstr(msg, "name"));
	msg = render_error("{{@n}}\n", NULL);
	ck_assert_msg(strncmp(msg, "t.txt:1: ", 9) == 0, "%s", msg);
	i18n_set_chinese(true);
}
END_TEST

START_TEST(keys_set_in_the_context_are_known)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *out;

	notice_set(ctx, "hall_address", "人民北路1号");
	out = render("{{hall_address}}\n", ctx, 80);
	ck_assert_str_eq(out, "人民北路1号\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(check_uses_the_given_keys_and_their_scope)
{
	const char *keys[] = {"case_no", "rows", "rows.cell", NULL};
	const char *ok = "{{case_no}}{{#rows}}{{cell}}{{@n}}{{case_no}}{{/rows}}";
	const char *bad_scope = "{{#rows}}{{/rows}}{{cell}}";
	struct err e = {0};

	ck_assert_int_eq(notice_check(ok, strlen(ok), "k.txt", keys, &e), 0);
	ck_assert_int_eq(notice_check(bad_scope, strlen(bad_scope), "k.txt", keys, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "k.txt:1:"));
	ck_assert_int_eq(notice_check("{{hall_name}}", 13, "k.txt", NULL, &e), 0);
}
END_TEST

START_TEST(output_is_clean_utf8_without_trailing_spaces)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *out;

	notice_set(ctx, "note", "坏\xff字节\x01\x1b[31m\t制表");
	out = render("{{note}}   \n\n\n", ctx, 80);
	ck_assert(utf8_is_valid(out, strlen(out)));
	ck_assert_ptr_null(strchr(out, '\x1b'));
	ck_assert_ptr_null(strchr(out, '\x01'));
	assert_no_trailing_spaces(out);
	ck_assert_str_eq(out, "坏\xEF\xBF\xBD字节[31m 制表\n");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

/* ---- the four bundled notices ---------------------------------------- */

static char *template_path(const char *name)
{
	const char *dir = getenv("TONGBAN_SRCDIR");

	return xasprintf("%s/forms/notices/%s", dir && *dir ? dir : ".", name);
}

static void add_material(struct notice_ctx *ctx, const char *name, const char *form,
                         const char *copies)
{
	size_t r = notice_row_add(ctx, "materials");

	notice_row_set(ctx, "materials", r, "name", name);
	notice_row_set(ctx, "materials", r, "form", form);
	notice_row_set(ctx, "materials", r, "copies", copies);
	notice_row_set(ctx, "materials", r, "status", "已收取");
}

static struct notice_ctx *full_context(void)
{
	struct notice_ctx *ctx = notice_ctx_new();
	size_t r;

	notice_set(ctx, "hall_name", "吉首市政务服务中心");
	notice_set(ctx, "hall_phone", "0743-8223456");
	notice_set(ctx, "window", "综合受理3号窗口");
	notice_set(ctx, "clerk_name", "李晓梅");
	notice_set(ctx, "clerk_id", "JS0317");
	notice_set(ctx, "case_no", "TB-20261105-000123");
	notice_set(ctx, "date", "2026年11月5日");
	notice_set(ctx, "applicant_name", "阿依古丽·买买提");
	notice_set(ctx, "applicant_id", "4331**********123X");
	notice_set(ctx, "applicant_phone", "139****5678");
	notice_set(ctx, "item_name", "城市建筑垃圾处置核准（建设项目渣土处置）");
	notice_set(ctx, "item_code", "11433101MB1234567X4000117001");
	notice_set(ctx, "dept", "吉首市城市管理行政执法局");
	notice_set(ctx, "promised_days", "3");
	notice_set(ctx, "due_date", "2026年11月10日");
	notice_set(ctx, "supply_by", "2026年11月20日");
	notice_set(ctx, "note", "补正时请携带原件核验，复印件须加盖单位公章。");
	notice_set(ctx, "reason", "申请事项依法不属于本机关职权范围。");
	notice_set(ctx, "legal_basis", "《中华人民共和国行政许可法》第三十二条第一款第（二）项");
	notice_set(ctx, "apply_instead", "吉首市住房和城乡建设局（人民北路8号）");
	notice_set(ctx, "review_body", "吉首市人民政府");
	add_material(ctx, "建筑垃圾处置申请书", "原件", "1");
	add_material(ctx, "营业执照", "复印件", "1");
	add_material(ctx, "建设工程规划许可证及附图（加盖建设单位公章，含总平面布置图）", "复印件",
	             "2");
	add_material(ctx, "运输车辆行驶证", "电子证照", "3");
	r = notice_row_add(ctx, "missing");
	notice_row_set(ctx, "missing", r, "name", "建筑垃圾运输合同");
	notice_row_set(ctx, "missing", r, "problem", "未提供");
	r = notice_row_add(ctx, "missing");
	notice_row_set(ctx, "missing", r, "name", "消纳场所证明");
	notice_row_set(
	    ctx, "missing", r, "problem",
	    "所附证明已超过有效期，且未加盖消纳场所经营单位公章，请重新出具并加盖公章后提交");
	r = notice_row_add(ctx, "missing");
	notice_row_set(ctx, "missing", r, "name", "法定代表人身份证明");
	notice_row_set(ctx, "missing", r, "problem", "复印件不清晰");
	r = notice_row_add(ctx, "commitments");
	notice_row_set(ctx, "commitments", r, "name", "建筑垃圾运输合同");
	notice_row_set(ctx, "commitments", r, "content",
	               "已与具备资质的运输企业签订运输合同，将于期限内提交合同原件");
	notice_row_set(ctx, "commitments", r, "due_date", "2026年11月25日");
	r = notice_row_add(ctx, "commitments");
	notice_row_set(ctx, "commitments", r, "name", "消纳场所证明");
	notice_row_set(ctx, "commitments", r, "content", "消纳场所已落实，证明正在办理");
	notice_row_set(ctx, "commitments", r, "due_date", "2026年12月5日");
	return ctx;
}

static char *render_notice(const char *name, const struct notice_ctx *ctx)
{
	char *path = template_path(name), *out;
	struct err e = {0};

	out = notice_render_file(path, ctx, 80, &e);
	ck_assert_msg(out != NULL, "%s: %s", name, e.msg);
	ck_assert_int_le(widest_line(out), 80);
	ck_assert(utf8_is_valid(out, strlen(out)));
	assert_no_trailing_spaces(out);
	free(path);
	return out;
}

static void assert_has(const char *text, const char *needle)
{
	ck_assert_msg(strstr(text, needle) != NULL, "missing \"%s\" in:\n%s", needle, text);
}

/* Every bundled notice passes notice_check with the standard keys. */
START_TEST(bundled_templates_pass_check)
{
	const char *names[] = {"acceptance.txt", "supplement.txt", "commitment.txt", "refusal.txt"};
	size_t i;

	for (i = 0; i < 4; i++) {
		char *path = template_path(names[i]), *t;
		struct err e = {0};
		size_t len;

		t = file_read_all(path, &len, 1 << 20, &e);
		ck_assert_msg(t != NULL, "%s", e.msg);
		ck_assert_msg(notice_check(t, len, path, NULL, &e) == 0, "%s", e.msg);
		free(t);
		free(path);
	}
}
END_TEST

START_TEST(acceptance_notice_lines_up_the_material_table)
{
	struct notice_ctx *ctx = full_context();
	char *out = render_notice("acceptance.txt", ctx), *l;
	int i, col = -1, rows = 0, form_col = -1;

	assert_has(out, "受理通知书");
	assert_has(out, "TB-20261105-000123");
	assert_has(out, "阿依古丽·买买提");
	assert_has(out, "2026年11月10日");
	assert_has(out, "综合受理3号窗口");
	assert_has(out, "李晓梅");
	assert_has(out, "0743-8223456");
	for (i = 0; (l = line_at(out, i)) != NULL; i++) {
		if (strstr(l, "份数") && strstr(l, "序号")) {
			col = column_of(l, "份数");
			form_col = column_of(l, "形式");
		} else if (col > 0 &&
		           (strstr(l, "原件") || strstr(l, "复印件") || strstr(l, "电子"))) {
			const char *copies = rows == 2 ? "2" : rows == 3 ? "3" : "1";
			char *tail = xstrndup(l, strlen(l));
			char *last = strrchr(tail, ' ');

			ck_assert_msg(last && strcmp(last + 1, copies) == 0, "row %s", l);
			*(last + 1) = '\0';
			ck_assert_int_eq(utf8_width(tail), col);
			ck_assert_int_eq(column_of(l, rows == 0   ? "原件"
			                              : rows == 3 ? "电子"
			                                          : "复印件"),
			                 form_col);
			free(tail);
			rows++;
		}
		free(l);
	}
	ck_assert_int_gt(col, 0);
	ck_assert_int_eq(rows, 4);
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(supplement_notice_lists_exactly_the_missing_materials_in_order)
{
	struct notice_ctx *ctx = full_context();
	char *out = render_notice("supplement.txt", ctx);
	const char *a, *b, *c;

	assert_has(out, "补正材料通知书");
	assert_has(out, "一次性告知");
	a = strstr(out, "1. 建筑垃圾运输合同");
	b = strstr(out, "2. 消纳场所证明");
	c = strstr(out, "3. 法定代表人身份证明");
	ck_assert_msg(a && b && c && a < b && b < c, "%s", out);
	ck_assert_ptr_null(strstr(out, "4. "));
	ck_assert_ptr_null(strstr(out, "营业执照")); /* a received material is not asked for */
	assert_has(out, "复印件不清晰");
	assert_has(out, "补正时请携带原件核验");
	assert_has(out, "2026年11月20日");
	assert_has(out, "不计算在");
	assert_has(out, "重新计算");
	assert_has(out, "0743-8223456");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(commitment_notice_states_what_the_law_requires)
{
	struct notice_ctx *ctx = full_context();
	char *out = render_notice("commitment.txt", ctx);
	const char *a, *b;

	assert_has(out, "告知承诺书");
	assert_has(out, "核查");
	assert_has(out, "撤销");
	assert_has(out, "失信");
	assert_has(out, "签字");
	a = strstr(out, "建筑垃圾运输合同");
	b = strstr(out, "消纳场所证明");
	ck_assert(a && b && a < b);
	assert_has(out, "2026年11月25日");
	assert_has(out, "2026年12月5日");
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(refusal_notice_gives_reason_basis_and_remedies)
{
	struct notice_ctx *ctx = full_context();
	char *out = render_notice("refusal.txt", ctx);

	assert_has(out, "不予受理通知书");
	assert_has(out, "不属于本机关职权范围");
	assert_has(out, "第三十二条");
	assert_has(out, "吉首市住房和城乡建设局");
	assert_has(out, "吉首市人民政府");
	assert_has(out, "行政复议");
	assert_has(out, "六十日");
	assert_has(out, "行政诉讼");
	assert_has(out, "六个月");
	free(out);
	notice_set(ctx, "apply_instead", "");
	out = render_notice("refusal.txt", ctx);
	ck_assert_ptr_null(strstr(out, "吉首市住房和城乡建设局"));
	free(out);
	notice_ctx_free(ctx);
}
END_TEST

START_TEST(bundled_templates_render_with_an_empty_context)
{
	const char *names[] = {"acceptance.txt", "supplement.txt", "commitment.txt", "refusal.txt"};
	struct notice_ctx *ctx = notice_ctx_new();
	size_t i;

	for (i = 0; i < 4; i++)
		free(render_notice(names[i], ctx));
	notice_ctx_free(ctx);
}
END_TEST

/* ---- robustness -------------------------------------------------------- */

static uint32_t rnd_state = 20261105u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Random templates from bytes and template-shaped pieces. */
static size_t random_template(char *t, size_t cap)
{
	static const char *const pieces[] = {
	    "{{",
	    "}}",
	    "{{#materials}}",
	    "{{/materials}}",
	    "{{^missing}}",
	    "{{/missing}}",
	    "{{name}}",
	    "{{@n}}",
	    "{{hall_name:>12}}",
	    "{{note:^5}}",
	    "\n",
	    "^^ ",
	    "中文",
	    "{{!",
	    "  ",
	    "{{#note}}",
	    "{{/note}}",
	    "\xE5\xBC",
	    "{{#",
	    ":",
	};
	size_t len = 0, want = rnd() % 200;

	while (len < want && len + 20 < cap) {
		if (rnd() % 3 == 0) {
			t[len++] = (char)(rnd() & 0xFF);
		} else {
			const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];

			memcpy(t + len, p, strlen(p));
			len += strlen(p);
		}
	}
	return len;
}

START_TEST(random_templates_never_crash)
{
	struct notice_ctx *ctx = full_context();
	char t[512];
	int i, ok = 0, failed = 0;

	notice_set(ctx, "hall_name",
	           "很长的政务服务中心名称很长的政务服务中心名称很长的政务服务中心名称"
	           "很长的政务服务中心名称");
	for (i = 0; i < 20000; i++) {
		size_t len = random_template(t, sizeof t);
		struct err e = {0};
		char *out = notice_render(t, len, "fuzz", ctx, (int)(rnd() % 100), &e);

		if (out) {
			ck_assert(utf8_is_valid(out, strlen(out)));
			ok++;
		} else {
			ck_assert_msg(strncmp(e.msg, "fuzz", 4) == 0, "%s", e.msg);
			failed++;
		}
		free(out);
		notice_check(t, len, "fuzz", NULL, &e);
	}
	ck_assert_int_gt(ok, 0);
	ck_assert_int_gt(failed, 0);
	notice_ctx_free(ctx);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("notice");
	TCase *lang = tcase_create("language");
	TCase *forms = tcase_create("notices");
	TCase *fuzz = tcase_create("robustness");
	SRunner *sr;
	int failed;

	i18n_set_chinese(true);
	tcase_add_test(lang, placeholders_are_replaced_and_missing_values_render_empty);
	tcase_add_test(lang, padding_counts_chinese_as_two_columns);
	tcase_add_test(lang, truncation_never_splits_a_character);
	tcase_add_test(lang, centred_lines_use_the_width);
	tcase_add_test(lang, loops_repeat_rows_with_their_number);
	tcase_add_test(lang, empty_list_renders_the_inverted_section);
	tcase_add_test(lang, rows_see_outer_keys_and_rows_win_over_them);
	tcase_add_test(lang, long_chinese_paragraph_wraps_at_80_columns_losing_nothing);
	tcase_add_test(lang, wrapping_keeps_words_and_punctuation_in_place);
	tcase_add_test(lang, errors_name_the_file_and_line);
	tcase_add_test(lang, keys_set_in_the_context_are_known);
	tcase_add_test(lang, check_uses_the_given_keys_and_their_scope);
	tcase_add_test(lang, output_is_clean_utf8_without_trailing_spaces);
	tcase_add_test(forms, bundled_templates_pass_check);
	tcase_add_test(forms, acceptance_notice_lines_up_the_material_table);
	tcase_add_test(forms, supplement_notice_lists_exactly_the_missing_materials_in_order);
	tcase_add_test(forms, commitment_notice_states_what_the_law_requires);
	tcase_add_test(forms, refusal_notice_gives_reason_basis_and_remedies);
	tcase_add_test(forms, bundled_templates_render_with_an_empty_context);
	tcase_add_test(fuzz, random_templates_never_crash);
	tcase_set_timeout(fuzz, 120);
	suite_add_tcase(s, lang);
	suite_add_tcase(s, forms);
	suite_add_tcase(s, fuzz);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
