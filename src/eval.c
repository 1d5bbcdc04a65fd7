/* eval.c: evaluate the rule graph on one record at a time.
 *
 * The hot path is eval_record: for each field, one look at the cell
 * (missing? valid UTF-8? too big?), one typed parse shared by every check
 * of the field, then the constraints in graph order. Nothing is allocated
 * per cell: typed values live in the worker, failing values are appended to
 * the tally's byte buffer, strings made by row-rule functions go to the
 * worker's scratch, which is reset per record. Row rules are interpreted
 * from their typed trees with Python's semantics for None. */
#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "formats.h"
#include "util/xalloc.h"

enum { SAMPLE_CODEPOINTS = 256 };

struct rv_worker {
	const rv_graph *g;
	const rv_eval_opts *o;
	size_t n_vals; /* fields + extra columns */
	rv_value *vals;
	uint8_t *state;              /* per value: ST_* */
	pcre2_match_data **field_md; /* per field with a pattern */
	pcre2_match_data **rule_md;  /* per matches() regex */
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	struct scratch_block *scratch; /* strings made by row rules; never move, reset per record */
	size_t regex_cursor;           /* which matches() regex the interpreter meets next */
	size_t *rule_regex_base;       /* per rule: the index of its first matches() regex */
	uint8_t *cell_bad; /* per cell of the current record: CELL_BAD_* (when any_bad) */
	bool any_bad;      /* the current record has a cell that is too big or not UTF-8 */
	size_t cap_cells;
	rv_buf key;       /* a key being built */
	size_t *null_len; /* per null_values text: its length */
	/* per field, the enabled constraint checks a typed value runs through
	 * (required, type and unique left out): plan[plan_at[f] .. plan_at[f + 1]) */
	uint32_t *plan;
	size_t *plan_at;
	unsigned *fused; /* per field: FF_*, what field_passes tests */
};

/* A field's constraint checks as one test (field_passes), for the values
 * that pass them all, which are most: FF_GENERIC when it holds a check the
 * test does not know, or bounds on a type it does not compare. */
enum {
	FF_GENERIC = 1,
	FF_MIN = 2,
	FF_MAX = 4,
	FF_XMIN = 8,
	FF_XMAX = 16,
	FF_MIN_LENGTH = 32,
	FF_MAX_LENGTH = 64,
	FF_PATTERN = 128,
	FF_ENUM = 256
};

enum { CELL_OK, CELL_BAD_UTF8, CELL_BAD_SIZE };

static size_t count_regexes(const rv_expr *e);

enum { ST_MISSING, ST_OK, ST_BAD, ST_ABSENT };

/* Scratch for row-rule strings: blocks that never move (a string made early
 * in an expression stays valid while later ones are made); all but the
 * first block are freed when the record is done. */
struct scratch_block {
	struct scratch_block *next;
	size_t used, size;
	char data[];
};

