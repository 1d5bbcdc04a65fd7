/* cmd_validate.c: `rvalid validate` checks data against a rule file. */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine.h"
#include "graph.h"
#include "io/file.h"
#include "io/outfile.h"
#include "report/report.h"
#include "rules/ir.h"
#include "s3/s3.h"
#include "util/xalloc.h"
#include "util/path.h"

#define RULES_MAX_BYTES (16u << 20)

typedef enum { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_HTML, FMT_NDJSON, FMT_NONE } out_format;

typedef struct {
	const char *path;
	out_format format;
} output;

enum {
	OPT_INVALID_ROWS = 256,
	OPT_VALID_ROWS,
	OPT_ERRORS,
	OPT_MAX_ERRORS,
	OPT_SAMPLES,
	OPT_MAX_INVALID,
	OPT_FAIL_ON,
	OPT_SKIP,
	OPT_ONLY,
	OPT_LIMIT,
	OPT_FAIL_FAST,
	OPT_DELIMITER,
	OPT_QUOTE,
	OPT_ESCAPE,
	OPT_NO_HEADER,
	OPT_NULL,
	OPT_ENCODING,
	OPT_SKIP_LINES,
	OPT_COMMENT,
	OPT_ENDPOINT_URL,
	OPT_REGION,
	OPT_PROFILE,
	OPT_PATH_STYLE,
	OPT_CA_BUNDLE,
	OPT_RETRIES,
	OPT_MAX_FIELD,
	OPT_MEMORY_LIMIT,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_COLOR
};

