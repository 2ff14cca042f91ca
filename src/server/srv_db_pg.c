/*
 * srv_db_pg.c - the PostgreSQL driver of srv_db.h, through libpq.
 *
 * Statements are prepared once per connection (named s1, s2...), with the
 * placeholders ?N turned into $N and each parameter's type given (text,
 * int4, int8), so that "?1 IS NULL" needs no cast.  A result is read whole
 * before the first row is stepped, so a caller may run other statements
 * while it walks the rows, as it may on SQLite.  A connection that broke
 * (the server restarted, a network cut) is opened again at the next
 * statement; the one that found it broken fails with ERR_BUSY.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv_db_driver.h"

#define PG_CACHE      128 /* statements kept per connection */
#define PG_MAX_PARAMS 32
#define PG_TEXTOID    25
#define PG_INT4OID    23
#define PG_INT8OID    20
#define PG_BOOLOID    16
/* pg_advisory_xact_lock key of the schema's migrations ("tbsc") */
#define PG_SCHEMA_LOCK 0x74627363

struct kept {
	const char *sql; /* the caller's string: the key */
	char name[16];
};

struct pg {
	PGconn *conn;
	long long changes;
	int busy_ms;
	struct kept cache[PG_CACHE];
	int n_cached;
	int n_named; /* names given so far */
};

static void quiet_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The error of res (or of the connection when res is NULL) into e, its
 * kind from the SQLSTATE; db->retry when running the transaction again
 * cures it.  Returns -1. */
static int fail(struct srv_db *db, const PGresult *res, struct err *e)
{
	struct pg *pg = db->h;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	enum err_kind kind = ERR_FAILED;
	const char *what = "database error";

	if (msg == NULL)
		msg = PQerrorMessage(pg->conn);
	if (state == NULL)
		state = "";
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		db->retry = true;
		kind = ERR_BUSY;
		what = "the transaction met another one";
	} else if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0) {
		kind = ERR_BUSY;
		what = "the database is busy";
	} else if (strcmp(state, "53100") == 0) {
		kind = ERR_FULL;
		what = "the database server's disk is full";
	} else if (strcmp(state, "25006") == 0) {
		kind = ERR_READONLY;
		what = "the database is read-only (a standby?)";
	} else if ((strncmp(state, "08", 2) == 0 && strcmp(state, "08P01") != 0) ||
	           strncmp(state, "57P", 3) == 0 || PQstatus(pg->conn) != CONNECTION_OK) {
		kind = ERR_BUSY;
		what = "the connection to the database was lost";
	}
	err_set_kind(e, kind, "%s (PostgreSQL %s: %.*s)", what, state, (int)strcspn(msg, "\n"),
	             msg);
	return -1;
}

/* A connection that broke is opened again, its kept statements forgotten. */
static void reconnect_if_broken(struct pg *pg)
{
	if (PQstatus(pg->conn) == CONNECTION_OK)
		return;
	PQreset(pg->conn);
	pg->n_cached = 0;
}

/* Run sql (no parameters) into *res, the rows it changed counted.  0, or
 * -1 with e filled (*res NULL). */
static int run_text(struct srv_db *db, const char *sql, PGresult **res, struct err *e)
{
	struct pg *pg = db->h;
	ExecStatusType st;

	reconnect_if_broken(pg);
	*res = PQexec(pg->conn, sql);
	st = PQresultStatus(*res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fail(db, *res, e);
		PQclear(*res);
		*res = NULL;
		return -1;
	}
	pg->changes = atoll(PQcmdTuples(*res));
	return 0;
}

/* Run a command without parameters and check its outcome.  0 or -1. */
static int command(struct srv_db *db, const char *sql, struct err *e)
{
	PGresult *res;

	if (run_text(db, sql, &res, e) < 0)
		return -1;
	PQclear(res);
	return 0;
}

/* Settings of every new session: UTF-8, the lock wait. */
static int configure(struct srv_db *db, struct err *e)
{
	struct pg *pg = db->h;
	char sql[96];

	PQsetNoticeProcessor(pg->conn, quiet_notices, NULL);
	if (PQsetClientEncoding(pg->conn, "UTF8") != 0) {
		err_set(e, "PostgreSQL: cannot use UTF-8: %s", PQerrorMessage(pg->conn));
		return -1;
	}
	snprintf(sql, sizeof sql, "SET lock_timeout = %d", pg->busy_ms);
	return command(db, sql, e);
}

