#include "fuzztargets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/checklist.h"
#include "core/config.h"
#include "core/form.h"
#include "core/idcard.h"
#include "core/notice.h"
#include "core/pinyin.h"

/* The bytes as a NUL-terminated copy, as file_read_all() hands them over. */
static char *text_of(const uint8_t *data, size_t size)
{
	char *t = xmalloc(size + 1);

	if (size)
		memcpy(t, data, size);
	t[size] = '\0';
	return t;
}

int fuzz_catalogue(const uint8_t *data, size_t size)
{
	char *t = text_of(data, size);
	struct err e = {0};
	struct catalogue *c = catalogue_parse(t, size, "fuzz.json", &e);
	const struct item *out[8];

	if (c) {
		catalogue_search_ranked(c, "jzlj", out, 8);
		catalogue_search(c, "不动产", out, 8);
	}
	catalogue_free(c);
	free(t);
	return 0;
}

int fuzz_form(const uint8_t *data, size_t size)
{
	char *t = text_of(data, size);
	struct err e = {0};
	struct form *f = form_parse(t, size, "fuzz.json", &e);
	size_t i;
	char msg[512];

	if (f) {
		char **vals = xcalloc(f->n_fields, sizeof *vals);

		for (i = 0; i < f->n_fields; i++)
			vals[i] = "11010519491231002X";
		for (i = 0; i < f->n_fields; i++)
			form_check_in(f, i, vals, msg, sizeof msg);
		free(form_values_json(f, vals));
		free(vals);
		form_free(form_concat(f, f));
	}
	form_free(f);
	free(t);
	return 0;
}

int fuzz_calendar(const uint8_t *data, size_t size)
{
	char *t = text_of(data, size);
	struct err e = {0};
	struct calendar *c = cal_parse(t, size, "fuzz.json", &e);

	if (c) {
		struct tb_date d = {2026, 9, 30}, due;

		cal_add_workdays(c, d, 10, NULL, 0, &due, &e);
	}
	cal_free(c);
	free(t);
	return 0;
}

int fuzz_notice(const uint8_t *data, size_t size)
{
	char *t = text_of(data, size);
	struct err e = {0};
	struct notice_ctx *ctx = notice_ctx_new();
	size_t r;

	notice_set(ctx, "case_no", "H001-03-20261125-0001");
	notice_set(ctx, "applicant_name", "阿依古丽·买买提");
	r = notice_row_add(ctx, "materials");
	notice_row_set(ctx, "materials", r, "name", "建筑垃圾处置申请书");
	free(notice_render(t, size, "fuzz.txt", ctx, 80, &e));
	notice_check(t, size, "fuzz.txt", NULL, &e);
	notice_ctx_free(ctx);
	free(t);
	return 0;
}

int fuzz_pinyin(const uint8_t *data, size_t size)
{
	char *t = text_of(data, size);
	struct err e = {0};
	struct pinyin_table *p = pinyin_parse(t, size, "fuzz.tsv", &e);

	if (p)
		pinyin_match_initials(p, "建筑垃圾处置许可", "jzlj");
	pinyin_free(p);
	free(t);
	return 0;
}

int fuzz_regions(const uint8_t *data, size_t size)
{
	char *t = text_of(data, size);
	struct err e = {0};
	struct region_table *r = region_parse(t, size, "fuzz.tsv", &e);
	struct idcard_info info;
	enum idcard_error why;

	if (r)
		idcard_check_regions("11010519491231002X", NULL, r, &info, &why);
	region_free(r);
	free(t);
	return 0;
}

int fuzz_checklist(const uint8_t *data, size_t size)
{
	static struct material m[] = {
	    {"m1", "申请书", "原件", 1, NEED_REQUIRED, false, false, "", ""},
	    {"m2", "执照", "电子", 0, NEED_REQUIRED, true, false, "", ""}};
	static struct item it = {.code = "T", .name = "测试", .materials = m, .n_materials = 2};
	char *t = text_of(data, size), why[256];
	struct checklist c;

	checklist_init(&c, &it);
	checklist_from_json(&c, t);
	checklist_can_accept(&c, why, sizeof why);
	free(checklist_to_json(&c));
	checklist_free(&c);
	free(t);
	return 0;
}

int fuzz_config(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/tongban-fuzz-config-XXXXXX";
	int fd = mkstemp(path);
	struct config c;
	struct err e = {0};

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		config_defaults(&c);
		config_load(&c, path, &e);
	}
	close(fd);
	unlink(path);
	return 0;
}

const struct fuzz_target fuzz_targets[] = {
    {"catalogue", fuzz_catalogue, "data/catalogue.json"},
    {"form", fuzz_form, "forms/intake_org.json"},
    {"calendar", fuzz_calendar, "data/calendar.json"},
    {"notice", fuzz_notice, "forms/notices/acceptance.txt"},
    {"pinyin", fuzz_pinyin, "tests/data/pinyin-sample.tsv"},
    {"regions", fuzz_regions, "data/regions.tsv"},
    {"checklist", fuzz_checklist, "tests/data/checklist-sample.json"},
    {"config", fuzz_config, "data/config.json"},
};

const size_t fuzz_n_targets = sizeof fuzz_targets / sizeof fuzz_targets[0];
