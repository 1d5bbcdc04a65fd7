/* expr.c: parse and type-check row-rule expressions.
 *
 * A recursive-descent parser over the shared lexer, one function per Python
 * precedence level (or, and, not, comparison, sum, term, unary, postfix,
 * atom). Each node is type-checked as it is built, so the first error is
 * reported where it stands and parsing stops there (one message per
 * expression; the other rules of the file are still checked). */
#include "rules/expr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/lex.h"
#include "util/suggest.h"

/* internal only: a parenthesised tuple or a list, allowed after `in` */
#define EX_SEQ ((ex_kind)100)

typedef struct {
	rv_lexer lx;
	rv_token tok;
	rv_arena *a;
	rv_diags *d;
	const ex_scope *scope;
	bool failed;
	bool uses_today;
	int depth;
} parser;

static const char *const FN_NAMES[] = {"len", "lower",   "upper",      "strip",    "abs",   "min",
				       "max", "matches", "startswith", "endswith", "today", NULL};
static const char *const CTOR_NAMES[] = {"date", "datetime", "time", NULL};

const char *ex_cmp_name(ex_cmp c)
{
	static const char *const N[] = {"==", "!=", "<", "<=", ">", ">="};
	return N[c];
}

static void next(parser *p)
{
	p->tok = lex_next(&p->lx);
	if (p->tok.kind == TK_ERROR)
		p->failed = true;
}

