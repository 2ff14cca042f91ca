/* tbfixture.c - test cases made through core's decisions (see tbfixture.h). */
#include "tbfixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draft.h"
#include "core/paths.h"
#include "tbcheck.h"

int tbfixture_open(struct tbfixture *f, struct store *st, const struct clerk *c, struct err *e)
{
	static const struct clerk demo = {"demo", "王小明", "H001", "示例市政务服务中心",
	                                  "3",    "clerk"};
	char *cat, *py, *cal, *refusal;

	memset(f, 0, sizeof *f);
	f->st = st;
	f->clerk = c ? *c : demo;
	str_copy(f->terminal, sizeof f->terminal, "T01");
	f->id_number = "11010519491231002X";
	f->phone = "13800138000";
	f->data_root = tbcheck_src_path("");
	cat = paths_join(f->data_root, "data/catalogue.json");
	py = paths_join(f->data_root, "data/pinyin.tsv");
	cal = paths_join(f->data_root, "data/calendar.json");
	refusal = paths_join(f->data_root, "forms/refusal.json");
	config_defaults(&f->cfg);
	f->cat = catalogue_load(cat, py, e);
	f->cal = f->cat ? cal_load(cal, e) : NULL;
	f->refusal = f->cal ? form_load(refusal, e) : NULL;
	free(cat);
	free(py);
	free(cal);
	free(refusal);
	store_decision_sink(st, &f->sink);
	if (f->refusal == NULL) {
		tbfixture_close(f);
		return -1;
	}
	return 0;
}

void tbfixture_close(struct tbfixture *f)
{
	catalogue_free(f->cat);
	cal_free(f->cal);
	form_free(f->refusal);
	free(f->data_root);
	memset(f, 0, sizeof *f);
}

static void env_of(struct tbfixture *f, struct decision_env *env)
{
	memset(env, 0, sizeof *env);
	env->clerk = &f->clerk;
	env->terminal = f->terminal;
	env->cfg = &f->cfg;
	env->cal = f->cal;
	env->data_root = f->data_root;
	env->refusal = f->refusal;
	env->pinyin = f->cat->pinyin;
	env->today = tb_date_from_time_shanghai(store_clock_now());
}

/* The checklist a decision of d wants: all in, one missing, or committed. */
static void checklist_for(const struct decision *d, const struct item *it, struct checklist *cl)
{
	size_t i;
	bool missing = false;

	checklist_init(cl, it);
	for (i = 0; i < cl->n; i++) {
		const struct material *m = &it->materials[i];

		if (m->exempt)
			continue;
		cl->m[i].status = MS_ORIGINAL;
		if (d == &decision_notice && !missing && m->need == NEED_REQUIRED) {
			cl->m[i].status = MS_MISSING;
			missing = true;
		} else if (d == &decision_commit && it->commitment &&
		           (m->commitable || m->need == NEED_DEFERRABLE)) {
			cl->m[i].status = MS_COMMITTED;
		}
	}
}

/* The refusal form's values: its defaults with a reason. */
static char **refusal_values(struct tbfixture *f, const struct item *it)
{
	char **v = xcalloc(f->refusal->n_fields, sizeof *v);
	size_t i;

	for (i = 0; i < f->refusal->n_fields; i++) {
		const char *id = f->refusal->fields[i].id;

		v[i] = xstrdup(strcmp(id, "reason") == 0        ? "不属于本机关职权范围"
		               : strcmp(id, "legal_basis") == 0 ? it->legal_basis
		                                                : f->refusal->fields[i].def);
	}
	return v;
}

static int run(struct tbfixture *f, const struct decision *d, struct decision_input *in,
               struct decision_result *res, struct err *e)
{
	char **refusal = d == &decision_refuse ? refusal_values(f, in->item) : NULL;
	int rc;

	in->refusal = refusal;
	rc = decision_run(d, in, &f->sink, res, e);
	values_free(refusal, refusal ? f->refusal->n_fields : 0);
	if (rc == 0)
		free(res->notice_text);
	return rc;
}

int tbfixture_case(struct tbfixture *f, const struct decision *d, const char *item,
                   const char *name, struct case_row *out, struct err *e)
{
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	struct decision_result res;
	struct checklist cl;
	char applicant[512];
	int rc;

	env_of(f, &env);
	memset(&k, 0, sizeof k);
	memset(&in, 0, sizeof in);
	k.is_new = true;
	k.item_code = item;
	k.name = name;
	k.id_number = f->id_number;
	k.phone = f->phone;
	snprintf(applicant, sizeof applicant,
	         "{\"name\":\"%s\",\"id_number\":\"%s\",\"phone\":\"%s\","
	         "\"kind\":\"person\"}",
	         name, f->id_number, f->phone);
	k.applicant = applicant;
	in.env = &env;
	in.item = catalogue_find(f->cat, item);
	in.kase = &k;
	in.draft_owner = f->clerk.id;
	if (in.item == NULL) {
		err_set(e, "no item %s", item);
		return -1;
	}
	checklist_for(d, in.item, &cl);
	in.cl = &cl;
	rc = run(f, d, &in, &res, e);
	checklist_free(&cl);
	if (rc == 0 && out && store_case_get(f->st, res.case_id, out, e) != 1)
		rc = -1;
	return rc;
}

int tbfixture_decide(struct tbfixture *f, const struct decision *d, const char *case_id,
                     const char *note, struct err *e)
{
	struct decision_input extra;

	memset(&extra, 0, sizeof extra);
	extra.note = note;
	extra.reason = note;
	extra.rating = -1;
	return tbfixture_decide_with(f, d, case_id, &extra, e);
}

int tbfixture_decide_with(struct tbfixture *f, const struct decision *d, const char *case_id,
                          const struct decision_input *extra, struct err *e)
{
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	struct decision_result res;
	struct decision_verdict v = {"", d == &decision_revoke};
	struct checklist cl;
	struct case_row r;
	int rc;

	if ((rc = store_case_get(f->st, case_id, &r, e)) != 1) {
		if (rc == 0)
			err_set(e, "no case %s", case_id);
		return -1;
	}
	env_of(f, &env);
	store_decision_case(&r, &k);
	memset(&in, 0, sizeof in);
	in.env = &env;
	in.item = catalogue_find(f->cat, r.item_code);
	in.kase = &k;
	in.note = extra->note;
	in.reason = extra->reason;
	in.release = extra->release;
	in.joint_approved = extra->joint_approved;
	in.joint_refused = extra->joint_refused;
	in.rating = extra->rating;
	in.comment = extra->comment;
	in.supply_by = r.supply_by;
	in.supplement =
	    k.state == CS_AWAITING_SUPPLEMENT && d != &decision_withdraw && d != &decision_note;
	str_copy(v.material, sizeof v.material, "消防安全承诺书");
	in.verdicts = &v;
	in.n_verdicts = d == &decision_confirm || d == &decision_revoke;
	checklist_for(&decision_accept, in.item, &cl);
	in.cl = &cl;
	in.first = &cl;
	rc = run(f, d, &in, &res, e);
	checklist_free(&cl);
	return rc;
}

const char *tbfixture_accepted(struct tbfixture *f, const char *name)
{
	static struct case_row r;
	struct err e = {0};

	ck_assert_msg(tbfixture_case(f, &decision_accept, TBFIX_ITEM, name, &r, &e) == 0, "%s",
	              e.msg);
	return r.id;
}
