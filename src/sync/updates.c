#include "sync/updates.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/curlfn.h"
#include "sync/data.h"

/* One document to download: where the answer goes in r. */
struct fetch {
	const char *kind; /* "catalogue" or "calendar": its name in the store and the API */
	bool *is_new;
	char *version;
	size_t version_n;
	char *error;
	size_t error_n;
};

/* Whether the answer is {"unchanged":true,...}. */
static bool is_unchanged(const char *body)
{
	struct json_object *o = json_tokener_parse(body), *v;
	bool yes = o && json_object_is_type(o, json_type_object) &&
	           json_object_object_get_ex(o, "unchanged", &v) && json_object_get_boolean(v);

	json_object_put(o);
	return yes;
}

/* The request path: the catalogue says "unchanged" when since is current. */
static char *fetch_path(const struct fetch *f, const char *have)
{
	const struct curl_fns *cf = curlfn_get(NULL);
	char *esc, *path;

	if (strcmp(f->kind, "catalogue") != 0 || have[0] == '\0' || cf == NULL)
		return xasprintf("/v1/%s", f->kind);
	esc = cf->easy_escape(NULL, have, 0);
	path = xasprintf("/v1/%s?since=%s", f->kind, esc ? esc : "");
	cf->free(esc);
	return path;
}

/* Check the answer and store it; a refused one is noted in meta. */
static enum sync_result keep_answer(struct store *st, const char *server, const struct fetch *f,
                                    const char *have, const char *body, size_t len, struct err *e)
{
	char key[64], version[128], *label = xasprintf("%s/v1/%s", server, f->kind);
	int rc = data_check(f->kind, body, len, label, version, sizeof version, e);

	free(label);
	snprintf(key, sizeof key, "%s_fetch_error", f->kind);
	if (rc < 0) {
		str_copy(f->error, f->error_n, e->msg);
		store_meta_set(st, key, e->msg, NULL);
		return SYNC_ERROR;
	}
	if (store_data_fetched(st, f->kind, version, body, e) < 0)
		return SYNC_ERROR;
	store_meta_set(st, key, "", NULL);
	*f->is_new = strcmp(version, have) != 0;
	str_copy(f->version, f->version_n, version);
	return SYNC_OK;
}

static enum sync_result fetch_one(struct store *st, const char *server, const char *token,
                                  const struct fetch *f, bool waiting, struct err *e)
{
	char have[128] = "", *path, *body = NULL;
	size_t len = 0;
	long status = 0;
	enum sync_result res;
	int stored = store_data_get(st, f->kind, have, sizeof have, NULL, e);

	if (stored < 0)
		return SYNC_ERROR;
	str_copy(f->version, f->version_n, have);
	if (stored == 1 && !waiting)
		return SYNC_OK;
	path = fetch_path(f, have);
	res = sync_get(server, path, token, &status, &body, &len, e);
	free(path);
	if (res != SYNC_OK)
		return res;
	if (status == 404 || is_unchanged(body))
		res = store_data_fetched(st, f->kind, have, NULL, e) == 0 ? SYNC_OK : SYNC_ERROR;
	else
		res = keep_answer(st, server, f, have, body, len, e);
	free(body);
	return res;
}

enum sync_result sync_fetch_updates(struct store *st, const char *server, const char *token,
                                    struct update_report *r, struct err *e)
{
	struct update_report local;
	bool cat_waiting = false, cal_waiting = false;
	enum sync_result res, res2;
	struct err e2 = {0};

	if (r == NULL)
		r = &local;
	memset(r, 0, sizeof *r);
	if (store_updates_waiting(st, &cat_waiting, &cal_waiting, e) < 0)
		return SYNC_ERROR;
	{
		const struct fetch cat = {"catalogue",          &r->catalogue_new,
		                          r->catalogue_version, sizeof r->catalogue_version,
		                          r->catalogue_error,   sizeof r->catalogue_error};
		const struct fetch cal = {"calendar",          &r->calendar_new,
		                          r->calendar_version, sizeof r->calendar_version,
		                          r->calendar_error,   sizeof r->calendar_error};

		res = fetch_one(st, server, token, &cat, cat_waiting, e);
		if (res != SYNC_OK && res != SYNC_ERROR)
			return res; /* the server cannot be asked: the calendar waits too */
		res2 = fetch_one(st, server, token, &cal, cal_waiting, &e2);
	}
	if (res == SYNC_OK && res2 != SYNC_OK) {
		err_set(e, "%s", e2.msg);
		return res2;
	}
	return res;
}
