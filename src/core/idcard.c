#include "core/idcard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

/* Messages in the language asked for: Chinese through the catalogue. */
#define L(en) (chinese ? _(en) : (en))

/* Province-level division codes (GB/T 2260) and the permit prefixes. */
static const struct {
	char code[3];
	const char *name;
} provinces[] = {
    {"11", "北京市"},           {"12", "天津市"},         {"13", "河北省"},
    {"14", "山西省"},           {"15", "内蒙古自治区"},   {"21", "辽宁省"},
    {"22", "吉林省"},           {"23", "黑龙江省"},       {"31", "上海市"},
    {"32", "江苏省"},           {"33", "浙江省"},         {"34", "安徽省"},
    {"35", "福建省"},           {"36", "江西省"},         {"37", "山东省"},
    {"41", "河南省"},           {"42", "湖北省"},         {"43", "湖南省"},
    {"44", "广东省"},           {"45", "广西壮族自治区"}, {"46", "海南省"},
    {"50", "重庆市"},           {"51", "四川省"},         {"52", "贵州省"},
    {"53", "云南省"},           {"54", "西藏自治区"},     {"61", "陕西省"},
    {"62", "甘肃省"},           {"63", "青海省"},         {"64", "宁夏回族自治区"},
    {"65", "新疆维吾尔自治区"}, {"71", "台湾省"},         {"81", "香港特别行政区"},
    {"82", "澳门特别行政区"},   {"83", "台湾居民居住证"},
};

static const struct {
	const char *en;
} messages[] = {
    [IDCARD_OK] = {N_("ID number is valid")},
    [IDCARD_EMPTY] = {N_("ID number is empty")},
    [IDCARD_LENGTH] = {N_("ID number must have 18 characters")},
    [IDCARD_CHARS] = {N_(
        "ID number: the first 17 characters must be digits, the 18th a digit or X")},
    [IDCARD_REGION] = {N_("ID number: the first two digits are not a known province code")},
    [IDCARD_PREFECTURE] = {N_("ID number: the first four digits are not a known prefecture code")},
    [IDCARD_BIRTH_INVALID] = {N_("ID number: the date of birth does not exist")},
    [IDCARD_BIRTH_TOO_EARLY] = {N_("ID number: the date of birth is before 1900")},
    [IDCARD_BIRTH_FUTURE] = {N_("ID number: the date of birth is in the future")},
    [IDCARD_CHECK] = {N_("ID number: check digit wrong")},
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

char idcard_check_char(const char *s)
{
	/* ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11. */
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char codes[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		if (!is_digit(s[i]))
			return '\0';
		sum += (s[i] - '0') * weights[i];
	}
	return codes[sum % 11];
}

const char *idcard_province_name(const char *s)
{
	if (s == NULL || !is_digit(s[0]) || !is_digit(s[1]))
		return NULL;
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
		if (provinces[i].code[0] == s[0] && provinces[i].code[1] == s[1])
			return provinces[i].name;
	}
	return NULL;
}

/*
 * The 1-based character position of the first character of s (18 code
 * points) that does not belong in a number, or 0 when all do.
 */
static int first_bad_char(const char *s)
{
	int pos = 0;

	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c & 0xC0) == 0x80)
			continue;
		pos++;
		if (is_digit(*p))
			continue;
		if (pos == IDCARD_LEN && (c == 'X' || c == 'x'))
			continue;
		return pos;
	}
	return 0;
}

/* Check the birth date in digits 7-14 of the normalised number n. */
static enum idcard_error check_birth(const char *n, const struct tb_date *today,
                                     struct tb_date *birth)
{
	static const struct tb_date earliest = {1900, 1, 1};
	char text[TB_DATE_LEN];
	struct tb_date now = today != NULL ? *today : tb_date_today_shanghai();

