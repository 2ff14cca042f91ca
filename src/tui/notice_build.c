#include "tui/notice_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "core/idcard.h"
#include "core/notice.h"
#include "core/paths.h"

#define NOTICE_WIDTH 80

void notice_date_text(struct tb_date d, char *out, size_t n)
{
	snprintf(out, n, "%d年%d月%d日", d.y, d.m, d.d);
}

static void set_common(struct notice_ctx *ctx, const struct app *app, const struct notice_input *in)
{
	char buf[64], *masked = idcard_mask(in->row->id_number);

	notice_set(ctx, "hall_name", app->clerk.hall_name);
	notice_set(ctx, "hall_phone", app->cfg.hall_phone);
	notice_set(ctx, "review_body", app->cfg.review_body);
	snprintf(buf, sizeof buf, "%s%s", app->clerk.window, "号窗口");
	notice_set(ctx, "window", buf);
	notice_set(ctx, "clerk_name", app->clerk.name);
	notice_set(ctx, "clerk_id", app->clerk.id);
	notice_set(ctx, "case_no", in->row->case_no);
	notice_date_text(in->today, buf, sizeof buf);
	notice_set(ctx, "date", buf);
	notice_set(ctx, "applicant_name", in->row->name);
	notice_set(ctx, "applicant_id", masked ? masked : "");
	notice_set(ctx, "applicant_phone", in->row->phone);
	notice_set(ctx, "item_name", in->item->name);
	notice_set(ctx, "item_code", in->item->code);
	notice_set(ctx, "dept", in->item->dept);
	snprintf(buf, sizeof buf, "%d", in->item->promised_days);
	notice_set(ctx, "promised_days", buf);
	notice_set(ctx, "legal_basis", in->item->legal_basis);
	free(masked);
}

/* materials: what was received (收件清单); missing: what must be supplied. */
static void set_materials(struct notice_ctx *ctx, const struct checklist *cl)
{
	size_t i, r;

	for (i = 0; i < cl->n; i++) {
		const struct material *m = &cl->item->materials[i];
		const struct mat_check *c = &cl->m[i];
		char copies[16];

		if (c->status == MS_MISSING || c->status == MS_DEFECTIVE) {
			r = notice_row_add(ctx, "missing");
			notice_row_set(ctx, "missing", r, "name", m->name);
			notice_row_set(ctx, "missing", r, "problem",
			               c->status == MS_DEFECTIVE && c->reason[0]
			                   ? c->reason
			                   : (c->status == MS_MISSING ? "未提交" : "不符合要求"));
		}
		if (!mat_status_is_in(c->status) || c->status == MS_EXEMPT)
			continue;
		r = notice_row_add(ctx, "materials");
		snprintf(copies, sizeof copies, "%d", m->copies);
		notice_row_set(ctx, "materials", r, "name", m->name);
		notice_row_set(ctx, "materials", r, "form", mat_status_label(c->status));
		notice_row_set(ctx, "materials", r, "copies", copies);
		notice_row_set(ctx, "materials", r, "status", mat_status_label(c->status));
	}
}

static void set_commitments(struct notice_ctx *ctx, const struct notice_input *in)
{
	size_t i;

	for (i = 0; i < in->n_commits; i++) {
		size_t r = notice_row_add(ctx, "commitments");
		char due[64];

		notice_date_text(in->commits[i].due, due, sizeof due);
		notice_row_set(ctx, "commitments", r, "name", in->commits[i].m->name);
		notice_row_set(ctx, "commitments", r, "content", in->commits[i].content);
		notice_row_set(ctx, "commitments", r, "due_date", due);
	}
}

char *notice_build(const struct app *app, const struct notice_input *in, struct err *e)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *sub = xasprintf("forms/notices/%s.txt", in->kind);
	char *path = paths_join(app->data_root, sub);
	char *text;

	set_common(ctx, app, in);
	if (in->cl)
		set_materials(ctx, in->cl);
	set_commitments(ctx, in);
	notice_set(ctx, "due_date", in->due_date ? in->due_date : "");
	notice_set(ctx, "supply_by", in->supply_by ? in->supply_by : "");
	notice_set(ctx, "note", in->note ? in->note : "");
	if (in->refusal) {
		const struct form *f = app->refusal;
		const char *reason = form_value(f, in->refusal, "reason");
		const char *detail = form_value(f, in->refusal, "detail");
		char *both = xasprintf("%s%s%s", reason, detail[0] ? "：" : "", detail);

		notice_set(ctx, "reason", both);
		notice_set(ctx, "legal_basis", form_value(f, in->refusal, "legal_basis"));
		notice_set(ctx, "apply_instead", form_value(f, in->refusal, "apply_instead"));
		free(both);
	}
	text = notice_render_file(path, ctx, NOTICE_WIDTH, e);
	notice_ctx_free(ctx);
	free(sub);
	free(path);
	return text;
}
