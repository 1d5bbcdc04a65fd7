/* test_agg.c: unit tests for the aggregate accumulators (agg.c) and the bignums under them
 * (util/bignum.c): exact int, decimal and float sums, mean and standard deviation to the last
 * digit, decimals too long to sum, results independent of how values are split into chunks
 * and in which order the chunks are merged, and exact comparisons with bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

/* ---- helpers ---- */

static rv_value ival(int64_t i)
{
	return (rv_value){.type = RV_INT, .u.i = i};
}

static rv_value fval(double f)
{
	return (rv_value){.type = RV_FLOAT, .u.f = f};
}

static rv_value dval(const char *s)
{
	return (rv_value){.type = RV_DECIMAL, .u.s = {s, strlen(s)}};
}

typedef bool (*text_fn)(const rv_aggacc *, rv_buf *);

static void assert_text(const rv_aggacc *a, text_fn f, const char *want)
{
	rv_buf b;
	buf_init(&b, 0);
	bool ok = f(a, &b);
	if (!want) {
		assert_false(ok);
		assert_int_equal(b.len, 0);
	} else {
		assert_true(ok);
		assert_string_equal(b.data, want);
	}
	buf_free(&b);
}

static rv_aggacc *ints(const int64_t *v, size_t n)
{
	rv_aggacc *a = aggacc_new(RV_INT, true);
	for (size_t i = 0; i < n; i++) {
		rv_value x = ival(v[i]);
		aggacc_add(a, &x, (uint32_t)i);
	}
	return a;
}

static rv_aggacc *decimals(const char *const *v, size_t n)
{
	rv_aggacc *a = aggacc_new(RV_DECIMAL, true);
	for (size_t i = 0; i < n; i++) {
		rv_value x = dval(v[i]);
		aggacc_add(a, &x, (uint32_t)i);
	}
	return a;
}

static rv_aggacc *floats(const double *v, size_t n)
{
	rv_aggacc *a = aggacc_new(RV_FLOAT, true);
	for (size_t i = 0; i < n; i++) {
		rv_value x = fval(v[i]);
		aggacc_add(a, &x, (uint32_t)i);
	}
	return a;
}

/* ---- bignums ---- */

