/* engine.h: one validation run: inputs -> reader thread -> worker pool ->
 * ordered merge -> report (SPEC sections 1, 2.9, 4).
 *
 * The engine reads each input once, in order; a reader thread cuts it into
 * chunks on record boundaries, workers evaluate chunks, and the calling
 * thread merges their tallies in input order, so every output is the same
 * for every thread count. Streams that follow the records (--errors,
 * --invalid-rows, --valid-rows) are written while merging, to temporary
 * files that become the outputs only when the run completes. */
#ifndef RV_ENGINE_H
#define RV_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "graph.h"
#include "report/report.h"
#include "rules/ir.h"

typedef struct {
	const char *const *inputs;
	size_t n_inputs;
	const char *rules_path;

	const char *errors_path;  /* NDJSON failures, or NULL */
	uint64_t max_errors;      /* lines written to errors_path; UINT64_MAX: all */
	const char *invalid_rows; /* quarantine, or NULL */
	const char *valid_rows;

	int threads;
	size_t samples;
	rv_limit max_invalid; /* .set: overrides the rule file */
	bool fail_on_warn;
	const char *const *skip;
	size_t n_skip;
	const char *const *only;
	size_t n_only;
	uint64_t limit; /* records per input; 0: no limit */
	bool fail_fast;
	size_t max_field;
	uint64_t memory_limit; /* bytes the key sets may take in memory before they spill */

	/* dialect from the command line (each wins over the rule file when set) */
	rv_dialect csv;
	bool verbose;
	bool progress; /* draw the progress line on standard error */
} rv_run_opts;

/* Runs the validation. On success returns RV_OK with *out set (the caller
 * frees it with report_free), whatever the data's verdict. On failure
 * returns RV_USAGE (a --skip/--only id that names no check, options that
 * do not fit the rules) or RV_IO (an input or output failed), or
 * RV_INTERRUPT/RV_TERMINATED, with a message in err; streams are removed. */
rv_status engine_run(const rv_run_opts *o, const rv_ruleset *rs, const rv_graph *g, rv_report **out,
		     char *err, size_t errlen);
void report_free(rv_report *r);

#endif
