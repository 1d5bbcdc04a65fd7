/* test_csv.c: unit tests for the CSV parser (csv.c): the csv-spectrum conformance cases against
 * their JSON ground truth, the edge cases of SPEC 2.6 with exact cells, flags, offsets and line
 * counts, the chunk-boundary property (a reader cutting with csv_find_cut at every window size
 * and parsing each chunk alone gets exactly the records of one pass over the whole input), its
 * randomized form, and utf8_valid / utf8_length against an independent table-driven decoder.
 *
 * Every parse runs on a heap copy of exactly the bytes given (no NUL, no slack), so a read past
 * the end is a heap overflow under ASan rather than a silent look at the next byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "csv.h"

static const csv_dialect D_DEFAULT = {',', '"', 0, 0};
static const csv_dialect D_TAB = {'\t', '"', 0, 0};
static const csv_dialect D_SEMI = {';', '"', 0, 0};
static const csv_dialect D_NOQUOTE = {',', 0, 0, 0};
static const csv_dialect D_ESCAPE = {',', '"', '\\', 0};
static const csv_dialect D_COMMENT = {',', '"', 0, '#'};
static const csv_dialect D_ESC_COMMENT = {',', '"', '\\', '#'};

/* ---- helpers: exact copies, rendering, flat records ---- */

static char *dup_exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	if (n)
		memcpy(p, s, n);
	return p;
}

/* Renders s[0..n) as a C string literal body into out (for failure messages). */
static const char *render(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\n': o += (size_t)snprintf(out + o, cap - o, "\\n"); break;
		case '\r': o += (size_t)snprintf(out + o, cap - o, "\\r"); break;
		case '\t': o += (size_t)snprintf(out + o, cap - o, "\\t"); break;
		case '"': o += (size_t)snprintf(out + o, cap - o, "\\\""); break;
		case '\\': o += (size_t)snprintf(out + o, cap - o, "\\\\"); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
			else
				out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}

static size_t count_byte(const char *p, size_t n, char c)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == c;
	return k;
}

/* A record copied out of the cursor, with offsets into the whole input. */
typedef struct {
	char *p;
	size_t n;
	unsigned flags;
} tcell;

typedef struct {
	size_t start, end, lines_before, newlines, problem_cell;
	unsigned problems;
	size_t n;
	tcell *cells;
} trec;

typedef struct {
	trec *v;
	size_t n, cap;
} trecs;

static void trecs_free(trecs *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->v[i].n; j++)
			free(t->v[i].cells[j].p);
		free(t->v[i].cells);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Copies r, whose chunk is chunk[0..len) at offset `off` of the whole input, into t. Checks what
 * holds for every record: its span lies in the chunk and is not empty, it ends with a LF unless
 * it ends the chunk, and a cell that is not CELL_COPIED points into the record's own bytes. */
static bool trecs_add(trecs *t, const csv_record *r, const char *chunk, size_t len, size_t off,
		      char *why, size_t whylen)
{
	if (r->start < chunk || r->end > chunk + len || r->start >= r->end) {
		snprintf(why, whylen, "record span [%td,%td) outside the chunk of %zu bytes",
			 r->start - chunk, r->end - chunk, len);
		return false;
	}
	if (r->end != chunk + len && r->end[-1] != '\n') {
		snprintf(why, whylen, "record [%td,%td) ends mid-chunk without a line end",
			 r->start - chunk, r->end - chunk);
		return false;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = realloc(t->v, t->cap * sizeof(trec));
		assert_non_null(t->v);
	}
	trec *o = &t->v[t->n++];
	o->start = off + (size_t)(r->start - chunk);
	o->end = off + (size_t)(r->end - chunk);
	o->lines_before = r->lines_before;
	o->newlines = r->newlines;
	o->problems = r->problems;
	o->problem_cell = r->problem_cell;
	o->n = r->n;
	o->cells = calloc(r->n ? r->n : 1, sizeof(tcell));
	assert_non_null(o->cells);
	for (size_t j = 0; j < r->n; j++) {
		const csv_cell *c = &r->cells[j];
		if (!(c->flags & CELL_COPIED) && (c->p < r->start || c->p + c->n > r->end)) {
			snprintf(why, whylen,
				 "record at %zu: zero-copy cell %zu is outside the record",
				 o->start, j);
			o->n = j;
			return false;
		}
		o->cells[j].p = malloc(c->n + 1);
		assert_non_null(o->cells[j].p);
		if (c->n)
			memcpy(o->cells[j].p, c->p, c->n);
		o->cells[j].p[c->n] = '\0';
		o->cells[j].n = c->n;
		o->cells[j].flags = c->flags;
	}
	return true;
}

/* Set: parse_all takes csv_next's careful path only (no structural index). */
static bool g_careful_only;

/* Parses the whole of buf[0..len) in one pass. Also checks that the records and the comment
 * lines they skip partition the input: between two records lie exactly lines_before lines, each
 * starting with the comment byte, and after the last record only comment lines. */
static bool parse_all(const csv_dialect *d, const char *buf, size_t len, trecs *out, char *why,
		      size_t whylen)
{
	char *copy = dup_exact(buf, len);
	csv_cursor c;
	csv_record r;
	memset(&r, 0, sizeof(r));
	csv_cursor_init(&c, d);
	c.careful_only = g_careful_only;
	csv_cursor_reset(&c, copy, len);
	bool ok = true;
	size_t prev = 0;
	while (ok && csv_next(&c, &r)) {
		size_t start = (size_t)(r.start - copy);
		if (start < prev) {
			snprintf(why, whylen, "record at %zu overlaps the one before (ends %zu)",
				 start, prev);
			ok = false;
			break;
		}
		size_t lines = count_byte(copy + prev, start - prev, '\n');
		if (lines != r.lines_before || (start > prev && copy[start - 1] != '\n')) {
			snprintf(why, whylen,
				 "%zu bytes with %zu line ends before the record at %zu, "
				 "but lines_before = %zu",
				 start - prev, lines, start, r.lines_before);
			ok = false;
			break;
		}
		for (size_t i = prev; i < start; i++) {
			if ((i == prev || copy[i - 1] == '\n') && copy[i] != d->comment) {
				snprintf(why, whylen, "skipped line at %zu is not a comment", i);
				ok = false;
			}
		}
		for (const char *b = r.start; ok && r.ascii && b < r.end; b++) {
			if ((unsigned char)*b >= 0x80) {
				snprintf(why, whylen, "record at %zu is said to be ASCII but is not",
					 start);
				ok = false;
			}
		}
		if (ok)
			ok = trecs_add(out, &r, copy, len, 0, why, whylen);
		prev = (size_t)(r.end - copy);
	}
	for (size_t i = prev; ok && i < len; i++) {
		if ((i == prev || copy[i - 1] == '\n') && copy[i] != d->comment) {
			snprintf(why, whylen,
				 "bytes at %zu after the last record are not a comment", i);
			ok = false;
		}
	}
	if (ok && csv_next(&c, &r)) {
		snprintf(why, whylen, "csv_next gave a record after reporting the end");
		ok = false;
	}
	csv_record_free(&r);
	csv_cursor_free(&c);
	free(copy);
	return ok;
}

/* Compares two records; `mask` selects the cell flags compared. */
static bool trec_equal(const trec *a, const trec *b, unsigned mask, char *why, size_t whylen)
{
	char x[256], y[256];
	if (a->start != b->start || a->end != b->end) {
		snprintf(why, whylen, "span [%zu,%zu) vs [%zu,%zu)", a->start, a->end, b->start,
			 b->end);
		return false;
	}
	if (a->lines_before != b->lines_before || a->newlines != b->newlines) {
		snprintf(why, whylen, "record at %zu: lines_before %zu, newlines %zu vs %zu, %zu",
			 a->start, a->lines_before, a->newlines, b->lines_before, b->newlines);
		return false;
	}
	if (a->problems != b->problems || (a->problems && a->problem_cell != b->problem_cell)) {
		snprintf(why, whylen, "record at %zu: problems %u (cell %zu) vs %u (cell %zu)",
			 a->start, a->problems, a->problem_cell, b->problems, b->problem_cell);
		return false;
	}
	if (a->n != b->n) {
		snprintf(why, whylen, "record at %zu: %zu cells vs %zu", a->start, a->n, b->n);
		return false;
	}
	for (size_t j = 0; j < a->n; j++) {
		const tcell *p = &a->cells[j], *q = &b->cells[j];
		if (p->n != q->n || memcmp(p->p, q->p, p->n) != 0 ||
		    (p->flags & mask) != (q->flags & mask)) {
			snprintf(why, whylen,
				 "record at %zu, cell %zu: \"%s\" flags %u vs \"%s\" flags %u",
				 a->start, j, render(p->p, p->n, x, sizeof(x)), p->flags & mask,
				 render(q->p, q->n, y, sizeof(y)), q->flags & mask);
			return false;
		}
	}
	return true;
}