static char *scratch_alloc(rv_worker *w, size_t n)
{
	struct scratch_block *b = w->scratch;
	if (!b || b->size - b->used < n) {
		size_t size = n > 4096 ? n : 4096;
		struct scratch_block *nb = xmalloc(sizeof(*nb) + size);
		nb->size = size;
		nb->used = 0;
		nb->next = b;
		w->scratch = b = nb;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

static void scratch_reset(rv_worker *w)
{
	struct scratch_block *b = w->scratch;
	while (b && b->next) {
		struct scratch_block *next = b->next;
		free(b);
		b = next;
	}
	if (b)
		b->used = 0;
	w->scratch = b;
}

/* ---- tally ---- */

void tally_init(rv_tally *t, size_t n_checks, size_t n_fields)
{
	memset(t, 0, sizeof(*t));
	t->n_checks = n_checks;
	t->n_fields = n_fields;
	t->counts = xcalloc_lines(n_checks ? n_checks : 1, sizeof(rv_counts));
	t->fields = xcalloc_lines(n_fields ? n_fields : 1, sizeof(rv_fieldstat));
	buf_init(&t->values, 0);
	buf_init(&t->keys, 0);
}

void tally_reset(rv_tally *t)
{
	memset(t->counts, 0, (t->n_checks ? t->n_checks : 1) * sizeof(rv_counts));
	memset(t->fields, 0, (t->n_fields ? t->n_fields : 1) * sizeof(rv_fieldstat));
	t->n_fails = 0;
	buf_reset(&t->values);
	buf_reset(&t->keys);
	t->n_records = 0;
	t->n_pending = 0;
	t->lines = 0;
	t->cells = t->nonblank = 0;
	for (size_t i = 0; t->aggs && i < t->n_fields; i++)
		if (t->aggs[i])
			aggacc_reset(t->aggs[i]);
}

void tally_free(rv_tally *t)
{
	free(t->counts);
	free(t->fields);
	free(t->fails);
	free(t->status);
	free(t->rec_start);
	free(t->rec_end);
	free(t->rec_line);
	free(t->pending_mask);
	free(t->key_off);
	free(t->key_len);
	free(t->disp_len);
	free(t->key_hash);
	buf_free(&t->keys);
	buf_free(&t->values);
	for (size_t i = 0; t->aggs && i < t->n_fields; i++)
		aggacc_free(t->aggs[i]);
	free(t->aggs);
	memset(t, 0, sizeof(*t));
}

/* Appends s as sample text: at most SAMPLE_CODEPOINTS code points, each
 * invalid UTF-8 sequence replaced by U+FFFD. */
static void put_value(rv_buf *b, const char *s, size_t n, uint8_t *truncated)
{
	size_t cps = 0, i = 0;
	*truncated = 0;
	while (i < n) {
		if (cps == SAMPLE_CODEPOINTS) {
			*truncated = 1;
			return;
		}
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80                 ? 1
			   : c >= 0xC2 && c <= 0xDF ? 2
			   : c >= 0xE0 && c <= 0xEF ? 3
			   : c >= 0xF0 && c <= 0xF4 ? 4
						    : 0;
		if (k && i + k <= n && utf8_valid(s + i, k)) {
			buf_append(b, s + i, k);
			i += k;
		} else {
			buf_append(b, "\xEF\xBF\xBD", 3);
			i++;
			/* skip the continuation bytes of the broken sequence */
			while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
		}
		cps++;
	}
}

static rv_failure *add_failure(rv_worker *w, rv_tally *t, size_t check, uint32_t line)
{
	const rv_eval_opts *o = w->o;
	t->counts[check].failed++;
	if (!o->keep_all && t->counts[check].failed > o->samples)
		return NULL;
	if (t->n_fails == t->cap_fails) {
		t->cap_fails = t->cap_fails ? t->cap_fails * 2 : 64;
		t->fails = xrealloc(t->fails, t->cap_fails * sizeof(rv_failure));
	}
	rv_failure *f = &t->fails[t->n_fails++];
	memset(f, 0, sizeof(*f));
	f->check = (uint32_t)check;
	f->record = (uint32_t)t->n_records;
	f->line = line;
	return f;
}

static void failure_value(rv_tally *t, rv_failure *f, const char *p, size_t n)
{
	if (!f)
		return;
	f->has_value = 1;
	f->value_off = (uint32_t)t->values.len;
	put_value(&t->values, p, n, &f->truncated);
	f->value_len = (uint32_t)(t->values.len - f->value_off);
}

/* ---- the worker ---- */

rv_worker *worker_new(const rv_graph *g, const rv_eval_opts *o)
{
	rv_worker *w = xcalloc_lines(1, sizeof(*w));
	w->g = g;
	w->o = o;
	const rv_ruleset *rs = g->rs;
	w->n_vals = rs->n_fields + rs->n_extra;
	/* written on every record: in cache lines of their own */
	w->vals = xcalloc_lines(w->n_vals ? w->n_vals : 1, sizeof(rv_value));
	w->state = xcalloc_lines(w->n_vals ? w->n_vals : 1, 1);
	w->field_md = xcalloc(rs->n_fields ? rs->n_fields : 1, sizeof(pcre2_match_data *));
	for (size_t i = 0; i < rs->n_fields; i++)
		if (g->fields[i].pattern)
			w->field_md[i] = pcre2_match_data_create_from_pattern(
				(const pcre2_code *)g->fields[i].pattern, NULL);
	w->rule_md = xcalloc(g->n_rule_regexes ? g->n_rule_regexes : 1, sizeof(pcre2_match_data *));
	for (size_t i = 0; i < g->n_rule_regexes; i++)
		if (g->rule_regexes[i])
			w->rule_md[i] = pcre2_match_data_create_from_pattern(
				(const pcre2_code *)g->rule_regexes[i], NULL);
	/* limits turn a catastrophic pattern into a reported failure, never a hang */
	w->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(w->mctx, 1000000);
	pcre2_set_depth_limit(w->mctx, 10000);
	w->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (w->jit)
		pcre2_jit_stack_assign(w->mctx, NULL, w->jit);
	w->rule_regex_base = xcalloc(rs->n_rules ? rs->n_rules : 1, sizeof(size_t));
	size_t base = 0;
	for (size_t i = 0; i < rs->n_rules; i++) {
		w->rule_regex_base[i] = base;
		base += (rs->rules[i].when ? count_regexes(rs->rules[i].when) : 0) +
			count_regexes(rs->rules[i].check);
	}
	buf_init(&w->key, 0);
	w->null_len = xcalloc(o->n_nulls ? o->n_nulls : 1, sizeof(size_t));
	for (size_t i = 0; i < o->n_nulls; i++)
		w->null_len[i] = strlen(o->nulls[i]);
	w->plan = xmalloc((g->n_checks ? g->n_checks : 1) * sizeof(uint32_t));
	w->plan_at = xcalloc(rs->n_fields + 1, sizeof(size_t));
	size_t np = 0;
	for (size_t fi = 0; fi < rs->n_fields; fi++) {
		const rv_gfield *gf = &g->fields[fi];
		w->plan_at[fi] = np;
		for (int k = gf->first_check; k < gf->first_check + gf->n_checks; k++)
			if (k != gf->required_check && k != gf->type_check && o->enabled[k] &&
			    g->checks[k].kind != CK_UNIQUE)
				w->plan[np++] = (uint32_t)k;
	}
	w->plan_at[rs->n_fields] = np;
	w->fused = xcalloc(rs->n_fields ? rs->n_fields : 1, sizeof(unsigned));
	for (size_t fi = 0; fi < rs->n_fields; fi++) {
		rv_type t = rs->fields[fi].type;
		bool ordered = t == RV_INT || t == RV_FLOAT || t == RV_DATE;
		unsigned ff = 0;
		for (size_t j = w->plan_at[fi]; j < w->plan_at[fi + 1]; j++) {
			switch (g->checks[w->plan[j]].kind) {
			case CK_MIN: ff |= ordered ? FF_MIN : FF_GENERIC; break;
			case CK_MAX: ff |= ordered ? FF_MAX : FF_GENERIC; break;
			case CK_XMIN: ff |= ordered ? FF_XMIN : FF_GENERIC; break;
			case CK_XMAX: ff |= ordered ? FF_XMAX : FF_GENERIC; break;
			case CK_MIN_LENGTH: ff |= FF_MIN_LENGTH; break;
			case CK_MAX_LENGTH: ff |= FF_MAX_LENGTH; break;
			case CK_PATTERN: ff |= FF_PATTERN; break;
			case CK_ENUM: ff |= FF_ENUM; break;
			default: ff |= FF_GENERIC; break;
			}
		}
		w->fused[fi] = ff;
	}
	return w;
}

void worker_free(rv_worker *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->g->rs->n_fields; i++)
		pcre2_match_data_free(w->field_md[i]);
	for (size_t i = 0; i < w->g->n_rule_regexes; i++)
		pcre2_match_data_free(w->rule_md[i]);
	pcre2_match_context_free(w->mctx);
	pcre2_jit_stack_free(w->jit);
	free(w->field_md);
	free(w->rule_md);
	free(w->vals);
	free(w->state);
	free(w->rule_regex_base);
	free(w->cell_bad);
	free(w->plan);
	free(w->null_len);
	free(w->plan_at);
	free(w->fused);
	buf_free(&w->key);
	scratch_reset(w);
	free(w->scratch);
	free(w);
}

/* 1: matches, 0: does not, -1: hit a limit */
static int regex_match(rv_worker *w, const rv_regex *re, pcre2_match_data *md, const char *p,
		       size_t n)
{
	int rc = pcre2_match((const pcre2_code *)re, (PCRE2_SPTR)p, n, 0, PCRE2_NO_UTF_CHECK, md,
			     w->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;
}

static bool is_null_text(const rv_worker *w, const csv_cell *c);

static inline bool is_missing(const rv_worker *w, const csv_cell *c)
{
	const rv_eval_opts *o = w->o;
	if (c->n == 0)
		return true; /* an empty cell, quoted or not, is missing */
	if (o->nulls_only_empty)
		return false;
	return is_null_text(w, c);
}

static bool is_null_text(const rv_worker *w, const csv_cell *c)
{
	for (size_t i = 0; i < w->o->n_nulls; i++) {
		size_t k = w->null_len[i];
		if (k == c->n && memcmp(w->o->nulls[i], c->p, k) == 0)
			return true;
	}
	return false;
}

static bool parse_cell(const rv_field_ir *f, const csv_cell *c, rv_value *v)
{
	if (f->dtfmt)
		return dtfmt_parse(f->dtfmt, f->type, c->p, c->n, v);
	return parse_value(f->type, c->p, c->n, v);
}

/* -1, 0, 1: value_cmp without the call for the types that fit a register */
static inline int quick_cmp(const rv_value *a, const rv_value *b)
{
	switch (a->type) {
	case RV_INT: return (a->u.i > b->u.i) - (a->u.i < b->u.i);
	case RV_FLOAT: return (a->u.f > b->u.f) - (a->u.f < b->u.f);
	case RV_DATE: return (a->u.date > b->u.date) - (a->u.date < b->u.date);
	default: return value_cmp(a, b);
	}
}

static void update_range(rv_fieldstat *s, const rv_value *v)
{
	if (v->type == RV_STR || v->type == RV_BOOL)
		return;
	if (s->has_range && v->type != RV_DECIMAL && quick_cmp(v, &s->min) >= 0 &&
	    quick_cmp(v, &s->max) <= 0)
		return; /* the common case: inside the range seen so far */
	if (v->type == RV_DECIMAL && v->u.s.n >= sizeof(s->min_text))
		return;
	bool lower = !s->has_range || value_cmp(v, &s->min) < 0;
	bool higher = !s->has_range || value_cmp(v, &s->max) > 0;
	if (lower) {
		s->min = *v;
		if (v->type == RV_DECIMAL) {
			memcpy(s->min_text, v->u.s.p, v->u.s.n);
			s->min_text[v->u.s.n] = '\0';
			s->min.u.s.p = s->min_text;
		}
	}
	if (higher) {
		s->max = *v;
		if (v->type == RV_DECIMAL) {
			memcpy(s->max_text, v->u.s.p, v->u.s.n);
			s->max_text[v->u.s.n] = '\0';
			s->max.u.s.p = s->max_text;
		}
	}
	s->has_range = true;
}

/* Runs one constraint of field f on its typed value. */
static bool check_passes(rv_worker *w, const rv_gfield *gf, const rv_check *c, const csv_cell *cell,
			 const rv_value *v, uint8_t *note)
{
	const rv_field_ir *f = gf->ir;
	switch (c->kind) {
	case CK_MIN: return quick_cmp(v, &f->min.v) >= 0;
	case CK_MAX: return quick_cmp(v, &f->max.v) <= 0;
	case CK_XMIN: return quick_cmp(v, &f->xmin.v) > 0;
	case CK_XMAX: return quick_cmp(v, &f->xmax.v) < 0;
	case CK_MIN_LENGTH: return (int64_t)utf8_length(cell->p, cell->n) >= f->min_length;
	case CK_MAX_LENGTH:
		/* a cell has at least n/4 code points: skip the count when it cannot matter */
		if (cell->n <= (size_t)f->max_length)
			return true;
		return (int64_t)utf8_length(cell->p, cell->n) <= f->max_length;
	case CK_PATTERN: {
		if (gf->fast)
			return simple_re_match(gf->fast, cell->p, cell->n);
		int m = regex_match(w, gf->pattern, w->field_md[c->field], cell->p, cell->n);
		if (m < 0)
			*note = NOTE_MATCH_LIMIT;
		return m == 1;
	}
	case CK_FORMAT: return format_check(f->format, cell->p, cell->n);
	case CK_ENUM: return valueset_contains(&gf->enum_set, v);
	case CK_NOT_IN: return !valueset_contains(&gf->not_in_set, v);
	case CK_REFERENCES: {
		const rv_keyset *set = w->o->refs ? w->o->refs[c->field] : NULL;
		if (!set)
			return true;
		buf_reset(&w->key);
		key_append(&w->key, v);
		return keyset_contains(set, w->key.data, w->key.len);
	}
	default: return true; /* unique: decided by the merger, in input order */
	}
}

/* Whether v passes every constraint check of its field (FF_* in what): the
 * same answers as check_passes, without a dispatch per check. False also
 * when it cannot tell (FF_GENERIC, a PCRE2 error): the caller then runs the
 * checks one by one, which count and describe each failure. */
static inline bool field_passes(rv_worker *w, size_t fi, unsigned what, const csv_cell *cell,
				const rv_value *v)
{
	const rv_gfield *gf = &w->g->fields[fi];
	const rv_field_ir *f = gf->ir;
	if (what & FF_GENERIC)
		return false;
	if (what & (FF_MIN | FF_MAX | FF_XMIN | FF_XMAX)) {
		/* the comparisons of quick_cmp, NaN included */
#define OUT_OF_BOUNDS(x, member)                                                                   \
	(((what & FF_MIN) && (x) < f->min.v.u.member) ||                                           \
	 ((what & FF_MAX) && (x) > f->max.v.u.member) ||                                           \
	 ((what & FF_XMIN) && !((x) > f->xmin.v.u.member)) ||                                      \
	 ((what & FF_XMAX) && !((x) < f->xmax.v.u.member)))
		switch (v->type) {
		case RV_INT:
			if (OUT_OF_BOUNDS(v->u.i, i))
				return false;
			break;
		case RV_FLOAT:
			if (OUT_OF_BOUNDS(v->u.f, f))
				return false;
			break;
		case RV_DATE:
			if (OUT_OF_BOUNDS(v->u.date, date))
				return false;
			break;
#undef OUT_OF_BOUNDS
		default: return false;
		}
	}
	if ((what & FF_MAX_LENGTH) && cell->n > (size_t)f->max_length &&
	    (int64_t)utf8_length(cell->p, cell->n) > f->max_length)
		return false;
	if ((what & FF_MIN_LENGTH) && (int64_t)utf8_length(cell->p, cell->n) < f->min_length)
		return false;
	if (what & FF_PATTERN) {
		bool m = gf->fast ? simple_re_match(gf->fast, cell->p, cell->n)
				  : regex_match(w, gf->pattern, w->field_md[fi], cell->p,
						cell->n) == 1;
		if (!m)
			return false;
	}
	if ((what & FF_ENUM) && !valueset_contains(&gf->enum_set, v))
		return false;
	return true;
}

/* ---- row rules ---- */

/* A runtime value of the interpreter. */
enum { XV_VAL, XV_NONE, XV_BAD, XV_SKIP, XV_FAIL };

typedef struct {
	__int128 m;
	int scale;
} xdec;

typedef struct {
	uint8_t st;
	rv_type t;
	union {
		int64_t i;
		double f;
		bool b;
		int32_t date;
		rv_instant ts;
		struct {
			const char *p;
			size_t n;
		} s;
		xdec d;
	} u;
} xval;

static const __int128 DEC_LIMIT = (__int128)1000000000000000000 * 100000000000000000; /* 1e35 */

static bool dec_from_text(const char *p, size_t n, xdec *out)
{
	__int128 m = 0;
	int scale = 0, digits = 0;
	bool neg = false, frac = false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '-') {
			neg = true;
		} else if (p[i] == '.') {
			frac = true;
		} else {
			if (digits || p[i] != '0')
				digits++;
			if (digits > 34)
				return false;
			m = m * 10 + (p[i] - '0');
			scale += frac;
		}
	}
	out->m = neg ? -m : m;
	out->scale = scale;
	return true;
}

