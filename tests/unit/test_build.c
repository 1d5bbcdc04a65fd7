/* test_build.c: unit tests for rules_compile (rules/ir.c, rules/build.c): document tree -> IR,
 * typing by position, every constraint and setting landing in the IR, the contradictions and
 * unknown keys of SPEC 2.3, error counting, warnings, and twins compiling to equal IR. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rules/expr.h"
#include "rules/ir.h"
#include "types.h"
#include "util/buf.h"

#include "spec_examples.h"

enum { MAX_RS = 64 };

typedef struct {
	rv_diags d;
	rv_ruleset *rs[MAX_RS];
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
	for (size_t i = 0; i < f->n; i++)
		rules_free(f->rs[i]);
	diags_free(&f->d);
	free(f);
	return 0;
}

static rv_diags *diags(void **state)
{
	return &((fixture *)*state)->d;
}

/* Compiles src with fresh diagnostics; the fixture frees the result. */
static rv_ruleset *compile(void **state, rv_syntax syntax, const char *src)
{
	fixture *f = *state;
	diags_free(&f->d);
	diags_init(&f->d, "t");
	const char *path = syntax == SYNTAX_PY ? "rules/t.py" : "rules/t.yaml";
	rv_ruleset *rs = rules_compile(path, src, strlen(src), syntax, &f->d);
	if (rs) {
		assert_true(f->n < MAX_RS);
		f->rs[f->n++] = rs;
	}
	return rs;
}

static void dump_diags(const rv_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_error("  %d:%d: %s%s\n", d->items[i].line, d->items[i].col,
			    d->items[i].level == DIAG_WARNING ? "warning: " : "", d->items[i].msg);
}

/* src compiles with no message at all. */
static rv_ruleset *ok_src(void **state, rv_syntax syntax, const char *src)
{
	rv_ruleset *rs = compile(state, syntax, src);
	if (!rs || diags(state)->n) {
		dump_diags(diags(state));
		fail_msg("the rules should compile without messages");
	}
	return rs;
}

static rv_ruleset *yaml_ok(void **state, const char *src)
{
	return ok_src(state, SYNTAX_YAML, src);
}

static rv_ruleset *py_ok(void **state, const char *src)
{
	return ok_src(state, SYNTAX_PY, src);
}

/* src does not compile. */
static void fails(void **state, rv_syntax syntax, const char *src)
{
	if (compile(state, syntax, src))
		fail_msg("the rules should not compile:\n%s", src);
	assert_true(diags(state)->errors > 0);
}

/* The 1-based column of needle on line `line` of src (its first occurrence there). */
static int col_of(const char *src, int line, const char *needle)
{
	const char *p = src;
	for (int l = 1; l < line; l++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	const char *end = strchr(p, '\n');
	const char *hit = strstr(p, needle);
	if (!hit || (end && hit > end))
		fail_msg("'%s' is not on line %d", needle, line);
	int col = 1;
	for (const char *q = p; q < hit; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			col++;
	return col;
}

/* There is an error (or warning) with exactly this text at line:col (col 0: any). */
static void has_diag(void **state, diag_level level, int line, int col, const char *msg)
{
	const rv_diags *d = diags(state);
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].level == level && strcmp(d->items[i].msg, msg) == 0 &&
		    d->items[i].line == line && (col == 0 || d->items[i].col == col))
			return;
	dump_diags(d);
	fail_msg("no %s at %d:%d: %s", level == DIAG_ERROR ? "error" : "warning", line, col, msg);
}

static void has_error(void **state, int line, int col, const char *msg)
{
	has_diag(state, DIAG_ERROR, line, col, msg);
}

/* src fails with exactly one error, this one. */
static void one_error(void **state, rv_syntax syntax, const char *src, int line, int col,
		      const char *msg)
{
	fails(state, syntax, src);
	if (diags(state)->errors != 1) {
		dump_diags(diags(state));
		fail_msg("%zu errors, want 1: %s", diags(state)->errors, msg);
	}
	has_error(state, line, col, msg);
}

static void yaml_error(void **state, const char *src, int line, int col, const char *msg)
{
	one_error(state, SYNTAX_YAML, src, line, col, msg);
}

static const rv_field_ir *field(const rv_ruleset *rs, const char *name)
{
	int i = rules_field_index(rs, name);
	if (i < 0)
		fail_msg("no field '%s'", name);
	return &rs->fields[i];
}

/* The value as text, for comparisons (str values quoted). */
static const char *vtext(const rv_value *v, char *buf, size_t n)
{
	if (v->type == RV_STR) {
		snprintf(buf, n, "'%.*s'", (int)v->u.s.n, v->u.s.p);
		return buf;
	}
	value_format(v, buf, n);
	return buf;
}

/* The list of values, "a, b, c", compared with want. */
static void values_are(const rv_value *vals, size_t n, rv_type t, const char *want)
{
	char got[512] = "", one[128];
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (vals[i].type != t)
			fail_msg("value %zu has type %s, want %s", i, type_name(vals[i].type),
				 type_name(t));
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", i ? ", " : "",
					vtext(&vals[i], one, sizeof(one)));
	}
	if (strcmp(got, want) != 0)
		fail_msg("values [%s], want [%s]", got, want);
}

static void bound_is(const rv_bound *b, rv_type t, const char *text, const char *iso)
{
	assert_true(b->set);
	assert_int_equal(b->v.type, t);
	assert_string_equal(b->text, text);
	rv_value want;
	if (!parse_value(t, iso, strlen(iso), &want))
		fail_msg("bad test value %s", iso);
	if (value_cmp(&b->v, &want) != 0)
		fail_msg("bound '%s' is not %s", text, iso);
}

/* a/b == num/den, exactly. */
static void ratio_is(rv_ratio r, uint64_t num, uint64_t den)
{
	assert_true(r.den > 0);
	if (r.num * den != num * r.den)
		fail_msg("ratio %llu/%llu, want %llu/%llu", (unsigned long long)r.num,
			 (unsigned long long)r.den, (unsigned long long)num,
			 (unsigned long long)den);
}

static const char *printed(const rv_expr *e, rv_buf *b)
{
	buf_reset(b);
	expr_print(b, e);
	return b->data;
}

/* ---- typing by position ---- */

static void test_yaml_str_values_stay_text(void **state)
{
	rv_ruleset *rs =
		yaml_ok(state, "fields:\n"
			       "  country: {type: str, enum: [US, NO, 01, 1e6, yes, null, Off, "
			       "'x', \"y\"]}\n");
	const rv_field_ir *f = field(rs, "country");
	assert_true(f->has_enum);
	values_are(f->enum_vals, f->n_enum, RV_STR,
		   "'US', 'NO', '01', '1e6', 'yes', 'null', 'Off', 'x', 'y'");
	/* a field with no type is str, too */
	rs = yaml_ok(state, "fields:\n  c: {not_in: [NO, 007]}\n");
	values_are(field(rs, "c")->not_in_vals, field(rs, "c")->n_not_in, RV_STR, "'NO', '007'");
}

static void test_yaml_typed_values(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "fields:\n"
					"  level: {type: int, enum: [1, 02, -3]}\n"
					"  ratio: {type: float, min: 0, max: 1e6}\n"
					"  flag: {type: bool, enum: [true, FALSE, 1]}\n"
					"  price: {type: decimal, min: '0.10', "
					"max: 99999999999999999999.99}\n"
					"  born: {type: date, min: 2020-01-01, max: '2030-12-31'}\n"
					"  seen: {type: datetime, max: 2100-01-01T00:00:00Z}\n"
					"  opens: {type: time, min: '06:00', max: 22:00:30}\n");
	const rv_field_ir *f = field(rs, "level");
	assert_int_equal(f->type, RV_INT);
	values_are(f->enum_vals, f->n_enum, RV_INT, "1, 2, -3");
	f = field(rs, "ratio");
	assert_int_equal(f->type, RV_FLOAT);
	bound_is(&f->min, RV_FLOAT, "0", "0");
	bound_is(&f->max, RV_FLOAT, "1e6", "1000000");
	f = field(rs, "flag");
	values_are(f->enum_vals, f->n_enum, RV_BOOL, "true, false, true");
	f = field(rs, "price");
	bound_is(&f->min, RV_DECIMAL, "0.10", "0.1");
	bound_is(&f->max, RV_DECIMAL, "99999999999999999999.99", "99999999999999999999.990");
	f = field(rs, "born");
	bound_is(&f->min, RV_DATE, "2020-01-01", "2020-01-01");
	bound_is(&f->max, RV_DATE, "2030-12-31", "2030-12-31");
	f = field(rs, "seen");
	bound_is(&f->max, RV_DATETIME, "2100-01-01T00:00:00Z", "2100-01-01T00:00");
	f = field(rs, "opens");
	bound_is(&f->min, RV_TIME, "06:00", "06:00");
	bound_is(&f->max, RV_TIME, "22:00:30", "22:00:30");
}