static bool trecs_equal(const trecs *a, const trecs *b, unsigned mask, char *why, size_t whylen)
{
	size_t n = a->n < b->n ? a->n : b->n;
	for (size_t i = 0; i < n; i++) {
		if (!trec_equal(&a->v[i], &b->v[i], mask, why, whylen)) {
			size_t k = strlen(why);
			snprintf(why + k, whylen - k, " (record %zu)", i);
			return false;
		}
	}
	if (a->n != b->n) {
		snprintf(why, whylen, "%zu records vs %zu", a->n, b->n);
		return false;
	}
	return true;
}

/* ---- expected records for the edge cases ---- */

typedef struct {
	const char *s;
	size_t n;
	unsigned flags;
} ecell;

typedef struct {
	size_t start, end, lines_before, newlines;
	unsigned problems;
	size_t problem_cell;
	size_t n;
	const ecell *cells;
} erec;

/* clang-format off */
#define C(s)       {(s), sizeof(s) - 1, 0}
#define Q(s)       {(s), sizeof(s) - 1, CELL_QUOTED}
#define CELLS(...) \
	sizeof((const ecell[]){__VA_ARGS__}) / sizeof(ecell), (const ecell[]){__VA_ARGS__}
/* CHECK(dialect, "input", {start, end, lines_before, newlines, problems, problem_cell,
 *       CELLS(C("plain"), Q("quoted"))}, ...) */
#define CHECK(d, s, ...)                                                                           \
	check_parse(__LINE__, (d), (s), sizeof(s) - 1, (const erec[]){__VA_ARGS__},               \
		    sizeof((const erec[]){__VA_ARGS__}) / sizeof(erec))
#define CHECK_NONE(d, s) check_parse(__LINE__, (d), (s), sizeof(s) - 1, NULL, 0)
/* clang-format on */

/* Parses in[0..len) and compares with exp: spans, line counts, problems, cell texts and the
 * CELL_QUOTED flag. */
static void check_parse(int line, const csv_dialect *d, const char *in, size_t len, const erec *exp,
			size_t nexp)
{
	char why[1024], show[512];
	trecs got = {0}, want = {0};
	if (!parse_all(d, in, len, &got, why, sizeof(why))) {
		trecs_free(&got);
		fail_msg("line %d: \"%s\": %s", line, render(in, len, show, sizeof(show)), why);
	}
	want.v = calloc(nexp ? nexp : 1, sizeof(trec));
	assert_non_null(want.v);
	want.n = want.cap = nexp;
	for (size_t i = 0; i < nexp; i++) {
		trec *t = &want.v[i];
		t->start = exp[i].start;
		t->end = exp[i].end;
		t->lines_before = exp[i].lines_before;
		t->newlines = exp[i].newlines;
		t->problems = exp[i].problems;
		t->problem_cell = exp[i].problem_cell;
		t->n = exp[i].n;
		t->cells = calloc(t->n, sizeof(tcell));
		assert_non_null(t->cells);
		for (size_t j = 0; j < t->n; j++) {
			t->cells[j].p = dup_exact(exp[i].cells[j].s, exp[i].cells[j].n);
			t->cells[j].n = exp[i].cells[j].n;
			t->cells[j].flags = exp[i].cells[j].flags;
		}
	}
	bool ok = trecs_equal(&got, &want, CELL_QUOTED, why, sizeof(why));
	trecs_free(&got);
	trecs_free(&want);
	if (!ok)
		fail_msg("line %d: \"%s\": got vs expected: %s", line,
			 render(in, len, show, sizeof(show)), why);
}

/* ---- 1. csv-spectrum ---- */

typedef struct {
	size_t start, end, newlines;
	const char *quoted; /* one byte per cell: 'q' quoted, '.' not */
} spec_rec;

typedef struct {
	const char *name;
	size_t len;
	size_t nrec;
	spec_rec recs[4];
	const char *hand[4]; /* if set: the data values by hand, not from the JSON */
} spec_case;

/* Offsets and line counts worked out by hand from the bytes of each file. */
static const spec_case SPECTRUM[] = {
	{"comma_in_quotes", 68, 2, {{0, 28, 1, "....."}, {28, 68, 0, "...q."}}, {NULL}},
	{"empty", 19, 3, {{0, 6, 1, "..."}, {6, 14, 1, ".qq"}, {14, 19, 0, "..."}}, {NULL}},
	{"empty_crlf", 21, 3, {{0, 7, 1, "..."}, {7, 16, 1, ".qq"}, {16, 21, 0, "..."}}, {NULL}},
	{"escaped_quotes", 25, 3, {{0, 4, 1, ".."}, {4, 21, 1, ".q"}, {21, 25, 1, ".."}}, {NULL}},
	{"json", 65, 2, {{0, 8, 1, ".."}, {8, 65, 1, ".q"}}, {NULL}},
	/* json/location_coordinates.json is a bare object whose phone is not the CSV's
	 * (SOURCES.md): the values are the CSV's, by hand; the lone quotes are text */
	{"location_coordinates",
	 117,
	 2,
	 {{0, 58, 1, "...."}, {58, 117, 0, "...."}},
	 {"2095257564",
	  "37\xEF\xBF\xBD"
	  "36'37.8\"N 121\xEF\xBF\xBD"
	  "2'17.9\"W",
	  "Modesto", "Stanislaus"}},
	{"newlines",
	 42,
	 4,
	 {{0, 6, 1, "..."}, {6, 12, 1, "..."}, {12, 36, 2, "q.."}, {36, 42, 1, "..."}},
	 {NULL}},
	{"newlines_crlf",
	 47,
	 4,
	 {{0, 7, 1, "..."}, {7, 14, 1, "..."}, {14, 40, 2, "q.."}, {40, 47, 1, "..."}},
	 {NULL}},
	{"quotes_and_newlines",
	 27,
	 3,
	 {{0, 4, 1, ".."}, {4, 23, 3, ".q"}, {23, 27, 1, ".."}},
	 {NULL}},
	{"simple", 12, 2, {{0, 6, 1, "..."}, {6, 12, 1, "..."}}, {NULL}},
	{"simple_crlf", 14, 2, {{0, 7, 1, "..."}, {7, 14, 1, "..."}}, {NULL}},
	{"utf8", 18, 3, {{0, 6, 1, "..."}, {6, 12, 1, "..."}, {12, 18, 0, "..."}}, {NULL}},
};

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *p = malloc(cap);
	assert_non_null(p);
	size_t k;
	while ((k = fread(p + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (cap - n - 1 == 0) {
			cap *= 2;
			p = realloc(p, cap);
			assert_non_null(p);
		}
	}
	fclose(f);
	p[n] = '\0';
	*len = n;
	return p;
}

/* The suite lives in the shared folder beside the repository: /work/shared here, ../shared
 * from the repository root in CI. */
static const char *spectrum_dir(void)
{
	static const char *const dirs[] = {"/work/shared/conformance/csv-spectrum",
					   "../shared/conformance/csv-spectrum"};
	char probe[512];
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(probe, sizeof(probe), "%s/csvs/simple.csv", dirs[i]);
		if (access(probe, R_OK) == 0)
			return dirs[i];
	}
	fail_msg("csv-spectrum not found in /work/shared/conformance or ../shared/conformance");
	return NULL;
}

static bool cell_is(const tcell *c, const char *s)
{
	return c->n == strlen(s) && memcmp(c->p, s, c->n) == 0;
}

