#include "core/printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"

/* The first line of the file at path (the command's error output), or "". */
static void first_line(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");

	out[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(out, (int)n, f) != NULL)
		out[strcspn(out, "\r\n")] = '\0';
	fclose(f);
}

int print_text(const char *cmd, const char *text, struct err *e)
{
	char errpath[] = "/tmp/tongban-print-XXXXXX", line[256];
	char *full;
	FILE *p;
	int fd, status;

	if (cmd == NULL || cmd[0] == '\0') {
		err_set(e, "%s",
		        T("没有设置打印命令（data/config.json 的 print_command）",
		          "no print command set (print_command in data/config.json)"));
		return -1;
	}
	fd = mkstemp(errpath);
	if (fd < 0) {
		err_set(e, "%s", T("无法建立临时文件", "cannot make a temporary file"));
		return -1;
	}
	close(fd);
	full = xasprintf("(%s) 2>'%s'", cmd, errpath);
	p = popen(full, "w");
	free(full);
	if (p == NULL) {
		unlink(errpath);
		err_set(e, T("无法启动打印命令“%s”", "cannot start the print command '%s'"), cmd);
		return -1;
	}
	fputs(text, p);
	status = pclose(p);
	first_line(errpath, line, sizeof line);
	unlink(errpath);
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		err_set(e,
		        T("找不到打印命令“%s”，通知书已保存，可稍后重打",
		          "print command '%s' not found; the notice is saved, reprint later"),
		        cmd);
	else
		err_set(e,
		        T("打印命令“%s”失败：%s；通知书已保存，可稍后重打",
		          "print command '%s' failed: %s; the notice is saved, reprint later"),
		        cmd, line[0] ? line : T("无错误信息", "no error message"));
	return -1;
}
