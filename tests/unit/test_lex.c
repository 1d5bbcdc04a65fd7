/* test_lex.c: unit tests for the lexer shared by the Python-like front end and the expression
 * parser (rules/lex.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rules/lex.h"
#include "util/arena.h"

typedef struct {
	rv_arena *a;
	rv_diags d;
	rv_lexer lx;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->a = arena_new();
	diags_init(&f->d, "t.py");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	diags_free(&f->d);
	arena_free(f->a);
	free(f);
	return 0;
}

static fixture *fx(void **state)
{
	return *state;
}

static void start_at(void **state, const char *src, bool expr_mode, int line, int col, bool fixed)
{
	fixture *f = fx(state);
	lex_init(&f->lx, f->a, &f->d, src, strlen(src), expr_mode, line, col, fixed);
}

static void start(void **state, const char *src, bool expr_mode)
{
	start_at(state, src, expr_mode, 1, 1, false);
}

static const char *KIND[] = {"EOF", "NEWLINE", "NAME", "INT", "FLOAT", "STR", "OP", "ERROR"};

/* The next token must be of this kind, text (NULL: not checked) and position. */
static rv_token expect(void **state, tok_kind kind, const char *text, int line, int col)
{
	rv_token t = lex_next(&fx(state)->lx);
	if (t.kind != kind)
		fail_msg("token '%s' is %s, want %s '%s' at %d:%d", t.text, KIND[t.kind],
			 KIND[kind], text ? text : "", line, col);
	if (text && (strcmp(t.text, text) != 0 || t.len != strlen(text)))
		fail_msg("token text '%s' (len %zu), want '%s'", t.text, t.len, text);
	if (t.line != line || t.col != col)
		fail_msg("token '%s' at %d:%d, want %d:%d", t.text, t.line, t.col, line, col);
	return t;
}

static void no_diags(void **state)
{
	rv_diags *d = &fx(state)->d;
	if (d->n)
		fail_msg("unexpected message %d:%d: %s", d->items[0].line, d->items[0].col,
			 d->items[0].msg);
}

/* Exactly one error, with this text and position. */
static void one_error(void **state, int line, int col, const char *msg)
{
	rv_diags *d = &fx(state)->d;
	assert_int_equal(d->n, 1);
	assert_int_equal(d->errors, 1);
	assert_int_equal(d->items[0].level, DIAG_ERROR);
	assert_string_equal(d->items[0].msg, msg);
	assert_int_equal(d->items[0].line, line);
	assert_int_equal(d->items[0].col, col);
}

/* Lexes a single string literal and returns it. */
static rv_token str_tok(void **state, const char *src)
{
	start(state, src, false);
	rv_token t = lex_next(&fx(state)->lx);
	if (t.kind != TK_STR)
		fail_msg("%s lexed as %s", src, KIND[t.kind]);
	expect(state, TK_EOF, "", 1, (int)strlen(src) + 1);
	no_diags(state);
	return t;
}

/* ---- tokens ---- */

static void test_names_numbers_ops(void **state)
{
	start(state, "abc _x1 True 42 3.5 'str'", false);
	expect(state, TK_NAME, "abc", 1, 1);
	expect(state, TK_NAME, "_x1", 1, 5);
	expect(state, TK_NAME, "True", 1, 9);
	expect(state, TK_INT, "42", 1, 14);
	expect(state, TK_FLOAT, "3.5", 1, 17);
	expect(state, TK_STR, "str", 1, 21);
	expect(state, TK_EOF, "", 1, 26);
	expect(state, TK_EOF, "", 1, 26); /* EOF repeats */
	no_diags(state);
}

