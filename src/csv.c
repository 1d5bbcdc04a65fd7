/* csv.c: record splitting and chunk cutting for the CSV dialects of SPEC 2.6.
 *
 * Two functions walk the same grammar. csv_find_cut only needs to know
 * where records end, so it reads 64 bytes a step by quote parity (or hops
 * from quote to quote where the dialect needs an exact walk). csv_next
 * splits one record into cells. Its fast path cuts records from a
 * structural index of the buffer (the offsets of quotes, line ends and
 * delimiters outside quotes, built 64 bytes a step); its careful path
 * follows the grammar byte by byte (unquoted runs found with SSE2 and a
 * 256-entry stop table, closing quotes with memchr) and takes everything
 * the index cannot tell: escapes, comment lines, stray quotes, the end of
 * the buffer. A quoted cell is copied into scratch only when it holds a
 * doubled quote or an escape. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __x86_64__
#include <immintrin.h>
#endif

#include "simd.h"
#include "util/xalloc.h"

/* The fast path's index batches: full size, and the size after a record the
 * careful path took (small, so that data which keeps needing it is not
 * indexed many times over). */
enum { IX_BATCH = 4096, IX_MIN_BATCH = 256 };

static void ix_restart(csv_cursor *c, const char *p, size_t batch);

void csv_cursor_init(csv_cursor *c, const csv_dialect *d)
{
	memset(c, 0, sizeof(*c));
	c->d = d;
	buf_init(&c->scratch, 0);
	/* a batch has at most one entry a byte; ix_more writes up to 8 past the last */
	c->ix = xmalloc((IX_BATCH + 8) * sizeof(uint32_t));
	c->stop[(unsigned char)d->delimiter] = 1;
	c->stop['\n'] = 1;
	if (d->escape)
		c->stop[(unsigned char)d->escape] = 1;
}

void csv_cursor_reset(csv_cursor *c, const char *buf, size_t len)
{
	c->p = buf;
	c->end = buf + len;
	c->trailing_lines = 0;
	c->base = buf;
	c->hi_last = NULL;
	/* offsets from base are 32-bit; an escape makes bytes literal, which
	 * only the careful path follows */
	c->ix_off = c->careful_only || c->d->escape || len > UINT32_MAX;
	ix_restart(c, buf, IX_BATCH);
}

void csv_cursor_free(csv_cursor *c)
{
	buf_free(&c->scratch);
	free(c->ix);
	c->ix = NULL;
}

void csv_record_free(csv_record *r)
{
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

static __attribute__((noinline)) void grow_cells(csv_record *r)
{
	r->cap = r->cap ? r->cap * 2 : 16;
	r->cells = xrealloc(r->cells, r->cap * sizeof(csv_cell));
}

static inline csv_cell *push_cell(csv_record *r)
{
	if (r->n == r->cap)
		grow_cells(r);
	csv_cell *cell = &r->cells[r->n++];
	cell->flags = 0;
	return cell;
}

/* Appends p[0..n) to the cursor's scratch: inline, and without a call to
 * memcpy for the short pieces an unescaped cell is made of (two overlapping
 * fixed-size copies cover any length up to 16). */
static inline void scratch_add(csv_cursor *c, const char *p, size_t n)
{
	rv_buf *b = &c->scratch;
	if (n > 16 || b->cap - b->len <= 16) {
		buf_append(b, p, n);
		return;
	}
	char *d = b->data + b->len;
	if (n >= 8) {
		memcpy(d, p, 8);
		memcpy(d + n - 8, p + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, p, 4);
		memcpy(d + n - 4, p + n - 4, 4);
	} else if (n) {
		d[0] = p[0];
		d[n / 2] = p[n / 2];
		d[n - 1] = p[n - 1];
	}
	b->len += n;
}

static size_t count_newlines(const char *p, size_t n)
{
	size_t k = 0;
	const char *end = p + n;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* The first byte at or after p that ends an unquoted run (a delimiter, a line
 * end or the escape), or end. Sixteen bytes a step with SSE2 where there
 * is room, a table lookup a byte for the tail. */
static const char *find_stop(const csv_cursor *c, const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i delim = _mm_set1_epi8(c->d->delimiter), nl = _mm_set1_epi8('\n');
	const __m128i esc = _mm_set1_epi8(c->d->escape ? c->d->escape : '\n');
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		__m128i hit =
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, delim), _mm_cmpeq_epi8(v, nl)),
				     _mm_cmpeq_epi8(v, esc));
		int m = _mm_movemask_epi8(hit);
		if (m)
			return p + __builtin_ctz((unsigned)m);
		p += 16;
	}