static void check_spectrum(const char *dir, const spec_case *sc)
{
	char path[1024], why[1024];
	size_t len, jlen;
	snprintf(path, sizeof(path), "%s/csvs/%s.csv", dir, sc->name);
	char *csv = read_whole(path, &len);
	if (!csv)
		fail_msg("cannot read %s", path);
	assert_int_equal(len, sc->len);
	trecs got = {0};
	if (!parse_all(&D_DEFAULT, csv, len, &got, why, sizeof(why)))
		fail_msg("%s: %s", sc->name, why);
	if (got.n != sc->nrec)
		fail_msg("%s: %zu records, expected %zu", sc->name, got.n, sc->nrec);
	for (size_t i = 0; i < got.n; i++) {
		const trec *r = &got.v[i];
		const spec_rec *e = &sc->recs[i];
		if (r->start != e->start || r->end != e->end || r->newlines != e->newlines ||
		    r->problems != 0 || r->lines_before != 0 || r->n != strlen(e->quoted))
			fail_msg("%s record %zu: [%zu,%zu) newlines %zu problems %u, %zu cells; "
				 "expected [%zu,%zu) newlines %zu, no problems, %zu cells",
				 sc->name, i, r->start, r->end, r->newlines, r->problems, r->n,
				 e->start, e->end, e->newlines, strlen(e->quoted));
		for (size_t j = 0; j < r->n; j++)
			if (!!(r->cells[j].flags & CELL_QUOTED) != (e->quoted[j] == 'q'))
				fail_msg("%s record %zu cell %zu: quoted flag %u", sc->name, i, j,
					 r->cells[j].flags);
	}

	snprintf(path, sizeof(path), "%s/json/%s.json", dir, sc->name);
	char *json = read_whole(path, &jlen);
	if (!json)
		fail_msg("cannot read %s", path);
	cJSON *root = cJSON_ParseWithLength(json, jlen);
	if (!root)
		fail_msg("%s: the JSON does not parse", path);
	size_t rows = cJSON_IsArray(root) ? (size_t)cJSON_GetArraySize(root) : 1;
	if (sc->hand[0])
		assert_true(cJSON_IsObject(root)); /* the upstream bare object */
	else
		assert_true(cJSON_IsArray(root));
	assert_int_equal(rows + 1, got.n);
	const trec *header = &got.v[0];
	for (size_t i = 0; i < rows; i++) {
		const cJSON *obj = cJSON_IsArray(root) ? cJSON_GetArrayItem(root, (int)i) : root;
		const trec *rec = &got.v[i + 1];
		assert_true(cJSON_IsObject(obj));
		assert_int_equal((size_t)cJSON_GetArraySize(obj), header->n);
		assert_int_equal(rec->n, header->n);
		size_t j = 0;
		for (const cJSON *kv = obj->child; kv; kv = kv->next, j++) {
			assert_true(cJSON_IsString(kv));
			if (!cell_is(&header->cells[j], kv->string))
				fail_msg("%s header cell %zu: \"%s\", JSON key \"%s\"", sc->name, j,
					 header->cells[j].p, kv->string);
			const char *want = sc->hand[0] ? sc->hand[j] : kv->valuestring;
			if (!cell_is(&rec->cells[j], want))
				fail_msg("%s record %zu cell %zu: \"%s\", expected \"%s\"",
					 sc->name, i + 1, j, rec->cells[j].p, want);
			/* where the upstream JSON is right, it agrees with the values by hand */
			if (sc->hand[0] && j > 0)
				assert_string_equal(kv->valuestring, sc->hand[j]);
		}
	}
	cJSON_Delete(root);
	free(json);
	trecs_free(&got);
	free(csv);
}

static void test_spectrum(void **state)
{
	const char *dir = spectrum_dir();
	for (size_t i = 0; i < sizeof(SPECTRUM) / sizeof(SPECTRUM[0]); i++)
		check_spectrum(dir, &SPECTRUM[i]);
}

/* ---- 2. edge cases ---- */

static void test_line_ends(void **state)
{
	CHECK(&D_DEFAULT, "a,b\nc,d\n", {0, 4, 0, 1, 0, 0, CELLS(C("a"), C("b"))},
	      {4, 8, 0, 1, 0, 0, CELLS(C("c"), C("d"))});
	CHECK(&D_DEFAULT, "a,b\r\nc,d\r\n", {0, 5, 0, 1, 0, 0, CELLS(C("a"), C("b"))},
	      {5, 10, 0, 1, 0, 0, CELLS(C("c"), C("d"))});
	/* CRLF inside quotes is kept; the CRLF after the record is not */
	CHECK(&D_DEFAULT, "\"a\r\nb\",c\r\n", {0, 10, 0, 2, 0, 0, CELLS(Q("a\r\nb"), C("c"))});
	CHECK(&D_DEFAULT, "\"a\"\r\nb", {0, 5, 0, 1, 0, 0, CELLS(Q("a"))},
	      {5, 6, 0, 0, 0, 0, CELLS(C("b"))});
	/* a lone CR is text, also before the CR of a CRLF and at the end of the input */
	CHECK(&D_DEFAULT, "a\rb,c\rd\n", {0, 8, 0, 1, 0, 0, CELLS(C("a\rb"), C("c\rd"))});
	CHECK(&D_DEFAULT, "a\r\r\n", {0, 4, 0, 1, 0, 0, CELLS(C("a\r"))});
	CHECK(&D_DEFAULT, "a\r", {0, 2, 0, 0, 0, 0, CELLS(C("a\r"))});
	CHECK(&D_DEFAULT, "\r", {0, 1, 0, 0, 0, 0, CELLS(C("\r"))});
	/* a last record without a line end */
	CHECK(&D_DEFAULT, "a,b\nc,d", {0, 4, 0, 1, 0, 0, CELLS(C("a"), C("b"))},
	      {4, 7, 0, 0, 0, 0, CELLS(C("c"), C("d"))});
	/* empty lines are records with one empty cell */
	CHECK(&D_DEFAULT, "\n", {0, 1, 0, 1, 0, 0, CELLS(C(""))});
	CHECK(&D_DEFAULT, "\r\n", {0, 2, 0, 1, 0, 0, CELLS(C(""))});
	CHECK(&D_DEFAULT, "a\n\n\r\nb\n", {0, 2, 0, 1, 0, 0, CELLS(C("a"))},
	      {2, 3, 0, 1, 0, 0, CELLS(C(""))}, {3, 5, 0, 1, 0, 0, CELLS(C(""))},
	      {5, 7, 0, 1, 0, 0, CELLS(C("b"))});
	CHECK_NONE(&D_DEFAULT, "");
}

static void test_empty_cells(void **state)
{
	CHECK(&D_DEFAULT, ",,", {0, 2, 0, 0, 0, 0, CELLS(C(""), C(""), C(""))});
	CHECK(&D_DEFAULT, ",,\n", {0, 3, 0, 1, 0, 0, CELLS(C(""), C(""), C(""))});
	CHECK(&D_DEFAULT, "a,\n", {0, 3, 0, 1, 0, 0, CELLS(C("a"), C(""))});
	CHECK(&D_DEFAULT, ",a", {0, 2, 0, 0, 0, 0, CELLS(C(""), C("a"))});
	/* "" is a quoted empty cell */
	CHECK(&D_DEFAULT, "\"\"", {0, 2, 0, 0, 0, 0, CELLS(Q(""))});
	CHECK(&D_DEFAULT, "\"\",\"\"\n", {0, 6, 0, 1, 0, 0, CELLS(Q(""), Q(""))});
	CHECK(&D_DEFAULT, ",\"\",\r\n", {0, 6, 0, 1, 0, 0, CELLS(C(""), Q(""), C(""))});
}

static void test_quoting(void **state)
{
	CHECK(&D_DEFAULT, "\"a\"\"b\"\n", {0, 7, 0, 1, 0, 0, CELLS(Q("a\"b"))});
	CHECK(&D_DEFAULT, "\"\"\"\"\n", {0, 5, 0, 1, 0, 0, CELLS(Q("\""))});
	CHECK(&D_DEFAULT, "\"\"\"\"\"\",\"\"\"x\"\n",
	      {0, 13, 0, 1, 0, 0, CELLS(Q("\"\""), Q("\"x"))});
	CHECK(&D_DEFAULT, "\"a,b\",c\n", {0, 8, 0, 1, 0, 0, CELLS(Q("a,b"), C("c"))});
	CHECK(&D_DEFAULT, "\"a\n\nb\"\n", {0, 7, 0, 3, 0, 0, CELLS(Q("a\n\nb"))});
	/* a quote opens a quoted cell only as the first byte of a cell */
	CHECK(&D_DEFAULT, "37\"N,x\n", {0, 7, 0, 1, 0, 0, CELLS(C("37\"N"), C("x"))});
	CHECK(&D_DEFAULT, "a\"b\"c\n", {0, 6, 0, 1, 0, 0, CELLS(C("a\"b\"c"))});
	CHECK(&D_DEFAULT, " \"a\"\n", {0, 5, 0, 1, 0, 0, CELLS(C(" \"a\""))});
	CHECK(&D_DEFAULT, "a\"\n\"b\"\n", {0, 3, 0, 1, 0, 0, CELLS(C("a\""))},
	      {3, 7, 0, 1, 0, 0, CELLS(Q("b"))});
	/* the BOM is not handled here: its bytes are the start of the first cell, and a quote
	 * after it is not at a cell start */
	CHECK(&D_DEFAULT,
	      "\xEF\xBB\xBF"
	      "a,b\n",
	      {0, 7, 0, 1, 0, 0,
	       CELLS(C("\xEF\xBB\xBF"
		       "a"),
		     C("b"))});
	CHECK(&D_DEFAULT, "\xEF\xBB\xBF\"a\",b\n",
	      {0, 9, 0, 1, 0, 0, CELLS(C("\xEF\xBB\xBF\"a\""), C("b"))});
}

static void test_after_quote(void **state)
{
	CHECK(&D_DEFAULT, "\"abc\"def\n", {0, 9, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("abcdef"))});
	CHECK(&D_DEFAULT, "x,\"abc\"def,y\n",
	      {0, 13, 0, 1, REC_AFTER_QUOTE, 1, CELLS(C("x"), Q("abcdef"), C("y"))});
	CHECK(&D_DEFAULT, "\"a\" ,b\n", {0, 7, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("a "), C("b"))});
	CHECK(&D_DEFAULT, "\"a\"b\r\nc\n", {0, 6, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("ab"))},
	      {6, 8, 0, 1, 0, 0, CELLS(C("c"))});
	CHECK(&D_DEFAULT, "\"a\"b\"c\"\n", {0, 8, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("ab\"c\""))});
	CHECK(&D_DEFAULT, "\"a\"\"\"b\n", {0, 7, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("a\"b"))});
	/* a lone CR after the closing quote is text, at the end of the input too */
	CHECK(&D_DEFAULT, "\"a\"\rb\n", {0, 6, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("a\rb"))});
	CHECK(&D_DEFAULT, "\"a\"\r", {0, 4, 0, 0, REC_AFTER_QUOTE, 0, CELLS(Q("a\r"))});
	/* the record after a problem record is clean */
	CHECK(&D_DEFAULT, "\"a\"b\n\"c\"\n", {0, 5, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("ab"))},
	      {5, 9, 0, 1, 0, 0, CELLS(Q("c"))});
}