static void test_every_operator(void **state)
{
	static const char *const OPS[] = {
		"**", "//", "==", "!=", "<=", ">=", "->", "(", ")", "[", "]", "{", "}", ",", ":",
		".",  "=",  "+",  "-",	"*",  "/",  "%",  "<", ">", "@", "|", "&", "^", "~", ";",
	};
	char src[256];
	size_t len = 0;
	for (size_t i = 0; i < sizeof(OPS) / sizeof(OPS[0]); i++)
		len += (size_t)snprintf(src + len, sizeof(src) - len, "%s ", OPS[i]);
	start(state, src, true);
	int col = 1;
	for (size_t i = 0; i < sizeof(OPS) / sizeof(OPS[0]); i++) {
		expect(state, TK_OP, OPS[i], 1, col);
		col += (int)strlen(OPS[i]) + 1;
	}
	expect(state, TK_EOF, "", 1, col);
	no_diags(state);
}

static void test_longest_operator_wins(void **state)
{
	start(state, "a<=b<c==d=e!=f", true);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_OP, "<=", 1, 2);
	expect(state, TK_NAME, "b", 1, 4);
	expect(state, TK_OP, "<", 1, 5);
	expect(state, TK_NAME, "c", 1, 6);
	expect(state, TK_OP, "==", 1, 7);
	expect(state, TK_NAME, "d", 1, 9);
	expect(state, TK_OP, "=", 1, 10);
	expect(state, TK_NAME, "e", 1, 11);
	expect(state, TK_OP, "!=", 1, 12);
	expect(state, TK_NAME, "f", 1, 14);
	expect(state, TK_EOF, "", 1, 15);
}

static void test_numbers(void **state)
{
	start(state, "0 007 1_000 1.5 .5 5. 1e5 1E-3 2.5e+10 1_0.2_5 12.", false);
	expect(state, TK_INT, "0", 1, 1);
	expect(state, TK_INT, "007", 1, 3);
	expect(state, TK_INT, "1000", 1, 7);
	expect(state, TK_FLOAT, "1.5", 1, 13);
	expect(state, TK_FLOAT, ".5", 1, 17);
	expect(state, TK_FLOAT, "5.", 1, 20);
	expect(state, TK_FLOAT, "1e5", 1, 23);
	expect(state, TK_FLOAT, "1E-3", 1, 27);
	expect(state, TK_FLOAT, "2.5e+10", 1, 32);
	expect(state, TK_FLOAT, "10.25", 1, 40);
	expect(state, TK_FLOAT, "12.", 1, 48);
	expect(state, TK_EOF, "", 1, 51);
	no_diags(state);
}

static void test_number_then_attribute(void **state)
{
	/* a '.' followed by a name is not part of the number */
	start(state, "1.x", true);
	expect(state, TK_INT, "1", 1, 1);
	expect(state, TK_OP, ".", 1, 2);
	expect(state, TK_NAME, "x", 1, 3);
	/* a '-' is an operator, never part of a number */
	start(state, "-5", true);
	expect(state, TK_OP, "-", 1, 1);
	expect(state, TK_INT, "5", 1, 2);
	no_diags(state);
}

static void test_malformed_numbers(void **state)
{
	static const char *const BAD[] = {"0x10", "1abc", "1__0", "1_", "1e", "12e+", "1.5x", "3j"};
	for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		fixture *f = fx(state);
		diags_free(&f->d);
		diags_init(&f->d, "t.py");
		start(state, BAD[i], false);
		rv_token t = lex_next(&f->lx);
		if (t.kind != TK_ERROR)
			fail_msg("'%s' lexed as %s '%s'", BAD[i], KIND[t.kind], t.text);
		one_error(state, 1, 1, "malformed number");
		assert_int_equal(lex_next(&f->lx).kind, TK_EOF);
	}
}

/* ---- positions ---- */

static void test_positions_lines_and_columns(void **state)
{
	start(state, "a = 1\n  bb == 'x'\n\tc", false);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_OP, "=", 1, 3);
	expect(state, TK_INT, "1", 1, 5);
	expect(state, TK_NEWLINE, "\n", 1, 6);
	expect(state, TK_NAME, "bb", 2, 3);
	expect(state, TK_OP, "==", 2, 6);
	expect(state, TK_STR, "x", 2, 9);
	expect(state, TK_NEWLINE, "\n", 2, 12);
	expect(state, TK_NAME, "c", 3, 2); /* a tab is one column */
	expect(state, TK_EOF, "", 3, 3);
}

