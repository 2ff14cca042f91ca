/*
 * form_check.c - checking one typed value against its form field.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/phone.h"
#include "core/uscc.h"
#include "core/utf8.h"

#define FIELD_DEFAULT_MAXLEN 1000

/* Administrative division codes for ID numbers; NULL checks provinces only. */
static const struct region_table *id_regions;

void form_set_regions(const struct region_table *regions)
{
	id_regions = regions;
}

static int say(char *msg, size_t n, const struct form_field *fld, const char *what)
{
	snprintf(msg, n, "%s%s%s", i18n_data(fld->label), _(": "), what);
	return -1;
}

static bool all_digits(const char *s, bool allow_dot)
{
	int dots = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s == '.' && allow_dot && dots++ == 0)
			continue;
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

static int check_money(const struct form_field *fld, const char *v, char *msg, size_t n)
{
	const char *dot = strchr(v, '.');

	if (!all_digits(v, true) || (dot && strlen(dot + 1) > 2) || v[0] == '.')
		return say(msg, n, fld,
		           _("amount must be a number with at most two decimals, e.g. 120.50"));
	return 0;
}

static int check_date(const struct form_field *fld, const char *v, char *msg, size_t n)
{
	struct tb_date d;

	if (tb_date_parse(v, &d) < 0)
		return say(msg, n, fld, _("date must be YYYY-MM-DD and a real date"));
	return 0;
}

static int check_choice(const struct form_field *fld, const char *v, char *msg, size_t n)
{
	size_t i;

	for (i = 0; i < fld->n_choices; i++)
		if (strcmp(fld->choices[i], v) == 0)
			return 0;
	return say(msg, n, fld, _("choose one of the listed values"));
}

static int check_type(const struct form_field *fld, const char *v, char *msg, size_t n)
{
	char detail[256];

	switch (fld->type) {
	case FT_IDCARD: {
		struct tb_date today = tb_date_today_shanghai();
		struct idcard_info info;
		enum idcard_error why;

		if (idcard_check_regions(v, &today, id_regions, &info, &why) == 0)
			return 0;
		return say(msg, n, fld,
		           idcard_explain(why, &info, i18n_is_chinese(), detail, sizeof detail));
	}
	case FT_USCC: {
		struct uscc_info info;
		enum uscc_error why;

		if (uscc_check(v, &info, &why) == 0)
			return 0;
		return say(msg, n, fld,
		           uscc_explain(why, &info, i18n_is_chinese(), detail, sizeof detail));
	}
	case FT_PHONE: {
		struct phone_info info;
		enum phone_error why;

		if (phone_check(v, &info, &why) == 0)
			return 0;
		return say(msg, n, fld, phone_error_text(why, i18n_is_chinese()));
	}
	case FT_NUMBER:
		if (!all_digits(v, false))
			return say(msg, n, fld, _("digits only"));
		return 0;
	case FT_MONEY:
		return check_money(fld, v, msg, n);
	case FT_DATE:
		return check_date(fld, v, msg, n);
	case FT_CHOICE:
		return check_choice(fld, v, msg, n);
	default:
		return 0;
	}
}

static int check_pattern(const struct form_field *fld, const char *v, char *msg, size_t n)
{
	regex_t re;
	regmatch_t m;
	int rc;

	if (fld->pattern == NULL || regcomp(&re, fld->pattern, REG_EXTENDED) != 0)
		return 0;
	/* the whole value must match, not a part of it */
	rc = regexec(&re, v, 1, &m, 0);
	regfree(&re);
	if (rc == 0 && m.rm_so == 0 && (size_t)m.rm_eo == strlen(v))
		return 0;
	return say(msg, n, fld, fld->pattern_msg ? i18n_data(fld->pattern_msg) : _("wrong format"));
}

/* Control or invisible characters (a pasted zero-width space...). */
static bool has_invisible(const char *v)
{
	size_t len = strlen(v), i = 0;

	while (i < len) {
		uint32_t cp;

		i += utf8_decode(v + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7F || utf8_is_invisible(cp))
			return true;
	}
	return false;
}

int form_field_check(const struct form_field *fld, const char *v, char *msg, size_t n)
{
	size_t max = fld->maxlen ? (size_t)fld->maxlen : FIELD_DEFAULT_MAXLEN;

	msg[0] = '\0';
	if (!utf8_is_valid(v, strlen(v)) || has_invisible(v))
		return say(msg, n, fld, _("contains invalid or invisible characters"));
	if (v[0] == '\0') {
		if (fld->required)
			return say(msg, n, fld, _("required"));
		return 0;
	}
	if (utf8_count(v) > max) {
		char what[128];

		snprintf(what, sizeof what, _("at most %zu characters"), max);
		return say(msg, n, fld, what);
	}
	if (check_type(fld, v, msg, n) < 0)
		return -1;
	return check_pattern(fld, v, msg, n);
}
