/* cmd_sync.c - tongban sync: push the outbox once, for cron and scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "store/store.h"
#include "sync/sync.h"

static void print_progress(const struct sync_progress *p, void *arg)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr,
		        T("\r已上传批次 %d：新增 %d，重复 %d，问题 %d",
		          "\rbatch %d: applied %d, duplicate %d, problem %d"),
		        p->batches, p->applied, p->duplicates, p->problems);
}

int cmd_sync(const struct cli_options *o, int argc, char **argv)
{
	struct err e = {""};
	struct store *st = store_open(o->db, &e);
	char token[128] = "";
	struct sync_progress p;
	enum sync_result r;

	if (argc > 1)
		return cli_no_args(argv);

	if (st == NULL) {
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
	r = sync_push(st, o->server, token, 100, &p, print_progress, NULL, &e);
	if (isatty(STDERR_FILENO) && p.batches)
		fputc('\n', stderr);
	store_close(st);
	printf(T("同步：新增 %d，重复 %d，问题 %d，待上传 %d\n",
	         "sync: applied %d, duplicate %d, problem %d, waiting %d\n"),
	       p.applied, p.duplicates, p.problems, p.remaining);
	switch (r) {
	case SYNC_OK:
		return p.remaining == 0 && p.problems == 0 ? 0 : 1;
	case SYNC_OFFLINE:
		fprintf(stderr,
		        T("tongban：服务器连不上（%s），事件留在本机待下次上传\n",
		          "tongban: server unreachable (%s); events stay here for next time\n"),
		        e.msg);
		return 1;
	case SYNC_DENIED:
		fprintf(stderr, "tongban: %s\n",
		        T("服务器会话已过期：请在 tongban 中重新登录",
		          "the server session expired: log in again in tongban"));
		return 2;
	case SYNC_BUSY:
		fprintf(stderr, "tongban: %s (%s)\n",
		        T("服务器繁忙，稍后再试", "server busy, try again later"), e.msg);
		return 1;
	case SYNC_TOO_OLD:
		fprintf(stderr, "tongban: %s\n",
		        T("服务器要求升级客户端", "the server requires a newer client"));
		return 2;
	default:
		fprintf(stderr, "tongban: %s\n", e.msg);
		return 2;
	}
}
