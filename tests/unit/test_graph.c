/* test_graph.c: unit tests for the rule graph (graph.c): check ids and their order, nodes and
 * edges, the evaluation order, value sets, default messages, compiled patterns and --explain. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "err.h"
#include "graph.h"
#include "rules/ir.h"
#include "types.h"
#include "util/buf.h"

#include "spec_examples.h"

enum { MAX_G = 8 };

typedef struct {
	rv_diags d;
	rv_ruleset *rs[MAX_G];
	rv_graph *g[MAX_G];
	size_t n;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	diags_init(&f->d, "t");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	for (size_t i = 0; i < f->n; i++) {
		graph_free(f->g[i]); /* the graph borrows its rule set: free it first */
		rules_free(f->rs[i]);
	}
	diags_free(&f->d);
	free(f);
	return 0;
}

static void dump_diags(const rv_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_error("  %d:%d: %s\n", d->items[i].line, d->items[i].col, d->items[i].msg);
}

/* Compiles rule text (YAML unless it starts like Python) to IR, without messages. */
static rv_ruleset *ir(void **state, const char *src)
{
	fixture *f = *state;
	diags_free(&f->d);
	diags_init(&f->d, "t");
	rv_ruleset *rs = rules_compile("t", src, strlen(src), SYNTAX_AUTO, &f->d);
	if (!rs || f->d.errors) {
		dump_diags(&f->d);
		fail_msg("the rules should compile");
	}
	assert_true(f->n < MAX_G);
	f->rs[f->n++] = rs;
	return rs;
}

/* The rule set's graph; the fixture frees both. */
static rv_graph *graph_of(void **state, rv_ruleset *rs)
{
	fixture *f = *state;
	size_t i = 0;
	while (i < f->n && f->rs[i] != rs)
		i++;
	assert_true(i < f->n);
	rv_graph *g = graph_compile(rs, &f->d);
	if (!g) {
		dump_diags(&f->d);
		fail_msg("the graph should compile");
	}
	f->g[i] = g;
	return g;
}

static rv_graph *graph(void **state, const char *src)
{
	return graph_of(state, ir(state, src));
}

static int check_index(const rv_graph *g, const char *id)
{
	for (size_t i = 0; i < g->n_checks; i++)
		if (strcmp(g->checks[i].id, id) == 0)
			return (int)i;
	fail_msg("no check '%s'", id);
	return -1;
}

static const rv_check *check(const rv_graph *g, const char *id)
{
	return &g->checks[check_index(g, id)];
}

static bool has_edge(const rv_graph *g, int from, int to)
{
	for (size_t i = 0; i < g->n_edges; i++)
		if (g->edges[i].from == from && g->edges[i].to == to)
			return true;
	return false;
}

/* The sorted list of nodes with an edge into `to`, as "n3 n7". */
static const char *preds(const rv_graph *g, int to, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t n = 0; n < g->n_nodes; n++)
		if (has_edge(g, (int)n, to))
			len += (size_t)snprintf(buf + len, size - len, "%sn%zu", len ? " " : "", n);
	return buf;
}

static int parse_node(const rv_graph *g, int field)
{
	for (size_t n = 0; n < g->n_nodes; n++)
		if (g->nodes[n].kind == GN_PARSE && g->nodes[n].field == field)
			return (int)n;
	fail_msg("no parse node for field %d", field);
	return -1;
}

/* ---- check ids and their order ---- */

static const char ORDER_SRC[] =
	"fields:\n"
	"  a: {references: {file: f.csv, column: c}, unique: true, not_in: [0], enum: [1, 2],\n"
	"      max: 9, min: 1, required: true, type: int}\n"
	"  b: {exclusive_max: 10, type: float, exclusive_min: 0}\n"
	"  c: {format: email, pattern: '[a-z@.]+', max_length: 8, min_length: 3}\n"
	"  d:\n"
	"rules:\n"
	"  - name: r1\n"
	"    check: a > 1\n"
	"  - name: r2\n"
	"    when: c is not None\n"
	"    check: len(c) > 3 and row['zz'] == 'x'\n"
	"table:\n"
	"  aggregates: {a: {sum: {max: 100}, mean: {min: 0, max: 5}}}\n"
	"  unique: [a, c]\n"
	"  max_invalid: 1%\n"
	"  rows: {max: 10, min: 1}\n";

