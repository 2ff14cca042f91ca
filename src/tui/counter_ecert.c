/*
 * counter_ecert.c - the e-certificates of the counter's checklist (电子证照,
 * 免提交; core/ecert.h has the rules): a material the catalogue marks with an
 * e-certificate type is checked by a lookup with the applicant's ID, asked
 * in the local database (store/ecert.h) and answered by the sync agent, so
 * the screen never waits on the network; offline the check stays 待核验.
 */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/ecert.h"
#include "tui/counter.h"

/* The applicant's holder key, "" when the ID typed is not valid (yet). */
static void applicant_key(struct counter *c, char *out, size_t n)
{
	char **vals = formview_values(&c->fv);

	if (ecert_holder_key(form_value(c->fv.form, vals, "id_number"), out, n) < 0)
		out[0] = '\0';
	values_free(vals, c->fv.form->n_fields);
}

static void ensure_arrays(struct counter *c)
{
	if (c->ec == NULL && c->cl.n > 0) {
		c->ec = xcalloc(c->cl.n, sizeof *c->ec);
		c->ec_known = xcalloc(c->cl.n, sizeof *c->ec_known);
	}
}

/* Ask for every e-certificate of the item for holder, today. */
static bool ask_all(struct counter *c, const char *holder)
{
	char today[TB_DATE_LEN];
	bool asked = false;
	size_t i;

	tb_date_format(tb_date_from_time_shanghai(store_clock_now()), today);
	for (i = 0; i < c->cl.n; i++) {
		const char *type = c->item->materials[i].ecert;

		if (type[0] != '\0' &&
		    store_ecert_ask(c->app->st, type, holder, today, c->app->clerk.id, NULL) == 0)
			asked = true;
	}
	return asked;
}

bool counter_ecert_refresh(struct counter *c)
{
	char holder[33];
	bool changed = false;
	size_t i;

	ensure_arrays(c);
	if (c->ec == NULL)
		return false;
	applicant_key(c, holder, sizeof holder);
	if (holder[0] != '\0' && strcmp(holder, c->ec_asked) != 0 && ask_all(c, holder)) {
		str_copy(c->ec_asked, sizeof c->ec_asked, holder);
		if (c->app->sync)
			sync_helper_poke(c->app->sync);
	}
	for (i = 0; i < c->cl.n; i++) {
		const char *type = c->item->materials[i].ecert;
		struct ecert_check now;
		bool known;

		if (type[0] == '\0')
			continue;
		known =
		    holder[0] != '\0' && store_ecert_get(c->app->st, type, holder, &now, NULL) == 1;
		if (known != c->ec_known[i] || (known && memcmp(&now, &c->ec[i], sizeof now) != 0))
			changed = true;
		c->ec_known[i] = known;
		if (known) {
			c->ec[i] = now;
			changed |= ecert_apply(&c->cl, i, &now);
		}
	}
	if (changed)
		counter_save_draft(c);
	return changed;
}

const char *counter_ecert_text(struct counter *c, size_t i, char *buf, size_t n)
{
	if (c->ec == NULL || !c->ec_known[i])
		return NULL;
	return ecert_describe(&c->ec[i], buf, n);
}

void counter_ecert_free(struct counter *c)
{
	free(c->ec);
	free(c->ec_known);
	c->ec = NULL;
	c->ec_known = NULL;
}
