#include "sync/updates.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/catalogue.h"
#include "core/i18n.h"
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

/* "unchanged" answers are a few dozen bytes: a larger one is the document,
 * never parsed into a tree here (a 150 MB catalogue would take gigabytes). */
#define UNCHANGED_MAX 4096

/* A downloaded answer: an unnamed file and its length. */
struct answer {
	FILE *file;
	size_t len;
};

/* Whether the answer is {"unchanged":true,...}. */
static bool is_unchanged(const struct answer *a)
{
	char small[UNCHANGED_MAX + 1];
	struct json_object *o, *v;
	bool yes;

	if (a->len == 0 || a->len > UNCHANGED_MAX ||
	    pread(fileno(a->file), small, a->len, 0) != (ssize_t)a->len)
		return false;
	small[a->len] = '\0';
	o = json_tokener_parse(small);
	yes = o && json_object_is_type(o, json_type_object) &&
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

/* The folder of path ("." when it has none).  Caller frees. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/*
 * An unnamed file (mode 0600, gone when closed) for the download, beside
 * the database rather than in /tmp: the catalogue is stored on that disk
 * anyway, and a small PC's /tmp may be memory.  NULL with e filled.
 */
static FILE *download_file(struct store *st, struct err *e)
{
	char *dir = folder_of(store_path(st)),
	     *name = xasprintf("%s/.tongban-download-XXXXXX", dir);
	int fd = mkstemp(name);
	FILE *f = NULL;

	if (fd >= 0) {
		unlink(name);
		if ((f = fdopen(fd, "w+b")) == NULL)
			close(fd);
	}
	if (f == NULL)
		err_set(e, _("cannot make a temporary file for the download in %s: %s"), dir,
		        strerror(errno));
	free(name);
	free(dir);
	return f;
}

/* The downloaded file's length.  0, or -1 with e filled. */
static int answer_measure(struct answer *a, const char *label, struct err *e)
{
	struct stat sb;

	if (fstat(fileno(a->file), &sb) < 0) {
		err_set(e, "%s: %s", label, strerror(errno));
		return -1;
	}
	a->len = (size_t)sb.st_size;
	return 0;
}

/* Note a refusal in r and in meta "<kind>_fetch_error": the copy in use stays. */
static enum sync_result refused(struct store *st, const struct fetch *f, struct err *e)
{
	char key[64];

	snprintf(key, sizeof key, "%s_fetch_error", f->kind);
	str_copy(f->error, f->error_n, e->msg);
	store_meta_set(st, key, e->msg, NULL);
	return SYNC_ERROR;
}

/* Check the answer and store it, both straight from the file a chunk at a
 * time (never a copy of it in memory); a refused one is noted in meta. */
static enum sync_result keep_answer(struct store *st, const char *server, const struct fetch *f,
                                    const char *have, const struct answer *a, struct err *e)
{
	char key[64], version[128], *label = xasprintf("%s/v1/%s", server, f->kind);
	int rc = data_check_file(f->kind, a->file, label, version, sizeof version, e);

	free(label);
	data_trim_heap(); /* the parse of a large catalogue is freed: give it back first */
	if (rc < 0)
		return refused(st, f, e);
	if (store_data_fetched_file(st, f->kind, version, fileno(a->file), a->len, e) < 0)
		return SYNC_ERROR;
	snprintf(key, sizeof key, "%s_fetch_error", f->kind);
	store_meta_set(st, key, "", NULL);
	*f->is_new = strcmp(version, have) != 0;
	str_copy(f->version, f->version_n, version);
	return SYNC_OK;
}

/* Download path into a file of its own and take the answer in. */
static enum sync_result download(struct store *st, const char *server, const char *token,
                                 const struct fetch *f, const char *have, const char *path,
                                 struct err *e)
{
	struct answer a = {0};
	long status = 0;
	enum sync_result res;
	size_t max = strcmp(f->kind, "catalogue") == 0 ? CATALOGUE_MAX_FILE : SYNC_MAX_ANSWER;

	if ((a.file = download_file(st, e)) == NULL)
		return SYNC_ERROR;
	res = sync_get_file(server, path, token, a.file, max, &status, e);
	if (res == SYNC_ERROR && status == 0)
		res = refused(st, f, e); /* too large or damaged: said until a good one comes */
	else if (res == SYNC_OK && answer_measure(&a, path, e) < 0)
		res = SYNC_ERROR;
	else if (res == SYNC_OK && (status == 404 || is_unchanged(&a)))
		res = store_data_fetched(st, f->kind, have, NULL, 0, e) == 0 ? SYNC_OK : SYNC_ERROR;
	else if (res == SYNC_OK)
		res = keep_answer(st, server, f, have, &a, e);
	fclose(a.file);
	return res;
}

static enum sync_result fetch_one(struct store *st, const char *server, const char *token,
                                  const struct fetch *f, bool waiting, struct err *e)
{
	char have[128] = "", *path;
	enum sync_result res;
	int stored = store_data_get(st, f->kind, have, sizeof have, NULL, e);

	if (stored < 0)
		return SYNC_ERROR;
	str_copy(f->version, f->version_n, have);
	if (stored == 1 && !waiting)
		return SYNC_OK;
	path = fetch_path(f, have);
	res = download(st, server, token, f, have, path, e);
	free(path);
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