static void test_positions_count_code_points(void **state)
{
	/* 'é' is two bytes, one column; '€' three bytes; '😀' four */
	start(state, "'\xc3\xa9' x '\xe2\x82\xac\xf0\x9f\x98\x80' y", false);
	rv_token s = expect(state, TK_STR, "\xc3\xa9", 1, 1);
	assert_int_equal(s.len, 2);
	expect(state, TK_NAME, "x", 1, 5);
	expect(state, TK_STR, "\xe2\x82\xac\xf0\x9f\x98\x80", 1, 7);
	expect(state, TK_NAME, "y", 1, 12);
	no_diags(state);
}

static void test_positions_crlf(void **state)
{
	start(state, "a\r\nb\r\n", false);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_NEWLINE, "\n", 1, 3);
	expect(state, TK_NAME, "b", 2, 1);
	expect(state, TK_NEWLINE, "\n", 2, 3);
	expect(state, TK_EOF, "", 3, 1);
}

static void test_positions_from_base(void **state)
{
	/* an expression that starts at 5:10 of the rule file */
	start_at(state, "a and\n  b", true, 5, 10, false);
	expect(state, TK_NAME, "a", 5, 10);
	expect(state, TK_NAME, "and", 5, 12);
	expect(state, TK_NAME, "b", 6, 3);
	expect(state, TK_EOF, "", 6, 4);
}

static void test_positions_fixed(void **state)
{
	/* fixed_pos: the source is not a verbatim slice, everything reports the base */
	start_at(state, "a  ==\n 'b'", true, 7, 4, true);
	expect(state, TK_NAME, "a", 7, 4);
	expect(state, TK_OP, "==", 7, 4);
	rv_token s = expect(state, TK_STR, "b", 7, 4);
	assert_int_equal(s.text_line, 0);
	assert_int_equal(s.text_col, 0);
	expect(state, TK_EOF, "", 7, 4);
	/* errors, too */
	start_at(state, "a $", true, 7, 4, true);
	expect(state, TK_NAME, "a", 7, 4);
	expect(state, TK_ERROR, "", 7, 4);
	one_error(state, 7, 4, "unexpected character '$'");
}

static void test_base_zero_means_one(void **state)
{
	start_at(state, "x", true, 0, 0, false);
	expect(state, TK_NAME, "x", 1, 1);
}

/* ---- strings ---- */

static void test_string_quotes(void **state)
{
	rv_token t = str_tok(state, "'abc'");
	assert_string_equal(t.text, "abc");
	assert_false(t.raw);
	t = str_tok(state, "\"it's\"");
	assert_string_equal(t.text, "it's");
	t = str_tok(state, "''");
	assert_string_equal(t.text, "");
	assert_int_equal(t.len, 0);
	t = str_tok(state, "'a\"b'");
	assert_string_equal(t.text, "a\"b");
	t = str_tok(state, "u'x'");
	assert_string_equal(t.text, "x");
	assert_int_equal(t.col, 1);
}

static void test_string_escapes(void **state)
{
	rv_token t = str_tok(state, "'\\n\\t\\r\\\\\\'\\\"'");
	assert_string_equal(t.text, "\n\t\r\\'\"");
	t = str_tok(state, "'\\x41\\x7a'");
	assert_string_equal(t.text, "Az");
	t = str_tok(state, "'\\u00e9\\u20AC'");
	assert_string_equal(t.text, "\xc3\xa9\xe2\x82\xac");
	t = str_tok(state, "'\\U0001F600'");
	assert_string_equal(t.text, "\xf0\x9f\x98\x80");
	t = str_tok(state, "'\\U0010FFFF'");
	assert_string_equal(t.text, "\xf4\x8f\xbf\xbf");
	/* an unknown escape keeps its backslash, so regexes survive */
	t = str_tok(state, "'^\\d{6}$'");
	assert_string_equal(t.text, "^\\d{6}$");
	assert_int_equal(t.len, 7);
	/* \0 is a NUL byte inside the text */
	t = str_tok(state, "'a\\0b'");
	assert_int_equal(t.len, 3);
	assert_memory_equal(t.text, "a\0b", 4);
}

