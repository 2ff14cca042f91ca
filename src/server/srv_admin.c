/*
 * srv_admin.c - operator tasks: database location, init, useradd, decide,
 * import, export, report, audit verify and list.
 */
#include "server/srv_admin.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SRV_ADMIN_MAX_MATCHES 200

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/event.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "server/srv_audit.h"
#include "server/srv_auth.h"
#include "server/srv_encode.h"
#include "server/srv_events.h"
#include "server/srv_joint.h"
#include "server/srv_json.h"
#include "server/srv_role.h"
#include "server/srv_stats.h"
#include "server/srv_time.h"

char *srv_admin_default_db(struct err *e)
{
	const char *env = getenv("TONGBAND_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *dir, *path;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (xdg != NULL && *xdg == '/') {
		dir = xasprintf("%s/tongband", xdg);
	} else if (home != NULL && *home != '\0') {
		dir = xasprintf("%s/.local/share/tongband", home);
	} else {
		err_set(e, "no --db given and neither TONGBAND_DB, XDG_DATA_HOME nor HOME is set");
		return NULL;
	}
	if (mkdir_p(dir, e) != 0) {
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/tongband.db", dir);
	free(dir);
	return path;
}

int srv_admin_init(const char *path, struct err *e)
{
	struct srv_store *s;

	if (srv_store_open(&s, path, e) < 0)
		return -1;
	srv_store_close(s);
	return 0;
}

bool srv_admin_is_role(const char *role)
{
	return srv_role_bit(role) != 0;
}

static bool is_id(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-@", *s) == NULL)
			return false;
	return true;
}

/* True if s has no control characters. */
static bool is_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return false;
	return true;
}

int srv_admin_check_user(const struct srv_user *u, struct err *e)
{
	const struct {
		const char *name;
		const char *value;
	} f[] = {{"name", u->name},
	         {"hall", u->hall},
	         {"hall name", u->hall_name},
	         {"window", u->window},
	         {"dept", u->dept}};
	size_t i;

	if (!is_id(u->id)) {
		err_set(e, "clerk id must be letters, digits, '.', '_', '-' or '@'");
		return -1;
	}
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (*f[i].value == '\0' && strcmp(f[i].name, "dept") != 0) {
			err_set(e, "%s is required", f[i].name);
			return -1;
		}
		if (!is_printable(f[i].value)) {
			err_set(e, "%s holds a control character", f[i].name);
			return -1;
		}
	}
	if (!is_id(u->hall)) {
		err_set(e, "hall code must be letters, digits, '.', '_', '-' or '@'");
		return -1;
	}
	if (!srv_admin_is_role(u->role)) {
		err_set(e, "role must be clerk, supervisor, backoffice or operator");
		return -1;
	}
	return 0;
}

int srv_admin_useradd(const char *path, const struct srv_user *u, const char *password,
                      struct err *e)
{
	char hash[SRV_PWHASH_SIZE];
	struct srv_store *s;
	int rc;

	if (srv_admin_check_user(u, e) != 0)
		return -1;
	if (*password == '\0') {
		err_set(e, "empty password refused");
		return -1;
	}
	if (strlen(password) > 1024) {
		err_set(e, "password longer than 1024 bytes");
		return -1;
	}
	if (srv_auth_init(e) != 0 || srv_auth_hash_password(password, hash, e) != 0)
		return -1;
	if (srv_store_open(&s, path, e) < 0)
		return -1;
	rc = srv_store_user_put(s, u, hash, NULL, e);
	srv_store_close(s);
	return rc;
}

/* The cases a search finds whose number is ref: how many, and the first's id. */
struct numbered {
	const char *ref;
	char id[37];
	size_t found;
};

static int count_numbered(const struct srv_case *c, void *arg)
{
	struct numbered *m = arg;

	if (strcmp(c->case_no, m->ref) == 0 && m->found++ == 0)
		str_copy(m->id, sizeof m->id, c->id);
	return 0;
}

/* The case id of ref: itself when it is a uuid, else the one case whose
 * number it is.  0 or -1 with e filled. */
static int resolve_case(struct srv_store *s, const char *ref, char id[37], struct err *e)
{
	struct numbered m = {ref, "", 0};

	if (srv_events_is_uuid(ref)) {
		str_copy(id, 37, ref);
		return 0;
	}
	if (srv_store_case_search(s, NULL, ref, SRV_ADMIN_MAX_MATCHES, count_numbered, &m, e) < 0)
		return -1;
	if (m.found != 1) {
		err_set(e,
		        m.found ? "case number %s names several cases; give the case id"
		                : "no case with id or number %s",
		        ref);
		return -1;
	}
	str_copy(id, 37, m.id);
	return 0;
}

int srv_admin_decide(const char *path, const char *ref, const char *outcome, const char *reason,
                     struct json_object **event_out, struct err *e)
{
	struct srv_store *s;
	char id[37];
	long long cursor;
	int rc = -1;