static void test_py_typed_values(void **state)
{
	rv_ruleset *rs = py_ok(state, "schema = Schema({\n"
				      "    'level': Field(int, enum=[1, 2, -3], min=-5),\n"
				      "    'ratio': Field(float, min=0, max=1.5),\n"
				      "    'price': Field(decimal, min='0.10', max=2.5),\n"
				      "    'flag': Field(bool, enum=[True, False]),\n"
				      "    'born': Field(date, min='2020-01-01'),\n"
				      "    'code': Field(str, enum=['NO', '01']),\n"
				      "})\n");
	const rv_field_ir *f = field(rs, "level");
	values_are(f->enum_vals, f->n_enum, RV_INT, "1, 2, -3");
	bound_is(&f->min, RV_INT, "-5", "-5");
	f = field(rs, "ratio");
	bound_is(&f->min, RV_FLOAT, "0", "0");
	bound_is(&f->max, RV_FLOAT, "1.5", "1.5");
	f = field(rs, "price");
	bound_is(&f->min, RV_DECIMAL, "0.10", "0.1");
	bound_is(&f->max, RV_DECIMAL, "2.5", "2.50");
	f = field(rs, "flag");
	values_are(f->enum_vals, f->n_enum, RV_BOOL, "true, false");
	f = field(rs, "born");
	bound_is(&f->min, RV_DATE, "2020-01-01", "2020-01-01");
	f = field(rs, "code");
	values_are(f->enum_vals, f->n_enum, RV_STR, "'NO', '01'");
}

static void test_typing_errors(void **state)
{
	const char *src = "fields:\n  level: {type: int, enum: ['1']}\n";
	yaml_error(state, src, 2, col_of(src, 2, "'1'"), "enum value must be an int, not a string");
	src = "fields:\n  level: {type: int, enum: [1.5]}\n";
	yaml_error(state, src, 2, col_of(src, 2, "1.5"), "enum value: '1.5' is not a valid int");
	src = "fields:\n  age: {type: int, min: 18.0}\n";
	yaml_error(state, src, 2, col_of(src, 2, "18.0"), "min: '18.0' is not a valid int");
	src = "fields:\n  flag: {type: bool, enum: [yes]}\n";
	yaml_error(state, src, 2, col_of(src, 2, "yes"), "enum value: 'yes' is not a valid bool");
	src = "fields:\n  d: {type: date, min: 2023-02-30}\n";
	yaml_error(state, src, 2, col_of(src, 2, "2023"), "min: '2023-02-30' is not a valid date");
	src = "fields:\n  d: {type: date, max: [2023-01-01]}\n";
	yaml_error(state, src, 2, col_of(src, 2, "["), "max must be a date, not a list");
	src = "schema = Schema({'code': Field(str, enum=[1])})\n";
	one_error(state, SYNTAX_PY, src, 1, col_of(src, 1, "1]"),
		  "enum value must be a str, not an integer");
	src = "schema = Schema({'age': Field(int, min=18.0)})\n";
	one_error(state, SYNTAX_PY, src, 1, col_of(src, 1, "18.0"),
		  "min: '18.0' is not a valid int");
}

/* A float bound beyond the double range is no number (SPEC 2.3: no inf); it compiled, and the
 * graph then crashed formatting it. */
static void test_float_bound_overflow(void **state)
{
	const char *src = "fields:\n  balance: {type: float, max: 1e999}\n";
	yaml_error(state, src, 2, col_of(src, 2, "1e999"), "max: '1e999' is not a valid float");
}

static void test_flags_accept_only_booleans(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "fields:\n  a: {required: True, unique: false}\n");
	assert_true(field(rs, "a")->required);
	assert_false(field(rs, "a")->unique);
	const char *src = "fields:\n  a: {required: yes}\n";
	yaml_error(state, src, 2, col_of(src, 2, "yes"),
		   "required must be true or false, not 'yes'");
	src = "fields:\n  a: {unique: 1}\n";
	yaml_error(state, src, 2, col_of(src, 2, "1}"), "unique must be true or false, not '1'");
	src = "fields:\n  a: {required: 'true'}\n";
	yaml_error(state, src, 2, col_of(src, 2, "'true'"),
		   "required must be true or false, not the string 'true' (remove the quotes)");
	src = "csv: {header: no}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "no"), "header must be true or false, not 'no'");
	src = "schema = Schema({'a': Field(str, required=1)})\n";
	one_error(state, SYNTAX_PY, src, 1, col_of(src, 1, "1)"),
		  "required must be True or False, not '1'");
}

/* ---- every constraint lands in the IR ---- */

static const char EVERY[] =
	"fields:\n"
	"  age: {type: int, required: true, min: 18, max: 120, severity: warn, message: bad age,\n"
	"        mostly: 0.99}\n"
	"  score: {type: float, exclusive_min: 0, exclusive_max: 1}\n"
	"  code: {type: str, min_length: 3, max_length: 8, pattern: '[A-Z]+\\d', ignore_case: "
	"true,\n"
	"         enum: [ab, cd], not_in: [zz], unique: true}\n"
	"  born: {type: date, format: '%d/%m/%Y'}\n"
	"  country: {references: {file: countries.csv, column: code}}\n"
	"  plain:\n";

static void test_every_constraint_in_ir(void **state)
{
	rv_ruleset *rs = yaml_ok(state, EVERY);
	assert_int_equal(rs->n_fields, 6);
	const rv_field_ir *f = &rs->fields[0];
	assert_string_equal(f->name, "age");
	assert_int_equal(f->pos.line, 2);
	assert_int_equal(f->pos.col, 3);
	assert_int_equal(f->type, RV_INT);
	assert_true(f->required);
	bound_is(&f->min, RV_INT, "18", "18");
	assert_int_equal(f->min.pos.line, 2);
	assert_int_equal(f->min.pos.col, col_of(EVERY, 2, "18"));
	bound_is(&f->max, RV_INT, "120", "120");
	assert_false(f->xmin.set);
	assert_false(f->xmax.set);
	assert_int_equal(f->severity, SEV_WARN);
	assert_string_equal(f->message, "bad age");
	assert_true(f->has_mostly);
	assert_int_equal(f->mostly.num, 99); /* an exact ratio, not a double */
	assert_int_equal(f->mostly.den, 100);
	assert_string_equal(f->mostly_text, "0.99");
	assert_int_equal(f->min_length, -1);
	assert_int_equal(f->max_length, -1);
	assert_null(f->pattern);
	assert_false(f->has_enum);
	assert_false(f->unique);
	assert_null(f->ref_file);

	f = &rs->fields[1];
	assert_int_equal(f->type, RV_FLOAT);
	assert_false(f->min.set);
	assert_false(f->max.set);
	bound_is(&f->xmin, RV_FLOAT, "0", "0");
	bound_is(&f->xmax, RV_FLOAT, "1", "1");
	assert_int_equal(f->severity, SEV_ERROR);
	assert_null(f->message);
	assert_false(f->has_mostly);

	f = &rs->fields[2];
	assert_int_equal(f->type, RV_STR);
	assert_int_equal(f->min_length, 3);
	assert_int_equal(f->max_length, 8);
	assert_string_equal(f->pattern, "[A-Z]+\\d");
	assert_true(f->pattern_exact);
	assert_int_equal(f->pattern_pos.line, 5);
	assert_int_equal(f->pattern_pos.col, col_of(EVERY, 5, "[A-Z]"));
	assert_true(f->ignore_case);
	assert_true(f->has_enum);
	values_are(f->enum_vals, f->n_enum, RV_STR, "'ab', 'cd'");
	assert_true(f->has_not_in);
	values_are(f->not_in_vals, f->n_not_in, RV_STR, "'zz'");
	assert_true(f->unique);
	assert_int_equal(f->format, STRFMT_NONE);

	f = &rs->fields[3];
	assert_int_equal(f->type, RV_DATE);
	assert_string_equal(f->dt_format, "%d/%m/%Y");
	assert_non_null(f->dtfmt);
	assert_int_equal(f->dtfmt->n, 5);
	rv_value v;
	assert_true(dtfmt_parse(f->dtfmt, RV_DATE, "29/02/2024", 10, &v));
	assert_int_equal(v.u.date, 19782);

	f = &rs->fields[4];
	assert_int_equal(f->type, RV_STR);
	assert_string_equal(f->ref_file, "countries.csv");
	assert_string_equal(f->ref_column, "code");
	assert_int_equal(f->ref_pos.line, 8);
	assert_int_equal(f->ref_pos.col, col_of(EVERY, 8, "countries"));

	f = &rs->fields[5];
	assert_string_equal(f->name, "plain");
	assert_int_equal(f->type, RV_STR);
	assert_false(f->required || f->unique || f->has_enum || f->has_not_in || f->min.set);
	assert_int_equal(f->min_length, -1);
	assert_null(f->pattern);
	assert_null(f->dt_format);
	assert_int_equal(rules_field_index(rs, "plain"), 5);
	assert_int_equal(rules_field_index(rs, "nope"), -1);
}

