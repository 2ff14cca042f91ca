/* tests/unit/test_event.c - identifiers, case numbers, times and the printer. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/event.h"
#include "core/i18n.h"
#include "core/printer.h"
#include "tbcheck.h"

START_TEST(uuids_are_version_4_and_distinct)
{
	char a[UUID_LEN + 1], b[UUID_LEN + 1];

	uuid_make(a);
	uuid_make(b);
	ck_assert(uuid_is_valid(a));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(a[14], '4');
	ck_assert(!uuid_is_valid("not-a-uuid"));
	ck_assert(!uuid_is_valid("0123456789ABCDEF0123456789abcdef0123"));
}
END_TEST

START_TEST(case_numbers_never_collide_between_windows_or_terminals)
{
	char a[64], b[64], c[64], d[64], t[64];

	case_no_make(a, sizeof a, "H001", "3", "T01", "20261125", 7);
	case_no_make(b, sizeof b, "H001", "03", "T01", "20261125", 7);
	case_no_make(c, sizeof c, "H001", "3A", "T01", "20261125", 7);
	case_no_make(d, sizeof d, "H001", "3B", "T01", "20261125", 7);
	case_no_make(t, sizeof t, "H001", "3", "T02", "20261125", 7);
	ck_assert_str_eq(a, "H001-03-T01-20261125-0007");
	ck_assert_str_eq(b, "H001-03-T01-20261125-0007"); /* "3" and "03" are the same window */
	ck_assert_str_eq(c, "H001-3A-T01-20261125-0007");
	ck_assert_str_ne(c, d);
	/* the same clerk at the same window on another PC */
	ck_assert_str_eq(t, "H001-03-T02-20261125-0007");
}
END_TEST

START_TEST(iso_times_read_back_with_their_offset)
{
	ck_assert(time_from_iso("1970-01-01T08:00:00+08:00") == 0);
	ck_assert(time_from_iso("2026-11-25T10:01:02+08:00") == 1795572062);
	ck_assert(time_from_iso("2026-11-25T02:01:02Z") == 1795572062);
	ck_assert(time_from_iso("2026-11-25T02:01:02.250Z") == 1795572062);
	ck_assert(time_from_iso("2026-11-24T21:01:02-05:00") == 1795572062);
	ck_assert(time_from_iso("2026-02-30T00:00:00Z") == 0); /* no such day */
	ck_assert(time_from_iso("2026-11-25 10:01:02") == 0);
	ck_assert(time_from_iso(NULL) == 0);
}
END_TEST

START_TEST(times_are_the_halls_local_time)
{
	char out[32];

	time_iso_shanghai(0, out);
	ck_assert_str_eq(out, "1970-01-01T08:00:00+08:00");
	time_iso_shanghai(1764086400, out); /* 2025-11-25T16:00:00Z */
	ck_assert_str_eq(out, "2025-11-26T00:00:00+08:00");
}
END_TEST

START_TEST(an_event_is_one_json_object_with_its_payload)
{
	struct case_event ev = {.seq = 2,
	                        .type = "accepted",
	                        .hall = "H001",
	                        .window = "3",
	                        .clerk = "demo",
	                        .payload_json = "{\"promised_date\":\"2026-12-01\"}"};
	char *json;

	strcpy(ev.uuid, "11111111-1111-4111-8111-111111111111");
	strcpy(ev.case_id, "22222222-2222-4222-8222-222222222222");
	strcpy(ev.client_time, "2026-11-25T10:00:00+08:00");
	json = event_to_json(&ev);
	ck_assert_ptr_nonnull(json);
	ck_assert_msg(strstr(json, "\"seq\":2") && strstr(json, "\"promised_date\":\"2026-12-01\""),
	              "%s", json);
	free(json);
	ev.payload_json = "[1,2]";
	ck_assert_ptr_null(event_to_json(&ev));
}
END_TEST

START_TEST(printing_reports_a_missing_command_and_a_failure)
{
	char dir[] = "/tmp/tongban-print-test-XXXXXX", cmd[256], path[128], got[64] = "";
	struct err e = {0};
	FILE *f;

	i18n_set_chinese(true);
	signal(SIGPIPE, SIG_IGN);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.txt", dir);
	snprintf(cmd, sizeof cmd, "cat > '%s'", path);
	ck_assert_int_eq(print_text(cmd, "受理通知书\n", &e), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(got, sizeof got, f));
	fclose(f);
	ck_assert_str_eq(got, "受理通知书\n");
	ck_assert_int_eq(print_text("no-such-printer-command", "x", &e), -1);
	ck_assert_msg(strstr(e.msg, "找不到打印命令") != NULL, "%s", e.msg);
	ck_assert_int_eq(print_text("echo 打印机缺纸 >&2; exit 3", "x", &e), -1);
	ck_assert_msg(strstr(e.msg, "打印机缺纸") != NULL, "%s", e.msg);
	/* a command that never reads its input must not kill the caller */
	ck_assert_int_eq(print_text("true", "很长的通知书\n很长的通知书\n", &e), 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("event");

	tcase_add_test(tc, uuids_are_version_4_and_distinct);
	tcase_add_test(tc, case_numbers_never_collide_between_windows_or_terminals);
	tcase_add_test(tc, iso_times_read_back_with_their_offset);
	tcase_add_test(tc, times_are_the_halls_local_time);
	tcase_add_test(tc, an_event_is_one_json_object_with_its_payload);
	tcase_add_test(tc, printing_reports_a_missing_command_and_a_failure);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