static void test_check_ids_in_order(void **state)
{
	rv_graph *g = graph(state, ORDER_SRC);
	static const char *const IDS[] = {"csv.header",
					  "csv.ragged",
					  "csv.quote",
					  "csv.encoding",
					  "csv.blank",
					  "csv.field_size",
					  "a.required",
					  "a.type",
					  "a.min",
					  "a.max",
					  "a.enum",
					  "a.not_in",
					  "a.unique",
					  "a.references",
					  "b.type",
					  "b.exclusive_min",
					  "b.exclusive_max",
					  "c.min_length",
					  "c.max_length",
					  "c.pattern",
					  "c.format",
					  "rules.r1",
					  "rules.r2",
					  "table.rows.min",
					  "table.rows.max",
					  "table.max_invalid",
					  "table.unique.a+c",
					  "table.agg.a.sum",
					  "table.agg.a.mean"};
	size_t n = sizeof(IDS) / sizeof(IDS[0]);
	for (size_t i = 0; i < n && i < g->n_checks; i++)
		if (strcmp(g->checks[i].id, IDS[i]) != 0)
			fail_msg("check %zu is '%s', want '%s'", i, g->checks[i].id, IDS[i]);
	assert_int_equal(g->n_checks, n);
	for (int k = 0; k < CSV_N_CHECKS; k++) {
		assert_int_equal(g->checks[k].kind, CK_CSV);
		assert_int_equal(g->checks[k].csv, k);
		assert_int_equal(g->checks[k].field, -1);
		assert_int_equal(g->checks[k].severity, SEV_ERROR);
	}
	static const rv_check_kind K[] = {CK_REQUIRED, CK_TYPE,	  CK_MIN,    CK_MAX,
					  CK_ENUM,     CK_NOT_IN, CK_UNIQUE, CK_REFERENCES};
	for (size_t i = 0; i < sizeof(K) / sizeof(K[0]); i++) {
		assert_int_equal(g->checks[6 + i].kind, K[i]);
		assert_int_equal(g->checks[6 + i].field, 0);
		assert_int_equal(g->checks[6 + i].rule, -1);
	}
	assert_int_equal(check(g, "b.exclusive_min")->kind, CK_XMIN);
	assert_int_equal(check(g, "b.exclusive_max")->kind, CK_XMAX);
	assert_int_equal(check(g, "c.min_length")->kind, CK_MIN_LENGTH);
	assert_int_equal(check(g, "c.max_length")->kind, CK_MAX_LENGTH);
	assert_int_equal(check(g, "c.pattern")->kind, CK_PATTERN);
	assert_int_equal(check(g, "c.format")->kind, CK_FORMAT);
	assert_int_equal(check(g, "c.format")->field, 2);
	const rv_check *r = check(g, "rules.r2");
	assert_int_equal(r->kind, CK_RULE);
	assert_int_equal(r->rule, 1);
	assert_int_equal(r->field, -1);
	assert_int_equal(check(g, "table.rows.min")->kind, CK_TABLE_ROWS_MIN);
	assert_int_equal(check(g, "table.rows.max")->kind, CK_TABLE_ROWS_MAX);
	assert_int_equal(check(g, "table.max_invalid")->kind, CK_TABLE_MAX_INVALID);
	const rv_check *u = check(g, "table.unique.a+c");
	assert_int_equal(u->kind, CK_TABLE_UNIQUE);
	assert_int_equal(u->table_index, 0);
	const rv_check *m = check(g, "table.agg.a.mean");
	assert_int_equal(m->kind, CK_TABLE_AGG);
	assert_int_equal(m->table_index, 1);
	assert_int_equal(m->severity, SEV_ERROR);
	/* every check has its node, and the node points back */
	for (size_t i = 0; i < g->n_checks; i++) {
		int node = g->checks[i].node;
		assert_true(node > 0 && (size_t)node < g->n_nodes);
		assert_int_equal(g->nodes[node].check, (int)i);
	}
}

static void ids_unique(const rv_graph *g)
{
	for (size_t i = 0; i < g->n_checks; i++)
		for (size_t k = i + 1; k < g->n_checks; k++)
			if (strcmp(g->checks[i].id, g->checks[k].id) == 0)
				fail_msg("checks %zu and %zu share the id '%s'", i, k,
					 g->checks[i].id);
}

static void test_check_ids_unique(void **state)
{
	ids_unique(graph(state, ORDER_SRC));
	ids_unique(graph(state, TWIN_YAML));
}

/* SPEC 2.7: ids name one check each (--skip/--only and reports use them). A field called
 * 'rules' gets ids in the rules.* namespace; if the compiler accepts such a file, the ids must
 * still be distinct. */
static void test_check_ids_unique_with_reserved_field_names(void **state)
{
	fixture *f = *state;
	static const char *const SRC[] = {
		"fields:\n  rules: {required: true}\n"
		"rules:\n  - name: required\n    check: rules is not None\n",
		"fields:\n  table.rows: {type: int, min: 1}\ntable: {rows: {min: 1}}\n",
	};
	for (size_t i = 0; i < sizeof(SRC) / sizeof(SRC[0]); i++) {
		diags_free(&f->d);
		diags_init(&f->d, "t");
		rv_ruleset *rs =
			rules_compile("t.yaml", SRC[i], strlen(SRC[i]), SYNTAX_YAML, &f->d);
		if (!rs)
			continue; /* refused at compile time: fine */
		assert_true(f->n < MAX_G);
		f->rs[f->n++] = rs;
		rv_graph *g = graph_compile(rs, &f->d);
		if (!g) {
			/* refused by the graph compiler: it must say which id collides */
			assert_int_equal(f->d.errors, 1);
			assert_non_null(strstr(f->d.items[0].msg, "would name two checks"));
			continue;
		}
		ids_unique(g);
		graph_free(g);
	}
}