static void test_unterminated(void **state)
{
	CHECK(&D_DEFAULT, "a,\"b\nc\n",
	      {0, 7, 0, 2, REC_UNTERMINATED, 1, CELLS(C("a"), Q("b\nc\n"))});
	CHECK(&D_DEFAULT, "\"", {0, 1, 0, 0, REC_UNTERMINATED, 0, CELLS(Q(""))});
	CHECK(&D_DEFAULT, "x\n\"a\"\"b\n\n", {0, 2, 0, 1, 0, 0, CELLS(C("x"))},
	      {2, 9, 0, 2, REC_UNTERMINATED, 0, CELLS(Q("a\"b\n\n"))});
	/* a doubled quote at the very end is a quote character, not a closing quote */
	CHECK(&D_DEFAULT, "\"a\"\"", {0, 4, 0, 0, REC_UNTERMINATED, 0, CELLS(Q("a\""))});
	CHECK(&D_DEFAULT, "a\"\n\"\r\n", {0, 3, 0, 1, 0, 0, CELLS(C("a\""))},
	      {3, 6, 0, 1, REC_UNTERMINATED, 0, CELLS(Q("\r\n"))});
}

static void test_delimiters(void **state)
{
	CHECK(&D_TAB, "a\tb,c\t\"d\te\"\n1\t\t2",
	      {0, 12, 0, 1, 0, 0, CELLS(C("a"), C("b,c"), Q("d\te"))},
	      {12, 16, 0, 0, 0, 0, CELLS(C("1"), C(""), C("2"))});
	CHECK(&D_SEMI, "a;b,c;\"d;e\"\r\n1;2\n",
	      {0, 13, 0, 1, 0, 0, CELLS(C("a"), C("b,c"), Q("d;e"))},
	      {13, 17, 0, 1, 0, 0, CELLS(C("1"), C("2"))});
	/* with quote = 0 quotes are text, and a line end in "quotes" ends the record */
	CHECK(&D_NOQUOTE, "\"a,b\"\n", {0, 6, 0, 1, 0, 0, CELLS(C("\"a"), C("b\""))});
	CHECK(&D_NOQUOTE, "\"a\nb\"\n", {0, 3, 0, 1, 0, 0, CELLS(C("\"a"))},
	      {3, 6, 0, 1, 0, 0, CELLS(C("b\""))});
	CHECK(&D_NOQUOTE, "\"\",\"", {0, 4, 0, 0, 0, 0, CELLS(C("\"\""), C("\""))});
}

static void test_escape(void **state)
{
	/* outside quotes: an escaped delimiter, an escaped escape, an escaped quote */
	CHECK(&D_ESCAPE, "a\\,b,c\n", {0, 7, 0, 1, 0, 0, CELLS(C("a,b"), C("c"))});
	CHECK(&D_ESCAPE, "a\\\\b\n", {0, 5, 0, 1, 0, 0, CELLS(C("a\\b"))});
	CHECK(&D_ESCAPE, "a\\\"b\n", {0, 5, 0, 1, 0, 0, CELLS(C("a\"b"))});
	CHECK(&D_ESCAPE, "\\\"a\"\n", {0, 5, 0, 1, 0, 0, CELLS(C("\"a\""))});
	/* inside quotes: an escaped quote, an escaped delimiter, an escaped escape before the
	 * closing quote */
	CHECK(&D_ESCAPE, "\"a\\\"b\"\n", {0, 7, 0, 1, 0, 0, CELLS(Q("a\"b"))});
	CHECK(&D_ESCAPE, "\"a\\,b\",c\n", {0, 9, 0, 1, 0, 0, CELLS(Q("a,b"), C("c"))});
	CHECK(&D_ESCAPE, "\"a\\\\\",b\n", {0, 8, 0, 1, 0, 0, CELLS(Q("a\\"), C("b"))});
	/* an escaped line end continues the record, outside and inside quotes */
	CHECK(&D_ESCAPE, "a\\\nb,c\nd\n", {0, 7, 0, 2, 0, 0, CELLS(C("a\nb"), C("c"))},
	      {7, 9, 0, 1, 0, 0, CELLS(C("d"))});
	CHECK(&D_ESCAPE, "\"a\\\nb\"\n", {0, 7, 0, 2, 0, 0, CELLS(Q("a\nb"))});
	/* an escape in the text after a closing quote */
	CHECK(&D_ESCAPE, "\"a\"b\\,c\n", {0, 8, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("ab,c"))});
	/* without escape set, a backslash is text */
	CHECK(&D_DEFAULT, "a\\,b\n", {0, 5, 0, 1, 0, 0, CELLS(C("a\\"), C("b"))});
}

static void test_comment(void **state)
{
	CHECK(&D_COMMENT, "#c1\n#c2\na,b\n#x\nc\n", {8, 12, 2, 1, 0, 0, CELLS(C("a"), C("b"))},
	      {15, 17, 1, 1, 0, 0, CELLS(C("c"))});
	/* a comment byte inside a record is text, and quotes in a comment line are text */
	CHECK(&D_COMMENT, "a,#b\n", {0, 5, 0, 1, 0, 0, CELLS(C("a"), C("#b"))});
	CHECK(&D_COMMENT, "a#b\n", {0, 4, 0, 1, 0, 0, CELLS(C("a#b"))});
	CHECK(&D_COMMENT, "\"x\n#y\"\n", {0, 7, 0, 2, 0, 0, CELLS(Q("x\n#y"))});
	CHECK(&D_COMMENT, "#\"quoted\n\"a\"\n", {9, 13, 1, 1, 0, 0, CELLS(Q("a"))});
	CHECK(&D_COMMENT, "\n#c\r\na\n", {0, 1, 0, 1, 0, 0, CELLS(C(""))},
	      {5, 7, 1, 1, 0, 0, CELLS(C("a"))});
	/* comment lines with nothing after them belong to no record */
	CHECK(&D_COMMENT, "a\n#c", {0, 2, 0, 1, 0, 0, CELLS(C("a"))});
	CHECK_NONE(&D_COMMENT, "#only\n");
	CHECK_NONE(&D_COMMENT, "#a\n#\"b");
	/* without comment set, # is text */
	CHECK(&D_DEFAULT, "#c\n", {0, 3, 0, 1, 0, 0, CELLS(C("#c"))});
}

/* Cells are spans into the chunk unless they had to be unescaped, and copied cells stay right
 * while the scratch buffer grows within a record. */
static void test_zero_copy(void **state)
{
	static const char in[] = "ab,\"c,d\",\"e\"\"f\",\"g\"h\n";
	char *buf = dup_exact(in, sizeof(in) - 1);
	csv_cursor c;
	csv_record r;
	memset(&r, 0, sizeof(r));
	csv_cursor_init(&c, &D_DEFAULT);
	csv_cursor_reset(&c, buf, sizeof(in) - 1);
	assert_true(csv_next(&c, &r));
	assert_int_equal(r.n, 4);
	assert_ptr_equal(r.cells[0].p, buf);
	assert_int_equal(r.cells[0].flags, 0);
	assert_ptr_equal(r.cells[1].p, buf + 4);
	assert_int_equal(r.cells[1].flags, CELL_QUOTED);
	assert_int_equal(r.cells[2].flags, CELL_QUOTED | CELL_COPIED);
	assert_int_equal(r.cells[2].n, 3);
	assert_memory_equal(r.cells[2].p, "e\"f", 3);
	assert_int_equal(r.cells[3].flags, CELL_QUOTED | CELL_COPIED);
	assert_int_equal(r.cells[3].n, 2);
	assert_memory_equal(r.cells[3].p, "gh", 2);
	assert_false(csv_next(&c, &r));
	free(buf);

	/* 500 copied cells in one record: the scratch buffer reallocates many times */
	size_t len = 500 * 8;
	buf = malloc(len);
	assert_non_null(buf);
	for (size_t i = 0; i < 500; i++)
		memcpy(buf + i * 8, i < 499 ? "\"x\"\"y\"z," : "\"x\"\"y\"z\n", 8);
	csv_cursor_reset(&c, buf, len);
	assert_true(csv_next(&c, &r));
	assert_int_equal(r.n, 500);
	assert_int_equal(r.problems, REC_AFTER_QUOTE);
	for (size_t i = 0; i < 500; i++) {
		assert_int_equal(r.cells[i].flags, CELL_QUOTED | CELL_COPIED);
		assert_int_equal(r.cells[i].n, 4);
		assert_memory_equal(r.cells[i].p, "x\"yz", 4);
	}
	assert_ptr_equal(r.end, buf + len);
	free(buf);
	csv_record_free(&r);
	csv_cursor_free(&c);
}