static bool dec_rescale(xdec *d, int scale)
{
	while (d->scale < scale) {
		if (d->m > DEC_LIMIT || d->m < -DEC_LIMIT)
			return false;
		d->m *= 10;
		d->scale++;
	}
	return true;
}

static double dec_to_double(const xdec *d)
{
	return (double)d->m / pow(10.0, d->scale);
}

/* Numeric views of a value for mixed arithmetic and comparison. */
static bool to_dec(const xval *v, xdec *out)
{
	if (v->t == RV_DECIMAL) {
		*out = v->u.d;
		return true;
	}
	if (v->t == RV_INT || v->t == RV_BOOL) {
		out->m = v->t == RV_INT ? v->u.i : v->u.b;
		out->scale = 0;
		return true;
	}
	return false;
}

static double to_double(const xval *v)
{
	switch (v->t) {
	case RV_INT: return (double)v->u.i;
	case RV_FLOAT: return v->u.f;
	case RV_DECIMAL: return dec_to_double(&v->u.d);
	case RV_BOOL: return v->u.b;
	default: return 0;
	}
}

static xval xv_state(int st)
{
	xval v;
	memset(&v, 0, sizeof(v));
	v.st = (uint8_t)st;
	return v;
}

static xval xv_bool(bool b)
{
	xval v = xv_state(XV_VAL);
	v.t = RV_BOOL;
	v.u.b = b;
	return v;
}