#endif
	while (p < end && !c->stop[(unsigned char)*p])
		p++;
	return p;
}

/* Scans an unquoted stretch from p up to a delimiter, a line end or the end
 * of the buffer. An escape makes the next byte literal: from the first one
 * on, the cell is built in scratch (starting with the bytes from `from`). */
static const char *scan_unquoted(csv_cursor *c, csv_record *r, const char *from, const char *p,
				 bool *copy)
{
	const char *end = c->end;
	char esc = c->d->escape;
	for (;;) {
		const char *s = p;
		p = find_stop(c, p, end);
		if (*copy)
			scratch_add(c, s, (size_t)(p - s));
		if (!(p < end && esc && *p == esc))
			return p;
		if (!*copy) {
			*copy = true;
			scratch_add(c, from, (size_t)(p - from));
		}
		if (p + 1 < end) {
			if (p[1] == '\n')
				r->newlines++;
			scratch_add(c, p + 1, 1);
			p += 2;
		} else {
			p++;
		}
	}
}

/* A doubled quote at q inside a quoted cell whose content starts at s: from
 * the first one on, the cell is built in scratch (from s, then from p, the
 * end of what was copied before), keeping one quote of each pair. */
static void copy_doubled(csv_cursor *c, bool *copy, const char *s, const char *p, const char *q)
{
	if (!*copy) {
		*copy = true;
		scratch_add(c, s, (size_t)(q + 1 - s));
	} else {
		scratch_add(c, p, (size_t)(q + 1 - p));
	}
}

/* Points the record's copied cells, which hold offsets into scratch while
 * the record is cut (scratch may move as it grows), at their bytes. A copy
 * can be empty (an escape as the buffer's last byte), and then scratch may
 * hold nothing at all. */
static void fix_copied(csv_cursor *c, csv_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->cells[i].flags & CELL_COPIED)
			r->cells[i].p =
				c->scratch.data ? c->scratch.data + (uintptr_t)r->cells[i].p : "";
}

/* Sets a quoted cell's value: the copy in scratch from off, or the span
 * [s, close) of the input. */
static void set_quoted(csv_cursor *c, csv_cell *cell, bool copy, size_t off, const char *s,
		       const char *close)
{
	cell->flags = CELL_QUOTED;
	if (copy) {
		cell->flags |= CELL_COPIED;
		cell->p = (const char *)(uintptr_t)off; /* fixed up when the record is done */
		cell->n = c->scratch.len - off;
	} else {
		cell->p = s;
		cell->n = (size_t)(close - s);
	}
}

/* Reads a quoted cell whose opening quote is at p. Returns where it stopped. */
static const char *quoted_cell(csv_cursor *c, csv_record *r, csv_cell *cell, const char *p)
{
	const csv_dialect *d = c->d;
	const char *end = c->end;
	const char *s = ++p, *close = NULL;
	bool copy = false;
	size_t off = c->scratch.len;
	const char *q = NULL; /* the next quote at or after p, kept across escapes */
	for (;;) {
		if (!q || q < p)
			q = memchr(p, d->quote, (size_t)(end - p));
		if (d->escape && d->escape != d->quote) {
			const char *e = memchr(p, d->escape, (size_t)((q ? q : end) - p));
			if (e) {
				if (!copy) {
					copy = true;
					scratch_add(c, s, (size_t)(e - s));
				} else {
					scratch_add(c, p, (size_t)(e - p));
				}
				if (e + 1 < end)
					scratch_add(c, e + 1, 1);
				p = e + 1 < end ? e + 2 : end;
				continue;
			}
		}
		if (!q) {
			/* unterminated: the cell runs to the end of the input */
			r->problems |= REC_UNTERMINATED;
			r->problem_cell = r->n - 1;
			if (copy)
				scratch_add(c, p, (size_t)(end - p));
			r->newlines += count_newlines(s, (size_t)(end - s));
			close = p = end;
			break;
		}
		if (q + 1 < end && q[1] == d->quote) {
			copy_doubled(c, &copy, s, p,
				     q); /* a doubled quote is one quote character */
			p = q + 2;
			continue;
		}
		if (copy)
			scratch_add(c, p, (size_t)(q - p));
		r->newlines += count_newlines(s, (size_t)(q - s));
		close = q;
		p = q + 1;
		break;
	}
	if (p < end && *p != d->delimiter && *p != '\n' &&
	    !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
		/* text after the closing quote: a csv.quote problem; the text is kept */
		r->problems |= REC_AFTER_QUOTE;
		r->problem_cell = r->n - 1;
		if (!copy) {
			copy = true;
			scratch_add(c, s, (size_t)(close - s));
		}
		p = scan_unquoted(c, r, p, p, &copy);
		if (p < end && *p == '\n' && c->scratch.len > off &&
		    c->scratch.data[c->scratch.len - 1] == '\r')
			c->scratch.len--;
	} else if (p < end && *p == '\r') {
		p++; /* the CR of a CRLF */
	}
	set_quoted(c, cell, copy, off, s, close);
	return p;
}

