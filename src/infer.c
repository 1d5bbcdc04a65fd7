/* infer.c: one streaming pass over a sample CSV, bounded state per column, then proposals.
 *
 * The sample is read in blocks, cut at record boundaries (csv_find_cut) and
 * split into records of zero-copy cells (csv_next), as the validator reads
 * it. Each present cell updates its column's state in place: the state is a
 * fixed-size struct allocated once per column, plus an exact set of the
 * values while they are all distinct (a hash table over one growing byte
 * buffer, dropped at the first repeat or over its caps). Nothing is
 * allocated per cell. The proposals are made once, at the end (propose). */
#include "infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "formats.h"
#include "io/source.h"
#include "keyset.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/path.h"

enum { SHAPE_RUNS = 16, SHAPE_MAX_LEN = 64, ENUM_SLOTS = 128, DEC_TEXT_MAX = 48 };
enum { READ_BLOCK = 1 << 20 };

/* ---- an exact set of byte strings, while they are all distinct ---- */

typedef struct {
	uint32_t *slots; /* offset + 1 into bytes; 0: empty */
	uint32_t *hashes;
	size_t n_slots, count;
	rv_buf bytes; /* [uint32 length][bytes] per value */
} text_set;

static size_t text_set_size(const text_set *s)
{
	return s->n_slots * 2 * sizeof(uint32_t) + s->bytes.cap;
}

static void text_set_free(text_set *s)
{
	free(s->slots);
	free(s->hashes);
	buf_free(&s->bytes);
	memset(s, 0, sizeof(*s));
}

static void text_set_grow(text_set *s)
{
	size_t n = s->n_slots ? s->n_slots * 2 : 64;
	uint32_t *slots = xcalloc(n, sizeof(uint32_t)), *hashes = xcalloc(n, sizeof(uint32_t));
	for (size_t i = 0; i < s->n_slots; i++) {
		if (!s->slots[i])
			continue;
		size_t k = s->hashes[i] & (n - 1);
		while (slots[k])
			k = (k + 1) & (n - 1);
		slots[k] = s->slots[i];
		hashes[k] = s->hashes[i];
	}
	free(s->slots);
	free(s->hashes);
	s->slots = slots;
	s->hashes = hashes;
	s->n_slots = n;
}

/* Adds p[0..n); false when it was there already, or when the set would pass
 * 4 GiB of bytes (the caller then gives up on it). */
static bool text_set_add(text_set *s, const char *p, size_t n, bool *full)
{
	*full = false;
	if (s->bytes.len + n + 4 >= UINT32_MAX) {
		*full = true;
		return false;
	}
	if ((s->count + 1) * 4 > s->n_slots * 3)
		text_set_grow(s);
	uint32_t h = (uint32_t)key_hash(p, n);
	size_t k = h & (s->n_slots - 1);
	while (s->slots[k]) {
		if (s->hashes[k] == h) {
			uint32_t len;
			const char *e = s->bytes.data + s->slots[k] - 1;
			memcpy(&len, e, sizeof(len));
			if (len == n && memcmp(e + sizeof(len), p, n) == 0)
				return false;
		}
		k = (k + 1) & (s->n_slots - 1);
	}
	uint32_t len = (uint32_t)n;
	s->slots[k] = (uint32_t)s->bytes.len + 1;
	s->hashes[k] = h;
	buf_append(&s->bytes, &len, sizeof(len));
	buf_append(&s->bytes, p, n);
	s->count++;
	return true;
}

/* ---- per-column state ---- */

typedef enum { CL_LIT, CL_DIGIT, CL_UPPER, CL_LOWER } char_class;

typedef struct {
	unsigned char cls, lit; /* lit: the byte of a CL_LIT run */
	uint16_t count;
} shape_run;

typedef struct {
	size_t n;
	shape_run runs[SHAPE_RUNS];
} shape;

typedef struct {
	char text[INFER_ENUM_VALUE_MAX];
	uint8_t len;
	uint64_t count;
} enum_slot;

