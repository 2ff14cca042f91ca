#include "core/event.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/util.h"

/* Random bytes from the kernel; falls back to a time-seeded PRNG only if
 * /dev/urandom cannot be read (never expected on Linux). */
static void random_bytes(unsigned char *p, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd >= 0) {
		while (got < n) {
			ssize_t r = read(fd, p + got, n - got);

			if (r <= 0)
				break;
			got += (size_t)r;
		}
		close(fd);
	}
	if (got < n) {
		static unsigned long long x;

		x ^= (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
		for (; got < n; got++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			p[got] = (unsigned char)(x >> 56);
		}
	}
}

void uuid_make(char out[UUID_LEN + 1])
{
	unsigned char b[16];

	random_bytes(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, UUID_LEN + 1,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
	         b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
	         b[15]);
}

int uuid_is_valid(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != UUID_LEN)
		return 0;
	for (i = 0; i < UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

void time_iso_shanghai(time_t t, char out[32])
{
	time_t local = t + 8 * 3600;
	struct tm tm;

	char tmp[96];

	gmtime_r(&local, &tm);
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	str_copy(out, 32, tmp);
}

time_t time_from_iso(const char *s)
{
	struct tb_date d;
	int h, mi, sec, oh = 0, om = 0, n = 0;
	char sign = 'Z';

	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &d.y, &d.m, &d.d, &h, &mi, &sec, &n) != 6 ||
	    !tb_date_is_valid(d))
		return 0;
	s += n;
	if (*s == '.')
		while (*++s >= '0' && *s <= '9')
			;
	if ((*s == '+' || *s == '-') && sscanf(s + 1, "%2d:%2d", &oh, &om) == 2)
		sign = *s;
	else if (*s != 'Z')
		return 0;
	return (time_t)(tb_date_to_days(d) * 86400L + h * 3600 + mi * 60 + sec -
	                (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60));
}

void case_no_make(char *out, size_t n, const char *hall, const char *window, const char *terminal,
                  const char *yyyymmdd, int seq)
{
	size_t len = strlen(window);
	bool one_digit = len == 1 && window[0] >= '0' && window[0] <= '9';

	/* "3" -> "03"; anything else ("3A", "103") as it is, so windows never collide */
	snprintf(out, n, "%s-%s%s-%s-%s-%04d", hall, one_digit ? "0" : "", window, terminal,
	         yyyymmdd, seq);
}

char *event_to_json(const struct case_event *ev)
{
	struct json_object *o, *payload;
	char *s;

	payload = json_tokener_parse(ev->payload_json);
	if (payload == NULL || !json_object_is_type(payload, json_type_object)) {
		json_object_put(payload);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "uuid", json_object_new_string(ev->uuid));
	json_object_object_add(o, "case_id", json_object_new_string(ev->case_id));
	json_object_object_add(o, "seq", json_object_new_int(ev->seq));
	json_object_object_add(o, "type", json_object_new_string(ev->type));
	json_object_object_add(o, "hall", json_object_new_string(ev->hall));
	json_object_object_add(o, "window", json_object_new_string(ev->window));
	json_object_object_add(o, "clerk", json_object_new_string(ev->clerk));
	json_object_object_add(o, "client_time", json_object_new_string(ev->client_time));
	json_object_object_add(o, "payload", payload);
	s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}
