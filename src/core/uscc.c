#include "core/uscc.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

/* Messages in the language asked for: Chinese through the catalogue. */
#define L(en) (chinese ? _(en) : (en))

/* The 31 characters of GB 32100-2015 in the order of their values 0..30. */
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* 登记管理部门代码, GB 32100-2015 table 1 and its amendments (A, N). */
static const struct {
	char code;
	const char *name;
} depts[] = {
    {'1', "机构编制"}, {'2', "外交"},
    {'3', "司法行政"}, {'4', "文化"},
    {'5', "民政"},     {'6', "旅游"},
    {'7', "宗教"},     {'8', "工会"},
    {'9', "工商"},     {'A', "中央军委改革和编制办公室"},
    {'N', "农业"},     {'Y', "其他"},
};

static const struct {
	const char *en;
} messages[] = {
    [USCC_OK] = {N_("credit code is valid")},
    [USCC_EMPTY] = {N_("credit code is empty")},
    [USCC_LENGTH] = {N_("credit code must have 18 characters")},
    [USCC_CHARS] = {N_("credit code may contain only digits and letters other than I, O, S, V, Z")},
    [USCC_DEPT] = {N_("credit code: the first character is not a registration department code")},
    [USCC_REGION] = {N_("credit code: characters 3-8 must be a division code (digits)")},
    [USCC_CHECK] = {N_("credit code: check character wrong")},
};

/* The value 0..30 of character c (either case), or -1 outside the alphabet. */
static int char_value(char c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == '\0')
		return -1;
	p = strchr(alphabet, c);
	return p != NULL ? (int)(p - alphabet) : -1;
}

char uscc_check_char(const char *s)
{
	int sum = 0, c;

	for (int i = 0; i < 17; i++) {
		int v = char_value(s[i]);

		if (v < 0)
			return '\0';
		sum += v * weights[i];
	}
	c = 31 - sum % 31;
	return alphabet[c == 31 ? 0 : c];
}

const char *uscc_dept_name(char c)
{
	for (size_t i = 0; i < sizeof depts / sizeof depts[0]; i++) {
		if (depts[i].code == c)
			return depts[i].name;
	}
	return NULL;
}

/* Characters (UTF-8 code points) in s. */
static int utf8_count(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	}
	return n;
}

/* The 1-based position of the first character outside the alphabet, or 0. */
static int first_bad_char(const char *s)
{
	int pos = 0;

	for (const char *p = s; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;
		pos++;
		if (char_value(*p) < 0)
			return pos;
	}
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* Check s into info; returns the first reason it fails, or USCC_OK. */
static enum uscc_error check(const char *s, struct uscc_info *info)
{
	if (s == NULL || *s == '\0')
		return USCC_EMPTY;
	info->length = utf8_count(s);
	if (info->length != USCC_LEN)
		return USCC_LENGTH;
	info->bad_pos = first_bad_char(s);
	if (info->bad_pos != 0)
		return USCC_CHARS;
	for (int i = 0; i < USCC_LEN; i++)
		info->code[i] = alphabet[char_value(s[i])];
	info->code[USCC_LEN] = '\0';
	info->dept = info->code[0];
	info->kind = info->code[1];
	memcpy(info->region, info->code + 2, 6);
	memcpy(info->org_code, info->code + 8, 9);
	if (uscc_dept_name(info->dept) == NULL)
		return USCC_DEPT;
	if (!all_digits(info->region, 6))
		return USCC_REGION;
	info->expected_check = uscc_check_char(info->code);
	if (info->code[17] != info->expected_check)
		return USCC_CHECK;
	return USCC_OK;
}

int uscc_check(const char *s, struct uscc_info *out, enum uscc_error *why)
{
	struct uscc_info info;
	enum uscc_error w;

	memset(&info, 0, sizeof info);
	w = check(s, &info);
	if (out != NULL)
		*out = info;
	if (why != NULL)
		*why = w;
	return w == USCC_OK ? 0 : -1;
}

const char *uscc_error_text(enum uscc_error why, bool chinese)
{
	if ((unsigned)why >= sizeof messages / sizeof messages[0])
		return L("credit code is invalid");
	return chinese ? _(messages[why].en) : messages[why].en;
}

char *uscc_explain(enum uscc_error why, const struct uscc_info *info, bool chinese, char *buf,
                   size_t n)
{
	const char *text = uscc_error_text(why, chinese);

	if (n == 0)
		return buf;
	if (info == NULL) {
		snprintf(buf, n, "%s", text);
		return buf;
	}
	switch (why) {
	case USCC_LENGTH:
		snprintf(buf, n, L("%s, this one has %d"), text, info->length);
		break;
	case USCC_CHARS:
		snprintf(buf, n, L("%s (character %d is wrong)"), text, info->bad_pos);
		break;
	case USCC_DEPT:
		snprintf(buf, n, L("%s ('%c')"), text, info->dept);
		break;
	case USCC_CHECK:
		snprintf(buf, n, L("%s, should be %c"), text, info->expected_check);
		break;
	default:
		snprintf(buf, n, "%s", text);
		break;
	}
	return buf;
}
