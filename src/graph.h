/* graph.h: the compiled rule graph (SPEC section 3).
 *
 * graph_compile turns IR into the graph the engine evaluates: for every
 * field a chain cell -> missing -> parse (the typed value, computed once and
 * shared by the field's checks) -> constraints; row rules wired to the typed
 * values they read; table checks. Everything the evaluator needs is decided
 * here: check ids and messages, compiled regexes (PCRE2, JIT, whole-cell),
 * enum sets ready for lookup, date formats.
 *
 * After compilation the graph is read-only and may be shared by any number
 * of threads. Column positions are not in the graph: they depend on each
 * input's header and are bound per input by the engine. */
#ifndef RV_GRAPH_H
#define RV_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "rules/ir.h"
#include "simple_re.h"
#include "util/buf.h"

typedef enum {
	CK_CSV, /* structural: csv.header, csv.ragged, ... */
	CK_REQUIRED,
	CK_TYPE,
	CK_MIN,
	CK_MAX,
	CK_XMIN,
	CK_XMAX,
	CK_MIN_LENGTH,
	CK_MAX_LENGTH,
	CK_PATTERN,
	CK_FORMAT,
	CK_ENUM,
	CK_NOT_IN,
	CK_UNIQUE,
	CK_REFERENCES,
	CK_RULE,
	CK_TABLE_ROWS_MIN,
	CK_TABLE_ROWS_MAX,
	CK_TABLE_MAX_INVALID,
	CK_TABLE_UNIQUE,
	CK_TABLE_AGG
} rv_check_kind;

/* The structural checks, in report order. */
typedef enum {
	CSV_HEADER,
	CSV_RAGGED,
	CSV_QUOTE,
	CSV_ENCODING,
	CSV_BLANK,
	CSV_FIELD_SIZE,
	CSV_N_CHECKS
} rv_csv_check;
const char *csv_check_name(rv_csv_check c);

/* A set of allowed (or forbidden) values with a lookup that does not compare
 * strings in a loop: str values in an open-addressing hash table (ASCII case
 * folded under ignore_case), typed values sorted for binary search. */
typedef struct {
	rv_type type;
	bool fold; /* ignore_case */
	size_t n;
	rv_value *sorted;  /* typed values, sorted (not str) */
	const char **keys; /* str: hash slots, NULL when empty */
	size_t *key_lens;
	size_t mask; /* slots - 1 */
	/* when every str value has at most 15 bytes (and no case folding): the
	 * values as two words, the length in the top byte, so two compares decide */
	uint64_t *words; /* 2 per slot; a slot is empty when its second word is 0 */
} rv_valueset;

bool valueset_contains(const rv_valueset *s, const rv_value *v);

/* One check: an entry in the report. */
typedef struct {
	const char *id; /* "age.max", "csv.header", "rules.NAME", "table.rows.min" */
	rv_check_kind kind;
	rv_csv_check csv; /* CK_CSV */
	int field;        /* field index, or -1 */
	int rule;         /* CK_RULE: rule index, or -1 */
	int table_index;  /* CK_TABLE_UNIQUE / CK_TABLE_AGG: index in the IR table, or -1 */
	rv_severity severity;
	const char *message; /* the user's message, or the default one */
	int node;            /* its node in the graph */
	int mostly_bit;      /* a `mostly` field's check: its bit in a record's pending mask
			      * (the first 64 such checks), else -1 */
} rv_check;

typedef struct pcre2_real_code_8 rv_regex;

/* What the evaluator needs for one field. */
typedef struct {
	const rv_field_ir *ir;
	int first_check, n_checks;      /* its checks, consecutive in graph order */
	int required_check, type_check; /* check indexes, or -1 */
	rv_regex *pattern;              /* compiled, JIT where available; NULL when none */
	const rv_simple_re *fast;       /* the same pattern as a plain matcher, or NULL */
	rv_valueset enum_set, not_in_set;
} rv_gfield;

typedef enum {
	GN_READ,
	GN_CSV,
	GN_CELL,
	GN_MISSING,
	GN_PARSE,
	GN_CHECK,
	GN_RULE,
	GN_TABLE
} rv_gnode_kind;

typedef struct {
	rv_gnode_kind kind;
	int field;          /* GN_CELL, GN_MISSING, GN_PARSE, GN_CHECK: field index, or -1 */
	const char *column; /* GN_CELL of a column without a field rule */
	int check;          /* GN_CSV, GN_CHECK, GN_RULE, GN_TABLE: check index */
	const char *label;  /* the node's full text for --explain */
} rv_gnode;

typedef struct {
	int from, to;
} rv_gedge;

typedef struct rv_graph {
	const rv_ruleset *rs; /* not owned */
	rv_arena *arena;      /* owns everything below except the regexes */
	rv_gnode *nodes;
	size_t n_nodes;
	rv_gedge *edges;
	size_t n_edges;
	int *order; /* a topological order of the nodes */
	rv_check *checks;
	size_t n_checks;
	size_t first_rule;       /* the rules' checks: first_rule .. first_rule + rs->n_rules */
	rv_gfield *fields;       /* one per IR field */
	rv_regex **rule_regexes; /* matches() patterns, in the order expr_walk meets them */
	size_t n_rule_regexes;
} rv_graph;

/* Compiles the IR. Errors (a pattern PCRE2 rejects) go to diags; NULL then.
 * The graph borrows rs: free the graph first. */
rv_graph *graph_compile(const rv_ruleset *rs, rv_diags *diags);
void graph_free(rv_graph *g);

/* --explain: nodes, edges and evaluation order, as text or Graphviz dot.
 * Depends only on the compiled rules (not on the rule file's name, syntax,
 * description or comments), so twins print the same. */
void graph_explain_text(const rv_graph *g, rv_buf *out);
void graph_explain_dot(const rv_graph *g, rv_buf *out);

#endif