static void test_field_check_ranges(void **state)
{
	rv_graph *g = graph(state, ORDER_SRC);
	const rv_gfield *a = &g->fields[0], *b = &g->fields[1], *c = &g->fields[2],
			*d = &g->fields[3];
	assert_ptr_equal(a->ir, &g->rs->fields[0]);
	assert_int_equal(a->first_check, 6);
	assert_int_equal(a->n_checks, 8);
	assert_int_equal(a->required_check, 6);
	assert_int_equal(a->type_check, 7);
	assert_int_equal(b->first_check, 14);
	assert_int_equal(b->n_checks, 3);
	assert_int_equal(b->required_check, -1);
	assert_int_equal(b->type_check, 14);
	assert_int_equal(c->first_check, 17);
	assert_int_equal(c->n_checks, 4);
	assert_int_equal(c->type_check, -1); /* str: no type check */
	assert_non_null(c->pattern);
	assert_null(a->pattern);
	assert_int_equal(d->n_checks, 0);
	assert_int_equal(d->type_check, -1);
	assert_int_equal(d->required_check, -1);
	for (size_t i = 0; i < 4; i++)
		for (int k = 0; k < g->fields[i].n_checks; k++)
			assert_int_equal(g->checks[g->fields[i].first_check + k].field, (int)i);
}

static void test_type_check_only_for_typed_fields(void **state)
{
	rv_graph *g =
		graph(state, "fields:\n  s: {type: str}\n  i: {type: int}\n  f: {type: float}\n"
			     "  dec: {type: decimal}\n  bo: {type: bool}\n  da: {type: date}\n"
			     "  dt: {type: datetime}\n  t: {type: time}\n  none:\n");
	/* 6 csv checks and one type check for each typed field */
	assert_int_equal(g->n_checks, 6 + 7);
	static const char *const T[] = {"i.type",  "f.type",  "dec.type", "bo.type",
					"da.type", "dt.type", "t.type"};
	for (size_t i = 0; i < 7; i++) {
		const rv_check *c = &g->checks[6 + i];
		assert_string_equal(c->id, T[i]);
		assert_int_equal(c->kind, CK_TYPE);
		/* the type check is the parse node */
		assert_int_equal(g->nodes[c->node].kind, GN_PARSE);
		assert_int_equal(g->nodes[c->node].field, (int)i + 1);
	}
	assert_int_equal(g->nodes[parse_node(g, 0)].check, -1);
	assert_int_equal(g->nodes[parse_node(g, 8)].check, -1);
}

/* ---- nodes and edges ---- */

static void test_field_chain(void **state)
{
	rv_graph *g = graph(state, "fields:\n  age: {type: int, required: true, min: 1, max: 9}\n");
	/* read, 6 csv checks, cell, missing, required, parse, min, max */
	assert_int_equal(g->n_nodes, 13);
	assert_int_equal(g->nodes[0].kind, GN_READ);
	for (int i = 1; i <= 6; i++)
		assert_int_equal(g->nodes[i].kind, GN_CSV);
	static const rv_gnode_kind K[] = {GN_CELL,  GN_MISSING, GN_CHECK,
					  GN_PARSE, GN_CHECK,	GN_CHECK};
	for (int i = 0; i < 6; i++) {
		assert_int_equal(g->nodes[7 + i].kind, K[i]);
		assert_int_equal(g->nodes[7 + i].field, 0);
	}
	char buf[128];
	assert_string_equal(preds(g, 7, buf, sizeof(buf)), "n0");   /* read -> cell */
	assert_string_equal(preds(g, 8, buf, sizeof(buf)), "n7");   /* cell -> missing */
	assert_string_equal(preds(g, 9, buf, sizeof(buf)), "n8");   /* missing -> required */
	assert_string_equal(preds(g, 10, buf, sizeof(buf)), "n8");  /* missing -> parse */
	assert_string_equal(preds(g, 11, buf, sizeof(buf)), "n10"); /* parse -> min */
	assert_string_equal(preds(g, 12, buf, sizeof(buf)), "n10"); /* parse -> max */
	for (int i = 1; i <= 6; i++)
		assert_string_equal(preds(g, i, buf, sizeof(buf)), "n0");
	assert_int_equal(g->n_edges, 12);
}

