/* test_types.c: unit tests for the value types (types.c): the strict parsers of SPEC 2.3,
 * exact decimal comparison, value ordering and formatting, the civil calendar and date/time
 * format patterns. */
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

#include "survives.h"
#include "types.h"

/* ---- helpers: each names the input that went wrong ---- */

static void int_ok(const char *s, int64_t want)
{
	int64_t v = 12345;
	if (!parse_int(s, strlen(s), &v))
		fail_msg("'%s' should parse as an int", s);
	if (v != want)
		fail_msg("'%s' parsed as %lld, want %lld", s, (long long)v, (long long)want);
}

static void int_bad(const char *s)
{
	int64_t v;
	if (parse_int(s, strlen(s), &v))
		fail_msg("'%s' should not parse as an int (got %lld)", s, (long long)v);
}

static void float_ok(const char *s, double want)
{
	double v = -12345;
	if (!parse_float(s, strlen(s), &v))
		fail_msg("'%s' should parse as a float", s);
	if (v != want)
		fail_msg("'%s' parsed as %.17g, want %.17g", s, v, want);
}

static void float_bad(const char *s)
{
	double v;
	if (parse_float(s, strlen(s), &v))
		fail_msg("'%s' should not parse as a float (got %.17g)", s, v);
}

static void decimal_ok(const char *s)
{
	if (!parse_decimal(s, strlen(s)))
		fail_msg("'%s' should parse as a decimal", s);
}

static void decimal_bad(const char *s)
{
	if (parse_decimal(s, strlen(s)))
		fail_msg("'%s' should not parse as a decimal", s);
}

static void bool_ok(const char *s, bool want)
{
	bool v = !want;
	if (!parse_bool(s, strlen(s), &v))
		fail_msg("'%s' should parse as a bool", s);
	if (v != want)
		fail_msg("'%s' parsed as %d", s, v);
}

static void bool_bad(const char *s)
{
	bool v;
	if (parse_bool(s, strlen(s), &v))
		fail_msg("'%s' should not parse as a bool", s);
}

static void date_ok(const char *s, int32_t want)
{
	int32_t v = 12345;
	if (!parse_date(s, strlen(s), &v))
		fail_msg("'%s' should parse as a date", s);
	if (v != want)
		fail_msg("'%s' parsed as day %d, want %d", s, v, want);
}

static void date_bad(const char *s)
{
	int32_t v;
	if (parse_date(s, strlen(s), &v))
		fail_msg("'%s' should not parse as a date (got day %d)", s, v);
}

static void datetime_ok(const char *s, int64_t secs, int32_t nsec)
{
	rv_instant v = {-1, -1};
	if (!parse_datetime(s, strlen(s), &v))
		fail_msg("'%s' should parse as a datetime", s);
	if (v.secs != secs || v.nsec != nsec)
		fail_msg("'%s' parsed as %lld.%09d, want %lld.%09d", s, (long long)v.secs, v.nsec,
			 (long long)secs, nsec);
}

static void datetime_bad(const char *s)
{
	rv_instant v;
	if (parse_datetime(s, strlen(s), &v))
		fail_msg("'%s' should not parse as a datetime", s);
}

static void time_ok(const char *s, int64_t secs, int32_t nsec)
{
	rv_instant v = {-1, -1};
	if (!parse_time(s, strlen(s), &v))
		fail_msg("'%s' should parse as a time", s);
	if (v.secs != secs || v.nsec != nsec)
		fail_msg("'%s' parsed as %lld.%09d, want %lld.%09d", s, (long long)v.secs, v.nsec,
			 (long long)secs, nsec);
}

