/* csv.h: the streaming CSV parser: bytes in, records of zero-copy cells out.
 *
 * The input is cut into chunks that end on record boundaries
 * (csv_find_cut); each chunk is then split into records by a csv_cursor,
 * which any thread may run on its own chunk. Cells are spans into the chunk
 * (zero-copy); only a quoted cell holding doubled quotes, or escapes, is
 * unescaped into the cursor's scratch buffer. Spans stay valid until the
 * next csv_next call on the same cursor.
 *
 * Semantics (SPEC 2.6): RFC 4180 quoting, where a quote opens a quoted cell
 * only as the first byte of a cell (a lone `"` inside an unquoted cell is
 * text); LF and CRLF end records (a lone CR is text); text after a closing
 * quote and an unterminated quoted cell are csv.quote problems; `escape`
 * makes the next byte literal; lines starting with `comment` are skipped.
 * csv_find_cut and csv_next share these rules exactly, so a chunk never
 * splits a record. */
#ifndef RV_CSV_H
#define RV_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct {
	char delimiter;
	char quote;   /* 0: no quoting */
	char escape;  /* 0: none */
	char comment; /* 0: none */
} csv_dialect;

enum {
	CELL_QUOTED = 1, /* the cell was quoted ("" is a quoted empty cell) */
	CELL_COPIED = 2  /* p points into the cursor's scratch, not the chunk */
};

typedef struct {
	const char *p;
	size_t n;
	unsigned flags;
} csv_cell;

enum {
	REC_UNTERMINATED = 1, /* a quoted cell runs to the end of the input */
	REC_AFTER_QUOTE = 2   /* text after a closing quote */
};

typedef struct {
	csv_cell *cells;
	size_t n, cap;
	const char *start, *end; /* the record's raw bytes, its line end included */
	size_t lines_before;     /* comment lines skipped just before it */
	size_t newlines;         /* line ends inside the record (quoted ones and its own) */
	unsigned problems;       /* REC_* */
	size_t problem_cell;     /* the cell a problem was found in */
	bool ascii;              /* known to be all ASCII (false: not known either way) */
	bool terminated;         /* it ended at its line end (not at the buffer's end) */
} csv_record;

typedef struct {
	const csv_dialect *d;
	const char *p, *end;
	rv_buf scratch;
	unsigned char stop[256]; /* bytes that end an unquoted run */
	size_t trailing_lines;   /* comment lines after the last record (set at the end) */
	/* The fast path's index: the offsets from base of the quotes, line ends
	 * and delimiters outside quotes (by quote parity) of [ix_end - indexed
	 * bytes, ix_end), in order; the next one to read is ix[ix_k]. */
	const char *base;
	uint32_t *ix;
	size_t ix_n, ix_k, ix_batch;
	const char *ix_end;
	uint64_t ix_inside;  /* all ones when ix_end is inside quotes by parity */
	const char *hi_last; /* the last byte >= 0x80 indexed, or NULL */
	bool ix_off;         /* no index for this buffer (an escape dialect, > 4 GiB) */
	bool careful_only;   /* for tests: never take the fast path */
} csv_cursor;

void csv_cursor_init(csv_cursor *c, const csv_dialect *d);
void csv_cursor_reset(csv_cursor *c, const char *buf, size_t len);
void csv_cursor_free(csv_cursor *c);
void csv_record_free(csv_record *r);
/* Splits off the next record. False at the end of the buffer. */
bool csv_next(csv_cursor *c, csv_record *r);

/* The length of the longest prefix of buf[0..len) that ends on a record
 * boundary (just after a line end outside quotes); 0 if there is none. buf
 * must start at a record boundary. At the end of the input (eof) the whole
 * buffer is taken. Reads nothing past len. */
size_t csv_find_cut(const csv_dialect *d, const char *buf, size_t len, bool eof);

/* True if s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t n);
/* The number of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t n);

#endif
