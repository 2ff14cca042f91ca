/*
 * srv_time.c - checking the shape of a client's ISO 8601 time.
 */
#include "server/srv_time.h"

#include <ctype.h>
#include <string.h>

#include "core/event.h"

/* True if s[0..n) are digits. */
static bool digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Value of the two digits at s. */
static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool is_zone(const char *s)
{
	if (strcmp(s, "Z") == 0)
		return true;
	return (s[0] == '+' || s[0] == '-') && strlen(s) == 6 && digits(s + 1, 2) && s[3] == ':' &&
	       digits(s + 4, 2) && two(s + 1) <= 14 && two(s + 4) <= 59;
}

bool srv_time_is_iso8601(const char *s)
{
	size_t n = strlen(s);

	if (n < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return false;
	if (two(s + 5) < 1 || two(s + 5) > 12 || two(s + 8) < 1 || two(s + 8) > 31 ||
	    two(s + 11) > 23 || two(s + 14) > 59 || two(s + 17) > 60)
		return false;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return is_zone(s);
}

char *srv_time_hall_date(const char *iso, char out[TB_DATE_LEN])
{
	time_t t = srv_time_is_iso8601(iso) ? time_from_iso(iso) : 0;

	out[0] = '\0';
	if (t != 0)
		tb_date_format(tb_date_from_time_shanghai(t), out);
	return out;
}
