/*
 * tbdb.c - the database tongband's tests run on (tbdb.h).
 */
#include "tbdb.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/srv_db.h"
#include "tmpdir.h"

#define TBDB_BUSY_MS 10000

static char *own_dir;       /* the folder of the cluster this program started */
static pid_t cluster_owner; /* the process that started it */
static unsigned n_made;

bool tbdb_is_postgresql(void)
{
	const char *b = getenv("TONGBAND_TEST_BACKEND");

	return b != NULL && (strcmp(b, "postgresql") == 0 || strcmp(b, "postgres") == 0);
}

const char *tbdb_backend(void)
{
	return tbdb_is_postgresql() ? "postgresql" : "sqlite";
}

/* The cluster's base URL, or NULL when none is set. */
static const char *cluster_url(void)
{
	const char *u = getenv("TONGBAN_TEST_PG");

	return u != NULL && *u != '\0' ? u : NULL;
}

static char *script(void)
{
	const char *src = getenv("TONGBAN_SRCDIR");

	return xasprintf("%s/scripts/pg-test-cluster.sh", src != NULL && *src ? src : ".");
}

static void stop_own_cluster(void)
{
	char *sh, *cmd;

	if (own_dir == NULL || getpid() != cluster_owner)
		return;
	sh = script();
	cmd = xasprintf("sh '%s' stop '%s/cluster'", sh, own_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "tbdb: stopping the PostgreSQL cluster in %s failed\n", own_dir);
	harness_rm_rf(own_dir);
	free(cmd);
	free(sh);
	free(own_dir);
	own_dir = NULL;
}

/* Start a cluster with the script; its URL into TONGBAN_TEST_PG. */
static int start_cluster(struct err *e)
{
	char *dir = harness_tmpdir("tongband-pg", e), *sh, *cmd, *url;
	char line[256] = "";
	FILE *p;
	int st;

	if (dir == NULL)
		return -1;
	sh = script();
	cmd =
	    xasprintf("sh '%s' start '%s/cluster'%s", sh, dir,
	              getenv("TONGBAN_PG_DURABLE") && strcmp(getenv("TONGBAN_PG_DURABLE"), "1") == 0
	                  ? " durable"
	                  : "");
	p = popen(cmd, "r");
	if (p != NULL && fgets(line, sizeof line, p) == NULL)
		line[0] = '\0';
	st = p ? pclose(p) : -1;
	free(cmd);
	free(sh);
	line[strcspn(line, "\n")] = '\0';
	if (st != 0 || strncmp(line, "postgresql://", 13) != 0) {
		err_set(e, "cannot start a PostgreSQL cluster for the tests (status %d)%s", st,
		        st == 3 << 8 ? ": PostgreSQL is not installed (apt-get install postgresql)"
		                     : "");
		harness_rm_rf(dir);
		free(dir);
		return -1;
	}
	own_dir = dir;
	cluster_owner = getpid();
	atexit(stop_own_cluster);
	url = xstrdup(line);
	setenv("TONGBAN_TEST_PG", url, 1);
	free(url);
	return 0;
}

char *tbdb_cluster_log(void)
{
	return own_dir ? xasprintf("%s/cluster/server.log", own_dir) : NULL;
}

int tbdb_setup(struct err *e)
{
	if (!tbdb_is_postgresql() || cluster_url() != NULL)
		return 0;
	return start_cluster(e);
}

/* Run sql on the cluster's maintenance database.  0 or -1. */
static int on_cluster(const char *sql, struct err *e)
{
	char *spec;
	int rc;

	if (cluster_url() == NULL) {
		err_set(e, "no PostgreSQL cluster for the tests: run the program through "
		           "tbcheck_run (tbdb_setup) or set TONGBAN_TEST_PG");
		return -1;
	}
	spec = xasprintf("%s/postgres", cluster_url());
	rc = tbdb_exec(spec, sql, e);
	free(spec);
	return rc;
}

/* A database name of its own for this process: t<pid>_<n>_<name>. */
static char *pg_name(const char *name)
{
	return xasprintf("t%ld_%u_%s", (long)getpid(), ++n_made, name);
}

char *tbdb_new(const char *dir, const char *name, struct err *e)
{
	char *db, *sql, *spec;
	int rc;

	if (!tbdb_is_postgresql())
		return xasprintf("%s/%s.db", dir, name);
	db = pg_name(name);
	sql = xasprintf("CREATE DATABASE %s", db);
	rc = on_cluster(sql, e);
	spec = rc == 0 ? xasprintf("%s/%s", cluster_url(), db) : NULL;
	free(sql);
	free(db);
	return spec;
}

