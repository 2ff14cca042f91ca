/*
 * form.h - screens described as data: forms/NAME.json (see tongban-forms(5)).
 *
 * A form is sections of fields.  The core only models and checks them; the
 * TUI draws them.  A form is immutable once loaded; strings belong to it.
 */
#ifndef TB_CORE_FORM_H
#define TB_CORE_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

enum field_type {
	FT_TEXT,
	FT_MEMO,
	FT_NUMBER,
	FT_MONEY,
	FT_DATE,
	FT_CHOICE,
	FT_CHECK,
	FT_IDCARD,
	FT_USCC,
	FT_PHONE,
};

struct form_field {
	char *id;
	char *label;
	enum field_type type;
	int width;  /* box width in screen columns */
	int maxlen; /* most characters accepted (0: no limit but 1000) */
	bool required;
	char *pattern;     /* POSIX extended regex the whole value must match, or NULL */
	char *pattern_msg; /* message when the pattern fails, or NULL */
	char **choices;    /* FT_CHOICE: the allowed values */
	size_t n_choices;
	char *def;         /* default value, "" if none */
	char *help;        /* help text, "" if none */
	bool ditto;        /* the ditto key may copy it from the previous case */
	bool autoskip;     /* move to the next field once the value is complete */
	char *when_field;  /* the type's check applies only when this field... */
	char *when_equals; /* ...has this value (e.g. id_type = 居民身份证); NULL: always */
	char *required_if; /* required when this other field is filled (the agent's ID), or NULL */
	size_t section;    /* index into form.sections */
};

struct form_section {
	char *title;
};

struct form {
	char *id;
	char *title;
	struct form_section *sections;
	size_t n_sections;
	struct form_field *fields;
	size_t n_fields;
};

/* Load a form file.  NULL on failure with e naming file, field and problem.
 * Caller frees with form_free(). */
struct form *form_load(const char *path, struct err *e);
struct form *form_parse(const char *json, size_t len, const char *file, struct err *e);
void form_free(struct form *f);

/*
 * A new form with the sections and fields of a followed by those of b (an
 * item's extra fields after the applicant form).  Fields of b whose id is
 * already in a are left out.  Caller frees with form_free().
 */
struct form *form_concat(const struct form *a, const struct form *b);

/* The field with this id, or NULL. */
const struct form_field *form_field_find(const struct form *f, const char *id);

/* The type named by s ("text", "idcard"...); -1 if unknown. */
int form_type_from_name(const char *s);

/*
 * Check one value against its field: required, length, type rules (ID
 * number, credit code, phone, date, number, money, choice) and pattern.
 * Returns 0 when valid, else -1 with a clerk-facing message (in the current
 * language) in msg.
 */
int form_field_check(const struct form_field *fld, const char *value, char *msg, size_t msglen);

/* The same within a form's values (one per field, in order): a field with a
 * "check_when" condition that does not hold is checked as plain text. */
int form_check_in(const struct form *f, size_t i, char *const *values, char *msg, size_t msglen);

struct region_table;

/* Use this table of administrative division codes when checking ID numbers
 * (not owned; NULL: provinces only). */
void form_set_regions(const struct region_table *regions);

/* The values (one UTF-8 string per field, in field order) as a JSON object
 * {"id": "value", ...}.  Caller frees. */
char *form_values_json(const struct form *f, char *const *values);

/* Bring a typed value to its stored form in place: the letters of an ID
 * number or a credit code as capitals (the check letter X, GB 32100 codes),
 * so checks, searches and the server see one spelling. */
void form_normalize(const struct form_field *fld, char *value);

/* Free an array of n values (one per field).  NULL is fine. */
void values_free(char **v, size_t n);

/* The value of field id among values, or "" when the form has no such field. */
const char *form_value(const struct form *f, char *const *values, const char *id);

#endif