	snprintf(text, sizeof text, "%.4s-%.2s-%.2s", n + 6, n + 10, n + 12);
	if (tb_date_parse(text, birth) != 0)
		return IDCARD_BIRTH_INVALID;
	if (tb_date_cmp(*birth, earliest) < 0)
		return IDCARD_BIRTH_TOO_EARLY;
	if (tb_date_cmp(*birth, now) > 0)
		return IDCARD_BIRTH_FUTURE;
	return IDCARD_OK;
}

/* Check s into info; returns the first reason it fails, or IDCARD_OK. */
static enum idcard_error check(const char *s, const struct tb_date *today, struct idcard_info *info)
{
	enum idcard_error why;

	if (s == NULL || *s == '\0')
		return IDCARD_EMPTY;
	info->length = (int)utf8_count(s);
	if (info->length != IDCARD_LEN)
		return IDCARD_LENGTH;
	info->bad_pos = first_bad_char(s);
	if (info->bad_pos != 0)
		return IDCARD_CHARS;
	memcpy(info->number, s, IDCARD_LEN);
	info->number[IDCARD_LEN] = '\0';
	if (info->number[17] == 'x')
		info->number[17] = 'X';
	memcpy(info->region, info->number, 6);
	info->region[6] = '\0';
	if (idcard_province_name(info->number) == NULL)
		return IDCARD_REGION;
	why = check_birth(info->number, today, &info->birth);
	if (why != IDCARD_OK)
		return why;
	info->is_male = (info->number[16] - '0') % 2 == 1;
	info->expected_check = idcard_check_char(info->number);
	if (info->number[17] != info->expected_check)
		return IDCARD_CHECK;
	return IDCARD_OK;
}

/* Whether the table, when it lists s's province completely, knows its prefecture. */
static bool prefecture_known(const struct region_table *t, const char *s);

int idcard_check(const char *s, const struct tb_date *today, struct idcard_info *out,
                 enum idcard_error *why)
{
	return idcard_check_regions(s, today, NULL, out, why);
}

int idcard_check_regions(const char *s, const struct tb_date *today,
                         const struct region_table *regions, struct idcard_info *out,
                         enum idcard_error *why)
{
	struct idcard_info info;
	enum idcard_error w;

	memset(&info, 0, sizeof info);
	w = check(s, today, &info);
	/* The prefecture is checked after the province, before the birth date,
	 * as the enum orders the reasons. */
	if ((w == IDCARD_OK || w > IDCARD_PREFECTURE) && regions != NULL &&
	    !prefecture_known(regions, info.number))
		w = IDCARD_PREFECTURE;
	if (out != NULL)
		*out = info;
	if (why != NULL)
		*why = w;
	return w == IDCARD_OK ? 0 : -1;
}

const char *idcard_error_text(enum idcard_error why, bool chinese)
{
	if ((unsigned)why >= sizeof messages / sizeof messages[0])
		return L("ID number is invalid");
	return chinese ? _(messages[why].en) : messages[why].en;
}

char *idcard_explain(enum idcard_error why, const struct idcard_info *info, bool chinese, char *buf,
                     size_t n)
{
	const char *text = idcard_error_text(why, chinese);

	if (n == 0)
		return buf;
	if (info == NULL) {
		snprintf(buf, n, "%s", text);
		return buf;
	}
	switch (why) {
	case IDCARD_LENGTH:
		snprintf(buf, n, L("%s, this one has %d"), text, info->length);
		break;
	case IDCARD_CHARS:
		snprintf(buf, n, L("%s (character %d is wrong)"), text, info->bad_pos);
		break;
	case IDCARD_BIRTH_INVALID:
	case IDCARD_BIRTH_FUTURE:
	case IDCARD_BIRTH_TOO_EARLY:
		snprintf(buf, n, L("%s (%.4s-%.2s-%.2s)"), text, info->number + 6,
		         info->number + 10, info->number + 12);
		break;
	case IDCARD_REGION:
		snprintf(buf, n, L("%s (%.2s)"), text, info->number);
		break;
	case IDCARD_PREFECTURE:
		snprintf(buf, n, L("%s (%.4s, %s)"), text, info->number,
		         idcard_province_name(info->number));
		break;
	case IDCARD_CHECK:
		snprintf(buf, n, L("%s, should be %c"), text, info->expected_check);
		break;
	default:
		snprintf(buf, n, "%s", text);
		break;
	}
	return buf;
}

