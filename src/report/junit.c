/* junit.c: the JUnit XML report: one testsuite per run, one testcase per check. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/markup.h"
#include "report/report.h"

#ifndef RVALID_VERSION
#define RVALID_VERSION "0.0.0"
#endif

typedef enum { TC_PASSED, TC_FAILED, TC_SKIPPED } outcome;

static void text(rv_buf *out, const char *s)
{
	xml_escape(out, s, strlen(s), false);
}

static void attr(rv_buf *out, const char *name, const char *s)
{
	buf_printf(out, " %s=\"", name);
	xml_escape(out, s, strlen(s), true);
	buf_putc(out, '"');
}

static void property(rv_buf *out, const char *name, const char *value)
{
	buf_puts(out, "      <property");
	attr(out, "name", name);
	attr(out, "value", value);
	buf_puts(out, "/>\n");
}

static void property_count(rv_buf *out, const char *name, uint64_t n)
{
	char v[24];
	snprintf(v, sizeof(v), "%" PRIu64, n);
	property(out, name, v);
}

/* A check that makes the run fail fails its testcase (a warning only under
 * --fail-on warn); one that looked at nothing is skipped. */
static outcome check_outcome(const rv_report *r, size_t i)
{
	const rv_check_result *cr = &r->checks[i];
	if (report_check_fails(r, i))
		return TC_FAILED;
	if (cr->counts.evaluated == 0 && cr->counts.failed == 0)
		return TC_SKIPPED;
	return TC_PASSED;
}

/* The failed ratio of the JSON report: six decimals, trailing zeros cut, or
 * three significant digits for a failure too rare to show in six. */
static void put_ratio(rv_buf *out, const rv_counts *k)
{
	double v = report_failed_ratio(k);
	char tmp[32];
	if (k->failed && round(v * 1e6) == 0) {
		snprintf(tmp, sizeof(tmp), "%.3g", v);
	} else {
		snprintf(tmp, sizeof(tmp), "%.6f", v);
		size_t n = strlen(tmp);
		while (n > 1 && tmp[n - 1] == '0')
			tmp[--n] = '\0';
		if (tmp[n - 1] == '.')
			tmp[n - 1] = '\0';
	}
	buf_puts(out, tmp);
}

/* The samples, one a line: input, row, line, value and the sample's own
 * message, as plain text (escaped by the caller). */
static void put_samples(rv_buf *t, const rv_report *r, size_t check)
{
	const rv_check_result *cr = &r->checks[check];
	const char *own = r->g->checks[check].message;
	if (cr->n_samples == 0)
		return;
	buf_printf(t, "the first %zu failure%s, in row order:\n", cr->n_samples,
		   cr->n_samples == 1 ? "" : "s");
	for (size_t k = 0; k < cr->n_samples; k++) {
		const rv_sample *s = &cr->samples[k];
		buf_printf(t, "  %s ", r->inputs[s->input]);
		if (s->row)
			buf_printf(t, "row %" PRIu64 " (line %" PRIu64 ")", s->row, s->line);
		else
			buf_printf(t, "line %" PRIu64, s->line);
		if (s->value) {
			buf_puts(t, ": ");
			buf_quote(t, s->value, s->value_len);
			if (s->truncated)
				buf_puts(t, "... (truncated)");
		}
		if (s->message && (!own || strcmp(s->message, own) != 0))
			buf_printf(t, " (%s)", s->message);
		buf_putc(t, '\n');
	}
}

/* The body of a failure or of system-out: counts, then the samples. */
static void check_body(rv_buf *t, const rv_report *r, size_t i, outcome o)
{
	const rv_check *c = &r->g->checks[i];
	const rv_check_result *cr = &r->checks[i];
	if (o == TC_PASSED && c->severity == SEV_WARN && !cr->passed)
		buf_puts(t, "warning: ");
	buf_printf(t, "%" PRIu64 " of %" PRIu64 " failed (ratio ", cr->counts.failed,
		   cr->counts.evaluated);
	put_ratio(t, &cr->counts);
	buf_printf(t, "), %" PRIu64 " skipped", cr->counts.skipped);
	if (cr->passed && cr->counts.failed)
		buf_puts(t, ", within mostly");
	buf_printf(t, ": %s\n", c->message ? c->message : c->id);
	put_samples(t, r, i);
}

static void testcase_open(rv_buf *out, const rv_report *r, size_t i)
{
	const rv_check *c = &r->g->checks[i];
	const char *group = c->kind >= CK_TABLE_ROWS_MIN ? "table"
			    : c->kind == CK_CSV          ? "csv"
			    : c->kind == CK_RULE         ? "rules"
			    : c->field >= 0              ? r->g->rs->fields[c->field].name
							 : "rvalid";
	buf_puts(out, "    <testcase classname=\"rvalid.");
	xml_escape(out, group, strlen(group), true);
	buf_putc(out, '"');
	attr(out, "name", c->id);
	buf_puts(out, " time=\"0\"");
}

