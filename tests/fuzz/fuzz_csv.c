/* fuzz_csv.c: the CSV parser on any bytes, and the chunk property.
 *
 * The first byte picks a dialect and a window size; the rest is the input.
 * Parsing it in one pass and parsing it chunk by chunk, as the reader cuts
 * it with csv_find_cut, must give the same records (cells, flags, problems,
 * line counts), and so must the careful path alone (without the structural
 * index); nothing may read outside the buffers (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

typedef struct {
	size_t n;
	unsigned problems;
	size_t newlines, lines_before;
	uint64_t digest; /* of the cells' bytes, lengths and flags */
} rec_sum;

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
	return h;
}

static rec_sum summarise(const csv_record *r)
{
	rec_sum s = {r->n, r->problems, r->newlines, r->lines_before, 0};
	for (size_t i = 0; i < r->n; i++) {
		s.digest = mix(s.digest, r->cells[i].n);
		s.digest = mix(s.digest, r->cells[i].flags & CELL_QUOTED);
		for (size_t k = 0; k < r->cells[i].n; k++)
			s.digest = mix(s.digest, (unsigned char)r->cells[i].p[k]);
	}
	return s;
}

/* Parses buf[0..len) in one go; returns the records' summaries (malloc'd). */
static rec_sum *parse_all(const csv_dialect *d, const char *buf, size_t len, bool careful,
			  size_t *count)
{
	csv_cursor c;
	csv_record r = {0};
	csv_cursor_init(&c, d);
	c.careful_only = careful;
	csv_cursor_reset(&c, buf, len);
	rec_sum *out = NULL;
	size_t n = 0, cap = 0;
	while (csv_next(&c, &r)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			out = realloc(out, cap * sizeof(rec_sum));
		}
		out[n++] = summarise(&r);
	}
	csv_record_free(&r);
	csv_cursor_free(&c);
	*count = n;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const char DELIMS[] = {',', ';', '\t', '|'};
	uint8_t sel = data[0];
	csv_dialect d = {DELIMS[sel & 3], (sel & 4) ? '\'' : '"', (sel & 8) ? '\\' : 0,
	                 (sel & 16) ? '#' : 0};
	size_t window = 1 + (size_t)((sel >> 5) * 37);
	size_t len = size - 1;
	char *buf = malloc(len ? len : 1); /* exactly len bytes: ASan sees any over-read */
	memcpy(buf, data + 1, len);

	size_t n_one, n_careful;
	rec_sum *one = parse_all(&d, buf, len, false, &n_one);
	rec_sum *careful = parse_all(&d, buf, len, true, &n_careful);
	if (n_careful != n_one)
		abort();
	for (size_t i = 0; i < n_one; i++) {
		const rec_sum *a = &one[i], *b = &careful[i];
		if (a->n != b->n || a->problems != b->problems || a->newlines != b->newlines ||
		    a->lines_before != b->lines_before || a->digest != b->digest)
			abort();
	}
	free(careful);

	/* the reader's way: windows of `window` bytes, grown while no cut is found */
	size_t pos = 0, n_chunks = 0;
	rec_sum *chunked = malloc((n_one + 1) * sizeof(rec_sum) + 1);
	while (pos < len) {
		size_t w = window, cut;
		for (;;) {
			bool eof = len - pos <= w;
			size_t wl = eof ? len - pos : w;
			char *win = malloc(wl ? wl : 1);
			memcpy(win, buf + pos, wl);
			cut = csv_find_cut(&d, win, wl, eof);
			free(win);
			if (cut > 0 || eof)
				break;
			w *= 2;
		}
		if (cut == 0)
			break;
		char *chunk = malloc(cut);
		memcpy(chunk, buf + pos, cut);
		size_t n;
		rec_sum *part = parse_all(&d, chunk, cut, false, &n);
		for (size_t i = 0; i < n; i++) {
			if (n_chunks >= n_one + 1)
				abort(); /* more records than one pass found */
			chunked[n_chunks++] = part[i];
		}
		free(part);
		free(chunk);
		pos += cut;
	}
	/* trailing comment lines are not records: compare the records only */
	if (n_chunks != n_one)
		abort();
	for (size_t i = 0; i < n_one; i++) {
		const rec_sum *a = &one[i], *b = &chunked[i];
		if (a->n != b->n || a->problems != b->problems || a->newlines != b->newlines ||
		    a->digest != b->digest)
			abort();
	}
	free(one);
	free(chunked);
	free(buf);
	return 0;
}
