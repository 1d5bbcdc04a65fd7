/* text.c: the summary a person reads in five seconds: the verdict first,
 * then the failing checks by failed count, each with its samples. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

typedef struct {
	size_t check;
	uint64_t failed;
} ranked;

static int by_failed(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->failed != y->failed)
		return x->failed > y->failed ? -1 : 1;
	return x->check < y->check ? -1 : x->check > y->check;
}

static void paint(rv_buf *out, bool color, const char *code, const char *s)
{
	if (color)
		buf_printf(out, "\033[%sm%s\033[0m", code, s);
	else
		buf_puts(out, s);
}

static void put_sample(rv_buf *out, const rv_report *r, size_t check, const rv_sample *s)
{
	buf_puts(out, "      ");
	if (r->n_inputs > 1)
		buf_printf(out, "%s ", r->inputs[s->input]);
	if (s->row)
		buf_printf(out, "row %" PRIu64 " (line %" PRIu64 ")", s->row, s->line);
	else
		buf_printf(out, "line %" PRIu64, s->line);
	if (s->value) {
		buf_puts(out, ": ");
		buf_quote(out, s->value, s->value_len);
		if (s->truncated)
			buf_puts(out, "...");
	}
	if (s->message)
		buf_printf(out, " (%s)", s->message);
	buf_putc(out, '\n');
	(void)check;
}

static void section(rv_buf *out, const rv_report *r, bool color, bool warnings)
{
	const rv_graph *g = r->g;
	ranked *list = malloc((g->n_checks ? g->n_checks : 1) * sizeof(ranked));
	size_t n = 0;
	for (size_t i = 0; i < g->n_checks; i++) {
		const rv_check *c = &g->checks[i];
		const rv_check_result *cr = &r->checks[i];
		if (!r->enabled[i] || c->kind >= CK_TABLE_ROWS_MIN || cr->counts.failed == 0)
			continue;
		bool warn = c->severity == SEV_WARN && !r->fail_on_warn;
		if (warn != warnings)
			continue;
		list[n++] = (ranked){i, cr->counts.failed};
	}
	qsort(list, n, sizeof(ranked), by_failed);
	if (n) {
		paint(out, color, warnings ? "33" : "31", warnings ? "warnings:" : "errors:");
		buf_putc(out, '\n');
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = list[k].check;
		const rv_check *c = &g->checks[i];
		const rv_check_result *cr = &r->checks[i];
		buf_printf(out, "  %-28s %" PRIu64 " of %" PRIu64 " failed", c->id,
			   cr->counts.failed, cr->counts.evaluated);
		if (cr->passed)
			buf_puts(out, " (within mostly)");
		buf_printf(out, ": %s\n", c->message ? c->message : "");
		for (size_t s = 0; s < cr->n_samples; s++)
			put_sample(out, r, i, &cr->samples[s]);
	}
	free(list);
}

void report_text(const rv_report *r, rv_buf *out, bool color)
{
	paint(out, color, r->passed ? "32;1" : "31;1", r->passed ? "PASSED" : "FAILED");
	buf_printf(out, "  %" PRIu64 " record%s: %" PRIu64 " valid, %" PRIu64 " invalid", r->total,
		   r->total == 1 ? "" : "s", r->valid, r->invalid);
	if (r->warned)
		buf_printf(out, ", %" PRIu64 " warned", r->warned);
	buf_printf(out, " (rules %s)\n", r->rules_file);
	section(out, r, color, false);
	section(out, r, color, true);
	for (size_t i = 0; i < r->n_table; i++) {
		const rv_table_result *t = &r->table[i];
		if (i == 0)
			buf_puts(out, "table:\n");
		buf_printf(out, "  %-28s %s: observed %s, expected %s\n", r->g->checks[t->check].id,
			   t->passed ? "passed" : "FAILED", t->observed, t->expected);
	}
}
