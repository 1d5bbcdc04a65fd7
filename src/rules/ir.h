/* ir.h: the intermediate form of a rule set.
 *
 * Both rule languages compile to this (through the document tree and
 * build.c). Every value is typed and checked here: bounds are rv_values of
 * the field's type, contradictions are already rejected, expressions are
 * typed trees. graph.c turns it into the rule graph the engine runs.
 * Everything lives in the rule set's arena. */
#ifndef RV_IR_H
#define RV_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rules/expr.h"
#include "types.h"
#include "util/arena.h"

typedef enum { SEV_ERROR, SEV_WARN } rv_severity;
typedef enum { COLS_ANY, COLS_STRICT, COLS_ORDERED } rv_colmode;
typedef enum {
	STRFMT_NONE,
	STRFMT_EMAIL,
	STRFMT_URI,
	STRFMT_UUID,
	STRFMT_IPV4,
	STRFMT_IPV6,
	STRFMT_HEX,
	STRFMT_BASE64
} rv_strformat;
typedef enum { ENC_UTF8, ENC_LATIN1, ENC_CP1252, ENC_UTF16 } rv_encoding;

const char *strformat_name(rv_strformat f);
const char *encoding_name(rv_encoding e);
/* Reads an encoding name (utf-8, utf8, latin-1, latin1, iso-8859-1, cp1252,
 * windows-1252, utf-16, utf16; any case); false for another. */
bool encoding_from_name(const char *name, rv_encoding *out);
const char *colmode_name(rv_colmode m);

/* An exact non-negative fraction (mostly: 0.99 = 99/100; 5% = 5/100). */
typedef struct {
	uint64_t num, den;
} rv_ratio;

/* A position in the rule file, for messages raised later (the engine). */
typedef struct {
	int line, col;
} rv_pos;

typedef struct {
	bool set;
	rv_value v;
	const char *text; /* as written, for messages and explain */
	rv_pos pos;
} rv_bound;

/* A count or a share: `max_invalid: 10`, `max_invalid: 1%`. */
typedef struct {
	bool set, percent;
	uint64_t count;
	rv_ratio share; /* percent / 100 as a fraction */
	const char *text;
} rv_limit;

typedef struct {
	const char *name;
	rv_pos pos;
	rv_type type;
	bool required;
	rv_bound min, max, xmin, xmax;  /* xmin/xmax: exclusive_min/exclusive_max */
	int64_t min_length, max_length; /* -1 when unset */
	rv_pos min_length_pos, max_length_pos;
	const char *pattern;
	size_t pattern_len; /* it may hold NUL bytes */
	rv_pos pattern_pos; /* where the pattern text starts (0 when unknown) */
	bool pattern_exact; /* pattern_pos maps offsets exactly */
	bool has_enum, has_not_in;
	rv_value *enum_vals, *not_in_vals;
	size_t n_enum, n_not_in;
	bool ignore_case;
	rv_strformat format;   /* str fields */
	const char *dt_format; /* date, datetime, time fields */
	rv_dtfmt *dtfmt;
	bool unique;
	const char *ref_file, *ref_column; /* references */
	rv_pos ref_pos;
	rv_severity severity;
	const char *message;
	bool has_mostly;
	rv_ratio mostly;         /* exact when mostly_text has at most 18 decimals */
	const char *mostly_text; /* as written: compared exactly as decimal text */
} rv_field_ir;

typedef struct {
	const char *name;
	rv_pos pos;
	rv_expr *when; /* NULL: always */
	rv_expr *check;
	rv_severity severity;
	const char *message;
} rv_rule_ir;

typedef enum { AGG_MIN, AGG_MAX, AGG_MEAN, AGG_SUM, AGG_STDDEV, AGG_MISSING, AGG_DISTINCT } rv_agg;
const char *agg_name(rv_agg a);

/* One aggregate bound set: `balance: {mean: {min: 0, max: 1e6}}`. Bounds are
 * numbers, or (missing) counts or shares. */
typedef struct {
	int field; /* index into fields */
	rv_agg agg;
	bool has_min, has_max;
	double min, max;
	bool min_percent, max_percent;
	const char *min_text, *max_text;
	rv_pos pos;
} rv_aggregate_ir;

typedef struct {
	const char **cols;
	int *fields; /* value index per column: a field, or n_fields + k for extra_cols[k] */
	size_t n;
	rv_pos pos;
} rv_unique_ir;

typedef struct {
	bool has_rows_min, has_rows_max;
	uint64_t rows_min, rows_max;
	rv_limit max_invalid;
	rv_unique_ir *unique;
	size_t n_unique;
	rv_aggregate_ir *aggs;
	size_t n_aggs;
} rv_table_ir;

/* The CSV dialect. The *_set flags say what the rule file gave, so the
 * command line can win over it and it over the file's extension. */
typedef struct {
	char delimiter, quote, escape, comment; /* escape/comment: 0 for none */
	bool header;
	const char **null_values;
	size_t n_null;
	rv_encoding encoding;
	uint64_t skip_lines;
	bool delimiter_set, quote_set, escape_set, comment_set, header_set, null_set, encoding_set,
		skip_lines_set;
} rv_dialect;

void dialect_defaults(rv_dialect *d);

typedef struct rv_ruleset {
	rv_arena *arena;  /* owns everything below */
	const char *path; /* the rule file as named */
	const char *dir;  /* its folder, for relative references */
	int version;
	const char *name, *description;
	rv_dialect csv;
	rv_colmode columns;
	rv_field_ir *fields;
	size_t n_fields;
	rv_rule_ir *rules;
	size_t n_rules;
	rv_table_ir table;
	/* header columns without a field rule that row rules read (row['x']): in
	 * expressions they are fields n_fields + k, typed str */
	const char **extra_cols;
	size_t n_extra;
	bool uses_today; /* some expression calls today() */
} rv_ruleset;

typedef enum { SYNTAX_AUTO, SYNTAX_YAML, SYNTAX_PY } rv_syntax;

/* Syntax from the file name: .py/.rv are Python-like, .yaml/.yml YAML;
 * anything else is YAML unless the text starts like Python. */
rv_syntax rules_guess_syntax(const char *path, const char *src, size_t len);

/* Compiles rule-file text into IR. All errors and warnings go to diags; the
 * result is NULL when there was any error. Free with rules_free. */
rv_ruleset *rules_compile(const char *path, const char *src, size_t len, rv_syntax syntax,
			  rv_diags *diags);
/* Builds the IR from a document tree (build.c). */
rv_ruleset *rules_build(rv_arena *a, const doc_node *root, const char *path, rv_diags *diags);
void rules_free(rv_ruleset *rs);
/* The index of a field by name, or -1. */
int rules_field_index(const rv_ruleset *rs, const char *name);

#endif
