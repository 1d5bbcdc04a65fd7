/* py_fe.c: the Python-like rule language front end: reads a rule file into a doc tree. */
#include "rules/doc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rules/lex.h"
#include "util/buf.h"
#include "util/suggest.h"

#define MAX_DEPTH 64

typedef struct {
	rv_lexer lx;
	rv_arena *a;
	rv_diags *d;
	rv_token tok; /* the current token, not yet consumed */
	bool failed;  /* a syntax error was reported: stop */
	int depth;    /* open brackets */
} py_parser;

/* What the top-level statements assigned. */
typedef struct {
	bool schema_seen, rules_seen;
	doc_node *schema, *rules;
	rv_token rules_name;
} py_file;

/* The arguments of one call, before they become the call's map. */
typedef struct {
	doc_node *pos; /* the positional argument, or NULL */
	doc_node *kw;  /* DOC_MAP of the keyword arguments, in order */
} py_args;

static const char *const TYPE_NAMES[] = {"str",      "int",  "float",   "bool", "date",
					 "datetime", "time", "decimal", NULL};
static const char *const VALUE_NAMES[] = {"str",  "int",     "float", "bool",  "date", "datetime",
					  "time", "decimal", "True",  "False", "None", NULL};
static const char *const CALL_NAMES[] = {"Schema", "Field", "Rule", NULL};
/* Python keywords, True/False/None aside (they are values here). */
static const char *const KEYWORDS[] = {
	"and",    "as",   "assert", "async",  "await",    "break", "class", "continue", "def",
	"del",    "elif", "else",   "except", "finally",  "for",   "from",  "global",   "if",
	"import", "in",   "is",     "lambda", "nonlocal", "not",   "or",    "pass",     "raise",
	"return", "try",  "while",  "with",   "yield",    NULL};
/* Keywords that may follow a value in Python (conditional expressions,
 * comprehensions, operators): here they are an error at the keyword. */
static const char *const FOLLOW_KEYWORDS[] = {"if", "else", "for", "async", "and",
					      "or", "not",  "in",  "is",    NULL};

static bool in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool is_op(const rv_token *t, const char *op)
{
	return tok_is(t, TK_OP, op);
}

static bool is_name(const rv_token *t, const char *name)
{
	return tok_is(t, TK_NAME, name);
}

static bool is_closer(const rv_token *t)
{
	return is_op(t, ")") || is_op(t, "]") || is_op(t, "}");
}

/* The token as messages name it: 'x', end of line, end of file, a string. */
static const char *tok_desc(py_parser *p, const rv_token *t)
{
	switch (t->kind) {
	case TK_NEWLINE: return "end of line";
	case TK_EOF: return "end of file";
	case TK_STR: return "a string";
	case TK_ERROR: return "an invalid token";
	default: return arena_printf(p->a, "'%.40s'", t->text);
	}
}

static void advance(py_parser *p)
{
	p->tok = lex_next(&p->lx);
	if (p->tok.kind == TK_ERROR)
		p->failed = true; /* the lexer has reported it */
}

/* Reports a syntax error at t (unless one was reported already) and stops the parse. */
static void syntax_error(py_parser *p, const rv_token *t, const char *msg)
{
	if (!p->failed && t->kind != TK_ERROR)
		diag_error(p->d, t->line, t->col, "%s", msg);
	p->failed = true;
}

static void unexpected(py_parser *p, const rv_token *t)
{
	syntax_error(p, t, arena_printf(p->a, "unexpected %s", tok_desc(p, t)));
}

/* A token that must not follow a value: an operator (attribute access, a
 * subscript, a call on something that is not a name, arithmetic...) or a
 * keyword that continues a Python expression. */
static bool bad_follow(const rv_token *t)
{
	if (t->kind == TK_OP)
		return !(is_op(t, ",") || is_closer(t) || is_op(t, ":") || is_op(t, "="));
	return t->kind == TK_NAME && in_list(t->text, FOLLOW_KEYWORDS);
}

static bool enter(py_parser *p)
{
	if (p->depth >= MAX_DEPTH) {
		syntax_error(p, &p->tok, "nesting too deep");
		return false;
	}
	p->depth++;
	return true;
}

