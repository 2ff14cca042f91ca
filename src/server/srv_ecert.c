/*
 * srv_ecert.c - the e-certificate register: its file, its import and its
 * lookup (see srv_ecert.h).
 */
#include "server/srv_ecert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "core/event.h"
#include "core/idcard.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "server/srv_audit.h"
#include "server/srv_events.h"
#include "server/srv_json.h"
#include "server/srv_store_int.h"

/* The header line a certificate file starts with (after comments). */
static const char header[] = "type\tnumber\tholder_id\tholder_name\tissuer\tissued_on\tvalid_until";

/* The longest line a certificate file may hold, in bytes. */
#define MAX_LINE 4096

/* A file's value for a validity without end. */
#define FOREVER "长期"

const char *srv_ecert_result_name(enum srv_ecert_result r)
{
	switch (r) {
	case SRV_ECERT_FOUND:
		return "found";
	case SRV_ECERT_EXPIRED:
		return "expired";
	case SRV_ECERT_HOLDER_MISMATCH:
		return "holder_mismatch";
	case SRV_ECERT_NOT_KEPT:
		return "not_kept";
	default:
		return "not_found";
	}
}

/* ---- the file ------------------------------------------------------------------ */

/* Whether s holds a control character (a tab cannot: it separates). */
static bool has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Field name's text f into dst (size n): non-empty, at most n - 1 bytes. */
static int text_field(const char *name, const char *f, char *dst, size_t n, char *why, size_t wn)
{
	if (f[0] == '\0') {
		snprintf(why, wn, "field %s: empty", name);
		return -1;
	}
	if (strlen(f) >= n) {
		snprintf(why, wn, "field %s: longer than %zu bytes", name, n - 1);
		return -1;
	}
	if (has_control(f)) {
		snprintf(why, wn, "field %s: holds a control character", name);
		return -1;
	}
	str_copy(dst, n, f);
	return 0;
}

/* The holder's code: a valid ID number or USCC, normalised to uppercase. */
static int holder_field(const char *f, char *dst, size_t n, char *why, size_t wn)
{
	struct idcard_info id;
	struct uscc_info org;

	if (idcard_check(f, NULL, &id, NULL) == 0) {
		str_copy(dst, n, id.number);
		return 0;
	}
	if (uscc_check(f, &org, NULL) == 0) {
		str_copy(dst, n, org.code);
		return 0;
	}
	snprintf(why, wn,
	         "field holder_id: \"%.40s\" is neither a valid ID number (GB 11643) nor a "
	         "unified social credit code (GB 32100)",
	         f);
	return -1;
}

static int date_field(const char *name, const char *f, char *dst, char *why, size_t wn)
{
	struct tb_date d;

	if (tb_date_parse(f, &d) < 0) {
		snprintf(why, wn, "field %s: \"%.40s\" is not a date YYYY-MM-DD", name, f);
		return -1;
	}
	tb_date_format(d, dst);
	return 0;
}

/* Cut line at its tabs into at most max fields; how many there were. */
static int split_tabs(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');

		if (n < max)
			fields[n] = p;
		n++;
		if (tab == NULL)
			return n;
		*tab = '\0';
		p = tab + 1;
	}
}

int srv_ecert_parse_line(const char *line, struct srv_ecert *out, char *why, size_t n)
{
	char copy[MAX_LINE + 1], *f[7];
	int nf;

	memset(out, 0, sizeof *out);
	if (strlen(line) > MAX_LINE) {
		snprintf(why, n, "longer than %d bytes", MAX_LINE);
		return -1;
	}
	if (!utf8_is_valid(line, strlen(line))) {
		snprintf(why, n, "not UTF-8 text");
		return -1;
	}
	str_copy(copy, sizeof copy, line);
	nf = split_tabs(copy, f, 7);
	if (nf != 7) {
		snprintf(why, n, "%d fields, want 7 separated by tabs (%s)", nf,
		         "type number holder_id "
		         "holder_name issuer "
		         "issued_on valid_until");
		return -1;
	}
	if (text_field("type", f[0], out->type, sizeof out->type, why, n) < 0 ||
	    text_field("number", f[1], out->number, sizeof out->number, why, n) < 0 ||
	    holder_field(f[2], out->holder_id, sizeof out->holder_id, why, n) < 0 ||
	    text_field("holder_name", f[3], out->holder_name, sizeof out->holder_name, why, n) <
	        0 ||
	    text_field("issuer", f[4], out->issuer, sizeof out->issuer, why, n) < 0 ||
	    date_field("issued_on", f[5], out->issued_on, why, n) < 0)
		return -1;
	if (strcmp(f[6], FOREVER) == 0)
		return 0;
	if (date_field("valid_until", f[6], out->valid_until, why, n) < 0) {
		snprintf(why, n,
		         "field valid_until: \"%.40s\" is neither a date YYYY-MM-DD nor " FOREVER,
		         f[6]);
		return -1;
	}
	if (strcmp(out->valid_until, out->issued_on) < 0) {
		snprintf(why, n, "field valid_until: %s is before issued_on %s", out->valid_until,
		         out->issued_on);
		return -1;
	}
	return 0;
}