static void test_rule_edges(void **state)
{
	rv_graph *g = graph(state, ORDER_SRC);
	char buf[128], want[128];
	/* r1 reads a only */
	int r1 = check(g, "rules.r1")->node;
	assert_int_equal(g->nodes[r1].kind, GN_RULE);
	snprintf(want, sizeof(want), "n%d", parse_node(g, 0));
	assert_string_equal(preds(g, r1, buf, sizeof(buf)), want);
	/* r2 reads c (twice: one edge) and the undeclared column zz through a cell node of its own
	 */
	int r2 = check(g, "rules.r2")->node;
	int zz = -1;
	for (size_t n = 0; n < g->n_nodes; n++)
		if (g->nodes[n].kind == GN_CELL && g->nodes[n].field == -1)
			zz = (int)n;
	assert_true(zz > 0);
	assert_string_equal(g->nodes[zz].column, "zz");
	assert_string_equal(g->nodes[zz].label, "cell 'zz' (no field rule: str)");
	assert_true(has_edge(g, 0, zz));
	assert_true(zz < r2);
	snprintf(want, sizeof(want), "n%d n%d", parse_node(g, 2), zz);
	assert_string_equal(preds(g, r2, buf, sizeof(buf)), want);
	/* table checks hang off what they read */
	snprintf(want, sizeof(want), "n%d n%d", parse_node(g, 0), parse_node(g, 2));
	assert_string_equal(preds(g, check(g, "table.unique.a+c")->node, buf, sizeof(buf)), want);
	snprintf(want, sizeof(want), "n%d", parse_node(g, 0));
	assert_string_equal(preds(g, check(g, "table.agg.a.mean")->node, buf, sizeof(buf)), want);
	assert_string_equal(preds(g, check(g, "table.rows.min")->node, buf, sizeof(buf)), "n0");
	assert_string_equal(preds(g, check(g, "table.max_invalid")->node, buf, sizeof(buf)), "n0");
}

static void test_rule_edges_shared_and_constant(void **state)
{
	rv_graph *g = graph(state, "fields:\n  a: {type: int}\n  b: {type: int}\n"
				   "rules:\n"
				   "  - name: one\n"
				   "    check: row['x y'] == 'a' and b > a and a > b\n"
				   "  - {name: two, check: \"row['x y'] != 'b'\"}\n"
				   "  - {name: three, check: 1 < 2}\n"
				   "  - {name: four, when: \"row['q'] is None\", check: b > 0}\n"
				   "table: {unique: [a, free]}\n");
	char buf[128], want[128];
	int cell_xy = -1, cell_q = -1, cells = 0;
	for (size_t n = 0; n < g->n_nodes; n++)
		if (g->nodes[n].kind == GN_CELL && g->nodes[n].field == -1) {
			cells++;
			if (strcmp(g->nodes[n].column, "x y") == 0)
				cell_xy = (int)n;
			if (strcmp(g->nodes[n].column, "q") == 0)
				cell_q = (int)n;
		}
	assert_int_equal(cells, 2); /* one per undeclared column, shared by the rules */
	assert_true(cell_xy > 0 && cell_q > 0);
	snprintf(want, sizeof(want), "n%d n%d n%d", parse_node(g, 0), parse_node(g, 1), cell_xy);
	assert_string_equal(preds(g, check(g, "rules.one")->node, buf, sizeof(buf)), want);
	snprintf(want, sizeof(want), "n%d", cell_xy);
	assert_string_equal(preds(g, check(g, "rules.two")->node, buf, sizeof(buf)), want);
	/* a rule that reads nothing hangs off the reader */
	assert_string_equal(preds(g, check(g, "rules.three")->node, buf, sizeof(buf)), "n0");
	/* when and check both count */
	snprintf(want, sizeof(want), "n%d n%d", parse_node(g, 1), cell_q);
	assert_string_equal(preds(g, check(g, "rules.four")->node, buf, sizeof(buf)), want);
	/* a table key column without a field rule is read from the records */
	snprintf(want, sizeof(want), "n0 n%d", parse_node(g, 0));
	assert_string_equal(preds(g, check(g, "table.unique.a+free")->node, buf, sizeof(buf)),
			    want);
}

static void order_is_topological(const rv_graph *g)
{
	size_t n = g->n_nodes;
	int *pos = malloc(n * sizeof(int));
	assert_non_null(pos);
	for (size_t i = 0; i < n; i++)
		pos[i] = -1;
	for (size_t i = 0; i < n; i++) {
		int v = g->order[i];
		if (v < 0 || (size_t)v >= n || pos[v] != -1) {
			free(pos);
			fail_msg("order is not a permutation at %zu (n%d)", i, v);
		}
		pos[v] = (int)i;
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		const rv_gedge *e = &g->edges[i];
		assert_true(e->from >= 0 && (size_t)e->from < n && e->to >= 0 && (size_t)e->to < n);
		if (pos[e->from] >= pos[e->to]) {
			free(pos);
			fail_msg("edge n%d -> n%d goes against the order", e->from, e->to);
		}
	}
	/* nodes are created in evaluation order, and Kahn's lowest-first keeps it */
	for (size_t i = 0; i < n; i++)
		if (g->order[i] != (int)i) {
			free(pos);
			fail_msg("order[%zu] = n%d", i, g->order[i]);
		}
	free(pos);
}

static void test_order_is_a_topological_permutation(void **state)
{
	order_is_topological(graph(state, ORDER_SRC));
	order_is_topological(graph(state, SPEC_YAML));
	order_is_topological(graph(state, TWIN_YAML));
	order_is_topological(graph(state, "fields:\n  a:\n"));
}

/* ---- value sets ---- */