static const struct option OPTS[] = {
	{"rules", required_argument, NULL, 'r'},
	{"schema", required_argument, NULL, 'r'},
	{"output", required_argument, NULL, 'o'},
	{"format", required_argument, NULL, 'f'},
	{"invalid-rows", required_argument, NULL, OPT_INVALID_ROWS},
	{"valid-rows", required_argument, NULL, OPT_VALID_ROWS},
	{"errors", required_argument, NULL, OPT_ERRORS},
	{"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
	{"threads", required_argument, NULL, 'j'},
	{"samples", required_argument, NULL, OPT_SAMPLES},
	{"max-invalid", required_argument, NULL, OPT_MAX_INVALID},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"skip", required_argument, NULL, OPT_SKIP},
	{"only", required_argument, NULL, OPT_ONLY},
	{"limit", required_argument, NULL, OPT_LIMIT},
	{"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
	{"delimiter", required_argument, NULL, OPT_DELIMITER},
	{"quote", required_argument, NULL, OPT_QUOTE},
	{"escape", required_argument, NULL, OPT_ESCAPE},
	{"no-header", no_argument, NULL, OPT_NO_HEADER},
	{"null", required_argument, NULL, OPT_NULL},
	{"encoding", required_argument, NULL, OPT_ENCODING},
	{"skip-lines", required_argument, NULL, OPT_SKIP_LINES},
	{"comment", required_argument, NULL, OPT_COMMENT},
	{"max-field-size", required_argument, NULL, OPT_MAX_FIELD},
	{"memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT},
	{"endpoint-url", required_argument, NULL, OPT_ENDPOINT_URL},
	{"region", required_argument, NULL, OPT_REGION},
	{"profile", required_argument, NULL, OPT_PROFILE},
	{"path-style", no_argument, NULL, OPT_PATH_STYLE},
	{"ca-bundle", required_argument, NULL, OPT_CA_BUNDLE},
	{"retries", required_argument, NULL, OPT_RETRIES},
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
	{"color", required_argument, NULL, OPT_COLOR},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static bool parse_count(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end)
		return false;
	*out = v;
	return true;
}

/* A size with an optional K, M or G (powers of 1024). */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (*end || end == s || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

/* One character: itself, or \t, tab, or an empty string for "none". */
static bool parse_limit(const char *s, rv_limit *out)
{
	size_t n = strlen(s);
	memset(out, 0, sizeof(*out));
	if (n > 1 && s[n - 1] == '%') {
		uint64_t num = 0, den = 1;
		bool frac = false, any = false;
		for (size_t i = 0; i + 1 < n; i++) {
			if (s[i] == '.' && !frac) {
				frac = true;
				continue;
			}
			if (s[i] < '0' || s[i] > '9' || num > UINT64_MAX / 100 ||
			    den > UINT64_MAX / 1000)
				return false;
			num = num * 10 + (uint64_t)(s[i] - '0');
			den *= frac ? 10 : 1;
			any = true;
		}
		if (!any || num > den * 100)
			return false;
		out->set = out->percent = true;
		out->share = (rv_ratio){num, den * 100};
		out->text = s;
		return true;
	}
	if (!parse_count(s, &out->count))
		return false;
	out->set = true;
	out->text = s;
	return true;
}

static out_format format_named(const char *s)
{
	if (strcmp(s, "text") == 0)
		return FMT_TEXT;
	if (strcmp(s, "json") == 0)
		return FMT_JSON;
	if (strcmp(s, "junit") == 0)
		return FMT_JUNIT;
	if (strcmp(s, "html") == 0)
		return FMT_HTML;
	if (strcmp(s, "ndjson") == 0)
		return FMT_NDJSON;
	return FMT_NONE;
}

static void push(const char ***list, size_t *n, const char *item)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(char *));
	(*list)[(*n)++] = item;
}

static rv_status run(int argc, char **argv)
{
	rv_run_opts o;
	memset(&o, 0, sizeof(o));
	o.max_errors = UINT64_MAX;
	o.samples = 10;
	o.max_field = (size_t)16 << 20;
	o.memory_limit = (uint64_t)1 << 30;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o.threads = cpus > 0 ? (int)(cpus > 256 ? 256 : cpus) : 1;
	const char *rules = NULL;
	out_format fmt = FMT_TEXT;
	output *outs = NULL;
	size_t n_outs = 0;
	const char **skip = NULL, **only = NULL, **nulls = NULL;
	size_t n_skip = 0, n_only = 0, n_nulls = 0;
	bool quiet = false;
	int progress = -1; /* -1: when standard error is a terminal */
	int color = -1;    /* -1: auto */
	s3_settings s3 = {.retries = -1};
	rv_status st = RV_OK;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":r:o:f:j:qvh", OPTS, NULL)) != -1) {
		uint64_t v;
		switch (c) {
		case 'r': rules = optarg; break;
		case 'o':
			outs = xrealloc(outs, (n_outs + 1) * sizeof(output));
			outs[n_outs++] = (output){optarg, FMT_NONE};
			break;
		case 'f':
			fmt = format_named(optarg);
			if (fmt == FMT_NONE) {
				st = cli_usage_error(&cmd_validate,
						     "unknown format '%s' (use text, json, junit, "
						     "html or ndjson)",
						     optarg);
				goto out;
			}
			break;
		case 'j':
			if (!parse_count(optarg, &v) || v < 1 || v > 256) {
				st = cli_usage_error(
					&cmd_validate,
					"--threads takes a number from 1 to 256, not '%s'", optarg);
				goto out;
			}
			o.threads = (int)v;
			break;
		case OPT_INVALID_ROWS: o.invalid_rows = optarg; break;
		case OPT_VALID_ROWS: o.valid_rows = optarg; break;
		case OPT_ERRORS: o.errors_path = optarg; break;
		case OPT_MAX_ERRORS:
		case OPT_SAMPLES:
		case OPT_LIMIT:
		case OPT_SKIP_LINES:
			if (!parse_count(optarg, &v)) {
				st = cli_usage_error(&cmd_validate,
						     "--%s takes a whole number, not '%s'",
						     c == OPT_MAX_ERRORS ? "max-errors"
						     : c == OPT_SAMPLES  ? "samples"
						     : c == OPT_LIMIT    ? "limit"
									 : "skip-lines",
						     optarg);
				goto out;
			}
			if (c == OPT_MAX_ERRORS)
				o.max_errors = v;
			else if (c == OPT_SAMPLES)
				o.samples = (size_t)(v > 100000 ? 100000 : v);
			else if (c == OPT_LIMIT)
				o.limit = v;
			else {
				o.csv.skip_lines = v;
				o.csv.skip_lines_set = true;
			}
			break;
		case OPT_MAX_INVALID:
			if (!parse_limit(optarg, &o.max_invalid)) {
				st = cli_usage_error(
					&cmd_validate,
					"--max-invalid takes a count like 10 or a share like 1%%, not '%s'",
					optarg);
				goto out;
			}
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "warn") != 0 && strcmp(optarg, "error") != 0) {
				st = cli_usage_error(&cmd_validate,
						     "--fail-on takes error or warn, not '%s'",
						     optarg);
				goto out;
			}
			o.fail_on_warn = optarg[0] == 'w';
			break;
		case OPT_SKIP: push(&skip, &n_skip, optarg); break;
		case OPT_ONLY: push(&only, &n_only, optarg); break;
		case OPT_FAIL_FAST: o.fail_fast = true; break;
		case OPT_DELIMITER:
		case OPT_QUOTE:
		case OPT_ESCAPE:
		case OPT_COMMENT: {
			char ch;
			if (!cli_parse_char(optarg, &ch, c != OPT_DELIMITER)) {
				st = cli_usage_error(&cmd_validate,
						     "%s takes one character, not '%s'",
						     c == OPT_DELIMITER ? "--delimiter"
						     : c == OPT_QUOTE   ? "--quote"
						     : c == OPT_ESCAPE  ? "--escape"
									: "--comment",
						     optarg);
				goto out;
			}
			if (c == OPT_DELIMITER) {
				o.csv.delimiter = ch;
				o.csv.delimiter_set = true;
			} else if (c == OPT_QUOTE) {
				o.csv.quote = ch;
				o.csv.quote_set = true;
			} else if (c == OPT_ESCAPE) {
				o.csv.escape = ch;
				o.csv.escape_set = true;
			} else {
				o.csv.comment = ch;
				o.csv.comment_set = true;
			}
			break;
		}
		case OPT_NO_HEADER:
			o.csv.header = false;
			o.csv.header_set = true;
			break;
		case OPT_NULL: push(&nulls, &n_nulls, optarg); break;
		case OPT_ENCODING: {
			o.csv.encoding_set = encoding_from_name(optarg, &o.csv.encoding);
			if (!o.csv.encoding_set) {
				st = cli_usage_error(
					&cmd_validate,
					"unknown encoding '%s' (use utf-8, latin-1, cp1252 or utf-16)",
					optarg);
				goto out;
			}
			break;
		}
		case OPT_MAX_FIELD:
			if (!parse_size(optarg, &v) || v == 0 || v > ((uint64_t)1 << 30)) {
				st = cli_usage_error(
					&cmd_validate,
					"--max-field-size takes a size from 1 to 1G, like 1048576 or 16M, not '%s'",
					optarg);
				goto out;
			}
			o.max_field = (size_t)v;
			break;
		case OPT_MEMORY_LIMIT:
			if (!parse_size(optarg, &v)) {
				st = cli_usage_error(
					&cmd_validate,
					"--memory-limit takes a size like 512M or 1G, not '%s'",
					optarg);
				goto out;
			}
			o.memory_limit = v;
			break;
		case OPT_ENDPOINT_URL: s3.endpoint_url = optarg; break;
		case OPT_REGION: s3.region = optarg; break;
		case OPT_PROFILE: s3.profile = optarg; break;
		case OPT_PATH_STYLE: s3.path_style = true; break;
		case OPT_CA_BUNDLE: s3.ca_bundle = optarg; break;
		case OPT_RETRIES:
			if (!parse_count(optarg, &v) || v > 100) {
				st = cli_usage_error(
					&cmd_validate,
					"--retries takes a number from 0 to 100, not '%s'", optarg);
				goto out;
			}
			s3.retries = (int)v;
			break;
		case OPT_PROGRESS: progress = 1; break;
		case OPT_NO_PROGRESS: progress = 0; break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never")) {
				st = cli_usage_error(
					&cmd_validate,
					"--color takes auto, always or never, not '%s'", optarg);
				goto out;
			}
			color = optarg[0] == 'a' && optarg[1] == 'u' ? -1 : optarg[0] == 'a';
			break;
		case 'q': quiet = true; break;
		case 'v': o.verbose = true; break;
		case 'h': fputs(cmd_validate.help, stdout); goto out;
		case ':':
			st = cli_usage_error(&cmd_validate, "%s needs a value", argv[optind - 1]);
			goto out;
		default: st = cli_bad_option(&cmd_validate, argv, optopt); goto out;
		}
	}
	if (!rules) {
		st = cli_usage_error(&cmd_validate, "no rule file given (-r RULES)");
		goto out;
	}
	if (optind >= argc) {
		st = cli_usage_error(&cmd_validate, "no input given");
		goto out;
	}
	o.inputs = (const char *const *)argv + optind;
	o.n_inputs = (size_t)(argc - optind);
	o.rules_path = rules;
	o.skip = skip;
	o.n_skip = n_skip;
	o.only = only;
	o.n_only = n_only;
	if (n_nulls) {
		o.csv.null_values = nulls;
		o.csv.n_null = n_nulls;
		o.csv.null_set = true;
	}
	size_t stdin_inputs = 0;
	for (size_t i = 0; i < o.n_inputs; i++)
		stdin_inputs += strcmp(o.inputs[i], "-") == 0;
	if (stdin_inputs > 1) {
		st = cli_usage_error(&cmd_validate, "standard input ('-') can be read only once");
		goto out;
	}
	/* each -o's format from its extension; one NDJSON stream at most */
	for (size_t i = 0; i < n_outs; i++) {
		const char *p = outs[i].path;
		if (path_has_suffix(p, ".json"))
			outs[i].format = FMT_JSON;
		else if (path_has_suffix(p, ".ndjson") || path_has_suffix(p, ".jsonl"))
			outs[i].format = FMT_NDJSON;
		else if (path_has_suffix(p, ".txt"))
			outs[i].format = FMT_TEXT;
		else if (path_has_suffix(p, ".xml"))
			outs[i].format = FMT_JUNIT;
		else if (path_has_suffix(p, ".html") || path_has_suffix(p, ".htm"))
			outs[i].format = FMT_HTML;
		else if (strcmp(p, "-") == 0 || strncmp(p, "/dev/", 5) == 0)
			outs[i].format = fmt;
		else {
			st = cli_usage_error(&cmd_validate,
					     "cannot tell the format of '%s' from its name "
					     "(use .json, .xml, .html, .ndjson or .txt)",
					     p);
			goto out;
		}
	}
	/* -f json, junit, html or ndjson without -o: that report on standard
	 * output, and no text summary besides */
	bool format_on_stdout = false;
	if (n_outs == 0 && fmt != FMT_TEXT) {
		outs = xrealloc(outs, sizeof(output));
		outs[n_outs++] = (output){"-", fmt};
		format_on_stdout = true;
	}
	for (size_t i = 0; i < n_outs; i++) {
		if (outs[i].format != FMT_NDJSON)
			continue;
		if (o.errors_path && strcmp(o.errors_path, outs[i].path) != 0) {
			st = cli_usage_error(
				&cmd_validate,
				"one NDJSON failure stream at most (--errors or -o X.ndjson)");
			goto out;
		}
		o.errors_path = outs[i].path;
	}
	/* at most one thing on standard output; the summary then goes to stderr */
	size_t to_stdout = 0;
	bool report_on_stdout = format_on_stdout;
	for (size_t i = 0; i < n_outs; i++)
		if (outs[i].format != FMT_NDJSON && strcmp(outs[i].path, "-") == 0) {
			to_stdout++;
			report_on_stdout = true;
		}
	const char *streams[] = {o.errors_path, o.invalid_rows, o.valid_rows};
	for (size_t i = 0; i < 3; i++)
		to_stdout += streams[i] && strcmp(streams[i], "-") == 0;
	if (to_stdout > 1) {
		st = cli_usage_error(&cmd_validate, "only one output can go to standard output");
		goto out;
	}

	/* S3 settings first: the rule file may be in S3 too */
	s3.verbose = o.verbose;
	s3.interrupted = outfile_interrupted;
	s3_configure(&s3);

	/* the rules */
	char err[1024];
	char *src = NULL;
	size_t len = 0;
	st = file_read_all(rules, RULES_MAX_BYTES, &src, &len, err, sizeof(err));
	if (st != RV_OK) {
		cli_error("%s", err);
		goto out;
	}
	rv_diags d;
	diags_init(&d, rules);
	rv_ruleset *rs = rules_compile(rules, src, len, SYNTAX_AUTO, &d);
	rv_graph *g = rs ? graph_compile(rs, &d) : NULL;
	diags_print(&d, stderr);
	diags_free(&d);
	free(src);
	if (!g) {
		rules_free(rs);
		st = RV_USAGE;
		goto out;
	}

	/* report files are opened before the run: a folder that does not exist
	 * fails now, not after an hour of reading */
	outfile_install_signals();
	rv_outfile **files = xcalloc(n_outs ? n_outs : 1, sizeof(rv_outfile *));
	for (size_t i = 0; i < n_outs && st == RV_OK; i++) {
		if (outs[i].format == FMT_NDJSON)
			continue;
		files[i] = outfile_open(outs[i].path, err, sizeof(err));
		if (!files[i]) {
			cli_error("%s", err);
			st = RV_IO;
		}
	}
	rv_report *r = NULL;
	o.progress = progress == 1 || (progress == -1 && !quiet && isatty(STDERR_FILENO));
	if (st == RV_OK) {
		st = engine_run(&o, rs, g, &r, err, sizeof(err));
		if (st == RV_USAGE || st == RV_IO)
			cli_error("%s", err); /* a closed pipe (RV_PIPE) ends quietly */
	}
	for (size_t i = 0; i < n_outs && st == RV_OK; i++) {
		if (!files[i])
			continue;
		rv_buf b;
		buf_init(&b, 0);
		switch (outs[i].format) {
		case FMT_JSON: report_json(r, &b); break;
		case FMT_JUNIT: report_junit(r, &b); break;
		case FMT_HTML: report_html(r, &b); break;
		default: report_text(r, &b, false); break;
		}
		st = outfile_write(files[i], b.data, b.len);
		buf_free(&b);
		if (st == RV_OK) {
			st = outfile_commit(files[i], err, sizeof(err));
			files[i] = NULL;
		}
		if (st != RV_OK)
			cli_error("%s", err);
	}
	for (size_t i = 0; i < n_outs; i++)
		outfile_abort(files[i]);
	free(files);
	if (st == RV_OK) {
		if (!quiet && !report_on_stdout) {
			FILE *where = to_stdout ? stderr : stdout;
			/* auto: colour on a terminal, unless NO_COLOR is set (and not empty) */
			const char *no_color = getenv("NO_COLOR");
			bool paint = color == 1 || (color == -1 && isatty(fileno(where)) &&
						    !(no_color && *no_color));
			rv_buf b;
			buf_init(&b, 0);
			report_text(r, &b, paint);
			fwrite(b.data, 1, b.len, where);
			buf_free(&b);
		}
		st = r->passed ? RV_OK : RV_FAILED;
	}
	report_free(r);
	graph_free(g);
	rules_free(rs);
