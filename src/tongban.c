/*
 * tongban - the clerk's program: the TUI, and subcommands for scripts.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/catalogue.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "store/store.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tui/app.h"

#define DEFAULT_SERVER "http://127.0.0.1:8780"

struct options {
	char *db;
	const char *server;
	char *data_root;
};

static void usage(FILE *f)
{
	fputs(T("用法：tongban [选项] [命令]\n"
		"\n"
		"不带命令时打开窗口收件界面（终端界面）。\n"
		"\n"
		"命令：\n"
		"  sync     把本机待同步的事件上传到服务器（一次）；\n"
		"           退出码 0 全部已上传，1 仍有待上传或有问题的事件，2 出错\n"
		"  init     创建或升级本机数据库\n"
		"  check    检查目录、表单等数据文件，报告错误\n"
		"\n"
		"选项：\n"
		"  --db PATH        本机数据库（默认 $TONGBAN_DB，\n"
		"                   否则 ~/.local/share/tongban/tongban.db）\n"
		"  --server URL     服务器地址（默认 $TONGBAN_SERVER，否则 " DEFAULT_SERVER ")\n"
		"  --data DIR       含 data/ 与 forms/ 的目录（默认 $TONGBAN_DATA，\n"
		"                   否则源码目录或安装目录）\n"
		"  -h, --help       显示本说明\n"
		"  -V, --version    显示版本\n",
		"Usage: tongban [options] [command]\n"
		"\n"
		"Without a command, opens the intake TUI.\n"
		"\n"
		"Commands:\n"
		"  sync     push this machine's waiting events to the server once;\n"
		"           exit 0 all sent, 1 events still waiting or in problem, 2 error\n"
		"  init     create or upgrade the local database\n"
		"  check    validate the catalogue and form files and report errors\n"
		"\n"
		"Options:\n"
		"  --db PATH        local database (default $TONGBAN_DB, else\n"
		"                   ~/.local/share/tongban/tongban.db)\n"
		"  --server URL     server (default $TONGBAN_SERVER, else " DEFAULT_SERVER ")\n"
		"  --data DIR       folder holding data/ and forms/ (default $TONGBAN_DATA,\n"
		"                   else the source tree or the installed folder)\n"
		"  -h, --help       show this help\n"
		"  -V, --version    show the version\n"),
	      f);
}

/* Chinese text needs a UTF-8 character type even when LANG=C. */
static void setup_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 && setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	i18n_init();
}

static int cmd_init(struct options *o)
{
	struct err e = {""};
	struct store *st = store_open(o->db, &e);

	if (st == NULL) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return 2;
	}
	store_close(st);
	printf(T("本机数据库已就绪：%s\n", "local database ready: %s\n"), o->db);
	return 0;
}

static void print_progress(const struct sync_progress *p, void *arg)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, T("\r已上传批次 %d：新增 %d，重复 %d，问题 %d", 
				  "\rbatch %d: applied %d, duplicate %d, problem %d"),
			p->batches, p->applied, p->duplicates, p->problems);
}

static int cmd_sync(struct options *o)
{
	struct err e = {""};
	struct store *st = store_open(o->db, &e);
	char token[128] = "";
	struct sync_progress p;
	enum sync_result r;

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
		fprintf(stderr, T("tongban：服务器连不上（%s），事件留在本机待下次上传\n",
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

static int cmd_check(struct options *o)
{
	char *cat = paths_join(o->data_root, "data/catalogue.json");
	char *py = paths_join(o->data_root, "data/pinyin.tsv");
	char *form = paths_join(o->data_root, "forms/intake.json");
	struct err e = {""};
	struct catalogue *c = catalogue_load(cat, py, &e);
	struct form *f;
	int bad = 0;

	if (c == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		bad++;
	} else {
		printf(T("%s：%zu 个事项，正确\n", "%s: %zu items, ok\n"), cat, c->n_items);
	}
	f = form_load(form, &e);
	if (f == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		bad++;
	} else {
		printf(T("%s：%zu 个字段，正确\n", "%s: %zu fields, ok\n"), form, f->n_fields);
	}
	catalogue_free(c);
	form_free(f);
	free(cat);
	free(py);
	free(form);
	return bad ? 1 : 0;
}

static int cmd_tui(struct options *o)
{
	struct app app;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "tongban: %s\n",
			T("界面需要在终端中运行；脚本请用 tongban sync 等命令",
			  "the TUI needs a terminal; scripts use commands such as tongban sync"));
		return 2;
	}
	if (login_init() < 0) {
		fprintf(stderr, "tongban: libsodium init failed\n");
		return 2;
	}
	memset(&app, 0, sizeof app);
	app.db_path = o->db;
	app.server = o->server;
	app.data_root = o->data_root;
	return app_run(&app);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},	  {"server", required_argument, NULL, 's'},
		{"data", required_argument, NULL, 'D'},	  {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},	  {NULL, 0, NULL, 0},
	};
	struct options o = {NULL, NULL, NULL};
	const char *cmd;
	int c, rc;

	setup_locale();
	o.server = getenv("TONGBAN_SERVER") && *getenv("TONGBAN_SERVER") ? getenv("TONGBAN_SERVER")
									 : DEFAULT_SERVER;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			free(o.db);
			o.db = xstrdup(optarg);
			break;
		case 's':
			o.server = optarg;
			break;
		case 'D':
			free(o.data_root);
			o.data_root = xstrdup(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tongban %s\n", TB_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (o.db == NULL)
		o.db = paths_default_db("TONGBAN_DB", "tongban");
	if (o.data_root == NULL)
		o.data_root = paths_data_root();
	cmd = optind < argc ? argv[optind] : NULL;
	sync_global_init();
	if (cmd == NULL)
		rc = cmd_tui(&o);
	else if (strcmp(cmd, "sync") == 0)
		rc = cmd_sync(&o);
	else if (strcmp(cmd, "init") == 0)
		rc = cmd_init(&o);
	else if (strcmp(cmd, "check") == 0)
		rc = cmd_check(&o);
	else {
		fprintf(stderr, T("tongban：未知命令 %s\n", "tongban: unknown command %s\n"), cmd);
		usage(stderr);
		rc = 2;
	}
	free(o.db);
	free(o.data_root);
	return rc;
}
