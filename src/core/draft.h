/*
 * draft.h - the clerk's unfinished intake as a text the store keeps across
 * crashes: the item, whether the applicant is a person or an organisation,
 * the form's values by field id, and the material checklist.  The same
 * model carries the previous case's values for the ditto key.
 */
#ifndef TB_CORE_DRAFT_H
#define TB_CORE_DRAFT_H

#include <stdbool.h>

#include "core/checklist.h"
#include "core/form.h"

struct draft;

/* The draft's text (caller frees).  cl may be NULL; case_id is NULL except
 * for a case an older version created before its decision. */
char *draft_encode(const char *item_code, bool org, const struct form *f, char *const *values,
                   const struct checklist *cl, const char *case_id);

/* A draft read back; NULL when text is not one.  Free with draft_free(). */
struct draft *draft_decode(const char *text);
void draft_free(struct draft *d);

/* What the draft holds.  Strings are valid until draft_free. */
const char *draft_item_code(const struct draft *d);
bool draft_is_org(const struct draft *d);
/* The case an older version created before its decision ("" if none). */
const char *draft_case_id(const struct draft *d);
/* The value of field id, "" when the draft has none. */
const char *draft_value(const struct draft *d, const char *id);
/* Whether the draft has a value for field id. */
bool draft_has(const struct draft *d, const char *id);

/* One value per field of f, the field's default where the draft has none
 * (d may be NULL).  Caller frees each and the array (values_free). */
char **draft_values(const struct draft *d, const struct form *f);

/* The draft's checklist statuses into cl (built for the item). */
void draft_checklist(const struct draft *d, struct checklist *cl);

/* The applicant's values as a JSON object with "kind" ("person" or
 * "organisation"), as a new case keeps them.  Caller frees. */
char *draft_applicant_json(const struct form *f, char *const *values, bool org);

#endif