static void test_string_formats(void **state)
{
	static const struct {
		const char *name;
		rv_strformat f;
	} F[] = {{"email", STRFMT_EMAIL},  {"uri", STRFMT_URI},	  {"uuid", STRFMT_UUID},
		 {"ipv4", STRFMT_IPV4},	   {"ipv6", STRFMT_IPV6}, {"hex", STRFMT_HEX},
		 {"base64", STRFMT_BASE64}};
	for (size_t i = 0; i < sizeof(F) / sizeof(F[0]); i++) {
		char src[128];
		snprintf(src, sizeof(src), "fields:\n  x: {type: str, format: %s}\n", F[i].name);
		rv_ruleset *rs = yaml_ok(state, src);
		assert_int_equal(rs->fields[0].format, F[i].f);
		assert_string_equal(strformat_name(F[i].f), F[i].name);
		assert_null(rs->fields[0].dt_format);
	}
	const char *src = "fields:\n  x: {format: e-mail}\n";
	yaml_error(state, src, 2, col_of(src, 2, "e-mail"),
		   "unknown format 'e-mail' (did you mean 'email'?)");
	src = "fields:\n  x: {format: zzzzzzzz}\n";
	yaml_error(state, src, 2, col_of(src, 2, "zzzz"),
		   "unknown format 'zzzzzzzz' (use email, uri, uuid, ipv4, ipv6, hex or base64)");
}

static void test_date_time_formats(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "fields:\n"
					"  d: {type: date, format: '%Y%j'}\n"
					"  dt: {type: datetime, format: '%d %b %Y %H:%M:%S.%f%z'}\n"
					"  t: {type: time, format: '%H%M'}\n");
	assert_string_equal(field(rs, "d")->dt_format, "%Y%j");
	assert_string_equal(field(rs, "dt")->dt_format, "%d %b %Y %H:%M:%S.%f%z");
	assert_string_equal(field(rs, "t")->dt_format, "%H%M");
	assert_int_equal(field(rs, "t")->format, STRFMT_NONE);
	const char *src = "fields:\n  d: {type: date, format: '%d/%m/%y'}\n";
	yaml_error(state, src, 2, col_of(src, 2, "'%d"),
		   "unknown directive '%y' in format (use %Y %m %d %H %M %S %f %z %j %b %%)");
	src = "fields:\n  t: {type: time, format: '%H:%M.%f'}\n";
	yaml_error(state, src, 2, col_of(src, 2, "'%H"), "'%f' needs '%S'");
}

/* "format does not apply to a int field" reads wrong: every other message says "an int". */
static void test_format_on_other_types(void **state)
{
	const char *src = "fields:\n  n: {type: int, format: email}\n";
	yaml_error(state, src, 2, col_of(src, 2, "format"),
		   "format does not apply to an int field");
	src = "fields:\n  n: {type: float, format: email}\n";
	yaml_error(state, src, 2, col_of(src, 2, "format"),
		   "format does not apply to a float field");
}

static void test_mostly(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "fields:\n  a: {mostly: 1}\n  b: {mostly: .5}\n"
					"  c: {mostly: 0.999999}\n");
	ratio_is(field(rs, "a")->mostly, 1, 1);
	ratio_is(field(rs, "b")->mostly, 1, 2);
	ratio_is(field(rs, "c")->mostly, 999999, 1000000);
	assert_string_equal(field(rs, "b")->mostly_text, ".5");
	rs = py_ok(state,
		   "schema = Schema({'a': Field(str, mostly=0.95), 'b': Field(str, mostly=1)})\n");
	ratio_is(field(rs, "a")->mostly, 95, 100);
	ratio_is(field(rs, "b")->mostly, 1, 1);
	static const char *const BAD[] = {"0", "0.0", "1.5", "2", "-0.5", "1e-2", "abc", "95%"};
	for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		char src[96], msg[128];
		snprintf(src, sizeof(src), "fields:\n  a: {mostly: %s}\n", BAD[i]);
		snprintf(msg, sizeof(msg),
			 "mostly must be a number above 0 and at most 1, not '%s'", BAD[i]);
		yaml_error(state, src, 2, col_of(src, 2, BAD[i]), msg);
	}
}

static void test_severity_and_message(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "fields:\n  a: {severity: error}\n  b: {severity: warn}\n"
					"  c: {message: 'say \"why\"'}\n");
	assert_int_equal(field(rs, "a")->severity, SEV_ERROR);
	assert_int_equal(field(rs, "b")->severity, SEV_WARN);
	assert_string_equal(field(rs, "c")->message, "say \"why\"");
	const char *src = "fields:\n  a: {severity: warning}\n";
	yaml_error(state, src, 2, col_of(src, 2, "warning"),
		   "unknown severity 'warning' (did you mean 'warn'?)");
	src = "fields:\n  a: {severity: fatal}\n";
	yaml_error(state, src, 2, col_of(src, 2, "fatal"),
		   "unknown severity 'fatal' (use error or warn)");
}

static void test_references(void **state)
{
	const char *src = "fields:\n  c: {references: {file: x.csv}}\n";
	yaml_error(state, src, 2, col_of(src, 2, "{file"), "references needs both file and column");
	src = "fields:\n  c: {references: {file: x.csv, col: code}}\n";
	fails(state, SYNTAX_YAML, src);
	has_error(state, 2, col_of(src, 2, "col:"),
		  "unknown references key 'col' (did you mean 'column'?)");
	src = "fields:\n  c: {references: x.csv}\n";
	yaml_error(state, src, 2, col_of(src, 2, "x.csv"),
		   "references must be a mapping, not a scalar");
}

static void test_ignore_case_only_on_str(void **state)
{
	const char *src = "fields:\n  n: {type: int, ignore_case: true}\n";
	yaml_error(state, src, 2, col_of(src, 2, "true"), "ignore_case applies only to str fields");
	rv_ruleset *rs = yaml_ok(state, "fields:\n  n: {type: int, ignore_case: false}\n");
	assert_false(rs->fields[0].ignore_case);
}

static void test_patterns(void **state)
{
	/* the pattern is checked for ignore_case given after it, too */
	rv_ruleset *rs = yaml_ok(state, "fields:\n  a: {pattern: 'x+', ignore_case: true}\n");
	assert_true(rs->fields[0].ignore_case);
	assert_string_equal(rs->fields[0].pattern, "x+");
	/* an error points into the pattern */
	const char *src = "fields:\n  a: {pattern: 'ab(c'}\n";
	fails(state, SYNTAX_YAML, src);
	assert_int_equal(diags(state)->errors, 1);
	const rv_diag *g = &diags(state)->items[0];
	assert_int_equal(g->line, 2);
	assert_int_equal(g->col, col_of(src, 2, "ab(c") + 4);
	assert_non_null(strstr(g->msg, "invalid pattern: "));
	assert_non_null(strstr(g->msg, "(at offset 4)"));
	/* a double-quoted pattern with an escape is not a verbatim slice: its node position */
	src = "fields:\n  a: {pattern: \"\\t(\"}\n";
	fails(state, SYNTAX_YAML, src);
	assert_int_equal(diags(state)->items[0].col, col_of(src, 2, "\"\\t"));
	rs = yaml_ok(state, "fields:\n  a: {pattern: \"\\t+\"}\n");
	assert_false(rs->fields[0].pattern_exact);
}

/* ---- csv dialect and columns ---- */