static rv_expr *fail(parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Records the expression's one error (later ones are consequences) and
 * returns NULL, so callers can `return fail(...)`. */
static rv_expr *fail(parser *p, int line, int col, const char *fmt, ...)
{
	if (!p->failed) {
		char msg[256];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		diag_error(p->d, line, col, "%s", msg);
	}
	p->failed = true;
	return NULL;
}

/* How a token reads in a message: 'x' for text from the file, bare words
 * for what is not ("end of expression", "a string"). */
static const char *tok_desc(parser *p, const rv_token *t)
{
	switch (t->kind) {
	case TK_EOF:
	case TK_NEWLINE: return "end of expression";
	case TK_STR: return "string";
	default: return arena_printf(p->a, "'%s'", t->text);
	}
}

enum { MAX_DEPTH = 200 };
/* How deep the parser recurses through brackets, calls and `not` before it
 * gives up (its own stack, not the tree's depth: MAX_DEPTH). */
enum { MAX_NESTING = 64 };

/* Sets e's depth from its arguments; an expression deeper than MAX_DEPTH is
 * refused here, so the walkers that recurse over trees stay shallow. */
static rv_expr *deepen(parser *p, rv_expr *e)
{
	if (!e)
		return NULL;
	int d = 0;
	for (size_t i = 0; i < e->nargs; i++)
		if (e->args[i] && e->args[i]->depth > d)
			d = e->args[i]->depth;
	e->depth = d + 1;
	if (e->depth > MAX_DEPTH)
		return fail(p, e->line, e->col,
			    "expression nested too deeply (more than %d levels)", MAX_DEPTH);
	return e;
}

static rv_expr *node(parser *p, ex_kind kind, int line, int col, size_t nargs)
{
	rv_expr *e = arena_alloc(p->a, sizeof(*e));
	e->kind = kind;
	e->line = line;
	e->col = col;
	e->field = -1;
	e->nargs = nargs;
	if (nargs)
		e->args = arena_alloc(p->a, nargs * sizeof(rv_expr *));
	return e;
}

static bool is_kw(const rv_token *t, const char *kw)
{
	return t->kind == TK_NAME && strcmp(t->text, kw) == 0;
}

static bool is_op(const rv_token *t, const char *op)
{
	return t->kind == TK_OP && strcmp(t->text, op) == 0;
}

static const char *tname(const rv_expr *e)
{
	return type_name(e->type);
}

/* The type two numeric operands combine to; false for float with decimal
 * (Python refuses to mix them in arithmetic). */
static bool num_promote(rv_type a, rv_type b, rv_type *out)
{
	if (a == b) {
		*out = a;
		return true;
	}
	if ((a == RV_FLOAT && b == RV_DECIMAL) || (a == RV_DECIMAL && b == RV_FLOAT))
		return false;
	*out = (a == RV_INT) ? b : a;
	return true;
}

static bool comparable(rv_type a, rv_type b)
{
	if (type_is_numeric(a) && type_is_numeric(b))
		return true;
	return a == b && a != RV_NONE;
}

static rv_expr *parse_or(parser *p);

/* ---- atoms ---- */

static rv_expr *const_node(parser *p, const rv_token *t, rv_type type)
{
	rv_expr *e = node(p, EX_CONST, t->line, t->col, 0);
	e->type = type;
	e->value.type = type;
	return e;
}

static rv_expr *parse_seq(parser *p, const char *close)
{
	rv_token open = p->tok;
	rv_expr *seq = node(p, EX_SEQ, open.line, open.col, 0);
	rv_ptrvec items = {0};
	next(p);
	while (!is_op(&p->tok, close)) {
		rv_expr *e = parse_or(p);
		if (!e)
			return NULL;
		ptrvec_push(p->a, &items, e);
		if (is_op(&p->tok, ","))
			next(p);
		else if (!is_op(&p->tok, close))
			return fail(p, p->tok.line, p->tok.col, "expected ',' or '%s', found %s",
				    close, tok_desc(p, &p->tok));
	}
	next(p);
	seq->args = (rv_expr **)items.items;
	seq->nargs = items.n;
	return seq;
}

static rv_expr *parse_call(parser *p, rv_token name);

static rv_expr *field_ref(parser *p, const rv_token *t, const char *name)
{
	rv_expr *e = node(p, EX_FIELD, t->line, t->col, 0);
	e->name = name;
	for (size_t i = 0; i < p->scope->n; i++) {
		if (strcmp(p->scope->names[i], name) == 0) {
			e->field = (int)i;
			e->type = p->scope->types[i];
			return e;
		}
	}
	e->type = RV_STR; /* an undeclared header column, reached through row[...] */
	e->extra = true;
	return e;
}

static rv_expr *parse_name(parser *p)
{
	rv_token t = p->tok;
	next(p);
	if (is_op(&p->tok, "("))
		return parse_call(p, t);
	if (strcmp(t.text, "True") == 0 || strcmp(t.text, "False") == 0) {
		rv_expr *e = const_node(p, &t, RV_BOOL);
		e->value.u.b = t.text[0] == 'T';
		return e;
	}
	if (strcmp(t.text, "None") == 0) {
		rv_expr *e = node(p, EX_NONE, t.line, t.col, 0);
		e->type = RV_NONE;
		return e;
	}
	if (strcmp(t.text, "row") == 0 && is_op(&p->tok, "[")) {
		next(p);
		if (p->tok.kind != TK_STR)
			return fail(p, p->tok.line, p->tok.col,
				    "row[...] takes a column name in quotes");
		rv_token key = p->tok;
		next(p);
		if (!is_op(&p->tok, "]"))
			return fail(p, p->tok.line, p->tok.col, "expected ']' after row['...'");
		next(p);
		return field_ref(p, &key, key.text);
	}
	static const char *const KW[] = {"and", "or",   "not",    "in",  "is",
					 "if",  "else", "lambda", "for", NULL};
	for (size_t i = 0; KW[i]; i++)
		if (strcmp(t.text, KW[i]) == 0)
			return fail(p, t.line, t.col, "unexpected '%s'", t.text);
	for (size_t i = 0; i < p->scope->n; i++)
		if (strcmp(p->scope->names[i], t.text) == 0)
			return field_ref(p, &t, t.text);
	for (size_t i = 0; FN_NAMES[i]; i++)
		if (strcmp(FN_NAMES[i], t.text) == 0)
			return fail(p, t.line, t.col, "'%s' is a function: call it as %s(...)",
				    t.text, t.text);
	const char *s = p->scope->n ? suggest(t.text, t.len, p->scope->names, p->scope->n) : NULL;
	if (s)
		return fail(p, t.line, t.col, "unknown field '%s' (did you mean '%s'?)", t.text, s);
	return fail(p, t.line, t.col,
		    "unknown field '%s' (a column without a field rule is reached as row['%s'])",
		    t.text, t.text);
}

static rv_expr *parse_atom(parser *p)
{
	rv_token t = p->tok;
	if (++p->depth > MAX_NESTING)
		return fail(p, t.line, t.col, "expression nested too deeply");
	rv_expr *e = NULL;
	switch (t.kind) {
	case TK_NAME: e = deepen(p, parse_name(p)); break;
	case TK_INT:
		e = const_node(p, &t, RV_INT);
		if (!parse_int(t.text, t.len, &e->value.u.i))
			return fail(p, t.line, t.col, "integer literal out of the 64-bit range");
		next(p);
		break;
	case TK_FLOAT:
		e = const_node(p, &t, RV_FLOAT);
		if (!parse_float(t.text, t.len, &e->value.u.f))
			return fail(p, t.line, t.col, "malformed number");
		next(p);
		break;
	case TK_STR: {
		/* adjacent literals concatenate, as in Python */
		rv_buf b;
		buf_init(&b, 0);
		while (p->tok.kind == TK_STR) {
			buf_append(&b, p->tok.text, p->tok.len);
			next(p);
		}
		e = const_node(p, &t, RV_STR);
		e->value.u.s.p = arena_strndup(p->a, b.data ? b.data : "", b.len);
		e->value.u.s.n = b.len;
		buf_free(&b);
		break;
	}
	case TK_OP:
		if (is_op(&t, "(")) {
			next(p);
			if (is_op(&p->tok, ")")) {
				/* () is the empty tuple: only useful after `in` */
				next(p);
				p->depth--;
				return node(p, EX_SEQ, t.line, t.col, 0);
			}
			e = parse_or(p);
			if (!e)
				return NULL;
			if (is_op(&p->tok, ",")) {
				/* a tuple: re-read it as a sequence of the first item and the rest
				 */
				rv_expr *seq = node(p, EX_SEQ, t.line, t.col, 0);
				rv_ptrvec items = {0};
				ptrvec_push(p->a, &items, e);
				while (is_op(&p->tok, ",")) {
					next(p);
					if (is_op(&p->tok, ")"))
						break;
					rv_expr *item = parse_or(p);
					if (!item)
						return NULL;
					ptrvec_push(p->a, &items, item);
				}
				seq->args = (rv_expr **)items.items;
				seq->nargs = items.n;
				e = seq;
			}
			if (!is_op(&p->tok, ")"))
				return fail(p, p->tok.line, p->tok.col, "expected ')', found %s",
					    tok_desc(p, &p->tok));
			next(p);
		} else if (is_op(&t, "[")) {
			e = parse_seq(p, "]");
		} else {
			return fail(p, t.line, t.col, "unexpected '%s'", t.text);
		}
		break;
	case TK_EOF:
	case TK_NEWLINE: return fail(p, t.line, t.col, "expression ends too early");
	case TK_ERROR: p->failed = true; return NULL;
	}
	p->depth--;
	return e;
}

static bool want_args(parser *p, const rv_token *name, rv_expr *call, size_t lo, size_t hi)
{
	if (call->nargs < lo || call->nargs > hi) {
		char want[48];
		if (lo == hi)
			snprintf(want, sizeof(want), "%zu argument%s", lo, lo == 1 ? "" : "s");
		else
			snprintf(want, sizeof(want), "at least %zu arguments", lo);
		fail(p, name->line, name->col, "%s() takes %s", name->text, want);
		return false;
	}
	return true;
}

static bool want_type(parser *p, const rv_token *name, const rv_expr *arg, rv_type t)
{
	if (arg->type == t)
		return true;
	fail(p, arg->line, arg->col, "%s() takes a %s, not %s", name->text, type_name(t),
	     tname(arg));
	return false;
}

static rv_expr *parse_ctor(parser *p, rv_token name, rv_expr *call)
{
	rv_type t;
	type_from_name(name.text, &t);
	if (!want_args(p, &name, call, 1, 1))
		return NULL;
	rv_expr *arg = call->args[0];
	if (arg->kind != EX_CONST || arg->type != RV_STR)
		return fail(p, arg->line, arg->col, "%s() takes a literal string like %s",
			    name.text,
			    t == RV_DATE   ? "'2024-01-31'"
			    : t == RV_TIME ? "'12:30:00'"
					   : "'2024-01-31T12:30:00Z'");
	rv_expr *e = node(p, EX_CONST, name.line, name.col, 0);
	e->type = t;
	if (!parse_value(t, arg->value.u.s.p, arg->value.u.s.n, &e->value))
		return fail(p, arg->line, arg->col, "'%s' is not a valid %s", arg->value.u.s.p,
			    name.text);
	return e;
}

static rv_expr *parse_call(parser *p, rv_token name)
{
	rv_expr *call = node(p, EX_CALL, name.line, name.col, 0);
	rv_expr *seq = parse_seq(p, ")");
	if (!seq)
		return NULL;
	call->args = seq->args;
	call->nargs = seq->nargs;
	for (size_t i = 0; i < call->nargs; i++)
		if (call->args[i]->kind == EX_SEQ)
			return fail(p, call->args[i]->line, call->args[i]->col,
				    "a tuple or list is only allowed after 'in'");
	for (size_t i = 0; CTOR_NAMES[i]; i++)
		if (strcmp(name.text, CTOR_NAMES[i]) == 0)
			return parse_ctor(p, name, call);
	int fn = -1;
	for (int i = 0; FN_NAMES[i]; i++)
		if (strcmp(FN_NAMES[i], name.text) == 0)
			fn = i;
	if (fn < 0) {
		const char *s = suggest(name.text, name.len, FN_NAMES, 0);
		if (s)
			return fail(p, name.line, name.col,
				    "unknown function '%s' (did you mean '%s'?)", name.text, s);
		return fail(p, name.line, name.col, "unknown function '%s'", name.text);
	}
	call->fn = (ex_fn)fn;
	switch (call->fn) {
	case FN_LEN:
		if (!want_args(p, &name, call, 1, 1) || !want_type(p, &name, call->args[0], RV_STR))
			return NULL;
		call->type = RV_INT;
		break;
	case FN_LOWER:
	case FN_UPPER:
	case FN_STRIP:
		if (!want_args(p, &name, call, 1, 1) || !want_type(p, &name, call->args[0], RV_STR))
			return NULL;
		call->type = RV_STR;
		break;
	case FN_ABS:
		if (!want_args(p, &name, call, 1, 1))
			return NULL;
		if (!type_is_numeric(call->args[0]->type))
			return fail(p, call->args[0]->line, call->args[0]->col,
				    "abs() takes a number, not %s", tname(call->args[0]));
		call->type = call->args[0]->type;
		break;
	case FN_MIN:
	case FN_MAX: {
		if (!want_args(p, &name, call, 2, (size_t)-1))
			return NULL;
		rv_type t = call->args[0]->type;
		for (size_t i = 1; i < call->nargs; i++) {
			rv_expr *arg = call->args[i];
			if (!comparable(t, arg->type) ||
			    (type_is_numeric(t) && !num_promote(t, arg->type, &t)))
				return fail(p, arg->line, arg->col,
					    "%s() cannot compare %s with %s", name.text,
					    type_name(t), tname(arg));
		}
		if (t == RV_NONE)
			return fail(p, name.line, name.col, "%s() of None", name.text);
		call->type = t;
		break;
	}
	case FN_MATCHES: {
		if (!want_args(p, &name, call, 2, 2) || !want_type(p, &name, call->args[0], RV_STR))
			return NULL;
		rv_expr *re = call->args[1];
		if (re->kind != EX_CONST || re->type != RV_STR)
			return fail(p, re->line, re->col,
				    "matches() takes the pattern as a literal string");
		call->regex = re->value.u.s.p;
		call->regex_len = re->value.u.s.n; /* the literal may hold a NUL ('\0', '\x00') */
		call->regex_line = re->line;
		call->regex_col = re->col;
		call->type = RV_BOOL;
		break;
	}
	case FN_STARTSWITH:
	case FN_ENDSWITH:
		if (!want_args(p, &name, call, 2, 2) ||
		    !want_type(p, &name, call->args[0], RV_STR) ||
		    !want_type(p, &name, call->args[1], RV_STR))
			return NULL;
		call->type = RV_BOOL;
		break;
	case FN_TODAY:
		if (!want_args(p, &name, call, 0, 0))
			return NULL;
		p->uses_today = true;
		call->type = RV_DATE;
		break;
	}
	return call;
}

/* ---- operators ---- */

static rv_expr *parse_unary(parser *p)
{
	if (is_op(&p->tok, "-") || is_op(&p->tok, "+")) {
		rv_token op = p->tok;
		next(p);
		if (++p->depth > MAX_DEPTH)
			return fail(p, op.line, op.col,
				    "expression nested too deeply (more than %d levels)",
				    MAX_DEPTH);
		rv_expr *x = parse_unary(p);
		p->depth--;
		if (!x)
			return NULL;
		if (!type_is_numeric(x->type))
			return fail(p, op.line, op.col, "unary '%s' needs a number, not %s",
				    op.text, tname(x));
		if (op.text[0] == '+')
			return x;
		if (x->kind == EX_CONST && x->type != RV_DECIMAL) {
			if (x->type == RV_INT)
				x->value.u.i = -x->value.u.i;
			else
				x->value.u.f = -x->value.u.f;
			x->line = op.line;
			x->col = op.col;
			return x;
		}
		rv_expr *e = node(p, EX_NEG, op.line, op.col, 1);
		e->args[0] = x;
		e->type = x->type;
		return deepen(p, e);
	}
	rv_expr *e = parse_atom(p);
	if (e && (is_op(&p->tok, "**") || is_op(&p->tok, "//") || is_op(&p->tok, ".") ||
		  is_op(&p->tok, "[")))
		return fail(p, p->tok.line, p->tok.col, "'%s' is not supported in expressions",
			    p->tok.text);
	return e;
}

static rv_expr *arith(parser *p, const rv_token *op, rv_expr *l, rv_expr *r)
{
	char c = op->text[0];
	rv_type t;
	if (l->kind == EX_SEQ || r->kind == EX_SEQ)
		return fail(p, op->line, op->col, "a tuple or list is only allowed after 'in'");
	if (c == '+' && l->type == RV_STR && r->type == RV_STR) {
		t = RV_STR;
	} else if (type_is_numeric(l->type) && type_is_numeric(r->type)) {
		if (!num_promote(l->type, r->type, &t))
			return fail(p, op->line, op->col, "cannot mix float and decimal in '%s'",
				    op->text);
		if (c == '/' && t == RV_INT)
			t = RV_FLOAT; /* true division */
	} else {
		char msg[96];
		snprintf(msg, sizeof(msg), "unsupported operand types for '%s': %s and %s",
			 op->text, tname(l), tname(r));
		return fail(p, op->line, op->col, "%s", msg);
	}
	rv_expr *e = node(p, EX_ARITH, op->line, op->col, 2);
	e->op = c;
	e->args[0] = l;
	e->args[1] = r;
	e->type = t;
	return deepen(p, e);
}

static rv_expr *parse_term(parser *p)
{
	rv_expr *l = parse_unary(p);
	while (l && (is_op(&p->tok, "*") || is_op(&p->tok, "/") || is_op(&p->tok, "%"))) {
		rv_token op = p->tok;
		next(p);
		rv_expr *r = parse_unary(p);
		l = r ? arith(p, &op, l, r) : NULL;
	}
	return l;
}

static rv_expr *parse_sum(parser *p)
{
	rv_expr *l = parse_term(p);
	while (l && (is_op(&p->tok, "+") || is_op(&p->tok, "-"))) {
		rv_token op = p->tok;
		next(p);
		rv_expr *r = parse_term(p);
		l = r ? arith(p, &op, l, r) : NULL;
	}
	return l;
}

static int cmp_op(const rv_token *t)
{
	static const char *const OPS[] = {"==", "!=", "<", "<=", ">", ">="};
	if (t->kind != TK_OP)
		return -1;
	for (int i = 0; i < 6; i++)
		if (strcmp(t->text, OPS[i]) == 0)
			return i;
	return -1;
}

static bool check_comparable(parser *p, const rv_token *op, const rv_expr *l, const rv_expr *r)
{
	if (l->type == RV_NONE || r->type == RV_NONE) {
		fail(p, op->line, op->col, "compare with None using 'is None' or 'is not None'");
		return false;
	}
	if (!comparable(l->type, r->type)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "cannot compare %s with %s", tname(l), tname(r));
		fail(p, op->line, op->col, "%s", msg);
		return false;
	}
	return true;
}

