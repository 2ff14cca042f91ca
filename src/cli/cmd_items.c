/*
 * cmd_items.c - tongban items: search the service-item catalogue and show an
 * item's guide (办事指南), for operators and scripts.
 *
 *   tongban items search QUERY   "CODE<TAB>NAME" lines, best first
 *   tongban items show CODE      the guide, with every material
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/catalogue.h"
#include "core/i18n.h"
#include "core/paths.h"

static void print_usage(FILE *f)
{
	fprintf(f, "%s\n",
	        T("用法：tongban items search 关键词（编码、名称或拼音首字母）\n"
	          "      tongban items show 事项编码",
	          "usage: tongban items search QUERY (code, name or pinyin initials)\n"
	          "       tongban items show CODE"));
}

static int usage_error(const char *what)
{
	fprintf(stderr, "tongban items: %s\n", what);
	print_usage(stderr);
	return CLI_USAGE;
}

static struct catalogue *load_catalogue(const struct cli_options *o)
{
	char *cat = paths_join(o->data_root, "data/catalogue.json");
	char *py = paths_join(o->data_root, "data/pinyin.tsv");
	struct err e = {0};
	struct catalogue *c = catalogue_load(cat, py, &e);

	if (c == NULL)
		fprintf(stderr, "tongban items: %s\n", e.msg);
	free(cat);
	free(py);
	return c;
}

/* The name a clerk reads: 主项名称, then the 子项名称 in brackets. */
static void print_name(const struct item *it)
{
	if (it->sub_name[0] != '\0')
		printf("%s（%s）", it->name, it->sub_name);
	else
		printf("%s", it->name);
}

static int run_search(const struct catalogue *c, const char *q)
{
	const struct item **found = xcalloc(c->n_items + 1, sizeof *found);
	size_t n = catalogue_search_ranked(c, q, found, c->n_items), i;

	for (i = 0; i < n; i++) {
		printf("%s\t", found[i]->code);
		print_name(found[i]);
		putchar('\n');
	}
	if (n == 0)
		fprintf(stderr,
		        T("tongban items：没有与“%s”匹配的事项\n",
		          "tongban items: no item matches \"%s\"\n"),
		        q);
	free(found);
	return n > 0 ? CLI_YES : CLI_NO;
}

static void print_days(const char *label, int days)
{
	if (days == 0)
		printf("%s%s\n", label, T("即办件（当场办结）", "on the spot (即办件)"));
	else
		printf(T("%s%d 个工作日\n", "%s%d working days\n"), label, days);
}

static void print_field(const char *label, const char *value)
{
	if (value != NULL && value[0] != '\0')
		printf("%s%s\n", label, value);
}

static void print_material(size_t i, const struct material *m)
{
	printf("  %zu. %s  %s  ", i + 1, m->name, m->form);
	printf(T("%d 份  %s", "copies: %d  %s"), m->copies, material_need_label(m->need));
	if (m->exempt)
		printf(T("  免提交（数据共享获取）",
		         "  not to be demanded (obtained by data sharing)"));
	if (m->commitable)
		printf(T("  可告知承诺", "  may be replaced by a commitment"));
	if (m->note[0] != '\0')
		printf(T("\n     说明：%s", "\n     note: %s"), m->note);
	putchar('\n');
}

static void print_guide(const struct item *it)
{
	printf(T("事项名称：", "item: "));
	print_name(it);
	putchar('\n');
	print_field(T("事项编码：", "code: "), it->code);
	print_field(T("实施编码：", "implementation code: "), it->impl_code);
	print_field(T("事项类型：", "type: "), it->type);
	print_field(T("实施主体：", "department: "), it->dept);
	print_field(T("设定依据：", "legal basis: "), it->legal_basis);
	print_field(T("受理条件：", "conditions: "), it->conditions);
	print_days(T("法定办结时限：", "legal time limit: "), it->legal_days);
	print_days(T("承诺办结时限：", "promised time limit: "), it->promised_days);
	printf(T("到现场次数：%d\n", "visits in person: %d\n"), it->visits);
	print_field(T("收费：", "fee: "), it->fee);
	print_field(T("告知承诺：", "commitment (告知承诺): "),
	            it->commitment ? T("适用", "allowed") : T("不适用", "not allowed"));
	print_field(T("办理结果：", "result: "), it->result);
	print_field(T("送达方式：", "delivery: "), it->delivery);
	printf(T("申请材料（%zu 项）：\n", "materials (%zu):\n"), it->n_materials);
	for (size_t i = 0; i < it->n_materials; i++)
		print_material(i, &it->materials[i]);
}

static int run_show(const struct catalogue *c, const char *code)
{
	const struct item *it = catalogue_find(c, code);

	if (it == NULL) {
		fprintf(stderr,
		        T("tongban items：没有编码为 %s 的事项\n",
		          "tongban items: no item has the code %s\n"),
		        code);
		return CLI_NO;
	}
	print_guide(it);
	return CLI_YES;
}

int cmd_items(const struct cli_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct catalogue *c;
	int c_opt, rc;

	opterr = 0;
	while ((c_opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c_opt != 'h')
			return usage_error(T("无法识别的选项", "unknown option"));
		print_usage(stdout);
		return CLI_YES;
	}
	if (argc - optind != 2)
		return usage_error(
		    T("需要子命令和一个参数", "expected a subcommand and one argument"));
	if (strcmp(argv[optind], "search") != 0 && strcmp(argv[optind], "show") != 0)
		return usage_error(
		    T("子命令应为 search 或 show", "subcommand must be search or show"));
	if (argv[optind + 1][0] == '\0')
		return usage_error(T("关键词为空", "the query is empty"));
	if ((c = load_catalogue(o)) == NULL)
		return CLI_ERROR;
	if (strcmp(argv[optind], "search") == 0)
		rc = run_search(c, argv[optind + 1]);
	else
		rc = run_show(c, argv[optind + 1]);
	catalogue_free(c);
	return rc;
}
