/* cmd_init.c - tongban init: create or upgrade the local database. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "store/store.h"

int cmd_init(const struct cli_options *o, int argc, char **argv)
{
	struct err e = {0};
	struct store *st = store_open(o->db, &e);

	if (argc > 1)
		return cli_no_args(argv);

	if (st == NULL) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return 2;
	}
	store_close(st);
	printf(T("本机数据库已就绪：%s\n", "local database ready: %s\n"), o->db);
	return 0;
}
