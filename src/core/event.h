/*
 * event.h - case events as they travel: identifiers, case numbers and the
 * JSON wire form sent to tongband (see tongband-api(7)).
 */
#ifndef TB_CORE_EVENT_H
#define TB_CORE_EVENT_H

#include <stddef.h>
#include <time.h>

#define UUID_LEN 36

/* A new random (version 4) UUID, lowercase, NUL-terminated. */
void uuid_make(char out[UUID_LEN + 1]);

/* 1 when s is a lowercase 8-4-4-4-12 hex UUID. */
int uuid_is_valid(const char *s);

/* The hall's local time (UTC+8, no DST) of t as "2026-11-25T10:01:02+08:00". */
void time_iso_shanghai(time_t t, char out[32]);

/* "2026-11-25T10:01:02+08:00" (fractions allowed; Z or any offset) as unix
 * time; 0 when s is NULL or malformed. */
time_t time_from_iso(const char *s);

/*
 * A case number unique without the server: HALL-WW-TERMINAL-YYYYMMDD-NNNN,
 * the window as two digits when it is one ("3" -> "03"), the terminal code
 * this PC got from tongband at its first login (tongban(1), NUMBERING), and
 * the terminal's own sequence of the day.
 */
void case_no_make(char *out, size_t n, const char *hall, const char *window, const char *terminal,
                  const char *yyyymmdd, int seq);

struct case_event {
	char uuid[UUID_LEN + 1];
	char case_id[UUID_LEN + 1];
	int seq;
	const char *type;         /* "created", "accepted", ... */
	const char *hall;         /* hall code */
	const char *window;       /* window number */
	const char *clerk;        /* clerk id */
	char client_time[32];     /* time_iso_shanghai() of the client's clock */
	const char *payload_json; /* a JSON object */
};

/* The event as one compact JSON object.  NULL when payload_json is not a JSON
 * object.  Caller frees. */
char *event_to_json(const struct case_event *ev);

#endif