/* ---- the fast path: a structural index ----
 *
 * The cursor indexes its buffer a batch at a time: 64 bytes a step it takes
 * the bitmasks of quotes, line ends and delimiters (simd.h), marks what lies
 * inside quotes by the prefix XOR of the quote bits, and lists the offsets
 * of every quote, every line end and the delimiters outside quotes. Records
 * are then cut from that list, a few steps per cell. The parity reading
 * agrees with csv_next's grammar exactly when every quote of a record opens
 * a cell, closes it just before its delimiter or line end (or a CRLF), or
 * is one of a doubled pair inside; the fast path checks that of every quote
 * it reads (all quotes are in the list), and hands any other record to the
 * careful path, which starts the index again at that record's end. */

/* Bit i set when an odd number of bits 0..i of x are set. */
static inline uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* The number of bits set: inline, where __builtin_popcountll would be a
 * library call in a build for the x86-64 baseline. */
static inline size_t popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
	return (size_t)((x * 0x0101010101010101ull) >> 56);
}

/* The index entries of nblk blocks' masks, from offset off of base on:
 * every quote (when the dialect quotes), every line end, and the
 * delimiters outside quotes by the prefix XOR of the quote bits, carried
 * from block to block in *inside (all ones: inside quotes). Entries go out
 * eight at a time without a branch per entry, more in the rare block that
 * has them; the slots past the count are scratch (bit 63 set keeps ctz
 * defined when the bits run out), so ix has 8 slots to spare. *hi is set to
 * the last byte >= 0x80 seen. Returns the number of entries. */
#define INDEX_BLOCKS_BODY(PREFIX_XOR, POPCOUNT)                                                    \
	size_t n = 0;                                                                              \
	uint64_t inside = *inside_io;                                                              \
	for (size_t k = 0; k < nblk; k++, off += 64) {                                             \
		uint64_t quotes = has_quote ? m[k].a : 0;                                          \
		uint64_t in = PREFIX_XOR(quotes) ^ inside;                                         \
		inside = (uint64_t)((int64_t)in >> 63);                                            \
		uint64_t bits = quotes | m[k].b | (m[k].c & ~in);                                  \
		if (m[k].high)                                                                     \
			*hi = base + off + 63 - __builtin_clzll(m[k].high);                        \
		size_t count = (size_t)POPCOUNT(bits);                                             \
		uint32_t *out = ix + n;                                                            \
		for (int i = 0; i < 8; i++) {                                                      \
			out[i] = off + (uint32_t)__builtin_ctzll(bits | 1ull << 63);               \
			bits &= bits - 1;                                                          \
		}                                                                                  \
		for (size_t i = 8; i < count; i++) {                                               \
			out[i] = off + (uint32_t)__builtin_ctzll(bits);                            \
			bits &= bits - 1;                                                          \
		}                                                                                  \
		n += count;                                                                        \
	}                                                                                          \
	*inside_io = inside;                                                                       \
	return n

static size_t index_blocks_base(const rv_masks *m, size_t nblk, bool has_quote, const char *base,
				uint32_t off, uint32_t *ix, uint64_t *inside_io, const char **hi)
{
	INDEX_BLOCKS_BODY(prefix_xor, popcount64);
}

#ifdef __x86_64__
/* The prefix XOR as one carry-less multiply by all ones. */
__attribute__((target("pclmul"))) static inline uint64_t prefix_xor_clmul(uint64_t x)
{
	__m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8(-1), 0);
	return (uint64_t)_mm_cvtsi128_si64(r);
}

