/* agg.h: exact accumulators for per-field table aggregates (SPEC 2.5).
 *
 * A worker adds each valid typed value of a field to that field's
 * accumulator in its chunk's tally; the merger adds the chunks'
 * accumulators into the run's. Every sum is exact, so the result does not
 * depend on the order of the additions, on chunk boundaries or on the
 * thread count:
 *   int      the sum in 128 bits, the sum of squares in 192 bits;
 *   decimal  per scale (digits after the point, 0..38), the sums of the
 *            values' digits m (value = m / 10^scale) and of m^2; a value of
 *            more than 38 digits (leading zeros before the point and
 *            trailing zeros after it aside) cannot be summed: the
 *            accumulator remembers the first such record;
 *   float    the sum in fixed point with unit 2^-1074 and the sum of
 *            squares with unit 2^-2148: every finite double and its exact
 *            square fit, with 64 bits of headroom for the count.
 * Statistics are then computed from the exact sums: sum and mean exactly
 * (as fractions; shown correctly rounded), the sample variance
 * (n - 1 in the denominator) as the fraction (n*Q - S^2) / (n*(n-1)), and
 * the standard deviation as its square root, correctly rounded to a double.
 *
 * An accumulator is used by one thread at a time. Nothing is allocated
 * after aggacc_new. */
#ifndef RV_AGG_H
#define RV_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/ir.h"
#include "types.h"
#include "util/bignum.h"
#include "util/buf.h"

typedef struct rv_aggacc rv_aggacc;

/* type: int, float or decimal. squares: keep the sums of squares (stddev). */
rv_aggacc *aggacc_new(rv_type type, bool squares);
void aggacc_free(rv_aggacc *a); /* accepts NULL */
void aggacc_reset(rv_aggacc *a);
/* Adds one valid value of the accumulator's type; record identifies it
 * (the record's index in the tally) should it be a decimal that cannot be
 * summed. */
void aggacc_add(rv_aggacc *a, const rv_value *v, uint32_t record);
/* dst += src. */
void aggacc_merge(rv_aggacc *dst, const rv_aggacc *src);
uint64_t aggacc_count(const rv_aggacc *a);
/* true when a decimal value could not be summed; *record (may be NULL)
 * is the first such record added to this accumulator. */
bool aggacc_too_long(const rv_aggacc *a, uint32_t *record);

/* Whether reports show aggregate agg of a field of type t as a double
 * (everything of a float field, an int field's mean, every standard
 * deviation) rather than exactly (the rest). */
bool agg_is_double(rv_agg agg, rv_type t);

/* An exact number num / den, den > 0. */
typedef struct {
	rv_big num, den;
} rv_exact;

/* The exact statistics; false when they cannot be had (no values for the
 * mean, fewer than two for the variance, a value too long to sum, or a
 * bignum overflow). */
bool aggacc_sum(const rv_aggacc *a, rv_exact *out);
bool aggacc_mean(const rv_aggacc *a, rv_exact *out);
bool aggacc_variance(const rv_aggacc *a, rv_exact *out);

/* The statistics as report text: sum and mean of ints and decimals exactly
 * (a decimal with the largest scale of its values; a decimal mean rounded
 * half to even to max(18, that scale) digits after the point, trailing
 * zeros beyond that scale dropped), an int mean and everything of floats
 * as the correctly rounded double, the standard deviation as the correctly
 * rounded double too. Each returns false (and appends nothing) when the
 * statistic cannot be had. */
bool aggacc_sum_text(const rv_aggacc *a, rv_buf *out);
bool aggacc_mean_text(const rv_aggacc *a, rv_buf *out);
bool aggacc_stddev_text(const rv_aggacc *a, rv_buf *out);

/* A value of type int, float or decimal, exactly. */
void exact_from_value(const rv_value *v, rv_exact *out);
/* A number written in a rule file ([+-]digits[.digits][e[+-]digits]):
 * exactly as written, or, when as_double, the nearest double (how bounds of
 * float fields are read). false when the text is not such a number. */
bool exact_from_text(const char *text, bool as_double, rv_exact *out);
void exact_from_u64(uint64_t v, rv_exact *out);
/* -1, 0, 1 as a < b, a == b, a > b. When the comparison does not fit the
 * bignums (`overflow`), both sides are compared as doubles instead. */
int exact_cmp(const rv_exact *a, const rv_exact *b);
double exact_to_double(const rv_exact *a);

#endif
