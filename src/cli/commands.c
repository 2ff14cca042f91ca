/* commands.c - the table of tongban's subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

const struct cli_command cli_commands[] = {
    {"notice", cmd_notice,
     "  notice CASE [--kind 种类] [--pdf 文件] [--print]\n"
     "                       再次输出案件最近的通知书（受理、补正、承诺、不予受理、撤销、"
     "送达回证、视为放弃、电子证照核验补正告知）；\n"
     "                       --pdf 写成 A4 PDF（带案件编号二维码），--print 送打印",
     "  notice CASE [--kind KIND] [--pdf FILE] [--print]\n"
     "                       print the case's latest notice again (KIND: acceptance, "
     "supplement, commitment, refusal, revocation, release, withdrawal, ecert);\n"
     "                       --pdf writes it as an A4 PDF with a QR code of the case number, "
     "--print sends it to the printer"},
    {"sync", cmd_sync,
     "  sync                 把本机待同步的事件上传到服务器（一次）；\n"
     "                       退出码 0 全部已上传，1 仍有待上传或有问题的事件，2 出错",
     "  sync                 push this machine's waiting events to the server once;\n"
     "                       exit 0 all sent, 1 events still waiting or refused, 2 error"},
    {"init", cmd_init, "  init                 创建或升级本机数据库",
     "  init                 create or upgrade the local database"},
    {"check", cmd_check, "  check                检查目录、表单等数据文件，报告错误",
     "  check                validate the catalogue and form files, report errors"},
    {"db", cmd_db,
     "  db check             检查本机数据库有没有损坏、坏在哪里；0 完好，1 损坏，2 出错\n"
     "  db recover 新文件.db 把损坏的数据库中能读出的内容复制到新文件（原文件不变）",
     "  db check             check the local database for damage and say where;\n"
     "                       exit 0 sound, 1 damaged, 2 error\n"
     "  db recover NEW.db    copy what can be read of a damaged database into a new file"},
    {"calendar", cmd_calendar,
     "  calendar due 日期 N [--pause 起:止]...  受理日加 N 个工作日的办结期限\n"
     "  calendar workday 日期  是否工作日；退出码 0 是，1 否，2 无该年数据",
     "  calendar due DATE N [--pause FROM:TO]...  due date, N working days after DATE\n"
     "  calendar workday DATE  whether DATE is a working day; exit 0 yes, 1 no, 2 no data"},
    {"validate", cmd_validate,
     "  validate idcard|uscc|phone 值  校验身份证号码、统一社会信用代码或电话；0 有效，1 无效",
     "  validate idcard|uscc|phone VALUE  check an ID number, credit code or phone; 0 valid, 1 "
     "not"},
    {"items", cmd_items,
     "  items search 关键词    按编码、名称或拼音首字母查找事项（最佳匹配在前）\n"
     "  items show 编码        显示事项的办事指南和申请材料",
     "  items search QUERY     find items by code, name or pinyin initials, best first\n"
     "  items show CODE        print an item's guide and materials"},
    {"cases", cmd_cases,
     "  cases search 查询 [--json] [--full] [--limit N]\n"
     "                       按身份证号码或电话后 4 "
     "位、姓名、拼音首字母、事项、日期查找本机案件；\n"
     "                       证件号码和电话部分隐藏，--full 显示完整并记入审计；0 找到，1 没有",
     "  cases search QUERY [--json] [--full] [--limit N]\n"
     "                       find cases here by the last 4 of an ID or phone, a name, its\n"
     "                       initials, an item or a date; ID and phone masked, --full shows\n"
     "                       them whole and is recorded (audit); exit 0 found, 1 none"},
    {"stats", cmd_stats,
     "  stats [--from 日期 --to 日期 | --day | --week | --month] [--json]\n"
     "                       一段时间的收件统计（默认今天）：受理、补正、承诺、不予受理，\n"
     "                       办理时限、出件、好差评，按事项和部门",
     "  stats [--from DATE --to DATE | --day | --week | --month] [--json]\n"
     "                       the statistics of a period (today by default): outcomes, time\n"
     "                       limits, releases, ratings, by item and department"},
    {"export", cmd_export,
     "  export [--from 日期 --to 日期 | --day | --week | --month]\n"
     "         [--bom] [--full] [--output 文件]\n"
     "                       把一段时间的案件导出为 CSV（UTF-8）；证件号码和电话部分隐藏，\n"
     "                       --full 导出完整并记入审计；0 已写出，1 写不出，2 出错",
     "  export [--from DATE --to DATE | --day | --week | --month]\n"
     "         [--bom] [--full] [--output FILE]\n"
     "                       the cases of a period as CSV (UTF-8); ID and phone masked,\n"
     "                       --full whole and recorded (audit); exit 0 written, 1 could\n"
     "                       not write, 2 error"},
    {"audit", cmd_audit,
     "  audit verify         检查审计记录链（查看完整号码、导出、办理、登录）是否完整；\n"
     "                       0 完整，1 有行被改动、删除或移动（指出第几行），2 出错\n"
     "  audit list [--case 案件编号]  列出审计记录：谁在何时查看或办理了哪个案件",
     "  audit verify         check the audit chain (whole numbers shown, exports,\n"
     "                       decisions, logins); 0 whole, 1 a row was edited, deleted or\n"
     "                       moved (which one is said), 2 error\n"
     "  audit list [--case CASE]  the audit rows: who looked at or changed which case, when"},
    {"config", cmd_config,
     "  config show [名称...]  列出每项设置的当前值及其来源（默认、数据文件、\n"
     "                       "
     "/etc/tongban/tongban.conf、~/.config/tongban/config、环境变量、命令行）；\n"
     "                       0 全部有效，1 有设置有误（列出），2 用法错误",
     "  config show [NAME...]  every setting in force and where it came from (default,\n"
     "                       data file, /etc/tongban/tongban.conf, ~/.config/tongban/config,\n"
     "                       environment, option); 0 all valid, 1 some are bad (listed)"},
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