/* The same with CLMUL, POPCNT and TZCNT, which every CPU with AVX2 has. */
__attribute__((target("pclmul,popcnt,bmi"))) static size_t
index_blocks_clmul(const rv_masks *m, size_t nblk, bool has_quote, const char *base, uint32_t off,
		   uint32_t *ix, uint64_t *inside_io, const char **hi)
{
	INDEX_BLOCKS_BODY(prefix_xor_clmul, __builtin_popcountll);
}
#endif

static size_t index_blocks(const rv_masks *m, size_t nblk, bool has_quote, const char *base,
			   uint32_t off, uint32_t *ix, uint64_t *inside_io, const char **hi)
{
#ifdef __x86_64__
	if (__builtin_cpu_supports("pclmul") && __builtin_cpu_supports("popcnt") &&
	    __builtin_cpu_supports("bmi"))
		return index_blocks_clmul(m, nblk, has_quote, base, off, ix, inside_io, hi);
#endif
	return index_blocks_base(m, nblk, has_quote, base, off, ix, inside_io, hi);
}

/* Starts the index afresh at a record boundary p (outside quotes). */
static void ix_restart(csv_cursor *c, const char *p, size_t batch)
{
	c->ix_n = c->ix_k = 0;
	c->ix_end = p;
	c->ix_inside = 0;
	c->ix_batch = batch;
}

/* Indexes the next batch of bytes; false at the end of the buffer. */
static bool ix_more(csv_cursor *c)
{
	const csv_dialect *d = c->d;
	const char *p = c->ix_end;
	size_t avail = (size_t)(c->end - p);
	if (avail == 0)
		return false;
	size_t len = avail < c->ix_batch ? avail : c->ix_batch;
	size_t full = len / 64, nblk = full;
	rv_masks m[IX_BATCH / 64 + 1];
	char q = d->quote ? d->quote : '\n'; /* no quoting: no quote bits (cleared below) */
	masks64_n(p, full, q, '\n', d->delimiter, d->delimiter, m);
	if (full * 64 < len) {
		/* the buffer's last bytes: masks of a padded copy, bits past the end cleared */
		char tail[64] = {0};
		size_t rest = len - full * 64;
		memcpy(tail, p + full * 64, rest);
		masks64(tail, q, '\n', d->delimiter, d->delimiter, &m[full]);
		uint64_t keep = (1ull << rest) - 1;
		m[full].a &= keep;
		m[full].b &= keep;
		m[full].c &= keep;
		m[full].high &= keep;
		nblk++;
	}
	const char *hi = NULL;
	uint64_t inside = c->ix_inside;
	size_t n = index_blocks(m, nblk, d->quote != 0, c->base, (uint32_t)(p - c->base), c->ix,
				&inside, &hi);
	if (hi)
		c->hi_last = hi;
	c->ix_inside = inside;
	c->ix_n = n;
	c->ix_k = 0;
	c->ix_end = p + len;
	if (c->ix_batch < IX_BATCH)
		c->ix_batch *= 2; /* back to full batches after a careful record */
	return true;
}

/* The next indexed position, or NULL at the end of the buffer. */
static inline const char *ix_next(csv_cursor *c)
{
	while (c->ix_k == c->ix_n)
		if (!ix_more(c))
			return NULL;
	return c->base + c->ix[c->ix_k++];
}

/* A quoted cell on the fast path, its opening quote at p: the quotes and
 * line ends inside come from the index, doubled quotes are copied out as
 * quoted_cell does. Returns the delimiter or line end after the cell, or
 * NULL for the careful path. */
static const char *ix_quoted(csv_cursor *c, csv_record *r, csv_cell *cell, const char *p)
{
	const char q = c->d->quote, *end = c->end;
	const char *s = p + 1, *from = s, *close, *at;
	size_t nl = 0, off = c->scratch.len;
	bool copy = false;
	for (;;) {
		if (!(at = ix_next(c)))
			return NULL; /* unterminated here: the careful path decides */
		if (*at == '\n') {
			nl++;
			continue;
		}
		if (*at != q)
			return NULL; /* a delimiter the parity put outside: not this grammar */
		if (at + 1 < end && at[1] == q) {
			ix_next(c); /* the pair's second quote */
			copy_doubled(c, &copy, s, from, at);
			from = at + 2;
			continue;
		}
		close = at;
		break;
	}
	if (!(at = ix_next(c)))
		return NULL;
	bool ends = at == close + 1 ? *at != q : at == close + 2 && close[1] == '\r' && *at == '\n';
	if (!ends)
		return NULL; /* text after the closing quote: the careful path reports it */
	if (copy)
		scratch_add(c, from, (size_t)(close - from));
	r->newlines += nl;
	set_quoted(c, cell, copy, off, s, close);
	return at;
}