static void big_text(const rv_big *a, unsigned scale, const char *want)
{
	rv_buf b;
	buf_init(&b, 0);
	big_to_text(a, scale, &b);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void test_big_arithmetic(void **state)
{
	(void)state;
	rv_big a, b, c;
	big_pow10(&a, 40);
	big_text(&a, 0, "10000000000000000000000000000000000000000");
	big_text(&a, 42, "0.010000000000000000000000000000000000000000");
	big_from_i128(&b, -7);
	big_mul(&c, &a, &b);
	big_text(&c, 40, "-7.0000000000000000000000000000000000000000");
	big_add(&c, &c, &a);
	big_text(&c, 0, "-60000000000000000000000000000000000000000");
	big_sub(&c, &b, &b);
	assert_true(big_is_zero(&c));
	assert_int_equal(big_sign(&c), 0);
	big_text(&c, 2, "0.00");
	big_from_u128(&a, 12345);
	assert_int_equal(big_divmod_u64(&a, 100), 45);
	big_text(&a, 0, "123");
	big_from_u128(&a, 3);
	big_shl(&a, 130);
	assert_int_equal(big_bits(&a), 132);
	big_pow10(&b, 0);
	assert_int_equal(big_cmp(&a, &b), 1);
	assert_int_equal(big_cmp(&b, &a), -1);
	big_from_i128(&b, -1);
	assert_int_equal(big_cmp(&b, &a), -1);
	/* overflow is sticky */
	big_pow10(&a, 2000);
	big_mul(&a, &a, &a);
	assert_true(a.overflow);
	big_from_u128(&b, 1);
	big_add(&a, &a, &b);
	assert_true(a.overflow);
}

static void test_big_to_double_rounds(void **state)
{
	(void)state;
	rv_big a;
	uint64_t two53 = 1ull << 53;
	big_from_u128(&a, two53 + 1); /* a tie: to even */
	assert_true(big_to_double(&a, 0, false) == (double)two53);
	big_from_u128(&a, two53 + 3);
	assert_true(big_to_double(&a, 0, false) == (double)(two53 + 4));
	big_from_u128(&a, two53 + 1); /* no tie when something was cut off below */
	big_shl(&a, 10);
	assert_true(big_to_double(&a, -10, true) == (double)(two53 + 2));
	/* a tie far below 64 bits, decided by the low limbs */
	big_from_u128(&a, (unsigned __int128)(two53 + 1) << 70);
	assert_true(big_to_double(&a, -70, false) == (double)two53);
	big_from_u128(&a, ((unsigned __int128)(two53 + 1) << 70) + 1);
	assert_true(big_to_double(&a, -70, false) == (double)(two53 + 2));
	big_from_i128(&a, -3);
	assert_true(big_to_double(&a, -1, false) == -1.5);
}

/* ---- ints ---- */

static void test_int_sum_exact(void **state)
{
	(void)state;
	const int64_t v[] = {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MIN};
	rv_aggacc *a = ints(v, 5);
	assert_int_equal(aggacc_count(a), 5);
	assert_text(a, aggacc_sum_text, "27670116110564327420");
	aggacc_free(a);
	const int64_t w[] = {INT64_MIN, INT64_MIN};
	a = ints(w, 2);
	assert_text(a, aggacc_sum_text, "-18446744073709551616");
	assert_text(a, aggacc_mean_text, "-9.223372036854776e+18");
	assert_text(a, aggacc_stddev_text, "0");
	aggacc_free(a);
}

static void test_int_mean_stddev(void **state)
{
	(void)state;
	const int64_t v[] = {1, 2, 2};
	rv_aggacc *a = ints(v, 3);
	assert_text(a, aggacc_mean_text, "1.6666666666666667");
	assert_text(a, aggacc_sum_text, "5");
	aggacc_free(a);
	const int64_t w[] = {2, 4, 4, 4, 5, 5, 7, 9}; /* sample variance 32/7 */
	a = ints(w, 8);
	assert_text(a, aggacc_stddev_text, "2.138089935299395");
	assert_text(a, aggacc_mean_text, "5");
	aggacc_free(a);
	/* a large offset does not cost digits: the sums are exact */
	const int64_t x[] = {1000000004, 1000000007, 1000000013, 1000000016}; /* variance 30 */
	a = ints(x, 4);
	assert_text(a, aggacc_stddev_text, "5.477225575051661");
	const int64_t y[] = {5, 7, 12, 3, 8, 10};
	rv_aggacc *c = ints(y, 6);
	assert_text(c, aggacc_stddev_text, "3.2710854467592254");
	aggacc_free(c);
	rv_exact var, b;
	assert_true(aggacc_variance(a, &var));
	assert_true(exact_from_text("30", false, &b));
	assert_int_equal(exact_cmp(&var, &b), 0);
	aggacc_free(a);
}

static void test_too_few_values(void **state)
{
	(void)state;
	rv_aggacc *a = aggacc_new(RV_INT, true);
	assert_text(a, aggacc_sum_text, "0");
	assert_text(a, aggacc_mean_text, NULL);
	assert_text(a, aggacc_stddev_text, NULL);
	rv_value x = ival(7);
	aggacc_add(a, &x, 0);
	assert_text(a, aggacc_mean_text, "7");
	assert_text(a, aggacc_stddev_text, NULL);
	aggacc_free(a);
	/* without squares, no standard deviation */
	a = aggacc_new(RV_FLOAT, false);
	for (int i = 0; i < 3; i++) {
		x = fval(i);
		aggacc_add(a, &x, 0);
	}
	assert_text(a, aggacc_mean_text, "1");
	assert_text(a, aggacc_stddev_text, NULL);
	aggacc_free(a);
}

/* ---- decimals ---- */

static void test_decimal_exact(void **state)
{
	(void)state;
	const char *v[] = {"1.5", "2.25", "-0.75"};
	rv_aggacc *a = decimals(v, 3);
	assert_text(a, aggacc_sum_text, "3.00");
	assert_text(a, aggacc_mean_text, "1.00");
	aggacc_free(a);
	const char *w[] = {"1", "001", "2"};
	a = decimals(w, 3);
	assert_text(a, aggacc_sum_text, "4");
	assert_text(a, aggacc_mean_text, "1.333333333333333333");
	aggacc_free(a);
	const char *x[] = {"0.1", "0.1", "0.1"};
	a = decimals(x, 3);
	assert_text(a, aggacc_sum_text, "0.3");
	assert_text(a, aggacc_mean_text, "0.1");
	assert_text(a, aggacc_stddev_text, "0");
	rv_exact m, b;
	assert_true(aggacc_mean(a, &m));
	assert_true(exact_from_text("0.1", false, &b));
	assert_int_equal(exact_cmp(&m, &b), 0);
	assert_true(exact_from_text("1e-1", false, &b));
	assert_int_equal(exact_cmp(&m, &b), 0);
	assert_true(exact_from_text("0.1000000000000000000000000001", false, &b));
	assert_int_equal(exact_cmp(&m, &b), -1);
	aggacc_free(a);
	const char *y[] = {"1", "1", "0"}; /* 2/3 rounds up in the last place */
	a = decimals(y, 3);
	assert_text(a, aggacc_mean_text, "0.666666666666666667");
	assert_text(a, aggacc_stddev_text, "0.5773502691896257");
	aggacc_free(a);
	const char *z[] = {"-1", "-1", "0"};
	a = decimals(z, 3);
	assert_text(a, aggacc_mean_text, "-0.666666666666666667");
	assert_text(a, aggacc_sum_text, "-2");
	aggacc_free(a);
}

static void test_decimal_ties_to_even(void **state)
{
	(void)state;
	const char *v[] = {"0.000000000000000001", "0"};
	rv_aggacc *a = decimals(v, 2);
	assert_text(a, aggacc_mean_text, "0.000000000000000000");
	aggacc_free(a);
	const char *w[] = {"0.000000000000000003", "0"};
	a = decimals(w, 2);
	assert_text(a, aggacc_mean_text, "0.000000000000000002");
	aggacc_free(a);
	const char *x[] = {"-0.000000000000000003", "0"};
	a = decimals(x, 2);
	assert_text(a, aggacc_mean_text, "-0.000000000000000002");
	aggacc_free(a);
}

static void test_decimal_38_digits(void **state)
{
	(void)state;
	const char *v[] = {"99999999999999999999999999999999999999", "99999999999999999999999999999999999999",
	                   "99999999999999999999999999999999999999",
	                   "1.000000000000000000000000000000000000000000" /* zeros after the point: fine */};
	rv_aggacc *a = decimals(v, 4);
	assert_false(aggacc_too_long(a, NULL));
	assert_text(a, aggacc_sum_text, "299999999999999999999999999999999999998");
	assert_text(a, aggacc_mean_text, "74999999999999999999999999999999999999.5");
	aggacc_free(a);
	const char *w[] = {"1.5", "1234567890123456789012345678901234567.89", "2",
	                   "0.000000000000000000000000000000000000001"};
	a = decimals(w, 4);
	uint32_t rec = 0;
	assert_true(aggacc_too_long(a, &rec));
	assert_int_equal(rec, 1);
	assert_text(a, aggacc_sum_text, NULL);
	assert_text(a, aggacc_mean_text, NULL);
	assert_text(a, aggacc_stddev_text, NULL);
	assert_int_equal(aggacc_count(a), 4);
	/* merging keeps the first too-long record of the merged order */
	rv_aggacc *b = aggacc_new(RV_DECIMAL, true), *c = aggacc_new(RV_DECIMAL, true);
	rv_value x = dval("0.000000000000000000000000000000000000001");
	aggacc_add(c, &x, 9);
	aggacc_merge(b, c);
	aggacc_merge(b, a);
	assert_true(aggacc_too_long(b, &rec));
	assert_int_equal(rec, 9);
	aggacc_free(a);
	aggacc_free(b);
	aggacc_free(c);
}

/* ---- floats ---- */

static void test_float_exact(void **state)
{
	(void)state;
	const double v[] = {1e100, 1.0, -1e100};
	rv_aggacc *a = floats(v, 3);
	assert_text(a, aggacc_sum_text, "1");
	assert_text(a, aggacc_mean_text, "0.3333333333333333");
	aggacc_free(a);
	const double w[] = {0.1, 0.2};
	a = floats(w, 2);
	assert_text(a, aggacc_sum_text, "0.30000000000000004");
	rv_exact s, b;
	assert_true(aggacc_sum(a, &s));
	assert_true(exact_from_text("0.3", true, &b)); /* the double nearest 0.3 */
	assert_int_equal(exact_cmp(&s, &b), 1);
	assert_true(exact_from_text("0.30000000000000004", true, &b));
	assert_int_equal(exact_cmp(&s, &b), -1); /* the exact sum is 0.3000000000000000166... */
	aggacc_free(a);
	/* variance around a large offset, where sums of squares in doubles lose it all */
	const double x[] = {1e15 + 0.5, 1e15 + 1.5, 1e15 + 2.5};
	a = floats(x, 3);
	assert_text(a, aggacc_stddev_text, "1");
	assert_text(a, aggacc_mean_text, "1000000000000001.5");
	aggacc_free(a);
	/* the extremes of the double range, and their squares */
	const double y[] = {1.7976931348623157e308, 4.9406564584124654e-324, -1.7976931348623157e308, 0.0,
	                    -0.0};
	a = floats(y, 5);
	assert_text(a, aggacc_sum_text, "5e-324");
	assert_text(a, aggacc_stddev_text, "1.2711610061536462e+308");
	aggacc_free(a);
	const double z[] = {2, 4, 4, 4, 5, 5, 7, 9};
	a = floats(z, 8);
	assert_text(a, aggacc_stddev_text, "2.138089935299395");
	aggacc_free(a);
	/* correctly rounded: the root of the variance rounded first would end in ...22 */
	const double w2[] = {0.1, 0.2, 0.3, 100, -0.5, 2.5, 0.75};
	a = floats(w2, 7);
	assert_text(a, aggacc_stddev_text, "37.597237423842216");
	assert_text(a, aggacc_sum_text, "103.35");
	assert_text(a, aggacc_mean_text, "14.764285714285714");
	aggacc_free(a);
}

/* ---- merging ---- */

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 11;
}

