/* expr.h: row-rule expressions (`check:` and `when:`), parsed and type-checked.
 *
 * Expressions use Python syntax and semantics (SPEC 2.4). This module turns
 * the text of one expression into a typed tree, rejecting at compile time
 * what Python would reject at run time (comparing a date to a string, an
 * unknown field, an unknown function). Evaluation lives with the engine;
 * everything it needs (field indexes, typed constants, regex text) is
 * resolved here. The tree lives in the arena. */
#ifndef RV_EXPR_H
#define RV_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "rules/doc.h"
#include "types.h"
#include "util/arena.h"
#include "util/buf.h"

typedef enum {
	EX_CONST,  /* value (str, int, float, bool, date, datetime, time) */
	EX_NONE,   /* None */
	EX_FIELD,  /* a field's typed value, or None when missing */
	EX_NOT,    /* args[0] */
	EX_NEG,    /* args[0] */
	EX_AND,    /* args[0] and args[1] */
	EX_OR,     /* args[0] or args[1] */
	EX_ARITH,  /* args[0] op args[1]; op is '+', '-', '*', '/', '%' */
	EX_CMP,    /* args[0] cmp[0] args[1] cmp[1] args[2] ...: a Python chain */
	EX_IN,     /* args[0] in (args[1..]) or, with in_str, args[0] in args[1] */
	EX_NOT_IN, /* likewise */
	EX_IS_NONE,
	EX_IS_NOT_NONE,
	EX_CALL /* fn(args) */
} ex_kind;

typedef enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE } ex_cmp;

typedef enum {
	FN_LEN,
	FN_LOWER,
	FN_UPPER,
	FN_STRIP,
	FN_ABS,
	FN_MIN,
	FN_MAX,
	FN_MATCHES,
	FN_STARTSWITH,
	FN_ENDSWITH,
	FN_TODAY
} ex_fn;

typedef struct rv_expr rv_expr;
struct rv_expr {
	ex_kind kind;
	rv_type type; /* static type of the result (RV_NONE for the None literal) */
	int line, col;
	char op;           /* EX_ARITH */
	ex_cmp *cmps;      /* EX_CMP: nargs - 1 operators */
	bool in_str;       /* EX_IN/EX_NOT_IN: substring test */
	ex_fn fn;          /* EX_CALL */
	rv_value value;    /* EX_CONST */
	int field;         /* EX_FIELD: index of a declared field, or -1 (then build.c
			      numbers the column after the fields: see extra_cols) */
	bool extra;        /* EX_FIELD: a column without a field rule (row['x']) */
	const char *name;  /* EX_FIELD: the column name */
	const char *regex; /* EX_CALL matches: the pattern (a literal) */
	size_t regex_len;  /* its length: it may hold a NUL */
	int regex_line, regex_col;
	int depth; /* levels below and including this node */
	rv_expr **args;
	size_t nargs;
};

/* What an expression may refer to: the declared fields, by name. */
typedef struct {
	const char *const *names;
	const rv_type *types;
	size_t n;
} ex_scope;

/* Parses and type-checks the expression held by a string node. Errors go to
 * diags at their line and column in the rule file; on error returns NULL.
 * *uses_today is set when the expression calls today(). */
rv_expr *expr_compile(rv_arena *a, const doc_node *text, const ex_scope *scope, rv_diags *diags,
		      bool *uses_today);
/* Parses and type-checks a string (tests and fuzzing). */
rv_expr *expr_compile_string(rv_arena *a, const char *src, const ex_scope *scope, rv_diags *diags);
/* Appends the expression in a canonical, fully parenthesised form. */
void expr_print(rv_buf *out, const rv_expr *e);
/* Calls fn for every field an expression reads (duplicates included). */
void expr_walk_fields(const rv_expr *e, void (*fn)(const rv_expr *field, void *ctx), void *ctx);
/* The Python spelling of a comparison operator. */
const char *ex_cmp_name(ex_cmp c);

#endif
