/*
 * forms.h - the forms the TUI loads on demand (forms/NAME.json), kept for
 * the session, and the intake form of a case: the applicant form of its
 * kind (person or organisation) followed by the item's own fields from
 * forms/items/CODE.json when that file exists.
 */
#ifndef TB_TUI_FORMS_H
#define TB_TUI_FORMS_H

#include <stdbool.h>

#include "core/form.h"

struct app;

/* forms/NAME.json, loaded once; NULL (and the error shown) when it cannot be. */
const struct form *app_form(struct app *app, const char *name);

/* The applicant form (organisation when org) with the item's extra fields.
 * NULL when the applicant form is missing.  Caller frees with form_free(). */
struct form *app_intake_form(struct app *app, bool org, const char *item_code);

/* Free every cached form. */
void app_forms_free(struct app *app);

#endif
