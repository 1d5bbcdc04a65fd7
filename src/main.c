/* main.c: rvalid's command table and entry point. The only file that exits:
 * every command returns an rv_status, which becomes the exit status. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/suggest.h"

static const rv_command *const COMMANDS[] = {&cmd_validate, &cmd_check, &cmd_init, NULL};

static void print_usage(FILE *f)
{
	fputs("usage: rvalid COMMAND [options] [args]\n"
	      "\n"
	      "Check tabular data against rules written by hand.\n"
	      "\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; COMMANDS[i]; i++)
		fprintf(f, "  %-10s %s\n", COMMANDS[i]->name, COMMANDS[i]->summary);
	fputs("  help       show help for a command: rvalid help COMMAND\n"
	      "\n"
	      "options:\n"
	      "  --version  print rvalid's version\n"
	      "  -h, --help show this help\n"
	      "\n"
	      "exit status: 0 passed, 1 data failed, 2 usage or rule error, 3 input/output error,\n"
	      "130/143 interrupted, 141 output pipe closed. See rvalid(1) and rvalid-rules(5).\n",
	      f);
}

static const rv_command *find(const char *name)
{
	for (size_t i = 0; COMMANDS[i]; i++)
		if (strcmp(COMMANDS[i]->name, name) == 0)
			return COMMANDS[i];
	return NULL;
}

static rv_status unknown_command(const char *name)
{
	const char *names[16];
	size_t n = 0;
	for (size_t i = 0; COMMANDS[i] && n < 15; i++)
		names[n++] = COMMANDS[i]->name;
	names[n++] = "help";
	const char *s = suggest(name, strlen(name), names, n);
	if (s)
		cli_error("unknown command '%s' (did you mean '%s'?)", name, s);
	else
		cli_error("unknown command '%s'", name);
	fputs("try 'rvalid --help'\n", stderr);
	return RV_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return RV_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("rvalid %s\n", RVALID_VERSION);
		return RV_OK;
	}
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		print_usage(stdout);
		return RV_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			print_usage(stdout);
			return RV_OK;
		}
		const rv_command *cmd = find(argv[2]);
		if (!cmd)
			return unknown_command(argv[2]);
		fputs(cmd->help, stdout);
		return RV_OK;
	}
	if (name[0] == '-') {
		cli_error("unknown option '%s'", name);
		fputs("try 'rvalid --help'\n", stderr);
		return RV_USAGE;
	}
	const rv_command *cmd = find(name);
	if (!cmd)
		return unknown_command(name);
	rv_status st = cmd->run(argc - 1, argv + 1);
	if (fflush(stdout) != 0) {
		if (errno == EPIPE) {
			st = rv_status_worst(st, RV_PIPE); /* the reader went away: end quietly */
		} else {
			cli_error("cannot write to standard output: %s", strerror(errno));
			st = rv_status_worst(st, RV_IO);
		}
	}
	return (int)st;
}
