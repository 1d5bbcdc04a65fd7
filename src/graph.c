/* graph.c: compile IR into the rule graph, and print it.
 *
 * Node creation order is the evaluation order the engine uses: the reader,
 * the structural checks, then each field in file order (cell, missing,
 * required, parse/type, constraints in a fixed order), the row rules and the
 * table checks. The order printed is computed from the edges (Kahn's
 * algorithm, lowest node first), so it is a real topological order, and a
 * test checks that it matches creation order. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util/overread.h"
#include "util/xalloc.h"

const char *csv_check_name(rv_csv_check c)
{
	static const char *const N[] = {"header",   "ragged", "quote",
					"encoding", "blank",  "field_size"};
	return N[c];
}

static const char *const CHECK_SUFFIX[] = {
	[CK_REQUIRED] = "required",
	[CK_TYPE] = "type",
	[CK_MIN] = "min",
	[CK_MAX] = "max",
	[CK_XMIN] = "exclusive_min",
	[CK_XMAX] = "exclusive_max",
	[CK_MIN_LENGTH] = "min_length",
	[CK_MAX_LENGTH] = "max_length",
	[CK_PATTERN] = "pattern",
	[CK_FORMAT] = "format",
	[CK_ENUM] = "enum",
	[CK_NOT_IN] = "not_in",
	[CK_UNIQUE] = "unique",
	[CK_REFERENCES] = "references",
};

typedef struct {
	rv_graph *g;
	rv_ptrvec nodes, edges, checks;
	rv_diags *d;
	bool failed;
} gbuild;

/* ---- value sets ---- */

static uint64_t hash_bytes(const char *p, size_t n, bool fold)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = (h ^ c) * 1099511628211ull;
	}
	return h ^ (h >> 29);
}

static bool bytes_equal(const char *a, size_t an, const char *b, size_t bn, bool fold)
{
	if (an != bn)
		return false;
	return fold ? strncasecmp(a, b, an) == 0 || an == 0 : memcmp(a, b, an) == 0;
}

/* up to 15 bytes and their length in two words; w[1] is never 0 */
static inline void words_of(const char *p, size_t n, uint64_t w[2])
{
	if (n >= 8) {
		memcpy(&w[0], p, 8); /* a fixed-size copy: one load */
		w[1] = load_partial(p + 8, n - 8);
	} else {
		w[0] = load_partial(p, n);
		w[1] = 0;
	}
	w[1] |= (uint64_t)(n + 1) << 56; /* the length: never 0 */
}