static void test_csv_defaults(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "fields:\n  a:\n");
	const rv_dialect *c = &rs->csv;
	assert_int_equal(c->delimiter, ',');
	assert_int_equal(c->quote, '"');
	assert_int_equal(c->escape, 0);
	assert_int_equal(c->comment, 0);
	assert_true(c->header);
	assert_int_equal(c->n_null, 1);
	assert_string_equal(c->null_values[0], "");
	assert_int_equal(c->encoding, ENC_UTF8);
	assert_int_equal(c->skip_lines, 0);
	assert_false(c->delimiter_set || c->quote_set || c->escape_set || c->comment_set ||
		     c->header_set || c->null_set || c->encoding_set || c->skip_lines_set);
	assert_int_equal(rs->columns, COLS_ANY);
	assert_int_equal(rs->version, 1);
	assert_null(rs->name);
	assert_null(rs->description);
	assert_int_equal(rs->n_rules, 0);
	assert_false(rs->table.has_rows_min || rs->table.has_rows_max || rs->table.max_invalid.set);
	assert_int_equal(rs->table.n_unique, 0);
	assert_int_equal(rs->table.n_aggs, 0);
	assert_false(rs->uses_today);
	assert_string_equal(rs->path, "rules/t.yaml");
	assert_string_equal(rs->dir, "rules");
}

static void test_csv_settings(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "csv:\n"
					"  delimiter: ';'\n"
					"  quote: \"'\"\n"
					"  escape: '\\'\n"
					"  comment: '#'\n"
					"  header: false\n"
					"  null_values: [NA, '', n/a]\n"
					"  encoding: Latin-1\n"
					"  skip_lines: 2\n"
					"fields:\n  a:\n");
	const rv_dialect *c = &rs->csv;
	assert_int_equal(c->delimiter, ';');
	assert_int_equal(c->quote, '\'');
	assert_int_equal(c->escape, '\\');
	assert_int_equal(c->comment, '#');
	assert_false(c->header);
	assert_int_equal(c->n_null, 3);
	assert_string_equal(c->null_values[0], "NA");
	assert_string_equal(c->null_values[1], "");
	assert_string_equal(c->null_values[2], "n/a");
	assert_int_equal(c->encoding, ENC_LATIN1);
	assert_int_equal(c->skip_lines, 2);
	assert_true(c->delimiter_set && c->quote_set && c->escape_set && c->comment_set &&
		    c->header_set && c->null_set && c->encoding_set && c->skip_lines_set);
	/* one setting sets one flag */
	rs = yaml_ok(state, "csv: {header: true}\nfields:\n  a:\n");
	assert_true(rs->csv.header_set);
	assert_true(rs->csv.header);
	assert_false(rs->csv.delimiter_set || rs->csv.quote_set || rs->csv.null_set);
	/* an empty quote turns quoting off, and says so */
	rs = yaml_ok(state, "csv: {quote: '', null_values: []}\nfields:\n  a:\n");
	assert_int_equal(rs->csv.quote, 0);
	assert_true(rs->csv.quote_set);
	assert_int_equal(rs->csv.n_null, 0);
	assert_true(rs->csv.null_set);
}

static void test_csv_encodings(void **state)
{
	static const struct {
		const char *name;
		rv_encoding e;
	} E[] = {
		{"utf-8", ENC_UTF8},	      {"UTF8", ENC_UTF8},	  {"latin-1", ENC_LATIN1},
		{"latin1", ENC_LATIN1},	      {"ISO-8859-1", ENC_LATIN1}, {"cp1252", ENC_CP1252},
		{"windows-1252", ENC_CP1252}, {"utf-16", ENC_UTF16},	  {"UTF16", ENC_UTF16},
	};
	for (size_t i = 0; i < sizeof(E) / sizeof(E[0]); i++) {
		char src[96];
		snprintf(src, sizeof(src), "csv: {encoding: %s}\nfields:\n  a:\n", E[i].name);
		rv_ruleset *rs = compile(state, SYNTAX_YAML, src);
		if (!rs)
			fail_msg("encoding %s should be accepted", E[i].name);
		assert_int_equal(rs->csv.encoding, E[i].e);
		assert_true(rs->csv.encoding_set);
	}
	const char *src = "csv: {encoding: ebcdic}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "ebcdic"),
		   "unknown encoding 'ebcdic' (use utf-8, latin-1, cp1252 or utf-16)");
	assert_string_equal(encoding_name(ENC_CP1252), "cp1252");
}

static void test_csv_errors(void **state)
{
	const char *src = "csv: {delimiter: ';;'}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "';;'"),
		   "delimiter must be one ASCII character, not ';;'");
	src = "csv: {delimiter: ''}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "''"),
		   "delimiter must be one ASCII character, not ''");
	src = "csv: {quote: \xc2\xa7}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "\xc2\xa7"),
		   "quote must be one ASCII character, not '\xc2\xa7'");
	src = "csv: {delimiter: \"\\n\"}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "\"\\n"), "delimiter cannot be a line end");
	src = "csv: {delimiter: ';', quote: ';'}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "{"),
		   "csv: the delimiter and the quote are the same character");
	src = "csv: {skip_lines: -1}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "-1"),
		   "skip_lines must be a whole number of 0 or more, not '-1'");
	src = "csv: {null_values: NA}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "NA"), "null_values must be a list, not a scalar");
	src = "csv: {delimeter: ';'}\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "delimeter"),
		   "unknown csv setting 'delimeter' (did you mean 'delimiter'?)");
	src = "csv: [a]\nfields:\n  a:\n";
	yaml_error(state, src, 1, col_of(src, 1, "[a]"), "csv must be a mapping, not a list");
}

static void test_columns_modes(void **state)
{
	static const char *const M[] = {"any", "strict", "ordered"};
	for (int i = 0; i < 3; i++) {
		char src[64];
		snprintf(src, sizeof(src), "columns: %s\nfields:\n  a:\n", M[i]);
		rv_ruleset *rs = yaml_ok(state, src);
		assert_int_equal(rs->columns, (rv_colmode)i);
		assert_string_equal(colmode_name((rv_colmode)i), M[i]);
	}
	const char *src = "columns: strcit\nfields:\n  a:\n";
	yaml_error(state, src, 1, 10, "unknown columns mode 'strcit' (did you mean 'strict'?)");
	src = "columns: loose\nfields:\n  a:\n";
	yaml_error(state, src, 1, 10, "unknown columns mode 'loose' (use strict, ordered or any)");
	rv_ruleset *rs = py_ok(state, "schema = Schema({'a': Field(str)}, columns='ordered')\n");
	assert_int_equal(rs->columns, COLS_ORDERED);
}

/* ---- table ---- */

static const char TABLE[] = "fields:\n"
			    "  age: {type: int}\n"
			    "  balance: {type: float}\n"
			    "  email: {type: str}\n"
			    "table:\n"
			    "  rows: {min: 1, max: 1000}\n"
			    "  max_invalid: 0.5%\n"
			    "  unique: [[email], [age, region]]\n"
			    "  aggregates:\n"
			    "    balance: {mean: {min: 0, max: 1e6}, sum: {max: 10}}\n"
			    "    email: {missing: {max: 5%}, distinct: {min: 2}}\n";

static void test_table(void **state)
{
	rv_ruleset *rs = yaml_ok(state, TABLE);
	const rv_table_ir *t = &rs->table;
	assert_true(t->has_rows_min);
	assert_true(t->has_rows_max);
	assert_int_equal(t->rows_min, 1);
	assert_int_equal(t->rows_max, 1000);
	assert_true(t->max_invalid.set);
	assert_true(t->max_invalid.percent);
	ratio_is(t->max_invalid.share, 5, 1000);
	assert_string_equal(t->max_invalid.text, "0.5%");

	assert_int_equal(t->n_unique, 2);
	assert_int_equal(t->unique[0].n, 1);
	assert_string_equal(t->unique[0].cols[0], "email");
	assert_int_equal(t->unique[0].fields[0], 2);
	assert_int_equal(t->unique[1].n, 2);
	assert_string_equal(t->unique[1].cols[0], "age");
	assert_string_equal(t->unique[1].cols[1], "region");
	assert_int_equal(t->unique[1].fields[0], 0);
	/* a column without a field rule: numbered after the fields, named in extra_cols */
	assert_true((size_t)t->unique[1].fields[1] >= rs->n_fields);
	assert_string_equal(rs->extra_cols[t->unique[1].fields[1] - (int)rs->n_fields], "region");
	assert_int_equal(t->unique[1].pos.line, 8);

	assert_int_equal(t->n_aggs, 4);
	const rv_aggregate_ir *a = &t->aggs[0];
	assert_int_equal(a->field, 1);
	assert_int_equal(a->agg, AGG_MEAN);
	assert_true(a->has_min && a->has_max);
	assert_true(a->min == 0 && a->max == 1e6);
	assert_false(a->min_percent || a->max_percent);
	assert_string_equal(a->min_text, "0");
	assert_string_equal(a->max_text, "1e6");
	a = &t->aggs[1];
	assert_int_equal(a->agg, AGG_SUM);
	assert_false(a->has_min);
	assert_true(a->has_max && a->max == 10);
	a = &t->aggs[2];
	assert_int_equal(a->field, 2);
	assert_int_equal(a->agg, AGG_MISSING);
	assert_true(a->has_max && a->max_percent);
	assert_true(a->max == 0.05);
	assert_string_equal(a->max_text, "5%");
	a = &t->aggs[3];
	assert_int_equal(a->agg, AGG_DISTINCT);
	assert_true(a->has_min && !a->min_percent && a->min == 2);
	assert_string_equal(agg_name(AGG_STDDEV), "stddev");
}