static void result_element(rv_buf *out, const char *element, const char *message, const char *type,
			   const rv_buf *body)
{
	buf_printf(out, "      <%s", element);
	if (message)
		attr(out, "message", message);
	if (type)
		attr(out, "type", type);
	buf_putc(out, '>');
	xml_escape(out, body->data ? body->data : "", body->len, false);
	buf_printf(out, "</%s>\n", element);
}

static void check_case(rv_buf *out, const rv_report *r, size_t i, rv_buf *tmp)
{
	const rv_check *c = &r->g->checks[i];
	const rv_check_result *cr = &r->checks[i];
	outcome o = check_outcome(r, i);
	testcase_open(out, r, i);
	if (o == TC_PASSED && cr->counts.failed == 0) {
		buf_puts(out, "/>\n");
		return;
	}
	buf_puts(out, ">\n");
	buf_reset(tmp);
	if (o == TC_SKIPPED) {
		char m[96];
		snprintf(m, sizeof(m), "nothing to check: 0 evaluated, %" PRIu64 " skipped",
			 cr->counts.skipped);
		buf_puts(out, "      <skipped");
		attr(out, "message", m);
		buf_puts(out, "/>\n");
	} else {
		check_body(tmp, r, i, o);
		if (o == TC_FAILED)
			result_element(out, "failure", c->message ? c->message : c->id, c->id, tmp);
		else
			result_element(out, "system-out", NULL, NULL, tmp);
	}
	buf_puts(out, "    </testcase>\n");
}

static void table_case(rv_buf *out, const rv_report *r, const rv_table_result *t, rv_buf *tmp)
{
	const rv_check *c = &r->g->checks[t->check];
	const char *m = t->message ? t->message : c->message ? c->message : c->id;
	testcase_open(out, r, t->check);
	if (t->passed) {
		buf_puts(out, "/>\n");
		return;
	}
	buf_puts(out, ">\n");
	buf_reset(tmp);
	buf_printf(tmp, "observed %s, expected %s: %s\n", t->observed, t->expected, m);
	put_samples(tmp, r, t->check);
	result_element(out, "failure", m, c->id, tmp);
	buf_puts(out, "    </testcase>\n");
}

void report_junit(const rv_report *r, rv_buf *out)
{
	const rv_graph *g = r->g;
	size_t tests = 0, failures = 0, skipped = 0;
	for (size_t i = 0; i < g->n_checks; i++) {
		if (!r->enabled[i] || g->checks[i].kind >= CK_TABLE_ROWS_MIN)
			continue;
		outcome o = check_outcome(r, i);
		tests++;
		failures += o == TC_FAILED;
		skipped += o == TC_SKIPPED;
	}
	for (size_t i = 0; i < r->n_table; i++) {
		tests++;
		failures += !r->table[i].passed;
	}
	char counts[160];
	snprintf(counts, sizeof(counts),
		 " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\"",
		 tests, failures, skipped, r->duration_s);

	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rvalid\"");
	buf_puts(out, counts);
	attr(out, "timestamp", r->started_at);
	buf_puts(out, ">\n  <testsuite name=\"rvalid: ");
	xml_escape(out, r->rules_file, strlen(r->rules_file), true);
	buf_putc(out, '"');
	buf_puts(out, counts);
	attr(out, "timestamp", r->started_at);
	buf_puts(out, ">\n    <properties>\n");
	property(out, "rvalid.version", RVALID_VERSION);
	property(out, "rules", r->rules_file);
	for (size_t i = 0; i < r->n_inputs; i++)
		property(out, "input", r->inputs[i]);
	property_count(out, "rows.total", r->total);
	property_count(out, "rows.valid", r->valid);
	property_count(out, "rows.invalid", r->invalid);
	property_count(out, "rows.warned", r->warned);
	property(out, "fail_on", r->fail_on_warn ? "warn" : "error");
	property(out, "passed", r->passed ? "true" : "false");
	buf_puts(out, "    </properties>\n");

	rv_buf tmp;
	buf_init(&tmp, 0);
	for (size_t i = 0; i < g->n_checks; i++)
		if (r->enabled[i] && g->checks[i].kind < CK_TABLE_ROWS_MIN)
			check_case(out, r, i, &tmp);
	for (size_t i = 0; i < r->n_table; i++)
		table_case(out, r, &r->table[i], &tmp);
	buf_free(&tmp);

	buf_puts(out, "    <system-out>");
	buf_printf(out,
		   "%s: %" PRIu64 " records, %" PRIu64 " valid, %" PRIu64 " invalid, %" PRIu64
		   " warned (rules ",
		   r->passed ? "PASSED" : "FAILED", r->total, r->valid, r->invalid, r->warned);
	text(out, r->rules_file);
	buf_puts(out, ")</system-out>\n  </testsuite>\n</testsuites>\n");
}
