/*
 * srv_time.h - server clock and the hall's time format.
 *
 * Halls are in China (Asia/Shanghai, UTC+8, no daylight saving), so server
 * times are written with a fixed +08:00 offset, whatever TZ the host has.
 */
#ifndef TB_SERVER_SRV_TIME_H
#define TB_SERVER_SRV_TIME_H

#include <stdbool.h>
#include <time.h>

/* Size of a buffer for srv_time_iso8601: "2026-11-25T10:01:02+08:00". */
#define SRV_TIME_ISO_SIZE 32

/* Write t as ISO 8601 in UTC+8 into out. */
void srv_time_iso8601(time_t t, char out[SRV_TIME_ISO_SIZE]);

/* True if s looks like an ISO 8601 date-time with seconds and a zone:
 * YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM). */
bool srv_time_is_iso8601(const char *s);

#endif
