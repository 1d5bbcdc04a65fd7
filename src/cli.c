/* cli.c: messages and option-error reporting shared by the command files. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("rvalid: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void usage_line(const rv_command *cmd)
{
	const char *end = strchr(cmd->help, '\n');
	fprintf(stderr, "%.*s\n", (int)(end ? end - cmd->help : (long)strlen(cmd->help)),
		cmd->help);
	fprintf(stderr, "try 'rvalid %s --help' for more\n", cmd->name);
}

rv_status cli_usage_error(const rv_command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "rvalid %s: ", cmd->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	usage_line(cmd);
	return RV_USAGE;
}

rv_status cli_bad_option(const rv_command *cmd, char **argv, int optopt_value)
{
	const char *arg = argv[optind - 1];
	if (optopt_value && arg[0] == '-' && arg[1] != '-')
		return cli_usage_error(cmd, "unknown option '-%c'", optopt_value);
	/* a long option: show it without any =value */
	const char *eq = strchr(arg, '=');
	int n = eq ? (int)(eq - arg) : (int)strlen(arg);
	return cli_usage_error(cmd, "unknown option '%.*s'", n, arg);
}

bool cli_parse_char(const char *s, char *out, bool allow_none)
{
	if (strcmp(s, "\\t") == 0 || strcmp(s, "tab") == 0) {
		*out = '\t';
		return true;
	}
	if (allow_none && (!*s || strcmp(s, "none") == 0)) {
		*out = 0;
		return true;
	}
	if (strlen(s) != 1 || s[0] == '\n' || s[0] == '\r' || (unsigned char)s[0] >= 0x80)
		return false;
	*out = s[0];
	return true;
}
