/* green.c - 绿色通道: the certificate and the helper on the applicant. */
#include "core/green.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

void green_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

int green_check(const char *cert, const char *helper, char *why, size_t n)
{
	if (!cert[0] && !helper[0])
		return 0;
	if (!cert[0] || !helper[0]) {
		snprintf(why, n, "%s",
		         _("a green channel needs both the "
		           "certificate number and the helper"));
		return -1;
	}
	if (utf8_count(cert) > GREEN_MAX || utf8_count(helper) > GREEN_MAX) {
		snprintf(why, n, _("at most %d characters each"), GREEN_MAX);
		return -1;
	}
	return 0;
}

char *green_applicant(const char *applicant, const char *cert, const char *helper)
{
	struct json_object *o;
	char *text;

	if (!cert[0] || (o = json_tokener_parse(applicant)) == NULL)
		return xstrdup(applicant);
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return xstrdup(applicant);
	}
	json_object_object_add(o, "green_cert", json_object_new_string(cert));
	json_object_object_add(o, "green_helper", json_object_new_string(helper));
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

char *green_draft(const char *draft, const char *cert, const char *helper)
{
	struct json_object *o, *values;
	char *text;

	if (!cert[0] || (o = json_tokener_parse(draft)) == NULL)
		return xstrdup(draft);
	if (!json_object_object_get_ex(o, "values", &values) ||
	    !json_object_is_type(values, json_type_object)) {
		json_object_put(o);
		return xstrdup(draft);
	}
	json_object_object_add(values, "green_cert", json_object_new_string(cert));
	json_object_object_add(values, "green_helper", json_object_new_string(helper));
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}
