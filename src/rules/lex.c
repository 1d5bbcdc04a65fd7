/* lex.c: the lexer shared by the Python-like front end and the expression parser. */
#include "rules/lex.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

void lex_init(rv_lexer *lx, rv_arena *a, rv_diags *diags, const char *src, size_t len,
	      bool expr_mode, int base_line, int base_col, bool fixed_pos)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = lx->p = src;
	lx->end = src + len;
	lx->line = base_line > 0 ? base_line : 1;
	lx->col = base_col > 0 ? base_col : 1;
	lx->base_line = lx->line;
	lx->base_col = lx->col;
	lx->expr_mode = expr_mode;
	lx->fixed_pos = fixed_pos;
	lx->arena = a;
	lx->diags = diags;
}

bool tok_is(const rv_token *t, tok_kind kind, const char *text)
{
	return t->kind == kind && (!text || strcmp(t->text, text) == 0);
}

/* Advances one byte, keeping line and column (columns count code points). */
static void adv(rv_lexer *lx)
{
	unsigned char c = (unsigned char)*lx->p++;
	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		lx->col++;
	}
}

static int cur(const rv_lexer *lx)
{
	return lx->p < lx->end ? (unsigned char)*lx->p : -1;
}

static int at(const rv_lexer *lx, size_t k)
{
	return lx->p + k < lx->end ? (unsigned char)lx->p[k] : -1;
}

static rv_token make(rv_lexer *lx, tok_kind kind, int line, int col, const char *text, size_t len)
{
	rv_token t = {0};
	t.kind = kind;
	t.line = lx->fixed_pos ? lx->base_line : line;
	t.col = lx->fixed_pos ? lx->base_col : col;
	t.text = text;
	t.len = len;
	return t;
}

static rv_token error(rv_lexer *lx, int line, int col, const char *msg, int c)
{
	rv_token t = make(lx, TK_ERROR, line, col, "", 0);
	/* msg holds at most one %c */
	char text[160];
	const char *pct = strstr(msg, "%c");
	if (pct)
		snprintf(text, sizeof(text), "%.*s%c%s", (int)(pct - msg), msg,
			 c >= 0x20 && c < 0x7f ? c : '?', pct + 2);
	else
		snprintf(text, sizeof(text), "%s", msg);
	diag_error(lx->diags, t.line, t.col, "%s", text);
	lx->p = lx->end;
	return t;
}

static bool is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(rv_buf *b, unsigned long cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, s, n);
}

static rv_token lex_string(rv_lexer *lx, int line, int col, bool raw)
{
	int q = cur(lx);
	bool triple = at(lx, 1) == q && at(lx, 2) == q;
	size_t qlen = triple ? 3 : 1;
	for (size_t i = 0; i < qlen; i++)
		adv(lx);
	int text_line = lx->line, text_col = lx->col;
	bool verbatim = true;
	rv_buf b;
	buf_init(&b, 0);
	for (;;) {
		int c = cur(lx);
		if (c < 0 || (!triple && c == '\n')) {
			buf_free(&b);
			return error(lx, line, col, "unterminated string", 0);
		}
		if (c == q && (!triple || (at(lx, 1) == q && at(lx, 2) == q))) {
			for (size_t i = 0; i < qlen; i++)
				adv(lx);
			break;
		}
		if (c == '\n')
			verbatim = false;
		if (c == '\\') {
			int e = at(lx, 1);
			if (raw) {
				/* a raw string keeps the backslash, but \' still does not end it */
				buf_putc(&b, '\\');
				adv(lx);
				if (e == q || e == '\\') {
					buf_putc(&b, (char)e);
					adv(lx);
				}
				continue;
			}
			verbatim = false;
			int eline = lx->line, ecol = lx->col;
			if (e < 0) {
				buf_free(&b);
				return error(lx, line, col, "unterminated string", 0);
			}
			adv(lx);
			adv(lx);
			switch (e) {
			case '\\': buf_putc(&b, '\\'); break;
			case '\'': buf_putc(&b, '\''); break;
			case '"': buf_putc(&b, '"'); break;
			case 'n': buf_putc(&b, '\n'); break;
			case 'r': buf_putc(&b, '\r'); break;
			case 't': buf_putc(&b, '\t'); break;
			case '0': buf_putc(&b, '\0'); break;
			case '\n': break; /* line continuation inside a string */
			case 'x':
			case 'u':
			case 'U': {
				int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
				unsigned long cp = 0;
				for (int i = 0; i < digits; i++) {
					int h = hexval(cur(lx));
					if (h < 0) {
						buf_free(&b);
						return error(lx, eline, ecol,
							     "bad \\%c escape in string", e);
					}
					cp = cp * 16 + (unsigned long)h;
					adv(lx);
				}
				if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
					buf_free(&b);
					return error(lx, eline, ecol,
						     "\\%c escape is not a valid code point", e);
				}
				put_utf8(&b, cp);
				break;
			}
			default:
				buf_putc(&b, '\\');
				buf_putc(&b, (char)e);
				break;
			}
			continue;
		}
		buf_putc(&b, (char)c);
		adv(lx);
	}
	size_t n;
	char *s = buf_detach(&b, &n);
	rv_token t = make(lx, TK_STR, line, col, arena_strndup(lx->arena, s, n), n);
	free(s);
	t.raw = raw;
	if (verbatim && !lx->fixed_pos) {
		t.text_line = text_line;
		t.text_col = text_col;
	}
	return t;
}