static void texts(const rv_aggacc *a, char out[3][128])
{
	text_fn f[3] = {aggacc_sum_text, aggacc_mean_text, aggacc_stddev_text};
	for (int k = 0; k < 3; k++) {
		rv_buf b;
		buf_init(&b, 0);
		assert_true(f[k](a, &b));
		snprintf(out[k], 128, "%s", b.data);
		buf_free(&b);
	}
}

/* Splits the values into chunks at random places, merges them forwards and backwards: the
 * texts never change. */
static void check_split_independence(rv_type type, const rv_value *v, size_t n)
{
	rv_aggacc *whole = aggacc_new(type, true);
	for (size_t i = 0; i < n; i++)
		aggacc_add(whole, &v[i], (uint32_t)i);
	char want[3][128];
	texts(whole, want);
	uint64_t seed = 42;
	for (int round = 0; round < 20; round++) {
		size_t k = 1 + lcg(&seed) % 16;
		rv_aggacc **parts = calloc(k, sizeof(*parts));
		for (size_t p = 0; p < k; p++)
			parts[p] = aggacc_new(type, true);
		size_t *cuts = calloc(k + 1, sizeof(size_t));
		for (size_t p = 1; p < k; p++)
			cuts[p] = lcg(&seed) % (n + 1);
		cuts[k] = n;
		for (size_t p = 1; p < k; p++) /* sort the cuts */
			for (size_t q = p; q > 1 && cuts[q] < cuts[q - 1]; q--) {
				size_t t = cuts[q];
				cuts[q] = cuts[q - 1];
				cuts[q - 1] = t;
			}
		for (size_t p = 0; p < k; p++)
			for (size_t i = cuts[p]; i < cuts[p + 1]; i++)
				aggacc_add(parts[p], &v[i], (uint32_t)i);
		rv_aggacc *fwd = aggacc_new(type, true), *bwd = aggacc_new(type, true);
		for (size_t p = 0; p < k; p++) {
			aggacc_merge(fwd, parts[p]);
			aggacc_merge(bwd, parts[k - 1 - p]);
		}
		char got[3][128];
		texts(fwd, got);
		for (int t = 0; t < 3; t++)
			assert_string_equal(got[t], want[t]);
		texts(bwd, got);
		for (int t = 0; t < 3; t++)
			assert_string_equal(got[t], want[t]);
		/* a reset accumulator starts again from nothing */
		aggacc_reset(fwd);
		assert_int_equal(aggacc_count(fwd), 0);
		assert_text(fwd, aggacc_sum_text, type == RV_DECIMAL ? "0" : "0");
		for (size_t p = 0; p < k; p++)
			aggacc_free(parts[p]);
		aggacc_free(fwd);
		aggacc_free(bwd);
		free(parts);
		free(cuts);
	}
	aggacc_free(whole);
}