static bool truthy(const xval *v)
{
	if (v->st != XV_VAL)
		return false;
	switch (v->t) {
	case RV_BOOL: return v->u.b;
	case RV_INT: return v->u.i != 0;
	case RV_FLOAT: return v->u.f != 0;
	case RV_DECIMAL: return v->u.d.m != 0;
	case RV_STR: return v->u.s.n != 0;
	default: return true;
	}
}

/* -1, 0, 1; numeric types compare across int, float and decimal */
static int xcmp(const xval *a, const xval *b)
{
	if (type_is_numeric(a->t) && type_is_numeric(b->t) && a->t != b->t) {
		xdec x, y;
		if (a->t != RV_FLOAT && b->t != RV_FLOAT && to_dec(a, &x) && to_dec(b, &y)) {
			int s = x.scale > y.scale ? x.scale : y.scale;
			if (dec_rescale(&x, s) && dec_rescale(&y, s))
				return x.m < y.m ? -1 : x.m > y.m;
		}
		double p = to_double(a), q = to_double(b);
		return p < q ? -1 : p > q;
	}
	switch (a->t) {
	case RV_STR: {
		size_t k = a->u.s.n < b->u.s.n ? a->u.s.n : b->u.s.n;
		int c = k ? memcmp(a->u.s.p, b->u.s.p, k) : 0;
		if (c)
			return c < 0 ? -1 : 1;
		return a->u.s.n < b->u.s.n ? -1 : a->u.s.n > b->u.s.n;
	}
	case RV_INT: return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	case RV_FLOAT: return a->u.f < b->u.f ? -1 : a->u.f > b->u.f;
	case RV_DECIMAL: {
		xdec x = a->u.d, y = b->u.d;
		int s = x.scale > y.scale ? x.scale : y.scale;
		if (dec_rescale(&x, s) && dec_rescale(&y, s))
			return x.m < y.m ? -1 : x.m > y.m;
		double p = dec_to_double(&a->u.d), q = dec_to_double(&b->u.d);
		return p < q ? -1 : p > q;
	}
	case RV_BOOL: return (int)a->u.b - (int)b->u.b;
	case RV_DATE: return a->u.date < b->u.date ? -1 : a->u.date > b->u.date;
	case RV_DATETIME:
	case RV_TIME:
		if (a->u.ts.secs != b->u.ts.secs)
			return a->u.ts.secs < b->u.ts.secs ? -1 : 1;
		return a->u.ts.nsec < b->u.ts.nsec ? -1 : a->u.ts.nsec > b->u.ts.nsec;
	default: return 0;
	}
}

static xval from_value(const rv_value *v)
{
	xval x = xv_state(XV_VAL);
	x.t = v->type;
	switch (v->type) {
	case RV_STR:
		x.u.s.p = v->u.s.p;
		x.u.s.n = v->u.s.n;
		break;
	case RV_INT: x.u.i = v->u.i; break;
	case RV_FLOAT: x.u.f = v->u.f; break;
	case RV_BOOL: x.u.b = v->u.b; break;
	case RV_DATE: x.u.date = v->u.date; break;
	case RV_DATETIME:
	case RV_TIME: x.u.ts = v->u.t; break;
	case RV_DECIMAL:
		if (!dec_from_text(v->u.s.p, v->u.s.n, &x.u.d))
			return xv_state(XV_SKIP); /* beyond the exact range of rule arithmetic */
		break;
	case RV_NONE: return xv_state(XV_NONE);
	}
	return x;
}

static xval eval_expr(rv_worker *w, const rv_expr *e);

static xval arith(const rv_expr *e, xval a, xval b)
{
	xval r = xv_state(XV_VAL);
	r.t = e->type;
	char op = e->op;
	if (e->type == RV_STR) {
		return xv_state(XV_SKIP); /* handled by the caller, which owns scratch */
	}
	if (e->type == RV_INT) {
		int64_t x = a.u.i, y = b.u.i, z;
		switch (op) {
		case '+':
			if (__builtin_add_overflow(x, y, &z))
				return xv_state(XV_SKIP);
			break;
		case '-':
			if (__builtin_sub_overflow(x, y, &z))
				return xv_state(XV_SKIP);
			break;
		case '*':
			if (__builtin_mul_overflow(x, y, &z))
				return xv_state(XV_SKIP);
			break;
		case '%':
			if (y == 0)
				return xv_state(XV_FAIL);
			if (x == INT64_MIN && y == -1)
				return xv_state(XV_SKIP);
			z = x % y;
			if (z != 0 && ((z < 0) != (y < 0)))
				z += y; /* floored, as in Python */
			break;
		default: return xv_state(XV_SKIP);
		}
		r.u.i = z;
		return r;
	}
	if (e->type == RV_DECIMAL) {
		xdec x, y;
		if (!to_dec(&a, &x) || !to_dec(&b, &y))
			return xv_state(XV_SKIP);
		int s = x.scale > y.scale ? x.scale : y.scale;
		switch (op) {
		case '+':
		case '-':
			if (!dec_rescale(&x, s) || !dec_rescale(&y, s))
				return xv_state(XV_SKIP);
			r.u.d.m = op == '+' ? x.m + y.m : x.m - y.m;
			r.u.d.scale = s;
			break;
		case '*':
			if (__builtin_mul_overflow(x.m, y.m, &r.u.d.m) ||
			    r.u.d.m > DEC_LIMIT * 1000 || r.u.d.m < -DEC_LIMIT * 1000)
				return xv_state(XV_SKIP);
			r.u.d.scale = x.scale + y.scale;
			break;
		case '/':
		case '%': {
			if (y.m == 0)
				return xv_state(XV_FAIL);
			if (op == '%') {
				if (!dec_rescale(&x, s) || !dec_rescale(&y, s))
					return xv_state(XV_SKIP);
				__int128 z = x.m % y.m;
				if (z != 0 && ((z < 0) != (y.m < 0)))
					z += y.m;
				r.u.d.m = z;
				r.u.d.scale = s;
				break;
			}
			/* quotient to 18 places: x * 10^(18 + y.scale - x.scale) / y */
			int shift = 18 + y.scale - x.scale;
			xdec q = x;
			if (shift < 0 || !dec_rescale(&q, q.scale + shift))
				return xv_state(XV_SKIP);
			r.u.d.m = q.m / y.m;
			r.u.d.scale = 18;
			break;
		}
		}
		return r;
	}
	/* float */
	double x = to_double(&a), y = to_double(&b);
	switch (op) {
	case '+': r.u.f = x + y; break;
	case '-': r.u.f = x - y; break;
	case '*': r.u.f = x * y; break;
	case '/':
		if (y == 0)
			return xv_state(XV_FAIL);
		r.u.f = x / y;
		break;
	case '%':
		if (y == 0)
			return xv_state(XV_FAIL);
		r.u.f = fmod(x, y);
		if (r.u.f != 0 && ((r.u.f < 0) != (y < 0)))
			r.u.f += y;
		break;
	}
	r.t = RV_FLOAT;
	return r;
}