typedef struct {
	uint64_t present, missing;
	size_t len_max; /* code points */

	/* the types every present value parsed as, and their ranges */
	bool t_int, t_dec, t_float, t_bool, t_date, t_datetime, t_time;
	bool bool_word;  /* some value was true/false, not 1/0 */
	bool lead_zero;  /* some int had a leading zero: a code, not a number */
	bool neg_zero;   /* some int was -0: text and value disagree on distinctness */
	bool dec_bounds; /* every decimal fit DEC_TEXT_MAX: its bounds are kept */
	int64_t i_min, i_max;
	double f_min, f_max;
	char d_min[DEC_TEXT_MAX], d_max[DEC_TEXT_MAX];
	size_t d_min_n, d_max_n;
	int32_t date_min, date_max;
	rv_instant dt_min, dt_max, tm_min, tm_max;

	/* the string formats every value passed */
	bool f_uuid, f_ipv4, f_ipv6, f_email, f_uri;

	/* distinct values, while there are few and short ones */
	bool enum_alive;
	size_t n_vals;
	enum_slot vals[INFER_ENUM_TRACK];
	uint8_t slots[ENUM_SLOTS]; /* index + 1 into vals */

	bool shape_alive;
	shape shape;

	bool uniq_alive;
	bool uniq_capped; /* dropped at a cap, not at a repeat */
	text_set seen;
	size_t seen_size; /* text_set_size when last counted */
} col_state;

typedef struct {
	const infer_opts *o;
	csv_dialect d;
	infer_result *r;
	bool started; /* the header (or the first record) was seen */
	size_t ncols;
	col_state *cols;
	size_t uniq_bytes; /* all unique sets together */
	const char *path;
	char *err;
	size_t errlen;
} profiler;

static void col_init(col_state *c)
{
	memset(c, 0, sizeof(*c));
	c->t_int = c->t_dec = c->t_float = c->t_bool = true;
	c->t_date = c->t_datetime = c->t_time = true;
	c->dec_bounds = true;
	c->f_uuid = c->f_ipv4 = c->f_ipv6 = c->f_email = c->f_uri = true;
	c->enum_alive = c->shape_alive = c->uniq_alive = true;
}

static int instant_cmp(rv_instant a, rv_instant b)
{
	if (a.secs != b.secs)
		return a.secs < b.secs ? -1 : 1;
	return a.nsec < b.nsec ? -1 : a.nsec > b.nsec;
}

static void keep_text(char *dst, size_t *dn, const char *p, size_t n)
{
	memcpy(dst, p, n);
	*dn = n;
}

static void update_decimal(col_state *c, const char *p, size_t n, bool first)
{
	if (!c->dec_bounds)
		return;
	if (n > DEC_TEXT_MAX) {
		c->dec_bounds = false;
		return;
	}
	if (first || decimal_cmp(p, n, c->d_min, c->d_min_n) < 0)
		keep_text(c->d_min, &c->d_min_n, p, n);
	if (first || decimal_cmp(p, n, c->d_max, c->d_max_n) > 0)
		keep_text(c->d_max, &c->d_max_n, p, n);
}

/* The value's runs of character classes; false when it has no fixed shape
 * rvalid proposes (too long, too many runs, a byte that is not printable ASCII). */
static bool shape_of(const char *p, size_t n, shape *s)
{
	s->n = 0;
	if (n == 0 || n > SHAPE_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		unsigned char cls, lit = 0;
		if (ch >= '0' && ch <= '9')
			cls = CL_DIGIT;
		else if (ch >= 'A' && ch <= 'Z')
			cls = CL_UPPER;
		else if (ch >= 'a' && ch <= 'z')
			cls = CL_LOWER;
		else if (ch >= 0x20 && ch < 0x7f)
			cls = CL_LIT, lit = ch;
		else
			return false;
		shape_run *last = s->n ? &s->runs[s->n - 1] : NULL;
		if (last && last->cls == cls && last->lit == lit) {
			last->count++;
			continue;
		}
		if (s->n == SHAPE_RUNS)
			return false;
		s->runs[s->n++] = (shape_run){cls, lit, 1};
	}
	return true;
}

static bool shape_eq(const shape *a, const shape *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->runs[i].cls != b->runs[i].cls || a->runs[i].lit != b->runs[i].lit ||
		    a->runs[i].count != b->runs[i].count)
			return false;
	return true;
}

static void track_enum(col_state *c, const char *p, size_t n)
{
	if (n > INFER_ENUM_VALUE_MAX || memchr(p, '\0', n)) {
		c->enum_alive = false;
		return;
	}
	size_t k = key_hash(p, n) & (ENUM_SLOTS - 1);
	while (c->slots[k]) {
		enum_slot *e = &c->vals[c->slots[k] - 1];
		if (e->len == n && memcmp(e->text, p, n) == 0) {
			e->count++;
			return;
		}
		k = (k + 1) & (ENUM_SLOTS - 1);
	}
	if (c->n_vals == INFER_ENUM_TRACK) {
		c->enum_alive = false;
		return;
	}
	enum_slot *e = &c->vals[c->n_vals++];
	memcpy(e->text, p, n);
	e->len = (uint8_t)n;
	e->count = 1;
	c->slots[k] = (uint8_t)c->n_vals;
}