static void test_string_line_continuation(void **state)
{
	start(state, "'ab\\\ncd' x", false);
	rv_token t = expect(state, TK_STR, "abcd", 1, 1);
	assert_int_equal(t.text_line, 0);
	expect(state, TK_NAME, "x", 2, 5);
	no_diags(state);
}

static void test_raw_strings(void **state)
{
	rv_token t = str_tok(state, "r'^\\d{6}$'");
	assert_string_equal(t.text, "^\\d{6}$");
	assert_true(t.raw);
	t = str_tok(state, "R'\\n'");
	assert_string_equal(t.text, "\\n");
	assert_true(t.raw);
	/* \' does not end a raw string, and keeps its backslash */
	t = str_tok(state, "r'a\\'b'");
	assert_string_equal(t.text, "a\\'b");
	t = str_tok(state, "r'\\\\'");
	assert_string_equal(t.text, "\\\\");
	t = str_tok(state, "r\"\\\"\"");
	assert_string_equal(t.text, "\\\"");
}

static void test_triple_quoted(void **state)
{
	start(state, "'''a\nb''' x", false);
	rv_token t = expect(state, TK_STR, "a\nb", 1, 1);
	assert_int_equal(t.text_line, 0);
	expect(state, TK_NAME, "x", 2, 6);
	t = str_tok(state, "\"\"\"say \"hi\" 'x'\"\"\"");
	assert_string_equal(t.text, "say \"hi\" 'x'");
	t = str_tok(state, "''''''");
	assert_string_equal(t.text, "");
	t = str_tok(state, "r'''\\d'''");
	assert_string_equal(t.text, "\\d");
	assert_true(t.raw);
}

static void test_string_text_position(void **state)
{
	/* a verbatim one-line string: where its text starts */
	start(state, "x = 'abc'", false);
	expect(state, TK_NAME, "x", 1, 1);
	expect(state, TK_OP, "=", 1, 3);
	rv_token t = expect(state, TK_STR, "abc", 1, 5);
	assert_int_equal(t.text_line, 1);
	assert_int_equal(t.text_col, 6);

	start(state, "\n  r'\\d+'", false);
	expect(state, TK_NEWLINE, "\n", 1, 1);
	t = expect(state, TK_STR, "\\d+", 2, 3);
	assert_int_equal(t.text_line, 2);
	assert_int_equal(t.text_col, 5); /* after r and the quote; raw text is verbatim */

	start(state, "\"\"\"abc\"\"\"", false);
	t = expect(state, TK_STR, "abc", 1, 1);
	assert_int_equal(t.text_line, 1);
	assert_int_equal(t.text_col, 4);

	start(state, "'\xc3\xa9' 'z'", false);
	expect(state, TK_STR, NULL, 1, 1);
	t = expect(state, TK_STR, "z", 1, 5);
	assert_int_equal(t.text_col, 6);

	/* escapes: the text is not a slice of the source */
	start(state, "'a\\tb'", false);
	t = expect(state, TK_STR, "a\tb", 1, 1);
	assert_int_equal(t.text_line, 0);
	assert_int_equal(t.text_col, 0);
	start(state, "'\\x41'", false);
	t = expect(state, TK_STR, "A", 1, 1);
	assert_int_equal(t.text_line, 0);
	/* several lines */
	start(state, "'''a\nb'''", false);
	t = expect(state, TK_STR, "a\nb", 1, 1);
	assert_int_equal(t.text_line, 0);
	assert_int_equal(t.text_col, 0);
	/* in expr_mode too, from the base */
	start_at(state, "x == 'ab'", true, 3, 7, false);
	expect(state, TK_NAME, "x", 3, 7);
	expect(state, TK_OP, "==", 3, 9);
	t = expect(state, TK_STR, "ab", 3, 12);
	assert_int_equal(t.text_line, 3);
	assert_int_equal(t.text_col, 13);
	no_diags(state);
}

