/*
 * green.h - 绿色通道 / 帮办代办 (seeds 002, 004): a key project carries a
 * certificate (《重点建设项目绿色通道证书》) and a designated helper (代办员);
 * its cases come first in every queue and the statistics count them.  The
 * clerk sets both at intake; they travel in the applicant object of the
 * case's "created" event as "green_cert" and "green_helper".
 */
#ifndef TB_CORE_GREEN_H
#define TB_CORE_GREEN_H

#include <stddef.h>

#define GREEN_MAX 64 /* characters of a certificate number or a helper's name */

/* Whether cert and helper may be set: both given, or both empty.  0, or -1
 * with why (the clerk's language). */
int green_check(const char *cert, const char *helper, char *why, size_t n);

/* Spaces and tabs off both ends of s, in place. */
void green_trim(char *s);

/* applicant (a JSON object's text) with "green_cert" and "green_helper"
 * set; the same text when cert is "".  Caller frees. */
char *green_applicant(const char *applicant, const char *cert, const char *helper);

/* An intake draft's text (core/draft.h) with the two kept among its
 * "values", so that a resumed draft keeps its 绿色通道; the same text when
 * cert is "".  Caller frees. */
char *green_draft(const char *draft, const char *cert, const char *helper);

#endif