char *idcard_mask(const char *s)
{
	int total, pos = 0;
	struct buf b;

	if (s == NULL)
		return NULL;
	total = (int)utf8_count(s);
	buf_init(&b);
	for (const char *p = s; *p != '\0';) {
		const char *start = p++;

		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		if (total > 8 && (pos < 4 || pos >= total - 4))
			buf_add(&b, start, (size_t)(p - start));
		else
			buf_adds(&b, "*");
		pos++;
	}
	return buf_take(&b);
}

/* ---- the region table ---- */

#define REGION_MAX_FILE (1024 * 1024)

enum { REGION_COMPLETE = 1, REGION_HISTORIC = 2 };

struct region {
	char code[7];
	char *name;
	unsigned flags;
};

struct region_table {
	struct region *v;
	size_t n, cap;
};

void region_free(struct region_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	free(t);
}

size_t region_count(const struct region_table *t)
{
	return t != NULL ? t->n : 0;
}

static const struct region *region_find(const struct region_table *t, const char *code6)
{
	if (t == NULL || code6 == NULL)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (strncmp(t->v[i].code, code6, 6) == 0)
			return &t->v[i];
	return NULL;
}

const char *region_name(const struct region_table *t, const char *code6)
{
	const struct region *r = region_find(t, code6);

	return r != NULL ? r->name : NULL;
}

/* The code of s's province ("NN0000") or prefecture ("NNNN00"). */
static void level_code(const char *s, int digits, char code[7])
{
	snprintf(code, 7, "%.*s%.*s", digits, s, 6 - digits, "000000");
}

char *region_describe(const struct region_table *t, const char *s, char *buf, size_t n)
{
	char pcode[7], ccode[7];
	const struct region *prov, *pref;

	if (n == 0)
		return NULL;
	buf[0] = '\0';
	if (s == NULL || strlen(s) < 4)
		return NULL;
	level_code(s, 2, pcode);
	level_code(s, 4, ccode);
	prov = region_find(t, pcode);
	pref = strcmp(pcode, ccode) != 0 ? region_find(t, ccode) : NULL;
	if (prov == NULL)
		return NULL;
	/* 市辖区 and 县 of a municipality say nothing a clerk needs. */
	if (pref != NULL && strcmp(pref->name, "市辖区") != 0 && strcmp(pref->name, "县") != 0 &&
	    strcmp(pref->name, "市") != 0)
		snprintf(buf, n, "%s%s", prov->name, pref->name);
	else
		snprintf(buf, n, "%s", prov->name);
	return buf;
}

static bool prefecture_known(const struct region_table *t, const char *s)
{
	char pcode[7], ccode[7];
	const struct region *prov;

	if (strlen(s) < 4)
		return true;
	level_code(s, 2, pcode);
	level_code(s, 4, ccode);
	prov = region_find(t, pcode);
	if (prov == NULL || !(prov->flags & REGION_COMPLETE))
		return true;
	return strcmp(pcode, ccode) != 0 && region_find(t, ccode) != NULL;
}

