/* test_expr.c: unit tests for row-rule expressions (rules/expr.c): parsing, precedence and the
 * canonical printed form, static typing, functions and constructors, field references and the
 * exact text and position of every error. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "survives.h"
#include "rules/doc.h"
#include "rules/expr.h"
#include "types.h"
#include "util/arena.h"
#include "util/buf.h"

/* The declared fields every test sees. */
static const char *const NAMES[] = {
	"age",	    "balance", "amount", "name",   "status",	 "start",
	"end_date", "ts",      "t",	 "active", "first name",
};
static const rv_type TYPES[] = {RV_INT,	 RV_FLOAT,    RV_DECIMAL, RV_STR,  RV_STR, RV_DATE,
				RV_DATE, RV_DATETIME, RV_TIME,	  RV_BOOL, RV_STR};
enum { F_AGE, F_BALANCE, F_AMOUNT, F_NAME, F_STATUS, F_START, F_END, F_TS, F_T, F_ACTIVE, F_FIRST };
static const ex_scope SCOPE = {NAMES, TYPES, sizeof(NAMES) / sizeof(NAMES[0])};

typedef struct {
	rv_arena *a;
	rv_diags d;
	rv_buf out;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->a = arena_new();
	diags_init(&f->d, "t.yaml");
	buf_init(&f->out, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	buf_free(&f->out);
	diags_free(&f->d);
	arena_free(f->a);
	free(f);
	return 0;
}

static void reset_diags(fixture *f)
{
	diags_free(&f->d);
	diags_init(&f->d, "t.yaml");
}

/* Compiles src, which must be valid. */
static rv_expr *ok(void **state, const char *src)
{
	fixture *f = *state;
	reset_diags(f);
	rv_expr *e = expr_compile_string(f->a, src, &SCOPE, &f->d);
	if (!e || f->d.n)
		fail_msg("'%s' should compile; got %d:%d %s", src, f->d.n ? f->d.items[0].line : 0,
			 f->d.n ? f->d.items[0].col : 0,
			 f->d.n ? f->d.items[0].msg : "(no message)");
	return e;
}

static const char *print(void **state, const rv_expr *e)
{
	fixture *f = *state;
	buf_reset(&f->out);
	expr_print(&f->out, e);
	return f->out.data ? f->out.data : "";
}

/* src compiles, prints as want, and the printed form compiles and prints the same. */
static void prints(void **state, const char *src, const char *want)
{
	const char *got = print(state, ok(state, src));
	if (strcmp(got, want) != 0)
		fail_msg("'%s' printed as '%s', want '%s'", src, got, want);
	char *again = strdup(want);
	const char *twice = print(state, ok(state, again));
	if (strcmp(twice, want) != 0)
		fail_msg("'%s' printed again as '%s'", want, twice);
	free(again);
}

static void has_type(void **state, const char *src, rv_type t)
{
	rv_expr *e = ok(state, src);
	if (e->type != t)
		fail_msg("'%s' has type %s, want %s", src, type_name(e->type), type_name(t));
}

/* src must fail with exactly one error, at 1:col, with this message. */
static void bad(void **state, const char *src, int col, const char *msg)
{
	fixture *f = *state;
	reset_diags(f);
	rv_expr *e = expr_compile_string(f->a, src, &SCOPE, &f->d);
	if (e)
		fail_msg("'%s' should not compile", src);
	if (f->d.n != 1 || f->d.errors != 1)
		fail_msg("'%s': %zu messages, want 1 (first: %s)", src, f->d.n,
			 f->d.n ? f->d.items[0].msg : "");
	if (strcmp(f->d.items[0].msg, msg) != 0 || f->d.items[0].line != 1 ||
	    f->d.items[0].col != col)
		fail_msg("'%s': got 1:%d '%s', want 1:%d '%s'", src, f->d.items[0].col,
			 f->d.items[0].msg, col, msg);
}

/* ---- precedence and printing ---- */

static void test_arithmetic_precedence(void **state)
{
	prints(state, "1 + 2 * 3", "(1 + (2 * 3))");
	prints(state, "(1 + 2) * 3", "((1 + 2) * 3)");
	prints(state, "1 - 2 - 3", "((1 - 2) - 3)");
	prints(state, "1 - (2 - 3)", "(1 - (2 - 3))");
	prints(state, "age / 2 % 3", "((age / 2) % 3)");
	prints(state, "age * 2 + balance / 4 - 1", "(((age * 2) + (balance / 4)) - 1)");
	prints(state, "-age + 1", "((-age) + 1)");
	prints(state, "-(age + 1)", "(-(age + 1))");
	prints(state, "2 * -age", "(2 * (-age))");
	prints(state, "((age))", "age");
}

static void test_unary_constants_fold(void **state)
{
	prints(state, "-5 + age", "(-5 + age)");
	prints(state, "- -5 + age", "(5 + age)");
	prints(state, "+age", "age");
	prints(state, "-2.5 < balance", "(-2.5 < balance)");
	prints(state, "age > -9223372036854775807", "(age > -9223372036854775807)");
	rv_expr *e = ok(state, "-5");
	assert_int_equal(e->kind, EX_CONST);
	assert_int_equal(e->value.u.i, -5);
	assert_int_equal(e->col, 1);
	e = ok(state, "-amount");
	assert_int_equal(e->kind, EX_NEG);
	assert_int_equal(e->type, RV_DECIMAL);
}

static void test_boolean_precedence(void **state)
{
	prints(state, "active and age > 1 or name == 'x'",
	       "((active and (age > 1)) or (name == 'x'))");
	prints(state, "active or active and active", "(active or (active and active))");
	prints(state, "not active and active", "((not active) and active)");
	prints(state, "not age > 5", "(not (age > 5))");
	prints(state, "not not active", "(not (not active))");
	prints(state, "active and active and active", "((active and active) and active)");
	prints(state, "(active or active) and active", "((active or active) and active)");
	prints(state, "age + 1 > 2 * 3", "((age + 1) > (2 * 3))");
	prints(state, "True or False", "(True or False)");
}

static void test_comparison_chains(void **state)
{
	prints(state, "18 <= age <= 120", "(18 <= age <= 120)");
	prints(state, "1 < 2 < 3 < 4", "(1 < 2 < 3 < 4)");
	prints(state, "age == 1 != balance", "(age == 1 != balance)");
	prints(state, "start <= end_date", "(start <= end_date)");
	rv_expr *e = ok(state, "18 <= age < 120");
	assert_int_equal(e->kind, EX_CMP);
	assert_int_equal(e->type, RV_BOOL);
	assert_int_equal(e->nargs, 3);
	assert_int_equal(e->cmps[0], CMP_LE);
	assert_int_equal(e->cmps[1], CMP_LT);
	assert_int_equal(e->args[1]->kind, EX_FIELD);
	assert_int_equal(e->args[1]->field, F_AGE);
	static const char *const OPS[] = {"==", "!=", "<", "<=", ">", ">="};
	for (int c = CMP_EQ; c <= CMP_GE; c++)
		assert_string_equal(ex_cmp_name((ex_cmp)c), OPS[c]);
}

static void test_in_tuples_and_lists(void **state)
{
	prints(state, "status in ('a', 'b')", "(status in ('a', 'b'))");
	prints(state, "status in ['a', 'b',]", "(status in ('a', 'b'))");
	prints(state, "status in ('a',)", "(status in ('a',))");
	prints(state, "status in ['a']", "(status in ('a',))");
	prints(state, "status not in ('a', 'b')", "(status not in ('a', 'b'))");
	prints(state, "age in (1, 2.5, -3)", "(age in (1, 2.5, -3))");
	prints(state, "not status in ('a',)", "(not (status in ('a',)))");
	rv_expr *e = ok(state, "status in ('a', 'b')");
	assert_int_equal(e->kind, EX_IN);
	assert_false(e->in_str);
	assert_int_equal(e->nargs, 3);
	assert_int_equal(e->type, RV_BOOL);
	e = ok(state, "status not in ['a']");
	assert_int_equal(e->kind, EX_NOT_IN);
	assert_int_equal(e->nargs, 2);
}

/* Python accepts an empty tuple or list after 'in' (always False); the printed form of
 * `x in []` is `(x in ())`, so that must compile too. */
static void test_in_empty_sequence(void **state)
{
	prints(state, "status in [] or active", "((status in ()) or active)");
	rv_expr *e = ok(state, "status not in ()");
	assert_int_equal(e->kind, EX_NOT_IN);
	assert_int_equal(e->nargs, 1);
}

static void test_in_substring(void **state)
{
	prints(state, "'x' in name", "('x' in name)");
	prints(state, "name not in status", "(name not in status)");
	/* a parenthesised string is not a tuple: a substring test, as in Python */
	rv_expr *e = ok(state, "status in ('active')");
	assert_int_equal(e->kind, EX_IN);
	assert_true(e->in_str);
	assert_int_equal(e->nargs, 2);
	assert_string_equal(print(state, e), "(status in 'active')");
}

static void test_is_none(void **state)
{
	prints(state, "age is None", "(age is None)");
	prints(state, "age is not None", "(age is not None)");
	prints(state, "age is None or age > 1", "((age is None) or (age > 1))");
	prints(state, "not age is None", "(not (age is None))");
	rv_expr *e = ok(state, "name is not None");
	assert_int_equal(e->kind, EX_IS_NOT_NONE);
	assert_int_equal(e->type, RV_BOOL);
	assert_int_equal(e->args[0]->field, F_NAME);
	e = ok(state, "None is None");
	assert_int_equal(e->args[0]->kind, EX_NONE);
	assert_int_equal(e->args[0]->type, RV_NONE);
}

static void test_literals_print(void **state)
{
	prints(state, "name == 'it\\'s'", "(name == 'it\\'s')");
	prints(state, "name == \"it's\"", "(name == 'it\\'s')");
	prints(state, "name == 'a' 'b'", "(name == 'ab')");
	prints(state, "name == 'tab\\there'", "(name == 'tab\\there')");
	prints(state, "name == r'\\d'", "(name == '\\\\d')");
	prints(state, "active == True", "(active == True)");
	prints(state, "balance > 2.5", "(balance > 2.5)");
	prints(state, "balance > 1.0", "(balance > 1.0)");
	prints(state, "balance > 1_000", "(balance > 1000)");
	prints(state, "age > 007", "(age > 7)");
	prints(state, "start >= date('2024-01-01')", "(start >= date('2024-01-01'))");
	prints(state, "t < time('12:30')", "(t < time('12:30:00'))");
	prints(state, "t < time('12:30:00.5')", "(t < time('12:30:00.5'))");
}

/* A float literal prints so that it reads back as a float: "100.0", not "1e+02". */
static void test_float_literals_print_plainly(void **state)
{
	prints(state, "balance > 100.0", "(balance > 100.0)");
	prints(state, "balance > 1e3", "(balance > 1000.0)");
	prints(state, "balance < 120.0", "(balance < 120.0)");
}

static void test_datetime_literal(void **state)
{
	rv_expr *e = ok(state, "ts > datetime('2024-01-01T10:00:00+01:00')");
	const rv_expr *c = e->args[1];
	assert_int_equal(c->kind, EX_CONST);
	assert_int_equal(c->type, RV_DATETIME);
	rv_value want;
	assert_true(parse_value(RV_DATETIME, "2024-01-01T09:00:00Z", 20, &want));
	assert_int_equal(value_cmp(&c->value, &want), 0);
	/* the printed form reads back as the same instant */
	char *printed = strdup(print(state, e));
	rv_expr *again = ok(state, printed);
	assert_int_equal(value_cmp(&again->args[1]->value, &want), 0);
	assert_string_equal(print(state, again), printed);
	free(printed);
}

/* ---- fields ---- */

static void test_field_references(void **state)
{
	rv_expr *e = ok(state, "age");
	assert_int_equal(e->kind, EX_FIELD);
	assert_int_equal(e->field, F_AGE);
	assert_int_equal(e->type, RV_INT);
	assert_string_equal(e->name, "age");
	e = ok(state, "row['age']");
	assert_int_equal(e->field, F_AGE);
	assert_int_equal(e->type, RV_INT);
	assert_string_equal(print(state, e), "age");
	e = ok(state, "row['first name']");
	assert_int_equal(e->field, F_FIRST);
	assert_int_equal(e->type, RV_STR);
	assert_string_equal(print(state, e), "row['first name']");
	e = ok(state, "row[\"ts\"]");
	assert_int_equal(e->field, F_TS);
	assert_int_equal(e->type, RV_DATETIME);
}

static void test_undeclared_column(void **state)
{
	rv_expr *e = ok(state, "row['region']");
	assert_int_equal(e->kind, EX_FIELD);
	assert_int_equal(e->field, -1);
	assert_int_equal(e->type, RV_STR);
	assert_string_equal(e->name, "region");
	assert_string_equal(print(state, e), "row['region']");
	prints(state, "row['region'] == 'EU' and len(row['x y']) > 2",
	       "((row['region'] == 'EU') and (len(row['x y']) > 2))");
	bad(state, "row['region'] > 5", 15, "cannot compare str with int");
}

static void test_unknown_fields(void **state)
{
	bad(state, "agee > 1", 1, "unknown field 'agee' (did you mean 'age'?)");
	bad(state, "age > 1 and statsu == 'x'", 13,
	    "unknown field 'statsu' (did you mean 'status'?)");
	bad(state, "region == 'EU'", 1,
	    "unknown field 'region' (a column without a field rule is reached as row['region'])");
	bad(state, "row == 1", 1,
	    "unknown field 'row' (a column without a field rule is reached as row['row'])");
	bad(state, "row[1] == 1", 5, "row[...] takes a column name in quotes");
	bad(state, "row['a' == 1", 9, "expected ']' after row['...'");
}

typedef struct {
	const char *seen[8];
	size_t n;
} walk_ctx;

static void walk(const rv_expr *field, void *ctx)
{
	walk_ctx *c = ctx;
	assert_int_equal(field->kind, EX_FIELD);
	if (c->n < 8)
		c->seen[c->n++] = field->name;
}

static void test_walk_fields(void **state)
{
	walk_ctx c = {{0}, 0};
	expr_walk_fields(ok(state, "age > 1 and age < balance or row['x'] is None"), walk, &c);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.seen[0], "age");
	assert_string_equal(c.seen[1], "age");
	assert_string_equal(c.seen[2], "balance");
	assert_string_equal(c.seen[3], "x");
	c.n = 0;
	expr_walk_fields(ok(state, "1 < 2"), walk, &c);
	assert_int_equal(c.n, 0);
	c.n = 0;
	expr_walk_fields(ok(state, "min(age, len(name)) in (age, 1)"), walk, &c);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.seen[0], "age");
	assert_string_equal(c.seen[1], "name");
	assert_string_equal(c.seen[2], "age");
}

