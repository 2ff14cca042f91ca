#include "core/date.h"

bool tb_date_is_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tb_date_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && tb_date_is_leap_year(y))
		return 29;
	return days[m - 1];
}

bool tb_date_is_valid(struct tb_date d)
{
	if (d.y < 1 || d.y > 9999)
		return false;
	return d.d >= 1 && d.d <= tb_date_days_in_month(d.y, d.m);
}

/* The value of n ASCII digits at s, or -1 if any of them is not a digit. */
static int parse_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int tb_date_parse(const char *s, struct tb_date *out)
{
	struct tb_date d;

	if (s == NULL)
		return -1;
	/* Check the separators first so the digit scans never read past a NUL. */
	for (int i = 0; i < 10; i++) {
		if (s[i] == '\0')
			return -1;
	}
	if (s[4] != '-' || s[7] != '-' || s[10] != '\0')
		return -1;
	d.y = parse_digits(s, 4);
	d.m = parse_digits(s + 5, 2);
	d.d = parse_digits(s + 8, 2);
	if (d.y < 0 || d.m < 0 || d.d < 0 || !tb_date_is_valid(d))
		return -1;
	*out = d;
	return 0;
}

char *tb_date_format(struct tb_date d, char buf[TB_DATE_LEN])
{
	int y = d.y, m = d.m, day = d.d;

	/* Clamp so the output always fits, even for a garbage date. */
	if (y < 0 || y > 9999)
		y = 0;
	if (m < 0 || m > 99)
		m = 0;
	if (day < 0 || day > 99)
		day = 0;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + day / 10);
	buf[9] = (char)('0' + day % 10);
	buf[10] = '\0';
	return buf;
}

/*
 * Days from civil and back: Howard Hinnant's algorithms
 * (http://howardhinnant.github.io/date_algorithms.html), exact for the whole
 * proleptic Gregorian calendar, with eras of 400 years.
 */
long tb_date_to_days(struct tb_date d)
{
	long y = d.y - (d.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (d.m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct tb_date tb_date_from_days(long days)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct tb_date d;

	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

int tb_date_weekday(struct tb_date d)
{
	long days = tb_date_to_days(d);

	/* 1970-01-01 was a Thursday. */
	return (int)(((days + 4) % 7 + 7) % 7);
}

bool tb_date_is_weekend(struct tb_date d)
{
	int wd = tb_date_weekday(d);

	return wd == 0 || wd == 6;
}

struct tb_date tb_date_add_days(struct tb_date d, int n)
{
	return tb_date_from_days(tb_date_to_days(d) + n);
}

long tb_date_diff_days(struct tb_date a, struct tb_date b)
{
	return tb_date_to_days(b) - tb_date_to_days(a);
}

int tb_date_cmp(struct tb_date a, struct tb_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

struct tb_date tb_date_from_time_shanghai(time_t t)
{
	long long secs = (long long)t + TB_SHANGHAI_OFFSET;
	long long days = secs / 86400;

	/* Floor division: an instant before 1970 belongs to the earlier day. */
	if (secs % 86400 < 0)
		days--;
	return tb_date_from_days((long)days);
}

struct tb_date tb_date_today_shanghai(void)
{
	return tb_date_from_time_shanghai(time(NULL));
}