static void drop_unique(profiler *pf, col_state *c, bool capped)
{
	c->uniq_capped = capped;
	pf->uniq_bytes -= c->seen_size;
	text_set_free(&c->seen);
	c->seen_size = 0;
	c->uniq_alive = false;
}

static void track_unique(profiler *pf, col_state *c, const char *p, size_t n)
{
	if (c->present > INFER_UNIQUE_MAX) {
		drop_unique(pf, c, true);
		return;
	}
	bool full;
	if (!text_set_add(&c->seen, p, n, &full)) {
		drop_unique(pf, c, full);
		return;
	}
	size_t size = text_set_size(&c->seen);
	pf->uniq_bytes += size - c->seen_size;
	c->seen_size = size;
	if (pf->uniq_bytes > INFER_UNIQUE_BYTES)
		drop_unique(pf, c, true);
}

/* One present cell of valid UTF-8. */
static void profile_value(profiler *pf, col_state *c, const char *p, size_t n)
{
	bool first = c->present == 0;
	c->present++;
	size_t cps = utf8_length(p, n);
	if (cps > c->len_max)
		c->len_max = cps;
	if (c->t_int) {
		int64_t v;
		if (parse_int(p, n, &v)) {
			if (first || v < c->i_min)
				c->i_min = v;
			if (first || v > c->i_max)
				c->i_max = v;
			size_t d = p[0] == '-';
			if (p[d] == '0' && n > d + 1)
				c->lead_zero = true;
			else if (d && v == 0)
				c->neg_zero = true;
		} else {
			c->t_int = false;
		}
	}
	if (c->t_dec) {
		if (parse_decimal(p, n))
			update_decimal(c, p, n, first);
		else
			c->t_dec = false;
	}
	if (c->t_float) {
		double v;
		if (parse_float(p, n, &v)) {
			if (first || v < c->f_min)
				c->f_min = v;
			if (first || v > c->f_max)
				c->f_max = v;
		} else {
			c->t_float = false;
		}
	}
	if (c->t_bool) {
		bool b;
		if (parse_bool(p, n, &b))
			c->bool_word |= n > 1;
		else
			c->t_bool = false;
	}
	if (c->t_date) {
		int32_t v;
		if (parse_date(p, n, &v)) {
			if (first || v < c->date_min)
				c->date_min = v;
			if (first || v > c->date_max)
				c->date_max = v;
		} else {
			c->t_date = false;
		}
	}
	if (c->t_datetime) {
		rv_instant v;
		if (parse_datetime(p, n, &v)) {
			if (first || instant_cmp(v, c->dt_min) < 0)
				c->dt_min = v;
			if (first || instant_cmp(v, c->dt_max) > 0)
				c->dt_max = v;
		} else {
			c->t_datetime = false;
		}
	}
	if (c->t_time) {
		rv_instant v;
		if (parse_time(p, n, &v)) {
			if (first || instant_cmp(v, c->tm_min) < 0)
				c->tm_min = v;
			if (first || instant_cmp(v, c->tm_max) > 0)
				c->tm_max = v;
		} else {
			c->t_time = false;
		}
	}
	c->f_uuid = c->f_uuid && format_uuid(p, n);
	c->f_ipv4 = c->f_ipv4 && format_ipv4(p, n);
	c->f_ipv6 = c->f_ipv6 && format_ipv6(p, n);
	c->f_email = c->f_email && format_email(p, n);
	c->f_uri = c->f_uri && memmem(p, n, "://", 3) && format_uri(p, n);
	if (c->enum_alive)
		track_enum(c, p, n);
	if (c->shape_alive) {
		shape s;
		if (!shape_of(p, n, &s))
			c->shape_alive = false;
		else if (first)
			c->shape = s;
		else if (!shape_eq(&s, &c->shape))
			c->shape_alive = false;
	}
	if (c->uniq_alive)
		track_unique(pf, c, p, n);
}