/* An operand that is not a plain value stops the operator: missing and
 * ill-typed values skip the rule, a failure propagates. */
static bool blocked(const xval *v, xval *out)
{
	if (v->st == XV_VAL)
		return false;
	*out = xv_state(v->st == XV_FAIL ? XV_FAIL : XV_SKIP);
	return true;
}

static xval str_result(rv_worker *w, const char *p, size_t n)
{
	xval r = xv_state(XV_VAL);
	r.t = RV_STR;
	char *s = scratch_alloc(w, n);
	if (n)
		memcpy(s, p, n);
	r.u.s.p = s;
	r.u.s.n = n;
	return r;
}

static xval call(rv_worker *w, const rv_expr *e)
{
	xval a[2];
	if (e->fn == FN_TODAY) {
		xval r = xv_state(XV_VAL);
		r.t = RV_DATE;
		r.u.date = w->o->today;
		return r;
	}
	if (e->fn == FN_MIN || e->fn == FN_MAX) {
		xval best = eval_expr(w, e->args[0]), out;
		if (blocked(&best, &out))
			return out;
		for (size_t i = 1; i < e->nargs; i++) {
			xval v = eval_expr(w, e->args[i]);
			if (blocked(&v, &out))
				return out;
			int c = xcmp(&v, &best);
			if (e->fn == FN_MIN ? c < 0 : c > 0)
				best = v;
		}
		/* the static type is the promoted one: convert the winner */
		if (e->type == RV_FLOAT && best.t != RV_FLOAT) {
			best.u.f = to_double(&best);
			best.t = RV_FLOAT;
		} else if (e->type == RV_DECIMAL && best.t == RV_INT) {
			xdec d;
			to_dec(&best, &d);
			best.u.d = d;
			best.t = RV_DECIMAL;
		}
		return best;
	}
	for (size_t i = 0; i < e->nargs && i < 2; i++) {
		xval out;
		if (e->fn == FN_MATCHES && i == 1)
			break; /* the pattern is compiled */
		a[i] = eval_expr(w, e->args[i]);
		if (blocked(&a[i], &out))
			return out;
	}
	switch (e->fn) {
	case FN_LEN: {
		xval r = xv_state(XV_VAL);
		r.t = RV_INT;
		r.u.i = (int64_t)utf8_length(a[0].u.s.p, a[0].u.s.n);
		return r;
	}
	case FN_LOWER:
	case FN_UPPER: {
		xval r = str_result(w, a[0].u.s.p, a[0].u.s.n);
		char *s = (char *)r.u.s.p;
		for (size_t i = 0; i < r.u.s.n; i++) {
			if (e->fn == FN_LOWER && s[i] >= 'A' && s[i] <= 'Z')
				s[i] = (char)(s[i] + 32);
			else if (e->fn == FN_UPPER && s[i] >= 'a' && s[i] <= 'z')
				s[i] = (char)(s[i] - 32);
		}
		return r;
	}
	case FN_STRIP: {
		const char *p = a[0].u.s.p;
		size_t n = a[0].u.s.n;
		while (n && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
			     *p == '\v'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' ||
			     p[n - 1] == '\r' || p[n - 1] == '\f' || p[n - 1] == '\v'))
			n--;
		xval r = a[0];
		r.u.s.p = p;
		r.u.s.n = n;
		return r;
	}
	case FN_ABS: {
		xval r = a[0];
		if (r.t == RV_INT) {
			if (r.u.i == INT64_MIN)
				return xv_state(XV_SKIP);
			r.u.i = r.u.i < 0 ? -r.u.i : r.u.i;
		} else if (r.t == RV_FLOAT) {
			r.u.f = fabs(r.u.f);
		} else if (r.t == RV_DECIMAL) {
			r.u.d.m = r.u.d.m < 0 ? -r.u.d.m : r.u.d.m;
		}
		return r;
	}
	case FN_MATCHES: {
		size_t k = w->regex_cursor++;
		const rv_regex *re = w->g->rule_regexes[k];
		int m = regex_match(w, re, w->rule_md[k], a[0].u.s.p, a[0].u.s.n);
		if (m < 0)
			return xv_state(XV_SKIP);
		return xv_bool(m == 1);
	}
	case FN_STARTSWITH:
	case FN_ENDSWITH: {
		const xval *s = &a[0], *x = &a[1];
		if (x->u.s.n > s->u.s.n)
			return xv_bool(false);
		const char *at = e->fn == FN_STARTSWITH ? s->u.s.p : s->u.s.p + s->u.s.n - x->u.s.n;
		return xv_bool(x->u.s.n == 0 || memcmp(at, x->u.s.p, x->u.s.n) == 0);
	}
	default: return xv_state(XV_SKIP);
	}
}

/* The number of matches() calls in a subtree, so a short-circuit can keep
 * the regex cursor in step. */
static size_t count_regexes(const rv_expr *e)
{
	size_t n = e->kind == EX_CALL && e->fn == FN_MATCHES;
	for (size_t i = 0; i < e->nargs; i++)
		n += count_regexes(e->args[i]);
	return n;
}