static void test_huge_field(void **state)
{
	const size_t big = (size_t)4 << 20;
	csv_cursor c;
	csv_record r;
	memset(&r, 0, sizeof(r));
	csv_cursor_init(&c, &D_DEFAULT);

	/* unquoted: zero-copy */
	char *buf = malloc(big + 3);
	assert_non_null(buf);
	memset(buf, 'x', big);
	memcpy(buf + big, ",y\n", 3);
	csv_cursor_reset(&c, buf, big + 3);
	assert_true(csv_next(&c, &r));
	assert_int_equal(r.n, 2);
	assert_ptr_equal(r.cells[0].p, buf);
	assert_int_equal(r.cells[0].n, big);
	assert_int_equal(r.cells[0].flags, 0);
	assert_int_equal(r.cells[1].n, 1);
	assert_memory_equal(r.cells[1].p, "y", 1);
	assert_ptr_equal(r.end, buf + big + 3);
	assert_int_equal(csv_find_cut(&D_DEFAULT, buf, big + 2, false), 0);
	assert_int_equal(csv_find_cut(&D_DEFAULT, buf, big + 3, false), big + 3);
	free(buf);

	/* quoted, with a doubled quote or a LF every 1000 bytes: unescaped into scratch */
	char *want = malloc(big);
	assert_non_null(want);
	size_t raw = 0, nl = 0;
	buf = malloc(2 * big + 3);
	assert_non_null(buf);
	buf[raw++] = '"';
	for (size_t i = 0; i < big; i++) {
		char ch = i % 1000 == 999 ? ((i / 1000) % 2 ? '"' : '\n') : (char)('a' + i % 26);
		want[i] = ch;
		buf[raw++] = ch;
		if (ch == '"')
			buf[raw++] = '"';
		nl += ch == '\n';
	}
	buf[raw++] = '"';
	buf[raw++] = '\n';
	char *exact = dup_exact(buf, raw);
	free(buf);
	csv_cursor_reset(&c, exact, raw);
	assert_true(csv_next(&c, &r));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.cells[0].flags, CELL_QUOTED | CELL_COPIED);
	assert_int_equal(r.cells[0].n, big);
	assert_memory_equal(r.cells[0].p, want, big);
	assert_int_equal(r.newlines, nl + 1);
	assert_int_equal(r.problems, 0);
	assert_ptr_equal(r.end, exact + raw);
	assert_false(csv_next(&c, &r));
	/* no record boundary until the line end after the closing quote */
	assert_int_equal(csv_find_cut(&D_DEFAULT, exact, raw - 1, false), 0);
	assert_int_equal(csv_find_cut(&D_DEFAULT, exact, raw, false), raw);
	free(exact);
	free(want);
	csv_record_free(&r);
	csv_cursor_free(&c);
}

static void test_many_cells(void **state)
{
	enum { N = 10000 };
	char *buf = malloc(N * 8);
	assert_non_null(buf);
	size_t len = 0;
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(buf + len, 9, i % 2 ? "%d," : "\"%d\",", i);
	buf[len - 1] = '\n';
	char *exact = dup_exact(buf, len);
	free(buf);
	csv_cursor c;
	csv_record r;
	memset(&r, 0, sizeof(r));
	csv_cursor_init(&c, &D_DEFAULT);
	csv_cursor_reset(&c, exact, len);
	assert_true(csv_next(&c, &r));
	assert_int_equal(r.n, N);
	assert_int_equal(r.newlines, 1);
	assert_int_equal(r.problems, 0);
	assert_ptr_equal(r.start, exact);
	assert_ptr_equal(r.end, exact + len);
	char num[8];
	for (int i = 0; i < N; i++) {
		int k = snprintf(num, sizeof(num), "%d", i);
		assert_int_equal(r.cells[i].n, (size_t)k);
		assert_memory_equal(r.cells[i].p, num, (size_t)k);
		assert_int_equal(r.cells[i].flags, i % 2 ? 0 : CELL_QUOTED);
	}
	assert_false(csv_next(&c, &r));
	csv_record_free(&r);
	csv_cursor_free(&c);
	free(exact);
}

/* csv_find_cut on hand-picked windows (not at the end of the input unless said). */
static void test_find_cut(void **state)
{
	static const struct {
		const csv_dialect *d;
		const char *s;
		size_t len;
		bool eof;
		size_t cut;
	} cases[] = {
#define CUT(d, s, eof, cut) {(d), (s), sizeof(s) - 1, (eof), (cut)}
		CUT(&D_DEFAULT, "", false, 0),
		CUT(&D_DEFAULT, "", true, 0),
		CUT(&D_DEFAULT, "abc", false, 0),
		CUT(&D_DEFAULT, "abc", true, 3),
		CUT(&D_DEFAULT, "a,b\nc", false, 4),
		CUT(&D_DEFAULT, "a,b\nc", true, 5),
		CUT(&D_DEFAULT, "a\r\nb\r\nc", false, 6),
		CUT(&D_DEFAULT, "a\rb", false, 0),
		CUT(&D_DEFAULT, "\"a\nb", false, 0),
		CUT(&D_DEFAULT, "\"a\nb", true, 4),
		CUT(&D_DEFAULT, "x\n\"a\nb", false, 2),
		/* a quote at the end of the window may be the first of a doubled pair */
		CUT(&D_DEFAULT, "x\n\"a\"", false, 2),
		CUT(&D_DEFAULT, "x\n\"a\"\n", false, 6),
		CUT(&D_DEFAULT, "\"a\"\"\n", false, 0),
		CUT(&D_DEFAULT, "\"a\"\"\n\"\n", false, 7),
		CUT(&D_DEFAULT, "a,\"b\nc\"\nd", false, 8),
		CUT(&D_DEFAULT, "a,\"b\nc", false, 0),
		/* lone quotes in unquoted cells and text after a closing quote */
		CUT(&D_DEFAULT, "a\"b\nc\n", false, 6),
		CUT(&D_DEFAULT, "a\"b\n\"c\nd", false, 4),
		CUT(&D_DEFAULT, "\"a\"b\nc", false, 5),
		CUT(&D_DEFAULT, "\"a\"b\"\nc", false, 6),
		CUT(&D_TAB, "a\t\"b\nc\"\nd", false, 8),
		CUT(&D_TAB, "a,\"b\nc", false, 5),
		CUT(&D_NOQUOTE, "\"a\nb\"\nc", false, 6),
		/* a comment line is skipped whole, quotes included */
		CUT(&D_COMMENT, "#\"\na\n", false, 5),
		CUT(&D_COMMENT, "#\"x", false, 0),
		CUT(&D_COMMENT, "a\n#\"x\n\"b", false, 6),
		CUT(&D_COMMENT, "a,#\"b\nc\"", false, 6),
		/* escapes: an escaped line end is not a boundary, an escaped escape is */
		CUT(&D_ESCAPE, "a\\\nb", false, 0),
		CUT(&D_ESCAPE, "a\\\\\nb", false, 4),
		CUT(&D_ESCAPE, "a\\\\\\\nb\n", false, 7),
		CUT(&D_ESCAPE, "\"a\\\"\nb\"\nc", false, 8),
		CUT(&D_ESCAPE, "\"a\\\\\"\nb", false, 6),
		CUT(&D_ESCAPE, "a\\\"\nb", false, 4),
#undef CUT
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *b = dup_exact(cases[i].s, cases[i].len);
		size_t cut = csv_find_cut(cases[i].d, b, cases[i].len, cases[i].eof);
		free(b);
		if (cut != cases[i].cut) {
			char show[256];
			fail_msg("csv_find_cut(\"%s\", eof=%d) = %zu, expected %zu",
				 render(cases[i].s, cases[i].len, show, sizeof(show)), cases[i].eof,
				 cut, cases[i].cut);
		}
	}
}

/* ---- 3. the chunk-boundary property ---- */

typedef struct {
	uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ull;
}

static size_t rng_below(rng *r, size_t n)
{
	return (size_t)(rng_next(r) % n);
}

/* The window sizes the simulated reader uses: a fixed size k, grown by k while no cut is
 * found; or (k == 0) random first sizes and random growth. */
typedef struct {
	size_t k;
	rng *r;
	size_t maxw;
} windows;

static size_t window_size(windows *w)
{
	return w->k ? w->k : 1 + rng_below(w->r, w->maxw);
}

/* The offsets where the input may be cut: 0, every record end and every comment line end. */
static bool *boundaries(const char *buf, size_t len, const trecs *whole)
{
	bool *b = calloc(len + 1, 1);
	assert_non_null(b);
	b[0] = b[len] = true;
	size_t prev = 0;
	for (size_t i = 0; i <= whole->n; i++) {
		size_t start = i < whole->n ? whole->v[i].start : len;
		for (size_t j = prev; j < start; j++)
			if (buf[j] == '\n')
				b[j + 1] = true;
		if (i < whole->n)
			b[prev = whole->v[i].end] = true;
	}
	return b;
}