static rv_token lex_number(rv_lexer *lx, int line, int col)
{
	bool is_float = false;
	rv_buf b;
	buf_init(&b, 0);
	while (is_digit(cur(lx)) || (cur(lx) == '_' && is_digit(at(lx, 1)))) {
		if (cur(lx) != '_')
			buf_putc(&b, (char)cur(lx));
		adv(lx);
	}
	if (cur(lx) == '.' && (!is_name_start(at(lx, 1)) ||
			       ((at(lx, 1) == 'e' || at(lx, 1) == 'E') &&
				(is_digit(at(lx, 2)) || ((at(lx, 2) == '+' || at(lx, 2) == '-') &&
							 is_digit(at(lx, 3))))))) {
		is_float = true;
		buf_putc(&b, '.');
		adv(lx);
		while (is_digit(cur(lx)) || (cur(lx) == '_' && is_digit(at(lx, 1)))) {
			if (cur(lx) != '_')
				buf_putc(&b, (char)cur(lx));
			adv(lx);
		}
	}
	if ((cur(lx) == 'e' || cur(lx) == 'E') &&
	    (is_digit(at(lx, 1)) ||
	     ((at(lx, 1) == '+' || at(lx, 1) == '-') && is_digit(at(lx, 2))))) {
		is_float = true;
		buf_putc(&b, (char)cur(lx));
		adv(lx);
		if (cur(lx) == '+' || cur(lx) == '-') {
			buf_putc(&b, (char)cur(lx));
			adv(lx);
		}
		while (is_digit(cur(lx))) {
			buf_putc(&b, (char)cur(lx));
			adv(lx);
		}
	}
	if (is_name_start(cur(lx)) || is_digit(cur(lx))) {
		buf_free(&b);
		return error(lx, line, col, "malformed number", 0);
	}
	size_t n;
	char *s = buf_detach(&b, &n);
	rv_token t = make(lx, is_float ? TK_FLOAT : TK_INT, line, col,
			  arena_strndup(lx->arena, s, n), n);
	free(s);
	return t;
}

static const char *const OPS[] = {"**", "//", "==", "!=", "<=", ">=", "->", "(", ")", "[", "]",
				  "{",  "}",  ",",  ":",  ".",  "=",  "+",  "-", "*", "/", "%",
				  "<",  ">",  "@",  "|",  "&",  "^",  "~",  ";", NULL};

rv_token lex_next(rv_lexer *lx)
{
	for (;;) {
		int c = cur(lx);
		if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
			adv(lx);
			continue;
		}
		if (c == '#' && !lx->expr_mode) {
			while (cur(lx) >= 0 && cur(lx) != '\n')
				adv(lx);
			continue;
		}
		if (c == '\\' && (at(lx, 1) == '\n' || (at(lx, 1) == '\r' && at(lx, 2) == '\n'))) {
			if (lx->expr_mode) {
				adv(lx);
				continue;
			}
			return error(
				lx, lx->line, lx->col,
				"'\\' line continuation is not supported; continue lines inside brackets",
				0);
		}
		if (c == '\n') {
			int line = lx->line, col = lx->col;
			adv(lx);
			if (lx->depth > 0 || lx->expr_mode)
				continue;
			return make(lx, TK_NEWLINE, line, col, "\n", 1);
		}
		break;
	}
	int line = lx->line, col = lx->col;
	int c = cur(lx);
	if (c < 0)
		return make(lx, TK_EOF, line, col, "", 0);
	if (c == '\'' || c == '"')
		return lex_string(lx, line, col, false);
	if ((c == 'r' || c == 'R') && (at(lx, 1) == '\'' || at(lx, 1) == '"')) {
		adv(lx);
		return lex_string(lx, line, col, true);
	}
	if ((c == 'u' || c == 'U') && (at(lx, 1) == '\'' || at(lx, 1) == '"')) {
		adv(lx);
		return lex_string(lx, line, col, false);
	}
	if (is_name_start(c)) {
		const char *s = lx->p;
		while (is_name_start(cur(lx)) || is_digit(cur(lx)))
			adv(lx);
		if (cur(lx) == '\'' || cur(lx) == '"')
			return error(lx, line, col,
				     "string prefixes other than r are not supported", 0);
		return make(lx, TK_NAME, line, col,
			    arena_strndup(lx->arena, s, (size_t)(lx->p - s)), (size_t)(lx->p - s));
	}
	if (is_digit(c) || (c == '.' && is_digit(at(lx, 1))))
		return lex_number(lx, line, col);
	for (size_t i = 0; OPS[i]; i++) {
		size_t n = strlen(OPS[i]);
		if ((size_t)(lx->end - lx->p) >= n && memcmp(lx->p, OPS[i], n) == 0) {
			for (size_t k = 0; k < n; k++)
				adv(lx);
			if (n == 1 && strchr("([{", c))
				lx->depth++;
			else if (n == 1 && strchr(")]}", c) && lx->depth > 0)
				lx->depth--;
			return make(lx, TK_OP, line, col, OPS[i], n);
		}
	}
	if (c >= 0x80)
		return error(lx, line, col, "unexpected non-ASCII character outside a string", 0);
	return error(lx, line, col, "unexpected character '%c'", c);
}

rv_token lex_peek(const rv_lexer *lx)
{
	rv_lexer copy = *lx;
	/* a peek must not report errors twice: lex into a scratch list */
	rv_diags scratch;
	diags_init(&scratch, "");
	copy.diags = &scratch;
	rv_token t = lex_next(&copy);
	diags_free(&scratch);
	return t;
}