/* Check one line's fields into r.  Returns NULL, or what is wrong with it. */
static const char *region_fields(char **f, int nf, struct region *r)
{
	bool province;

	if (nf < 2 || nf > 3)
		return "expected code<TAB>name[<TAB>flag]";
	if (strlen(f[0]) != 6 || strspn(f[0], "0123456789") != 6)
		return "the code must have six digits";
	if (strcmp(f[0] + 4, "00") != 0 || strncmp(f[0], "00", 2) == 0)
		return "only province (NN0000) and prefecture (NNNN00) codes belong here";
	if (f[1][0] == '\0')
		return "the name is empty";
	province = strcmp(f[0] + 2, "0000") == 0;
	r->flags = 0;
	if (nf == 3 && strcmp(f[2], "complete") == 0 && province)
		r->flags = REGION_COMPLETE;
	else if (nf == 3 && strcmp(f[2], "historic") == 0 && !province)
		r->flags = REGION_HISTORIC;
	else if (nf == 3)
		return province ? "the flag of a province may only be \"complete\""
		                : "the flag of a prefecture may only be \"historic\"";
	memcpy(r->code, f[0], 7);
	return NULL;
}

/* Split line (modified) at tabs into at most 4 fields.  Returns the count. */
static int split_tabs(char *line, char **f)
{
	int nf = 0;

	f[nf++] = line;
	for (char *p = line; *p != '\0'; p++)
		if (*p == '\t') {
			*p = '\0';
			if (nf == 4)
				return 5;
			f[nf++] = p + 1;
		}
	return nf;
}

/* Add one non-comment line.  Returns 0, or -1 with e filled. */
static int region_add_line(struct region_table *t, char *line, const char *file, int lineno,
                           struct err *e)
{
	char *f[4];
	struct region r;
	int nf = split_tabs(line, f);
	const char *bad = region_fields(f, nf, &r);

	if (bad == NULL && region_find(t, r.code) != NULL)
		bad = "the code appears twice";
	if (bad != NULL) {
		err_set(e, "%s:%d: %s", file, lineno, bad);
		return -1;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	r.name = xstrdup(f[1]);
	t->v[t->n++] = r;
	return 0;
}

/* Every prefecture's province must be in the table. */
static int region_check_provinces(const struct region_table *t, const char *file, struct err *e)
{
	char pcode[7];

	for (size_t i = 0; i < t->n; i++) {
		level_code(t->v[i].code, 2, pcode);
		if (region_find(t, pcode) == NULL) {
			err_set(e, "%s: %s: no province %s", file, t->v[i].code, pcode);
			return -1;
		}
	}
	return 0;
}

struct region_table *region_parse(const char *text, size_t len, const char *file, struct err *e)
{
	struct region_table *t = xcalloc(1, sizeof *t);
	char *copy = xstrndup(text, len), *line = copy, *next;
	int lineno = 0, rc = 0;

	for (; rc == 0 && line != NULL; line = next) {
		size_t l;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		l = strlen(line);
		if (l > 0 && line[l - 1] == '\r')
			line[l - 1] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		rc = region_add_line(t, line, file, lineno, e);
	}
	free(copy);
	if (rc == 0 && t->n == 0) {
		err_set(e, "%s: no region codes", file);
		rc = -1;
	}
	if (rc == 0)
		rc = region_check_provinces(t, file, e);
	if (rc != 0) {
		region_free(t);
		return NULL;
	}
	return t;
}

struct region_table *region_load(const char *path, struct err *e)
{
	size_t len;
	char *text = file_read_all(path, &len, REGION_MAX_FILE, e);
	struct region_table *t;

	if (text == NULL)
		return NULL;
	t = region_parse(text, len, path, e);
	free(text);
	return t;
}

char *name_mask(const char *s)
{
	size_t len, i = 0, k = 0;
	char *out;
	bool first = true;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	out = xmalloc(len + 1);
	while (i < len) {
		uint32_t cp;
		size_t step = utf8_decode(s + i, len - i, &cp);

		if (first || cp == 0xB7 || cp == 0x30FB || cp == 0x2022) {
			memcpy(out + k, s + i, step);
			k += step;
		} else {
			out[k++] = '*';
		}
		first = false;
		i += step;
	}
	out[k] = '\0';
	return out;
}
