/* report.h: the result of a validation run, and the writers that show it.
 *
 * rv_report is the reference model (SPEC 5): every output format is a view
 * of it, so the formats never disagree. The engine fills it; the writers
 * only read it. It owns its strings (in its arena). */
#ifndef RV_REPORT_H
#define RV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eval.h"
#include "graph.h"
#include "util/arena.h"
#include "util/buf.h"

typedef struct {
	uint32_t input;    /* index into inputs */
	uint64_t row;      /* 1-based data record; 0 for a file-level problem (null) */
	uint64_t line;     /* physical line where the record starts */
	const char *value; /* NULL when the failure has no value */
	size_t value_len;
	bool truncated;
	const char *message; /* NULL: the check's message */
} rv_sample;

typedef struct {
	rv_counts counts;
	bool passed;
	rv_sample *samples;
	size_t n_samples;
} rv_check_result;

typedef struct {
	size_t check; /* index in the graph's checks */
	bool passed;
	const char *observed, *expected;
	const char *message; /* NULL: the check's (an override may change the limit) */
} rv_table_result;

/* The statistics of a field that its table aggregates computed (NULL, or
 * has_distinct false, when none): the aggregates' observed texts. */
typedef struct {
	const char *sum, *mean, *stddev;
	bool has_distinct;
	uint64_t distinct;
} rv_fieldagg;

typedef struct rv_report {
	rv_arena *arena;
	const rv_graph *g;
	const char *rules_file;
	const char **inputs;
	size_t n_inputs;
	const bool *enabled; /* per check: reported at all */
	char started_at[32]; /* ISO 8601 UTC */
	double duration_s;
	int threads;
	bool passed;
	bool fail_on_warn;
	uint64_t total, valid, invalid, warned;
	rv_check_result *checks; /* per graph check */
	rv_table_result *table;
	size_t n_table;
	rv_fieldstat *fields;    /* per field */
	rv_fieldagg *field_aggs; /* per field */
} rv_report;

/* The message of a sample: its own, or its check's. */
const char *sample_message(const rv_report *r, size_t check, const rv_sample *s);
/* Whether check i makes the run fail: it failed, and it is an error (or
 * warnings fail the run). */
bool report_check_fails(const rv_report *r, size_t i);
/* failed / evaluated to six decimals (SPEC 5); a real failure never rounds
 * to 0: then the unrounded ratio. */
double report_failed_ratio(const rv_counts *k);

/* Writers: append the whole report to out. */
void report_json(const rv_report *r, rv_buf *out);
void report_text(const rv_report *r, rv_buf *out, bool color);
/* JUnit XML: one testsuite per run, one testcase per reported check and per
 * table check; a check that fails the run fails its testcase (warnings pass,
 * with system-out, unless --fail-on warn); one that evaluated nothing is
 * skipped. Validates against doc/junit.xsd. */
void report_junit(const rv_report *r, rv_buf *out);
/* One self-contained HTML page (no network): verdict, totals, a chart of
 * failures per check, samples, per-field statistics, filters. */
void report_html(const rv_report *r, rv_buf *out);
/* One NDJSON line for a failure (the --errors stream) and the summary line. */
void report_ndjson_failure(const rv_report *r, size_t check, const rv_sample *s, rv_buf *out);
void report_ndjson_summary(const rv_report *r, rv_buf *out);
/* The line of a failing whole-table check (row and line null). */
void report_ndjson_table(const rv_report *r, const rv_table_result *t, rv_buf *out);

#endif