static rv_expr *parse_in(parser *p, const rv_token *op, rv_expr *l, bool negated)
{
	rv_expr *r = parse_sum(p);
	if (!r)
		return NULL;
	rv_expr *e = node(p, negated ? EX_NOT_IN : EX_IN, op->line, op->col, 0);
	e->type = RV_BOOL;
	if (r->kind != EX_SEQ) {
		if (l->type != RV_STR || r->type != RV_STR)
			return fail(p, op->line, op->col,
				    "'in' needs a tuple or list of values, or two strings");
		e->in_str = true;
		e->nargs = 2;
		e->args = arena_alloc(p->a, 2 * sizeof(rv_expr *));
		e->args[0] = l;
		e->args[1] = r;
		return e;
	}
	e->nargs = r->nargs + 1;
	e->args = arena_alloc(p->a, e->nargs * sizeof(rv_expr *));
	e->args[0] = l;
	for (size_t i = 0; i < r->nargs; i++) {
		rv_expr *item = r->args[i];
		if (item->kind == EX_SEQ)
			return fail(p, op->line, op->col,
				    "nested tuples are not supported after 'in'");
		if (!check_comparable(p, op, l, item))
			return NULL;
		e->args[i + 1] = item;
	}
	return e;
}

static rv_expr *parse_comparison(parser *p)
{
	rv_expr *l = parse_sum(p);
	if (!l)
		return NULL;
	rv_ptrvec args = {0};
	ex_cmp *ops = NULL;
	size_t nops = 0, cap = 0;
	for (;;) {
		rv_token op = p->tok;
		int c = cmp_op(&op);
		if (c >= 0) {
			next(p);
			rv_expr *r = parse_sum(p);
			if (!r)
				return NULL;
			rv_expr *prev = args.n ? args.items[args.n - 1] : l;
			if (prev->kind == EX_SEQ || r->kind == EX_SEQ)
				return fail(p, op.line, op.col,
					    "a tuple or list is only allowed after 'in'");
			if (!check_comparable(p, &op, prev, r))
				return NULL;
			if (!args.n)
				ptrvec_push(p->a, &args, l);
			ptrvec_push(p->a, &args, r);
			if (nops == cap) { /* double: the arena keeps every old copy */
				cap = cap ? cap * 2 : 4;
				ex_cmp *grown = arena_alloc(p->a, cap * sizeof(ex_cmp));
				if (nops)
					memcpy(grown, ops, nops * sizeof(ex_cmp));
				ops = grown;
			}
			ops[nops++] = (ex_cmp)c;
			continue;
		}
		bool is_in = is_kw(&op, "in"), not_in = false, is_is = is_kw(&op, "is");
		if (is_kw(&op, "not")) {
			rv_token after = lex_peek(&p->lx);
			if (!is_kw(&after, "in"))
				break;
			next(p);
			not_in = true;
		}
		if (!is_in && !not_in && !is_is)
			break;
		if (args.n)
			return fail(p, op.line, op.col,
				    "'in' and 'is' cannot be chained with other comparisons");
		if (l->kind == EX_SEQ)
			return fail(p, op.line, op.col,
				    "a tuple or list is only allowed after 'in'");
		next(p);
		if (is_is) {
			bool neg = false;
			if (is_kw(&p->tok, "not")) {
				neg = true;
				next(p);
			}
			if (!is_kw(&p->tok, "None"))
				return fail(p, p->tok.line, p->tok.col,
					    "'is' compares only with None");
			next(p);
			rv_expr *e = node(p, neg ? EX_IS_NOT_NONE : EX_IS_NONE, op.line, op.col, 1);
			e->args[0] = l;
			e->type = RV_BOOL;
			l = deepen(p, e);
			if (!l)
				return NULL;
		} else {
			l = deepen(p, parse_in(p, &op, l, not_in));
			if (!l)
				return NULL;
		}
		if (cmp_op(&p->tok) >= 0 || is_kw(&p->tok, "in") || is_kw(&p->tok, "is"))
			return fail(p, p->tok.line, p->tok.col,
				    "'in' and 'is' cannot be chained with other comparisons");
		return l;
	}
	if (!args.n)
		return l;
	rv_expr *e = node(p, EX_CMP, ((rv_expr *)args.items[0])->line,
			  ((rv_expr *)args.items[0])->col, 0);
	e->args = (rv_expr **)args.items;
	e->nargs = args.n;
	e->cmps = ops;
	e->type = RV_BOOL;
	return deepen(p, e);
}

