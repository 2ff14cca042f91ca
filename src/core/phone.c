#include "core/phone.h"

#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

/* Messages in the language asked for: Chinese through the catalogue. */
#define L(en) (chinese ? _(en) : (en))

static const struct {
	const char *en;
} messages[] = {
    [PHONE_OK] = {N_("phone number is valid")},
    [PHONE_EMPTY] = {N_("phone number is empty")},
    [PHONE_CHARS] = {N_("phone number may contain only digits and '-'")},
    [PHONE_PREFIX] = {N_("phone number must start with 1 (mobile) or 0 (area code)")},
    [PHONE_MOBILE_LENGTH] = {N_("mobile number must be 11 digits")},
    [PHONE_MOBILE_PREFIX] = {N_("mobile number: second digit must be 3-9")},
    [PHONE_AREA_CODE] = {N_("area code wrong: 010 and 020-029 have 3 digits, all others 4")},
    [PHONE_LOCAL_LENGTH] = {N_("landline number (without area code) must have 7 or 8 digits")},
    [PHONE_EXTENSION] = {N_("extension must be 1 to 6 digits after '-'")},
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the run of digits at s. */
static size_t digits_at(const char *s)
{
	size_t n = 0;

	while (is_digit(s[n]))
		n++;
	return n;
}

static enum phone_error check_mobile(const char *s, struct phone_info *info)
{
	if (strlen(s) != 11 || digits_at(s) != 11)
		return PHONE_MOBILE_LENGTH;
	if (s[1] < '3')
		return PHONE_MOBILE_PREFIX;
	info->kind = PHONE_MOBILE;
	memcpy(info->number, s, 11);
	info->number[11] = '\0';
	return PHONE_OK;
}

/* The extension after a '-' at s (s points past the '-'). */
static enum phone_error check_extension(const char *s, struct phone_info *info)
{
	size_t n = digits_at(s);

	if (n < 1 || n > 6 || s[n] != '\0')
		return PHONE_EXTENSION;
	memcpy(info->extension, s, n);
	info->extension[n] = '\0';
	return PHONE_OK;
}

static enum phone_error check_landline(const char *s, struct phone_info *info)
{
	/* The numbering plan fixes the area code's length by its second digit. */
	size_t area = (s[1] == '1' || s[1] == '2') ? 3 : 4;
	size_t run = digits_at(s), local;
	const char *p;

	if (s[1] == '0')
		return PHONE_AREA_CODE;
	/* A '-' after at most 4 digits ends a typed area code: it must fit the plan. */
	if (s[run] == '-' && run <= 4 && run != area)
		return PHONE_AREA_CODE;
	if (run < area)
		return PHONE_LOCAL_LENGTH;
	memcpy(info->area, s, area);
	info->area[area] = '\0';
	p = s + area;
	if (*p == '-')
		p++;
	local = digits_at(p);
	if (local < 7 || local > 8)
		return PHONE_LOCAL_LENGTH;
	memcpy(info->number, p, local);
	info->number[local] = '\0';
	p += local;
	info->kind = PHONE_LANDLINE;
	if (*p == '\0')
		return PHONE_OK;
	if (*p != '-')
		return PHONE_CHARS;
	return check_extension(p + 1, info);
}

static enum phone_error check(const char *s, struct phone_info *info)
{
	if (s == NULL || *s == '\0')
		return PHONE_EMPTY;
	for (const char *p = s; *p != '\0'; p++) {
		if (!is_digit(*p) && *p != '-')
			return PHONE_CHARS;
	}
	if (s[0] == '1')
		return check_mobile(s, info);
	if (s[0] == '0')
		return check_landline(s, info);
	return PHONE_PREFIX;
}

int phone_check(const char *s, struct phone_info *out, enum phone_error *why)
{
	struct phone_info info;
	enum phone_error w;

	memset(&info, 0, sizeof info);
	w = check(s, &info);
	if (out != NULL && w == PHONE_OK)
		*out = info;
	if (why != NULL)
		*why = w;
	return w == PHONE_OK ? 0 : -1;
}

const char *phone_error_text(enum phone_error why, bool chinese)
{
	if ((unsigned)why >= sizeof messages / sizeof messages[0])
		return L("phone number is invalid");
	return chinese ? _(messages[why].en) : messages[why].en;
}

/* A landline as typed: the area code's digits and the last 4 of the local
 * number kept, every other digit masked, the '-' kept. */
static char *mask_landline(const char *s, const struct phone_info *info)
{
	size_t area = strlen(info->area), local = strlen(info->number), digit = 0;
	char *out = xstrdup(s);

	for (char *p = out; *p != '\0'; p++) {
		if (!is_digit(*p))
			continue;
		if (digit >= area && !(digit >= area + local - 4 && digit < area + local))
			*p = '*';
		digit++;
	}
	return out;
}

/* Every character but the last 4 masked; all of them when 7 or fewer. */
static char *mask_other(const char *s)
{
	size_t total = utf8_count(s), pos = 0;
	struct buf b;

	buf_init(&b);
	for (const char *p = s; *p != '\0'; pos++) {
		const char *start = p++;

		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		if (total > 7 && pos >= total - 4)
			buf_add(&b, start, (size_t)(p - start));
		else
			buf_adds(&b, "*");
	}
	return buf_take(&b);
}

char *phone_mask(const char *s)
{
	struct phone_info info;
	char *out;

	if (s == NULL)
		return NULL;
	if (phone_check(s, &info, NULL) != 0)
		return mask_other(s);
	if (info.kind == PHONE_LANDLINE)
		return mask_landline(s, &info);
	out = xstrdup(s);
	memset(out + 3, '*', 4);
	return out;
}
