/* cli.h: what the command files share: the command entry points, their help
 * texts, and small helpers for option parsing and messages. */
#ifndef RV_CLI_H
#define RV_CLI_H

#include <stdio.h>

#include "err.h"

typedef rv_status (*cmd_fn)(int argc, char **argv);

typedef struct {
	const char *name;
	cmd_fn run;
	const char *summary; /* one line for `rvalid --help` */
	const char *help;    /* the whole `rvalid COMMAND --help` text */
} rv_command;

extern const rv_command cmd_check;
extern const rv_command cmd_init;
extern const rv_command cmd_validate;

/* Prints "rvalid: MSG" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "rvalid CMD: MSG" and the command's usage line; returns RV_USAGE. */
rv_status cli_usage_error(const rv_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reports the option getopt_long rejected (optopt / argv[optind - 1]). */
rv_status cli_bad_option(const rv_command *cmd, char **argv, int optopt_value);
/* A one-byte dialect character from an option: one ASCII byte other than a
 * line end, or "\\t" / "tab" for a tab; with allow_none, "" and "none" give
 * 0 (no character). */
bool cli_parse_char(const char *s, char *out, bool allow_none);

#endif