static void test_string_errors(void **state)
{
	static const struct {
		const char *src;
		int line, col;
		const char *msg;
	} C[] = {
		{"'abc", 1, 1, "unterminated string"},
		{"x = 'abc\n'", 1, 5, "unterminated string"},
		{"\"abc", 1, 1, "unterminated string"},
		{"'''abc''", 1, 1, "unterminated string"},
		{"'''abc\n\n", 1, 1, "unterminated string"},
		{"'abc\\", 1, 1, "unterminated string"},
		{"r'abc\\'", 1, 1, "unterminated string"},
		{"'\\x4'", 1, 2, "bad \\x escape in string"},
		{"'ab\\xZZ'", 1, 4, "bad \\x escape in string"},
		{"'\\u12'", 1, 2, "bad \\u escape in string"},
		{"'\\U0001F60'", 1, 2, "bad \\U escape in string"},
		{"'\\ud800'", 1, 2, "\\u escape is not a valid code point"},
		{"'\\U00110000'", 1, 2, "\\U escape is not a valid code point"},
		{"b'x'", 1, 1, "string prefixes other than r are not supported"},
		{"f'x'", 1, 1, "string prefixes other than r are not supported"},
		{"rb'x'", 1, 1, "string prefixes other than r are not supported"},
	};
	for (size_t i = 0; i < sizeof(C) / sizeof(C[0]); i++) {
		fixture *f = fx(state);
		diags_free(&f->d);
		diags_init(&f->d, "t.py");
		start(state, C[i].src, false);
		rv_token t;
		do
			t = lex_next(&f->lx);
		while (t.kind != TK_ERROR && t.kind != TK_EOF);
		if (t.kind != TK_ERROR)
			fail_msg("%s: no error", C[i].src);
		if (f->d.n != 1 || strcmp(f->d.items[0].msg, C[i].msg) != 0 ||
		    f->d.items[0].line != C[i].line || f->d.items[0].col != C[i].col)
			fail_msg("%s: got %d:%d '%s', want %d:%d '%s'", C[i].src,
				 f->d.items[0].line, f->d.items[0].col,
				 f->d.n ? f->d.items[0].msg : "", C[i].line, C[i].col, C[i].msg);
		/* the lexer stops at its first error */
		assert_int_equal(lex_next(&f->lx).kind, TK_EOF);
	}
}

/* A span need not be NUL-terminated: an escape's backslash as the last byte must not make the
 * lexer read past the end (found under ASan: it advances over the escape letter first). */
static void test_string_backslash_at_end_of_span(void **state)
{
	fixture *f = fx(state);
	char *src = malloc(5);
	assert_non_null(src);
	memcpy(src, "'abc\\", 5);
	lex_init(&f->lx, f->a, &f->d, src, 5, false, 1, 1, false);
	rv_token t = lex_next(&f->lx);
	assert_int_equal(t.kind, TK_ERROR);
	one_error(state, 1, 1, "unterminated string");
	assert_int_equal(lex_next(&f->lx).kind, TK_EOF);
	free(src);
}

/* ---- newlines, comments, brackets ---- */

static void test_newlines_and_comments(void **state)
{
	start(state, "a # note\n# whole line\nb", false);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_NEWLINE, "\n", 1, 9);
	expect(state, TK_NEWLINE, "\n", 2, 13);
	expect(state, TK_NAME, "b", 3, 1);
	expect(state, TK_EOF, "", 3, 2);
	no_diags(state);
}

