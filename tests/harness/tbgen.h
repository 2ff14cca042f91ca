/*
 * tbgen.h - the benchmarks' database of a hall's local cases, the same on
 * every run (tbgen.c).
 */
#ifndef TB_HARNESS_TBGEN_H
#define TB_HARNESS_TBGEN_H

#include "core/catalogue.h"
#include "core/date.h"

#define TBGEN_CASES    100000
#define TBGEN_LAST_DAY "2026-11-30" /* fixed: every run makes the same cases */

/* Numbers and names of the cases made, for a benchmark to type. */
struct tbgen_sample {
	char case_no[64], official_no[32], id_number[20], phone[16], received_on[TB_DATE_LEN];
	char name2[16], name3[16], compound[16]; /* a 2- and 3-character name, 欧阳修's kind */
};

/*
 * Make the database at path (a new file) with TBGEN_CASES cases of cat's
 * items (cat needs its pinyin table for the initials).  Fills *sample and
 * *n_days (the working days the cases spread over; either may be NULL).
 * Returns 0, or -1 with e filled.
 */
int tbgen_cases(const char *path, const struct catalogue *cat, struct tbgen_sample *sample,
                int *n_days, struct err *e);

#endif