static void test_table_flat_unique_and_counts(void **state)
{
	rv_ruleset *rs =
		yaml_ok(state, "fields:\n  a:\n  b:\n"
			       "table: {unique: [b, a], max_invalid: 10, rows: {max: 0}}\n");
	const rv_table_ir *t = &rs->table;
	assert_int_equal(t->n_unique, 1);
	assert_int_equal(t->unique[0].n, 2);
	assert_string_equal(t->unique[0].cols[0], "b");
	assert_int_equal(t->unique[0].fields[0], 1);
	assert_int_equal(t->unique[0].fields[1], 0);
	assert_true(t->max_invalid.set);
	assert_false(t->max_invalid.percent);
	assert_int_equal(t->max_invalid.count, 10);
	assert_false(t->has_rows_min);
	assert_true(t->has_rows_max);
	assert_int_equal(t->rows_max, 0);
	rs = yaml_ok(state, "fields:\n  a:\ntable: {max_invalid: 100%}\n");
	ratio_is(rs->table.max_invalid.share, 1, 1);
	rs = yaml_ok(state, "fields:\n  a:\ntable: {max_invalid: 1%}\n");
	ratio_is(rs->table.max_invalid.share, 1, 100);
	/* Python: max_invalid= is short for table={'max_invalid': ...} */
	rs = py_ok(state, "schema = Schema({'a': Field(str)}, max_invalid='2%')\n");
	assert_true(rs->table.max_invalid.percent);
	ratio_is(rs->table.max_invalid.share, 2, 100);
	rs = py_ok(state, "schema = Schema({'a': Field(str)}, max_invalid=7)\n");
	assert_false(rs->table.max_invalid.percent);
	assert_int_equal(rs->table.max_invalid.count, 7);
}

static void test_table_errors(void **state)
{
	static const struct {
		const char *table; /* the value of table: */
		const char *at;	   /* where the error points, on line 3 */
		const char *msg;
	} C[] = {
		{"{rows: {min: 10, max: 1}}", "{min", "rows: min (10) is above max (1)"},
		{"{rows: {min: -1}}", "-1",
		 "rows min must be a whole number of 0 or more, not '-1'"},
		{"{rows: {minimum: 1}}", "minimum",
		 "unknown rows bound 'minimum' (did you mean 'min'?)"},
		{"{max_invalid: 101%}", "101%",
		 "max_invalid must be a count like 10 or a share like '1%', not '101%'"},
		{"{max_invalid: -1}", "-1",
		 "max_invalid must be a count like 10 or a share like '1%', not '-1'"},
		{"{max_invalid: 1.5}", "1.5",
		 "max_invalid must be a count like 10 or a share like '1%', not '1.5'"},
		{"{max_invalid: abc}", "abc",
		 "max_invalid must be a count like 10 or a share like '1%', not 'abc'"},
		{"{unique: []}", "[]", "unique needs at least one column"},
		{"{unique: [a, a]}", "a]", "column 'a' appears twice in the key"},
		{"{unique: [a, [b]]}", "[b]", "a unique column must be a string, not a list"},
		{"{row: {min: 1}}", "row", "unknown table check 'row' (did you mean 'rows'?)"},
		{"{aggregates: {nope: {sum: {max: 1}}}}", "nope",
		 "aggregates: 'nope' is not a declared field"},
		{"{aggregates: {a: {mean: {max: 1}}}}", "mean",
		 "aggregate 'mean' needs a numeric field; 'a' is str"},
		{"{aggregates: {n: {stdev: {max: 1}}}}", "stdev",
		 "unknown aggregate 'stdev' (did you mean 'stddev'?)"},
		{"{aggregates: {n: {sum: {}}}}", "sum", "aggregate 'sum' needs min or max"},
		{"{aggregates: {n: {sum: {min: 5, max: 1}}}}", "sum",
		 "aggregate 'sum': min is above max"},
		{"{aggregates: {n: {sum: {max: x}}}}", "x}", "max must be a number, not 'x'"},
		{"{aggregates: {n: {sum: {maximum: 1}}}}", "maximum",
		 "unknown bound 'maximum' (did you mean 'max'?)"},
		{"{aggregates: {a: {distinct: {max: 5%}}}}", "5%",
		 "distinct takes a count, not a share"},
	};
	for (size_t i = 0; i < sizeof(C) / sizeof(C[0]); i++) {
		char src[256];
		snprintf(src, sizeof(src), "fields:\n  a:\n  n: {type: int}\ntable: %s\n",
			 C[i].table);
		/* the table: line is line 4 */
		yaml_error(state, src, 4, col_of(src, 4, C[i].at), C[i].msg);
	}
	/* missing: a share is fine, distinct and missing on any type */
	rv_ruleset *rs =
		yaml_ok(state, "fields:\n  a:\ntable: {aggregates: {a: {missing: {max: 5%}, "
			       "distinct: {max: 3}}}}\n");
	assert_int_equal(rs->table.n_aggs, 2);
}

/* ---- rules ---- */

static const char RULES[] = "fields:\n"
			    "  status: {type: str}\n"
			    "  balance: {type: float}\n"
			    "  start: {type: date}\n"
			    "rules:\n"
			    "  - name: closed_zero\n"
			    "    when: status == 'closed'\n"
			    "    check: balance == 0\n"
			    "    severity: warn\n"
			    "    message: must be zero\n"
			    "  - name: not-future\n"
			    "    check: start <= today() and row['region'] != 'x'\n";

static void test_rules(void **state)
{
	rv_ruleset *rs = yaml_ok(state, RULES);
	rv_buf b;
	buf_init(&b, 0);
	assert_int_equal(rs->n_rules, 2);
	const rv_rule_ir *r = &rs->rules[0];
	assert_string_equal(r->name, "closed_zero");
	assert_int_equal(r->pos.line, 6);
	assert_non_null(r->when);
	assert_string_equal(printed(r->when, &b), "(status == 'closed')");
	assert_string_equal(printed(r->check, &b), "(balance == 0)");
	assert_int_equal(r->check->args[0]->field, 1);
	assert_int_equal(r->severity, SEV_WARN);
	assert_string_equal(r->message, "must be zero");
	r = &rs->rules[1];
	assert_string_equal(r->name, "not-future");
	assert_null(r->when);
	assert_int_equal(r->severity, SEV_ERROR);
	assert_null(r->message);
	assert_string_equal(printed(r->check, &b),
			    "((start <= today()) and (row['region'] != 'x'))");
	assert_true(rs->uses_today);
	/* a column without a field rule is numbered after the fields */
	assert_int_equal(rs->n_extra, 1);
	assert_string_equal(rs->extra_cols[0], "region");
	const rv_expr *region = r->check->args[1]->args[0];
	assert_int_equal(region->kind, EX_FIELD);
	assert_true(region->extra);
	assert_int_equal(region->field, 3);
	assert_false(r->check->args[0]->args[0]->extra);
	assert_int_equal(r->check->args[0]->args[0]->field, 2);
	buf_free(&b);
}

static void test_extra_columns(void **state)
{
	/* one number per column name, across rules and their when */
	rv_ruleset *rs = yaml_ok(
		state, "fields:\n  a:\n"
		       "rules:\n"
		       "  - name: one\n"
		       "    when: row['p'] is None\n"
		       "    check: row['q'] == row['p']\n"
		       "  - name: two\n"
		       "    check: row['r'] == a and row['s'] == row['t'] and row['q'] != ''\n");
	assert_int_equal(rs->n_extra, 5);
	static const char *const COLS[] = {"p", "q", "r", "s", "t"};
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(rs->extra_cols[i], COLS[i]);
	const rv_expr *q = rs->rules[0].check->args[0], *p = rs->rules[0].check->args[1];
	assert_int_equal(p->field, 1);
	assert_int_equal(q->field, 2);
	assert_int_equal(rs->rules[0].when->args[0]->field, 1);
	rs = yaml_ok(state, "fields:\n  a:\n");
	assert_int_equal(rs->n_extra, 0);
}