static inline uint64_t word_hash(const uint64_t w[2])
{
	uint64_t h = (w[0] ^ (w[1] * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

static int cmp_values(const void *a, const void *b)
{
	return value_cmp(a, b);
}

static void valueset_build(rv_arena *a, rv_valueset *s, rv_type type, bool fold,
			   const rv_value *vals, size_t n)
{
	s->type = type;
	s->fold = fold;
	s->n = n;
	if (type != RV_STR) {
		s->sorted = arena_alloc(a, (n ? n : 1) * sizeof(rv_value));
		memcpy(s->sorted, vals, n * sizeof(rv_value));
		qsort(s->sorted, n, sizeof(rv_value), cmp_values);
		return;
	}
	size_t slots = 8;
	while (slots < n * 2)
		slots *= 2;
	s->mask = slots - 1;
	s->keys = arena_alloc(a, slots * sizeof(char *));
	s->key_lens = arena_alloc(a, slots * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const char *p = vals[i].u.s.p;
		size_t len = vals[i].u.s.n;
		size_t k = hash_bytes(p, len, fold) & s->mask;
		while (s->keys[k] && !bytes_equal(s->keys[k], s->key_lens[k], p, len, fold))
			k = (k + 1) & s->mask;
		s->keys[k] = p;
		s->key_lens[k] = len;
	}
	bool short_keys = !fold;
	for (size_t i = 0; i < n && short_keys; i++)
		short_keys = vals[i].u.s.n <= 15;
	if (!short_keys)
		return;
	s->words = arena_alloc(a, 2 * slots * sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		uint64_t w[2];
		words_of(vals[i].u.s.p, vals[i].u.s.n, w);
		size_t k = word_hash(w) & s->mask;
		while (s->words[2 * k + 1] &&
		       !(s->words[2 * k] == w[0] && s->words[2 * k + 1] == w[1]))
			k = (k + 1) & s->mask;
		s->words[2 * k] = w[0];
		s->words[2 * k + 1] = w[1];
	}
}

bool valueset_contains(const rv_valueset *s, const rv_value *v)
{
	if (s->type == RV_STR && s->words) {
		if (v->u.s.n > 15)
			return false;
		uint64_t w[2];
		words_of(v->u.s.p, v->u.s.n, w);
		for (size_t k = word_hash(w) & s->mask; s->words[2 * k + 1]; k = (k + 1) & s->mask)
			if (s->words[2 * k] == w[0] && s->words[2 * k + 1] == w[1])
				return true;
		return false;
	}
	if (s->type == RV_STR) {
		const char *p = v->u.s.p;
		size_t len = v->u.s.n;
		size_t k = hash_bytes(p, len, s->fold) & s->mask;
		while (s->keys[k]) {
			if (bytes_equal(s->keys[k], s->key_lens[k], p, len, s->fold))
				return true;
			k = (k + 1) & s->mask;
		}
		return false;
	}
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = value_cmp(&s->sorted[mid], v);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* ---- building ---- */

static int add_node(gbuild *b, rv_gnode_kind kind, int field, int check, const char *label)
{
	rv_gnode *n = arena_alloc(b->g->arena, sizeof(*n));
	n->kind = kind;
	n->field = field;
	n->check = check;
	n->label = label;
	ptrvec_push(b->g->arena, &b->nodes, n);
	return (int)b->nodes.n - 1;
}

static void add_edge(gbuild *b, int from, int to)
{
	rv_gedge *e = arena_alloc(b->g->arena, sizeof(*e));
	e->from = from;
	e->to = to;
	ptrvec_push(b->g->arena, &b->edges, e);
}

static int add_check(gbuild *b, rv_check_kind kind, int field, const char *id, rv_severity sev,
		     const char *message)
{
	rv_check *c = arena_alloc(b->g->arena, sizeof(*c));
	c->kind = kind;
	c->field = field;
	c->rule = -1;
	c->table_index = -1;
	c->id = id;
	c->severity = sev;
	c->message = message;
	ptrvec_push(b->g->arena, &b->checks, c);
	return (int)b->checks.n - 1;
}

static void put_value(rv_buf *out, const rv_value *v)
{
	if (v->type == RV_STR) {
		buf_quote(out, v->u.s.p, v->u.s.n);
		return;
	}
	char tmp[96];
	value_format(v, tmp, sizeof(tmp));
	buf_puts(out, tmp);
}

static void put_values(rv_buf *out, const rv_value *vals, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++) {
		if (i)
			buf_puts(out, ", ");
		put_value(out, &vals[i]);
	}
	if (n > max)
		buf_printf(out, ", ... (%zu in all)", n);
}

/* The default message of a field check: what a passing value looks like. */
static const char *default_message(gbuild *b, const rv_field_ir *f, rv_check_kind k)
{
	rv_buf m;
	buf_init(&m, 0);
	const char *name = f->name;
	switch (k) {
	case CK_REQUIRED: buf_printf(&m, "%s is required", name); break;
	case CK_TYPE:
		if (f->dt_format)
			buf_printf(&m, "%s must be a %s in the format '%s'", name,
				   type_name(f->type), f->dt_format);
		else
			buf_printf(&m, "%s must be %s %s", name, f->type == RV_INT ? "an" : "a",
				   type_name(f->type));
		break;
	case CK_MIN: buf_printf(&m, "%s must be at least %s", name, f->min.text); break;
	case CK_MAX: buf_printf(&m, "%s must be at most %s", name, f->max.text); break;
	case CK_XMIN: buf_printf(&m, "%s must be above %s", name, f->xmin.text); break;
	case CK_XMAX: buf_printf(&m, "%s must be below %s", name, f->xmax.text); break;
	case CK_MIN_LENGTH:
		buf_printf(&m, "%s must be at least %lld characters long", name,
			   (long long)f->min_length);
		break;
	case CK_MAX_LENGTH:
		buf_printf(&m, "%s must be at most %lld characters long", name,
			   (long long)f->max_length);
		break;
	case CK_PATTERN: buf_printf(&m, "%s must match the pattern %s", name, f->pattern); break;
	case CK_FORMAT:
		buf_printf(&m, "%s must be a valid %s", name, strformat_name(f->format));
		break;
	case CK_ENUM:
		buf_printf(&m, "%s must be one of ", name);
		put_values(&m, f->enum_vals, f->n_enum, 10);
		break;
	case CK_NOT_IN:
		buf_printf(&m, "%s must not be one of ", name);
		put_values(&m, f->not_in_vals, f->n_not_in, 10);
		break;
	case CK_UNIQUE: buf_printf(&m, "%s must be unique", name); break;
	case CK_REFERENCES:
		buf_printf(&m, "%s must occur in column '%s' of %s", name, f->ref_column,
			   f->ref_file);
		break;
	default: break;
	}
	const char *s = arena_strdup(b->g->arena, m.data ? m.data : "");
	buf_free(&m);
	return s;
}

/* The parameters of a field check as explain shows them. */
static void check_params(rv_buf *out, const rv_field_ir *f, rv_check_kind k)
{
	switch (k) {
	case CK_MIN:
		buf_printf(out, " >= ");
		put_value(out, &f->min.v);
		break;
	case CK_MAX:
		buf_printf(out, " <= ");
		put_value(out, &f->max.v);
		break;
	case CK_XMIN:
		buf_printf(out, " > ");
		put_value(out, &f->xmin.v);
		break;
	case CK_XMAX:
		buf_printf(out, " < ");
		put_value(out, &f->xmax.v);
		break;
	case CK_MIN_LENGTH: buf_printf(out, " >= %lld", (long long)f->min_length); break;
	case CK_MAX_LENGTH: buf_printf(out, " <= %lld", (long long)f->max_length); break;
	case CK_PATTERN:
		buf_putc(out, ' ');
		buf_quote(out, f->pattern, f->pattern_len);
		if (f->ignore_case)
			buf_puts(out, " ignore_case");
		break;
	case CK_FORMAT: buf_printf(out, " %s", strformat_name(f->format)); break;
	case CK_ENUM:
	case CK_NOT_IN:
		buf_puts(out, " [");
		if (k == CK_ENUM)
			put_values(out, f->enum_vals, f->n_enum, (size_t)-1);
		else
			put_values(out, f->not_in_vals, f->n_not_in, (size_t)-1);
		buf_putc(out, ']');
		if (f->ignore_case)
			buf_puts(out, " ignore_case");
		break;
	case CK_REFERENCES:
		buf_puts(out, " ");
		buf_quote(out, f->ref_file, strlen(f->ref_file));
		buf_puts(out, " column ");
		buf_quote(out, f->ref_column, strlen(f->ref_column));
		break;
	default: break;
	}
}

static const char *finish_label(gbuild *b, rv_buf *l)
{
	const char *s = arena_strdup(b->g->arena, l->data ? l->data : "");
	buf_reset(l);
	return s;
}

static void put_check_tail(rv_buf *l, const rv_check *c, const char *user_message,
			   const rv_field_ir *f)
{
	buf_printf(l, " [%s]", c->severity == SEV_WARN ? "warn" : "error");
	if (f && f->has_mostly && c->kind != CK_REQUIRED && c->kind != CK_TYPE)
		buf_printf(l, " mostly %s", f->mostly_text);
	if (user_message) {
		buf_puts(l, " message ");
		buf_quote(l, user_message, strlen(user_message));
	}
}

static rv_regex *compile_regex(gbuild *b, const char *pattern, size_t len, bool caseless, int line,
			       int col)
{
	int code;
	PCRE2_SIZE off;
	uint32_t opts =
		PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED | (caseless ? PCRE2_CASELESS : 0);
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len, opts, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		diag_error(b->d, line, col, "invalid pattern: %s (at offset %zu)",
			   (const char *)msg, (size_t)off);
		b->failed = true;
		return NULL;
	}
	/* JIT is an optimisation: where the platform lacks it, the interpreter runs */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return (rv_regex *)re;
}

static void build_field(gbuild *b, int fi, int read_node, int *parse_nodes)
{
	rv_graph *g = b->g;
	const rv_field_ir *f = &g->rs->fields[fi];
	rv_gfield *gf = &g->fields[fi];
	gf->ir = f;
	gf->required_check = gf->type_check = -1;
	gf->first_check = (int)b->checks.n;
	rv_buf l;
	buf_init(&l, 0);

	buf_printf(&l, "cell ");
	buf_quote(&l, f->name, strlen(f->name));
	int cell = add_node(b, GN_CELL, fi, -1, finish_label(b, &l));
	add_edge(b, read_node, cell);

	buf_printf(&l, "missing ");
	buf_quote(&l, f->name, strlen(f->name));
	int missing = add_node(b, GN_MISSING, fi, -1, finish_label(b, &l));
	add_edge(b, cell, missing);

	if (f->required) {
		const char *id = arena_printf(g->arena, "%s.required", f->name);
		int c = add_check(b, CK_REQUIRED, fi, id, f->severity,
				  f->message ? f->message : default_message(b, f, CK_REQUIRED));
		gf->required_check = c;
		buf_printf(&l, "check %s", id);
		put_check_tail(&l, b->checks.items[c], f->message, f);
		int n = add_node(b, GN_CHECK, fi, c, finish_label(b, &l));
		((rv_check *)b->checks.items[c])->node = n;
		add_edge(b, missing, n);
	}

	/* the parse node is the type check for every type but str */
	buf_printf(&l, "parse ");
	buf_quote(&l, f->name, strlen(f->name));
	buf_printf(&l, " as %s", type_name(f->type));
	if (f->dt_format) {
		buf_puts(&l, " format ");
		buf_quote(&l, f->dt_format, strlen(f->dt_format));
	}
	int type_check = -1;
	if (f->type != RV_STR) {
		const char *id = arena_printf(g->arena, "%s.type", f->name);
		type_check = add_check(b, CK_TYPE, fi, id, f->severity,
				       f->message ? f->message : default_message(b, f, CK_TYPE));
		gf->type_check = type_check;
		buf_printf(&l, " check %s", id);
		put_check_tail(&l, b->checks.items[type_check], f->message, f);
	}
	int parse = add_node(b, GN_PARSE, fi, type_check, finish_label(b, &l));
	if (type_check >= 0)
		((rv_check *)b->checks.items[type_check])->node = parse;
	add_edge(b, missing, parse);
	parse_nodes[fi] = parse;

	const bool present[] = {
		[CK_MIN] = f->min.set,
		[CK_MAX] = f->max.set,
		[CK_XMIN] = f->xmin.set,
		[CK_XMAX] = f->xmax.set,
		[CK_MIN_LENGTH] = f->min_length >= 0,
		[CK_MAX_LENGTH] = f->max_length >= 0,
		[CK_PATTERN] = f->pattern != NULL,
		[CK_FORMAT] = f->format != STRFMT_NONE,
		[CK_ENUM] = f->has_enum,
		[CK_NOT_IN] = f->has_not_in,
		[CK_UNIQUE] = f->unique,
		[CK_REFERENCES] = f->ref_file != NULL,
	};
	for (int k = CK_MIN; k <= CK_REFERENCES; k++) {
		if (!present[k])
			continue;
		const char *id = arena_printf(g->arena, "%s.%s", f->name, CHECK_SUFFIX[k]);
		int c = add_check(b, (rv_check_kind)k, fi, id, f->severity,
				  f->message ? f->message
					     : default_message(b, f, (rv_check_kind)k));
		buf_printf(&l, "check %s", id);
		check_params(&l, f, (rv_check_kind)k);
		put_check_tail(&l, b->checks.items[c], f->message, f);
		int n = add_node(b, GN_CHECK, fi, c, finish_label(b, &l));
		((rv_check *)b->checks.items[c])->node = n;
		add_edge(b, parse, n);
	}
	gf->n_checks = (int)b->checks.n - gf->first_check;

	if (f->pattern) {
		gf->pattern = compile_regex(b, f->pattern, f->pattern_len, f->ignore_case,
					    f->pattern_pos.line, f->pattern_pos.col);
		rv_simple_re *fast = arena_alloc(g->arena, sizeof(*fast));
		if (strlen(f->pattern) == f->pattern_len &&
		    simple_re_compile(f->pattern, f->ignore_case, fast))
			gf->fast = fast;
	}
	if (f->has_enum)
		valueset_build(g->arena, &gf->enum_set, f->type, f->ignore_case, f->enum_vals,
			       f->n_enum);
	if (f->has_not_in)
		valueset_build(g->arena, &gf->not_in_set, f->type, f->ignore_case, f->not_in_vals,
			       f->n_not_in);
	buf_free(&l);
}

typedef struct {
	gbuild *b;
	int *parse_nodes;
	int read_node;
	int *deps; /* nodes the rule reads, deduplicated */
	size_t n_deps;
	rv_ptrvec *extra_cells; /* cell nodes of undeclared columns, shared by name */
} rule_ctx;

static void add_dep(rule_ctx *r, int node)
{
	for (size_t i = 0; i < r->n_deps; i++)
		if (r->deps[i] == node)
			return;
	r->deps[r->n_deps++] = node;
}

static void rule_field(const rv_expr *e, void *ctx)
{
	rule_ctx *r = ctx;
	if (!e->extra) {
		add_dep(r, r->parse_nodes[e->field]);
		return;
	}
	/* a header column without a field rule: a cell node of its own, once */
	rv_graph *g = r->b->g;
	for (size_t i = 0; i < r->extra_cells->n; i++) {
		int n = (int)(intptr_t)r->extra_cells->items[i];
		if (strcmp(((rv_gnode *)r->b->nodes.items[n])->column, e->name) == 0) {
			add_dep(r, n);
			return;
		}
	}
	rv_buf l;
	buf_init(&l, 0);
	buf_puts(&l, "cell ");
	buf_quote(&l, e->name, strlen(e->name));
	buf_puts(&l, " (no field rule: str)");
	int n = add_node(r->b, GN_CELL, -1, -1, arena_strdup(g->arena, l.data));
	buf_free(&l);
	((rv_gnode *)r->b->nodes.items[n])->column = e->name;
	add_edge(r->b, r->read_node, n);
	ptrvec_push(g->arena, r->extra_cells, (void *)(intptr_t)n);
	add_dep(r, n);
}

static size_t count_fields(const rv_expr *e)
{
	size_t n = e->kind == EX_FIELD;
	for (size_t i = 0; i < e->nargs; i++)
		n += count_fields(e->args[i]);
	return n;
}

static void collect_regexes(gbuild *b, const rv_expr *e, rv_ptrvec *out)
{
	if (e->kind == EX_CALL && e->fn == FN_MATCHES)
		ptrvec_push(b->g->arena, out,
			    compile_regex(b, e->regex, e->regex_len, false, e->regex_line,
					  e->regex_col));
	for (size_t i = 0; i < e->nargs; i++)
		collect_regexes(b, e->args[i], out);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void build_rules(gbuild *b, int read_node, int *parse_nodes)
{
	rv_graph *g = b->g;
	const rv_ruleset *rs = g->rs;
	rv_ptrvec extra = {0}, regexes = {0};
	rv_buf l;
	buf_init(&l, 0);
	for (size_t i = 0; i < rs->n_rules; i++) {
		const rv_rule_ir *r = &rs->rules[i];
		rule_ctx ctx = {b, parse_nodes, read_node, NULL, 0, &extra};
		size_t cap = count_fields(r->check) + (r->when ? count_fields(r->when) : 0) + 1;
		ctx.deps = arena_alloc(g->arena, cap * sizeof(int));
		if (r->when)
			expr_walk_fields(r->when, rule_field, &ctx);
		expr_walk_fields(r->check, rule_field, &ctx);
		if (r->when)
			collect_regexes(b, r->when, &regexes);
		collect_regexes(b, r->check, &regexes);

		const char *id = arena_printf(g->arena, "rules.%s", r->name);
		const char *msg = r->message;
		if (!msg) {
			rv_buf m;
			buf_init(&m, 0);
			buf_printf(&m, "rule %s failed: ", r->name);
			expr_print(&m, r->check);
			msg = arena_strdup(g->arena, m.data);
			buf_free(&m);
		}
		int c = add_check(b, CK_RULE, -1, id, r->severity, msg);
		((rv_check *)b->checks.items[c])->rule = (int)i;
		buf_printf(&l, "rule %s", id);
		if (r->when) {
			buf_puts(&l, " when ");
			expr_print(&l, r->when);
		}
		buf_puts(&l, " check ");
		expr_print(&l, r->check);
		put_check_tail(&l, b->checks.items[c], r->message, NULL);
		int n = add_node(b, GN_RULE, -1, c, finish_label(b, &l));
		((rv_check *)b->checks.items[c])->node = n;
		if (ctx.n_deps == 0)
			add_dep(&ctx, read_node);
		qsort(ctx.deps, ctx.n_deps, sizeof(int), cmp_int);
		for (size_t k = 0; k < ctx.n_deps; k++)
			add_edge(b, ctx.deps[k], n);
	}
	g->rule_regexes = (rv_regex **)regexes.items;
	g->n_rule_regexes = regexes.n;
	buf_free(&l);
}

static int table_node(gbuild *b, rv_check_kind kind, const char *id, int index, rv_buf *l)
{
	int c = add_check(b, kind, -1, id, SEV_ERROR, NULL);
	((rv_check *)b->checks.items[c])->table_index = index;
	int n = add_node(b, GN_TABLE, -1, c, finish_label(b, l));
	((rv_check *)b->checks.items[c])->node = n;
	return n;
}

static void build_table(gbuild *b, int read_node, int *parse_nodes)
{
	rv_graph *g = b->g;
	const rv_table_ir *t = &g->rs->table;
	rv_buf l;
	buf_init(&l, 0);
	if (t->has_rows_min) {
		buf_printf(&l, "table table.rows.min >= %llu", (unsigned long long)t->rows_min);
		add_edge(b, read_node, table_node(b, CK_TABLE_ROWS_MIN, "table.rows.min", -1, &l));
		((rv_check *)b->checks.items[b->checks.n - 1])->message =
			arena_printf(g->arena, "at least %llu record%s",
				     (unsigned long long)t->rows_min, t->rows_min == 1 ? "" : "s");
	}
	if (t->has_rows_max) {
		buf_printf(&l, "table table.rows.max <= %llu", (unsigned long long)t->rows_max);
		add_edge(b, read_node, table_node(b, CK_TABLE_ROWS_MAX, "table.rows.max", -1, &l));
		((rv_check *)b->checks.items[b->checks.n - 1])->message =
			arena_printf(g->arena, "at most %llu record%s",
				     (unsigned long long)t->rows_max, t->rows_max == 1 ? "" : "s");
	}
	if (t->max_invalid.set) {
		buf_printf(&l, "table table.max_invalid <= %s", t->max_invalid.text);
		add_edge(b, read_node,
			 table_node(b, CK_TABLE_MAX_INVALID, "table.max_invalid", -1, &l));
		((rv_check *)b->checks.items[b->checks.n - 1])->message =
			arena_printf(g->arena, "at most %s invalid record%s", t->max_invalid.text,
				     strcmp(t->max_invalid.text, "1") == 0 ? "" : "s");
	}
	for (size_t i = 0; i < t->n_unique; i++) {
		const rv_unique_ir *u = &t->unique[i];
		rv_buf id;
		buf_init(&id, 0);
		buf_puts(&id, "table.unique.");
		for (size_t k = 0; k < u->n; k++)
			buf_printf(&id, "%s%s", k ? "+" : "", u->cols[k]);
		buf_printf(&l, "table %s", id.data);
		const char *ids = arena_strdup(g->arena, id.data);
		int n = table_node(b, CK_TABLE_UNIQUE, ids, (int)i, &l);
		((rv_check *)b->checks.items[b->checks.n - 1])->message = arena_printf(
			g->arena, "no two records share %s", ids + strlen("table.unique."));
		for (size_t k = 0; k < u->n; k++)
			add_edge(b,
				 (size_t)u->fields[k] < g->rs->n_fields ? parse_nodes[u->fields[k]]
									: read_node,
				 n);
		buf_free(&id);
	}
	for (size_t i = 0; i < t->n_aggs; i++) {
		const rv_aggregate_ir *a = &t->aggs[i];
		const char *fname = g->rs->fields[a->field].name;
		const char *id = arena_printf(g->arena, "table.agg.%s.%s", fname, agg_name(a->agg));
		buf_printf(&l, "table %s", id);
		if (a->has_min)
			buf_printf(&l, " >= %s", a->min_text);
		if (a->has_max)
			buf_printf(&l, " <= %s", a->max_text);
		int n = table_node(b, CK_TABLE_AGG, id, (int)i, &l);
		rv_buf m;
		buf_init(&m, 0);
		buf_printf(&m, "%s of %s", agg_name(a->agg), fname);
		if (a->has_min)
			buf_printf(&m, " at least %s", a->min_text);
		if (a->has_min && a->has_max)
			buf_puts(&m, " and");
		if (a->has_max)
			buf_printf(&m, " at most %s", a->max_text);
		((rv_check *)b->checks.items[b->checks.n - 1])->message =
			arena_strdup(g->arena, m.data);
		buf_free(&m);
		add_edge(b, parse_nodes[a->field], n);
	}
	buf_free(&l);
}

static int cmp_check_ids(const void *a, const void *b)
{
	const rv_check *x = *(const rv_check *const *)a, *y = *(const rv_check *const *)b;
	return strcmp(x->id, y->id);
}

/* Every check id must name one check (SPEC 2.7); a field named `rules` with
 * `required` and a rule named `required` would both be rules.required. */
static void check_unique_ids(gbuild *b)
{
	rv_graph *g = b->g;
	const rv_check **sorted = xmalloc((g->n_checks ? g->n_checks : 1) * sizeof(rv_check *));
	for (size_t i = 0; i < g->n_checks; i++)
		sorted[i] = &g->checks[i];
	qsort(sorted, g->n_checks, sizeof(rv_check *), cmp_check_ids);
	for (size_t i = 1; i < g->n_checks; i++) {
		if (strcmp(sorted[i]->id, sorted[i - 1]->id) != 0)
			continue;
		const rv_check *c = sorted[i]->field >= 0 ? sorted[i] : sorted[i - 1];
		rv_pos pos = c->field >= 0  ? g->rs->fields[c->field].pos
			     : c->rule >= 0 ? g->rs->rules[c->rule].pos
					    : (rv_pos){1, 1};
		diag_error(b->d, pos.line, pos.col,
			   "check id '%s' would name two checks; rename the field or the rule",
			   c->id);
		b->failed = true;
	}
	free(sorted);
}

/* Pushes node v onto a min-heap of ready nodes. */
static void heap_push(int *heap, size_t *n, int v)
{
	size_t i = (*n)++;
	while (i > 0 && heap[(i - 1) / 2] > v) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = v;
}

static int heap_pop(int *heap, size_t *n)
{
	int top = heap[0], last = heap[--*n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && heap[c + 1] < heap[c])
			c++;
		if (heap[c] >= last)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (*n)
		heap[i] = last;
	return top;
}

static void topo_order(rv_graph *g)
{
	size_t n = g->n_nodes, m = g->n_edges;
	g->order = arena_alloc(g->arena, (n ? n : 1) * sizeof(int));
	/* out-edges by source node (CSR): first[v] .. first[v + 1] in succ */
	int *indeg = xcalloc(n + 1, sizeof(int));
	size_t *first = xcalloc(n + 2, sizeof(size_t));
	int *succ = xmalloc((m ? m : 1) * sizeof(int));
	int *heap = xmalloc((n ? n : 1) * sizeof(int));
	for (size_t i = 0; i < m; i++) {
		indeg[g->edges[i].to]++;
		first[g->edges[i].from + 2]++;
	}
	for (size_t v = 2; v < n + 2; v++)
		first[v] += first[v - 1];
	for (size_t i = 0; i < m; i++)
		succ[first[g->edges[i].from + 1]++] = g->edges[i].to;
	/* Kahn's algorithm, always taking the lowest ready node: deterministic */
	size_t ready = 0, k = 0;
	for (size_t v = 0; v < n; v++)
		if (indeg[v] == 0)
			heap_push(heap, &ready, (int)v);
	while (ready) {
		int v = heap_pop(heap, &ready);
		g->order[k++] = v;
		for (size_t j = first[v]; j < first[v + 1]; j++)
			if (--indeg[succ[j]] == 0)
				heap_push(heap, &ready, succ[j]);
	}
	/* k < n cannot happen: the graph is built acyclic */
	free(indeg);
	free(first);
	free(succ);
	free(heap);
}

rv_graph *graph_compile(const rv_ruleset *rs, rv_diags *diags)
{
	rv_graph *g = xcalloc(1, sizeof(*g));
	g->rs = rs;
	g->arena = arena_new();
	gbuild b = {.g = g, .d = diags};
	rv_buf l;
	buf_init(&l, 0);

	const rv_dialect *c = &rs->csv;
	buf_puts(&l, "read records: delimiter ");
	buf_quote(&l, &c->delimiter, 1);
	buf_puts(&l, " quote ");
	if (c->quote)
		buf_quote(&l, &c->quote, 1);
	else
		buf_puts(&l, "none");
	buf_puts(&l, " escape ");
	if (c->escape)
		buf_quote(&l, &c->escape, 1);
	else
		buf_puts(&l, "none");
	buf_puts(&l, " comment ");
	if (c->comment)
		buf_quote(&l, &c->comment, 1);
	else
		buf_puts(&l, "none");
	buf_printf(&l, " header %s null_values [", c->header ? "true" : "false");
	for (size_t i = 0; i < c->n_null; i++) {
		if (i)
			buf_puts(&l, ", ");
		buf_quote(&l, c->null_values[i], strlen(c->null_values[i]));
	}
	buf_printf(&l, "] encoding %s skip_lines %llu columns %s", encoding_name(c->encoding),
		   (unsigned long long)c->skip_lines, colmode_name(rs->columns));
	int read = add_node(&b, GN_READ, -1, -1, finish_label(&b, &l));

	static const char *const CSV_MESSAGES[] = {
		"the header must name every declared field once, with no blank or duplicate names",
		"every record must have as many cells as the header",
		"quoted fields must be closed, with nothing after the closing quote",
		"cells must be valid UTF-8 (or declare the file's encoding)",
		"a record must not be blank",
		"a cell must not be larger than the maximum field size",
	};
	for (int k = 0; k < CSV_N_CHECKS; k++) {
		const char *id = arena_printf(g->arena, "csv.%s", csv_check_name((rv_csv_check)k));
		int ck = add_check(&b, CK_CSV, -1, id, SEV_ERROR, CSV_MESSAGES[k]);
		((rv_check *)b.checks.items[ck])->csv = (rv_csv_check)k;
		buf_printf(&l, "check %s", id);
		int n = add_node(&b, GN_CSV, -1, ck, finish_label(&b, &l));
		((rv_check *)b.checks.items[ck])->node = n;
		add_edge(&b, read, n);
	}

	g->fields = arena_alloc(g->arena, (rs->n_fields ? rs->n_fields : 1) * sizeof(rv_gfield));
	int *parse_nodes = arena_alloc(g->arena, (rs->n_fields ? rs->n_fields : 1) * sizeof(int));
	for (size_t i = 0; i < rs->n_fields; i++)
		build_field(&b, (int)i, read, parse_nodes);
	build_rules(&b, read, parse_nodes);
	build_table(&b, read, parse_nodes);
	buf_free(&l);

	g->nodes = arena_alloc(g->arena, b.nodes.n * sizeof(rv_gnode));
	for (size_t i = 0; i < b.nodes.n; i++)
		g->nodes[i] = *(rv_gnode *)b.nodes.items[i];
	g->n_nodes = b.nodes.n;
	g->edges = arena_alloc(g->arena, (b.edges.n ? b.edges.n : 1) * sizeof(rv_gedge));
	for (size_t i = 0; i < b.edges.n; i++)
		g->edges[i] = *(rv_gedge *)b.edges.items[i];
	g->n_edges = b.edges.n;
	g->checks = arena_alloc(g->arena, b.checks.n * sizeof(rv_check));
	for (size_t i = 0; i < b.checks.n; i++)
		g->checks[i] = *(rv_check *)b.checks.items[i];
	g->n_checks = b.checks.n;
	int bit = 0;
	for (size_t i = 0; i < g->n_checks; i++) {
		rv_check *ck = &g->checks[i];
		bool mostly = ck->field >= 0 && rs->fields[ck->field].has_mostly;
		ck->mostly_bit = mostly && bit < 64 ? bit : -1;
		bit += mostly;
	}
	g->first_rule = g->n_checks;
	for (size_t i = g->n_checks; i-- > 0;)
		if (g->checks[i].kind == CK_RULE)
			g->first_rule = i;
	topo_order(g);
	check_unique_ids(&b);
	if (b.failed) {
		graph_free(g);
		return NULL;
	}
	return g;
}

void graph_free(rv_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->rs->n_fields; i++)
		pcre2_code_free((pcre2_code *)g->fields[i].pattern);
	for (size_t i = 0; i < g->n_rule_regexes; i++)
		pcre2_code_free((pcre2_code *)g->rule_regexes[i]);
	arena_free(g->arena);
	free(g);
}

void graph_explain_text(const rv_graph *g, rv_buf *out)
{
	size_t rules = g->rs->n_rules;
	buf_printf(out, "rule graph: %zu field%s, %zu rule%s, %zu checks, %zu nodes, %zu edges\n",
		   g->rs->n_fields, g->rs->n_fields == 1 ? "" : "s", rules, rules == 1 ? "" : "s",
		   g->n_checks, g->n_nodes, g->n_edges);
	buf_puts(out, "nodes:\n");
	for (size_t i = 0; i < g->n_nodes; i++)
		buf_printf(out, "  n%-4zu %s\n", i, g->nodes[i].label);
	buf_puts(out, "edges:\n");
	for (size_t i = 0; i < g->n_edges; i++)
		buf_printf(out, "  n%d -> n%d\n", g->edges[i].from, g->edges[i].to);
	buf_puts(out, "order:");
	for (size_t i = 0; i < g->n_nodes; i++)
		buf_printf(out, "%s n%d", i && i % 16 == 0 ? "\n      " : "", g->order[i]);
	buf_puts(out, "\n");
}

static void dot_escape(rv_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
}

void graph_explain_dot(const rv_graph *g, rv_buf *out)
{
	static const char *const SHAPE[] = {"house", "diamond", "box",     "box",
					    "box",   "ellipse", "hexagon", "octagon"};
	buf_puts(out, "digraph rvalid {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n");
	for (size_t i = 0; i < g->n_nodes; i++) {
		buf_printf(out, "  n%zu [shape=%s, label=\"", i, SHAPE[g->nodes[i].kind]);
		dot_escape(out, g->nodes[i].label);
		buf_puts(out, "\"];\n");
	}
	for (size_t i = 0; i < g->n_edges; i++)
		buf_printf(out, "  n%d -> n%d;\n", g->edges[i].from, g->edges[i].to);
	buf_puts(out, "}\n");
}