/* Cuts the record at c->p from the index. False (and the caller starts the
 * record again on the careful path) for a record the index cannot tell:
 * quotes outside the grammar above, or one that runs to the buffer's end
 * without a line end. */
static bool ix_record(csv_cursor *c, csv_record *r)
{
	const csv_dialect *d = c->d;
	const char *p = c->p;
	buf_reset(&c->scratch);
	for (;;) {
		csv_cell *x = push_cell(r);
		const char *at = ix_next(c);
		if (!at)
			return false;
		if (d->quote && *at == d->quote) {
			if (at != p)
				return false; /* a quote inside an unquoted cell */
			if (!(at = ix_quoted(c, r, x, at)))
				return false;
		} else {
			x->p = p;
			x->n = (size_t)(at - p);
			if (*at == '\n' && x->n && at[-1] == '\r')
				x->n--; /* CRLF */
		}
		p = at + 1;
		if (*at != '\n')
			continue; /* a delimiter */
		r->newlines++;
		break;
	}
	r->terminated = true;
	r->start = c->p;
	r->end = p;
	r->ascii = !(c->hi_last && c->hi_last >= r->start);
	c->p = p;
	if (c->scratch.len) /* a copy on this path holds a quote at least */
		fix_copied(c, r);
	return true;
}

bool csv_next(csv_cursor *c, csv_record *r)
{
	const csv_dialect *d = c->d;
	const char *p = c->p, *end = c->end;
	r->n = 0;
	r->problems = 0;
	r->lines_before = 0;
	r->newlines = 0;
	r->ascii = false;
	r->terminated = false;
	if (p < end && !c->ix_off && !(d->comment && *p == d->comment) && ix_record(c, r))
		return true;
	/* the careful path, from the record's start */
	r->n = 0;
	r->problems = 0;
	r->newlines = 0;
	buf_reset(&c->scratch);
	while (d->comment && p < end && *p == d->comment) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		r->lines_before++;
		p = nl ? nl + 1 : end;
	}
	if (p >= end) {
		c->trailing_lines = r->lines_before;
		c->p = end;
		return false;
	}
	r->start = p;
	for (;;) {
		csv_cell *cell = push_cell(r);
		if (d->quote && p < end && *p == d->quote) {
			p = quoted_cell(c, r, cell, p);
		} else {
			const char *s = p;
			bool copy = false;
			size_t off = c->scratch.len;
			p = scan_unquoted(c, r, s, p, &copy);
			if (copy) {
				if (p < end && *p == '\n' && c->scratch.len > off &&
				    c->scratch.data[c->scratch.len - 1] == '\r')
					c->scratch.len--; /* CRLF */
				cell->flags |= CELL_COPIED;
				cell->p = (const char *)(uintptr_t)off;
				cell->n = c->scratch.len - off;
			} else {
				const char *e = p;
				if (p < end && *p == '\n' && e > s && e[-1] == '\r')
					e--; /* CRLF */
				cell->p = s;
				cell->n = (size_t)(e - s);
			}
		}
		if (p < end && *p == d->delimiter) {
			p++;
			continue;
		}
		if (p < end && *p == '\n') {
			r->newlines++;
			r->terminated = true;
			p++;
		}
		break;
	}
	r->end = p;
	c->p = p;
	ix_restart(c, p, IX_MIN_BATCH);
	fix_copied(c, r);
	return true;
}

/* The quote at q opens a quoted cell when it is the first byte of a cell:
 * the buffer start (a record start) or just after a delimiter or line end. */
static bool at_cell_start(const csv_dialect *d, const char *buf, const char *q)
{
	return q == buf || q[-1] == d->delimiter || q[-1] == '\n';
}

/* The cut for dialects with an escape byte: a walk over every byte that
 * follows csv_next's rules exactly (escapes make the next byte literal in
 * and out of quotes, but not in comment lines). */