	*event_out = NULL;
	if (srv_auth_init(e) != 0 || srv_store_open(&s, path, e) < 0)
		return -1;
	if (resolve_case(s, ref, id, e) == 0)
		rc = srv_events_decide(s, NULL, id, outcome, reason, time(NULL), event_out, &cursor,
		                       e) == 0
		         ? 0
		         : -1;
	srv_store_close(s);
	return rc;
}

/* Check file as a catalogue or calendar; its version into a new string. */
static char *check_document(const char *kind, const char *file, struct err *e)
{
	char *version = NULL;

	if (strcmp(kind, "catalogue") == 0) {
		struct catalogue *c = catalogue_load(file, NULL, e);

		if (c != NULL)
			version = xstrdup(c->version ? c->version : "");
		catalogue_free(c);
	} else if (strcmp(kind, "calendar") == 0) {
		struct calendar *cal = cal_load(file, e);

		if (cal != NULL)
			version = xstrdup(cal_version(cal) ? cal_version(cal) : "");
		cal_free(cal);
	} else {
		err_set(e, "unknown document kind %s", kind);
	}
	if (version != NULL && *version == '\0') {
		err_set(e, "%s: the %s has no version", file, kind);
		free(version);
		version = NULL;
	}
	return version;
}

/* A new document and what storing it found. */
struct document {
	const char *kind, *version, *text, *now;
	bool unchanged;
};

static int store_document_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct document *d = arg;
	char *old_v = NULL;
	int rc = srv_store_document_version(s, d->kind, &old_v, e);

	d->unchanged = rc == 1 && strcmp(old_v, d->version) == 0;
	if (rc >= 0 && !d->unchanged) {
		char detail[160];

		snprintf(detail, sizeof detail, "%s version %.128s", d->kind, d->version);
		rc = srv_store_document_put(s, d->kind, d->version, d->text, d->now, e);
		/* other regions' catalogues held: the one served is the merge */
		if (rc == 0 && strcmp(d->kind, "catalogue") == 0)
			rc = srv_joint_catalogue_home(s, d->version, d->text, d->now, e);
		if (rc == 0)
			rc = srv_store_change_add(s, NULL, d->kind, NULL, NULL, d->version, d->now,
			                          NULL, e);
		if (rc == 0)
			rc = srv_audit_add(s, SRV_AUDIT_OPERATOR, "", "", SRV_AUDIT_IMPORT, detail,
			                   e);
	}
	free(old_v);
	return rc < 0 ? -1 : 0;
}

/* Store text as the new document in one transaction with its change row. */
static int store_document(struct srv_store *s, const char *kind, const char *version,
                          const char *text, bool *unchanged, struct err *e)
{
	char now[SRV_TIME_ISO_SIZE];
	struct document d = {kind, version, text, now, false};
	int rc;

	time_iso_shanghai(time(NULL), now);
	rc = srv_store_tx(s, store_document_tx, &d, e);
	*unchanged = d.unchanged;
	return rc;
}

int srv_admin_import(const char *path, const char *kind, const char *file, char **version,
                     bool *unchanged, struct err *e)
{
	struct srv_store *s;
	size_t len;
	char *text;
	int rc = -1;

	*unchanged = false;
	*version = check_document(kind, file, e);
	if (*version == NULL)
		return -1;
	text = file_read_all(file, &len, CATALOGUE_MAX_FILE, e);
	if (text != NULL && (strlen(text) != len || !utf8_is_valid(text, len)))
		err_set(e, "%s: not UTF-8 text", file);
	else if (text != NULL && srv_store_open(&s, path, e) == 0) {
		rc = store_document(s, kind, *version, text, unchanged, e);
		srv_store_close(s);
	}
	free(text);
	if (rc != 0) {
		free(*version);
		*version = NULL;
	}
	return rc;
}

static const char *const export_cols[] = {
    "id",        "hall",  "case_no", "item_code", "item_name",  "dept",        "applicant_name",
    "id_number", "phone", "state",   "events",    "created_at", "received_at", "updated_at",
};

#define N_EXPORT_COLS (sizeof export_cols / sizeof export_cols[0])

/* One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180). */
static void csv_field(FILE *out, const char *v)
{
	if (strpbrk(v, ",\"\r\n") == NULL) {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (; *v != '\0'; v++) {
		if (*v == '"')
			fputc('"', out);
		fputc(*v, out);
	}
	fputc('"', out);
}

struct export_state {
	FILE *out;
	bool as_json;
	size_t n;
};

/* Case c as one element of the JSON array. */
static void export_json(struct export_state *x, const struct srv_case *c)
{
	struct json_object *o = srv_encode_case(c);

	fputs(x->n++ ? ",\n" : "\n", x->out);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                            JSON_C_TO_STRING_NOSLASHESCAPE),
	      x->out);
	json_object_put(o);
}