static bool want_bool(parser *p, const rv_token *op, const rv_expr *x)
{
	if (x->type == RV_BOOL)
		return true;
	char msg[96];
	snprintf(msg, sizeof(msg), "'%s' needs a boolean, not %s", op->text, tname(x));
	fail(p, x->line, x->col, "%s", msg);
	return false;
}

static rv_expr *parse_not(parser *p)
{
	if (is_kw(&p->tok, "not")) {
		rv_token op = p->tok;
		next(p);
		if (++p->depth > MAX_NESTING)
			return fail(p, op.line, op.col, "expression nested too deeply");
		rv_expr *x = parse_not(p);
		p->depth--;
		if (!x || !want_bool(p, &op, x))
			return NULL;
		rv_expr *e = node(p, EX_NOT, op.line, op.col, 1);
		e->args[0] = x;
		e->type = RV_BOOL;
		return deepen(p, e);
	}
	return parse_comparison(p);
}

static rv_expr *parse_and(parser *p)
{
	rv_expr *l = parse_not(p);
	while (l && is_kw(&p->tok, "and")) {
		rv_token op = p->tok;
		next(p);
		rv_expr *r = parse_not(p);
		if (!r || !want_bool(p, &op, l) || !want_bool(p, &op, r))
			return NULL;
		rv_expr *e = node(p, EX_AND, op.line, op.col, 2);
		e->args[0] = l;
		e->args[1] = r;
		e->type = RV_BOOL;
		l = deepen(p, e);
	}
	return l;
}