/* ---- typing ---- */

static void test_arithmetic_types(void **state)
{
	has_type(state, "age + 1", RV_INT);
	has_type(state, "age - age * 3 % 2", RV_INT);
	has_type(state, "age / 2", RV_FLOAT); /* true division */
	has_type(state, "4 / 2", RV_FLOAT);
	has_type(state, "age + balance", RV_FLOAT);
	has_type(state, "1.5 * age", RV_FLOAT);
	has_type(state, "balance % 2", RV_FLOAT);
	has_type(state, "amount + 1", RV_DECIMAL);
	has_type(state, "age * amount", RV_DECIMAL);
	has_type(state, "amount / 3", RV_DECIMAL);
	has_type(state, "amount / age", RV_DECIMAL);
	has_type(state, "name + 'x'", RV_STR);
	has_type(state, "name + status + name", RV_STR);
	has_type(state, "-balance", RV_FLOAT);
	has_type(state, "abs(amount)", RV_DECIMAL);
	rv_expr *e = ok(state, "age % 2");
	assert_int_equal(e->kind, EX_ARITH);
	assert_int_equal(e->op, '%');
}

static void test_arithmetic_errors(void **state)
{
	bad(state, "amount + balance", 8, "cannot mix float and decimal in '+'");
	bad(state, "balance * amount", 9, "cannot mix float and decimal in '*'");
	bad(state, "amount - 1.5", 8, "cannot mix float and decimal in '-'");
	bad(state, "name + 1", 6, "unsupported operand types for '+': str and int");
	bad(state, "1 + name", 3, "unsupported operand types for '+': int and str");
	bad(state, "name - name", 6, "unsupported operand types for '-': str and str");
	bad(state, "name * 2", 6, "unsupported operand types for '*': str and int");
	bad(state, "start - end_date", 7, "unsupported operand types for '-': date and date");
	bad(state, "active + 1", 8, "unsupported operand types for '+': bool and int");
	bad(state, "age + None", 5, "unsupported operand types for '+': int and None");
	bad(state, "-name", 1, "unary '-' needs a number, not str");
	bad(state, "+start", 1, "unary '+' needs a number, not date");
	bad(state, "age ** 2", 5, "'**' is not supported in expressions");
	bad(state, "age // 2", 5, "'//' is not supported in expressions");
	bad(state, "name.lower()", 5, "'.' is not supported in expressions");
	bad(state, "name[0] == 'a'", 5, "'[' is not supported in expressions");
}

