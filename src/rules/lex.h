/* lex.h: tokens of the Python-like rule language and of row-rule expressions.
 *
 * One lexer serves the Python-like front end (statements, NEWLINE tokens,
 * comments) and the expression parser (expr_mode: a string from either rule
 * language, where a line end is plain white space). Positions are 1-based
 * lines and columns in code points; an expression lexed from a string maps
 * its positions back into the rule file through base_line/base_col.
 *
 * Newlines inside (), [] and {} are skipped, as in Python. Strings are
 * decoded into the arena ('' "" ''' """ and the r prefix; \\ \' \" \n \r \t
 * \0 \xHH \uXXXX \UXXXXXXXX escapes; an unknown escape keeps its backslash). */
#ifndef RV_LEX_H
#define RV_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util/arena.h"

typedef enum {
	TK_EOF,
	TK_NEWLINE,
	TK_NAME,  /* identifiers and keywords (and, or, not, in, is, True, ...) */
	TK_INT,   /* text: digits, underscores removed */
	TK_FLOAT, /* text: as written, underscores removed */
	TK_STR,   /* text: decoded content */
	TK_OP,    /* text: the operator or bracket, e.g. "(", "<=", "==" */
	TK_ERROR  /* a message was added to diags */
} tok_kind;

typedef struct {
	tok_kind kind;
	int line, col;
	const char *text; /* NUL-terminated */
	size_t len;
	/* TK_STR: where the decoded text starts in the file, when the text is a
	 * verbatim one-line slice of the source (no escapes); 0 otherwise. */
	int text_line, text_col;
	bool raw; /* TK_STR had the r prefix */
} rv_token;

typedef struct {
	const char *src, *p, *end;
	int line, col;
	int depth; /* bracket nesting */
	bool expr_mode;
	bool fixed_pos; /* every token reports base_line/base_col */
	int base_line, base_col;
	rv_arena *arena;
	rv_diags *diags;
} rv_lexer;

/* base_line/base_col: where src[0] stands in the rule file. fixed_pos: the
 * source is not a verbatim slice, so every token is reported there. */
void lex_init(rv_lexer *lx, rv_arena *a, rv_diags *diags, const char *src, size_t len,
	      bool expr_mode, int base_line, int base_col, bool fixed_pos);
rv_token lex_next(rv_lexer *lx);
/* The next token without consuming it. */
rv_token lex_peek(const rv_lexer *lx);
bool tok_is(const rv_token *t, tok_kind kind, const char *text);

#endif