static xval eval_expr(rv_worker *w, const rv_expr *e)
{
	xval out;
	switch (e->kind) {
	case EX_CONST: return from_value(&e->value);
	case EX_NONE: return xv_state(XV_NONE);
	case EX_FIELD: {
		uint8_t st = w->state[e->field];
		if (st == ST_MISSING)
			return xv_state(XV_NONE);
		if (st != ST_OK)
			return xv_state(XV_BAD);
		return from_value(&w->vals[e->field]);
	}
	case EX_NOT: {
		xval a = eval_expr(w, e->args[0]);
		if (a.st == XV_BAD || a.st == XV_SKIP || a.st == XV_FAIL)
			return xv_state(a.st == XV_FAIL ? XV_FAIL : XV_SKIP);
		return xv_bool(!truthy(&a));
	}
	case EX_AND:
	case EX_OR: {
		xval a = eval_expr(w, e->args[0]);
		if (a.st == XV_BAD || a.st == XV_SKIP || a.st == XV_FAIL) {
			w->regex_cursor += count_regexes(e->args[1]);
			return xv_state(a.st == XV_FAIL ? XV_FAIL : XV_SKIP);
		}
		bool t = truthy(&a);
		if (e->kind == EX_AND ? !t : t) {
			w->regex_cursor += count_regexes(e->args[1]);
			return a; /* Python returns the deciding operand */
		}
		xval b = eval_expr(w, e->args[1]);
		if (b.st == XV_BAD)
			return xv_state(XV_SKIP);
		return b;
	}
	case EX_NEG: {
		xval a = eval_expr(w, e->args[0]);
		if (blocked(&a, &out))
			return out;
		if (a.t == RV_INT) {
			if (a.u.i == INT64_MIN)
				return xv_state(XV_SKIP);
			a.u.i = -a.u.i;
		} else if (a.t == RV_FLOAT) {
			a.u.f = -a.u.f;
		} else {
			a.u.d.m = -a.u.d.m;
		}
		return a;
	}
	case EX_ARITH: {
		xval a = eval_expr(w, e->args[0]);
		if (blocked(&a, &out)) {
			w->regex_cursor += count_regexes(e->args[1]);
			return out;
		}
		xval b = eval_expr(w, e->args[1]);
		if (blocked(&b, &out))
			return out;
		if (e->type == RV_STR) {
			size_t an = a.u.s.n, bn = b.u.s.n;
			char *s = scratch_alloc(w, an + bn);
			if (an)
				memcpy(s, a.u.s.p, an);
			if (bn)
				memcpy(s + an, b.u.s.p, bn);
			xval r = xv_state(XV_VAL);
			r.t = RV_STR;
			r.u.s.p = s;
			r.u.s.n = an + bn;
			return r;
		}
		return arith(e, a, b);
	}
	case EX_CMP: {
		xval a = eval_expr(w, e->args[0]);
		size_t done = 0;
		bool result = true;
		for (size_t i = 1; i < e->nargs; i++) {
			if (blocked(&a, &out))
				goto skip_rest;
			xval b = eval_expr(w, e->args[i]);
			if (blocked(&b, &out)) {
				done = i;
				goto skip_rest;
			}
			int c = xcmp(&a, &b);
			bool ok;
			switch (e->cmps[i - 1]) {
			case CMP_EQ: ok = c == 0; break;
			case CMP_NE: ok = c != 0; break;
			case CMP_LT: ok = c < 0; break;
			case CMP_LE: ok = c <= 0; break;
			case CMP_GT: ok = c > 0; break;
			default: ok = c >= 0; break;
			}
			if (!ok) {
				result = false;
				done = i;
				for (size_t k = i + 1; k < e->nargs; k++)
					w->regex_cursor += count_regexes(e->args[k]);
				break;
			}
			a = b;
		}
		return xv_bool(result);
	skip_rest:
		for (size_t k = done + 1; k < e->nargs; k++)
			w->regex_cursor += count_regexes(e->args[k]);
		return out;
	}
	case EX_IN:
	case EX_NOT_IN: {
		xval a = eval_expr(w, e->args[0]);
		if (blocked(&a, &out)) {
			for (size_t k = 1; k < e->nargs; k++)
				w->regex_cursor += count_regexes(e->args[k]);
			return out;
		}
		bool found = false;
		if (e->in_str) {
			xval s = eval_expr(w, e->args[1]);
			if (blocked(&s, &out))
				return out;
			found = a.u.s.n == 0 || memmem(s.u.s.p, s.u.s.n, a.u.s.p, a.u.s.n) != NULL;
		} else {
			for (size_t i = 1; i < e->nargs; i++) {
				xval item = eval_expr(w, e->args[i]);
				if (item.st == XV_VAL && xcmp(&a, &item) == 0)
					found = true;
			}
		}
		return xv_bool(e->kind == EX_IN ? found : !found);
	}
	case EX_IS_NONE:
	case EX_IS_NOT_NONE: {
		xval a = eval_expr(w, e->args[0]);
		if (a.st == XV_SKIP || a.st == XV_FAIL)
			return a;
		bool none = a.st == XV_NONE;
		return xv_bool(e->kind == EX_IS_NONE ? none : !none);
	}
	case EX_CALL: return call(w, e);
	}
	return xv_state(XV_SKIP);
}

/* ---- one record ---- */

static bool ascii_only(const char *p, size_t n)
{
	uint64_t acc = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)p[i];
	return (acc & 0x8080808080808080ull) == 0;
}

/* What a failure of check does to its record. */
static void judge(rv_worker *w, size_t check, unsigned *flags, uint64_t *mask)
{
	*flags |= check_effect(&w->g->checks[check], w->o->fail_on_warn, mask);
}

static void fail_check(rv_worker *w, rv_tally *t, size_t check, uint32_t line, const csv_cell *cell,
		       uint8_t note, unsigned *flags, uint64_t *mask)
{
	rv_failure *f = add_failure(w, t, check, line);
	if (f) {
		f->note = note;
		if (cell)
			failure_value(t, f, cell->p, cell->n);
	}
	judge(w, check, flags, mask);
}

/* Every enabled check of a field counts the cell as skipped. */
static void skip_field(rv_worker *w, rv_tally *t, const rv_gfield *gf)
{
	for (int k = gf->first_check; k < gf->first_check + gf->n_checks; k++)
		if (w->o->enabled[k])
			t->counts[k].skipped++;
}

/* Appends, for every uniqueness slot, the record's key (or none). */
static void eval_keys(rv_worker *w, const rv_binding *b, const csv_record *rec, rv_tally *t,
		      bool usable)
{
	const rv_graph *g = w->g;
	const rv_eval_opts *o = w->o;
	size_t base = t->n_records * o->n_uniq;
	if (base + o->n_uniq > t->cap_keys) {
		t->cap_keys = (base + o->n_uniq) * 2;
		t->key_off = xrealloc(t->key_off, t->cap_keys * sizeof(uint32_t));
		t->key_len = xrealloc(t->key_len, t->cap_keys * sizeof(uint32_t));
		t->disp_len = xrealloc(t->disp_len, t->cap_keys * sizeof(uint32_t));
		t->key_hash = xrealloc(t->key_hash, t->cap_keys * sizeof(uint64_t));
	}
	for (size_t s = 0; s < o->n_uniq; s++) {
		const rv_check *c = &g->checks[o->uniq[s]];
		t->key_len[base + s] = UINT32_MAX;
		if (!usable) {
			if (c->kind == CK_UNIQUE)
				t->counts[o->uniq[s]].skipped++;
			continue;
		}
		const int *parts;
		size_t n_parts;
		int single;
		if (c->kind == CK_UNIQUE) {
			single = c->field;
			parts = &single;
			n_parts = 1;
		} else if (c->kind == CK_TABLE_AGG) {
			/* a distinct count: the field's typed value, nothing to show */
			parts = &g->rs->table.aggs[c->table_index].field;
			n_parts = 1;
		} else {
			const rv_unique_ir *u = &g->rs->table.unique[c->table_index];
			parts = u->fields;
			n_parts = u->n;
		}
		bool ok = true;
		for (size_t k = 0; k < n_parts && ok; k++) {
			uint8_t st = w->state[parts[k]];
			if (st == ST_BAD && c->kind == CK_UNIQUE)
				t->counts[o->uniq[s]].skipped++;
			ok = st == ST_OK; /* missing (and ill-typed) parts are not compared */
		}
		if (!ok)
			continue;
		size_t off = t->keys.len;
		if (n_parts == 1) {
			key_append(&t->keys, &w->vals[parts[0]]);
		} else {
			for (size_t k = 0; k < n_parts; k++) {
				/* each part behind its length, so ("ab", "c") and ("a", "bc")
				 * differ */
				buf_reset(&w->key);
				key_append(&w->key, &w->vals[parts[k]]);
				uint32_t n = (uint32_t)w->key.len;
				buf_append(&t->keys, &n, sizeof(n));
				buf_append(&t->keys, w->key.data, w->key.len);
			}
		}
		size_t key_end = t->keys.len;
		/* hashed here, in parallel, rather than by the merger */
		t->key_hash[base + s] = key_hash(t->keys.data + off, key_end - off);
		for (size_t k = 0; k < n_parts && c->kind != CK_TABLE_AGG; k++) {
			/* a part's state is ST_OK: its column is in the record */
			const csv_cell *cell = &rec->cells[b->col[parts[k]]];
			if (k)
				buf_append(&t->keys, ", ", 2);
			buf_append(&t->keys, cell->p, cell->n < 256 ? cell->n : 256);
		}
		t->key_off[base + s] = (uint32_t)off;
		t->key_len[base + s] = (uint32_t)(key_end - off);
		t->disp_len[base + s] = (uint32_t)(t->keys.len - key_end);
		if (c->kind == CK_UNIQUE)
			t->counts[o->uniq[s]].evaluated++;
	}
}