static void test_comparison_types(void **state)
{
	has_type(state, "age > 1.5", RV_BOOL);
	has_type(state, "amount > 1", RV_BOOL);
	has_type(state, "amount > balance", RV_BOOL);
	has_type(state, "name < 'b'", RV_BOOL);
	has_type(state, "active == False", RV_BOOL);
	has_type(state, "ts >= datetime('2024-01-01T00:00')", RV_BOOL);
	has_type(state, "t >= time('08:00')", RV_BOOL);
	bad(state, "start > '2024-01-01'", 7, "cannot compare date with str");
	bad(state, "'2024-01-01' < start", 14, "cannot compare str with date");
	bad(state, "ts > start", 4, "cannot compare datetime with date");
	bad(state, "active == 1", 8, "cannot compare bool with int");
	bad(state, "age == '1'", 5, "cannot compare int with str");
	bad(state, "1 < age < 'x'", 9, "cannot compare int with str");
	bad(state, "age == None", 5, "compare with None using 'is None' or 'is not None'");
	bad(state, "None != name", 6, "compare with None using 'is None' or 'is not None'");
}

static void test_in_errors(void **state)
{
	bad(state, "status in ('a', 1)", 8, "cannot compare str with int");
	bad(state, "age in (1, None)", 5, "compare with None using 'is None' or 'is not None'");
	bad(state, "age in 'abc'", 5, "'in' needs a tuple or list of values, or two strings");
	bad(state, "name in age", 6, "'in' needs a tuple or list of values, or two strings");
	bad(state, "name in (('a',),)", 6, "nested tuples are not supported after 'in'");
	bad(state, "age in (1, 2) == True", 15,
	    "'in' and 'is' cannot be chained with other comparisons");
	bad(state, "1 < age in (1,)", 9, "'in' and 'is' cannot be chained with other comparisons");
	bad(state, "age is None is None", 13,
	    "'in' and 'is' cannot be chained with other comparisons");
	bad(state, "age is 5", 8, "'is' compares only with None");
	bad(state, "age is not 5", 12, "'is' compares only with None");
	bad(state, "(1, 2)", 1, "a tuple or list is only allowed after 'in'");
	bad(state, "[1] == age", 5, "a tuple or list is only allowed after 'in'");
	bad(state, "age == [1]", 5, "a tuple or list is only allowed after 'in'");
	bad(state, "(1, 2) + 1", 8, "a tuple or list is only allowed after 'in'");
	bad(state, "len((1, 2))", 5, "a tuple or list is only allowed after 'in'");
	bad(state, "[1] in [1]", 5, "a tuple or list is only allowed after 'in'");
}

