/* check.c - the background quick check (see check.h). */
#include "store/check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "db/db.h"
#include "db/sqlitefn.h"

struct store_checker {
	pthread_t thread;
	char *path;
	atomic_int result;    /* -1 running, else store_checker_result's answer */
	char *report;         /* written before result is set */
	pthread_mutex_t lock; /* guards db and stop */
	struct db *db;        /* the check's connection while it runs */
	bool stop;            /* the program leaves: the check is not wanted */
};

/* The check's connection while it runs (NULL: none, or stopped). */
static struct db *check_open(struct store_checker *c, struct err *e)
{
	struct db *db = db_open(c->path, DB_READONLY, 5000, e);

	pthread_mutex_lock(&c->lock);
	if (c->stop) {
		db_close(db);
		db = NULL;
	}
	c->db = db;
	pthread_mutex_unlock(&c->lock);
	return db;
}

static void *check_main(void *arg)
{
	struct store_checker *c = arg;
	struct err e = {0};
	struct db *db;
	int rc = 2;

	thread_background();
	db = check_open(c, &e);

	if (db != NULL) {
		rc = db_quick_check(db, &c->report, &e);
		rc = rc < 0 ? 2 : rc;
		pthread_mutex_lock(&c->lock);
		c->db = NULL;
		pthread_mutex_unlock(&c->lock);
		/* a damaged file is marked on every connection to it in this process */
		db_close(db);
	} else if (e.kind == ERR_CORRUPT) {
		rc = 0;
	}
	atomic_store(&c->result, rc);
	return NULL;
}

struct store_checker *store_checker_start(const char *path)
{
	struct store_checker *c = xcalloc(1, sizeof *c);

	c->path = xstrdup(path);
	atomic_init(&c->result, -1);
	pthread_mutex_init(&c->lock, NULL);
	if (pthread_create(&c->thread, NULL, check_main, c) != 0) {
		pthread_mutex_destroy(&c->lock);
		free(c->path);
		free(c);
		return NULL;
	}
	return c;
}

int store_checker_result(struct store_checker *c, const char **report)
{
	int rc = atomic_load(&c->result);

	if (report)
		*report = rc == 0 ? c->report : NULL;
	return rc;
}

void store_checker_free(struct store_checker *c)
{
	if (c == NULL)
		return;
	/* a check still running is not waited for: its answer is no longer wanted */
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	if (c->db)
		sqlite3_interrupt(db_sqlite(c->db));
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	free(c->report);
	free(c->path);
	free(c);
}
