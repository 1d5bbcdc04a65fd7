/* cmd_check.c: `rvalid check` compiles rule files and optionally explains the graph. */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "graph.h"
#include "io/file.h"
#include "refs.h"
#include "rules/ir.h"

#define RULES_MAX_BYTES (16u << 20)

static rv_status check_one(const char *path, bool explain, bool dot, bool quiet)
{
	char err[512];
	char *src = NULL;
	size_t len = 0;
	rv_status st = file_read_all(path, RULES_MAX_BYTES, &src, &len, err, sizeof(err));
	if (st != RV_OK) {
		cli_error("%s", err);
		return st;
	}
	rv_diags d;
	diags_init(&d, path);
	rv_ruleset *rs = rules_compile(path, src, len, SYNTAX_AUTO, &d);
	rv_graph *g = rs ? graph_compile(rs, &d) : NULL;
	diags_print(&d, stderr);
	if (!g) {
		st = RV_USAGE;
		goto out;
	}
	/* referenced files must exist and hold their column */
	rv_keyset **refs = NULL;
	st = refs_load(rs, &refs, err, sizeof(err));
	refs_free(rs, refs);
	if (st != RV_OK) {
		cli_error("%s", err);
		goto out;
	}
	if (explain) {
		rv_buf b;
		buf_init(&b, 0);
		if (dot)
			graph_explain_dot(g, &b);
		else
			graph_explain_text(g, &b);
		fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
	} else if (!quiet) {
		printf("%s: ok: %zu field%s, %zu rule%s, %zu checks%s\n", path, rs->n_fields,
		       rs->n_fields == 1 ? "" : "s", rs->n_rules, rs->n_rules == 1 ? "" : "s",
		       g->n_checks,
		       d.warnings ? (d.warnings == 1 ? ", 1 warning" : ", with warnings") : "");
	}
out:
	graph_free(g);
	rules_free(rs);
	diags_free(&d);
	free(src);
	return st;
}

static rv_status run(int argc, char **argv)
{
	static const struct option OPTS[] = {{"explain", no_argument, NULL, 'e'},
					     {"format", required_argument, NULL, 'f'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	bool explain = false, dot = false, quiet = false;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:qh", OPTS, NULL)) != -1) {
		switch (c) {
		case 'e': explain = true; break;
		case 'f':
			if (strcmp(optarg, "dot") == 0)
				dot = true;
			else if (strcmp(optarg, "text") == 0)
				dot = false;
			else
				return cli_usage_error(&cmd_check,
						       "unknown format '%s' (use text or dot)",
						       optarg);
			break;
		case 'q': quiet = true; break;
		case 'h': fputs(cmd_check.help, stdout); return RV_OK;
		default: return cli_bad_option(&cmd_check, argv, optopt);
		}
	}
	if (optind >= argc)
		return cli_usage_error(&cmd_check, "no rule file given");
	if (explain && argc - optind > 1)
		return cli_usage_error(&cmd_check, "--explain takes one rule file");
	if (dot && !explain)
		explain = true; /* --format dot alone means: explain as dot */
	rv_status worst = RV_OK;
	for (int i = optind; i < argc; i++)
		worst = rv_status_worst(worst, check_one(argv[i], explain, dot, quiet));
	return worst;
}

const rv_command cmd_check = {
	"check",
	run,
	"compile rule files; --explain prints the rule graph",
	"usage: rvalid check [--explain] [--format text|dot] [-q] RULES...\n"
	"\n"
	"Compile each rule file (YAML, or Python-like for .py/.rv) and report every\n"
	"error in it as FILE:LINE:COL: MESSAGE. Exit 0 when all compile, 2 when any\n"
	"does not, 3 when one cannot be read. RULES may be '-' for standard input.\n"
	"\n"
	"  --explain        print the compiled rule graph: nodes, edges, evaluation order\n"
	"  --format F       text (default) or dot (Graphviz); dot implies --explain\n"
	"  -q, --quiet      print only errors and warnings\n"
	"  -h, --help       show this help\n",
};