static rv_value sv(const char *s)
{
	rv_value v = {.type = RV_STR};
	v.u.s.p = s;
	v.u.s.n = strlen(s);
	return v;
}

static rv_value tv(rv_type t, const char *s)
{
	rv_value v;
	if (!parse_value(t, s, strlen(s), &v))
		fail_msg("bad test value %s", s);
	return v;
}

static void in_set(const rv_valueset *s, rv_value v, bool want, const char *what)
{
	if (valueset_contains(s, &v) != want)
		fail_msg("%s should%s be in the set", what, want ? "" : " not");
}

static void test_valueset_str(void **state)
{
	rv_graph *g = graph(state, "fields:\n  a: {enum: [Active, closed, '']}\n"
				   "  b: {enum: [Active, closed], ignore_case: true}\n");
	const rv_valueset *a = &g->fields[0].enum_set, *b = &g->fields[1].enum_set;
	assert_int_equal(a->type, RV_STR);
	assert_false(a->fold);
	in_set(a, sv("Active"), true, "Active");
	in_set(a, sv("closed"), true, "closed");
	in_set(a, sv(""), true, "''");
	in_set(a, sv("active"), false, "active");
	in_set(a, sv("Activ"), false, "Activ");
	in_set(a, sv("Actives"), false, "Actives");
	in_set(a, sv("CLOSED"), false, "CLOSED");
	assert_true(b->fold);
	in_set(b, sv("ACTIVE"), true, "ACTIVE");
	in_set(b, sv("active"), true, "active");
	in_set(b, sv("Closed"), true, "Closed");
	in_set(b, sv("closedd"), false, "closedd");
	in_set(b, sv(""), false, "''");
	/* a span, not a C string */
	rv_value span = {.type = RV_STR};
	span.u.s.p = "closed, and more";
	span.u.s.n = 6;
	in_set(b, span, true, "a span 'closed'");
	span.u.s.n = 5;
	in_set(b, span, false, "a span 'close'");
	/* spans of the exact-match set: the bytes after them are not part of the value, also
	 * where they are read a word at a time, and right before a page that cannot be read */
	span.u.s.p = "closedActive";
	span.u.s.n = 6;
	in_set(a, span, true, "a span 'closed' of 'closedActive'");
	span.u.s.p = "Activeclosed";
	in_set(a, span, true, "a span 'Active' of 'Activeclosed'");
	span.u.s.n = 7;
	in_set(a, span, false, "a span 'Activec'");
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	static const char *const AT_END[] = {"Active", "closed", "Activ", "closedAct"};
	for (size_t k = 0; k < 4; k++) {
		size_t n = strlen(AT_END[k]);
		memcpy(map + page - n, AT_END[k], n);
		span.u.s.p = map + page - n;
		span.u.s.n = n;
		in_set(a, span, k < 2, AT_END[k]);
	}
	munmap(map, (size_t)page * 2);
}

static void test_valueset_many_strings(void **state)
{
	/* enough values for collisions and a table larger than the first one */
	char src[8192] = "fields:\n  a: {ignore_case: true, not_in: [";
	size_t len = strlen(src);
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(src + len, sizeof(src) - len, "%sv%d", i ? ", " : "",
					i * 7);
	snprintf(src + len, sizeof(src) - len, "]}\n");
	rv_graph *g = graph(state, src);
	const rv_valueset *s = &g->fields[0].not_in_set;
	assert_int_equal(s->n, 300);
	assert_true(s->mask + 1 >= 600);
	for (int i = 0; i < 2100; i++) {
		char v[16];
		snprintf(v, sizeof(v), "%s%d", i % 2 ? "V" : "v", i);
		in_set(s, sv(v), i % 7 == 0, v);
	}
	assert_false(g->fields[0].ir->has_enum);
}

