/*
 * srv_time.h - the hall's time format on the server.
 *
 * Halls are in China (Asia/Shanghai, UTC+8, no daylight saving), so server
 * times are written with a fixed +08:00 offset, whatever TZ the host has, by
 * time_iso_shanghai (core/event.h), the same function the client uses.
 */
#ifndef TB_SERVER_SRV_TIME_H
#define TB_SERVER_SRV_TIME_H

#include <stdbool.h>

#include "core/date.h"

/* Size of a buffer for the hall's time of time_iso_shanghai (core/event.h):
 * "2026-11-25T10:01:02+08:00". */
#define SRV_TIME_ISO_SIZE 32

/* The hall's date (Asia/Shanghai) of the ISO 8601 time iso (any zone), as
 * YYYY-MM-DD into out; "" when iso is malformed.  Returns out. */
char *srv_time_hall_date(const char *iso, char out[TB_DATE_LEN]);

/* True if s looks like an ISO 8601 date-time with seconds and a zone:
 * YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM). */
bool srv_time_is_iso8601(const char *s);

#endif
