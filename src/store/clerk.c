/* clerk.c - the clerk cache, the server session and this PC's identity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/util.h"
#include "store/store_int.h"

int store_clerk_save(struct store *st, const struct clerk *c, const char *pwhash, struct err *e)
{
	char now[32];

	store_now_iso(now);
	return db_run(st->db, e,
	              "INSERT INTO clerk (id, name, hall, hall_name, window, role, pwhash,"
	              " last_login) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id)"
	              " DO UPDATE SET name = ?2, hall = ?3, hall_name = ?4, window = ?5,"
	              " role = ?6, pwhash = ?7, last_login = ?8",
	              "eeeeeeee", c->id, c->name, c->hall, c->hall_name, c->window, c->role, pwhash,
	              now);
}

int store_clerk_get(struct store *st, const char *id, struct clerk *c, char *pwhash, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT id, name, hall, hall_name, window, role, pwhash"
	                           " FROM clerk WHERE id = ?1",
	                           "e", id);
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = db_step(st->db, s, e)) == 1) {
		memset(c, 0, sizeof *c);
		db_col_copy(s, 0, c->id, sizeof c->id);
		db_col_copy(s, 1, c->name, sizeof c->name);
		db_col_copy(s, 2, c->hall, sizeof c->hall);
		db_col_copy(s, 3, c->hall_name, sizeof c->hall_name);
		db_col_copy(s, 4, c->window, sizeof c->window);
		db_col_copy(s, 5, c->role, sizeof c->role);
		if (pwhash)
			db_col_copy(s, 6, pwhash, 128);
	}
	db_done(st->db, s);
	return rc;
}

int store_session_set(struct store *st, const char *clerk_id, const char *token, long long expires,
                      struct err *e)
{
	return db_run(st->db, e,
	              "INSERT OR REPLACE INTO sessions (clerk_id, token, expires, at)"
	              " VALUES (?1, ?2, ?3, ?4)",
	              "eell", clerk_id, token, expires, (long long)store_clock_now());
}

/* The row of s into the caller's buffers. */
static void session_of_row(sqlite3_stmt *s, char *clerk_id, char *token, long long *expires)
{
	if (clerk_id)
		db_col_copy(s, 0, clerk_id, 64);
	if (token)
		db_col_copy(s, 1, token, 128);
	if (expires)
		*expires = sqlite3_column_int64(s, 2);
}

int store_session_get(struct store *st, char *clerk_id, char *token, long long *expires,
                      struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT clerk_id, token, expires FROM sessions"
	                           " ORDER BY at DESC, rowid DESC LIMIT 1",
	                           "");
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = db_step(st->db, s, e)) == 1)
		session_of_row(s, clerk_id, token, expires);
	db_done(st->db, s);
	return rc;
}

int store_session_of(struct store *st, const char *clerk_id, char *token, long long *expires,
                     struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e, "SELECT clerk_id, token, expires FROM sessions WHERE clerk_id = ?1",
	             "e", clerk_id);
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = db_step(st->db, s, e)) == 1)
		session_of_row(s, NULL, token, expires);
	db_done(st->db, s);
	return rc;
}

int store_session_drop(struct store *st, const char *clerk_id, struct err *e)
{
	return db_run(st->db, e, "DELETE FROM sessions WHERE clerk_id = ?1", "e", clerk_id);
}

int store_session_clear(struct store *st, struct err *e)
{
	return db_run(st->db, e, "DELETE FROM sessions", "");
}

/* /etc/machine-id (or D-Bus's copy), "" when neither can be read. */
static void machine_id(char out[64])
{
	static const char *const paths[] = {"/etc/machine-id", "/var/lib/dbus/machine-id"};
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof paths / sizeof paths[0] && out[0] == '\0'; i++) {
		FILE *f = fopen(paths[i], "r");

		if (f == NULL)
			continue;
		if (fgets(out, 64, f) == NULL)
			out[0] = '\0';
		out[strcspn(out, "\r\n")] = '\0';
		fclose(f);
	}
}

/* The recorded device id into out when it is this machine's: 1, 0 when a
 * new one is due, -1 on error. */
static int device_known(struct db *db, char *out, struct err *e)
{
	char *id = NULL, *recorded = NULL, machine[64];
	int rc, have;

	machine_id(machine);
	if ((have = db_get_text(db, e, &id, "SELECT value FROM meta WHERE key = 'device_id'", "")) <
	        0 ||
	    db_get_text(db, e, &recorded, "SELECT value FROM meta WHERE key = 'machine_id'", "") <
	        0)
		rc = -1;
	else
		rc = have == 1 && uuid_is_valid(id) &&
		     (recorded == NULL || strcmp(recorded, machine) == 0);
	if (rc == 1)
		str_copy(out, 37, id);
	free(id);
	free(recorded);
	return rc;
}

/* Everything store_device_id writes, in one transaction. */
static int device_tx(struct db *db, void *arg, struct err *e)
{
	char machine[64];
	int rc = device_known(db, arg, e);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	machine_id(machine);
	/* a new database, or one copied from another machine: a new device */
	uuid_make(arg);
	if (db_run(db, e,
	           "INSERT OR REPLACE INTO meta (key, value) VALUES ('device_id', ?1),"
	           " ('machine_id', ?2)",
	           "ee", (char *)arg, machine) < 0)
		return -1;
	return db_run(db, e, "DELETE FROM meta WHERE key = 'terminal'", "");
}

int store_device_id(struct store *st, char out[37], struct err *e)
{
	int rc = device_known(st->db, out, e);

	if (rc != 0) /* known: nothing to write, so a read-only database answers too */
		return rc < 0 ? -1 : 0;
	return db_tx(st->db, device_tx, out, e);
}

int store_terminal_set(struct store *st, const char *code, struct err *e)
{
	return db_run(st->db, e, "INSERT OR REPLACE INTO meta (key, value) VALUES ('terminal', ?1)",
	              "e", code);
}

int store_terminal_get(struct store *st, char *out, size_t n, struct err *e)
{
	static const char letters[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; /* none that look alike */
	char *code = NULL, device[37];
	unsigned long h = 5381;
	int rc = db_get_text(st->db, e, &code, "SELECT value FROM meta WHERE key = 'terminal'", "");
	size_t i;

	if (rc < 0)
		return -1;
	if (rc == 1 && code[0]) {
		str_copy(out, n, code);
		free(code);
		return 1;
	}
	free(code);
	if (store_device_id(st, device, e) < 0)
		return -1;
	for (i = 0; device[i]; i++)
		h = h * 33 + (unsigned char)device[i];
	snprintf(out, n, "L%c%c%c%c", letters[h % 31], letters[h / 31 % 31], letters[h / 961 % 31],
	         letters[h / 29791 % 31]);
	return 0;
}