/* ---- the import ---------------------------------------------------------------- */

struct import {
	const char *file;
	FILE *in;
	long count;
	char *line; /* getline's */
	size_t size;
};

static int put_cert(struct srv_db *db, const struct srv_ecert *c, const char *now, struct err *e)
{
	return srv_db_run(
	    db, e,
	    "INSERT INTO certificates (type, number, holder_id, holder_name, issuer,"
	    " issued_on, valid_until, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT (type, number) DO UPDATE SET holder_id = excluded.holder_id,"
	    " holder_name = excluded.holder_name, issuer = excluded.issuer,"
	    " issued_on = excluded.issued_on, valid_until = excluded.valid_until,"
	    " imported_at = excluded.imported_at",
	    "ssssssss", c->type, c->number, c->holder_id, c->holder_name, c->issuer, c->issued_on,
	    c->valid_until, now);
}

/* Read the next line of x->in into x->line (its newline cut): 1, 0 at the
 * end, -1 with e when it is too long or holds a NUL byte. */
static int next_line(struct import *x, long lineno, struct err *e)
{
	ssize_t got = getline(&x->line, &x->size, x->in);
	size_t len;

	if (got < 0)
		return 0;
	len = (size_t)got;
	if (len > 0 && x->line[len - 1] == '\n')
		x->line[--len] = '\0';
	if (len > 0 && x->line[len - 1] == '\r')
		x->line[--len] = '\0';
	if (len > MAX_LINE) {
		err_set(e, "%s:%ld: longer than %d bytes", x->file, lineno, MAX_LINE);
		return -1;
	}
	if (strlen(x->line) != len) {
		err_set(e, "%s:%ld: holds a NUL byte", x->file, lineno);
		return -1;
	}
	return 1;
}

static int import_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct import *x = arg;
	char why[512], now[32], detail[64];
	struct srv_ecert c;
	bool seen_header = false;
	long lineno = 0;
	int rc;

	rewind(x->in); /* a run again after a conflict reads it from the start */
	x->count = 0;
	time_iso_shanghai(time(NULL), now);
	while ((rc = next_line(x, ++lineno, e)) == 1) {
		const char *buf = x->line;

		if (buf[0] == '#' || buf[0] == '\0')
			continue;
		if (!seen_header) {
			if (strcmp(buf, header) != 0) {
				err_set(e,
				        "%s:%ld: the first line must be the header \"%s\" (tabs "
				        "between)",
				        x->file, lineno,
				        "type number holder_id holder_name issuer issued_on "
				        "valid_until");
				return -1;
			}
			seen_header = true;
			continue;
		}
		if (srv_ecert_parse_line(buf, &c, why, sizeof why) < 0) {
			err_set(e, "%s:%ld: %s", x->file, lineno, why);
			return -1;
		}
		if (put_cert(srv_store_db(s), &c, now, e) < 0)
			return -1;
		x->count++;
	}
	if (rc < 0)
		return -1;
	if (!seen_header) {
		err_set(e, "%s: no header line: not a certificate file", x->file);
		return -1;
	}
	snprintf(detail, sizeof detail, "certificates: %ld", x->count);
	return srv_audit_add(s, SRV_AUDIT_OPERATOR, "", NULL, SRV_AUDIT_IMPORT, detail, e);
}

