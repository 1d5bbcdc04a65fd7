/* cli_stubs.h: the command-line helpers main.c defines, for the fuzz targets.
 *
 * The fuzz rule links every source but src/main.c, and the command files
 * (src/cmd_*.c) call these helpers, which live in main.c. The targets never
 * run a command, so the stubs only satisfy the linker; they are weak, so they
 * give way if the helpers move into a library source. Include from one .c. */
#ifndef RV_FUZZ_CLI_STUBS_H
#define RV_FUZZ_CLI_STUBS_H

#include <stdlib.h>

#include "cli.h"

__attribute__((weak)) void cli_error(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

__attribute__((weak)) rv_status cli_usage_error(const rv_command *cmd, const char *fmt, ...)
{
	(void)cmd;
	(void)fmt;
	abort();
}

__attribute__((weak)) rv_status cli_bad_option(const rv_command *cmd, char **argv,
                                               int optopt_value)
{
	(void)cmd;
	(void)argv;
	(void)optopt_value;
	abort();
}

#endif