/* After an item in brackets: the next token is neither ',' nor the closer. */
static void close_error(py_parser *p, const rv_token *open, const char *closer)
{
	const rv_token *t = &p->tok;
	bool item = t->kind == TK_STR || t->kind == TK_INT || t->kind == TK_FLOAT ||
		    t->kind == TK_NAME || is_op(t, "(") || is_op(t, "[") || is_op(t, "{");
	syntax_error(p, t,
		     arena_printf(p->a, "expected %s'%s' to close '%s' at line %d, found %s",
				  item ? "',' or " : "", closer, open->text, open->line,
				  tok_desc(p, t)));
}

static doc_node *str_node(py_parser *p, const char *s, int line, int col, bool verbatim)
{
	doc_node *n = doc_new(p->a, DOC_STR, line, col);
	n->text = s;
	n->len = strlen(s);
	if (verbatim) {
		n->text_line = line;
		n->text_col = col;
	}
	return n;
}

static bool same_text(const doc_node *a, const doc_node *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* The value under a key with key's text in a map, or NULL. */
static doc_node *map_find(const doc_node *map, const doc_node *key)
{
	for (size_t i = 0; i < map->n; i++)
		if (same_text(map->keys[i], key))
			return map->items[i];
	return NULL;
}

static doc_node *parse_value(py_parser *p);

/* string: STR+ (adjacent literals concatenate) */
static doc_node *parse_string(py_parser *p)
{
	rv_token first = p->tok;
	advance(p);
	if (p->tok.kind != TK_STR) {
		doc_node *n = doc_new(p->a, DOC_STR, first.line, first.col);
		n->text = first.text;
		n->len = first.len;
		n->text_line = first.text_line;
		n->text_col = first.text_col;
		return n;
	}
	rv_buf b;
	buf_init(&b, 0);
	buf_append(&b, first.text, first.len);
	while (p->tok.kind == TK_STR) {
		buf_append(&b, p->tok.text, p->tok.len);
		advance(p);
	}
	size_t len;
	char *s = buf_detach(&b, &len);
	doc_node *n = doc_new(p->a, DOC_STR, first.line, first.col);
	n->text = arena_strndup(p->a, s ? s : "", s ? len : 0);
	n->len = s ? len : 0;
	free(s);
	return n;
}

/* number: ['-' | '+'] (INT | FLOAT) */
static doc_node *parse_number(py_parser *p)
{
	rv_token first = p->tok;
	const char *sign = "";
	if (first.kind == TK_OP) {
		sign = is_op(&first, "-") ? "-" : "";
		advance(p);
		if (p->failed)
			return NULL;
		if (p->tok.kind != TK_INT && p->tok.kind != TK_FLOAT) {
			unexpected(p, &first);
			return NULL;
		}
	}
	doc_node *n =
		doc_new(p->a, p->tok.kind == TK_INT ? DOC_INT : DOC_FLOAT, first.line, first.col);
	n->text = *sign ? arena_printf(p->a, "%s%s", sign, p->tok.text) : p->tok.text;
	n->len = strlen(n->text);
	advance(p);
	return n;
}

/* list: '[' [value (',' value)* [',']] ']' */
static doc_node *parse_list(py_parser *p)
{
	rv_token open = p->tok;
	if (!enter(p))
		return NULL;
	advance(p);
	doc_node *list = doc_new(p->a, DOC_LIST, open.line, open.col);
	while (!p->failed && !is_op(&p->tok, "]")) {
		if (p->tok.kind == TK_EOF || is_closer(&p->tok)) {
			close_error(p, &open, "]");
			return NULL;
		}
		doc_node *v = parse_value(p);
		if (!v)
			return NULL;
		doc_push(p->a, list, NULL, v);
		if (is_op(&p->tok, ","))
			advance(p);
		else if (!is_op(&p->tok, "]"))
			close_error(p, &open, "]");
	}
	if (p->failed)
		return NULL;
	advance(p);
	p->depth--;
	return list;
}

/* paren: '(' ')' | '(' value ')' | '(' value ',' [value (',' value)* [',']] ')' */
static doc_node *parse_paren(py_parser *p)
{
	rv_token open = p->tok;
	if (!enter(p))
		return NULL;
	advance(p);
	doc_node *tuple = doc_new(p->a, DOC_LIST, open.line, open.col);
	doc_node *only = NULL;
	bool comma = false;
	while (!p->failed && !is_op(&p->tok, ")")) {
		if (p->tok.kind == TK_EOF || is_closer(&p->tok)) {
			close_error(p, &open, ")");
			return NULL;
		}
		doc_node *v = parse_value(p);
		if (!v)
			return NULL;
		only = v;
		doc_push(p->a, tuple, NULL, v);
		if (is_op(&p->tok, ",")) {
			comma = true;
			advance(p);
		} else if (!is_op(&p->tok, ")")) {
			close_error(p, &open, ")");
		}
	}
	if (p->failed)
		return NULL;
	advance(p);
	p->depth--;
	return tuple->n == 1 && !comma ? only : tuple;
}

/* dict: '{' [value ':' value (',' value ':' value)* [',']] '}' */
static doc_node *parse_dict(py_parser *p)
{
	rv_token open = p->tok;
	if (!enter(p))
		return NULL;
	advance(p);
	doc_node *map = doc_new(p->a, DOC_MAP, open.line, open.col);
	while (!p->failed && !is_op(&p->tok, "}")) {
		if (p->tok.kind == TK_EOF || is_closer(&p->tok)) {
			close_error(p, &open, "}");
			return NULL;
		}
		doc_node *key = parse_value(p);
		if (!key)
			return NULL;
		if (!is_op(&p->tok, ":")) {
			syntax_error(p, &p->tok,
				     arena_printf(p->a,
						  "expected ':' after a dictionary key, found %s",
						  tok_desc(p, &p->tok)));
			return NULL;
		}
		advance(p);
		doc_node *v = parse_value(p);
		if (!v)
			return NULL;
		if (key->kind != DOC_STR)
			diag_error(p->d, key->line, key->col, "dictionary keys must be strings");
		else if (map_find(map, key)) {
			int first = 0;
			for (size_t i = 0; i < map->n; i++)
				if (same_text(map->keys[i], key))
					first = map->keys[i]->line;
			diag_error(p->d, key->line, key->col,
				   "duplicate key '%s' (first at line %d)", key->text, first);
		} else
			doc_push(p->a, map, key, v);
		if (is_op(&p->tok, ","))
			advance(p);
		else if (!is_op(&p->tok, "}"))
			close_error(p, &open, "}");
	}
	if (p->failed)
		return NULL;
	advance(p);
	p->depth--;
	return map;
}

/* args: '(' [arg (',' arg)* [',']] ')'   arg: NAME '=' value | value */
static bool parse_args(py_parser *p, const char *fname, py_args *args)
{
	rv_token open = p->tok;
	if (!enter(p))
		return false;
	advance(p);
	args->pos = NULL;
	args->kw = doc_new(p->a, DOC_MAP, open.line, open.col);
	while (!p->failed && !is_op(&p->tok, ")")) {
		if (p->tok.kind == TK_EOF || is_closer(&p->tok)) {
			close_error(p, &open, ")");
			return false;
		}
		rv_token after = {0};
		if (p->tok.kind == TK_NAME)
			after = lex_peek(&p->lx);
		if (p->tok.kind == TK_NAME && is_op(&after, "=")) {
			doc_node *key = str_node(p, p->tok.text, p->tok.line, p->tok.col, true);
			advance(p);
			advance(p);
			doc_node *v = parse_value(p);
			if (!v)
				return false;
			if (map_find(args->kw, key))
				diag_error(p->d, key->line, key->col,
					   "duplicate keyword argument '%s'", key->text);
			else
				doc_push(p->a, args->kw, key, v);
		} else {
			doc_node *v = parse_value(p);
			if (!v)
				return false;
			if (args->kw->n > 0)
				diag_error(p->d, v->line, v->col,
					   "positional argument follows keyword argument");
			else if (args->pos)
				diag_error(p->d, v->line, v->col,
					   "%s() takes at most one positional argument", fname);
			else
				args->pos = v;
		}
		if (is_op(&p->tok, ","))
			advance(p);
		else if (!is_op(&p->tok, ")"))
			close_error(p, &open, ")");
	}
	if (p->failed)
		return false;
	advance(p);
	p->depth--;
	return true;
}

/* Field(...) and Rule(...): the positional argument under first_key, then the keywords. */
static doc_node *build_simple(py_parser *p, const rv_token *name, const char *call,
			      const char *first_key, const py_args *args)
{
	doc_node *map = doc_new(p->a, DOC_MAP, name->line, name->col);
	map->call = call;
	if (args->pos) {
		doc_node *key = str_node(p, first_key, args->pos->line, args->pos->col, false);
		doc_node *dup = NULL;
		for (size_t i = 0; i < args->kw->n && !dup; i++)
			if (same_text(args->kw->keys[i], key))
				dup = args->kw->keys[i];
		if (dup)
			diag_error(p->d, dup->line, dup->col, "%s() got two values for '%s'", call,
				   first_key);
		doc_push(p->a, map, key, args->pos);
	}
	for (size_t i = 0; i < args->kw->n; i++)
		if (!args->pos || strcmp(args->kw->keys[i]->text, first_key) != 0)
			doc_push(p->a, map, args->kw->keys[i], args->kw->items[i]);
	return map;
}

/* Schema(...): "fields" first, then the keywords; max_invalid=X goes into the table map. */
static doc_node *build_schema(py_parser *p, const rv_token *name, const py_args *args)
{
	doc_node *map = doc_new(p->a, DOC_MAP, name->line, name->col);
	map->call = "Schema";
	doc_node *fields = doc_get(args->kw, "fields");
	if (args->pos) {
		if (fields) {
			for (size_t i = 0; i < args->kw->n; i++)
				if (args->kw->items[i] == fields)
					diag_error(p->d, args->kw->keys[i]->line,
						   args->kw->keys[i]->col,
						   "Schema() got two values for 'fields'");
		}
		doc_push(p->a, map, str_node(p, "fields", args->pos->line, args->pos->col, false),
			 args->pos);
	} else if (fields) {
		for (size_t i = 0; i < args->kw->n; i++)
			if (args->kw->items[i] == fields)
				doc_push(p->a, map, args->kw->keys[i], fields);
	} else {
		diag_error(p->d, name->line, name->col,
			   "Schema() needs the fields dictionary as its first argument");
	}
	doc_node *table = doc_get(args->kw, "table");
	for (size_t i = 0; i < args->kw->n; i++) {
		doc_node *key = args->kw->keys[i], *v = args->kw->items[i];
		if (strcmp(key->text, "fields") == 0)
			continue;
		if (strcmp(key->text, "max_invalid") != 0) {
			doc_push(p->a, map, key, v);
			continue;
		}
		if (!table) {
			table = doc_new(p->a, DOC_MAP, key->line, key->col);
			doc_push(p->a, map, str_node(p, "table", key->line, key->col, false),
				 table);
		} else if (table->kind != DOC_MAP) {
			diag_error(p->d, key->line, key->col,
				   "max_invalid is given, but 'table' is not a dictionary");
			continue;
		} else if (doc_get(table, "max_invalid")) {
			diag_error(p->d, key->line, key->col, "max_invalid is given twice");
			continue;
		}
		doc_push(p->a, table, key, v);
	}
	return map;
}

/* call: NAME args, for NAME one of Schema, Field, Rule */
static doc_node *parse_call(py_parser *p, const rv_token *name)
{
	const char *call = NULL;
	if (in_list(name->text, CALL_NAMES)) {
		call = name->text;
	} else {
		const char *s = suggest(name->text, name->len, CALL_NAMES, 0);
		diag_error(p->d, name->line, name->col, "unknown function '%s'%s%s%s", name->text,
			   s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
	}
	py_args args;
	if (!parse_args(p, call ? call : name->text, &args))
		return NULL;
	if (!call)
		return args.kw; /* an error was reported: the value does not matter */
	if (strcmp(call, "Schema") == 0)
		return build_schema(p, name, &args);
	return build_simple(p, name, strcmp(call, "Field") == 0 ? "Field" : "Rule",
			    strcmp(call, "Field") == 0 ? "type" : "name", &args);
}

/* name: True | False | None | TYPE_NAME | call */
static doc_node *parse_name(py_parser *p)
{
	rv_token name = p->tok;
	if (in_list(name.text, KEYWORDS)) {
		unexpected(p, &name);
		return NULL;
	}
	advance(p);
	if (is_op(&p->tok, "("))
		return parse_call(p, &name);
	if (bad_follow(&p->tok)) {
		unexpected(p, &p->tok);
		return NULL;
	}
	doc_kind kind = DOC_NAME;
	if (strcmp(name.text, "True") == 0 || strcmp(name.text, "False") == 0)
		kind = DOC_BOOL;
	else if (strcmp(name.text, "None") == 0)
		kind = DOC_NULL;
	doc_node *n = doc_new(p->a, kind, name.line, name.col);
	n->text = name.text;
	n->len = name.len;
	n->bval = strcmp(name.text, "True") == 0;
	if (n->kind != DOC_NAME || in_list(name.text, TYPE_NAMES))
		return n;
	if (in_list(name.text, CALL_NAMES)) {
		diag_error(p->d, name.line, name.col, "'%s' must be called, as in %s(...)",
			   name.text, name.text);
		return n;
	}
	const char *s = suggest(name.text, name.len, VALUE_NAMES, 0);
	diag_error(p->d, name.line, name.col, "unknown name '%s'%s%s%s", name.text,
		   s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
	return n;
}

/* value: string | number | list | paren | dict | name, not followed by an operator */
static doc_node *parse_value(py_parser *p)
{
	if (p->failed)
		return NULL;
	doc_node *v = NULL;
	rv_token *t = &p->tok;
	if (t->kind == TK_STR)
		v = parse_string(p);
	else if (t->kind == TK_INT || t->kind == TK_FLOAT || is_op(t, "-") || is_op(t, "+"))
		v = parse_number(p);
	else if (is_op(t, "["))
		v = parse_list(p);
	else if (is_op(t, "("))
		v = parse_paren(p);
	else if (is_op(t, "{"))
		v = parse_dict(p);
	else if (t->kind == TK_NAME)
		v = parse_name(p);
	else if (t->kind == TK_OP)
		unexpected(p, t);
	else
		syntax_error(p, t,
			     arena_printf(p->a, "expected a value, found %s", tok_desc(p, t)));
	if (!v || p->failed)
		return NULL;
	if (bad_follow(&p->tok)) {
		unexpected(p, &p->tok);
		return NULL;
	}
	return v;
}

/* dotted: NAME ('.' NAME)* */
static bool parse_dotted(py_parser *p, const char *where)
{
	for (;;) {
		if (p->tok.kind != TK_NAME) {
			syntax_error(p, &p->tok,
				     arena_printf(p->a, "expected a module name %s, found %s",
						  where, tok_desc(p, &p->tok)));
			return false;
		}
		advance(p);
		if (!is_op(&p->tok, "."))
			return !p->failed;
		advance(p);
		where = "after '.'";
	}
}

/* alias: ['as' NAME] */
static bool parse_alias(py_parser *p)
{
	if (!is_name(&p->tok, "as"))
		return true;
	advance(p);
	if (p->tok.kind != TK_NAME) {
		syntax_error(p, &p->tok,
			     arena_printf(p->a, "expected a name after 'as', found %s",
					  tok_desc(p, &p->tok)));
		return false;
	}
	advance(p);
	return !p->failed;
}

/* import: 'import' dotted alias (',' dotted alias)* */
static bool parse_import(py_parser *p)
{
	advance(p);
	const char *where = "after 'import'";
	for (;;) {
		if (!parse_dotted(p, where) || !parse_alias(p))
			return false;
		if (!is_op(&p->tok, ","))
			return true;
		advance(p);
		where = "after ','";
	}
}

/* import_names: NAME alias (',' NAME alias)* [','] when in parentheses */
static bool parse_import_names(py_parser *p, bool paren)
{
	for (;;) {
		if (p->tok.kind != TK_NAME) {
			syntax_error(p, &p->tok,
				     arena_printf(p->a, "expected a name to import, found %s",
						  tok_desc(p, &p->tok)));
			return false;
		}
		advance(p);
		if (!parse_alias(p))
			return false;
		if (!is_op(&p->tok, ","))
			return true;
		advance(p);
		if (paren && is_op(&p->tok, ")"))
			return true;
	}
}

/* from: 'from' ('.'* dotted | '.'+) 'import' ('*' | '(' import_names ')' | import_names) */
static bool parse_from(py_parser *p)
{
	advance(p);
	bool dots = false;
	while (is_op(&p->tok, ".")) {
		dots = true;
		advance(p);
	}
	if (!dots || (p->tok.kind == TK_NAME && !is_name(&p->tok, "import")))
		if (!parse_dotted(p, "after 'from'"))
			return false;
	if (!is_name(&p->tok, "import")) {
		syntax_error(p, &p->tok,
			     arena_printf(p->a, "expected 'import' after the module name, found %s",
					  tok_desc(p, &p->tok)));
		return false;
	}
	advance(p);
	if (is_op(&p->tok, "*")) {
		advance(p);
		return !p->failed;
	}
	if (!is_op(&p->tok, "("))
		return parse_import_names(p, false);
	rv_token open = p->tok;
	advance(p);
	if (!parse_import_names(p, true))
		return false;
	if (!is_op(&p->tok, ")")) {
		close_error(p, &open, ")");
		return false;
	}
	advance(p);
	return !p->failed;
}

/* assignment: ('schema' | 'rules') '=' value */
static bool parse_assignment(py_parser *p, py_file *f)
{
	rv_token name = p->tok;
	bool schema = strcmp(name.text, "schema") == 0, rules = strcmp(name.text, "rules") == 0;
	if (!schema && !rules)
		diag_error(p->d, name.line, name.col,
			   "only 'schema' and 'rules' may be assigned, not '%s'", name.text);
	else if ((schema && f->schema_seen) || (rules && f->rules_seen))
		diag_error(p->d, name.line, name.col, "'%s' is assigned twice", name.text);
	bool first = (schema && !f->schema_seen) || (rules && !f->rules_seen);
	if (schema)
		f->schema_seen = true;
	if (rules)
		f->rules_seen = true;
	advance(p);
	advance(p);
	doc_node *v = parse_value(p);
	if (!v)
		return false;
	if (!first)
		return true;
	if (schema) {
		if (v->kind == DOC_MAP && v->call && strcmp(v->call, "Schema") == 0)
			f->schema = v;
		else
			diag_error(p->d, v->line, v->col, "'schema' must be assigned Schema(...)");
	} else {
		f->rules_name = name;
		if (v->kind == DOC_LIST)
			f->rules = v;
		else
			diag_error(p->d, v->line, v->col, "'rules' must be a list of Rule(...)");
	}
	return true;
}

/* statement: (import | from | assignment) (NEWLINE | EOF) */
static bool parse_statement(py_parser *p, py_file *f)
{
	rv_token t = p->tok;
	if (t.col != 1) {
		syntax_error(p, &t, "unexpected indent");
		return false;
	}
	bool ok;
	rv_token after = {0};
	if (t.kind == TK_NAME)
		after = lex_peek(&p->lx);
	if (is_name(&t, "import")) {
		ok = parse_import(p);
	} else if (is_name(&t, "from")) {
		ok = parse_from(p);
	} else if (t.kind == TK_NAME && in_list(t.text, KEYWORDS)) {
		syntax_error(p, &t,
			     arena_printf(p->a, "'%s' is not supported in rule files", t.text));
		return false;
	} else if (t.kind == TK_NAME && is_op(&after, "=")) {
		ok = parse_assignment(p, f);
	} else {
		syntax_error(p, &t, "expected 'schema = Schema(...)' or 'rules = [...]'");
		return false;
	}
	if (!ok || p->failed)
		return false;
	if (p->tok.kind == TK_NEWLINE) {
		advance(p);
	} else if (p->tok.kind != TK_EOF) {
		syntax_error(
			p, &p->tok,
			arena_printf(p->a, "expected end of line, found %s", tok_desc(p, &p->tok)));
		return false;
	}
	return !p->failed;
}

/* file: (NEWLINE | statement)* EOF */
doc_node *py_parse_doc(rv_arena *a, const char *src, size_t len, rv_diags *diags)
{
	size_t errors = diags->errors;
	py_parser p = {0};
	p.a = a;
	p.d = diags;
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
		src += 3; /* a UTF-8 byte order mark, as Python allows */
		len -= 3;
	}
	lex_init(&p.lx, a, diags, src, len, false, 1, 1, false);
	advance(&p);
	py_file f = {0};
	while (!p.failed && p.tok.kind != TK_EOF) {
		if (p.tok.kind == TK_NEWLINE)
			advance(&p);
		else if (!parse_statement(&p, &f))
			break;
	}
	if (p.failed)
		return NULL;
	if (!f.schema_seen) {
		diag_error(diags, 1, 1, "the file assigns no 'schema = Schema(...)'");
		return NULL;
	}
	doc_node *root = f.schema;
	if (root && f.rules) {
		if (doc_get(root, "rules"))
			diag_error(
				diags, f.rules_name.line, f.rules_name.col,
				"'rules' is given twice: as a Schema() keyword and as 'rules = [...]'");
		else
			doc_push(a, root,
				 str_node(&p, "rules", f.rules_name.line, f.rules_name.col, true),
				 f.rules);
	}
	return diags->errors > errors ? NULL : root;
}