int srv_ecert_import(const char *path, const char *file, long *count, struct err *e)
{
	struct import x = {file, NULL, 0, NULL, 0};
	struct srv_store *s;
	int rc;

	*count = 0;
	x.in = fopen(file, "rb");
	if (x.in == NULL) {
		err_set(e, "%s: cannot open: %s", file, strerror(errno));
		return -1;
	}
	rc = srv_store_open(&s, path, e);
	if (rc == 0) {
		rc = srv_store_tx(s, import_tx, &x, e);
		srv_store_close(s);
	}
	fclose(x.in);
	free(x.line);
	*count = x.count;
	return rc == 0 ? 0 : -1;
}

/* ---- the lookup ---------------------------------------------------------------- */

static void read_cert(struct srv_db_stmt *st, struct srv_ecert *out)
{
	srv_db_col_copy(st, 0, out->type, sizeof out->type);
	srv_db_col_copy(st, 1, out->number, sizeof out->number);
	srv_db_col_copy(st, 2, out->holder_id, sizeof out->holder_id);
	srv_db_col_copy(st, 3, out->holder_name, sizeof out->holder_name);
	srv_db_col_copy(st, 4, out->issuer, sizeof out->issuer);
	srv_db_col_copy(st, 5, out->issued_on, sizeof out->issued_on);
	srv_db_col_copy(st, 6, out->valid_until, sizeof out->valid_until);
}

/* The certificate of type and number: 1, 0 none, -1. */
static int get_by_number(struct srv_db *db, const char *type, const char *number,
                         struct srv_ecert *out, struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(
	    db, e,
	    "SELECT type, number, holder_id, holder_name, issuer, issued_on, valid_until"
	    " FROM certificates WHERE type = ?1 AND number = ?2",
	    "ss", type, number);
	int rc;

	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1)
		read_cert(st, out);
	srv_db_done(st);
	return rc;
}

/* The holder's certificate of type valid on day, else the one valid the
 * longest (an expired one): 1, 0 none, -1. */
static int get_by_holder(struct srv_db *db, const char *type, const char *holder, const char *day,
                         struct srv_ecert *out, struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(
	    db, e,
	    "SELECT type, number, holder_id, holder_name, issuer, issued_on, valid_until"
	    " FROM certificates WHERE type = ?1 AND holder_id = ?2"
	    " ORDER BY CASE WHEN valid_until = '' OR valid_until >= ?3 THEN 0 ELSE 1 END,"
	    " CASE WHEN valid_until = '' THEN 1 ELSE 0 END DESC, valid_until DESC,"
	    " issued_on DESC, number",
	    "sss", type, holder, day);
	int rc;

	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1)
		read_cert(st, out);
	srv_db_done(st);
	return rc;
}

/* Whether the register holds any certificate of type (a department whose
 * certificates were never imported cannot say that one is missing): 1, 0,
 * -1. */
static int type_kept(struct srv_db *db, const char *type, struct err *e)
{
	long long n;

	return srv_db_get_int(db, e, &n, "SELECT 1 FROM certificates WHERE type = ?1 LIMIT 1", "s",
	                      type);
}

/* The holder's ID as the register keeps it: ID numbers and USCCs uppercase. */
static void holder_key(const char *id, char *out, size_t n)
{
	size_t i;

	str_copy(out, n, id);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'a' && out[i] <= 'z')
			out[i] = (char)(out[i] - 'a' + 'A');
}

struct lookup {
	const struct srv_user *u;
	const struct srv_ecert_query *q;
	struct srv_ecert *out;
	int result;
};

static int lookup_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct lookup *k = arg;
	const struct srv_ecert_query *q = k->q;
	char holder[64], day[TB_DATE_LEN], detail[160];
	struct srv_ecert c;
	int rc, kept;

	holder_key(q->holder_id, holder, sizeof holder);
	tb_date_format(q->on, day);
	memset(&c, 0, sizeof c);
	if (q->number != NULL && q->number[0] != '\0')
		rc = get_by_number(srv_store_db(s), q->type, q->number, &c, e);
	else
		rc = get_by_holder(srv_store_db(s), q->type, holder, day, &c, e);
	kept = rc == 1 ? 1 : rc == 0 ? type_kept(srv_store_db(s), q->type, e) : -1;
	if (kept < 0)
		return -1;
	if (kept == 0)
		k->result = SRV_ECERT_NOT_KEPT;
	else if (rc == 0)
		k->result = SRV_ECERT_NOT_FOUND;
	else if (strcmp(c.holder_id, holder) != 0)
		k->result = SRV_ECERT_HOLDER_MISMATCH;
	else if (c.valid_until[0] != '\0' && strcmp(c.valid_until, day) < 0)
		k->result = SRV_ECERT_EXPIRED;
	else
		k->result = SRV_ECERT_FOUND;
	if (k->result == SRV_ECERT_FOUND || k->result == SRV_ECERT_EXPIRED)
		*k->out = c;
	/* the type and the result only: never the holder's ID or the number */
	snprintf(detail, sizeof detail, "lookup %.96s: %s", q->type,
	         srv_ecert_result_name((enum srv_ecert_result)k->result));
	return srv_audit_add(s, k->u->id, k->u->hall, q->case_id, SRV_AUDIT_CERTIFICATE, detail, e);
}