static bool is_missing(const profiler *pf, const csv_cell *cell)
{
	if (cell->n == 0)
		return true; /* an empty cell, quoted or not */
	for (size_t i = 0; i < pf->o->n_nulls; i++) {
		size_t k = strlen(pf->o->nulls[i]);
		if (k == cell->n && memcmp(pf->o->nulls[i], cell->p, k) == 0)
			return true;
	}
	return false;
}

/* ---- the header ---- */

static rv_status start(profiler *pf, const csv_record *rec)
{
	infer_result *r = pf->r;
	if (rec->n > INFER_MAX_COLUMNS) {
		snprintf(pf->err, pf->errlen,
			 "%s: more than %d columns (rvalid init profiles at most %d)", pf->path,
			 INFER_MAX_COLUMNS, INFER_MAX_COLUMNS);
		return RV_IO;
	}
	pf->ncols = rec->n;
	pf->cols = xcalloc(pf->ncols, sizeof(col_state));
	r->fields = arena_alloc(r->arena, pf->ncols * sizeof(infer_field));
	r->n_fields = pf->ncols;
	r->all_named = true;
	for (size_t i = 0; i < pf->ncols; i++) {
		col_init(&pf->cols[i]);
		infer_field *f = &r->fields[i];
		f->max_length = -1;
		if (!r->header) {
			f->name = arena_printf(r->arena, "column_%zu", i + 1);
			f->name_len = strlen(f->name);
			continue;
		}
		const csv_cell *c = &rec->cells[i];
		f->name = arena_strndup(r->arena, c->p, c->n);
		f->name_len = c->n;
		if (c->n == 0)
			f->skip_reason = "has a blank name";
		else if (!utf8_valid(c->p, c->n) || memchr(c->p, '\0', c->n))
			f->skip_reason = "has a name that is not valid UTF-8 text";
		for (size_t k = 0; k < i && !f->skip_reason; k++)
			if (r->fields[k].name_len == c->n &&
			    memcmp(r->fields[k].name, c->p, c->n) == 0)
				f->skip_reason = arena_printf(
					r->arena, "repeats the name of column %zu", k + 1);
		if (f->skip_reason)
			r->all_named = false;
	}
	pf->started = true;
	return RV_OK;
}

static rv_status take_record(profiler *pf, const csv_record *rec)
{
	infer_result *r = pf->r;
	if (!pf->started) {
		rv_status st = start(pf, rec);
		if (st != RV_OK || r->header)
			return st;
	}
	/* what the validator rejects whatever the rules: left out */
	bool blank = true;
	for (size_t i = 0; i < rec->n && blank; i++)
		blank = rec->cells[i].n == 0;
	if (blank && pf->ncols == 1 && rec->n == 1)
		blank = false; /* in a one-column file an empty line is a missing cell */
	if (rec->problems || blank || rec->n != pf->ncols) {
		r->skipped++;
		return RV_OK;
	}
	r->records++;
	for (size_t i = 0; i < pf->ncols; i++) {
		const csv_cell *cell = &rec->cells[i];
		col_state *c = &pf->cols[i];
		if (is_missing(pf, cell))
			c->missing++;
		else if (!utf8_valid(cell->p, cell->n))
			r->bad_cells++;
		else
			profile_value(pf, c, cell->p, cell->n);
	}
	return RV_OK;
}

/* ---- reading ---- */

static rv_status read_all(profiler *pf, rv_source *src)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, off = 0;
	bool eof = false, bom_checked = false;
	csv_cursor cur;
	csv_record rec;
	memset(&rec, 0, sizeof(rec));
	csv_cursor_init(&cur, &pf->d);
	rv_status st = RV_OK;
	for (;;) {
		if (off) {
			memmove(buf, buf + off, len - off);
			len -= off;
			off = 0;
		}
		if (len > INFER_MAX_RECORD) {
			snprintf(pf->err, pf->errlen, "%s: a record is longer than %zu bytes",
				 pf->path, (size_t)INFER_MAX_RECORD);
			st = RV_IO;
			goto out;
		}
		if (cap - len < READ_BLOCK) {
			cap = cap ? cap * 2 : 2 * READ_BLOCK;
			buf = xrealloc(buf, cap);
		}
		/* a whole block of fresh bytes (a pipe gives less a read), or the end */
		for (size_t want = len + READ_BLOCK; !eof && len < want;) {
			ssize_t n = source_read(src, buf + len, cap - len, pf->err, pf->errlen);
			if (n < 0) {
				st = RV_IO;
				goto out;
			}
			eof = n == 0;
			len += (size_t)n;
		}
		if (!bom_checked && (len >= 3 || eof)) {
			if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
				off = 3;
			bom_checked = true;
		}
		if (!bom_checked)
			continue;
		size_t cut = csv_find_cut(&pf->d, buf + off, len - off, eof);
		if (cut) {
			csv_cursor_reset(&cur, buf + off, cut);
			while (csv_next(&cur, &rec)) {
				st = take_record(pf, &rec);
				if (st != RV_OK)
					goto out;
			}
			off += cut;
		}
		if (eof)
			break;
	}