static void test_rule_expression_positions(void **state)
{
	/* an expression error points into the rule file */
	const char *src = "fields:\n  age: {type: int}\nrules:\n  - name: r\n    check: age > 1 "
			  "and agee < 5\n";
	yaml_error(state, src, 5, col_of(src, 5, "agee"),
		   "unknown field 'agee' (did you mean 'age'?)");
	src = "schema = Schema({'age': Field(int)})\n"
	      "rules = [Rule('r', check='age > \"x\"')]\n";
	one_error(state, SYNTAX_PY, src, 2, col_of(src, 2, "> \""), "cannot compare int with str");
}

static void test_rule_errors(void **state)
{
	static const struct {
		const char *rule; /* the rule's YAML (a flow mapping) on line 4 */
		const char *at;
		const char *msg;
	} C[] = {
		{"{name: r, check: age + 1}", "age +",
		 "a check must be a boolean expression, not int"},
		{"{name: r, when: 'age', check: age > 1}", "'age'",
		 "when must be a boolean expression, not int"},
		{"{name: 'a b', check: age > 1}", "'a b'",
		 "rule name 'a b' may hold only letters, digits, '_' and '-'"},
		{"{check: age > 1}", "{", "a rule needs a name"},
		{"{name: r}", "{", "rule 'r' needs a check"},
		{"{name: r, check: age > 1, sevrity: warn}", "sevrity",
		 "unknown rule key 'sevrity' (did you mean 'severity'?)"},
		{"{name: r, check: age > 1, severity: high}", "high",
		 "unknown severity 'high' (use error or warn)"},
		{"{name: r, check: [age]}", "[age]", "check must be a string, not a list"},
	};
	for (size_t i = 0; i < sizeof(C) / sizeof(C[0]); i++) {
		char src[256];
		snprintf(src, sizeof(src), "fields:\n  age: {type: int}\nrules:\n  - %s\n",
			 C[i].rule);
		yaml_error(state, src, 4, col_of(src, 4, C[i].at), C[i].msg);
	}
	/* a misspelt check: one message, not two */
	const char *src = "fields:\n  age: {type: int}\nrules:\n  - {name: r, chek: age > 1}\n";
	yaml_error(state, src, 4, col_of(src, 4, "chek"),
		   "unknown rule key 'chek' (did you mean 'check'?)");
	src = "fields:\n  a:\nrules:\n  - {name: r, check: a == 'x'}\n  - {name: r, check: a == "
	      "'y'}\n";
	yaml_error(state, src, 5, col_of(src, 5, "r,"),
		   "duplicate rule name 'r' (first at line 4)");
	src = "fields:\n  a:\nrules:\n  - just text\n";
	yaml_error(state, src, 4, 5, "a rule must be a mapping, not a scalar");
	src = "fields:\n  a:\nrules: {name: r}\n";
	yaml_error(state, src, 3, 8, "rules must be a list, not a mapping");
	src = "schema = Schema({'a': Field(str)})\nrules = [5]\n";
	one_error(state, SYNTAX_PY, src, 2, 10, "a rule must be Rule(...), not an integer");
}

/* ---- errors: contradictions, unknown keys, counting, warnings ---- */

static void test_contradictions(void **state)
{
	static const struct {
		const char *field; /* the field's YAML on line 2 */
		const char *at;
		const char *msg;
	} C[] = {
		{"{type: str, min: 1}", "min",
		 "'min' does not apply to a str field (use min_length/max_length for text)"},
		{"{max: 5}", "max",
		 "'max' does not apply to a str field (use min_length/max_length for text)"},
		{"{type: str, exclusive_min: a}", "exclusive_min",
		 "'exclusive_min' does not apply to a str field (use min_length/max_length for "
		 "text)"},
		{"{type: bool, exclusive_max: 1}", "exclusive_max",
		 "'exclusive_max' does not apply to a bool field (use min_length/max_length for "
		 "text)"},
		{"{min_length: 5, max_length: 3}", "3}",
		 "field 'x': min_length (5) is above max_length (3)"},
		{"{type: int, min: 1, exclusive_min: 0}", "0}",
		 "field 'x' has both min and exclusive_min"},
		{"{type: int, exclusive_max: 9, max: 10}", "9,",
		 "field 'x' has both max and exclusive_max"},
		{"{type: int, min: 10, max: 5}", "5}",
		 "field 'x': min (10) is above max (5): no value can pass"},
		{"{type: int, exclusive_min: 5, max: 5}", "5}",
		 "field 'x': exclusive_min (5) is above max (5): no value can pass"},
		{"{type: float, min: 2.5, exclusive_max: 2.5}", "2.5}",
		 "field 'x': min (2.5) is above exclusive_max (2.5): no value can pass"},
		{"{type: date, min: 2024-01-02, max: 2024-01-01}", "2024-01-01",
		 "field 'x': min (2024-01-02) is above max (2024-01-01): no value can pass"},
		{"{type: decimal, exclusive_min: '0.10', max: 0.1}", "0.1}",
		 "field 'x': exclusive_min (0.10) is above max (0.1): no value can pass"},
		{"{type: time, min: '12:00', max: '11:59:59'}", "'11",
		 "field 'x': min (12:00) is above max (11:59:59): no value can pass"},
	};
	for (size_t i = 0; i < sizeof(C) / sizeof(C[0]); i++) {
		char src[256];
		snprintf(src, sizeof(src), "fields:\n  x: %s\n", C[i].field);
		yaml_error(state, src, 2, col_of(src, 2, C[i].at), C[i].msg);
	}
	/* equal bounds that are both inclusive are fine */
	rv_ruleset *rs =
		yaml_ok(state, "fields:\n  x: {type: int, min: 5, max: 5}\n"
			       "  y: {min_length: 2, max_length: 2}\n"
			       "  z: {type: decimal, min: '1.0', exclusive_max: '1.01'}\n");
	assert_true(rs->fields[0].min.set && rs->fields[0].max.set);
}

static void test_unknown_keys(void **state)
{
	const char *src = "fields:\n  a: {maxlen: 3}\n";
	yaml_error(state, src, 2, col_of(src, 2, "maxlen"),
		   "unknown constraint 'maxlen' (did you mean 'max_length'?)");
	src = "fields:\n  a: {requird: true}\n";
	yaml_error(state, src, 2, col_of(src, 2, "requird"),
		   "unknown constraint 'requird' (did you mean 'required'?)");
	src = "fields:\n  a: {zzzzzz: 1}\n";
	yaml_error(state, src, 2, col_of(src, 2, "zzzzzz"), "unknown constraint 'zzzzzz'");
	src = "fields:\n  a: {type: integer}\n";
	yaml_error(state, src, 2, col_of(src, 2, "integer"),
		   "unknown type 'integer' (did you mean 'int'?)");
	src = "fields:\n  a: {type: qqqqqq}\n";
	yaml_error(state, src, 2, col_of(src, 2, "qqqqqq"),
		   "unknown type 'qqqqqq' (use str, int, float, decimal, bool, date, datetime or "
		   "time)");
	src = "fields:\n  a:\nnmae: x\n";
	yaml_error(state, src, 3, 1, "unknown key 'nmae' (did you mean 'name'?)");
	/* a misspelt 'fields' also means there are none */
	src = "feilds:\n  a:\n";
	fails(state, SYNTAX_YAML, src);
	assert_int_equal(diags(state)->errors, 2);
	has_error(state, 1, 1, "unknown key 'feilds' (did you mean 'fields'?)");
	has_error(state, 1, 1, "the rule file has no 'fields'");
	src = "schema = Schema({'a': Field(str, maxlen=3)})\n";
	one_error(state, SYNTAX_PY, src, 1, col_of(src, 1, "maxlen"),
		  "unknown constraint 'maxlen' (did you mean 'max_length'?)");
}