/* Simulates the reader on buf[0..len): from pos, cut the window buf[pos, pos + w) with
 * csv_find_cut (on an exact heap copy of the window), grow the window while the cut is 0, parse
 * the chunk alone with a fresh cursor, go on at pos + cut. The records must equal `whole`. Each
 * cut must be a boundary; with `exact`, the longest one the window holds.
 *
 * csv_next cannot report comment lines at the end of a chunk (it returns false after skipping
 * them), so like a reader the harness counts the line ends after a chunk's last record and adds
 * them to the lines_before of the next chunk's first record. */
static bool chunk_check(const csv_dialect *d, const char *buf, size_t len, const trecs *whole,
			const bool *bnd, windows *win, bool exact, char *why, size_t whylen)
{
	trecs got = {0};
	csv_cursor c;
	csv_record r;
	memset(&r, 0, sizeof(r));
	csv_cursor_init(&c, d);
	size_t pos = 0, carry = 0;
	bool ok = true;
	while (ok && pos < len) {
		size_t w = window_size(win), n, cut;
		for (;;) {
			n = w < len - pos ? w : len - pos;
			bool eof = pos + n == len;
			char *copy = dup_exact(buf + pos, n);
			cut = csv_find_cut(d, copy, n, eof);
			free(copy);
			size_t best = n;
			while (!eof && best > 0 && !bnd[pos + best])
				best--;
			if (cut > n || (eof && cut != n)) {
				snprintf(why, whylen, "window [%zu,%zu)%s: cut %zu", pos, pos + n,
					 eof ? " at eof" : "", cut);
				ok = false;
			} else if (!bnd[pos + cut]) {
				snprintf(why, whylen,
					 "window [%zu,%zu): cut at %zu in a record (boundary %zu)",
					 pos, pos + n, pos + cut, pos + best);
				ok = false;
			} else if (exact && cut != best) {
				snprintf(why, whylen, "window [%zu,%zu): cut at %zu, not at %zu",
					 pos, pos + n, pos + cut, pos + best);
				ok = false;
			}
			if (!ok || cut)
				break;
			w += window_size(win);
		}
		if (!ok)
			break;
		char *chunk = dup_exact(buf + pos, cut);
		csv_cursor_reset(&c, chunk, cut);
		size_t last = 0;
		while (ok && csv_next(&c, &r)) {
			r.lines_before += carry;
			carry = 0;
			ok = trecs_add(&got, &r, chunk, cut, pos, why, whylen);
			last = (size_t)(r.end - chunk);
		}
		carry += count_byte(chunk + last, cut - last, '\n');
		free(chunk);
		pos += cut;
	}
	if (ok && !trecs_equal(whole, &got, ~0u, why, whylen)) {
		size_t k = strlen(why);
		snprintf(why + k, whylen - k, " [whole vs chunked]");
		ok = false;
	}
	csv_record_free(&r);
	csv_cursor_free(&c);
	trecs_free(&got);
	return ok;
}

/* Runs the reader simulation on buf for every window size 1..len (and `random_runs` random
 * schedules). Returns false with why filled at the first difference. */
static bool chunk_all(const csv_dialect *d, const char *buf, size_t len, bool exact,
		      size_t random_runs, rng *rg, char *why, size_t whylen)
{
	trecs whole = {0};
	bool ok = parse_all(d, buf, len, &whole, why, whylen);
	if (!ok) {
		trecs_free(&whole);
		return false;
	}
	bool *bnd = boundaries(buf, len, &whole);
	for (size_t k = 1; ok && k <= len; k++) {
		windows w = {k, NULL, 0};
		if (!chunk_check(d, buf, len, &whole, bnd, &w, exact, why, whylen)) {
			size_t m = strlen(why);
			snprintf(why + m, whylen - m, " (window size %zu)", k);
			ok = false;
		}
	}
	for (size_t i = 0; ok && i < random_runs; i++) {
		windows w = {0, rg, len + 2};
		if (!chunk_check(d, buf, len, &whole, bnd, &w, exact, why, whylen)) {
			size_t m = strlen(why);
			snprintf(why + m, whylen - m, " (random window sizes)");
			ok = false;
		}
	}
	free(bnd);
	trecs_free(&whole);
	return ok;
}

typedef struct {
	const char *name;
	const csv_dialect *d;
	bool exact; /* csv_find_cut returns the longest prefix (not asked of escape dialects) */
} named_dialect;

/* clang-format off */
#define S(s) {(s), sizeof(s) - 1}
/* clang-format on */
static const struct {
	const char *s;
	size_t n;
} TRICKY[] = {
	S("a,b\n\"c\nd\",e\nf\n"),
	S("\"\"\"\"\n\"a\"\"\nb\"\n\"\"\n"),
	S("\"a\"\"\"\"\n\"\"\"\n\"\nx\n"),
	S("a,\"\"\"\n\"\"\"\nb\n"),
	S("x\r\n\"a\r\nb\"\r\ny\r\n\r\n"),
	S("a\rb\n\"c\r\"\r\nd\r"),
	S("37\"N,\"x\ny\"\nq\n"),
	S("a\"b\n\"c\nd\"\ne\n"),
	S("a\"\n\"\n\"\n"),
	S("\"abc\"def\n\"g\nh\"i\n\"j\"\"k\n"),
	S("\"a\"b\"c\nd\"\ne\n"),
	S("a\n\"b\nc\n"),
	S("\n\n,\n\"\"\n,,\n"),
	S("\"a\"\r\"b\n\"c\n"),
	S("a\tb\t\"c\td\ne\"\n\"f\";\"g\n\"\n"),
	S("a;\"b;c\n\";d\n\"e\"\"\";f\n"),
	S("#c\"\n\"a\n#b\"\n#d\n\"e\"\n"),
	S("#\"x\n\"a\nb\"\n#\n#\"\n"),
	S("a,#\"b\n\"c\"\n#x,\"y\n\"\n"),
	S("\n#\n\n#\"\n\"#\n\"\n"),
	S("a\\,b\n\"c\\\"d\"\ne\\\\\n\"f\\\\\"\n"),
	S("a\\\nb\n\"c\\\nd\"\n\\\\\n\"x\"\n"),
	S("\"a\\\"\"\"\n\"\nb\\\"c\n\"\\\"\"\n"),
	S("\"\"\\\n\"\\\\\"\"\n\"\n"),
	S("a\\\n\"x\n\"y\nz\"\n"),
	S("a\\,\"x\n\"y\nz\"\n"),
	S("#a\\\n\"x\ny\"\n"),
	S("\"a\"\\\n\"b\n\"c\"\n"),
	S("\xEF\xBB\xBF\"a\n\"b\"\n"),
	S(""),
	S("\""),
	S("\n"),
};
#undef S

static void chunk_dialects(const named_dialect *ds, size_t nd)
{
	char why[1024], show[512];
	rng rg = {0x5eed5eed12345678ull};
	for (size_t i = 0; i < sizeof(TRICKY) / sizeof(TRICKY[0]); i++)
		for (size_t j = 0; j < nd; j++)
			if (!chunk_all(ds[j].d, TRICKY[i].s, TRICKY[i].n, ds[j].exact, 8, &rg, why,
				       sizeof(why)))
				fail_msg("dialect %s, input \"%s\": %s", ds[j].name,
					 render(TRICKY[i].s, TRICKY[i].n, show, sizeof(show)), why);
}

static void test_chunks(void **state)
{
	static const named_dialect ds[] = {
		{"default", &D_DEFAULT, true},	 {"tab", &D_TAB, true},
		{"semicolon", &D_SEMI, true},	 {"no quote", &D_NOQUOTE, true},
		{"comment #", &D_COMMENT, true},
	};
	chunk_dialects(ds, sizeof(ds) / sizeof(ds[0]));
}

static void test_chunks_escape(void **state)
{
	static const named_dialect ds[] = {
		{"escape \\", &D_ESCAPE, false},
		{"escape \\ + comment #", &D_ESC_COMMENT, false},
	};
	chunk_dialects(ds, sizeof(ds) / sizeof(ds[0]));
}

/* The spectrum files cut at every window size too. */
static void test_chunks_spectrum(void **state)
{
	const char *dir = spectrum_dir();
	char path[1024], why[1024];
	rng rg = {42};
	for (size_t i = 0; i < sizeof(SPECTRUM) / sizeof(SPECTRUM[0]); i++) {
		size_t len;
		snprintf(path, sizeof(path), "%s/csvs/%s.csv", dir, SPECTRUM[i].name);
		char *csv = read_whole(path, &len);
		if (!csv)
			fail_msg("cannot read %s", path);
		if (!chunk_all(&D_DEFAULT, csv, len, true, 8, &rg, why, sizeof(why)))
			fail_msg("%s: %s", SPECTRUM[i].name, why);
		free(csv);
	}
}

/* Minimal reproducers. In each, csv_next and csv_find_cut disagree about whether a quote
 * opens a quoted cell, and a window of the input is cut inside a quoted cell. */