static void test_valueset_typed(void **state)
{
	rv_graph *g = graph(state, "fields:\n"
				   "  i: {type: int, enum: [30, -1, 2, 1000000000000]}\n"
				   "  d: {type: date, not_in: [2024-02-29, 2023-12-31]}\n"
				   "  m: {type: decimal, enum: ['1.50', 2, '-0']}\n"
				   "  f: {type: float, enum: [0.5, 1e3]}\n"
				   "  b: {type: bool, enum: [true]}\n"
				   "  t: {type: datetime, enum: ['2024-01-01T01:00:00+01:00']}\n");
	const rv_valueset *i = &g->fields[0].enum_set;
	assert_int_equal(i->type, RV_INT);
	assert_int_equal(i->n, 4);
	in_set(i, tv(RV_INT, "30"), true, "30");
	in_set(i, tv(RV_INT, "-1"), true, "-1");
	in_set(i, tv(RV_INT, "2"), true, "2");
	in_set(i, tv(RV_INT, "1000000000000"), true, "1000000000000");
	in_set(i, tv(RV_INT, "0"), false, "0");
	in_set(i, tv(RV_INT, "3"), false, "3");
	in_set(i, tv(RV_INT, "31"), false, "31");
	in_set(i, tv(RV_INT, "-9223372036854775808"), false, "INT64_MIN");
	const rv_valueset *d = &g->fields[1].not_in_set;
	in_set(d, tv(RV_DATE, "2024-02-29"), true, "2024-02-29");
	in_set(d, tv(RV_DATE, "2023-12-31"), true, "2023-12-31");
	in_set(d, tv(RV_DATE, "2024-01-01"), false, "2024-01-01");
	const rv_valueset *m = &g->fields[2].enum_set;
	in_set(m, tv(RV_DECIMAL, "1.5"), true, "1.5");
	in_set(m, tv(RV_DECIMAL, "001.500"), true, "001.500");
	in_set(m, tv(RV_DECIMAL, "2.000"), true, "2.000");
	in_set(m, tv(RV_DECIMAL, "0"), true, "0 (as -0)");
	in_set(m, tv(RV_DECIMAL, "1.51"), false, "1.51");
	in_set(m, tv(RV_DECIMAL, "1.500000000000000000001"), false, "1.500000000000000000001");
	const rv_valueset *f = &g->fields[3].enum_set;
	in_set(f, tv(RV_FLOAT, "1000"), true, "1000.0");
	in_set(f, tv(RV_FLOAT, ".5"), true, ".5");
	in_set(f, tv(RV_FLOAT, "0.50001"), false, "0.50001");
	const rv_valueset *b = &g->fields[4].enum_set;
	in_set(b, tv(RV_BOOL, "TRUE"), true, "TRUE");
	in_set(b, tv(RV_BOOL, "0"), false, "0");
	const rv_valueset *t = &g->fields[5].enum_set;
	in_set(t, tv(RV_DATETIME, "2024-01-01T00:00Z"), true, "the same instant");
	in_set(t, tv(RV_DATETIME, "2024-01-01T01:00"), false, "the same wall clock");
}

/* ---- messages ---- */

static void test_default_messages(void **state)
{
	rv_graph *g = graph(state, ORDER_SRC);
	static const struct {
		const char *id, *msg;
	} M[] = {
		{"a.required", "a is required"},
		{"a.type", "a must be an int"},
		{"a.min", "a must be at least 1"},
		{"a.max", "a must be at most 9"},
		{"a.enum", "a must be one of 1, 2"},
		{"a.not_in", "a must not be one of 0"},
		{"a.unique", "a must be unique"},
		{"a.references", "a must occur in column 'c' of f.csv"},
		{"b.type", "b must be a float"},
		{"b.exclusive_min", "b must be above 0"},
		{"b.exclusive_max", "b must be below 10"},
		{"c.min_length", "c must be at least 3 characters long"},
		{"c.max_length", "c must be at most 8 characters long"},
		{"c.pattern", "c must match the pattern [a-z@.]+"},
		{"c.format", "c must be a valid email"},
		{"rules.r1", "rule r1 failed: (a > 1)"},
		{"rules.r2", "rule r2 failed: ((len(c) > 3) and (row['zz'] == 'x'))"},
		{"table.rows.min", "at least 1 record"},
		{"table.rows.max", "at most 10 records"},
		{"table.max_invalid", "at most 1% invalid records"},
		{"table.unique.a+c", "no two records share a+c"},
		{"table.agg.a.sum", "sum of a at most 100"},
		{"table.agg.a.mean", "mean of a at least 0 and at most 5"},
	};
	for (size_t i = 0; i < sizeof(M) / sizeof(M[0]); i++) {
		const rv_check *c = check(g, M[i].id);
		if (!c->message || strcmp(c->message, M[i].msg) != 0)
			fail_msg("%s: message '%s', want '%s'", M[i].id,
				 c->message ? c->message : "(null)", M[i].msg);
	}
	/* structural checks have messages too: reports and --errors print them */
	for (int k = 0; k < CSV_N_CHECKS; k++)
		assert_true(g->checks[k].message && g->checks[k].message[0]);
}

static void test_messages_from_the_spec_example(void **state)
{
	rv_graph *g = graph(state, SPEC_YAML);
	assert_string_equal(check(g, "age.max")->message, "age must be at most 120");
	assert_string_equal(check(g, "age.min")->message, "age must be at least 18");
	assert_string_equal(check(g, "user_id.pattern")->message,
			    "user_id must match the pattern ^\\d{6}$");
	assert_string_equal(check(g, "country.enum")->message,
			    "country must be one of 'US', 'GB', 'DE', 'FR', 'NO'");
	assert_string_equal(check(g, "signup_date.type")->message, "signup_date must be a date");
	assert_string_equal(check(g, "rules.closed_accounts_are_empty")->message,
			    "closed accounts must have a zero balance");
	assert_int_equal(check(g, "rules.closed_accounts_are_empty")->severity, SEV_WARN);
	/* a field's severity covers all its checks, required included */
	assert_int_equal(check(g, "status.required")->severity, SEV_WARN);
	assert_int_equal(check(g, "status.enum")->severity, SEV_WARN);
	assert_int_equal(check(g, "age.type")->severity, SEV_ERROR);
}