static rv_expr *parse_or(parser *p)
{
	if (++p->depth > MAX_NESTING)
		return fail(p, p->tok.line, p->tok.col, "expression nested too deeply");
	rv_expr *l = parse_and(p);
	while (l && is_kw(&p->tok, "or")) {
		rv_token op = p->tok;
		next(p);
		rv_expr *r = parse_and(p);
		if (!r || !want_bool(p, &op, l) || !want_bool(p, &op, r))
			return NULL;
		rv_expr *e = node(p, EX_OR, op.line, op.col, 2);
		e->args[0] = l;
		e->args[1] = r;
		e->type = RV_BOOL;
		l = deepen(p, e);
	}
	p->depth--;
	return l;
}

static rv_expr *compile(parser *p)
{
	next(p);
	if (p->tok.kind == TK_EOF && !p->failed)
		return fail(p, p->tok.line, p->tok.col, "empty expression");
	rv_expr *e = parse_or(p);
	if (e && p->tok.kind != TK_EOF)
		return fail(p, p->tok.line, p->tok.col, "unexpected %s after the expression",
			    tok_desc(p, &p->tok));
	if (e && e->kind == EX_SEQ)
		return fail(p, e->line, e->col, "a tuple or list is only allowed after 'in'");
	return p->failed ? NULL : e;
}