static void test_boolean_operator_types(void **state)
{
	bad(state, "age and active", 1, "'and' needs a boolean, not int");
	bad(state, "active or name", 11, "'or' needs a boolean, not str");
	bad(state, "not name", 5, "'not' needs a boolean, not str");
	bad(state, "not None", 5, "'not' needs a boolean, not None");
	has_type(state, "active and not active", RV_BOOL);
}

/* ---- functions ---- */

static void test_functions_ok(void **state)
{
	has_type(state, "len(name)", RV_INT);
	has_type(state, "len(row['x'])", RV_INT);
	has_type(state, "lower(name)", RV_STR);
	has_type(state, "upper(name + 'x')", RV_STR);
	has_type(state, "strip(status)", RV_STR);
	has_type(state, "abs(age)", RV_INT);
	has_type(state, "abs(-balance)", RV_FLOAT);
	has_type(state, "min(age, 3)", RV_INT);
	has_type(state, "min(age, 3, 4.5)", RV_FLOAT);
	has_type(state, "max(age, amount)", RV_DECIMAL);
	has_type(state, "max(name, 'a', status)", RV_STR);
	has_type(state, "min(start, end_date)", RV_DATE);
	has_type(state, "max(t, time('09:00'))", RV_TIME);
	has_type(state, "startswith(name, 'a')", RV_BOOL);
	has_type(state, "endswith(name, status)", RV_BOOL);
	has_type(state, "today()", RV_DATE);
	prints(state, "len(strip(name)) > 0", "(len(strip(name)) > 0)");
	prints(state, "min(age, 3, 4) == max(1, 2,)", "(min(age, 3, 4) == max(1, 2))");
	prints(state, "today() > start", "(today() > start)");
	rv_expr *e = ok(state, "upper(name)");
	assert_int_equal(e->kind, EX_CALL);
	assert_int_equal(e->fn, FN_UPPER);
	assert_int_equal(e->nargs, 1);
}