static void test_top_level(void **state)
{
	rv_ruleset *rs = yaml_ok(state, "version: 1\nname: users\ndescription: d\nfields:\n  a:\n");
	assert_string_equal(rs->name, "users");
	assert_string_equal(rs->description, "d");
	yaml_error(state, "version: 2\nfields:\n  a:\n", 1, 10,
		   "unsupported version '2' (this rvalid reads version 1)");
	yaml_error(state, "", 1, 1, "the rule file is empty: it needs at least 'fields'");
	yaml_error(state, "# nothing\n", 1, 1,
		   "the rule file is empty: it needs at least 'fields'");
	yaml_error(state, "- a\n", 1, 1, "the rule file must be a mapping, not a list");
	yaml_error(state, "name: x\n", 1, 1, "the rule file has no 'fields'");
	yaml_error(state, "fields: [a]\n", 1, 9, "fields must be a mapping, not a list");
	yaml_error(state, "fields:\n  a: 5\n", 2, 6, "field 'a' must be a mapping, not a scalar");
	one_error(state, SYNTAX_PY, "schema = Schema({'a': 5})\n", 1, 23,
		  "field 'a' must be Field(...), not an integer");
}

static void test_paths(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *path, *dir;
	} P[] = {{"users.yaml", "."},
		 {"rules/users.yaml", "rules"},
		 {"/users.yaml", "/"},
		 {"/a/b/c.yml", "/a/b"}};
	for (size_t i = 0; i < sizeof(P) / sizeof(P[0]); i++) {
		const char *src = "fields:\n  a:\n";
		rv_ruleset *rs = rules_compile(P[i].path, src, strlen(src), SYNTAX_YAML, &f->d);
		assert_non_null(rs);
		assert_string_equal(rs->path, P[i].path);
		assert_string_equal(rs->dir, P[i].dir);
		rules_free(rs);
	}
}

static void test_syntax_guess(void **state)
{
	(void)state;
	assert_int_equal(rules_guess_syntax("a.py", "", 0), SYNTAX_PY);
	assert_int_equal(rules_guess_syntax("a.RV", "", 0), SYNTAX_PY);
	assert_int_equal(rules_guess_syntax("a.yml", "schema = 1", 10), SYNTAX_YAML);
	assert_int_equal(rules_guess_syntax("a.YAML", "", 0), SYNTAX_YAML);
	const char *py = "# rules\n\nfrom rvalid import Schema\n";
	assert_int_equal(rules_guess_syntax("-", py, strlen(py)), SYNTAX_PY);
	assert_int_equal(rules_guess_syntax(NULL, "schema=Schema({})", 17), SYNTAX_PY);
	assert_int_equal(rules_guess_syntax("rules.txt", "fields:\n", 8), SYNTAX_YAML);
	assert_int_equal(rules_guess_syntax("rules.txt", "", 0), SYNTAX_YAML);
	/* SYNTAX_AUTO picks the front end */
	fixture *f = *state;
	const char *src = "schema = Schema({'a': Field(int)})\n";
	rv_ruleset *rs = rules_compile("stdin", src, strlen(src), SYNTAX_AUTO, &f->d);
	assert_non_null(rs);
	assert_int_equal(rs->fields[0].type, RV_INT);
	rules_free(rs);
}

static void test_errors_are_all_reported(void **state)
{
	const char *src = "version: 2\n"			      /* 1 */
			  "fields:\n"				      /* - */
			  "  age: {type: int, min: abc, maxlen: 3}\n" /* 2, 3 */
			  "  name: {type: str, max: 5}\n"	      /* 4 */
			  "rules:\n"				      /* - */
			  "  - name: r\n"			      /* - */
			  "    check: agee > 1\n"		      /* 5 */
			  "table:\n"				      /* - */
			  "  rows: {min: -1}\n";		      /* 6 */
	fails(state, SYNTAX_YAML, src);
	assert_int_equal(diags(state)->errors, 6);
	assert_int_equal(diags(state)->n, 6);
	has_error(state, 1, 10, "unsupported version '2' (this rvalid reads version 1)");
	has_error(state, 3, col_of(src, 3, "abc"), "min: 'abc' is not a valid int");
	has_error(state, 3, col_of(src, 3, "maxlen"),
		  "unknown constraint 'maxlen' (did you mean 'max_length'?)");
	has_error(state, 4, col_of(src, 4, "max"),
		  "'max' does not apply to a str field (use min_length/max_length for text)");
	has_error(state, 7, col_of(src, 7, "agee"), "unknown field 'agee' (did you mean 'age'?)");
	has_error(state, 9, col_of(src, 9, "-1"),
		  "rows min must be a whole number of 0 or more, not '-1'");
	/* the same in the Python-like language */
	src = "schema = Schema({\n"
	      "    'age': Field(int, min='abc', maxlen=3),\n"
	      "    'name': Field(str, max=5),\n"
	      "}, version=2, table={'rows': {'min': -1}})\n"
	      "rules = [Rule('r', check='agee > 1')]\n";
	fails(state, SYNTAX_PY, src);
	assert_int_equal(diags(state)->errors, 6);
}

static void test_warnings_do_not_fail(void **state)
{
	const char *src = "fields:\n  s: {type: str, enum: ['', a]}\n";
	rv_ruleset *rs = compile(state, SYNTAX_YAML, src);
	assert_non_null(rs);
	assert_int_equal(diags(state)->errors, 0);
	assert_int_equal(diags(state)->warnings, 1);
	has_diag(state, DIAG_WARNING, 2, col_of(src, 2, "''"),
		 "'' in enum can never match: such a cell is missing");
	values_are(rs->fields[0].enum_vals, rs->fields[0].n_enum, RV_STR, "'', 'a'");
	/* any null value, in not_in too; '' is no longer one */
	src = "csv: {null_values: [NA]}\nfields:\n  s: {not_in: [NA, '']}\n";
	rs = compile(state, SYNTAX_YAML, src);
	assert_non_null(rs);
	assert_int_equal(diags(state)->warnings, 1);
	has_diag(state, DIAG_WARNING, 3, col_of(src, 3, "NA"),
		 "'NA' in not_in can never match: such a cell is missing");
	/* a warning next to an error: the error fails the compile */
	src = "fields:\n  s: {enum: ['']}\n  t: {type: nope}\n";
	fails(state, SYNTAX_YAML, src);
	assert_int_equal(diags(state)->errors, 1);
	assert_int_equal(diags(state)->warnings, 1);
}

/* ---- twins compile to the same IR ---- */

static void bounds_equal(const char *what, const rv_bound *a, const rv_bound *b)
{
	if (a->set != b->set)
		fail_msg("%s: set %d vs %d", what, a->set, b->set);
	if (!a->set)
		return;
	if (a->v.type != b->v.type || value_cmp(&a->v, &b->v) != 0 || strcmp(a->text, b->text) != 0)
		fail_msg("%s: '%s' vs '%s'", what, a->text, b->text);
}

static void values_equal(const char *what, const rv_value *a, size_t an, const rv_value *b,
			 size_t bn)
{
	if (an != bn)
		fail_msg("%s: %zu vs %zu values", what, an, bn);
	for (size_t i = 0; i < an; i++)
		if (a[i].type != b[i].type || value_cmp(&a[i], &b[i]) != 0)
			fail_msg("%s: value %zu differs", what, i);
}

static void str_equal(const char *what, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		fail_msg("%s: '%s' vs '%s'", what, a ? a : "(null)", b ? b : "(null)");
}

static void expr_equal(const char *what, const rv_expr *a, const rv_expr *b)
{
	if ((a == NULL) != (b == NULL))
		fail_msg("%s: one is missing", what);
	if (!a)
		return;
	rv_buf x, y;
	buf_init(&x, 0);
	buf_init(&y, 0);
	expr_print(&x, a);
	expr_print(&y, b);
	if (strcmp(x.data, y.data) != 0 || a->type != b->type)
		fail_msg("%s: %s vs %s", what, x.data, y.data);
	buf_free(&x);
	buf_free(&y);
}