rv_expr *expr_compile(rv_arena *a, const doc_node *text, const ex_scope *scope, rv_diags *diags,
		      bool *uses_today)
{
	parser p = {0};
	p.a = a;
	p.d = diags;
	p.scope = scope;
	bool mapped = text->text_line > 0;
	lex_init(&p.lx, a, diags, text->text, text->len, true,
		 mapped ? text->text_line : text->line, mapped ? text->text_col : text->col,
		 !mapped);
	rv_expr *e = compile(&p);
	if (e && uses_today && p.uses_today)
		*uses_today = true;
	return e;
}

rv_expr *expr_compile_string(rv_arena *a, const char *src, const ex_scope *scope, rv_diags *diags)
{
	doc_node n = {0};
	n.kind = DOC_STR;
	n.line = n.text_line = 1;
	n.col = n.text_col = 1;
	n.text = src;
	n.len = strlen(src);
	return expr_compile(a, &n, scope, diags, NULL);
}

/* ---- printing ---- */

static bool is_keyword(const char *s)
{
	static const char *const KW[] = {"and", "or",     "not",  "in",    "is",   "if",  "else",
					 "for", "lambda", "True", "False", "None", "row", NULL};
	for (size_t i = 0; KW[i]; i++)
		if (strcmp(s, KW[i]) == 0)
			return true;
	return false;
}