static void test_newlines_suppressed_in_brackets(void **state)
{
	start(state, "f(a,\n  b)\n[\n1, # c\n2\n]\n{'k':\n 1}\nx", false);
	expect(state, TK_NAME, "f", 1, 1);
	expect(state, TK_OP, "(", 1, 2);
	expect(state, TK_NAME, "a", 1, 3);
	expect(state, TK_OP, ",", 1, 4);
	expect(state, TK_NAME, "b", 2, 3);
	expect(state, TK_OP, ")", 2, 4);
	expect(state, TK_NEWLINE, "\n", 2, 5);
	expect(state, TK_OP, "[", 3, 1);
	expect(state, TK_INT, "1", 4, 1);
	expect(state, TK_OP, ",", 4, 2);
	expect(state, TK_INT, "2", 5, 1);
	expect(state, TK_OP, "]", 6, 1);
	expect(state, TK_NEWLINE, "\n", 6, 2);
	expect(state, TK_OP, "{", 7, 1);
	expect(state, TK_STR, "k", 7, 2);
	expect(state, TK_OP, ":", 7, 5);
	expect(state, TK_INT, "1", 8, 2);
	expect(state, TK_OP, "}", 8, 3);
	expect(state, TK_NEWLINE, "\n", 8, 4);
	expect(state, TK_NAME, "x", 9, 1);
	expect(state, TK_EOF, "", 9, 2);
	no_diags(state);
}

static void test_nested_brackets_and_stray_closer(void **state)
{
	start(state, "([{\n}]\n)\n)\ny", false);
	expect(state, TK_OP, "(", 1, 1);
	expect(state, TK_OP, "[", 1, 2);
	expect(state, TK_OP, "{", 1, 3);
	expect(state, TK_OP, "}", 2, 1);
	expect(state, TK_OP, "]", 2, 2);
	expect(state, TK_OP, ")", 3, 1);
	expect(state, TK_NEWLINE, "\n", 3, 2);
	/* a stray closer does not make the depth negative */
	expect(state, TK_OP, ")", 4, 1);
	expect(state, TK_NEWLINE, "\n", 4, 2);
	expect(state, TK_NAME, "y", 5, 1);
}

static void test_backslash_continuation(void **state)
{
	/* outside expr_mode: an error that says what to do */
	start(state, "x = 1 + \\\n 2", false);
	expect(state, TK_NAME, "x", 1, 1);
	expect(state, TK_OP, "=", 1, 3);
	expect(state, TK_INT, "1", 1, 5);
	expect(state, TK_OP, "+", 1, 7);
	expect(state, TK_ERROR, "", 1, 9);
	one_error(state, 1, 9,
		  "'\\' line continuation is not supported; continue lines inside brackets");
	assert_int_equal(lex_next(&fx(state)->lx).kind, TK_EOF);
}

static void test_backslash_continuation_crlf(void **state)
{
	start(state, "x \\\r\n y", false);
	expect(state, TK_NAME, "x", 1, 1);
	expect(state, TK_ERROR, "", 1, 3);
	one_error(state, 1, 3,
		  "'\\' line continuation is not supported; continue lines inside brackets");
}

static void test_expr_mode(void **state)
{
	/* a line end is white space, so is a backslash continuation */
	start(state, "a and\nb \\\n or c", true);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_NAME, "and", 1, 3);
	expect(state, TK_NAME, "b", 2, 1);
	expect(state, TK_NAME, "or", 3, 2);
	expect(state, TK_NAME, "c", 3, 5);
	expect(state, TK_EOF, "", 3, 6);
	no_diags(state);
	/* '#' is not a comment in an expression */
	start(state, "a # b", true);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_ERROR, "", 1, 3);
	one_error(state, 1, 3, "unexpected character '#'");
}

static void test_bad_characters(void **state)
{
	start(state, "a $ b", false);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_ERROR, "", 1, 3);
	one_error(state, 1, 3, "unexpected character '$'");
	assert_int_equal(lex_next(&fx(state)->lx).kind, TK_EOF); /* the rest is dropped */
}

static void test_bad_character_non_ascii(void **state)
{
	start(state, "x = \xc3\xa9", false);
	expect(state, TK_NAME, "x", 1, 1);
	expect(state, TK_OP, "=", 1, 3);
	expect(state, TK_ERROR, "", 1, 5);
	one_error(state, 1, 5, "unexpected non-ASCII character outside a string");
}