static int export_case(const struct srv_case *c, void *arg)
{
	struct export_state *x = arg;
	char events[24];
	const char *v[] = {
	    c->id,   c->hall,           c->case_no,     c->item_code,  c->item_name,
	    c->dept, c->applicant_name, c->id_number,   c->phone,      c->state,
	    events,  c->created_at,     c->received_at, c->updated_at,
	};
	size_t i;

	_Static_assert(sizeof v / sizeof v[0] == N_EXPORT_COLS, "a value for every column");
	if (x->as_json) {
		export_json(x, c);
		return 0;
	}
	snprintf(events, sizeof events, "%lld", c->events);
	for (i = 0; i < N_EXPORT_COLS; i++) {
		if (i > 0)
			fputc(',', x->out);
		csv_field(x->out, v[i]);
	}
	fputs("\r\n", x->out);
	x->n++;
	return 0;
}

int srv_admin_export(const char *path, const char *hall, bool as_json, FILE *out, struct err *e)
{
	struct export_state x = {out, as_json, 0};
	struct srv_store *s;
	char detail[128];
	size_t i;
	int rc;

	if (srv_store_open(&s, path, e) < 0)
		return -1;
	/* every case whole: on the audit chain first, or nothing is written */
	snprintf(detail, sizeof detail, "tongband export, %s, %s", as_json ? "json" : "csv",
	         hall ? "one hall" : "every hall");
	if (srv_audit_add(s, SRV_AUDIT_OPERATOR, hall ? hall : "", "", SRV_AUDIT_EXPORT, detail,
	                  e) < 0) {
		srv_store_close(s);
		return -1;
	}
	if (as_json) {
		fputc('[', out);
	} else {
		for (i = 0; i < N_EXPORT_COLS; i++)
			fprintf(out, "%s%s", i ? "," : "", export_cols[i]);
		fputs("\r\n", out);
	}
	rc = srv_store_case_each(s, hall, export_case, &x, e);
	srv_store_close(s);
	if (as_json)
		fputs(x.n ? "\n]\n" : "]\n", out);
	if (fflush(out) != 0) {
		err_set(e, "cannot write the export");
		return -1;
	}
	return rc;
}

int srv_admin_report(const char *path, const char *hall, struct tb_date from, struct tb_date to,
                     bool as_json, FILE *out, struct err *e)
{
	struct srv_store *s;
	struct json_object *o;
	struct stats st;
	char *text;
	int rc;

	if (srv_store_open(&s, path, e) < 0)
		return -1;
	rc = srv_stats_hall(s, hall, from, to, tb_date_today_shanghai(), &st, e);
	srv_store_close(s);
	if (rc == 0 && as_json) {
		o = srv_stats_json(hall, &st);
		text = srv_json_text(o);
		json_object_put(o);
		fprintf(out, "%s\n", text);
		free(text);
	} else if (rc == 0) {
		text = stats_report(&st, 80);
		fputs(text, out);
		free(text);
	}
	stats_free(&st);
	if (rc == 0 && fflush(out) != 0) {
		err_set(e, "cannot write the report");
		rc = -1;
	}
	return rc;
}

/* One chain's line of tongband audit verify. */
static void print_check(const struct srv_audit_check *c, void *arg)
{
	FILE *out = arg;
	char chain[96];

	if (c->device[0] == '\0')
		snprintf(chain, sizeof chain, "%s", _("tongband's audit chain"));
	else
		snprintf(chain, sizeof chain, _("the audit chain of device %s"), c->device);
	if (c->bad_id != 0)
		fprintf(out, _("%s is broken: %s (%lld rows read)\n"), chain, c->why, c->rows);
	else
		fprintf(out, _("%s holds: %lld rows\n"), chain, c->rows);
}

int srv_admin_audit_verify(const char *path, FILE *out, struct err *e)
{
	struct srv_store *s;
	int rc;

	if (srv_auth_init(e) != 0 || srv_store_open(&s, path, e) < 0)
		return -1;
	rc = srv_audit_verify(s, print_check, out, e);
	srv_store_close(s);
	if (rc >= 0 && fflush(out) != 0) {
		err_set(e, "cannot write the result");
		rc = -1;
	}
	return rc;
}

static const char *or_dash(const char *s)
{
	return s[0] != '\0' ? s : "-";
}

static int print_audit_row(const char *device, const struct audit_row *r, void *arg)
{
	fprintf(arg, "%s\t%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", device[0] ? device : "tongband", r->id,
	        r->at, or_dash(r->clerk), or_dash(r->hall), or_dash(r->case_id), r->what,
	        or_dash(r->detail));
	return 0;
}

int srv_admin_audit_list(const char *path, const char *case_id, const char *device, FILE *out,
                         struct err *e)
{
	struct srv_store *s;
	int n;

	if (srv_store_open(&s, path, e) < 0)
		return -1;
	n = srv_audit_list(s, case_id, device, print_audit_row, out, e);
	srv_store_close(s);
	if (n >= 0 && fflush(out) != 0) {
		err_set(e, "cannot write the rows");
		n = -1;
	}
	return n;
}
