#include "sync/data.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/paths.h"
#include "core/pinyin.h"

#define DATA_MAX_FILE (16u * 1024 * 1024)

/* What differs between the catalogue and the calendar. */
struct doc_kind {
	const char *central; /* the central copy's kind in the store */
	const char *bundled; /* the last good bundled file's kind in the store */
	const char *file;    /* the bundled file under the data root */
	const char *label_zh, *label_en;
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
    "catalogue", "catalogue.bundled", "data/catalogue.json", "事项目录",
    "catalogue", catalogue_parse_doc, catalogue_version_of,  catalogue_free_doc};

static const struct doc_kind calendar_kind = {
    "calendar", "calendar.bundled", "data/calendar.json", "工作日历",
    "calendar", cal_parse_doc,      cal_version_of,       cal_free_doc};

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

/* Keep a bundled text that loads as its last good copy.  Best effort: the
 * file itself loaded, so a failing database write only loses the spare. */
static void keep_bundled(struct store *st, const struct doc_kind *k, const char *version,
                         const char *text)
{
	char *old = NULL;

	if (st == NULL)
		return;
	if (store_data_get(st, k->bundled, NULL, 0, &old, NULL) != 1 || strcmp(old, text) != 0)
		store_data_put(st, k->bundled, version, text, NULL);
	free(old);
}

/* The bundled file, or when it does not load its last good copy (then
 * *fallback is set and efile says why the file failed). */
static void *load_bundled(struct store *st, const char *root, const struct doc_kind *k,
                          bool *fallback, struct err *efile)
{
	char *path = paths_join(root, k->file), *label, *text;
	size_t len = 0;
	void *doc = NULL;
	struct err ignored = {0};

	*fallback = false;
	if ((text = file_read_all(path, &len, DATA_MAX_FILE, efile)) != NULL &&
	    (doc = k->parse(text, len, path, efile)) != NULL)
		keep_bundled(st, k, k->version(doc), text);
	free(text);
	if (doc == NULL) {
		*fallback = true;
		label = xasprintf("%s (%s)", path, T("上次完好的副本", "last good copy"));
		doc = load_stored(st, k->bundled, k, label, &ignored);
		free(label);
	}
	free(path);
	return doc;
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
		buf_adds(note, T("；", "; "));
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

/* Choose one document by the rule in data.h, adding to note. */
static void *choose_one(struct store *st, const char *root, const struct doc_kind *k,
                        struct buf *note)
{
	struct err efile = {0}, ecentral = {0};
	char *label = xasprintf(T("中心下发的%s", "central %s"), T(k->label_zh, k->label_en));
	bool fallback, central_won;
	void *bundled = load_bundled(st, root, k, &fallback, &efile);
	void *central = load_stored(st, k->central, k, label, &ecentral);
	void *doc = newer(k, central, bundled, &central_won);

	free(label);
	if (doc && fallback)
		note_add(note, T("%s；改用%s（版本 %s）", "%s; using the %s (version %s)"),
		         efile.msg,
		         central_won ? T("中心下发的副本", "central copy")
		                     : T("上次完好的副本", "last good copy"),
		         k->version(doc));
	else if (doc == NULL)
		note_add(note, T("没有可用的%s：%s", "no usable %s: %s"),
		         T(k->label_zh, k->label_en), efile.msg);
	if (ecentral.msg[0])
		note_add(note, "%s", ecentral.msg);
	return doc;
}

int data_choose(struct store *st, const char *data_root, struct catalogue **cat,
                struct calendar **cal, char *note, size_t n)
{
	struct buf msg;
	struct err e = {0};
	char *py;

	buf_init(&msg);
	*cat = choose_one(st, data_root, &catalogue_kind, &msg);
	*cal = choose_one(st, data_root, &calendar_kind, &msg);
	if (*cat) {
		py = paths_join(data_root, "data/pinyin.tsv");
		struct pinyin_table *t = pinyin_load(py, &e);

		if (t == NULL)
			note_add(&msg, "%s", e.msg);
		catalogue_set_pinyin(*cat, t);
		free(py);
	}
	str_copy(note, n, msg.data ? msg.data : "");
	buf_free(&msg);
	return *cat && *cal ? 0 : -1;
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
