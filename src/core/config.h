/*
 * config.h - the hall's settings that every locality sets its own way:
 * contact phone and review body printed on notices, the CUPS printer that
 * prints them as PDF or else the print command for their text,
 * the working days given for a supplement, for a commitment and for the
 * follow-up of a bad rating, the yellow-warning threshold, the idle minutes
 * before the screen locks, and the encoding its card readers and terminals
 * send.  Read from data/config.json; $TONGBAN_CONFIG names
 * another file.  A missing key keeps its default.
 */
#ifndef TB_CORE_CONFIG_H
#define TB_CORE_CONFIG_H

#include "core/util.h"

struct config {
	char hall_phone[64];
	char review_body[256];   /* 行政复议机关 named on refusals */
	char print_command[256]; /* the notice's text goes to its standard input */
	char printer[128];       /* CUPS printer for the notices as PDF (lp -d); "" prints the
	                          * text through print_command */
	int supplement_days;     /* working days to bring what a one-time notice lists */
	int commitment_days;     /* working days to supply a committed material */
	int yellow_days;         /* yellow warning at this many working days left */
	char input_encoding[16]; /* "utf-8" or "gb18030" (GBK and GB2312 are read as GB18030) */
	int follow_up_days;      /* working days to follow up (整改) a bad rating: 1..15 */
	int lock_minutes;        /* the screen locks after this many idle minutes; 0 never */
};

/* The built-in defaults. */
void config_defaults(struct config *c);

/* Load path over the defaults.  -1 with e naming file and key when malformed
 * (c then keeps the defaults for what could not be read). */
int config_load(struct config *c, const char *path, struct err *e);

#endif