static void test_matches(void **state)
{
	rv_expr *e = ok(state, "matches(name, '^[a-z]+\\\\d$')");
	assert_int_equal(e->kind, EX_CALL);
	assert_int_equal(e->fn, FN_MATCHES);
	assert_int_equal(e->type, RV_BOOL);
	assert_string_equal(e->regex, "^[a-z]+\\d$");
	assert_int_equal(e->regex_line, 1);
	assert_int_equal(e->regex_col, 15);
	e = ok(state, "matches(name, r'\\d+' '$')"); /* concatenated literals are one literal */
	assert_string_equal(e->regex, "\\d+$");
	prints(state, "matches(lower(name), 'x')", "matches(lower(name), 'x')");
	bad(state, "matches(name, status)", 15, "matches() takes the pattern as a literal string");
	bad(state, "matches(name, 'a' + 'b')", 19,
	    "matches() takes the pattern as a literal string");
	bad(state, "matches(age, 'x')", 9, "matches() takes a str, not int");
	bad(state, "matches(name)", 1, "matches() takes 2 arguments");
	bad(state, "matches(name, 'a', 'b')", 1, "matches() takes 2 arguments");
}

static void test_function_errors(void **state)
{
	bad(state, "len()", 1, "len() takes 1 argument");
	bad(state, "len(name, name)", 1, "len() takes 1 argument");
	bad(state, "len(age) > 1", 5, "len() takes a str, not int");
	bad(state, "lower(active)", 7, "lower() takes a str, not bool");
	bad(state, "upper(1)", 7, "upper() takes a str, not int");
	bad(state, "strip(start)", 7, "strip() takes a str, not date");
	bad(state, "abs(name)", 5, "abs() takes a number, not str");
	bad(state, "abs()", 1, "abs() takes 1 argument");
	bad(state, "min(age)", 1, "min() takes at least 2 arguments");
	bad(state, "max()", 1, "max() takes at least 2 arguments");
	bad(state, "min(age, name)", 10, "min() cannot compare int with str");
	bad(state, "max(amount, balance)", 13, "max() cannot compare decimal with float");
	bad(state, "min(start, ts)", 12, "min() cannot compare date with datetime");
	bad(state, "min(None, 1)", 11, "min() cannot compare None with int");
	bad(state, "startswith(name)", 1, "startswith() takes 2 arguments");
	bad(state, "startswith(age, 'a')", 12, "startswith() takes a str, not int");
	bad(state, "endswith(name, 1)", 16, "endswith() takes a str, not int");
	bad(state, "today(1)", 1, "today() takes 0 arguments");
	bad(state, "len > 1", 1, "'len' is a function: call it as len(...)");
	bad(state, "lenn(name) > 1", 1, "unknown function 'lenn' (did you mean 'len'?)");
	bad(state, "foo(name)", 1, "unknown function 'foo'");
	bad(state, "age > 1 and bogus_fn(age, 1)", 13, "unknown function 'bogus_fn'");
}