static void test_user_message_and_severity_cover_every_check(void **state)
{
	rv_graph *g = graph(state, "fields:\n  n: {type: int, required: true, min: 1, enum: [1, 2],"
				   " severity: warn, message: n is wrong}\n"
				   "  born: {type: date, format: '%d/%m/%Y'}\n"
				   "  many: {enum: [a, b, c, d, e, f, g, h, i, j, k, l]}\n"
				   "table: {rows: {min: 1}}\n");
	const rv_gfield *n = &g->fields[0];
	assert_int_equal(n->n_checks, 4);
	for (int k = 0; k < n->n_checks; k++) {
		const rv_check *c = &g->checks[n->first_check + k];
		assert_string_equal(c->message, "n is wrong");
		assert_int_equal(c->severity, SEV_WARN);
	}
	assert_string_equal(check(g, "born.type")->message,
			    "born must be a date in the format '%d/%m/%Y'");
	assert_string_equal(check(g, "many.enum")->message,
			    "many must be one of 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', "
			    "... (12 in all)");
	assert_int_equal(check(g, "table.rows.min")->severity, SEV_ERROR);
}

/* ---- patterns ---- */

static bool re_matches(const rv_regex *re, const char *s)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern((const pcre2_code *)re, NULL);
	int rc = pcre2_match((const pcre2_code *)re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static void test_patterns_match_the_whole_cell(void **state)
{
	rv_graph *g = graph(
		state, "fields:\n  a: {pattern: '[a-z]+'}\n"
		       "  b: {pattern: 'x|yz', ignore_case: true}\n"
		       "  c: {pattern: '\\d+'}\n"
		       "rules:\n"
		       "  - {name: r, when: \"matches(a, 'q.')\", check: \"matches(b, 'z+')\"}\n");
	const rv_regex *a = g->fields[0].pattern, *b = g->fields[1].pattern,
		       *c = g->fields[2].pattern;
	assert_true(re_matches(a, "abc"));
	assert_false(re_matches(a, "abc1"));
	assert_false(re_matches(a, "1abc"));
	assert_false(re_matches(a, "ABC"));
	assert_true(re_matches(b, "X"));
	assert_true(re_matches(b, "YZ"));
	assert_false(re_matches(b, "xyz")); /* anchored at both ends, alternation included */
	assert_false(re_matches(b, "yzx"));
	assert_true(re_matches(c, "0123"));
	assert_false(re_matches(c, "\xd9\xa3")); /* ARABIC-INDIC DIGIT THREE: \d is ASCII */
	/* matches() patterns, in when-then-check order */
	assert_int_equal(g->n_rule_regexes, 2);
	assert_true(re_matches(g->rule_regexes[0], "qx"));
	assert_false(re_matches(g->rule_regexes[0], "qxx"));
	assert_true(re_matches(g->rule_regexes[1], "zzz"));
	assert_false(re_matches(g->rule_regexes[1], "Z"));
}

static void test_pattern_pcre2_rejects(void **state)
{
	fixture *f = *state;
	/* a matches() pattern is compiled with the graph */
	const char *src = "fields:\n  a:\nrules:\n  - name: r\n    check: matches(a, 'x(')\n";
	rv_ruleset *rs = ir(state, src);
	assert_null(graph_compile(rs, &f->d));
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->d.items[0].line, 5);
	assert_int_equal(f->d.items[0].col, 23);
	assert_string_equal(f->d.items[0].msg,
			    "invalid pattern: missing closing parenthesis (at offset 2)");
	/* a field pattern that reaches the graph unchecked */
	rs = ir(state, "fields:\n  a: {pattern: ok}\n  b: {pattern: 'x'}\n");
	rs->fields[1].pattern = "[z";
	diags_free(&f->d);
	diags_init(&f->d, "t");
	assert_null(graph_compile(rs, &f->d));
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->d.items[0].line, 3);
	assert_non_null(strstr(f->d.items[0].msg, "invalid pattern: "));
	rs->fields[1].pattern = "x";
}

/* ---- explain ---- */

static char *explain(const rv_graph *g, bool dot)
{
	rv_buf b;
	buf_init(&b, 0);
	if (dot)
		graph_explain_dot(g, &b);
	else
		graph_explain_text(g, &b);
	size_t n;
	return buf_detach(&b, &n);
}

static void same_explain(void **state, const char *y, const char *p)
{
	rv_graph *gy = graph(state, y), *gp = graph(state, p);
	char *ty = explain(gy, false), *tp = explain(gp, false);
	if (strcmp(ty, tp) != 0) {
		print_error("YAML:\n%s\nPython:\n%s\n", ty, tp);
		free(ty);
		free(tp);
		fail_msg("the twins explain differently");
	}
	free(ty);
	free(tp);
	ty = explain(gy, true);
	tp = explain(gp, true);
	assert_string_equal(ty, tp);
	free(ty);
	free(tp);
}

