/* progress.c: a one-line progress display on a terminal. */
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

struct rv_progress {
	FILE *out;
	int64_t size;
	struct timespec start, last;
	bool drawn;
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

rv_progress *progress_new(FILE *out)
{
	rv_progress *p = xcalloc(1, sizeof(*p));
	p->out = out;
	p->size = -1;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
	return p;
}

void progress_free(rv_progress *p)
{
	if (!p)
		return;
	progress_done(p);
	free(p);
}

void progress_input(rv_progress *p, int64_t size)
{
	p->size = size;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

/* 1234567 -> "1,234,567" */
static void thousands(char *out, size_t size, uint64_t v)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

/* 1234567.0 -> "1.2M" */
static void human(char *out, size_t size, double v, const char *unit)
{
	static const char *const P[] = {"", "k", "M", "G", "T"};
	int i = 0;
	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(out, size, i ? "%.1f%s%s" : "%.0f%s%s", v, P[i], unit);
}

void progress_format(char *out, size_t size, uint64_t records, uint64_t bytes, int64_t total,
		     double elapsed)
{
	char recs[32], data[32], rate[32];
	thousands(recs, sizeof(recs), records);
	human(data, sizeof(data), (double)bytes, "B");
	human(rate, sizeof(rate), elapsed > 0 ? (double)records / elapsed : 0, "");
	int k = snprintf(out, size, "  %s records  %s  %s records/s", recs, data, rate);
	if (total > 0 && k > 0 && (size_t)k < size) {
		double done = (double)bytes / (double)total;
		if (done > 1)
			done = 1;
		int pct = (int)(done * 100);
		if (done > 0 && elapsed > 0) {
			long eta = (long)(elapsed / done - elapsed + 0.5);
			snprintf(out + k, size - (size_t)k, "  %d%%  ETA %ld:%02ld", pct, eta / 60,
				 eta % 60);
		} else {
			snprintf(out + k, size - (size_t)k, "  %d%%", pct);
		}
	}
}

void progress_update(rv_progress *p, uint64_t records, uint64_t bytes)
{
	if (seconds_since(&p->last) < 0.1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	char line[160];
	progress_format(line, sizeof(line), records, bytes, p->size, seconds_since(&p->start));
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->drawn = true;
}

void progress_done(rv_progress *p)
{
	if (p && p->drawn) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
		p->drawn = false;
	}
}