static void test_bad_character_control(void **state)
{
	start(state, "?", false);
	expect(state, TK_ERROR, "", 1, 1);
	one_error(state, 1, 1, "unexpected character '?'");
	fixture *f = fx(state);
	diags_free(&f->d);
	diags_init(&f->d, "t.py");
	/* a control character is shown as '?' */
	start(state, "\x01", false);
	expect(state, TK_ERROR, "", 1, 1);
	one_error(state, 1, 1, "unexpected character '?'");
	diags_free(&f->d);
	diags_init(&f->d, "t.py");
	/* a NUL byte inside the span is a bad character, not the end */
	lex_init(&f->lx, f->a, &f->d, "a\0b", 3, false, 1, 1, false);
	expect(state, TK_NAME, "a", 1, 1);
	expect(state, TK_ERROR, "", 1, 2);
	one_error(state, 1, 2, "unexpected character '?'");
}

static void test_peek(void **state)
{
	start(state, "a b $", false);
	rv_lexer *lx = &fx(state)->lx;
	rv_token p = lex_peek(lx);
	assert_int_equal(p.kind, TK_NAME);
	assert_string_equal(p.text, "a");
	expect(state, TK_NAME, "a", 1, 1);
	p = lex_peek(lx);
	assert_string_equal(p.text, "b");
	assert_int_equal(p.col, 3);
	expect(state, TK_NAME, "b", 1, 3);
	/* peeking at an error reports nothing; reading it reports once */
	p = lex_peek(lx);
	assert_int_equal(p.kind, TK_ERROR);
	p = lex_peek(lx);
	assert_int_equal(p.kind, TK_ERROR);
	no_diags(state);
	expect(state, TK_ERROR, "", 1, 5);
	one_error(state, 1, 5, "unexpected character '$'");
}

static void test_tok_is(void **state)
{
	start(state, "in (", false);
	rv_token a = lex_next(&fx(state)->lx), b = lex_next(&fx(state)->lx);
	assert_true(tok_is(&a, TK_NAME, "in"));
	assert_true(tok_is(&a, TK_NAME, NULL));
	assert_false(tok_is(&a, TK_NAME, "is"));
	assert_false(tok_is(&a, TK_OP, "in"));
	assert_true(tok_is(&b, TK_OP, "("));
	assert_false(tok_is(&b, TK_OP, ")"));
}

static void test_empty_and_blank_source(void **state)
{
	start(state, "", false);
	expect(state, TK_EOF, "", 1, 1);
	start(state, "  \t \f ", false);
	expect(state, TK_EOF, "", 1, 7);
	start(state, "\n", true);
	expect(state, TK_EOF, "", 2, 1);
	no_diags(state);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_names_numbers_ops),
		T(test_every_operator),
		T(test_longest_operator_wins),
		T(test_numbers),
		T(test_number_then_attribute),
		T(test_malformed_numbers),
		T(test_positions_lines_and_columns),
		T(test_positions_count_code_points),
		T(test_positions_crlf),
		T(test_positions_from_base),
		T(test_positions_fixed),
		T(test_base_zero_means_one),
		T(test_string_quotes),
		T(test_string_escapes),
		T(test_string_line_continuation),
		T(test_raw_strings),
		T(test_triple_quoted),
		T(test_string_text_position),
		T(test_string_errors),
		T(test_string_backslash_at_end_of_span),
		T(test_newlines_and_comments),
		T(test_newlines_suppressed_in_brackets),
		T(test_nested_brackets_and_stray_closer),
		T(test_backslash_continuation),
		T(test_backslash_continuation_crlf),
		T(test_expr_mode),
		T(test_bad_characters),
		T(test_bad_character_non_ascii),
		T(test_bad_character_control),
		T(test_peek),
		T(test_tok_is),
		T(test_empty_and_blank_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