out:
	free(outs);
	free(skip);
	free(only);
	free(nulls);
	return st;
}

const rv_command cmd_validate = {
	"validate",
	run,
	"check data against a rule file",
	"usage: rvalid validate -r RULES [options] INPUT...\n"
	"\n"
	"Check each INPUT (a CSV file, s3://BUCKET/KEY, or '-' for standard input; gzip is\n"
	"detected) against RULES. Several inputs are one dataset split in parts. Exit 0 when the\n"
	"data passes, 1 when it fails, 2 for a usage or rule error, 3 when an input or\n"
	"output fails, 130/143 when interrupted (SIGINT/SIGTERM), 141 when an output pipe\n"
	"closes early.\n"
	"\n"
	"  -r, --rules FILE        the rule file (.yaml/.yml, or .py/.rv); --schema is an alias\n"
	"  -o, --output FILE       write the report here (repeatable); the format follows the\n"
	"                          extension: .json, .xml (JUnit), .html, .ndjson, .txt;\n"
	"                          '-' is standard output\n"
	"  -f, --format F          the format on standard output: text (default), json, junit,\n"
	"                          html, ndjson\n"
	"      --errors FILE       NDJSON, one line per failure, then a summary line\n"
	"      --max-errors N      stop writing --errors lines after N (counts stay exact)\n"
	"      --invalid-rows FILE failing records, byte for byte, header first\n"
	"      --valid-rows FILE   passing records, byte for byte, header first\n"
	"  -j, --threads N         worker threads (default: online CPUs)\n"
	"      --samples N         failing examples kept per check (default 10)\n"
	"      --max-invalid N|P%  pass while at most N (or P%) records are invalid\n"
	"      --fail-on error|warn  which severity fails the run (default error)\n"
	"      --skip ID, --only ID  leave out / keep only these checks (repeatable; FIELD.*)\n"
	"      --limit N           check only the first N records of each input\n"
	"      --fail-fast         stop at the first record that makes the run fail\n"
	"      --delimiter C, --quote C, --escape C, --comment C, --no-header,\n"
	"      --null S (repeatable), --encoding E, --skip-lines N\n"
	"                          dialect overrides (the command line wins over the rule file)\n"
	"      --max-field-size N  largest cell accepted (default 16M, at most 1G); larger fails\n"
	"                          csv.field_size\n"
	"      --memory-limit N    memory for unique and distinct sets (default 1G); beyond it\n"
	"                          they spill to temporary files, with the same answers\n"
	"      --progress, --no-progress\n"
	"                          a progress line on standard error (default: when it is a\n"
	"                          terminal)\n"
	"      --color auto|always|never\n"
	"                          colour in the text summary (auto: on a terminal, without\n"
	"                          NO_COLOR)\n"
	"  -q, --quiet             print nothing but errors\n"
	"  -v, --verbose           log what is done (S3 requests too; never secrets)\n"
	"  -h, --help              show this help\n"
	"\n"
	"S3 (any FILE or INPUT may be s3://BUCKET/KEY; credentials as the AWS CLI finds them):\n"
	"      --endpoint-url URL  an S3-compatible endpoint (implies --path-style)\n"
	"      --region R          the region (default: AWS_REGION, the profile, us-east-1)\n"
	"      --profile P         the profile in ~/.aws/credentials and ~/.aws/config\n"
	"      --path-style        address buckets as URL paths, not host names\n"
	"      --ca-bundle FILE    trust the certificates in FILE (PEM)\n"
	"      --retries N         retry a failed S3 request up to N times (default 5)\n",
};