static void test_constructors(void **state)
{
	rv_expr *e = ok(state, "date('2024-02-29')");
	assert_int_equal(e->kind, EX_CONST);
	assert_int_equal(e->type, RV_DATE);
	assert_int_equal(e->value.type, RV_DATE);
	assert_int_equal(e->value.u.date, 19782);
	e = ok(state, "time('12:30:15')");
	assert_int_equal(e->type, RV_TIME);
	assert_int_equal(e->value.u.t.secs, 45015);
	e = ok(state, "datetime('1970-01-01 00:01Z')");
	assert_int_equal(e->type, RV_DATETIME);
	assert_int_equal(e->value.u.t.secs, 60);
	bad(state, "start > date('2023-02-30')", 14, "'2023-02-30' is not a valid date");
	bad(state, "date('2024-1-5')", 6, "'2024-1-5' is not a valid date");
	bad(state, "date('')", 6, "'' is not a valid date");
	bad(state, "time('24:00')", 6, "'24:00' is not a valid time");
	bad(state, "datetime('2024-01-01')", 10, "'2024-01-01' is not a valid datetime");
	bad(state, "datetime('2024-01-01T10:00+0100')", 10,
	    "'2024-01-01T10:00+0100' is not a valid datetime");
	bad(state, "date(name)", 6, "date() takes a literal string like '2024-01-31'");
	bad(state, "time(1)", 6, "time() takes a literal string like '12:30:00'");
	bad(state, "datetime(1)", 10,
	    "datetime() takes a literal string like '2024-01-31T12:30:00Z'");
	bad(state, "date()", 1, "date() takes 1 argument");
	bad(state, "date('2024-01-01', '2024-01-02')", 1, "date() takes 1 argument");
}

/* today() in a check sets *uses_today; nothing else does. */
static void test_uses_today(void **state)
{
	fixture *f = *state;
	doc_node n = {0};
	n.kind = DOC_STR;
	n.line = n.text_line = 1;
	n.col = n.text_col = 1;
	n.text = "start <= today()";
	n.len = strlen(n.text);
	bool uses = false;
	assert_non_null(expr_compile(f->a, &n, &SCOPE, &f->d, &uses));
	assert_true(uses);
	n.text = "start <= date('2024-01-01')";
	n.len = strlen(n.text);
	uses = false;
	assert_non_null(expr_compile(f->a, &n, &SCOPE, &f->d, &uses));
	assert_false(uses);
	/* an expression that fails does not set it */
	n.text = "today() > 1";
	n.len = strlen(n.text);
	uses = false;
	assert_null(expr_compile(f->a, &n, &SCOPE, &f->d, &uses));
	assert_false(uses);
	/* a NULL flag is allowed */
	n.text = "today() > start";
	n.len = strlen(n.text);
	assert_non_null(expr_compile(f->a, &n, &SCOPE, &f->d, NULL));
	assert_int_equal(f->d.errors, 1);
}