static size_t find_cut_escaped(const csv_dialect *d, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	size_t cut = 0;
	for (;;) {
		/* at a record start */
		if (d->comment && p < end && *p == d->comment) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				return cut;
			p = nl + 1;
			cut = (size_t)(p - buf);
			continue;
		}
		for (;;) {
			/* at a cell start */
			if (p >= end)
				return cut;
			if (d->quote && *p == d->quote) {
				p++;
				for (;;) {
					if (p >= end)
						return cut;
					if (*p == d->escape) {
						p += 2;
					} else if (*p == d->quote) {
						if (p + 1 >= end)
							return cut;
						if (p[1] != d->quote) {
							p++;
							break;
						}
						p += 2;
					} else {
						p++;
					}
				}
			}
			/* an unquoted run (or text after a closing quote) */
			while (p < end && *p != d->delimiter && *p != '\n') {
				if (*p == d->escape) {
					if (p + 1 >= end)
						return cut;
					p++;
				}
				p++;
			}
			if (p >= end)
				return cut;
			if (*p++ == '\n')
				break;
		}
		cut = (size_t)(p - buf);
	}
}

/* Bits [a, b) of a 64-bit mask. */
static inline uint64_t bit_range(unsigned a, unsigned b)
{
	/* a or b may be 64 (a quote as a block's last byte): never shift by 64 */
	uint64_t hi = b >= 64 ? ~0ull : (1ull << b) - 1;
	uint64_t lo = a >= 64 ? ~0ull : (1ull << a) - 1;
	return hi & ~lo;
}

/* The cut for quoting dialects without escapes or comments: 64 bytes a step,
 * a bit per quote and per line end; only the quote bits are visited, in
 * order, with the same rules as csv_next (a quote opens a cell only at a
 * cell start; a doubled quote inside is one quote). */
static size_t find_cut_blocks(const csv_dialect *d, const char *buf, size_t len)
{
	size_t cut = 0, pos = 0, skip = (size_t)-1; /* skip: a doubled quote's second byte */
	bool inq = false;
	while (pos < len) {
		size_t blen = len - pos < 64 ? len - pos : 64;
		uint64_t mq = 0, mnl = 0;
		if (blen == 64) {
			rv_masks m;
			masks64(buf + pos, d->quote, '\n', d->quote, d->quote, &m);
			mq = m.a;
			mnl = m.b;
		} else {
			for (size_t k = 0; k < blen; k++) {
				mq |= (uint64_t)(buf[pos + k] == d->quote) << k;
				mnl |= (uint64_t)(buf[pos + k] == '\n') << k;
			}
		}
		unsigned from = 0; /* outside quotes, line ends from here on are record ends */
		for (uint64_t q = mq; q; q &= q - 1) {
			unsigned i = (unsigned)__builtin_ctzll(q);
			size_t at = pos + i;
			if (at == skip)
				continue;
			if (!inq) {
				uint64_t ends = mnl & bit_range(from, i);
				if (ends)
					cut = pos + (63 - (unsigned)__builtin_clzll(ends)) + 1;
				if (at == 0 || buf[at - 1] == d->delimiter || buf[at - 1] == '\n')
					inq = true; /* a quote at a cell start opens a quoted cell
						     */
				from = i + 1;       /* elsewhere it is text */
			} else {
				if (at + 1 >= len)
					return cut; /* a doubled quote cannot be told from a closing
						       one yet */
				if (buf[at + 1] == d->quote) {
					skip = at + 1;
					continue;
				}
				inq = false;
				from = i + 1;
			}
		}
		if (!inq) {
			uint64_t ends = mnl & bit_range(from, (unsigned)blen);
			if (ends)
				cut = pos + (63 - (unsigned)__builtin_clzll(ends)) + 1;
		}
		pos += blen;
	}
	return cut;
}

/* The cut for well-formed quoting, 64 bytes a step without visiting quotes:
 * the prefix XOR of the quote bits marks what is inside quotes, and line
 * ends outside are record ends. That reading agrees with csv_next exactly
 * when every opening quote stands at a cell start (or right after a closing
 * quote: a doubled quote) and every closing quote is followed by a
 * delimiter, a line end, CR or a quote; a block that breaks this returns
 * false and the caller walks the quotes one by one instead. */