/* Adds the record's valid values of the fields with aggregates to their
 * accumulators (table aggregates: agg.h). */
static void eval_aggs(rv_worker *w, rv_tally *t)
{
	const rv_eval_opts *o = w->o;
	for (size_t k = 0; k < o->n_agg_fields; k++) {
		int fi = o->agg_fields[k];
		if (w->state[fi] == ST_OK)
			aggacc_add(t->aggs[fi], &w->vals[fi], (uint32_t)t->n_records);
	}
}

static void grow_records(rv_tally *t)
{
	if (t->n_records < t->cap_records)
		return;
	t->cap_records = t->cap_records ? t->cap_records * 2 : 1024;
	t->status = xrealloc(t->status, t->cap_records);
	t->rec_start = xrealloc(t->rec_start, t->cap_records * sizeof(uint32_t));
	t->rec_end = xrealloc(t->rec_end, t->cap_records * sizeof(uint32_t));
	t->rec_line = xrealloc(t->rec_line, t->cap_records * sizeof(uint32_t));
}

static size_t csv_check(const rv_graph *g, rv_csv_check which)
{
	/* the structural checks are the graph's first checks, in rv_csv_check order */
	(void)g;
	return (size_t)which;
}

static void eval_fields(rv_worker *w, const rv_binding *b, const csv_record *rec, uint32_t line,
			rv_tally *t, unsigned *flags, uint64_t *mask)
{
	const rv_graph *g = w->g;
	const rv_eval_opts *o = w->o;
	const bool *en = o->enabled;
	const rv_ruleset *rs = g->rs;
	for (size_t fi = 0; fi < rs->n_fields; fi++) {
		const rv_gfield *gf = &g->fields[fi];
		const rv_field_ir *f = gf->ir;
		int col = b->col[fi];
		if (col < 0) {
			w->state[fi] = ST_ABSENT;
			continue;
		}
		const csv_cell *cell = &rec->cells[col];
		rv_fieldstat *st = &t->fields[fi];
		if (w->any_bad && w->cell_bad[col] != CELL_OK) {
			w->state[fi] = ST_BAD;
			st->invalid++;
			skip_field(w, t, gf);
			continue;
		}
		if (is_missing(w, cell)) {
			w->state[fi] = ST_MISSING;
			st->missing++;
			int rc = gf->required_check;
			if (rc >= 0 && en[rc]) {
				t->counts[rc].evaluated++;
				fail_check(w, t, (size_t)rc, line, cell, NOTE_NONE, flags, mask);
			}
			continue;
		}
		if (gf->required_check >= 0 && en[gf->required_check])
			t->counts[gf->required_check].evaluated++;
		rv_value *v = &w->vals[fi];
		if (f->type == RV_STR) {
			v->type = RV_STR;
			v->u.s.p = cell->p;
			v->u.s.n = cell->n;
		} else {
			int tc = gf->type_check;
			bool ok = parse_cell(f, cell, v);
			if (en[tc]) {
				t->counts[tc].evaluated++;
				if (!ok)
					fail_check(w, t, (size_t)tc, line, cell, NOTE_NONE, flags,
						   mask);
			}
			if (!ok) {
				w->state[fi] = ST_BAD;
				st->invalid++;
				for (int k = gf->first_check; k < gf->first_check + gf->n_checks;
				     k++)
					if (k != tc && k != gf->required_check && en[k])
						t->counts[k].skipped++;
				continue;
			}
			update_range(st, v);
		}
		w->state[fi] = ST_OK;
		/* unique is counted with its key and decided by the merger; the
		 * others count this value in eval_finish */
		st->checked++;
		if (field_passes(w, fi, w->fused[fi], cell, v))
			continue;
		for (size_t j = w->plan_at[fi], end = w->plan_at[fi + 1]; j < end; j++) {
			uint32_t k = w->plan[j];
			uint8_t note = NOTE_NONE;
			if (!check_passes(w, gf, &g->checks[k], cell, v, &note))
				fail_check(w, t, k, line, cell, note, flags, mask);
		}
	}
	/* columns rules read without a field rule: typed str */
	for (size_t k = 0; k < rs->n_extra; k++) {
		size_t vi = rs->n_fields + k;
		int col = b->col[vi];
		if (col < 0) {
			w->state[vi] = ST_ABSENT;
			continue;
		}
		const csv_cell *cell = &rec->cells[col];
		if (w->any_bad && w->cell_bad[col] != CELL_OK) {
			w->state[vi] = ST_BAD;
		} else if (is_missing(w, cell)) {
			w->state[vi] = ST_MISSING;
		} else {
			w->state[vi] = ST_OK;
			w->vals[vi].type = RV_STR;
			w->vals[vi].u.s.p = cell->p;
			w->vals[vi].u.s.n = cell->n;
		}
	}
}

static void eval_rules(rv_worker *w, uint32_t line, rv_tally *t, unsigned *flags, uint64_t *mask)
{
	const rv_graph *g = w->g;
	const rv_ruleset *rs = g->rs;
	for (size_t r = 0; r < rs->n_rules; r++) {
		size_t check = g->first_rule + r;
		if (!w->o->enabled[check])
			continue;
		const rv_rule_ir *rule = &rs->rules[r];
		w->regex_cursor = w->rule_regex_base[r];
		if (rule->when) {
			xval v = eval_expr(w, rule->when);
			if (v.st == XV_SKIP || v.st == XV_BAD) {
				t->counts[check].skipped++;
				continue;
			}
			if (v.st == XV_FAIL) {
				t->counts[check].evaluated++;
				fail_check(w, t, check, line, NULL, NOTE_DIV_ZERO, flags, mask);
				continue;
			}
			if (!truthy(&v))
				continue; /* a false `when` is not counted */
		}
		xval v = eval_expr(w, rule->check);
		if (v.st == XV_SKIP || v.st == XV_BAD) {
			t->counts[check].skipped++;
			continue;
		}
		t->counts[check].evaluated++;
		if (v.st == XV_FAIL)
			fail_check(w, t, check, line, NULL, NOTE_DIV_ZERO, flags, mask);
		else if (!truthy(&v))
			fail_check(w, t, check, line, NULL, NOTE_NONE, flags, mask);
	}
	scratch_reset(w);
}

