/*
 * counter.h - the intake / supplement screen's state, shared by its files:
 * screen_counter.c (keys and drawing), counter_open.c (a new intake, a
 * resumed draft, a supplement; saving the draft), counter_checklist.c (the
 * material checklist) and counter_decide.c (the decisions of core).
 */
#ifndef TB_TUI_COUNTER_H
#define TB_TUI_COUNTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/bundle.h"
#include "core/checklist.h"
#include "core/ecert.h"
#include "tui/app.h"
#include "tui/formview.h"

enum counter_zone { ZONE_FORM, ZONE_LIST };

struct counter {
	struct app *app;
	const struct item *item;
	struct form *form; /* the applicant form of its kind + the item's fields; owned */
	bool org;          /* the applicant is an organisation */
	struct formview fv;
	struct checklist cl;
	struct checklist first; /* supplement: the checklist when the notice was issued */
	bool supplement;
	struct case_row row; /* the case when it exists already (a supplement) */
	bool has_case;
	char new_id[40];      /* a new case's id and number, kept when a save failed */
	char reserved_no[64]; /* so that the retry uses the same number */
	bool draft_dirty;     /* the screen holds more than the stored draft */
	bool save_failed;     /* the last save failed: its message stays on the screen */
	struct err save_err;  /* and why */
	enum counter_zone zone;
	size_t sel; /* checklist row */
	size_t top;
	/* 绿色通道 (core/green.h): the key project's certificate and its 代办员, "" when none */
	char green_cert[256];
	char green_helper[256];
	/* 一件事: the bundle c->item stands for (its union), else NULL */
	const struct bundle *bundle;
	char bundle_id[40];                           /* kept for a retry, as new_id */
	struct decision_case parts[BUNDLE_MAX_ITEMS]; /* one per item: kept numbers */
	struct case_row part_rows[BUNDLE_MAX_ITEMS];  /* a supplement: the stored parts */
	/* e-certificates (counter_ecert.c): per material, its check when known */
	struct ecert_check *ec;
	bool *ec_known;
	char ec_asked[33]; /* the holder the checks were last asked for */
};

/* counter_open.c */
bool counter_setup(struct counter *c);
void counter_teardown(struct counter *c);
/* Save the intake draft now: true when saved (or nothing to save), false
 * with the reason on the message line (the draft stays dirty, retried when
 * the clerk is idle). */
bool counter_save_draft(struct counter *c);
/* Build the form for the item and kind, carrying over values from d (NULL
 * for the defaults).  False with a message when the form is missing. */
struct draft;
bool counter_build_form(struct counter *c, const struct draft *d);

/* counter_checklist.c */
void counter_draw_checklist(struct counter *c, int y, int bottom, int *cy, int *cx);
void counter_list_key(struct counter *c, struct ui_key k);

/* counter_ecert.c: ask for the checks of the item's e-certificate materials
 * with the applicant's ID (once per ID; the sync agent answers them), read
 * what is known and let core apply it to the checklist.  Returns whether
 * something the screen shows changed. */
bool counter_ecert_refresh(struct counter *c);
/* The e-certificate text of material i for its checklist row, or NULL
 * when it has none (yet).  Into buf (size n). */
const char *counter_ecert_text(struct counter *c, size_t i, char *buf, size_t n);
void counter_ecert_free(struct counter *c);

/* counter_decide.c: the action of a decision key; arg is the struct decision */
int counter_decide(void *screen, const void *arg);
/* The form must be valid for any decision (a supplement's form is read-only). */
bool counter_form_ok(struct counter *c);

/* After a decision: the ditto values, a round of sync, the message and the
 * notice (counter_decide.c); the screen to go to. */
struct decision_result;
int counter_decided(struct counter *c, const char *applicant, const char *name,
                    struct decision_result *res);

/* The applicant of a new case as JSON, with the 绿色通道 when set.  Caller frees. */
char *counter_applicant_json(struct counter *c, char **vals);

/* counter_bundle.c: 一件事 at the counter.  The supplement of the bundle the
 * stored case c->row is a part of (false with a message when its parts do
 * not fit the catalogue's bundle); a decision key on a bundle. */
bool counter_bundle_supplement(struct counter *c);
int counter_bundle_decide(struct counter *c, const struct decision *d);

/* dialog_refusal.c: the refusal's values (forms/refusal.json), NULL when the
 * clerk backs out.  Caller frees with values_free(). */
char **dialog_refusal(struct app *app, const struct item *item);

#endif