static bool find_cut_parity(const csv_dialect *d, const char *buf, size_t len, size_t *cut_out)
{
	size_t cut = 0;
	uint64_t inside_carry = 0; /* all ones when the previous block ended inside quotes */
	uint64_t start_carry = 1;  /* the next block's byte 0 is a cell start */
	uint64_t close_carry = 0;  /* the previous block ended with a closing quote */
	size_t pos = 0;
	for (; pos + 64 <= len; pos += 64) {
		rv_masks m;
		masks64(buf + pos, d->quote, '\n', d->delimiter, d->delimiter, &m);
		uint64_t q = m.a, nl = m.b, delim = m.c;
		uint64_t inside = prefix_xor(q) ^ inside_carry;
		uint64_t opening = q & inside, closing = q & ~inside;
		uint64_t cell_start = ((delim | nl) << 1) | start_carry;
		if (opening & ~(cell_start | (closing << 1) | close_carry))
			return false; /* a quote inside an unquoted cell */
		/* what follows a closing quote must be a delimiter, a line end or a
		 * quote (doubled); the few others (CR, or text: then give up) are
		 * looked at byte by byte, and so is the byte after a closing quote
		 * that ended the previous block */
		uint64_t odd = ((closing << 1) | close_carry) & ~(delim | nl | q);
		for (; odd; odd &= odd - 1) {
			unsigned i = (unsigned)__builtin_ctzll(odd);
			size_t at = pos + i;
			if (!(buf[at] == '\r' && at + 1 < len && buf[at + 1] == '\n'))
				return false; /* text after a closing quote */
		}
		uint64_t ends = nl & ~inside;
		if (ends)
			cut = pos + (63 - (unsigned)__builtin_clzll(ends)) + 1;
		inside_carry = (inside >> 63) ? ~0ull : 0;
		start_carry = ((delim | nl) >> 63) & 1;
		close_carry = (closing >> 63) & 1;
	}
	if (pos < len) {
		/* the tail: hand the decision to the exact walk from the last record end */
		size_t rest = find_cut_blocks(d, buf + cut, len - cut);
		if (rest)
			cut += rest;
	}
	*cut_out = cut;
	return true;
}

size_t csv_find_cut(const csv_dialect *d, const char *buf, size_t len, bool eof)
{
	if (eof)
		return len;
	if (d->escape && d->escape != d->quote)
		return find_cut_escaped(d, buf, len);
	if (d->quote && !d->comment) {
		size_t cut;
		if (find_cut_parity(d, buf, len, &cut))
			return cut;
		return find_cut_blocks(d, buf, len);
	}
	/* no escape from here on (an escape equal to the quote is refused with
	 * the dialect): unquoted dialects, and quoting ones with comments */
	const char *p = buf, *end = buf + len;
	const char *rec_start = buf; /* the start of the record p is in */
	size_t cut = 0;
	for (;;) {
		const char *q = d->quote ? memchr(p, d->quote, (size_t)(end - p)) : NULL;
		const char *gap_end = q ? q : end;
		/* line ends between here and the next quote are outside quotes; an
		 * escaped line end (escape + LF) is not a record end */
		const char *nl = memrchr(p, '\n', (size_t)(gap_end - p));
		if (nl) {
			cut = (size_t)(nl + 1 - buf);
			rec_start = nl + 1;
		}
		if (!q)
			return cut;
		bool comment_line = d->comment && *rec_start == d->comment;
		if (comment_line || !at_cell_start(d, buf, q)) {
			if (comment_line) {
				/* the rest of a comment line is text, quotes included */
				const char *e = memchr(q, '\n', (size_t)(end - q));
				if (!e)
					return cut;
				cut = (size_t)(e + 1 - buf);
				rec_start = p = e + 1;
				continue;
			}
			p = q + 1;
			continue;
		}
		/* a quoted cell: find its closing quote */
		const char *r = q + 1;
		for (;;) {
			const char *c = memchr(r, d->quote, (size_t)(end - r));
			if (!c)
				return cut; /* it goes on past this buffer */
			if (c + 1 == end)
				return cut; /* a doubled quote cannot be told from a closing one yet
					     */
			if (c[1] == d->quote) {
				r = c + 2;
				continue;
			}
			p = c + 1;
			break;
		}
	}
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		/* ASCII eight bytes at a time */
		while (end - p >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (w & 0x8080808080808080ull)
				break;
			p += 8;
		}
		if (p >= end)
			break;
		unsigned char c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		size_t k;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= k)
			return false;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		p += k + 1;
	}
	return true;
}

size_t utf8_length(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}