void eval_record(rv_worker *w, const rv_binding *b, const csv_record *rec, uint32_t rec_off,
		 uint32_t rec_end, uint32_t line, rv_tally *t)
{
	const rv_graph *g = w->g;
	const rv_eval_opts *o = w->o;
	const bool *en = o->enabled;
	unsigned flags = 0;
	uint64_t mask = 0;
	grow_records(t);

	if (rec->n > w->cap_cells) {
		w->cap_cells = rec->n * 2;
		free(w->cell_bad); /* rewritten for every record: no need to keep it */
		w->cell_bad = xcalloc_lines(w->cap_cells, 1);
	}
	/* look at every cell once: size, then UTF-8 (unless the whole record is
	 * ASCII, which the parser or one pass over its bytes tells); cell_bad is
	 * written only for a record that has a bad cell */
	bool ascii = rec->ascii || ascii_only(rec->start, (size_t)(rec->end - rec->start));
	bool blank = true, any_bad = false;
	for (size_t i = 0; i < rec->n; i++) {
		const csv_cell *c = &rec->cells[i];
		if (!c->n)
			continue;
		blank = false;
		uint8_t bad = CELL_OK;
		if (c->n > o->max_field)
			bad = CELL_BAD_SIZE;
		else if (!ascii && !utf8_valid(c->p, c->n))
			bad = CELL_BAD_UTF8;
		if (bad != CELL_OK) {
			if (!any_bad)
				memset(w->cell_bad, CELL_OK, rec->n);
			any_bad = true;
			w->cell_bad[i] = bad;
		}
	}
	w->any_bad = any_bad;
	/* in a one-column file an empty line is a record with one missing cell */
	if (blank && b->ncols == 1 && rec->n == 1)
		blank = false;
	/* an unterminated quote swallows the rest of the input into one cell:
	 * that is its csv.quote failure, not also a ragged record; either way
	 * cells cannot be bound to fields when there are not as many as columns */
	bool unbound = !blank && rec->n != b->ncols;
	bool ragged = unbound && !(rec->problems & REC_UNTERMINATED);

	/* the structural checks, in graph order */
	size_t ragged_c = csv_check(g, CSV_RAGGED), quote = csv_check(g, CSV_QUOTE);
	size_t enc = csv_check(g, CSV_ENCODING), blank_c = csv_check(g, CSV_BLANK);
	size_t size = csv_check(g, CSV_FIELD_SIZE);
	/* evaluated counts of the structural checks: added up in eval_finish */
	t->cells += rec->n;
	t->nonblank += !blank;
	if (!blank && en[ragged_c]) {
		if (ragged) {
			rv_failure *f = add_failure(w, t, ragged_c, line);
			if (f) {
				f->note = NOTE_RAGGED;
				f->cells = (uint16_t)(rec->n > 65535 ? 65535 : rec->n);
			}
			judge(w, ragged_c, &flags, &mask);
		}
	}
	if (en[quote]) {
		if (rec->problems)
			fail_check(w, t, quote, line, &rec->cells[rec->problem_cell],
				   (rec->problems & REC_UNTERMINATED) ? NOTE_UNTERMINATED
								      : NOTE_AFTER_QUOTE,
				   &flags, &mask);
	}
	if (en[enc]) {
		for (size_t i = 0; any_bad && i < rec->n; i++)
			if (w->cell_bad[i] == CELL_BAD_UTF8)
				fail_check(w, t, enc, line, &rec->cells[i], NOTE_NONE, &flags,
					   &mask);
	}
	if (en[blank_c]) {
		if (blank)
			fail_check(w, t, blank_c, line, NULL, NOTE_NONE, &flags, &mask);
	}
	if (en[size]) {
		for (size_t i = 0; any_bad && i < rec->n; i++)
			if (w->cell_bad[i] == CELL_BAD_SIZE)
				fail_check(w, t, size, line, &rec->cells[i], NOTE_FIELD_SIZE,
					   &flags, &mask);
	}
	if (blank || unbound) {
		/* the record cannot be read field by field: every field check skips it */
		for (size_t fi = 0; fi < g->rs->n_fields; fi++)
			if (b->col[fi] >= 0)
				skip_field(w, t, &g->fields[fi]);
		for (size_t i = g->first_rule; i < g->first_rule + g->rs->n_rules; i++)
			if (en[i])
				t->counts[i].skipped++;
	} else {
		eval_fields(w, b, rec, line, t, &flags, &mask);
		if (g->rs->n_rules)
			eval_rules(w, line, t, &flags, &mask);
		if (o->n_agg_fields)
			eval_aggs(w, t);
	}
	if (o->n_uniq)
		eval_keys(w, b, rec, t, !blank && !unbound);

	uint8_t status = (uint8_t)(flags & (RS_INVALID | RS_WARNED));
	if (!(flags & RS_INVALID) && mask) {
		status |= RS_PENDING;
		if (t->n_pending == t->cap_pending) {
			t->cap_pending = t->cap_pending ? t->cap_pending * 2 : 64;
			t->pending_mask =
				xrealloc(t->pending_mask, t->cap_pending * sizeof(uint64_t));
		}
		t->pending_mask[t->n_pending++] = mask;
	}
	t->status[t->n_records] = status;
	t->rec_start[t->n_records] = rec_off;
	t->rec_end[t->n_records] = rec_end;
	t->rec_line[t->n_records] = line;
	t->n_records++;
}

void eval_finish(rv_worker *w, rv_tally *t)
{
	const rv_graph *g = w->g;
	const bool *en = w->o->enabled;
	size_t ragged = csv_check(g, CSV_RAGGED), quote = csv_check(g, CSV_QUOTE);
	size_t enc = csv_check(g, CSV_ENCODING), blank = csv_check(g, CSV_BLANK);
	size_t size = csv_check(g, CSV_FIELD_SIZE);
	if (en[ragged])
		t->counts[ragged].evaluated += t->nonblank;
	if (en[quote])
		t->counts[quote].evaluated += t->n_records;
	if (en[enc])
		t->counts[enc].evaluated += t->cells;
	if (en[blank])
		t->counts[blank].evaluated += t->n_records;
	if (en[size])
		t->counts[size].evaluated += t->cells;
	t->cells = t->nonblank = 0;
	for (size_t fi = 0; fi < w->g->rs->n_fields; fi++) {
		for (size_t j = w->plan_at[fi], end = w->plan_at[fi + 1]; j < end; j++)
			t->counts[w->plan[j]].evaluated += t->fields[fi].checked;
		t->fields[fi].checked = 0;
	}
}
