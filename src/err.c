/* err.c: diagnostics lists. */
#include "err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

rv_status rv_status_worst(rv_status a, rv_status b)
{
	return a > b ? a : b;
}

void diags_init(rv_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = xstrdup(file ? file : "-");
	d->max_errors = 100;
}

void diags_free(rv_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].msg);
	free(d->items);
	free(d->file);
	memset(d, 0, sizeof(*d));
}

static void add(rv_diags *d, diag_level level, int line, int col, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static void add(rv_diags *d, diag_level level, int line, int col, const char *fmt, va_list ap)
{
	if (level == DIAG_ERROR) {
		d->errors++;
		if (d->errors > d->max_errors)
			return;
	} else {
		d->warnings++;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = xrealloc(d->items, d->cap * sizeof(rv_diag));
	}
	va_list ap2;
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *msg = xmalloc((size_t)(len < 0 ? 0 : len) + 1);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	d->items[d->n++] = (rv_diag){level, line, col, msg};
}

void diag_error(rv_diags *d, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, DIAG_ERROR, line, col, fmt, ap);
	va_end(ap);
}

void diag_warn(rv_diags *d, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, DIAG_WARNING, line, col, fmt, ap);
	va_end(ap);
}

void diags_print(const rv_diags *d, FILE *f)
{
	size_t *order = xmalloc((d->n ? d->n : 1) * sizeof(size_t));
	for (size_t i = 0; i < d->n; i++)
		order[i] = i;
	/* insertion sort: stable, and lists are short */
	for (size_t i = 1; i < d->n; i++) {
		size_t k = order[i], j = i;
		while (j > 0) {
			const rv_diag *a = &d->items[order[j - 1]], *b = &d->items[k];
			if (a->line < b->line || (a->line == b->line && a->col <= b->col))
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	for (size_t i = 0; i < d->n; i++) {
		const rv_diag *g = &d->items[order[i]];
		const char *lvl = g->level == DIAG_WARNING ? "warning: " : "";
		if (g->line > 0)
			fprintf(f, "rvalid: %s:%d:%d: %s%s\n", d->file, g->line, g->col, lvl,
				g->msg);
		else
			fprintf(f, "rvalid: %s: %s%s\n", d->file, lvl, g->msg);
	}
	if (d->errors > d->max_errors)
		fprintf(f, "rvalid: %s: %zu more errors not shown\n", d->file,
			d->errors - d->max_errors);
	free(order);
}