/* ---- syntax errors ---- */

static void test_syntax_errors(void **state)
{
	bad(state, "", 1, "empty expression");
	bad(state, "   ", 4, "empty expression");
	bad(state, "age >", 6, "expression ends too early");
	bad(state, "age > 1 and", 12, "expression ends too early");
	bad(state, "not", 4, "expression ends too early");
	bad(state, "age > 1 )", 9, "unexpected ')' after the expression");
	bad(state, "age > 1 age", 9, "unexpected 'age' after the expression");
	bad(state, "age > 1 'x'", 9, "unexpected string after the expression");
	bad(state, "(age > 1", 9, "expected ')', found end of expression");
	bad(state, "(age > 1 age)", 10, "expected ')', found 'age'");
	bad(state, "len(name name)", 10, "expected ',' or ')', found 'name'");
	bad(state, "age in (1 2)", 11, "expected ')', found '2'");
	bad(state, "age in [1, 2", 13, "expected ',' or ']', found end of expression");
	bad(state, "()", 1, "a tuple or list is only allowed after 'in'");
	bad(state, "age > ,", 7, "unexpected ','");
	bad(state, "and", 1, "unexpected 'and'");
	bad(state, "age if active else 1", 5, "unexpected 'if' after the expression");
	bad(state, "lambda: 1", 1, "unexpected 'lambda'");
	bad(state, "age > 9223372036854775808", 7, "integer literal out of the 64-bit range");
	bad(state, "age = 1", 5, "unexpected '=' after the expression");
}

/* A float literal beyond the double range is not infinity: it fails to compile (printing it
 * crashed rvalid check). */
static void test_float_literal_overflow(void **state)
{
	fixture *f = *state;
	reset_diags(f);
	assert_null(expr_compile_string(f->a, "balance < 1e999", &SCOPE, &f->d));
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->d.items[0].col, 11);
	has_type(state, "balance < 1e308", RV_BOOL);
}

static void test_lexer_errors_are_reported_once(void **state)
{
	bad(state, "name == 'abc", 9, "unterminated string");
	bad(state, "age > 1 # comment", 9, "unexpected character '#'");
	bad(state, "age $ 1", 5, "unexpected character '$'");
	bad(state, "age > 0x1", 7, "malformed number");
}

static void test_one_error_per_expression(void **state)
{
	bad(state, "agee + zzz > '1' and", 1, "unknown field 'agee' (did you mean 'age'?)");
	bad(state, "len(age) + len(start)", 5, "len() takes a str, not int");
}

static void test_nesting_limit(void **state)
{
	char src[512];
	size_t k = 0;
	for (int i = 0; i < 20; i++)
		src[k++] = '(';
	src[k++] = '1';
	for (int i = 0; i < 20; i++)
		src[k++] = ')';
	memcpy(src + k, " == 1", 6);
	has_type(state, src, RV_BOOL);

	k = 0;
	for (int i = 0; i < 200; i++)
		src[k++] = '(';
	src[k++] = '1';
	for (int i = 0; i < 200; i++)
		src[k++] = ')';
	src[k] = '\0';
	fixture *f = *state;
	reset_diags(f);
	assert_null(expr_compile_string(f->a, src, &SCOPE, &f->d));
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.items[0].msg, "expression nested too deeply");

	k = 0;
	for (int i = 0; i < 100; i++) {
		memcpy(src + k, "not ", 4);
		k += 4;
	}
	memcpy(src + k, "active", 7);
	reset_diags(f);
	assert_null(expr_compile_string(f->a, src, &SCOPE, &f->d));
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.items[0].msg, "expression nested too deeply");
}

/* Compiles src; exit status 0 when it failed with exactly one message, or compiled into a tree
 * that prints starting with prefix and walks to one field. */
static int compile_print_walk(const char *src, const char *prefix)
{
	rv_arena *a = arena_new();
	rv_diags d;
	diags_init(&d, "t");
	rv_expr *e = expr_compile_string(a, src, &SCOPE, &d);
	int rc = 0;
	if (!e) {
		rc = d.n == 1 ? 0 : 2;
	} else {
		rv_buf b;
		buf_init(&b, 0);
		expr_print(&b, e);
		walk_ctx c = {{0}, 0};
		expr_walk_fields(e, walk, &c);
		rc = b.data && strncmp(b.data, prefix, strlen(prefix)) == 0 && c.n == 1 ? 0 : 3;
		buf_free(&b);
	}
	diags_free(&d);
	arena_free(a);
	return rc;
}

/* A long run of unary minus signs nests as deeply as it is long (parse_unary recursed once per
 * sign, with no limit). */
