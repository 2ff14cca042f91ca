/*
 * test_server_writers.c - what many writers at once must not break, on
 * SQLite and on PostgreSQL (TONGBAND_TEST_BACKEND, tbdb.h): the changes
 * feed (GET /v1/changes) never skips a change, and tongband's audit chain
 * stays one whole chain.
 *
 * A reader asks for what comes after the last cursor it saw.  A change
 * whose cursor is smaller than one a reader already saw, but which becomes
 * visible only afterwards (its transaction took the number first and
 * committed last), is never seen by that reader: the sequence / commit
 * order gap.  Here writers hold each change's transaction open a little
 * while others commit theirs, and readers read all the while; at the end
 * every reader must have seen every change, once, in cursor order.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_admin.h"
#include "server/srv_audit.h"
#include "server/srv_store.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tmpdir.h"

#define WRITERS    8
#define READERS    8
#define PER_WRITER 40
#define CHANGES    (WRITERS * PER_WRITER)
#define PAGE       7 /* a small page: many reads cross what is being written */

static char dir[] = "/tmp/tongband-writers-XXXXXX";
static char *db;

static void make_db(void)
{
	struct err e = {0};

	strcpy(dir, "/tmp/tongband-writers-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	db = tbdb_new(dir, "feed", &e);
	ck_assert_msg(db != NULL, "%s", e.msg);
	ck_assert_msg(srv_admin_init(db, &e) == 0, "%s", e.msg);
}

static void remove_db(void)
{
	tbdb_remove(db);
	free(db);
	db = NULL;
	harness_rm_rf(dir);
}

/* A short pause inside a transaction, so that others commit meanwhile. */
static void pause_a_little(unsigned *seed)
{
	struct timespec t = {0, (long)(rand_r(seed) % 2000) * 1000};

	nanosleep(&t, NULL);
}

struct writer {
	int n;
	unsigned seed;
	int failed;
	char why[512];
};

/* What one change's transaction writes. */
struct one {
	struct writer *w;
	int k;
};

static int write_one(struct srv_store *s, void *arg, struct err *e)
{
	struct one *o = arg;
	char version[32];

	snprintf(version, sizeof version, "w%d-%d", o->w->n, o->k);
	pause_a_little(&o->w->seed);
	if (srv_store_change_add(s, "H001", "decision", NULL, NULL, version,
	                         "2026-11-25T10:00:00+08:00", NULL, e) < 0)
		return -1;
	pause_a_little(&o->w->seed); /* the number is taken: commit late */
	return 0;
}

static int audit_one(struct srv_store *s, void *arg, struct err *e)
{
	struct one *o = arg;
	char detail[32];

	snprintf(detail, sizeof detail, "w%d-%d", o->w->n, o->k);
	pause_a_little(&o->w->seed);
	if (srv_audit_add(s, "demo", "H001", "", SRV_AUDIT_EVENT, detail, e) < 0)
		return -1;
	pause_a_little(&o->w->seed);
	return 0;
}

/* One write of change or audit row k of w: 0 or -1. */
typedef int (*write_fn)(struct srv_store *s, struct one *o, struct err *e);

static int change_tx(struct srv_store *s, struct one *o, struct err *e)
{
	return srv_store_tx(s, write_one, o, e);
}

/* An audit row in a transaction of its own that pauses (a change's), or
 * every other one on its own (a view's). */
static int audit_row(struct srv_store *s, struct one *o, struct err *e)
{
	if (o->k % 2)
		return srv_store_tx(s, audit_one, o, e);
	return srv_audit_add(s, "demo", "H001", "", SRV_AUDIT_VIEW, "alone", e);
}

/* PER_WRITER writes of w, each as write does it. */
static void write_all(struct writer *w, write_fn write)
{
	struct srv_store *s;
	struct err e = {0};
	int k;

	if (srv_store_open(&s, db, &e) < 0) {
		w->failed = 1;
		str_copy(w->why, sizeof w->why, e.msg);
		return;
	}
	for (k = 0; k < PER_WRITER && !w->failed; k++) {
		struct one o = {w, k};

		if (write(s, &o, &e) != 0) {
			w->failed = 1;
			str_copy(w->why, sizeof w->why, e.msg);
		}
	}
	srv_store_close(s);
}

static void *writer_main(void *arg)
{
	write_all(arg, change_tx);
	return NULL;
}

struct reader {
	volatile int *writing; /* writers still at work */
	char seen[WRITERS][PER_WRITER];
	int n_seen;
	long long cursor;
	int failed;
	char why[512];
};

static int on_change(const struct srv_change *ch, void *arg)
{
	struct reader *r = arg;
	int w, k;

	if (ch->cursor <= r->cursor) {
		r->failed = 1;
		snprintf(r->why, sizeof r->why, "cursor %lld after %lld", ch->cursor, r->cursor);
		return 1;
	}
	r->cursor = ch->cursor;
	if (sscanf(ch->version, "w%d-%d", &w, &k) != 2 || w < 0 || w >= WRITERS || k < 0 ||
	    k >= PER_WRITER || r->seen[w][k]) {
		r->failed = 1;
		snprintf(r->why, sizeof r->why, "change %s seen twice or unknown", ch->version);
		return 1;
	}
	r->seen[w][k] = 1;
	r->n_seen++;
	return 0;
}

/* Read pages after the reader's cursor until one comes back short. */
static int drain(struct srv_store *s, struct reader *r, struct err *e)
{
	bool more = true;
	long long next;

	while (more && !r->failed) {
		if (srv_store_changes(s, "H001", r->cursor, PAGE, on_change, r, &more, &next, e) <
		    0)
			return -1;
	}
	return 0;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct srv_store *s;
	struct err e = {0};

	if (srv_store_open(&s, db, &e) < 0) {
		r->failed = 1;
		str_copy(r->why, sizeof r->why, e.msg);
		return NULL;
	}
	while (*r->writing && !r->failed)
		if (drain(s, r, &e) < 0)
			break;
	if (!r->failed && drain(s, r, &e) < 0) { /* everything is committed now */
		r->failed = 1;
		str_copy(r->why, sizeof r->why, e.msg);
	}
	srv_store_close(s);
	return NULL;
}

START_TEST(test_the_feed_never_skips_a_change_with_8_writers_and_8_readers)
{
	static struct writer w[WRITERS];
	static struct reader r[READERS];
	pthread_t wt[WRITERS], rt[READERS];
	volatile int writing = 1;
	int i, k, n, missing;

	memset(w, 0, sizeof w);
	memset(r, 0, sizeof r);
	for (i = 0; i < READERS; i++) {
		r[i].writing = &writing;
		ck_assert_int_eq(pthread_create(&rt[i], NULL, reader_main, &r[i]), 0);
	}
	for (i = 0; i < WRITERS; i++) {
		w[i].n = i;
		w[i].seed = (unsigned)(i + 1) * 7919u;
		ck_assert_int_eq(pthread_create(&wt[i], NULL, writer_main, &w[i]), 0);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(wt[i], NULL);
	writing = 0;
	for (i = 0; i < READERS; i++)
		pthread_join(rt[i], NULL);
	for (i = 0; i < WRITERS; i++)
		ck_assert_msg(!w[i].failed, "writer %d: %s", i, w[i].why);
	for (i = 0; i < READERS; i++) {
		ck_assert_msg(!r[i].failed, "reader %d: %s", i, r[i].why);
		for (n = 0, missing = -1; n < WRITERS * PER_WRITER; n++)
			if (!r[i].seen[n / PER_WRITER][n % PER_WRITER] && missing < 0)
				missing = n;
		k = missing;
		ck_assert_msg(r[i].n_seen == CHANGES,
		              "reader %d saw %d of %d changes (%s): w%d-%d was skipped", i,
		              r[i].n_seen, CHANGES, tbdb_backend(), k / PER_WRITER, k % PER_WRITER);
	}
}
END_TEST

static void *auditor_main(void *arg)
{
	write_all(arg, audit_row);
	return NULL;
}

static void count_rows(const struct srv_audit_check *c, void *arg)
{
	long long *rows = arg;

	if (c->device[0] == '\0')
		*rows = c->bad_id == 0 ? c->rows : -c->bad_id;
}

/* 8 threads write 320 rows on tongband's own chain at once, half of them
 * inside transactions that pause while the others commit: one chain of
 * 320 rows, 1 to 320, that verifies. */
START_TEST(test_the_audit_chain_stays_whole_with_8_writers)
{
	static struct writer w[WRITERS];
	pthread_t wt[WRITERS];
	struct srv_store *s;
	struct err e = {0};
	long long rows = 0;
	char *max;
	int i;

	memset(w, 0, sizeof w);
	for (i = 0; i < WRITERS; i++) {
		w[i].n = i;
		w[i].seed = (unsigned)(i + 1) * 104729u;
		ck_assert_int_eq(pthread_create(&wt[i], NULL, auditor_main, &w[i]), 0);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(wt[i], NULL);
	for (i = 0; i < WRITERS; i++)
		ck_assert_msg(!w[i].failed, "writer %d: %s", i, w[i].why);
	ck_assert_msg(srv_store_open(&s, db, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(srv_audit_verify(s, count_rows, &rows, &e), 1);
	srv_store_close(s);
	ck_assert_int_eq(rows, CHANGES);
	max = tbdb_text(db, "SELECT min(id) || ' ' || max(id) || ' ' || count(*) FROM audit", &e);
	ck_assert_msg(max != NULL, "%s", e.msg);
	ck_assert_str_eq(max, "1 320 320");
	free(max);
}
END_TEST

static Suite *writers_suite(void)
{
	Suite *s = suite_create("server_writers");
	TCase *tc = tcase_create("writers");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, make_db, remove_db);
	tcase_add_test(tc, test_the_feed_never_skips_a_change_with_8_writers_and_8_readers);
	tcase_add_test(tc, test_the_audit_chain_stays_whole_with_8_writers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(writers_suite());
}
