#include "sync/data.h"

#include "core/sodiumfn.h"
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/i18n.h"
#include "core/jsonpeek.h"
#include "core/paths.h"
#include "core/pinyin.h"

#define DATA_MAX_FILE CATALOGUE_MAX_FILE

/* What differs between the catalogue and the calendar. */
struct doc_kind {
	const char *central; /* the central copy's kind in the store */
	const char *bundled; /* the last good bundled file's kind in the store */
	const char *file;    /* the bundled file under the data root */
	const char *label;   /* English, N_() */
	void *(*parse)(const char *json, size_t len, const char *file, struct err *e);
	const char *(*version)(const void *doc);
	void (*free)(void *doc);
};

static void *catalogue_parse_doc(const char *json, size_t len, const char *file, struct err *e)
{
	return catalogue_parse(json, len, file, e);
}

static const char *catalogue_version_of(const void *doc)
{
	return ((const struct catalogue *)doc)->version;
}

static void catalogue_free_doc(void *doc)
{
	catalogue_free(doc);
}

static void *cal_parse_doc(const char *json, size_t len, const char *file, struct err *e)
{
	return cal_parse(json, len, file, e);
}

static const char *cal_version_of(const void *doc)
{
	return cal_version(doc);
}

static void cal_free_doc(void *doc)
{
	cal_free(doc);
}

static const struct doc_kind catalogue_kind = {
    "catalogue",         "catalogue.bundled",  "data/catalogue.json", N_("catalogue"),
    catalogue_parse_doc, catalogue_version_of, catalogue_free_doc};

/* A bundled text that loaded and is not the stored last good copy yet. */
struct data_keep {
	const char *kind;
	char *text;
	char version[128], hash[65];
};

static const struct doc_kind calendar_kind = {
    "calendar",    "calendar.bundled", "data/calendar.json", N_("calendar"),
    cal_parse_doc, cal_version_of,     cal_free_doc};

int data_check(const char *kind, const char *text, size_t len, const char *label, char *version,
               size_t n, struct err *e)
{
	const struct doc_kind *k = strcmp(kind, "calendar") == 0 ? &calendar_kind : &catalogue_kind;
	void *doc = k->parse(text, len, label, e);

	if (doc == NULL)
		return -1;
	str_copy(version, n, k->version(doc));
	k->free(doc);
	return 0;
}

/* All of f from its start (a calendar: a few hundred KiB).  NULL with e
 * naming label when it cannot be read.  Caller frees. */
static char *read_whole(FILE *f, const char *label, size_t *len, struct err *e)
{
	char chunk[64 * 1024];
	struct buf b;
	size_t n;

	buf_init(&b);
	rewind(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= DATA_MAX_FILE)
		buf_add(&b, chunk, n);
	if (ferror(f) || b.len > DATA_MAX_FILE) {
		err_set(e, _("%s: cannot be read back from its temporary file"), label);
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return buf_take(&b);
}

int data_check_file(const char *kind, FILE *f, const char *label, char *version, size_t n,
                    struct err *e)
{
	struct catalogue *cat;
	size_t len = 0;
	char *text;
	int rc;

	if (strcmp(kind, "calendar") == 0) {
		if ((text = read_whole(f, label, &len, e)) == NULL)
			return -1;
		rc = data_check(kind, text, len, label, version, n, e);
		free(text);
		return rc;
	}
	rewind(f);
	if ((cat = catalogue_read(f, label, e)) == NULL)
		return -1;
	str_copy(version, n, cat->version);
	catalogue_free(cat);
	return 0;
}

int data_version_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			size_t la, lb;
			int c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (la = 0; isdigit((unsigned char)a[la]); la++)
				;
			for (lb = 0; isdigit((unsigned char)b[lb]); lb++)
				;
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = strncmp(a, b, la)) != 0)
				return c < 0 ? -1 : 1;
			a += la;
			b += lb;
		} else if (*a != *b) {
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		} else {
			a++;
			b++;
		}
	}
	return (*a != '\0') - (*b != '\0');
}

/* The copy of kind stored in st, parsed; NULL when there is none (e left
 * alone) or it does not parse (e filled, naming label). */
static void *load_stored(struct store *st, const char *kind, const struct doc_kind *k,
                         const char *label, struct err *e)
{
	char *body = NULL;
	void *doc;

	if (st == NULL || store_data_get(st, kind, NULL, 0, &body, e) != 1)
		return NULL;
	doc = k->parse(body, strlen(body), label, e);
	free(body);
	return doc;
}