static void time_bad(const char *s)
{
	rv_instant v;
	if (parse_time(s, strlen(s), &v))
		fail_msg("'%s' should not parse as a time", s);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static int dcmp(const char *a, const char *b)
{
	return decimal_cmp(a, strlen(a), b, strlen(b));
}

static void dcmp_is(const char *a, const char *b, int want)
{
	int got = dcmp(a, b), back = dcmp(b, a);
	if (got != want || back != -want)
		fail_msg("decimal_cmp('%s', '%s') = %d (reverse %d), want %d", a, b, got, back,
			 want);
}

/* Days since 1970-01-01 for a literal ISO date, through the parser. */
static int32_t day(const char *iso)
{
	int32_t d = 0;
	if (!parse_date(iso, strlen(iso), &d))
		fail_msg("bad test date '%s'", iso);
	return d;
}

/* ---- int ---- */

static void test_int_accepts(void **state)
{
	(void)state;
	int_ok("0", 0);
	int_ok("18", 18);
	int_ok("007", 7);
	int_ok("-5", -5);
	int_ok("-0", 0);
	int_ok("00000000000000000000000000042", 42);
	int_ok("9223372036854775807", INT64_MAX);
	int_ok("-9223372036854775808", INT64_MIN);
	int_ok("-9223372036854775807", -INT64_MAX);
}

static void test_int_rejects(void **state)
{
	(void)state;
	int_bad("18.0");
	int_bad("+5");
	int_bad(" 5");
	int_bad("5 ");
	int_bad("");
	int_bad("-");
	int_bad("--5");
	int_bad("5-");
	int_bad("1e3");
	int_bad("0x10");
	int_bad("1_000");
	int_bad("1,000");
	int_bad("\xef\xbc\x95"); /* fullwidth digit five */
	int_bad("9223372036854775808");
	int_bad("-9223372036854775809");
	int_bad("10000000000000000000");
	int_bad("99999999999999999999999");
}

static void test_int_span_is_not_nul_terminated(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_true(parse_int("12345", 3, &v));
	assert_int_equal(v, 123);
	assert_false(parse_int("12x45", 3, &v));
	assert_false(parse_int("12", 0, &v));
}

/* ---- float ---- */

static void test_float_accepts(void **state)
{
	(void)state;
	float_ok(".5", 0.5);
	float_ok("5.", 5.0);
	float_ok("0", 0.0);
	float_ok("007.25", 7.25);
	float_ok("+1.5", 1.5);
	float_ok("-2.5e+2", -250.0);
	float_ok("1e3", 1000.0);
	float_ok("1E-3", 0.001);
	float_ok(".5e1", 5.0);
	float_ok("5.e1", 50.0);
	float_ok("18", 18.0);
	float_ok("0.1", 0.1);
}

static void test_float_rejects(void **state)
{
	(void)state;
	float_bad("");
	float_bad(".");
	float_bad("+");
	float_bad("-");
	float_bad("+.");
	float_bad("e5");
	float_bad(".e5");
	float_bad("1e");
	float_bad("1e+");
	float_bad("1.2.3");
	float_bad(" 1");
	float_bad("1 ");
	float_bad("1,5");
	float_bad("1_0");
	float_bad("++1");
	float_bad("0x1p3");
	float_bad("0x10");
	float_bad("inf");
	float_bad("-inf");
	float_bad("Infinity");
	float_bad("nan");
	float_bad("NaN");
	float_bad("1.5f");
	float_bad("1d");
}

/* SPEC 2.3: no inf. A literal that overflows a double is infinity by another name: it fails, as an
 * int that overflows 64 bits fails (rvalid check crashed on `max: 1e999`). */
static void test_float_overflow_rejected(void **state)
{
	(void)state;
	float_bad("1e999");
	float_bad("-1e999");
	float_bad("1e309");
	char s[400];
	s[0] = '9';
	memset(s + 1, '9', 330);
	s[331] = '\0';
	float_bad(s); /* 331 digits */
	float_ok("1e308", 1e308);
	float_ok("-1.7976931348623157e308", -1.7976931348623157e308);
}

static void test_float_long_text(void **state)
{
	(void)state;
	/* longer than the parser's stack buffer */
	char s[300];
	s[0] = '1';
	memset(s + 1, '0', 200);
	memcpy(s + 201, ".000", 5);
	float_ok(s, 1e200);
	s[100] = 'x';
	float_bad(s);
}

/* ---- decimal ---- */

static void test_decimal_syntax(void **state)
{
	(void)state;
	decimal_ok("0");
	decimal_ok("-0");
	decimal_ok("007");
	decimal_ok("12.50");
	decimal_ok("-1.000");
	decimal_ok("123456789012345678901234567890.123456789012345678901234567890");
	decimal_bad("");
	decimal_bad("-");
	decimal_bad("+1");
	decimal_bad(".5");
	decimal_bad("5.");
	decimal_bad("-.5");
	decimal_bad("1e3");
	decimal_bad("1.2.3");
	decimal_bad(" 1");
	decimal_bad("1 ");
	decimal_bad("--1");
	decimal_bad("1,0");
	decimal_bad("nan");
}

static void test_decimal_cmp_exact(void **state)
{
	(void)state;
	dcmp_is("0.10", "0.1", 0);
	dcmp_is("-0", "0", 0);
	dcmp_is("-0.000", "0", 0);
	dcmp_is("000.000", "-0", 0);
	dcmp_is("007", "7", 0);
	dcmp_is("7.0", "7", 0);
	dcmp_is("1.000000000000000000001", "1", 1);
	dcmp_is("-1.000000000000000000001", "-1", -1);
	dcmp_is("0.1", "0.10000000000000000001", -1);
	/* 0.1 + 0.2 == 0.3 exactly, which doubles get wrong */
	dcmp_is("0.30000000000000000000", "0.3", 0);
	dcmp_is("123456789012345678901234567890", "123456789012345678901234567891", -1);
	dcmp_is("99999999999999999999", "100000000000000000000", -1);
	dcmp_is("-99999999999999999999", "-100000000000000000000", 1);
	dcmp_is("9007199254740993", "9007199254740992", 1); /* equal as doubles */
	dcmp_is("-5", "3", -1);
	dcmp_is("-5", "-4", -1);
	dcmp_is("-10", "-9", -1);
	dcmp_is("0.001", "0.01", -1);
	dcmp_is("1.5", "1.49999", 1);
	dcmp_is("10", "9.99999", 1);
	dcmp_is("-0.5", "0", -1);
	dcmp_is("0.5", "-0", 1);
}

static void test_decimal_cmp_total_order(void **state)
{
	(void)state;
	/* sorted ascending; entries in one group are equal */
	static const char *const G[][3] = {
		{"-100000000000000000000", NULL, NULL},
		{"-12.5", "-12.50", "-012.500"},
		{"-1", "-1.0", NULL},
		{"-0.999999999999999999999", NULL, NULL},
		{"-0.01", NULL, NULL},
		{"0", "-0", "0.000"},
		{"0.000000000000000000001", NULL, NULL},
		{"0.1", "0.10", NULL},
		{"1", "1.0", "001"},
		{"1.000000000000000000001", NULL, NULL},
		{"2", NULL, NULL},
		{"10", "10.00", NULL},
		{"18446744073709551616", NULL, NULL},
	};
	size_t n = sizeof(G) / sizeof(G[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t a = 0; a < 3 && G[i][a]; a++)
				for (size_t b = 0; b < 3 && G[j][b]; b++) {
					int want = i < j ? -1 : i > j ? 1 : 0;
					int got = dcmp(G[i][a], G[j][b]);
					if (got != want)
						fail_msg("decimal_cmp('%s', '%s') = %d, want %d",
							 G[i][a], G[j][b], got, want);
				}
}

/* ---- bool ---- */

static void test_bool(void **state)
{
	(void)state;
	bool_ok("true", true);
	bool_ok("TRUE", true);
	bool_ok("True", true);
	bool_ok("tRuE", true);
	bool_ok("false", false);
	bool_ok("FALSE", false);
	bool_ok("fAlSe", false);
	bool_ok("1", true);
	bool_ok("0", false);
	bool_bad("");
	bool_bad("yes");
	bool_bad("no");
	bool_bad("on");
	bool_bad("t");
	bool_bad("f");
	bool_bad("2");
	bool_bad("01");
	bool_bad("-1");
	bool_bad(" true");
	bool_bad("true ");
	bool_bad("truee");
	bool_bad("fals");
}

/* ---- date ---- */

static void test_date_accepts(void **state)
{
	(void)state;
	date_ok("1970-01-01", 0);
	date_ok("1969-12-31", -1);
	date_ok("2024-02-29", 19782);
	date_ok("2024-01-02", 19724);
	date_ok("2000-02-29", 11016);
	date_ok("2000-03-01", 11017);
	date_ok("1600-02-29", -135081);
	date_ok("0001-01-01", -719162);
	date_ok("9999-12-31", 2932896);
}

static void test_date_rejects(void **state)
{
	(void)state;
	date_bad("2023-02-30");
	date_bad("2021-02-29");
	date_bad("1900-02-29"); /* century, not a leap year */
	date_bad("2023-1-5");
	date_bad("20230105");
	date_bad("2023/01/05");
	date_bad("0000-01-01");
	date_bad("0000-02-29");
	date_bad("2023-13-01");
	date_bad("2023-00-10");
	date_bad("2023-01-00");
	date_bad("2023-01-32");
	date_bad("2023-04-31");
	date_bad("2023-06-31");
	date_bad("2023-09-31");
	date_bad("2023-11-31");
	date_bad(" 2023-01-05");
	date_bad("2023-01-05 ");
	date_bad("2023-01-05T00:00");
	date_bad("+2023-01-05");
	date_bad("-2023-01-05");
	date_bad("10000-01-01");
	date_bad("2023-0a-05");
	date_bad("2023-01-5x");
	date_bad("05-01-2023");
	date_bad("");
	/* the bytes just below '0' and just above '9', and a high one, at every digit */
	static const char NEAR[] = {'/', ':', (char)0xB0};
	for (int at = 0; at < 10; at++) {
		if (at == 4 || at == 7)
			continue;
		for (int k = 0; k < 3; k++) {
			char t[11] = "2024-06-15";
			t[at] = NEAR[k];
			date_bad(t);
		}
	}
}

/* ---- datetime ---- */

static void test_datetime_accepts(void **state)
{
	(void)state;
	const int64_t d = 19724LL * 86400; /* 2024-01-02 */
	datetime_ok("2024-01-02T03:04:05", d + 3 * 3600 + 4 * 60 + 5, 0);
	datetime_ok("2024-01-02 03:04:05", d + 3 * 3600 + 4 * 60 + 5, 0);
	datetime_ok("2024-01-02T03:04", d + 3 * 3600 + 4 * 60, 0);
	datetime_ok("2024-01-02 03:04", d + 3 * 3600 + 4 * 60, 0);
	datetime_ok("2024-01-02T03:04:05.5", d + 11045, 500000000);
	datetime_ok("2024-01-02T03:04:05.123456789", d + 11045, 123456789);
	datetime_ok("2024-01-02T03:04:05.000000001", d + 11045, 1);
	datetime_ok("2024-01-02T03:04:05.1234567891", d + 11045, 123456789); /* kept to ns */
	datetime_ok("2024-01-02T23:59:59", d + 86399, 0);
	datetime_ok("2024-01-02T00:00Z", d, 0);
	datetime_ok("2024-01-02T00:00:00Z", d, 0);
	datetime_ok("2024-01-02T00:00:00.25Z", d, 250000000);
	datetime_ok("2024-01-02T00:00+00:00", d, 0);
	datetime_ok("2024-01-02T00:00-00:00", d, 0);
	datetime_ok("2024-01-02T01:00+01:00", d, 0);
	datetime_ok("2024-01-02T00:00-05:30", d + 5 * 3600 + 30 * 60, 0);
	datetime_ok("1969-12-31T23:59:59", -1, 0);
	datetime_ok("1970-01-01T00:00:00", 0, 0);
}

static void test_datetime_offset_changes_the_instant(void **state)
{
	(void)state;
	rv_instant a, b, c;
	assert_true(parse_datetime("2024-01-01T00:30:00+01:00", 25, &a));
	assert_true(parse_datetime("2023-12-31T23:30:00Z", 20, &b));
	assert_true(parse_datetime("2023-12-31 18:30-05:00", 22, &c));
	assert_int_equal(a.secs, b.secs);
	assert_int_equal(a.secs, c.secs);
	rv_instant local;
	assert_true(parse_datetime("2024-01-01T00:30:00", 19, &local));
	assert_int_equal(local.secs - a.secs, 3600);
	rv_value va = {.type = RV_DATETIME, .u.t = a}, vl = {.type = RV_DATETIME, .u.t = local};
	assert_int_equal(value_cmp(&va, &vl), -1);
}

static void test_datetime_rejects(void **state)
{
	(void)state;
	datetime_bad("2024-01-02T24:00");
	datetime_bad("2024-01-02T24:00:00");
	datetime_bad("2024-01-02T23:60");
	datetime_bad("2024-01-02T23:59:60");
	datetime_bad("2024-01-02");
	datetime_bad("2024-01-02T");
	datetime_bad("2024-01-02T03");
	datetime_bad("2024-01-02t03:04");
	datetime_bad("2024-01-02_03:04");
	datetime_bad("2024-01-02  03:04");
	datetime_bad("2024-01-02T3:04");
	datetime_bad("2024-01-02T03:4");
	datetime_bad("2024-01-02T03:04:5");
	datetime_bad("2024-01-02T03:04:");
	datetime_bad("2024-01-02T03:04:05.");
	datetime_bad("2024-01-02T03:04:05.Z");
	datetime_bad("2024-01-02T03:04:05,5");
	datetime_bad("2024-01-02T03:04+0100");
	datetime_bad("2024-01-02T03:04+01");
	datetime_bad("2024-01-02T03:04+1:00");
	datetime_bad("2024-01-02T03:04+24:00");
	datetime_bad("2024-01-02T03:04+01:60");
	datetime_bad("2024-01-02T03:04z");
	datetime_bad("2024-01-02T03:04 Z");
	datetime_bad("2024-01-02T03:04:05Z ");
	datetime_bad("2024-01-02T03:04ZZ");
	datetime_bad("2024-02-30T00:00");
	datetime_bad("2023-1-02T00:00");
	datetime_bad(" 2024-01-02T00:00");
	datetime_bad("");
}

/* ---- time ---- */

static void test_time(void **state)
{
	(void)state;
	time_ok("00:00", 0, 0);
	time_ok("12:30", 45000, 0);
	time_ok("12:30:15", 45015, 0);
	time_ok("23:59:59", 86399, 0);
	time_ok("23:59:59.999999999", 86399, 999999999);
	time_ok("00:00:00.1", 0, 100000000);
	time_bad("24:00");
	time_bad("12:60");
	time_bad("12:30:60");
	time_bad("12");
	time_bad("12:3");
	time_bad("1:30");
	time_bad("12:30:");
	time_bad("12:30:1");
	time_bad("12:30:00.");
	time_bad("12:30Z");
	time_bad("12:30:00Z");
	time_bad("12:30:00+01:00");
	time_bad(" 12:30");
	time_bad("12:30 ");
	time_bad("12-30");
	time_bad("12h30");
}

/* An empty span is not a time (parse_clock's 0 "error" equals the span's length 0). */
static void test_time_rejects_empty(void **state)
{
	(void)state;
	time_bad("");
	rv_value v;
	assert_false(parse_value(RV_TIME, "", 0, &v));
	assert_false(parse_value(RV_TIME, "12:30", 0, &v));
}

/* ---- parse_value and type names ---- */

static void test_parse_value(void **state)
{
	(void)state;
	rv_value v;
	const char *s = "hello";
	assert_true(parse_value(RV_STR, s, 5, &v));
	assert_int_equal(v.type, RV_STR);
	assert_ptr_equal(v.u.s.p, s);
	assert_int_equal(v.u.s.n, 5);
	assert_true(parse_value(RV_STR, "", 0, &v)); /* any text is a str */

	const char *d = "12.50";
	assert_true(parse_value(RV_DECIMAL, d, 5, &v));
	assert_int_equal(v.type, RV_DECIMAL);
	assert_ptr_equal(v.u.s.p, d);
	assert_int_equal(v.u.s.n, 5);
	assert_false(parse_value(RV_DECIMAL, "1e3", 3, &v));

	assert_true(parse_value(RV_INT, "-42", 3, &v));
	assert_int_equal(v.type, RV_INT);
	assert_int_equal(v.u.i, -42);
	assert_true(parse_value(RV_FLOAT, "2.5", 3, &v));
	assert_int_equal(v.type, RV_FLOAT);
	assert_true(v.u.f == 2.5);
	assert_true(parse_value(RV_BOOL, "TRUE", 4, &v));
	assert_int_equal(v.type, RV_BOOL);
	assert_true(v.u.b);
	assert_true(parse_value(RV_DATE, "2024-02-29", 10, &v));
	assert_int_equal(v.type, RV_DATE);
	assert_int_equal(v.u.date, 19782);
	assert_true(parse_value(RV_DATETIME, "1970-01-01T00:01", 16, &v));
	assert_int_equal(v.type, RV_DATETIME);
	assert_int_equal(v.u.t.secs, 60);
	assert_true(parse_value(RV_TIME, "00:01:02", 8, &v));
	assert_int_equal(v.type, RV_TIME);
	assert_int_equal(v.u.t.secs, 62);
	assert_false(parse_value(RV_NONE, "None", 4, &v));
	assert_false(parse_value(RV_INT, "18.0", 4, &v));
	assert_false(parse_value(RV_DATE, "2023-02-30", 10, &v));
}

static void test_type_names(void **state)
{
	(void)state;
	static const char *const N[] = {"str",	"int",	"float",    "decimal",
					"bool", "date", "datetime", "time"};
	for (int t = RV_STR; t < RV_NONE; t++) {
		rv_type got = RV_NONE;
		assert_string_equal(type_name((rv_type)t), N[t]);
		assert_true(type_from_name(N[t], &got));
		assert_int_equal(got, t);
	}
	assert_string_equal(type_name(RV_NONE), "None");
	rv_type t = RV_STR;
	assert_false(type_from_name("None", &t)); /* never a field type */
	assert_false(type_from_name("integer", &t));
	assert_false(type_from_name("Int", &t));
	assert_false(type_from_name("", &t));
	assert_true(type_is_numeric(RV_INT) && type_is_numeric(RV_FLOAT) &&
		    type_is_numeric(RV_DECIMAL));
	assert_false(type_is_numeric(RV_BOOL) || type_is_numeric(RV_STR) ||
		     type_is_numeric(RV_DATE));
	assert_true(type_is_temporal(RV_DATE) && type_is_temporal(RV_DATETIME) &&
		    type_is_temporal(RV_TIME));
	assert_false(type_is_temporal(RV_STR) || type_is_temporal(RV_INT) ||
		     type_is_temporal(RV_NONE));
}

/* ---- value_cmp ---- */

static rv_value str_val(const char *s)
{
	rv_value v = {.type = RV_STR};
	v.u.s.p = s;
	v.u.s.n = strlen(s);
	return v;
}

static rv_value typed(rv_type t, const char *s)
{
	rv_value v;
	if (!parse_value(t, s, strlen(s), &v))
		fail_msg("bad test value '%s' for %s", s, type_name(t));
	return v;
}

static void vcmp_is(rv_value a, rv_value b, int want)
{
	int got = sign(value_cmp(&a, &b)), back = sign(value_cmp(&b, &a));
	if (got != want || back != -want)
		fail_msg("value_cmp = %d (reverse %d), want %d", got, back, want);
}

static void test_value_cmp(void **state)
{
	(void)state;
	vcmp_is(str_val("a"), str_val("b"), -1);
	vcmp_is(str_val("a"), str_val("ab"), -1);
	vcmp_is(str_val(""), str_val("a"), -1);
	vcmp_is(str_val(""), str_val(""), 0);
	vcmp_is(str_val("B"), str_val("a"), -1); /* bytewise */
	vcmp_is(str_val("\xc3\xa9"), str_val("z"), 1);
	vcmp_is(typed(RV_INT, "-9223372036854775808"), typed(RV_INT, "9223372036854775807"), -1);
	vcmp_is(typed(RV_INT, "7"), typed(RV_INT, "007"), 0);
	vcmp_is(typed(RV_FLOAT, "0.1"), typed(RV_FLOAT, "1e-1"), 0);
	vcmp_is(typed(RV_FLOAT, "-0.5"), typed(RV_FLOAT, ".5"), -1);
	vcmp_is(typed(RV_DECIMAL, "1.10"), typed(RV_DECIMAL, "1.1"), 0);
	vcmp_is(typed(RV_DECIMAL, "1.000000000000000000001"), typed(RV_DECIMAL, "1"), 1);
	vcmp_is(typed(RV_BOOL, "false"), typed(RV_BOOL, "1"), -1);
	vcmp_is(typed(RV_BOOL, "TRUE"), typed(RV_BOOL, "1"), 0);
	vcmp_is(typed(RV_DATE, "2023-12-31"), typed(RV_DATE, "2024-01-01"), -1);
	vcmp_is(typed(RV_DATETIME, "2024-01-01T00:00:00.5"),
		typed(RV_DATETIME, "2024-01-01T00:00:00.25"), 1);
	vcmp_is(typed(RV_DATETIME, "2024-01-01T00:00:01"),
		typed(RV_DATETIME, "2024-01-01T00:00:00.9"), 1);
	vcmp_is(typed(RV_DATETIME, "2024-01-01 01:00+01:00"),
		typed(RV_DATETIME, "2024-01-01T00:00Z"), 0);
	vcmp_is(typed(RV_TIME, "09:00"), typed(RV_TIME, "10:00"), -1);
	vcmp_is(typed(RV_TIME, "10:00:00.000000001"), typed(RV_TIME, "10:00"), 1);
}

/* ---- value_format ---- */

static const char *fmt(const rv_value *v, char *buf, size_t size)
{
	int n = value_format(v, buf, size);
	if (n < 0 || (size_t)n != strlen(buf))
		fail_msg("value_format returned %d for '%s'", n, buf);
	return buf;
}

static void test_value_format_exact(void **state)
{
	(void)state;
	char b[128];
	rv_value v = typed(RV_INT, "-9223372036854775808");
	assert_string_equal(fmt(&v, b, sizeof(b)), "-9223372036854775808");
	v = typed(RV_INT, "007");
	assert_string_equal(fmt(&v, b, sizeof(b)), "7");
	v = typed(RV_FLOAT, "0.1");
	assert_string_equal(fmt(&v, b, sizeof(b)), "0.1");
	v = typed(RV_FLOAT, "2.50");
	assert_string_equal(fmt(&v, b, sizeof(b)), "2.5");
	v = typed(RV_BOOL, "1");
	assert_string_equal(fmt(&v, b, sizeof(b)), "true");
	v = typed(RV_BOOL, "FALSE");
	assert_string_equal(fmt(&v, b, sizeof(b)), "false");
	v = typed(RV_DATE, "2024-02-29");
	assert_string_equal(fmt(&v, b, sizeof(b)), "2024-02-29");
	v = typed(RV_DATE, "0001-01-01");
	assert_string_equal(fmt(&v, b, sizeof(b)), "0001-01-01");
	v = typed(RV_TIME, "12:30");
	assert_string_equal(fmt(&v, b, sizeof(b)), "12:30:00");
	v = typed(RV_TIME, "00:00:00.500");
	assert_string_equal(fmt(&v, b, sizeof(b)), "00:00:00.5");
	v = typed(RV_TIME, "23:59:59.123456789");
	assert_string_equal(fmt(&v, b, sizeof(b)), "23:59:59.123456789");
	v = typed(RV_DECIMAL, "012.50");
	assert_string_equal(fmt(&v, b, sizeof(b)), "012.50"); /* its text, never a double */
	v = str_val("it's");
	assert_string_equal(fmt(&v, b, sizeof(b)), "it's");
	v.type = RV_NONE;
	assert_string_equal(fmt(&v, b, sizeof(b)), "None");
	/* a datetime is ISO 8601 with a 'T' (an offset, if any, is not part of the instant) */
	v = typed(RV_DATETIME, "2024-01-02 03:04");
	fmt(&v, b, sizeof(b));
	assert_memory_equal(b, "2024-01-02T03:04:00", 19);
}

/* Whole floats print as integers, not in exponent form: "%.17g trimmed" (types.h). */
static void test_value_format_whole_floats(void **state)
{
	(void)state;
	char b[64];
	rv_value v = typed(RV_FLOAT, "100");
	assert_string_equal(fmt(&v, b, sizeof(b)), "100");
	v = typed(RV_FLOAT, "120");
	assert_string_equal(fmt(&v, b, sizeof(b)), "120");
	v = typed(RV_FLOAT, "-30");
	assert_string_equal(fmt(&v, b, sizeof(b)), "-30");
	v = typed(RV_FLOAT, "1500.5");
	assert_string_equal(fmt(&v, b, sizeof(b)), "1500.5");
}

/* str and decimal values are their text, however long it is. */
static void test_value_format_long_text(void **state)
{
	(void)state;
	char text[301], out[400];
	memset(text, '7', 300);
	text[150] = '.';
	text[300] = '\0';
	rv_value v = typed(RV_DECIMAL, text);
	memset(out, 'x', sizeof(out));
	assert_int_equal(value_format(&v, out, sizeof(out)), 300);
	assert_string_equal(out, text);
	v = str_val(text);
	memset(out, 'x', sizeof(out));
	assert_int_equal(value_format(&v, out, sizeof(out)), 300);
	assert_string_equal(out, text);
	/* and cut like snprintf when the buffer is short */
	char small[10];
	assert_int_equal(value_format(&v, small, sizeof(small)), 300);
	assert_string_equal(small, "777777777");
}

static void test_value_format_truncates_like_snprintf(void **state)
{
	(void)state;
	char b[6];
	rv_value v = typed(RV_DATE, "2024-02-29");
	assert_int_equal(value_format(&v, b, sizeof(b)), 10);
	assert_string_equal(b, "2024-");
	v = typed(RV_INT, "123456789");
	assert_int_equal(value_format(&v, b, sizeof(b)), 9);
	assert_string_equal(b, "12345");
	v = typed(RV_DATETIME, "2024-01-02T03:04:05.5");
	char big[64];
	int full = value_format(&v, big, sizeof(big));
	assert_true(full >= 21);
	char small[25];
	for (size_t n = 1; n <= sizeof(small); n++) {
		memset(small, 'x', sizeof(small));
		int k = value_format(&v, small, n);
		if (k != full)
			fail_msg("value_format into %zu bytes returned %d, want %d", n, k, full);
		if (strlen(small) >= n || memcmp(small, big, strlen(small)) != 0)
			fail_msg("value_format into %zu bytes wrote '%.*s'", n, (int)n, small);
	}
}

static void test_value_format_round_trips(void **state)
{
	(void)state;
	char b[128];
	static const double F[] = {0.1,
				   1.0 / 3,
				   2.5,
				   -2.5,
				   1e300,
				   5e-324,
				   1e6,
				   1e21,
				   -0.0,
				   123456789.125,
				   0.30000000000000004,
				   1e-7,
				   9007199254740993.0};
	for (size_t i = 0; i < sizeof(F) / sizeof(F[0]); i++) {
		rv_value v = {.type = RV_FLOAT, .u.f = F[i]};
		fmt(&v, b, sizeof(b));
		double back = 0;
		if (!parse_float(b, strlen(b), &back) || back != F[i])
			fail_msg("%.17g formatted as '%s' does not read back", F[i], b);
	}
	static const char *const DT[] = {
		"2024-01-02T03:04:05",	      "1969-12-31T23:59:59.999999999",
		"0001-01-01T00:00",	      "9999-12-31T23:59:59.5",
		"2024-02-29T12:00:00.000001", "1970-01-01T00:00:00+01:00",
		"2000-03-01T00:00:00-05:30"};
	for (size_t i = 0; i < sizeof(DT) / sizeof(DT[0]); i++) {
		rv_value v = typed(RV_DATETIME, DT[i]), back;
		fmt(&v, b, sizeof(b));
		if (!parse_value(RV_DATETIME, b, strlen(b), &back) || value_cmp(&v, &back) != 0)
			fail_msg("'%s' formatted as '%s' does not read back", DT[i], b);
	}
	static const char *const TM[] = {"00:00", "23:59:59.999999999", "12:00:00.1", "07:08:09"};
	for (size_t i = 0; i < sizeof(TM) / sizeof(TM[0]); i++) {
		rv_value v = typed(RV_TIME, TM[i]), back;
		fmt(&v, b, sizeof(b));
		if (!parse_value(RV_TIME, b, strlen(b), &back) || value_cmp(&v, &back) != 0)
			fail_msg("'%s' formatted as '%s' does not read back", TM[i], b);
	}
	static const char *const I[] = {"0", "-1", "9223372036854775807", "-9223372036854775808"};
	for (size_t i = 0; i < sizeof(I) / sizeof(I[0]); i++) {
		rv_value v = typed(RV_INT, I[i]), back;
		fmt(&v, b, sizeof(b));
		assert_string_equal(b, I[i]);
		assert_true(parse_value(RV_INT, b, strlen(b), &back));
		assert_int_equal(back.u.i, v.u.i);
	}
	/* every 97th day of the calendar, formatted and read back */
	for (int32_t d = -719162; d <= 2932896; d += 97) {
		rv_value v = {.type = RV_DATE, .u.date = d};
		fmt(&v, b, sizeof(b));
		int32_t back = 0;
		if (!parse_date(b, strlen(b), &back) || back != d)
			fail_msg("day %d formatted as '%s' does not read back", d, b);
	}
}

/* A float that is infinite (from arithmetic, or a parser that lets 1e999 through) formats without
 * crashing: format_float looked for the 'e' of "%e" output that "inf" does not have. Run in a
 * child process, so the crash fails this test only. */
static int format_infinities(void)
{
	char b[64];
	rv_value v = {.type = RV_FLOAT, .u.f = 1e308 * 10};
	int n = value_format(&v, b, sizeof(b));
	if (n <= 0 || (size_t)n != strlen(b))
		return 2;
	v.u.f = -v.u.f;
	n = value_format(&v, b, sizeof(b));
	return n > 0 && b[0] == '-' ? 0 : 3;
}

static void test_value_format_infinity(void **state)
{
	(void)state;
	survives("value_format(inf)", format_infinities);
}

/* ---- the civil calendar ---- */

static void test_civil_anchors(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(days_from_civil(1, 1, 1), -719162);
	assert_int_equal(days_from_civil(9999, 12, 31), 2932896);
	int y;
	unsigned m, d;
	civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	civil_from_days(19782, &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void test_civil_every_day(void **state)
{
	(void)state;
	/* walk the calendar one day at a time from 0001-01-01 to 9999-12-31 */
	int y = 1;
	unsigned m = 1, d = 1;
	int32_t expect = -719162;
	for (;;) {
		int32_t got = days_from_civil(y, m, d);
		if (got != expect)
			fail_msg("days_from_civil(%04d-%02u-%02u) = %d, want %d", y, m, d, got,
				 expect);
		int yy;
		unsigned mm, dd;
		civil_from_days(expect, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("civil_from_days(%d) = %04d-%02u-%02u, want %04d-%02u-%02u",
				 expect, yy, mm, dd, y, m, d);
		if (y == 9999 && m == 12 && d == 31)
			break;
		expect++;
		if (date_valid(y, m, d + 1)) {
			d++;
		} else if (m < 12) {
			m++;
			d = 1;
		} else {
			y++;
			m = 1;
			d = 1;
		}
	}
	assert_int_equal(expect, 2932896);
}

static void test_date_valid(void **state)
{
	(void)state;
	assert_true(date_valid(2024, 2, 29));
	assert_true(date_valid(2000, 2, 29));
	assert_false(date_valid(1900, 2, 29));
	assert_false(date_valid(2023, 2, 29));
	assert_true(date_valid(2023, 12, 31));
	assert_false(date_valid(2023, 4, 31));
	assert_false(date_valid(2023, 0, 1));
	assert_false(date_valid(2023, 13, 1));
	assert_false(date_valid(2023, 1, 0));
	assert_false(date_valid(0, 1, 1));
	assert_false(date_valid(10000, 1, 1));
	assert_true(date_valid(1, 1, 1));
	assert_true(date_valid(9999, 12, 31));
}

/* ---- date/time format patterns ---- */

static void dtfmt_fails(const char *f, rv_type t, const char *msg)
{
	rv_dtfmt out;
	char err[200] = "";
	if (dtfmt_compile(f, t, &out, err, sizeof(err)))
		fail_msg("format '%s' for %s should not compile", f, type_name(t));
	if (strcmp(err, msg) != 0)
		fail_msg("format '%s': message '%s', want '%s'", f, err, msg);
}

static void dtfmt_compiles(const char *f, rv_type t, rv_dtfmt *out)
{
	char err[200] = "";
	if (!dtfmt_compile(f, t, out, err, sizeof(err)))
		fail_msg("format '%s' for %s should compile: %s", f, type_name(t), err);
}

static void test_dtfmt_compile_errors(void **state)
{
	(void)state;
	dtfmt_fails("%d/%m/%y", RV_DATE,
		    "unknown directive '%y' in format (use %Y %m %d %H %M %S %f %z %j %b %%)");
	dtfmt_fails("%Y-%m-%d %a", RV_DATETIME,
		    "unknown directive '%a' in format (use %Y %m %d %H %M %S %f %z %j %b %%)");
	dtfmt_fails("%Y-%m-%d%", RV_DATE, "format ends with a lone '%'");
	dtfmt_fails("%", RV_TIME, "format ends with a lone '%'");
	dtfmt_fails("%Y-%m-%d %Y", RV_DATE, "directive '%Y' appears twice in format");
	dtfmt_fails("%H:%M:%M", RV_TIME, "directive '%M' appears twice in format");
	dtfmt_fails("%Y-%m", RV_DATE, "a date format needs %Y and %m (or %b) and %d, or %Y and %j");
	dtfmt_fails("%m/%d", RV_DATE, "a date format needs %Y and %m (or %b) and %d, or %Y and %j");
	dtfmt_fails("%H:%M", RV_DATETIME,
		    "a datetime format needs %Y and %m (or %b) and %d, or %Y and %j");
	dtfmt_fails("%H", RV_TIME, "a time format needs %H and %M");
	dtfmt_fails("%H:%M.%f", RV_TIME, "'%f' needs '%S'");
	dtfmt_fails("%Y-%m-%d %H:%M.%f", RV_DATETIME, "'%f' needs '%S'");
	dtfmt_fails("%Y%j%m", RV_DATE, "'%j' cannot be combined with '%m', '%b' or '%d'");
	dtfmt_fails("%Y%j %d", RV_DATE, "'%j' cannot be combined with '%m', '%b' or '%d'");
	dtfmt_fails("%Y %m %b %d", RV_DATE, "'%m' and '%b' both give the month");
}

static void test_dtfmt_compile_length_limit(void **state)
{
	(void)state;
	char f[128];
	rv_dtfmt out;
	/* "%Y-%m-%d" is 5 items; 59 more literals make 64, one more is too many */
	memcpy(f, "%Y-%m-%d", 8);
	memset(f + 8, 'x', 59);
	f[67] = '\0';
	dtfmt_compiles(f, RV_DATE, &out);
	assert_int_equal(out.n, 64);
	f[67] = 'x';
	f[68] = '\0';
	dtfmt_fails(f, RV_DATE, "format is too long (at most 64 items)");
	/* a short error buffer gets a truncated, terminated message */
	char err[8];
	assert_false(dtfmt_compile("%q", RV_DATE, &out, err, sizeof(err)));
	assert_string_equal(err, "unknown");
}

static void test_dtfmt_compile_ok(void **state)
{
	(void)state;
	rv_dtfmt f;
	dtfmt_compiles("%d/%m/%Y", RV_DATE, &f);
	assert_int_equal(f.n, 5);
	assert_int_equal(f.items[0].dir, 'd');
	assert_int_equal(f.items[1].dir, 0);
	assert_int_equal(f.items[1].lit, '/');
	assert_int_equal(f.items[4].dir, 'Y');
	dtfmt_compiles("%Y%j", RV_DATE, &f);
	dtfmt_compiles("%d %b %Y", RV_DATE, &f);
	dtfmt_compiles("%Y-%m-%dT%H:%M:%S.%f%z", RV_DATETIME, &f);
	dtfmt_compiles("%d/%m/%Y", RV_DATETIME, &f); /* midnight, wall clock */
	dtfmt_compiles("%H:%M", RV_TIME, &f);
	dtfmt_compiles("%H%M%S.%f", RV_TIME, &f);
	dtfmt_compiles("100%% %Y-%m-%d", RV_DATE, &f);
	assert_int_equal(f.items[3].dir, 0);
	assert_int_equal(f.items[3].lit, '%');
}

static rv_value dt_parse(const char *format, rv_type t, const char *s, bool *ok)
{
	rv_dtfmt f;
	dtfmt_compiles(format, t, &f);
	rv_value v;
	memset(&v, 0, sizeof(v));
	*ok = dtfmt_parse(&f, t, s, strlen(s), &v);
	if (*ok && v.type != t)
		fail_msg("dtfmt_parse('%s', '%s') gave type %s", format, s, type_name(v.type));
	return v;
}

static void dt_date_is(const char *format, const char *s, const char *iso)
{
	bool ok;
	rv_value v = dt_parse(format, RV_DATE, s, &ok);
	if (!ok)
		fail_msg("'%s' should match '%s'", s, format);
	if (v.u.date != day(iso))
		fail_msg("'%s' with '%s' gave day %d, want %s", s, format, v.u.date, iso);
}

static void dt_no(const char *format, rv_type t, const char *s)
{
	bool ok;
	dt_parse(format, t, s, &ok);
	if (ok)
		fail_msg("'%s' should not match '%s' as a %s", s, format, type_name(t));
}

static void dt_same(const char *format, rv_type t, const char *s, const char *iso)
{
	bool ok;
	rv_value v = dt_parse(format, t, s, &ok);
	if (!ok)
		fail_msg("'%s' should match '%s'", s, format);
	rv_value w = typed(t, iso);
	if (value_cmp(&v, &w) != 0)
		fail_msg("'%s' with '%s' is not %s", s, format, iso);
}

static void test_dtfmt_parse_day_month_year(void **state)
{
	(void)state;
	dt_date_is("%d/%m/%Y", "05/01/2023", "2023-01-05");
	dt_date_is("%d/%m/%Y", "29/02/2024", "2024-02-29");
	dt_date_is("%d/%m/%Y", "31/12/9999", "9999-12-31");
	dt_no("%d/%m/%Y", RV_DATE, "5/1/2023");
	dt_no("%d/%m/%Y", RV_DATE, "31/02/2023");
	dt_no("%d/%m/%Y", RV_DATE, "29/02/2023");
	dt_no("%d/%m/%Y", RV_DATE, "00/01/2023");
	dt_no("%d/%m/%Y", RV_DATE, "01/13/2023");
	dt_no("%d/%m/%Y", RV_DATE, "01/01/0000");
	dt_no("%d/%m/%Y", RV_DATE, "05/01/2023 ");
	dt_no("%d/%m/%Y", RV_DATE, " 05/01/2023");
	dt_no("%d/%m/%Y", RV_DATE, "05/01/20233");
	dt_no("%d/%m/%Y", RV_DATE, "05/01/202");
	dt_no("%d/%m/%Y", RV_DATE, "05-01-2023");
	dt_no("%d/%m/%Y", RV_DATE, "2023-01-05");
	dt_no("%d/%m/%Y", RV_DATE, "");
	dt_no("%d/%m/%Y", RV_DATE, "+5/01/2023");
	dt_date_is("100%% %Y-%m-%d", "100% 2024-01-01", "2024-01-01");
	dt_no("100%% %Y-%m-%d", RV_DATE, "100%% 2024-01-01");
}

static void test_dtfmt_parse_day_of_year(void **state)
{
	(void)state;
	dt_date_is("%Y%j", "2024060", "2024-02-29");
	dt_date_is("%Y%j", "2023060", "2023-03-01");
	dt_date_is("%Y%j", "2023001", "2023-01-01");
	dt_date_is("%Y%j", "2024366", "2024-12-31");
	dt_date_is("%Y%j", "2023365", "2023-12-31");
	dt_date_is("%Y-%j", "1900-060", "1900-03-01");
	dt_no("%Y%j", RV_DATE, "2023366");
	dt_no("%Y%j", RV_DATE, "2024367");
	dt_no("%Y%j", RV_DATE, "2024000");
	dt_no("%Y%j", RV_DATE, "0000001");
	dt_no("%Y%j", RV_DATE, "202401");
	dt_no("%Y%j", RV_DATE, "20240601");
}

static void test_dtfmt_parse_month_names(void **state)
{
	(void)state;
	dt_date_is("%d %b %Y", "05 Jan 2023", "2023-01-05");
	dt_date_is("%d %b %Y", "05 JAN 2023", "2023-01-05");
	dt_date_is("%d %b %Y", "05 jan 2023", "2023-01-05");
	dt_date_is("%d %b %Y", "05 jAn 2023", "2023-01-05");
	dt_date_is("%d %b %Y", "29 Feb 2024", "2024-02-29");
	dt_date_is("%d %b %Y", "31 Dec 1999", "1999-12-31");
	static const char *const M[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	for (int i = 0; i < 12; i++) {
		char s[32], iso[32];
		snprintf(s, sizeof(s), "01 %s 2023", M[i]);
		snprintf(iso, sizeof(iso), "2023-%02d-01", i + 1);
		dt_date_is("%d %b %Y", s, iso);
	}
	dt_no("%d %b %Y", RV_DATE, "05 Janu 2023");
	dt_no("%d %b %Y", RV_DATE, "05 January 2023");
	dt_no("%d %b %Y", RV_DATE, "05 Xyz 2023");
	dt_no("%d %b %Y", RV_DATE, "05 01 2023");
	dt_no("%d %b %Y", RV_DATE, "31 Apr 2023");
	dt_no("%d %b %Y", RV_DATE, "29 Feb 2023");
	dt_no("%Y %d %b", RV_DATE, "2023 05 Ja");
	dt_no("%Y %d %b", RV_DATE, "2023 05 ");
}

static void test_dtfmt_parse_offsets(void **state)
{
	(void)state;
	const char *f = "%Y-%m-%d %H:%M:%S%z";
	dt_same(f, RV_DATETIME, "2024-01-01 00:30:00Z", "2024-01-01T00:30:00Z");
	dt_same(f, RV_DATETIME, "2024-01-01 00:30:00+0100", "2023-12-31T23:30:00Z");
	dt_same(f, RV_DATETIME, "2024-01-01 00:30:00+01:00", "2023-12-31T23:30:00Z");
	dt_same(f, RV_DATETIME, "2024-01-01 00:30:00-0530", "2024-01-01T06:00:00Z");
	dt_same(f, RV_DATETIME, "2024-01-01 00:30:00-05:30", "2024-01-01T06:00:00Z");
	dt_same(f, RV_DATETIME, "2024-01-01 00:30:00+0000", "2024-01-01T00:30:00");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00z");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00+01");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00+010");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00+01000");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00+0160");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00+2400");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00+01:0");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00 +0100");
	dt_no(f, RV_DATETIME, "2024-01-01 00:30:00ZZ");
	/* an offset in the middle of a format */
	dt_same("%z %Y-%m-%d %H:%M", RV_DATETIME, "+02:00 2024-01-01 02:00", "2024-01-01T00:00Z");
	dt_same("%z %Y-%m-%d %H:%M", RV_DATETIME, "-0100 2024-01-01 02:00", "2024-01-01T03:00Z");
}

static void test_dtfmt_parse_fractions(void **state)
{
	(void)state;
	const char *f = "%H:%M:%S.%f";
	dt_same(f, RV_TIME, "12:00:00.5", "12:00:00.5");
	dt_same(f, RV_TIME, "12:00:00.000000001", "12:00:00.000000001");
	dt_same(f, RV_TIME, "12:00:00.123456789", "12:00:00.123456789");
	dt_same(f, RV_TIME, "12:00:00.120", "12:00:00.12");
	bool ok;
	rv_value v = dt_parse(f, RV_TIME, "01:02:03.25", &ok);
	assert_true(ok);
	assert_int_equal(v.u.t.secs, 3723);
	assert_int_equal(v.u.t.nsec, 250000000);
	dt_no(f, RV_TIME, "12:00:00.");
	dt_no(f, RV_TIME, "12:00:00.1234567890"); /* at most 9 digits */
	dt_no(f, RV_TIME, "12:00:00.5x");
	dt_no(f, RV_TIME, "12:00:00");
	dt_same("%Y%m%d%H%M%S%f", RV_DATETIME, "20240102030405123", "2024-01-02T03:04:05.123");
}

static void test_dtfmt_parse_clock(void **state)
{
	(void)state;
	dt_same("%H%M", RV_TIME, "2359", "23:59");
	dt_same("%H%M", RV_TIME, "0000", "00:00");
	dt_no("%H%M", RV_TIME, "2400");
	dt_no("%H%M", RV_TIME, "1260");
	dt_no("%H%M", RV_TIME, "123");
	dt_no("%H:%M:%S", RV_TIME, "12:00:60");
	dt_no("%H:%M", RV_TIME, "12:0a");
	/* without an offset a datetime is the wall clock, as parse_datetime reads it */
	dt_same("%d.%m.%Y %H:%M", RV_DATETIME, "02.01.2024 03:04", "2024-01-02T03:04");
	dt_same("%d/%m/%Y", RV_DATETIME, "02/01/2024", "2024-01-02T00:00");
	dt_no("%d.%m.%Y %H:%M", RV_DATETIME, "30.02.2024 03:04");
	dt_no("%d.%m.%Y %H:%M", RV_DATETIME, "02.01.2024 24:00");
	dt_no("%Y-%m-%dT", RV_DATE, "2024-01-02");
	dt_date_is("%Y-%m-%dT", "2024-01-02T", "2024-01-02");
}

static void test_dtfmt_any_directive_in_any_type(void **state)
{
	(void)state;
	rv_dtfmt f;
	char err[200];
	rv_value v;
	/* a time with an offset: the offset is checked, then dropped */
	assert_true(dtfmt_compile("%H%M %z", RV_TIME, &f, err, sizeof(err)));
	assert_true(dtfmt_parse(&f, RV_TIME, "1230 +0100", 10, &v));
	assert_int_equal(v.u.t.secs, 12 * 3600 + 30 * 60);
	assert_false(dtfmt_parse(&f, RV_TIME, "1230 +2500", 10, &v));
	/* a date with a time of day: the time is checked, then dropped */
	assert_true(dtfmt_compile("%Y-%m-%d %H", RV_DATE, &f, err, sizeof(err)));
	assert_true(dtfmt_parse(&f, RV_DATE, "2024-02-29 10", 13, &v));
	assert_int_equal(v.u.date, days_from_civil(2024, 2, 29));
	assert_false(dtfmt_parse(&f, RV_DATE, "2024-02-29 24", 13, &v));
	/* a time with a date: the date must still be a real one */
	assert_true(dtfmt_compile("%Y-%m-%d %H:%M", RV_TIME, &f, err, sizeof(err)));
	assert_true(dtfmt_parse(&f, RV_TIME, "2024-02-29 08:15", 16, &v));
	assert_int_equal(v.u.t.secs, 8 * 3600 + 15 * 60);
	assert_false(dtfmt_parse(&f, RV_TIME, "2023-02-29 08:15", 16, &v));
}

/* The fast float path must give the very double strtod gives. */
static void test_parse_float_matches_strtod(void **state)
{
	(void)state;
	unsigned long long x = 88172645463325252ull;
	char buf[64];
	for (int it = 0; it < 300000; it++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (x % 6) {
		case 0: snprintf(buf, sizeof buf, "%llu.%02llu", (x >> 8) % 100000000, (x >> 40) % 100); break;
		case 1: snprintf(buf, sizeof buf, "-%llu", (x >> 3) % 1000000000000000000ull); break;
		case 2:
			snprintf(buf, sizeof buf, "%.17g", (double)(x >> 11) / 9007199254740992.0 * 1e5);
			break;
		case 3:
			snprintf(buf, sizeof buf, "%llue%d", (x >> 20) % 100000, (int)((x >> 5) % 60) - 30);
			break;
		case 4: snprintf(buf, sizeof buf, "0.%015llu", (x >> 4) % 1000000000000000ull); break;
		default:
			snprintf(buf, sizeof buf, "%llu.%llu", (x >> 30) % 1000,
			         (x >> 2) % 10000000000000000ull);
			break;
		}
		double d;
		if (!parse_float(buf, strlen(buf), &d))
			fail_msg("parse_float refused %s", buf);
		if (d != strtod(buf, NULL))
			fail_msg("parse_float(%s) = %.17g, strtod = %.17g", buf, d, strtod(buf, NULL));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_accepts),
		cmocka_unit_test(test_int_rejects),
		cmocka_unit_test(test_int_span_is_not_nul_terminated),
		cmocka_unit_test(test_float_accepts),
		cmocka_unit_test(test_float_rejects),
		cmocka_unit_test(test_float_overflow_rejected),
		cmocka_unit_test(test_float_long_text),
		cmocka_unit_test(test_decimal_syntax),
		cmocka_unit_test(test_decimal_cmp_exact),
		cmocka_unit_test(test_decimal_cmp_total_order),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_date_accepts),
		cmocka_unit_test(test_date_rejects),
		cmocka_unit_test(test_datetime_accepts),
		cmocka_unit_test(test_datetime_offset_changes_the_instant),
		cmocka_unit_test(test_datetime_rejects),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_time_rejects_empty),
		cmocka_unit_test(test_parse_value),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_value_cmp),
		cmocka_unit_test(test_value_format_exact),
		cmocka_unit_test(test_value_format_whole_floats),
		cmocka_unit_test(test_value_format_long_text),
		cmocka_unit_test(test_value_format_truncates_like_snprintf),
		cmocka_unit_test(test_value_format_round_trips),
		cmocka_unit_test(test_value_format_infinity),
		cmocka_unit_test(test_civil_anchors),
		cmocka_unit_test(test_civil_every_day),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_dtfmt_compile_errors),
		cmocka_unit_test(test_dtfmt_any_directive_in_any_type),
		cmocka_unit_test(test_parse_float_matches_strtod),
		cmocka_unit_test(test_dtfmt_compile_length_limit),
		cmocka_unit_test(test_dtfmt_compile_ok),
		cmocka_unit_test(test_dtfmt_parse_day_month_year),
		cmocka_unit_test(test_dtfmt_parse_day_of_year),
		cmocka_unit_test(test_dtfmt_parse_month_names),
		cmocka_unit_test(test_dtfmt_parse_offsets),
		cmocka_unit_test(test_dtfmt_parse_fractions),
		cmocka_unit_test(test_dtfmt_parse_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