static int deep_unary(void)
{
	size_t n = 200000;
	char *src = malloc(2 * n + 16);
	if (!src)
		return 4;
	for (size_t i = 0; i < n; i++)
		memcpy(src + 2 * i, "- ", 2);
	memcpy(src + 2 * n, "age > 1", 8);
	int rc = compile_print_walk(src, "((-(-");
	free(src);
	return rc;
}

static void test_deep_unary(void **state)
{
	(void)state;
	survives("200000 unary minus signs", deep_unary);
}

/* A long flat chain (age + 1 + 1 ...) parses in a loop but makes a tree as deep as the chain is
 * long; printing and walking it recursed once per level. */
static int long_sum(void)
{
	size_t n = 200000;
	char *src = malloc(4 * n + 32);
	if (!src)
		return 4;
	memcpy(src, "age", 3);
	for (size_t i = 0; i < n; i++)
		memcpy(src + 3 + 4 * i, " + 1", 4);
	memcpy(src + 3 + 4 * n, " > 0", 5);
	int rc = compile_print_walk(src, "((((");
	free(src);
	return rc;
}

static int long_and(void)
{
	size_t n = 200000;
	char *src = malloc(7 * n + 32);
	if (!src)
		return 4;
	memcpy(src, "active", 6);
	for (size_t i = 0; i < n; i++)
		memcpy(src + 6 + 7 * i, " or 1<2", 7);
	src[6 + 7 * n] = '\0';
	int rc = compile_print_walk(src, "((((");
	free(src);
	return rc;
}

static void test_long_chains(void **state)
{
	(void)state;
	survives("age + 1 + 1 ... (200000 terms)", long_sum);
	survives("active or 1<2 or ... (200000 terms)", long_and);
}

/* ---- positions in the rule file ---- */

static void test_positions_map_into_the_file(void **state)
{
	fixture *f = *state;
	/* a verbatim one-line string whose text starts at 7:12 */
	doc_node n = {0};
	n.kind = DOC_STR;
	n.line = 7;
	n.col = 11;
	n.text_line = 7;
	n.text_col = 12;
	n.text = "age > 1 and start > 'x'";
	n.len = strlen(n.text);
	reset_diags(f);
	assert_null(expr_compile(f->a, &n, &SCOPE, &f->d, NULL));
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.items[0].line, 7);
	assert_int_equal(f->d.items[0].col, 12 + 18);
	assert_string_equal(f->d.items[0].msg, "cannot compare date with str");
	/* a node's position for a text that is not a slice of the file (escapes, folded lines) */
	n.text_line = n.text_col = 0;
	reset_diags(f);
	assert_null(expr_compile(f->a, &n, &SCOPE, &f->d, NULL));
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.items[0].line, 7);
	assert_int_equal(f->d.items[0].col, 11);
	/* a multi-line expression counts lines from the text's start */
	n.text = "age > 1 and\n  agee > 2";
	n.len = strlen(n.text);
	n.text_line = 3;
	n.text_col = 9;
	reset_diags(f);
	assert_null(expr_compile(f->a, &n, &SCOPE, &f->d, NULL));
	assert_int_equal(f->d.items[0].line, 4);
	assert_int_equal(f->d.items[0].col, 3);
	/* node positions too */
	n.text = "age > 1";
	n.len = strlen(n.text);
	n.text_line = 2;
	n.text_col = 5;
	rv_expr *e = expr_compile(f->a, &n, &SCOPE, &f->d, NULL);
	assert_non_null(e);
	assert_int_equal(e->line, 2);
	assert_int_equal(e->col, 5);
	assert_int_equal(e->args[1]->col, 11);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_arithmetic_precedence),
		T(test_unary_constants_fold),
		T(test_boolean_precedence),
		T(test_comparison_chains),
		T(test_in_tuples_and_lists),
		T(test_in_empty_sequence),
		T(test_in_substring),
		T(test_is_none),
		T(test_literals_print),
		T(test_float_literals_print_plainly),
		T(test_datetime_literal),
		T(test_field_references),
		T(test_undeclared_column),
		T(test_unknown_fields),
		T(test_walk_fields),
		T(test_arithmetic_types),
		T(test_arithmetic_errors),
		T(test_comparison_types),
		T(test_in_errors),
		T(test_boolean_operator_types),
		T(test_functions_ok),
		T(test_matches),
		T(test_function_errors),
		T(test_constructors),
		T(test_uses_today),
		T(test_syntax_errors),
		T(test_float_literal_overflow),
		T(test_lexer_errors_are_reported_once),
		T(test_one_error_per_expression),
		T(test_nesting_limit),
		T(test_positions_map_into_the_file),
		T(test_deep_unary),
		T(test_long_chains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