static bool is_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

void expr_print(rv_buf *out, const rv_expr *e)
{
	static const char *const FN[] = {"len", "lower",   "upper",      "strip",    "abs",  "min",
					 "max", "matches", "startswith", "endswith", "today"};
	char tmp[96];
	switch (e->kind) {
	case EX_CONST:
		switch (e->type) {
		case RV_STR: buf_quote(out, e->value.u.s.p, e->value.u.s.n); break;
		case RV_BOOL: buf_puts(out, e->value.u.b ? "True" : "False"); break;
		case RV_DATE:
		case RV_DATETIME:
		case RV_TIME:
			value_format(&e->value, tmp, sizeof(tmp));
			buf_printf(out, "%s('%s')", type_name(e->type), tmp);
			break;
		default:
			value_format(&e->value, tmp, sizeof(tmp));
			buf_puts(out, tmp);
			if (e->type == RV_FLOAT && !strpbrk(tmp, ".eE"))
				buf_puts(out, ".0");
		}
		break;
	case EX_NONE: buf_puts(out, "None"); break;
	case EX_FIELD:
		if (!e->extra && is_identifier(e->name) && !is_keyword(e->name)) {
			buf_puts(out, e->name);
		} else {
			buf_puts(out, "row[");
			buf_quote(out, e->name, strlen(e->name));
			buf_putc(out, ']');
		}
		break;
	case EX_NOT:
		buf_puts(out, "(not ");
		expr_print(out, e->args[0]);
		buf_putc(out, ')');
		break;
	case EX_NEG:
		buf_puts(out, "(-");
		expr_print(out, e->args[0]);
		buf_putc(out, ')');
		break;
	case EX_AND:
	case EX_OR:
	case EX_ARITH:
		buf_putc(out, '(');
		expr_print(out, e->args[0]);
		if (e->kind == EX_ARITH)
			buf_printf(out, " %c ", e->op);
		else
			buf_puts(out, e->kind == EX_AND ? " and " : " or ");
		expr_print(out, e->args[1]);
		buf_putc(out, ')');
		break;
	case EX_CMP:
		buf_putc(out, '(');
		for (size_t i = 0; i < e->nargs; i++) {
			if (i)
				buf_printf(out, " %s ", ex_cmp_name(e->cmps[i - 1]));
			expr_print(out, e->args[i]);
		}
		buf_putc(out, ')');
		break;
	case EX_IN:
	case EX_NOT_IN:
		buf_putc(out, '(');
		expr_print(out, e->args[0]);
		buf_puts(out, e->kind == EX_IN ? " in " : " not in ");
		if (e->in_str) {
			expr_print(out, e->args[1]);
		} else {
			buf_putc(out, '(');
			for (size_t i = 1; i < e->nargs; i++) {
				if (i > 1)
					buf_puts(out, ", ");
				expr_print(out, e->args[i]);
			}
			buf_puts(out, e->nargs == 2 ? ",)" : ")");
		}
		buf_putc(out, ')');
		break;
	case EX_IS_NONE:
	case EX_IS_NOT_NONE:
		buf_putc(out, '(');
		expr_print(out, e->args[0]);
		buf_puts(out, e->kind == EX_IS_NONE ? " is None)" : " is not None)");
		break;
	case EX_CALL:
		buf_printf(out, "%s(", FN[e->fn]);
		for (size_t i = 0; i < e->nargs; i++) {
			if (i)
				buf_puts(out, ", ");
			expr_print(out, e->args[i]);
		}
		buf_putc(out, ')');
		break;
	}
}

void expr_walk_fields(const rv_expr *e, void (*fn)(const rv_expr *field, void *ctx), void *ctx)
{
	if (e->kind == EX_FIELD)
		fn(e, ctx);
	for (size_t i = 0; i < e->nargs; i++)
		expr_walk_fields(e->args[i], fn, ctx);
}