/* text's BLAKE2b-256 in hex, to tell whether the last good copy is it. */
static void text_hash(const char *text, char out[65])
{
	unsigned char h[32];
	size_t i;

	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	for (i = 0; i < sizeof h; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The bundled text that loaded, to keep as its last good copy unless the
 * store holds it already (compared by hash: never read back). */
static void keep_later(struct store *st, const struct doc_kind *k, const char *version, char *text,
                       struct data_keep *kp)
{
	char key[64], stored[65], hash[65], v[128];

	text_hash(text, hash);
	snprintf(key, sizeof key, "%s.hash", k->bundled);
	if (st && store_meta_get(st, key, stored, sizeof stored, NULL) == 1 &&
	    strcmp(stored, hash) == 0 &&
	    store_data_get(st, k->bundled, v, sizeof v, NULL, NULL) == 1 &&
	    strcmp(v, version) == 0) {
		free(text);
		return;
	}
	kp->kind = k->bundled;
	kp->text = text;
	str_copy(kp->version, sizeof kp->version, version);
	str_copy(kp->hash, sizeof kp->hash, hash);
}

/* Write a kept text.  Best effort: the file itself loaded, so a failing
 * database write only loses the spare. */
static void keep_now(struct store *st, struct data_keep *kp)
{
	char key[64];

	if (kp->text && st && store_data_put(st, kp->kind, kp->version, kp->text, NULL) == 0) {
		snprintf(key, sizeof key, "%s.hash", kp->kind);
		store_meta_set(st, key, kp->hash, NULL);
	}
	free(kp->text);
	kp->text = NULL;
}

static void note_add(struct buf *note, const char *fmt, ...) TB_PRINTF(2, 3);

static void note_add(struct buf *note, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (note->len)
		buf_adds(note, _("; "));
	buf_adds(note, s);
	free(s);
}

/* The newer of the central copy and the bundled one (the central on a tie);
 * frees the other.  *central_won says which. */
static void *newer(const struct doc_kind *k, void *central, void *bundled, bool *central_won)
{
	*central_won =
	    central != NULL &&
	    (bundled == NULL || data_version_cmp(k->version(central), k->version(bundled)) >= 0);
	if (*central_won) {
		if (bundled)
			k->free(bundled);
		return central;
	}
	if (central)
		k->free(central);
	return bundled;
}

/* One choice being made: the copies looked at and what went wrong. */
struct pick {
	struct store *st;
	const struct doc_kind *k;
	char *path, *text; /* the bundled file and its text (NULL: unreadable) */
	size_t len;
	struct err efile, ecentral;
	bool central_tried;
};

/* Whether the central copy is to be tried before the bundled file: it is
 * at least as new by version (stored beside it), or the file's version
 * cannot be read. */
static bool central_first(struct pick *p)
{
	char cv[128], bv[128];

	if (p->st == NULL || store_data_get(p->st, p->k->central, cv, sizeof cv, NULL, NULL) != 1)
		return false;
	return p->text == NULL || !json_peek_string(p->text, p->len, "version", bv, sizeof bv) ||
	       data_version_cmp(cv, bv) >= 0;
}

static void *load_central(struct pick *p)
{
	char *label = xasprintf(_("central %s"), _(p->k->label));
	void *doc = load_stored(p->st, p->k->central, p->k, label, &p->ecentral);

	free(label);
	p->central_tried = true;
	return doc;
}

/* The bundled file does not load: the newer of its last good copy and the
 * central one (when not tried yet). */
static void *load_fallback(struct pick *p, bool *central_won)
{
	char *label = xasprintf("%s (%s)", p->path, _("last good copy"));
	struct err ignored = {0};
	void *good = load_stored(p->st, p->k->bundled, p->k, label, &ignored);
	void *central = p->central_tried ? NULL : load_central(p);

	free(label);
	return newer(p->k, central, good, central_won);
}

/*
 * Choose one document by the rule in data.h, parsing one copy when it is
 * valid: the newer by version first.  A bundled file that loaded and is not
 * stored yet goes to *kp for keep_now.
 */
static void *choose_one(struct store *st, const char *root, const struct doc_kind *k,
                        struct buf *note, struct data_keep *kp)
{
	struct pick p = {.st = st, .k = k};
	bool central_won = false, fallback = false;
	void *doc = NULL;

	p.path = paths_join(root, k->file);
	p.text = file_read_all(p.path, &p.len, DATA_MAX_FILE, &p.efile);
	if (central_first(&p) && (doc = load_central(&p)) != NULL)
		central_won = true;
	if (doc == NULL && p.text && (doc = k->parse(p.text, p.len, p.path, &p.efile)) != NULL) {
		keep_later(st, k, k->version(doc), p.text, kp);
		p.text = NULL;
	}
	if (doc == NULL) {
		fallback = true;
		doc = load_fallback(&p, &central_won);
	}
	if (doc && fallback)
		note_add(note, _("%s; using the %s (version %s)"), p.efile.msg,
		         central_won ? _("central copy") : _("last good copy"), k->version(doc));
	else if (doc == NULL)
		note_add(note, _("no usable %s: %s"), _(k->label), p.efile.msg);
	if (p.ecentral.msg[0])
		note_add(note, "%s", p.ecentral.msg);
	free(p.text);
	free(p.path);
	return doc;
}

/* Choose both, reading st only; what is to be kept goes to keep[]. */
static int choose_all(struct store *st, const char *data_root, struct catalogue **cat,
                      struct calendar **cal, struct buf *msg, struct data_keep keep[2])
{
	struct err e = {0};
	char *py;

	*cat = choose_one(st, data_root, &catalogue_kind, msg, &keep[0]);
	*cal = choose_one(st, data_root, &calendar_kind, msg, &keep[1]);
	if (*cat) {
		struct pinyin_table *t;

		py = paths_join(data_root, "data/pinyin.tsv");
		if ((t = pinyin_load(py, &e)) == NULL)
			note_add(msg, "%s", e.msg);
		catalogue_set_pinyin(*cat, t);
		free(py);
	}
	return *cat && *cal ? 0 : -1;
}

int data_choose(struct store *st, const char *data_root, struct catalogue **cat,
                struct calendar **cal, char *note, size_t n)
{
	struct data_keep keep[2];
	struct buf msg;
	int rc;

	memset(keep, 0, sizeof keep);
	buf_init(&msg);
	rc = choose_all(st, data_root, cat, cal, &msg, keep);
	keep_now(st, &keep[0]);
	keep_now(st, &keep[1]);
	str_copy(note, n, msg.data ? msg.data : "");
	buf_free(&msg);
	return rc;
}

/* The choice made in a thread of its own (data_loader_start). */
struct data_loader {
	pthread_t thread;
	char *db_path, *data_root;
	struct catalogue *cat;
	struct calendar *cal;
	struct data_keep keep[2];
	struct buf msg;
	bool no_store; /* the read-only connection failed: choose again in finish */
	int rc;
};

static void *loader_main(void *arg)
{
	struct data_loader *l = arg;
	struct err e = {0};
	struct store *st;

	thread_background();
	st = store_open_with(l->db_path, STORE_READONLY, STORE_BUSY_MS, &e);

	if (st == NULL) {
		l->no_store = true;
		return NULL;
	}
	l->rc = choose_all(st, l->data_root, &l->cat, &l->cal, &l->msg, l->keep);
	store_close(st);
	data_trim_heap();
	return NULL;
}

struct data_loader *data_loader_start(const char *db_path, const char *data_root)
{
	struct data_loader *l = xcalloc(1, sizeof *l);

	l->db_path = xstrdup(db_path);
	l->data_root = xstrdup(data_root);
	buf_init(&l->msg);
	if (pthread_create(&l->thread, NULL, loader_main, l) != 0) {
		free(l->db_path);
		free(l->data_root);
		free(l);
		return NULL;
	}
	return l;
}

int data_loader_finish(struct data_loader *l, struct store *st, struct catalogue **cat,
                       struct calendar **cal, char *note, size_t n)
{
	int rc;

	pthread_join(l->thread, NULL);
	if (l->no_store) {
		rc = data_choose(st, l->data_root, cat, cal, note, n);
	} else {
		keep_now(st, &l->keep[0]);
		keep_now(st, &l->keep[1]);
		*cat = l->cat;
		*cal = l->cal;
		str_copy(note, n, l->msg.data ? l->msg.data : "");
		rc = l->rc;
	}
	buf_free(&l->msg);
	free(l->db_path);
	free(l->data_root);
	free(l);
	return rc;
}

void data_trim_heap(void)
{
#ifdef __GLIBC__
	/* glibc keeps freed heap for later; the parse freed most of what it took */
	malloc_trim(0);
#endif
}

/* key = value, written only when it is not so already (most starts). */
static int mark(struct store *st, const char *key, const char *value, struct err *e)
{
	char now[128];

	if (store_meta_get(st, key, now, sizeof now, NULL) == 1 && strcmp(now, value) == 0)
		return 0;
	return store_meta_set(st, key, value, e);
}

int data_mark_in_use(struct store *st, const struct catalogue *cat, const struct calendar *cal,
                     struct err *e)
{
	if (cat && mark(st, "catalogue_in_use", cat->version, e) < 0)
		return -1;
	if (cal && mark(st, "calendar_in_use", cal_version(cal), e) < 0)
		return -1;
	return 0;
}

/* Whether the central copy of kind is newer than version (NULL: any is). */
static bool central_newer(struct store *st, const char *kind, const char *version)
{
	char v[128];

	return store_data_get(st, kind, v, sizeof v, NULL, NULL) == 1 &&
	       (version == NULL || data_version_cmp(v, version) > 0);
}

bool data_is_newer(struct store *st, const char *cat_version, const char *cal_version)
{
	return central_newer(st, "catalogue", cat_version) ||
	       central_newer(st, "calendar", cal_version);
}

bool data_update_ready(struct store *st)
{
	bool cat = false, cal = false;
	char cat_v[128], cal_v[128];

	if (store_updates_waiting(st, &cat, &cal, NULL) == 0 && (cat || cal))
		return true;
	return data_is_newer(
	    st,
	    store_meta_get(st, "catalogue_in_use", cat_v, sizeof cat_v, NULL) == 1 ? cat_v : NULL,
	    store_meta_get(st, "calendar_in_use", cal_v, sizeof cal_v, NULL) == 1 ? cal_v : NULL);
}
