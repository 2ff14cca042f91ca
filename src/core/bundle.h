/*
 * bundle.h - 一件事一次办: a bundle of catalogue items taken in at one
 * intake (企业开办 = 设立登记 + 公章刻制 + 社保登记 + 公积金缴存登记 + 发票申领).
 *
 * The catalogue's top-level "bundles" array names each bundle's items
 * (data/README.md).  A bundle is shown to the clerk as one item of its own
 * (struct bundle.item): its materials are the union of its items'
 * materials, a material of the same name asked once (一表申请, shared
 * materials once), its limit the longest of its items'.  Behind it the
 * decision makes one case per item (bundle_run), each with its own
 * department and deadline, linked by the bundle's id, with ONE notice and
 * one receipt, all saved in one transaction.
 */
#ifndef TB_CORE_BUNDLE_H
#define TB_CORE_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/catalogue.h"
#include "core/checklist.h"
#include "core/decision.h"

struct json_object;

/* The most items a bundle may hold. */
#define BUNDLE_MAX_ITEMS 16

struct bundle {
	char *code;                /* e.g. "YJS001" */
	char *name;                /* "企业开办" */
	char *source;              /* which policy document asks for it */
	char **codes;              /* its items' codes, as in the file */
	const struct item **items; /* the same, resolved in the catalogue */
	size_t n_items;
	struct item item; /* the one item the counter shows: the union (owned) */
	/* where each item's material sits in item.materials: map[i][k] */
	size_t **map;
};

struct bundle_set {
	struct bundle *b;
	size_t n;
};

/*
 * Read the "bundles" array o (a json-c array) into a new set: each entry
 * {"code","name","items":[codes],"source"}.  NULL with e ("bundles: #2:
 * field items: ...") when malformed.  Caller frees with bundle_set_free.
 */
struct bundle_set *bundle_set_parse(struct json_object *o, struct err *e);

/* Resolve the items of every bundle in c and build the union items.  -1
 * with e when a code names no item, a bundle has fewer than 2 items or one
 * twice, or a bundle's code is taken. */
int bundle_set_resolve(struct bundle_set *s, const struct catalogue *c, struct err *e);

void bundle_set_free(struct bundle_set *s);

/* The bundle with this code, or NULL (s may be NULL). */
const struct bundle *bundle_find(const struct bundle_set *s, const char *code);

/* The bundle whose union item is it, or NULL (it is a catalogue item). */
const struct bundle *bundle_of_item(const struct bundle_set *s, const struct item *it);

/* Bundles whose code or name contains query, or whose name's pinyin
 * initials it matches through t (may be NULL; "qykb" finds 企业开办); ""
 * matches all.  Up to max into out; how many matched. */
struct pinyin_table;
size_t bundle_search(const struct bundle_set *s, const struct pinyin_table *t, const char *query,
                     const struct bundle **out, size_t max);

/* Item i's checklist out (initialised here; caller frees) from the union
 * checklist u of the bundle. */
void bundle_split(const struct bundle *b, const struct checklist *u, size_t i,
                  struct checklist *out);

/* Each part's checklist as the parts' cases hold them, merged back into the
 * union u (already initialised for b->item). */
void bundle_merge(const struct bundle *b, const struct checklist *part, size_t i,
                  struct checklist *u);

/* What a bundle decision reads. */
struct bundle_input {
	const struct decision_env *env;
	const struct bundle *b;
	const struct checklist *cl;    /* the union checklist as checked now */
	const struct checklist *first; /* supplement: the union the notice was made from */
	bool supplement;
	bool has_agent;
	const char *note;
	char bundle_id[40];          /* "" for a new bundle: made by bundle_run */
	struct decision_case *parts; /* one per b->items, in order; new ones is_new */
	const char *draft_owner;
};

/* What the store writes for a bundle, in ONE transaction. */
struct bundle_record {
	const char *bundle_id, *code, *name;
	struct decision_record *rec; /* one per part; the first carries the notice */
	size_t n;
};

struct bundle_sink {
	void *arg;
	int (*commit)(void *arg, const struct bundle_record *r, struct err *e);
};

/* The decisions a bundle takes at the counter (accept, notice), NULL-ended. */
extern const struct decision *const bundle_decisions[];

/* Whether d fits the bundle now (its rule on the union, its transitions);
 * 0 or -1 with why in e.  Nothing is numbered or saved. */
int bundle_check(const struct decision *d, const struct bundle_input *in, struct err *e);

/*
 * Run decision d (accept or notice) on every part of the bundle: the rule
 * on the union checklist, then each part's events (created for new parts,
 * the supplement when in->supplement, the decision) with its own item's
 * deadline; one notice for the whole bundle (forms/notices/bundle_KIND.txt)
 * listing every part, its department and its case number; then ONE call
 * to bsink->commit.  New parts get their ids and numbers here (kept in
 * in->parts for a retry).  0 with out filled (case_no: the first part's),
 * or -1 with e; nothing is written unless 0.
 */
int bundle_run(const struct decision *d, struct bundle_input *in, const struct decision_sink *sink,
               const struct bundle_sink *bsink, struct decision_result *out, struct err *e);

#endif
