/* commands.c - the table of tongban's subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

const struct cli_command cli_commands[] = {
	{"sync", cmd_sync,
	 "  sync                 把本机待同步的事件上传到服务器（一次）；\n"
	 "                       退出码 0 全部已上传，1 仍有待上传或有问题的事件，2 出错",
	 "  sync                 push this machine's waiting events to the server once;\n"
	 "                       exit 0 all sent, 1 events still waiting or refused, 2 error"},
	{"init", cmd_init, "  init                 创建或升级本机数据库",
	 "  init                 create or upgrade the local database"},
	{"check", cmd_check, "  check                检查目录、表单等数据文件，报告错误",
	 "  check                validate the catalogue and form files, report errors"},
};

const unsigned cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

const struct cli_command *cli_find(const char *name)
{
	unsigned i;

	for (i = 0; i < cli_n_commands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

int cli_no_args(char **argv)
{
	fprintf(stderr, T("tongban %s：多余的参数 %s\n", "tongban %s: unexpected argument %s\n"),
		argv[0], argv[1]);
	return CLI_USAGE;
}