static void ms_sleep(int ms)
{
	poll(NULL, 0, ms);
}

static int copy_file(const char *from, const char *to, struct err *e)
{
	size_t len;
	char *data = file_read_all(from, &len, 1 << 30, e);
	int rc;

	if (data == NULL)
		return -1;
	rc = harness_write_file(to, data, len, e);
	free(data);
	return rc;
}

/* The database name at the end of a URL spec. */
static const char *pg_db_of(const char *spec)
{
	const char *slash = strrchr(spec, '/');

	return slash ? slash + 1 : spec;
}

char *tbdb_copy(const char *from, const char *dir, const char *name, struct err *e)
{
	char *db, *sql, *spec = NULL;
	int tries;

	if (!tbdb_is_postgresql()) {
		spec = xasprintf("%s/%s.db", dir, name);
		if (copy_file(from, spec, e) < 0) {
			free(spec);
			return NULL;
		}
		return spec;
	}
	db = pg_name(name);
	sql = xasprintf("CREATE DATABASE %s TEMPLATE %s", db, pg_db_of(from));
	/* a connection just closed may still be leaving the template */
	for (tries = 0; tries < 50 && spec == NULL; tries++) {
		if (on_cluster(sql, e) == 0)
			spec = xasprintf("%s/%s", cluster_url(), db);
		else
			ms_sleep(100);
	}
	free(sql);
	free(db);
	return spec;
}

void tbdb_remove(const char *spec)
{
	char *sql, *side;

	if (spec == NULL)
		return;
	if (!srv_db_is_postgresql(spec)) {
		unlink(spec);
		side = xasprintf("%s-wal", spec);
		unlink(side);
		free(side);
		side = xasprintf("%s-shm", spec);
		unlink(side);
		free(side);
		return;
	}
	sql = xasprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db_of(spec));
	if (on_cluster(sql, NULL) < 0)
		fprintf(stderr, "tbdb: could not drop %s\n", spec);
	free(sql);
}

int tbdb_exec(const char *spec, const char *sql, struct err *e)
{
	struct srv_db *db;
	int rc;

	if (srv_db_open(&db, spec, TBDB_BUSY_MS, e) < 0)
		return -1;
	rc = srv_db_exec(db, sql, e);
	srv_db_close(db);
	return rc;
}

char *tbdb_text(const char *spec, const char *sql, struct err *e)
{
	struct srv_db *db;
	char *out = NULL;

	if (srv_db_open(&db, spec, TBDB_BUSY_MS, e) < 0)
		return NULL;
	if (srv_db_get_text(db, e, &out, sql, "") == 0)
		err_set(e, "no row: %s", sql);
	srv_db_close(db);
	return out;
}

long long tbdb_int(const char *spec, const char *sql, const char *arg, struct err *e)
{
	struct srv_db *db;
	long long v = -1;
	int rc;

	if (srv_db_open(&db, spec, TBDB_BUSY_MS, e) < 0)
		return -1;
	rc = arg ? srv_db_get_int(db, e, &v, sql, "s", arg) : srv_db_get_int(db, e, &v, sql, "");
	if (rc != 1)
		v = -1;
	srv_db_close(db);
	return v;
}

struct srv_db *tbdb_hold_writes(const char *spec, struct err *e)
{
	struct srv_db *db;

	if (srv_db_open(&db, spec, TBDB_BUSY_MS, e) < 0)
		return NULL;
	/* SQLite: BEGIN IMMEDIATE, the file's one write lock */
	if (srv_db_begin(db, e) < 0 ||
	    (srv_db_dialect(db) == SRV_DB_POSTGRESQL &&
	     srv_db_exec(db,
	                 "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables"
	                 " WHERE schemaname = current_schema() LOOP"
	                 " EXECUTE format('LOCK TABLE %I IN EXCLUSIVE MODE', t);"
	                 " END LOOP; END $$",
	                 e) < 0)) {
		srv_db_close(db);
		return NULL;
	}
	return db;
}

void tbdb_release(struct srv_db *db)
{
	if (db == NULL)
		return;
	srv_db_rollback(db);
	srv_db_close(db);
}