/* Every part of two rule sets is equal, positions and path aside. */
static void ir_equal(const rv_ruleset *a, const rv_ruleset *b)
{
	assert_int_equal(a->version, b->version);
	str_equal("name", a->name, b->name);
	str_equal("description", a->description, b->description);
	const rv_dialect *c = &a->csv, *d = &b->csv;
	assert_int_equal(c->delimiter, d->delimiter);
	assert_int_equal(c->quote, d->quote);
	assert_int_equal(c->escape, d->escape);
	assert_int_equal(c->comment, d->comment);
	assert_int_equal(c->header, d->header);
	assert_int_equal(c->n_null, d->n_null);
	for (size_t i = 0; i < c->n_null; i++)
		str_equal("null value", c->null_values[i], d->null_values[i]);
	assert_int_equal(c->encoding, d->encoding);
	assert_int_equal(c->skip_lines, d->skip_lines);
	assert_int_equal(c->delimiter_set, d->delimiter_set);
	assert_int_equal(c->quote_set, d->quote_set);
	assert_int_equal(c->escape_set, d->escape_set);
	assert_int_equal(c->comment_set, d->comment_set);
	assert_int_equal(c->header_set, d->header_set);
	assert_int_equal(c->null_set, d->null_set);
	assert_int_equal(c->encoding_set, d->encoding_set);
	assert_int_equal(c->skip_lines_set, d->skip_lines_set);
	assert_int_equal(a->columns, b->columns);
	assert_int_equal(a->uses_today, b->uses_today);

	assert_int_equal(a->n_fields, b->n_fields);
	for (size_t i = 0; i < a->n_fields; i++) {
		const rv_field_ir *f = &a->fields[i], *g = &b->fields[i];
		str_equal("field name", f->name, g->name);
		const char *n = f->name;
		if (f->type != g->type || f->required != g->required || f->unique != g->unique ||
		    f->min_length != g->min_length || f->max_length != g->max_length ||
		    f->ignore_case != g->ignore_case || f->format != g->format ||
		    f->severity != g->severity || f->has_enum != g->has_enum ||
		    f->has_not_in != g->has_not_in || f->has_mostly != g->has_mostly ||
		    f->pattern_exact != g->pattern_exact)
			fail_msg("field %s differs", n);
		bounds_equal(n, &f->min, &g->min);
		bounds_equal(n, &f->max, &g->max);
		bounds_equal(n, &f->xmin, &g->xmin);
		bounds_equal(n, &f->xmax, &g->xmax);
		str_equal(n, f->pattern, g->pattern);
		values_equal(n, f->enum_vals, f->n_enum, g->enum_vals, g->n_enum);
		values_equal(n, f->not_in_vals, f->n_not_in, g->not_in_vals, g->n_not_in);
		str_equal(n, f->dt_format, g->dt_format);
		if ((f->dtfmt == NULL) != (g->dtfmt == NULL) ||
		    (f->dtfmt && memcmp(f->dtfmt, g->dtfmt, sizeof(*f->dtfmt)) != 0))
			fail_msg("field %s: compiled formats differ", n);
		str_equal(n, f->ref_file, g->ref_file);
		str_equal(n, f->ref_column, g->ref_column);
		str_equal(n, f->message, g->message);
		if (f->has_mostly &&
		    (f->mostly.num * g->mostly.den != g->mostly.num * f->mostly.den ||
		     strcmp(f->mostly_text, g->mostly_text) != 0))
			fail_msg("field %s: mostly differs", n);
	}

	assert_int_equal(a->n_rules, b->n_rules);
	for (size_t i = 0; i < a->n_rules; i++) {
		const rv_rule_ir *r = &a->rules[i], *s = &b->rules[i];
		str_equal("rule", r->name, s->name);
		expr_equal(r->name, r->when, s->when);
		expr_equal(r->name, r->check, s->check);
		assert_int_equal(r->severity, s->severity);
		str_equal(r->name, r->message, s->message);
	}

	const rv_table_ir *t = &a->table, *u = &b->table;
	assert_int_equal(t->has_rows_min, u->has_rows_min);
	assert_int_equal(t->has_rows_max, u->has_rows_max);
	assert_int_equal(t->rows_min, u->rows_min);
	assert_int_equal(t->rows_max, u->rows_max);
	assert_int_equal(t->max_invalid.set, u->max_invalid.set);
	assert_int_equal(t->max_invalid.percent, u->max_invalid.percent);
	assert_int_equal(t->max_invalid.count, u->max_invalid.count);
	assert_true(t->max_invalid.share.num * u->max_invalid.share.den ==
		    u->max_invalid.share.num * t->max_invalid.share.den);
	str_equal("max_invalid", t->max_invalid.text, u->max_invalid.text);
	assert_int_equal(t->n_unique, u->n_unique);
	for (size_t i = 0; i < t->n_unique; i++) {
		assert_int_equal(t->unique[i].n, u->unique[i].n);
		for (size_t k = 0; k < t->unique[i].n; k++) {
			str_equal("unique", t->unique[i].cols[k], u->unique[i].cols[k]);
			assert_int_equal(t->unique[i].fields[k], u->unique[i].fields[k]);
		}
	}
	assert_int_equal(t->n_aggs, u->n_aggs);
	for (size_t i = 0; i < t->n_aggs; i++) {
		const rv_aggregate_ir *x = &t->aggs[i], *y = &u->aggs[i];
		if (x->field != y->field || x->agg != y->agg || x->has_min != y->has_min ||
		    x->has_max != y->has_max || (x->has_min && x->min != y->min) ||
		    (x->has_max && x->max != y->max) || x->min_percent != y->min_percent ||
		    x->max_percent != y->max_percent)
			fail_msg("aggregate %zu differs", i);
		str_equal("agg min", x->min_text, y->min_text);
		str_equal("agg max", x->max_text, y->max_text);
	}
}

static void test_spec_twins_same_ir(void **state)
{
	rv_ruleset *y = yaml_ok(state, SPEC_YAML);
	rv_ruleset *p = py_ok(state, SPEC_PY);
	ir_equal(y, p);
	/* and the IR is what SPEC 2.1 says */
	assert_string_equal(y->name, "users");
	assert_int_equal(y->columns, COLS_STRICT);
	assert_int_equal(y->csv.n_null, 2);
	assert_string_equal(y->csv.null_values[1], "NA");
	assert_int_equal(y->n_fields, 8);
	const rv_field_ir *f = field(y, "user_id");
	assert_true(f->required && f->unique);
	assert_string_equal(f->pattern, "^\\d{6}$");
	assert_int_equal(field(y, "email")->format, STRFMT_EMAIL);
	bound_is(&field(y, "age")->min, RV_INT, "18", "18");
	bound_is(&field(y, "age")->max, RV_INT, "120", "120");
	bound_is(&field(y, "balance")->min, RV_FLOAT, "0", "0");
	values_are(field(y, "country")->enum_vals, field(y, "country")->n_enum, RV_STR,
		   "'US', 'GB', 'DE', 'FR', 'NO'");
	assert_int_equal(field(y, "signup_date")->type, RV_DATE);
	assert_int_equal(field(y, "status")->severity, SEV_WARN);
	assert_int_equal(field(y, "note")->max_length, 200);
	assert_int_equal(y->n_rules, 1);
	assert_string_equal(y->rules[0].message, "closed accounts must have a zero balance");
	assert_true(y->table.has_rows_min);
	assert_int_equal(y->table.rows_min, 1);
	ratio_is(y->table.max_invalid.share, 1, 100);
}

static void test_every_key_twins_same_ir(void **state)
{
	rv_ruleset *y = yaml_ok(state, TWIN_YAML);
	rv_ruleset *p = py_ok(state, TWIN_PY);
	ir_equal(y, p);
	assert_int_equal(y->n_fields, 11);
	assert_int_equal(y->n_rules, 2);
	assert_true(y->uses_today);
	assert_int_equal(y->table.n_unique, 2);
	assert_int_equal(y->table.n_aggs, 3);
	ratio_is(field(y, "ratio")->mostly, 95, 100);
	ratio_is(y->table.max_invalid.share, 25, 1000);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_yaml_str_values_stay_text),
		T(test_yaml_typed_values),
		T(test_py_typed_values),
		T(test_typing_errors),
		T(test_float_bound_overflow),
		T(test_flags_accept_only_booleans),
		T(test_every_constraint_in_ir),
		T(test_string_formats),
		T(test_date_time_formats),
		T(test_format_on_other_types),
		T(test_mostly),
		T(test_severity_and_message),
		T(test_references),
		T(test_ignore_case_only_on_str),
		T(test_patterns),
		T(test_csv_defaults),
		T(test_csv_settings),
		T(test_csv_encodings),
		T(test_csv_errors),
		T(test_columns_modes),
		T(test_table),
		T(test_table_flat_unique_and_counts),
		T(test_table_errors),
		T(test_rules),
		T(test_extra_columns),
		T(test_rule_expression_positions),
		T(test_rule_errors),
		T(test_contradictions),
		T(test_unknown_keys),
		T(test_top_level),
		T(test_paths),
		T(test_syntax_guess),
		T(test_errors_are_all_reported),
		T(test_warnings_do_not_fail),
		T(test_spec_twins_same_ir),
		T(test_every_key_twins_same_ir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