static int pg_open(struct srv_db *db, const char *spec, int busy_ms, struct err *e)
{
	const char *keys[] = {"dbname", "application_name", NULL};
	const char *values[] = {spec, "tongband", NULL};
	struct pg *pg = xcalloc(1, sizeof *pg);
	char *shown;

	db->h = pg;
	pg->busy_ms = busy_ms > 0 ? busy_ms : 1;
	pg->conn = PQconnectdbParams(keys, values, 1);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(pg->conn);

		shown = srv_db_spec_shown(spec);
		err_set_kind(e, ERR_BUSY, "%s: cannot connect to PostgreSQL: %.*s", shown,
		             (int)strcspn(msg, "\n"), msg);
		free(shown);
		PQfinish(pg->conn);
		free(pg);
		return -1;
	}
	if (configure(db, e) < 0) {
		PQfinish(pg->conn);
		free(pg);
		return -1;
	}
	return 0;
}

static void pg_close(struct srv_db *db)
{
	struct pg *pg = db->h;

	PQfinish(pg->conn);
	free(pg);
}

static int pg_exec(struct srv_db *db, const char *sql, struct err *e)
{
	return command(db, sql, e);
}

/* sql with ?N turned into $N, outside quoted strings and names.  Caller
 * frees. */
static char *dollar_params(const char *sql)
{
	char *out = xstrdup(sql), *p;
	char quote = 0;

	for (p = out; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			*p = '$';
		}
	}
	return out;
}

static Oid type_of(char t)
{
	return t == 'i' ? PG_INT4OID : t == 'l' ? PG_INT8OID : PG_TEXTOID;
}

/* The name of the prepared statement of sql: the kept one, else prepared
 * now (and kept when there is room; else the unnamed one).  NULL with e
 * filled. */
static const char *prepared(struct srv_db *db, const char *sql, const char *types, char unnamed[16],
                            struct err *e)
{
	struct pg *pg = db->h;
	Oid oids[PG_MAX_PARAMS];
	int i, n = (int)strlen(types);
	const char *name = "";
	char *text;
	PGresult *res;

	for (i = 0; i < pg->n_cached; i++)
		if (pg->cache[i].sql == sql)
			return pg->cache[i].name;
	for (i = 0; i < n; i++)
		oids[i] = type_of(types[i]);
	if (pg->n_cached < PG_CACHE) {
		snprintf(pg->cache[pg->n_cached].name, sizeof pg->cache[0].name, "s%d",
		         ++pg->n_named);
		name = pg->cache[pg->n_cached].name;
	}
	text = dollar_params(sql);
	res = PQprepare(pg->conn, name, text, n, oids);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fail(db, res, e);
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	if (*name == '\0') {
		unnamed[0] = '\0';
		return unnamed;
	}
	pg->cache[pg->n_cached++].sql = sql;
	return name;
}

/* The parameters of ap as text, by types, into values (numbers written in
 * nums).  -1 when there are too many or a type is unknown. */