static void test_merge_order_independent(void **state)
{
	(void)state;
	enum { N = 3000 };
	rv_value *v = calloc(N, sizeof(rv_value));
	uint64_t seed = 7;
	/* floats of every magnitude and sign: naive sums would depend on the order */
	for (size_t i = 0; i < N; i++) {
		double m = (double)(lcg(&seed) % 1000000) / 997.0;
		int e = (int)(lcg(&seed) % 80) - 40;
		v[i] = fval((lcg(&seed) & 1 ? -1 : 1) * ldexp(m, e));
	}
	check_split_independence(RV_FLOAT, v, N);
	for (size_t i = 0; i < N; i++)
		v[i] = ival((int64_t)lcg(&seed) - (int64_t)(lcg(&seed) << 10));
	check_split_independence(RV_INT, v, N);
	char (*text)[48] = calloc(N, 48);
	for (size_t i = 0; i < N; i++) {
		snprintf(text[i], 48, "%s%llu.%0*llu", lcg(&seed) & 1 ? "-" : "",
		         (unsigned long long)(lcg(&seed) % 100000000000ull), (int)(i % 7) + 1,
		         (unsigned long long)(lcg(&seed) % 10));
		v[i] = dval(text[i]);
	}
	check_split_independence(RV_DECIMAL, v, N);
	free(text);
	free(v);
}