static void test_explain_twins(void **state)
{
	same_explain(state, SPEC_YAML, SPEC_PY);
	same_explain(state, TWIN_YAML, TWIN_PY);
}

static void test_explain_text(void **state)
{
	rv_graph *g = graph(state, SPEC_YAML);
	char *t = explain(g, false);
	const char *first =
		"rule graph: 8 fields, 1 rule, 24 checks, 46 nodes, 46 edges\nnodes:\n"
		"  n0    read records: delimiter ',' quote '\"' escape none comment none "
		"header true null_values ['', 'NA'] encoding utf-8 skip_lines 0 "
		"columns strict\n"
		"  n1    check csv.header\n";
	if (strncmp(t, first, strlen(first)) != 0)
		fail_msg("explain starts:\n%.400s", t);
	static const char *const LINES[] = {
		"  n11   check user_id.pattern '^\\\\d{6}$' [error]\n",
		"  n20   parse 'age' as int check age.type [error]\n",
		"  n22   check age.max <= 120 [error]\n",
		"  n36   check status.required [warn]\n",
		"  n43   rule rules.closed_accounts_are_empty when (status == 'closed') check "
		"(balance == 0) [warn] message 'closed accounts must have a zero balance'\n",
		"  n44   table table.rows.min >= 1\n",
		"  n45   table table.max_invalid <= 1%\n",
		"edges:\n  n0 -> n1\n",
		"  n25 -> n43\n  n37 -> n43\n",
		"order: n0 n1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11 n12 n13 n14 n15\n"
		"       n16 n17",
		"n44 n45\n",
	};
	for (size_t i = 0; i < sizeof(LINES) / sizeof(LINES[0]); i++)
		if (!strstr(t, LINES[i])) {
			print_error("%s", t);
			free(t);
			fail_msg("explain lacks: %s", LINES[i]);
		}
	/* not the rule set's name or description */
	assert_null(strstr(t, "Customer accounts export"));
	assert_null(strstr(t, "users"));
	free(t);
}

static void test_explain_labels(void **state)
{
	rv_graph *g = graph(state,
			    "csv: {quote: '', escape: '\\', comment: '#', header: false,"
			    " encoding: cp1252, skip_lines: 3}\n"
			    "columns: ordered\n"
			    "fields:\n"
			    "  r: {type: float, exclusive_min: 0, mostly: 0.9, message: \"it's\"}\n"
			    "  d: {type: date, format: '%Y%j', min: 2020-01-01}\n"
			    "  s: {enum: [\"a'b\"], ignore_case: true, pattern: 'x', "
			    "references: {file: c.csv, column: k}, format: uuid}\n");
	char *t = explain(g, false);
	static const char *const LINES[] = {
		"read records: delimiter ',' quote none escape '\\\\' comment '#' header false "
		"null_values [''] encoding cp1252 skip_lines 3 columns ordered\n",
		"parse 'r' as float check r.type [error] message 'it\\'s'\n",
		"check r.exclusive_min > 0 [error] mostly 0.9 message 'it\\'s'\n",
		"parse 'd' as date format '%Y%j' check d.type [error]\n",
		"check d.min >= 2020-01-01 [error]\n",
		"check s.pattern 'x' ignore_case [error]\n",
		"check s.format uuid [error]\n",
		"check s.enum ['a\\'b'] ignore_case [error]\n",
		"check s.references 'c.csv' column 'k' [error]\n",
	};
	for (size_t i = 0; i < sizeof(LINES) / sizeof(LINES[0]); i++)
		if (!strstr(t, LINES[i])) {
			print_error("%s", t);
			free(t);
			fail_msg("explain lacks: %s", LINES[i]);
		}
	free(t);
	t = explain(g, true);
	assert_non_null(strstr(t, "digraph rvalid {\n"));
	assert_non_null(strstr(t, "n0 [shape=house, label=\"read records:"));
	assert_non_null(strstr(t, "message 'it\\\\'s'\"];\n"));
	assert_non_null(strstr(t, "  n0 -> n1;\n"));
	free(t);
}

static void test_graph_free_null(void **state)
{
	(void)state;
	graph_free(NULL);
	assert_string_equal(csv_check_name(CSV_FIELD_SIZE), "field_size");
	assert_string_equal(csv_check_name(CSV_HEADER), "header");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_check_ids_in_order),
		T(test_check_ids_unique),
		T(test_check_ids_unique_with_reserved_field_names),
		T(test_field_check_ranges),
		T(test_type_check_only_for_typed_fields),
		T(test_field_chain),
		T(test_rule_edges),
		T(test_rule_edges_shared_and_constant),
		T(test_order_is_a_topological_permutation),
		T(test_valueset_str),
		T(test_valueset_many_strings),
		T(test_valueset_typed),
		T(test_default_messages),
		T(test_messages_from_the_spec_example),
		T(test_user_message_and_severity_cover_every_check),
		T(test_patterns_match_the_whole_cell),
		T(test_pattern_pcre2_rejects),
		T(test_explain_twins),
		T(test_explain_text),
		T(test_explain_labels),
		T(test_graph_free_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
