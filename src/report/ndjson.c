/* ndjson.c: the failure stream (--errors, -o X.ndjson): one JSON object per
 * failure, in row order, then one summary object. Written by hand rather
 * than through a JSON tree: there may be millions of lines. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/report.h"

/* What the report writers share: */

const char *sample_message(const rv_report *r, size_t check, const rv_sample *s)
{
	const char *m = s->message ? s->message : r->g->checks[check].message;
	return m ? m : "";
}

bool report_check_fails(const rv_report *r, size_t i)
{
	return !r->checks[i].passed && (r->g->checks[i].severity == SEV_ERROR || r->fail_on_warn);
}

double report_failed_ratio(const rv_counts *k)
{
	double ratio = k->evaluated ? (double)k->failed / (double)k->evaluated : 0;
	double rounded = round(ratio * 1e6) / 1e6;
	return rounded == 0 && k->failed ? ratio : rounded;
}

/* Appends s as a JSON string (s is valid UTF-8: samples are sanitised). */
void json_string(rv_buf *b, const char *s, size_t n);

void json_string(rv_buf *b, const char *s, size_t n)
{
	static const char HEX[] = "0123456789abcdef";
	buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default: {
			char u[7] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15], 0};
			buf_puts(b, u);
		}
		}
	}
	buf_append(b, s + run, n - run);
	buf_putc(b, '"');
}

void report_ndjson_failure(const rv_report *r, size_t check, const rv_sample *s, rv_buf *out)
{
	const rv_check *c = &r->g->checks[check];
	const char *input = r->inputs[s->input];
	buf_puts(out, "{\"input\":");
	json_string(out, input, strlen(input));
	if (s->row)
		buf_printf(out, ",\"row\":%" PRIu64, s->row);
	else
		buf_puts(out, ",\"row\":null");
	buf_printf(out, ",\"line\":%" PRIu64 ",\"id\":", s->line);
	json_string(out, c->id, strlen(c->id));
	if (c->field >= 0) {
		const char *f = r->g->rs->fields[c->field].name;
		buf_puts(out, ",\"field\":");
		json_string(out, f, strlen(f));
	}
	buf_puts(out, ",\"severity\":");
	buf_puts(out, c->severity == SEV_WARN ? "\"warn\"" : "\"error\"");
	buf_puts(out, ",\"value\":");
	if (s->value)
		json_string(out, s->value, s->value_len);
	else
		buf_puts(out, "null");
	if (s->truncated)
		buf_puts(out, ",\"truncated\":true");
	const char *m = sample_message(r, check, s);
	buf_puts(out, ",\"message\":");
	json_string(out, m, strlen(m));
	buf_puts(out, "}\n");
}

void report_ndjson_table(const rv_report *r, const rv_table_result *t, rv_buf *out)
{
	const rv_check *c = &r->g->checks[t->check];
	buf_puts(out, "{\"input\":null,\"row\":null,\"line\":null,\"id\":");
	json_string(out, c->id, strlen(c->id));
	buf_puts(out, ",\"severity\":\"error\",\"value\":");
	json_string(out, t->observed, strlen(t->observed));
	buf_puts(out, ",\"expected\":");
	json_string(out, t->expected, strlen(t->expected));
	buf_puts(out, ",\"message\":");
	const char *m = t->message ? t->message : c->message ? c->message : "";
	json_string(out, m, strlen(m));
	buf_puts(out, "}\n");
}

void report_ndjson_summary(const rv_report *r, rv_buf *out)
{
	size_t failed = 0;
	for (size_t i = 0; i < r->g->n_checks; i++)
		if (r->enabled[i] && !r->checks[i].passed)
			failed++;
	buf_printf(out,
		   "{\"summary\":{\"passed\":%s,\"rows\":{\"total\":%" PRIu64 ",\"valid\":%" PRIu64
		   ",\"invalid\":%" PRIu64 ",\"warned\":%" PRIu64 "},\"checks_failed\":%zu}}\n",
		   r->passed ? "true" : "false", r->total, r->valid, r->invalid, r->warned, failed);
}