/* ---- exact numbers ---- */

static void test_exact_numbers(void **state)
{
	(void)state;
	rv_exact a, b;
	rv_value x = ival(1000000);
	exact_from_value(&x, &a);
	assert_true(exact_from_text("1e6", false, &b));
	assert_int_equal(exact_cmp(&a, &b), 0);
	assert_true(exact_from_text("+1000000.000", false, &b));
	assert_int_equal(exact_cmp(&a, &b), 0);
	assert_true(exact_from_text("999999.9999999999999999999999", false, &b));
	assert_int_equal(exact_cmp(&a, &b), 1);
	x = fval(0.1);
	exact_from_value(&x, &a);
	assert_true(exact_from_text("0.1", false, &b));
	assert_int_equal(exact_cmp(&a, &b), 1); /* the double 0.1 is a little more than 0.1 */
	assert_true(exact_from_text("0.1", true, &b));
	assert_int_equal(exact_cmp(&a, &b), 0);
	x = dval("-0012.500");
	exact_from_value(&x, &a);
	assert_true(exact_from_text("-12.5", false, &b));
	assert_int_equal(exact_cmp(&a, &b), 0);
	assert_true(exact_from_text("-1.25e1", false, &b));
	assert_int_equal(exact_cmp(&a, &b), 0);
	assert_false(exact_from_text("", false, &b));
	assert_false(exact_from_text("1e", false, &b));
	assert_false(exact_from_text("abc", false, &b));
	assert_false(exact_from_text("5%", false, &b));
	/* too big for a double, or for the bignums */
	assert_false(exact_from_text("1e5000", false, &b));
	char many[3100];
	memset(many, '9', 3000);
	memcpy(many + 3000, "e-2990", 7);
	assert_true(exact_from_text(many, false, &b)); /* 1e10, as the nearest double */
	x = ival(10000000000);
	exact_from_value(&x, &a);
	assert_int_equal(exact_cmp(&a, &b), 0);
	exact_from_u64(UINT64_MAX, &a);
	assert_true(exact_from_text("18446744073709551615", false, &b));
	assert_int_equal(exact_cmp(&a, &b), 0);
	assert_true(exact_to_double(&a) == 18446744073709551615.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_arithmetic),
		cmocka_unit_test(test_big_to_double_rounds),
		cmocka_unit_test(test_int_sum_exact),
		cmocka_unit_test(test_int_mean_stddev),
		cmocka_unit_test(test_too_few_values),
		cmocka_unit_test(test_decimal_exact),
		cmocka_unit_test(test_decimal_ties_to_even),
		cmocka_unit_test(test_decimal_38_digits),
		cmocka_unit_test(test_float_exact),
		cmocka_unit_test(test_merge_order_independent),
		cmocka_unit_test(test_exact_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