static int param_values(const char *types, va_list ap, const char *values[PG_MAX_PARAMS],
                        char nums[PG_MAX_PARAMS][24])
{
	int i;

	if (strlen(types) > PG_MAX_PARAMS)
		return -1;
	for (i = 0; types[i]; i++) {
		const char *text;

		switch (types[i]) {
		case 's':
			values[i] = va_arg(ap, const char *);
			break;
		case 'e':
			text = va_arg(ap, const char *);
			values[i] = text ? text : "";
			break;
		case 'i':
			snprintf(nums[i], sizeof nums[i], "%d", va_arg(ap, int));
			values[i] = nums[i];
			break;
		case 'l':
			snprintf(nums[i], sizeof nums[i], "%lld", va_arg(ap, long long));
			values[i] = nums[i];
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int pg_query(struct srv_db *db, struct srv_db_stmt *st, const char *sql, const char *types,
                    va_list ap, struct err *e)
{
	struct pg *pg = db->h;
	const char *values[PG_MAX_PARAMS], *name;
	char nums[PG_MAX_PARAMS][24], unnamed[16];
	PGresult *res;
	ExecStatusType status;

	if (param_values(types, ap, values, nums) < 0) {
		err_set(e, "internal: bad parameter types \"%s\"", types);
		return -1;
	}
	reconnect_if_broken(pg);
	if ((name = prepared(db, sql, types, unnamed, e)) == NULL)
		return -1;
	res = PQexecPrepared(pg->conn, name, (int)strlen(types), values, NULL, NULL, 0);
	status = PQresultStatus(res);
	if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
		fail(db, res, e);
		PQclear(res);
		return -1;
	}
	pg->changes = atoll(PQcmdTuples(res));
	st->h = res;
	st->n_rows = PQntuples(res);
	return 0;
}

static int pg_prepare(struct srv_db *db, struct srv_db_stmt *st, const char *sql, struct err *e)
{
	PGresult *res;

	if (run_text(db, sql, &res, e) < 0)
		return -1;
	st->h = res;
	st->n_rows = PQntuples(res);
	return 0;
}

static int pg_step(struct srv_db_stmt *st, struct err *e)
{
	(void)e;
	if (st->row + 1 >= st->n_rows) {
		st->row = st->n_rows;
		return 0;
	}
	st->row++;
	return 1;
}

static void pg_done(struct srv_db_stmt *st)
{
	PQclear(st->h);
}

static const char *pg_col_text(struct srv_db_stmt *st, int col)
{
	if (st->row < 0 || st->row >= st->n_rows || col >= PQnfields(st->h) ||
	    PQgetisnull(st->h, st->row, col))
		return NULL;
	return PQgetvalue(st->h, st->row, col);
}

static long long pg_col_int(struct srv_db_stmt *st, int col)
{
	const char *v = pg_col_text(st, col);

	if (v == NULL)
		return 0;
	if (PQftype(st->h, col) == PG_BOOLOID)
		return v[0] == 't' ? 1 : 0;
	return atoll(v);
}

static long long pg_changes(struct srv_db *db)
{
	return ((struct pg *)db->h)->changes;
}

static bool pg_in_tx(struct srv_db *db)
{
	PGTransactionStatusType t = PQtransactionStatus(((struct pg *)db->h)->conn);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static int pg_begin(struct srv_db *db, struct err *e)
{
	return command(db, "BEGIN", e);
}

static int pg_lock_schema(struct srv_db *db, struct err *e)
{
	char sql[64];

	snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d)", PG_SCHEMA_LOCK);
	return command(db, sql, e);
}

/* The first column of the one row of sql as an integer, -1 when NULL. */
static int one_int(struct srv_db *db, const char *sql, long long *out, struct err *e)
{
	struct pg *pg = db->h;
	PGresult *res;

	reconnect_if_broken(pg);
	res = PQexec(pg->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fail(db, res, e);
		PQclear(res);
		return -1;
	}
	*out = PQgetisnull(res, 0, 0) ? -1 : atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int pg_version(struct srv_db *db, struct err *e)
{
	long long exists = 0, v = 0;

	if (one_int(db,
	            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname ="
	            " current_schema() AND tablename = 'tongband_schema'",
	            &exists, e) < 0)
		return -1;
	if (exists == 0)
		return 0;
	if (one_int(db, "SELECT max(version) FROM tongband_schema", &v, e) < 0)
		return -1;
	return v < 0 ? 0 : (int)v;
}

static int pg_set_version(struct srv_db *db, int v, struct err *e)
{
	char sql[160];

	snprintf(sql, sizeof sql,
	         "CREATE TABLE IF NOT EXISTS tongband_schema (version integer NOT NULL);"
	         "DELETE FROM tongband_schema; INSERT INTO tongband_schema VALUES (%d)",
	         v);
	return command(db, sql, e);
}

const struct srv_db_driver srv_db_pg_driver = {
    .dialect = SRV_DB_POSTGRESQL,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .query = pg_query,
    .prepare = pg_prepare,
    .step = pg_step,
    .done = pg_done,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .changes = pg_changes,
    .in_tx = pg_in_tx,
    .begin = pg_begin,
    .lock_schema = pg_lock_schema,
    .version = pg_version,
    .set_version = pg_set_version,
};
