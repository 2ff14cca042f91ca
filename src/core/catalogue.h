/*
 * catalogue.h - the service-item catalogue (政务服务事项目录): items, their
 * materials, and search by code, name substring or pinyin initials.
 *
 * Loaded from data/catalogue.json (format documented in data/README.md).
 * A catalogue is immutable once loaded; the strings belong to it.
 */
#ifndef TB_CORE_CATALOGUE_H
#define TB_CORE_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/util.h"

struct pinyin_table;
struct catalogue_index;
struct bundle_set;

enum material_need {
	NEED_REQUIRED,  /* 必要 */
	NEED_OPTIONAL,  /* 非必要 */
	NEED_DEFERRABLE /* 容缺后补 */
};

struct material {
	const char *id;   /* stable within the item, e.g. "m1" */
	const char *name; /* 申请材料名称 */
	const char *form; /* 原件 / 复印件 / 电子 (may combine: "原件+复印件") */
	int copies;
	enum material_need need;
	bool exempt;      /* 免提交: obtained by data sharing, never demanded */
	bool commitable;  /* may be replaced by a signed commitment (告知承诺) */
	const char *note; /* what makes it valid; may be "" */
	/* 电子证照: the e-certificate type that satisfies it by a lookup with the
	 * applicant's ID (core/ecert.h), e.g. "营业执照"; "" when none */
	const char *ecert;
};

struct item {
	const char *code;      /* 事项编码 */
	const char *impl_code; /* 实施编码 */
	const char *name;      /* 主项名称 */
	const char *sub_name;  /* 子项名称, "" if none */
	const char *type;      /* 行政许可 / 行政确认 / 公共服务 …: data/README.md */
	const char *dept;      /* 实施主体 */
	const char *legal_basis; /* 设定依据 */
	const char *conditions;  /* 受理条件 */
	int legal_days;          /* 法定办结时限, working days, 0 = 即办件 */
	int promised_days;       /* 承诺办结时限, working days, 0 = 即办件 */
	int visits;              /* 到现场次数 */
	const char *fee;         /* "不收费" or the fee */
	bool commitment;         /* 是否适用告知承诺 */
	const char *result;      /* 办理结果 */
	const char *delivery;    /* 送达方式 */
	const struct material *materials;
	size_t n_materials;
	/* 并联审批: the departments that decide in parallel, one a line ("" for
	 * an item one department decides), and how their decisions make the
	 * joint result: "all" (every one must approve) or "partial" (what was
	 * approved may be released alone); "" when not joint. */
	const char *joint_depts;
	const char *joint_rule;
	/* 跨域通办: an item of another region's catalogue, as tongband serves
	 * it: the region's code (行政区划代码) and name, and the hall on tongband
	 * whose back office decides; all "" for the home region's items. */
	const char *region;
	const char *region_name;
	const char *decide_hall;
};

/* How many departments decide it in parallel (0 for none), and the i-th
 * into buf (size n, from 0).  item_joint_dept returns buf, or NULL past
 * the last. */
size_t item_joint_count(const struct item *it);
const char *item_joint_dept(const struct item *it, size_t i, char *buf, size_t n);

/*
 * The strings and material lists of the items are kept once each in the
 * catalogue's pool (core/strpool.h): items that repeat another's legal
 * basis or materials share them, so a county-by-county catalogue of 20,000
 * items takes a few MiB.
 */
struct catalogue {
	char *version; /* catalogue version string from the file */
	struct item *items;
	size_t n_items;
	struct pinyin_table *pinyin;   /* may be NULL: initials search then finds nothing */
	struct catalogue_index *index; /* what search matches, per character (private) */
	struct strpool *pool;          /* the items' strings and materials (private) */
	struct bundle_set *bundles;    /* 一件事 (core/bundle.h); NULL when the file has none */
};

/*
 * Load a catalogue from a JSON file, read and parsed an item at a time (the
 * whole file is never in memory).  pinyin_path (data/pinyin.tsv) may be
 * NULL.  On failure returns NULL and e names the file, the item and the field.
 * Caller frees with catalogue_free().
 */
struct catalogue *catalogue_load(const char *path, const char *pinyin_path, struct err *e);

/* Parse a catalogue from a JSON text, an item at a time; file names the
 * source in errors.  The first problem found is reported: an item that is
 * wrong before the text turns out not to be JSON further on is named. */
struct catalogue *catalogue_parse(const char *json, size_t len, const char *file, struct err *e);

/* The same, read from f (from where it stands to its end) a chunk at a
 * time: a downloaded catalogue is checked without being in memory whole. */
struct catalogue *catalogue_read(FILE *f, const char *file, struct err *e);

void catalogue_free(struct catalogue *c);

/*
 * Attach the pinyin table t (owned by c from now on; NULL detaches) and work
 * out what each character of the names matches, for search.
 */
void catalogue_set_pinyin(struct catalogue *c, struct pinyin_table *t);

/* catalogue_load() and the client's bundled and downloaded copies refuse
 * files larger than this: 100,000 items at the bundled density are 153 MB. */
#define CATALOGUE_MAX_FILE (256u * 1024 * 1024)

/* The item with this code (事项编码 or 实施编码), or NULL. */
const struct item *catalogue_find(const struct catalogue *c, const char *code);

/*
 * Items matching query: a code prefix, a substring of the name or sub-name,
 * or pinyin initials (case-insensitive; a polyphonic character matches each
 * of its readings).  An empty query matches every item.  Fills out[] with up
 * to max items in catalogue order; returns the number found (may exceed max).
 */
size_t catalogue_search(const struct catalogue *c, const char *query, const struct item **out,
                        size_t max);

/* The material of it with this id (struct material.id), or NULL. */
const struct material *item_find_material(const struct item *it, const char *id);

/* The word a clerk sees for need: "必要", "非必要" or "容缺后补".  Static. */
const char *material_need_label(enum material_need need);

/*
 * The same matches best first: the exact code, a code prefix, a name prefix,
 * pinyin initials from the start of the name, then the rest; ties keep
 * catalogue order.  Fills out[] with up to max; returns how many matched.
 * c may be NULL (nothing matches).
 */
size_t catalogue_search_ranked(const struct catalogue *c, const char *query,
                               const struct item **out, size_t max);

/*
 * The hits of the last search, kept by the caller between keystrokes: when
 * the query grows at its end, only these are searched again.  Start zeroed;
 * free with catalogue_hits_free.
 */
struct catalogue_hits {
	const struct catalogue *cat;
	char *query;   /* trimmed */
	uint32_t *idx; /* every item that matched, catalogue order */
	size_t n;
	const struct item **bucket; /* per rank, max each */
	size_t max;
	unsigned char *memo; /* how each name matched this query */
	size_t memo_size;
};

/* catalogue_search_ranked, narrowing the hits in h and leaving this
 * search's there.  c may be NULL (nothing matches). */
size_t catalogue_search_hits(const struct catalogue *c, const char *query, struct catalogue_hits *h,
                             const struct item **out, size_t max);

void catalogue_hits_free(struct catalogue_hits *h);

/* Free the search index (catalogue_free does). */
void catalogue_index_free(struct catalogue_index *x);

/* catalogue_find through the index (NULL when c has none, or no such item);
 * catalogue_find uses it. */
const struct item *catalogue_index_find(const struct catalogue *c, const char *code);

#endif