out:
	csv_record_free(&rec);
	csv_cursor_free(&cur);
	free(buf);
	return st;
}

/* ---- proposals ---- */

static void set_bound(char *dst, const rv_value *v)
{
	char text[INFER_BOUND_TEXT];
	int k = value_format(v, text, sizeof(text));
	if (k <= 0 || (size_t)k >= sizeof(text))
		return;
	/* the bound must read back as the very value seen, or it is left out */
	rv_value back;
	if (!parse_value(v->type, text, (size_t)k, &back) || value_cmp(&back, v) != 0)
		return;
	memcpy(dst, text, (size_t)k + 1);
}

static void propose_bounds(const col_state *c, infer_field *f)
{
	rv_value lo = {.type = f->type}, hi = {.type = f->type};
	switch (f->type) {
	case RV_INT:
		lo.u.i = c->i_min;
		hi.u.i = c->i_max;
		break;
	case RV_DECIMAL:
		if (!c->dec_bounds)
			return;
		lo.u.s.p = c->d_min, lo.u.s.n = c->d_min_n;
		hi.u.s.p = c->d_max, hi.u.s.n = c->d_max_n;
		break;
	case RV_FLOAT:
		lo.u.f = c->f_min;
		hi.u.f = c->f_max;
		break;
	case RV_DATE:
		lo.u.date = c->date_min;
		hi.u.date = c->date_max;
		break;
	case RV_DATETIME:
		lo.u.t = c->dt_min;
		hi.u.t = c->dt_max;
		break;
	case RV_TIME:
		lo.u.t = c->tm_min;
		hi.u.t = c->tm_max;
		break;
	default: return;
	}
	set_bound(f->min, &lo);
	set_bound(f->max, &hi);
	f->has_min = f->min[0] != '\0';
	f->has_max = f->max[0] != '\0';
}

static int cmp_enum(const void *a, const void *b)
{
	const enum_slot *x = *(const enum_slot *const *)a, *y = *(const enum_slot *const *)b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->text, y->text, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static bool propose_enum(infer_result *r, const col_state *c, infer_field *f)
{
	if (!c->enum_alive || c->n_vals == 0 || c->n_vals > INFER_ENUM_MAX ||
	    c->n_vals * 2 >= c->present)
		return false;
	for (size_t i = 0; i < c->n_vals; i++)
		if (c->vals[i].count < 2)
			return false;
	const enum_slot *order[INFER_ENUM_TRACK];
	for (size_t i = 0; i < c->n_vals; i++)
		order[i] = &c->vals[i];
	qsort(order, c->n_vals, sizeof(order[0]), cmp_enum);
	f->enum_vals = arena_alloc(r->arena, c->n_vals * sizeof(infer_str));
	for (size_t i = 0; i < c->n_vals; i++)
		f->enum_vals[i] = (infer_str){
			arena_strndup(r->arena, order[i]->text, order[i]->len), order[i]->len};
	f->n_enum = c->n_vals;
	return true;
}

/* The regex of a shape: classes as \d, [A-Z], [a-z]; punctuation escaped
 * where PCRE2 needs it, quotes and backslashes as \x escapes so the
 * pattern needs no escaping in either rule language. */
static const char *shape_pattern(rv_arena *a, const shape *s)
{
	rv_buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < s->n; i++) {
		const shape_run *run = &s->runs[i];
		switch (run->cls) {
		case CL_DIGIT: buf_puts(&b, "\\d"); break;
		case CL_UPPER: buf_puts(&b, "[A-Z]"); break;
		case CL_LOWER: buf_puts(&b, "[a-z]"); break;
		default:
			if (run->lit == '\'' || run->lit == '"' || run->lit == '\\')
				buf_printf(&b, "\\x%02x", run->lit);
			else if (strchr("^$.|?*+()[]{}", run->lit))
				buf_printf(&b, "\\%c", run->lit);
			else
				buf_putc(&b, (char)run->lit);
		}
		if (run->count > 1)
			buf_printf(&b, "{%u}", (unsigned)run->count);
	}
	const char *p = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return p;
}