static void expect_cuts_on_boundaries(int line, const csv_dialect *d, const char *s, size_t len)
{
	char why[1024], show[256];
	trecs whole = {0};
	if (!parse_all(d, s, len, &whole, why, sizeof(why))) {
		trecs_free(&whole);
		fail_msg("line %d: %s", line, why);
	}
	bool *bnd = boundaries(s, len, &whole);
	size_t bad_w = 0, bad_cut = 0, best = 0;
	for (size_t w = 1; w < len && !bad_w; w++) {
		char *b = dup_exact(s, w);
		size_t cut = csv_find_cut(d, b, w, false);
		free(b);
		if (!bnd[cut]) {
			bad_w = w;
			bad_cut = cut;
			for (best = w; best > 0 && !bnd[best]; best--)
				;
		}
	}
	free(bnd);
	trecs_free(&whole);
	if (bad_w)
		fail_msg("line %d: csv_find_cut(\"%s\", %zu) = %zu, inside a record; csv_next puts "
			 "the last boundary in the window at %zu",
			 line, render(s, len, show, sizeof(show)), bad_w, bad_cut, best);
}

/* An escaped line end: the next line is not a record start, so its quote is text. */
static void test_cut_escaped_line_end_then_quote(void **state)
{
	CHECK(&D_ESCAPE, "a\\\n\"x\n\"y\nz\"\n", {0, 6, 0, 2, 0, 0, CELLS(C("a\n\"x"))},
	      {6, 12, 0, 2, 0, 0, CELLS(Q("y\nz"))});
	expect_cuts_on_boundaries(__LINE__, &D_ESCAPE, "a\\\n\"x\n\"y\nz\"\n", 12);
}

/* An escaped delimiter: the quote after it is not at a cell start. */
static void test_cut_escaped_delimiter_then_quote(void **state)
{
	CHECK(&D_ESCAPE, "a\\,\"x\n\"y\nz\"\n", {0, 6, 0, 1, 0, 0, CELLS(C("a,\"x"))},
	      {6, 12, 0, 2, 0, 0, CELLS(Q("y\nz"))});
	expect_cuts_on_boundaries(__LINE__, &D_ESCAPE, "a\\,\"x\n\"y\nz\"\n", 12);
	/* the same after a closing quote */
	CHECK(&D_ESCAPE, "\"a\"\\,\"x\n\"y\nz\"\n",
	      {0, 8, 0, 1, REC_AFTER_QUOTE, 0, CELLS(Q("a,\"x"))},
	      {8, 14, 0, 2, 0, 0, CELLS(Q("y\nz"))});
	expect_cuts_on_boundaries(__LINE__, &D_ESCAPE, "\"a\"\\,\"x\n\"y\nz\"\n", 14);
}

/* csv_next ends a comment line at its first LF, escape or not; csv_find_cut takes an escape
 * at the end of a comment line as escaping the line end. */
static void test_cut_escape_in_comment_line(void **state)
{
	CHECK(&D_ESC_COMMENT, "#a\\\n\"x\ny\"\n", {4, 10, 1, 2, 0, 0, CELLS(Q("x\ny"))});
	expect_cuts_on_boundaries(__LINE__, &D_ESC_COMMENT, "#a\\\n\"x\ny\"\n", 10);
}

/* ---- 4. the randomized property ---- */

static void random_chunks(const csv_dialect *d, bool exact)
{
	static const char alphabet[] = "a,\"\n\r#\\ ";
	enum { TEXTS = 2000 };
	rng rg = {0x9E3779B97F4A7C15ull};
	char text[48], why[1024], first_why[1024] = "", show[256];
	size_t failures = 0, first_len = SIZE_MAX;
	char first[48];
	for (int t = 0; t < TEXTS; t++) {
		size_t len = rng_below(&rg, 33);
		for (size_t i = 0; i < len; i++)
			text[i] = alphabet[rng_below(&rg, sizeof(alphabet) - 1)];
		if (!chunk_all(d, text, len, exact, 4, &rg, why, sizeof(why))) {
			failures++;
			if (len < first_len) {
				first_len = len;
				memcpy(first, text, len);
				memcpy(first_why, why, sizeof(why));
			}
		}
	}
	if (failures)
		fail_msg("%zu of %d random texts differ when chunked; the shortest: \"%s\": %s",
			 failures, TEXTS, render(first, first_len, show, sizeof(show)), first_why);
}

static void test_random_plain(void **state)
{
	random_chunks(&D_DEFAULT, true);
}

static void test_random_comment(void **state)
{
	random_chunks(&D_COMMENT, true);
}

static void test_random_escape(void **state)
{
	random_chunks(&D_ESCAPE, false);
}

static void test_random_escape_comment(void **state)
{
	random_chunks(&D_ESC_COMMENT, false);
}

/* The fast path (the structural index) against the careful path alone, on
 * texts long enough to cross 64-byte blocks and index batches: records
 * that are mostly well formed (quoted cells, doubled quotes, quoted line
 * ends, CRLF, non-ASCII bytes) with now and then a stray quote, text after
 * a closing quote, a comment line or an unterminated cell, which the fast
 * path must hand over to the careful one and then pick up again. */
static void gen_text(rng *rg, char *out, size_t cap, size_t *len)
{
	static const char *const CELLS[] = {"abc", "", "\"x,y\"", "\"a\"\"b\"", "\"\"", "1.5",
					    "\"l1\nl2\"", "\xc3\xa9t\xc3\xa9", "x\"y", "\"q\"z",
					    "\"\"\"\"", "\t", ";", "#c"};
	size_t n = 0, records = 1 + rng_below(rg, 40);
	for (size_t i = 0; i < records && n + 64 < cap; i++) {
		size_t cells = 1 + rng_below(rg, 6);
		for (size_t k = 0; k < cells; k++) {
			/* the irregular cells (from "x\"y" on) one time in eight */
			size_t pick = rng_below(rg, 8) ? rng_below(rg, 8) : 8 + rng_below(rg, 6);
			const char *cell = CELLS[pick];
			size_t cl = strlen(cell);
			if (n + cl + 3 >= cap)
				break;
			if (k)
				out[n++] = ',';
			memcpy(out + n, cell, cl);
			n += cl;
		}
		if (rng_below(rg, 5) == 0)
			out[n++] = '\r';
		out[n++] = '\n';
	}
	if (rng_below(rg, 4) == 0 && n)
		n--; /* no line end at the end */
	if (rng_below(rg, 16) == 0 && n + 1 < cap)
		out[n++] = '"'; /* unterminated */
	*len = n;
}

static void test_fast_path_agrees(void **state)
{
	(void)state;
	static const named_dialect ds[] = {
		{"default", &D_DEFAULT, true},	 {"tab", &D_TAB, true},
		{"semicolon", &D_SEMI, true},	 {"no quote", &D_NOQUOTE, true},
		{"comment #", &D_COMMENT, true},
	};
	rng rg = {0x243F6A8885A308D3ull};
	char text[2048], why[1024], show[256];
	for (size_t k = 0; k < sizeof(ds) / sizeof(ds[0]); k++) {
		for (int t = 0; t < 3000; t++) {
			size_t len;
			gen_text(&rg, text, sizeof(text), &len);
			trecs fast = {0}, careful = {0};
			g_careful_only = true;
			bool ok = parse_all(ds[k].d, text, len, &careful, why, sizeof(why));
			g_careful_only = false;
			if (ok)
				ok = parse_all(ds[k].d, text, len, &fast, why, sizeof(why));
			if (ok)
				ok = trecs_equal(&careful, &fast, ~0u, why, sizeof(why));
			if (!ok)
				fail_msg("%s: \"%s\": %s", ds[k].name,
					 render(text, len < 200 ? len : 200, show, sizeof(show)), why);
			trecs_free(&fast);
			trecs_free(&careful);
		}
	}
}

/* ---- 5. UTF-8 ---- */