int srv_ecert_lookup(struct srv_store *s, const struct srv_user *u, const struct srv_ecert_query *q,
                     struct srv_ecert *out, struct err *e)
{
	struct lookup k = {u, q, out, SRV_ECERT_NOT_FOUND};

	memset(out, 0, sizeof *out);
	if (srv_store_tx(s, lookup_tx, &k, e) < 0)
		return -1;
	return k.result;
}

/* ---- the API -------------------------------------------------------------------- */

/* Member key of body: a string of 1..max bytes, or (optional) absent. */
static int query_text(struct json_object *body, const char *key, size_t max, bool optional,
                      const char **out, char *why, size_t n)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(body, key, &v) || json_object_is_type(v, json_type_null)) {
		if (optional)
			return 0;
		snprintf(why, n, "member %s is required", key);
		return -1;
	}
	if (!json_object_is_type(v, json_type_string) || json_object_get_string_len(v) == 0 ||
	    (size_t)json_object_get_string_len(v) > max) {
		snprintf(why, n, "member %s must be a string of 1 to %zu bytes", key, max);
		return -1;
	}
	*out = json_object_get_string(v);
	return 0;
}

static struct json_object *cert_json(const struct srv_ecert *c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(c->type));
	json_object_object_add(o, "number", json_object_new_string(c->number));
	json_object_object_add(o, "holder_name", json_object_new_string(c->holder_name));
	json_object_object_add(o, "issuer", json_object_new_string(c->issuer));
	json_object_object_add(o, "issued_on", json_object_new_string(c->issued_on));
	json_object_object_add(o, "valid_until", json_object_new_string(c->valid_until));
	return o;
}

int srv_ecert_api_lookup(struct srv_store *s, const struct srv_user *u, struct json_object *body,
                         struct json_object **reply, char *why, size_t n, struct err *e)
{
	struct srv_ecert_query q = {0};
	struct srv_ecert c;
	const char *on = NULL;
	char holder[64];
	int rc;

	*reply = NULL;
	if (query_text(body, "type", 96, false, &q.type, why, n) < 0 ||
	    query_text(body, "holder_id", 32, false, &q.holder_id, why, n) < 0 ||
	    query_text(body, "number", 96, true, &q.number, why, n) < 0 ||
	    query_text(body, "case_id", 36, true, &q.case_id, why, n) < 0 ||
	    query_text(body, "on", 10, true, &on, why, n) < 0)
		return 1;
	if (q.case_id != NULL && !srv_events_is_uuid(q.case_id)) {
		snprintf(why, n, "member case_id must be a case's UUID");
		return 1;
	}
	if (on == NULL)
		q.on = tb_date_today_shanghai();
	else if (tb_date_parse(on, &q.on) < 0) {
		snprintf(why, n, "member on must be a date YYYY-MM-DD");
		return 1;
	}
	if (holder_field(q.holder_id, holder, sizeof holder, why, n) < 0) {
		snprintf(why, n,
		         "member holder_id must be a valid ID number or unified social credit "
		         "code");
		return 1;
	}
	q.holder_id = holder;
	rc = srv_ecert_lookup(s, u, &q, &c, e);
	if (rc < 0)
		return -1;
	*reply = json_object_new_object();
	json_object_object_add(
	    *reply, "result",
	    json_object_new_string(srv_ecert_result_name((enum srv_ecert_result)rc)));
	if (rc == SRV_ECERT_FOUND || rc == SRV_ECERT_EXPIRED)
		json_object_object_add(*reply, "certificate", cert_json(&c));
	return 0;
}
