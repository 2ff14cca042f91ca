/* cmd_sync.c - tongban sync: push the outbox, pull the changes and download
 * a new catalogue or calendar, once, for cron and scripts.  Exit 0 when all is sent, 1 when work
 * remains (the server is unreachable or busy, or events are quarantined), 2 on error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "core/i18n.h"
#include "store/store.h"
#include "sync/ecert.h"
#include "sync/sync.h"
#include "sync/updates.h"

#define SYNC_BATCH      100
#define SYNC_PULL_LIMIT 500

/* After each batch pushed: the events answered of those waiting at the start. */
static void print_push_progress(const struct sync_progress *p, void *arg)
{
	char detail[128];

	snprintf(detail, sizeof detail,
	         T("新增 %d，重复 %d，问题 %d", "applied %d, duplicate %d, problem %d"), p->applied,
	         p->duplicates, p->problems);
	progress_set(arg, p->applied + p->duplicates + p->problems, detail);
}

/* After each page of changes: how many, of a total nobody knows in advance. */
static void print_pull_progress(const struct sync_progress *p, void *arg)
{
	char detail[64];

	snprintf(detail, sizeof detail, T("审批决定 %d", "decisions %d"), p->decisions);
	progress_set(arg, p->changes, detail);
}

/* Exit status and message for a push or pull that stopped on res. */
static int report_failure(enum sync_result res, const struct err *e)
{
	switch (res) {
	case SYNC_OFFLINE:
		fprintf(stderr,
		        T("tongban：服务器连不上（%s），事件留在本机待下次上传\n",
		          "tongban: server unreachable (%s); events stay here for next time\n"),
		        e->msg);
		return 1;
	case SYNC_DENIED:
		fprintf(stderr, "tongban: %s\n",
		        T("服务器会话已过期：请在 tongban 中重新登录",
		          "the server session expired: log in again in tongban"));
		return 2;
	case SYNC_BUSY:
		fprintf(stderr, "tongban: %s (%s)\n",
		        T("服务器繁忙，稍后再试", "server busy, try again later"), e->msg);
		return 1;
	case SYNC_TOO_OLD:
		fprintf(stderr, "tongban: %s\n",
		        T("服务器要求升级客户端", "the server requires a newer client"));
		return 2;
	default:
		fprintf(stderr, "tongban: %s\n", e->msg);
		return 2;
	}
}

static void print_summary(const struct sync_progress *p, int pulled)
{
	printf(T("同步：新增 %d，重复 %d，问题 %d，待上传 %d\n",
	         "sync: applied %d, duplicate %d, problem %d, waiting %d\n"),
	       p->applied, p->duplicates, p->problems, p->remaining);
	if (p->held > 0)
		printf(T("%d 位工作人员（如 %s）的事件等其本人下次登录后上传\n",
		         "the events of %d clerk(s) (e.g. %s) wait for their own next login\n"),
		       p->held, p->held_clerk);
	if (pulled)
		printf(T("变更：%d 条，审批决定 %d，本机没有的案件 %d，目录或日历更新 %d\n",
		         "changes: %d, decisions %d, unknown cases %d, catalogue or calendar "
		         "updates %d\n"),
		       p->changes, p->decisions, p->unknown_cases, p->updates);
	if (p->drift_known && (p->clock_drift > 120 || p->clock_drift < -120))
		printf(T("注意：本机时钟与服务器相差 %lld 秒\n",
		         "note: this machine's clock is %lld s off the server's\n"),
		       -p->clock_drift);
}

/* The catalogue and calendar downloaded this round, or why not. */
static void print_updates(const struct update_report *u)
{
	if (u->catalogue_new)
		printf(T("事项目录：已下载版本 %s，下次启动或办完当前案件后启用\n",
		         "catalogue: downloaded version %s, used between cases\n"),
		       u->catalogue_version);
	if (u->calendar_new)
		printf(T("工作日历：已下载版本 %s，下次启动或办完当前案件后启用\n",
		         "calendar: downloaded version %s, used between cases\n"),
		       u->calendar_version);
}

int cmd_sync(const struct cli_options *o, int argc, char **argv)
{
	struct err e = {0};
	struct store *st;
	char token[128] = "";
	struct sync_progress p;
	struct update_report u;
	struct outbox_counts c = {0, 0, 0};
	struct progress bar;
	enum sync_result r;
	int pulled;

	if (argc > 1)
		return cli_no_args(argv);
	if ((st = store_open(o->db, &e)) == NULL) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return 2;
	}
	if (store_session_get(st, NULL, token, NULL, &e) <= 0 || token[0] == '\0') {
		fprintf(stderr, "tongban: %s\n",
		        T("本机还没有登录过服务器：请先在 tongban 中登录一次",
		          "no server session on this machine: log in once in tongban first"));
		store_close(st);
		return 2;
	}
	store_outbox_counts(st, &c, NULL);
	progress_begin(&bar, stderr, T("上传", "push"), c.waiting);
	r = sync_push_sessions(st, o->server, SYNC_BATCH, &p, print_push_progress, &bar, &e);
	progress_end(&bar);
	if (r == SYNC_OK) {
		struct err ae = {0};
		int sent = 0;

		if (sync_push_audit(st, o->server, token, &sent, &ae) != SYNC_OK)
			fprintf(stderr,
			        T("tongban：审计记录未能上传：%s\n",
			          "tongban: the audit rows were not sent: %s\n"),
			        ae.msg);
		progress_begin(&bar, stderr, T("下载变更", "changes"), 0);
		r = sync_pull(st, o->server, token, SYNC_PULL_LIMIT, &p, print_pull_progress, &bar,
		              &e);
		progress_end(&bar);
	}
	if (r == SYNC_OK) {
		struct err ce = {0};
		int checked = 0;

		/* the e-certificates the counter asked for while offline */
		if (sync_check_ecerts(st, o->server, token, &checked, &ce) != SYNC_OK)
			fprintf(stderr,
			        T("tongban：电子证照未能核验：%s\n",
			          "tongban: the e-certificates were not checked: %s\n"),
			        ce.msg);
		else if (checked > 0)
			fprintf(stderr,
			        T("tongban：已核验电子证照 %d 项\n",
			          "tongban: %d e-certificates checked\n"),
			        checked);
	}
	memset(&u, 0, sizeof u);
	pulled = r == SYNC_OK;
	if (pulled)
		r = sync_fetch_updates(st, o->server, token, &u, &e);
	store_outbox_counts(st, &c, NULL);
	store_close(st);
	print_summary(&p, pulled);
	print_updates(&u);
	if (r != SYNC_OK)
		return report_failure(r, &e);
	return c.waiting == 0 && c.problems == 0 ? 0 : 1;
}