/* Well-formed UTF-8 after Unicode Table 3-7, one sequence at s: its length, or 0. */
static size_t ref_seq(const unsigned char *s, size_t n)
{
	static const struct {
		unsigned char lo0, hi0, lo1, hi1;
		size_t len;
	} t[] = {
		{0x00, 0x7F, 0, 0, 1},	     {0xC2, 0xDF, 0x80, 0xBF, 2},
		{0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
		{0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3},
		{0xF0, 0xF0, 0x90, 0xBF, 4}, {0xF1, 0xF3, 0x80, 0xBF, 4},
		{0xF4, 0xF4, 0x80, 0x8F, 4},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (s[0] < t[i].lo0 || s[0] > t[i].hi0)
			continue;
		if (n < t[i].len)
			return 0;
		if (t[i].len > 1 && (s[1] < t[i].lo1 || s[1] > t[i].hi1))
			return 0;
		for (size_t k = 2; k < t[i].len; k++)
			if (s[k] < 0x80 || s[k] > 0xBF)
				return 0;
		return t[i].len;
	}
	return 0;
}

static bool ref_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k = ref_seq(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* utf8_valid on an exact heap copy placed at the end of its allocation. */
static bool valid_exact(const char *s, size_t n)
{
	char *b = dup_exact(s, n);
	bool r = utf8_valid(b, n);
	free(b);
	return r;
}

/* clang-format off */
#define UTF(s) {(s), sizeof(s) - 1}
/* clang-format on */

static void test_utf8_valid(void **state)
{
	typedef struct {
		const char *s;
		size_t n;
	} bytes;
	static const bytes good[] = {
		UTF(""),
		UTF("abc"),
		UTF("a\0b"),
		UTF("\x7F"),
		UTF("\xC2\x80"),
		UTF("\xDF\xBF"),
		UTF("\xCA\xA4"),
		UTF("\xE0\xA0\x80"),
		UTF("\xE2\x82\xAC"),
		UTF("\xED\x9F\xBF"), /* U+D7FF */
		UTF("\xEE\x80\x80"), /* U+E000 */
		UTF("\xEF\xBF\xBF"),
		UTF("\xF0\x90\x80\x80"),
		UTF("\xF0\x9F\x98\x80"),
		UTF("\xF4\x8F\xBF\xBF"), /* U+10FFFF */
		UTF("abcdefgh\xC3\xA9"
		    "abcdefgh\xF0\x9F\x98\x80"),
	};
	static const bytes bad[] = {
		UTF("\x80"),
		UTF("\xBF"),
		UTF("a\x80"
		    "b"),
		UTF("\xC0\x80"), /* overlong */
		UTF("\xC1\xBF"),
		UTF("\xE0\x80\x80"),
		UTF("\xE0\x9F\xBF"),
		UTF("\xF0\x80\x80\x80"),
		UTF("\xF0\x8F\xBF\xBF"),
		UTF("\xED\xA0\x80"), /* surrogates */
		UTF("\xED\xBF\xBF"),
		UTF("\xF4\x90\x80\x80"), /* > U+10FFFF */
		UTF("\xF5\x80\x80\x80"),
		UTF("\xF8\x88\x80\x80\x80"),
		UTF("\xFE"),
		UTF("\xFF"),
		UTF("\xC2"), /* truncated at the end */
		UTF("\xE2\x82"),
		UTF("\xF0\x9F\x98"),
		UTF("abc\xE2\x82"),
		UTF("\xC2\x41"), /* bad continuations */
		UTF("\xE2\x28\xA1"),
		UTF("\xE2\x82\x28"),
		UTF("\xF0\x90\x28\xBC"),
		UTF("\xF0\x90\x80\xC0"),
	};
	char show[64];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!valid_exact(good[i].s, good[i].n))
			fail_msg("\"%s\" should be valid", render(good[i].s, good[i].n, show, 64));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (valid_exact(bad[i].s, bad[i].n))
			fail_msg("\"%s\" should be invalid", render(bad[i].s, bad[i].n, show, 64));
}

/* Every sequence of one, two and three bytes, and four-byte sequences over every first two
 * bytes from F0 to F4, against the reference decoder. */
static void test_utf8_exhaustive(void **state)
{
	unsigned char b[4];
	for (unsigned x = 0; x < 0x100; x++) {
		b[0] = (unsigned char)x;
		assert_int_equal(utf8_valid((char *)b, 1), ref_valid(b, 1));
		for (unsigned y = 0; y < 0x100; y++) {
			b[1] = (unsigned char)y;
			if (utf8_valid((char *)b, 2) != ref_valid(b, 2))
				fail_msg("%02X %02X", x, y);
			for (unsigned z = 0; z < 0x100; z++) {
				b[2] = (unsigned char)z;
				if (utf8_valid((char *)b, 3) != ref_valid(b, 3))
					fail_msg("%02X %02X %02X", x, y, z);
			}
		}
	}
	static const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90,
					      0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xFF};
	for (unsigned x = 0xF0; x <= 0xF4; x++)
		for (unsigned y = 0; y < 0x100; y++)
			for (size_t z = 0; z < sizeof(tails); z++)
				for (size_t w = 0; w < sizeof(tails); w++) {
					b[0] = (unsigned char)x;
					b[1] = (unsigned char)y;
					b[2] = tails[z];
					b[3] = tails[w];
					if (utf8_valid((char *)b, 4) != ref_valid(b, 4))
						fail_msg("%02X %02X %02X %02X", x, y, b[2], b[3]);
				}
}

/* The eight-bytes-at-a-time ASCII path: an ASCII run of every length 0..16, then a bad or a
 * good sequence, then an ASCII tail, at every alignment of the start. */
static void test_utf8_ascii_runs(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		bool ok;
	} seqs[] = {
		{"\x80", 1, false},	    {"\xC0\x80", 2, false},	   {"\xFF", 1, false},
		{"\xED\xA0\x80", 3, false}, {"\xE2\x82", 2, false},	   {"\xC3\xA9", 2, true},
		{"\xE2\x82\xAC", 3, true},  {"\xF0\x9F\x98\x80", 4, true},
	};
	char buf[64];
	for (size_t s = 0; s < sizeof(seqs) / sizeof(seqs[0]); s++)
		for (size_t run = 0; run <= 16; run++)
			for (size_t tail = 0; tail <= 9; tail++)
				for (size_t align = 0; align < 8; align++) {
					size_t n = run + seqs[s].n + tail;
					memset(buf, 'a', run);
					memcpy(buf + run, seqs[s].s, seqs[s].n);
					memset(buf + run + seqs[s].n, 'z', tail);
					char *m = malloc(align + n);
					assert_non_null(m);
					memcpy(m + align, buf, n);
					bool got = utf8_valid(m + align, n);
					free(m);
					if (got != seqs[s].ok)
						fail_msg("sequence %zu after %zu ASCII bytes, %zu "
							 "after, alignment %zu: %d",
							 s, run, tail, align, got);
				}
	/* bad continuation bytes after a lead, with ASCII following */
	for (size_t run = 0; run <= 16; run++) {
		memset(buf, 'a', 24);
		buf[run] = '\xE2';
		buf[run + 1] = '\x82';
		assert_false(valid_exact(buf, 24));
	}
}

static void test_utf8_length(void **state)
{
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("a\0b", 3), 3);
	assert_int_equal(utf8_length("\xCA\xA4", 2), 1);
	assert_int_equal(utf8_length("\xE2\x82\xAC", 3), 1);
	assert_int_equal(utf8_length("\xF0\x9F\x98\x80", 4), 1);
	assert_int_equal(utf8_length("a\xCA\xA4\xE2\x82\xAC\xF0\x9F\x98\x80"
				     "b",
				     11),
			 5);
	/* only n bytes are looked at */
	assert_int_equal(utf8_length("\xE2\x82\xAC\xE2\x82\xAC", 3), 1);
}

/* A closing quote as the last byte of a 64-byte block must not make the cut
 * take the block's quoted line ends for record ends (a shift by 64 once did). */
static void test_cut_quote_at_block_end(void **state)
{
	(void)state;
	const csv_dialect d = {',', '"', 0, 0};
	char text[128];
	size_t n = 0;
	/* a lone quote inside an unquoted cell makes the cut walk quotes one by one */
	n += (size_t)snprintf(text + n, sizeof(text) - n, "a,b\nx\"y,1\n");
	while (n < 49)
		text[n++] = 'x';
	text[n++] = ',';  /* 49 */
	text[n++] = '"';  /* 50: opens a quoted cell */
	memcpy(text + n, "abcd\nefghijk", 12); /* 51..62, a line end at 55 */
	n += 12;
	text[n++] = '"';  /* 63: closes it, the block's last byte */
	memcpy(text + n, ",2\nz,3\n", 7);
	n += 7;
	char *buf = malloc(n);
	memcpy(buf, text, n);
	/* records end after 4, 10, 67 and 71 bytes; never after the quoted line end (56) */
	assert_int_equal(csv_find_cut(&d, buf, 66, false), 10);
	assert_int_equal(csv_find_cut(&d, buf, 67, false), 67);
	assert_int_equal(csv_find_cut(&d, buf, n - 1, false), 67);
	assert_int_equal(csv_find_cut(&d, buf, n, false), n);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_quote_at_block_end),
		cmocka_unit_test(test_spectrum),
		cmocka_unit_test(test_fast_path_agrees),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_empty_cells),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_after_quote),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_comment),
		cmocka_unit_test(test_zero_copy),
		cmocka_unit_test(test_huge_field),
		cmocka_unit_test(test_many_cells),
		cmocka_unit_test(test_find_cut),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_chunks_escape),
		cmocka_unit_test(test_chunks_spectrum),
		cmocka_unit_test(test_cut_escaped_line_end_then_quote),
		cmocka_unit_test(test_cut_escaped_delimiter_then_quote),
		cmocka_unit_test(test_cut_escape_in_comment_line),
		cmocka_unit_test(test_random_plain),
		cmocka_unit_test(test_random_comment),
		cmocka_unit_test(test_random_escape),
		cmocka_unit_test(test_random_escape_comment),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_exhaustive),
		cmocka_unit_test(test_utf8_ascii_runs),
		cmocka_unit_test(test_utf8_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