static void propose(infer_result *r, const col_state *c, infer_field *f)
{
	f->present = c->present;
	f->missing = c->missing;
	f->type = RV_STR;
	if (c->uniq_alive && c->present > 0) {
		f->distinct = c->present;
		f->distinct_known = true;
	} else if (c->enum_alive) {
		f->distinct = c->n_vals;
		f->distinct_known = true;
	}
	f->unique_unknown = c->uniq_capped;
	if (f->skip_reason)
		return;
	f->required = r->records > 0 && c->missing == 0;
	if (c->present == 0)
		return;
	if (c->t_bool && c->bool_word)
		f->type = RV_BOOL;
	else if (c->t_int && !c->lead_zero)
		f->type = RV_INT;
	else if (c->t_int)
		f->type = RV_STR; /* 007, 01234: codes whose zeros matter */
	else if (c->t_dec)
		f->type = RV_DECIMAL;
	else if (c->t_float)
		f->type = RV_FLOAT;
	else if (c->t_date)
		f->type = RV_DATE;
	else if (c->t_datetime)
		f->type = RV_DATETIME;
	else if (c->t_time)
		f->type = RV_TIME;
	propose_bounds(c, f);
	bool enough = c->present >= INFER_MIN_RECORDS;
	if (c->uniq_alive && enough && (f->type == RV_STR || (f->type == RV_INT && !c->neg_zero)))
		f->unique = true;
	if (f->unique && f->type == RV_INT) {
		f->has_max = false; /* a key: new records bring higher ones */
		f->max[0] = '\0';
	}
	if (f->type != RV_STR)
		return;
	if (propose_enum(r, c, f))
		return;
	bool bounded = true; /* the format itself bounds the length */
	if (c->f_uuid)
		f->format = STRFMT_UUID;
	else if (c->f_ipv4)
		f->format = STRFMT_IPV4;
	else if (c->f_ipv6)
		f->format = STRFMT_IPV6;
	else if (c->f_email)
		f->format = STRFMT_EMAIL, bounded = false;
	else if (c->f_uri)
		f->format = STRFMT_URI, bounded = false;
	else
		bounded = false;
	if (f->format == STRFMT_NONE && c->shape_alive && enough) {
		f->pattern = shape_pattern(r->arena, &c->shape);
		return;
	}
	if (!bounded)
		f->max_length = (int64_t)c->len_max;
}

/* ---- the whole run ---- */

rv_status infer_profile(const char *path, const infer_opts *o, infer_result **out, char *err,
			size_t errlen)
{
	*out = NULL;
	infer_result *r = xcalloc(1, sizeof(*r));
	r->arena = arena_new();
	r->header = !o->no_header;
	r->delimiter = o->delimiter;
	if (!r->delimiter) {
		size_t n = strlen(path);
		if (path_has_suffix_n(path, n, ".gz"))
			n -= 3;
		r->delimiter =
			path_has_suffix_n(path, n, ".tsv") || path_has_suffix_n(path, n, ".tab")
				? '\t'
				: ',';
	}
	profiler pf;
	memset(&pf, 0, sizeof(pf));
	pf.o = o;
	pf.r = r;
	pf.d = (csv_dialect){r->delimiter, '"', 0, 0};
	pf.path = path;
	pf.err = err;
	pf.errlen = errlen;
	rv_source *src = NULL;
	rv_status st = source_open(path, ENC_UTF8, &src, err, errlen);
	if (st == RV_OK)
		st = read_all(&pf, src);
	source_close(src);
	if (st == RV_OK && !pf.started) {
		snprintf(err, errlen, "%s: the sample is empty (%s)", path,
			 r->header ? "no header" : "no records");
		st = RV_IO;
	}
	if (st == RV_OK)
		for (size_t i = 0; i < pf.ncols; i++)
			propose(r, &pf.cols[i], &r->fields[i]);
	for (size_t i = 0; i < pf.ncols; i++)
		text_set_free(&pf.cols[i].seen);
	free(pf.cols);
	if (st != RV_OK) {
		infer_free(r);
		return st;
	}
	*out = r;
	return RV_OK;
}

void infer_free(infer_result *r)
{
	if (!r)
		return;
	arena_free(r->arena);
	free(r);
}
