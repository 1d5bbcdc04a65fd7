/* bignum.h: fixed-capacity signed integers, for statistics that must be exact.
 *
 * An rv_big holds up to BIG_LIMBS 64-bit limbs (8704 bits) of magnitude and
 * a sign. No operation allocates. A result that would not fit sets
 * `overflow` (sticky: it carries through later operations) and leaves the
 * value meaningless, so callers check it once at the end. Everything is
 * thread-safe (no shared state). Out-parameters may alias the inputs. */
#ifndef RV_BIGNUM_H
#define RV_BIGNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum { BIG_LIMBS = 136 };

typedef struct {
	uint64_t w[BIG_LIMBS]; /* magnitude, least significant limb first */
	size_t n;              /* limbs in use: w[n - 1] != 0; 0 for zero */
	bool neg;              /* never set for zero */
	bool overflow;
} rv_big;

void big_zero(rv_big *a);
void big_from_u128(rv_big *a, unsigned __int128 v);
void big_from_i128(rv_big *a, __int128 v);
/* a = (neg ? -1 : 1) * the magnitude in w[0..n) (least significant first) */
void big_from_limbs(rv_big *a, const uint64_t *w, size_t n, bool neg);
/* 10^k */
void big_pow10(rv_big *a, unsigned k);

void big_add(rv_big *r, const rv_big *a, const rv_big *b);
void big_sub(rv_big *r, const rv_big *a, const rv_big *b);
void big_mul(rv_big *r, const rv_big *a, const rv_big *b);
void big_mul_u64(rv_big *a, uint64_t m);
void big_shl(rv_big *a, unsigned bits);
/* Shifts the magnitude right (rounding toward zero); true when a nonzero
 * bit was shifted out. */
bool big_shr(rv_big *a, unsigned bits);
/* Divides the magnitude by d (> 0) in place, rounding toward zero; returns
 * the remainder of the magnitude. */
uint64_t big_divmod_u64(rv_big *a, uint64_t d);

/* -1, 0, 1 */
int big_cmp(const rv_big *a, const rv_big *b);
int big_sign(const rv_big *a);
bool big_is_zero(const rv_big *a);
/* Bits of the magnitude (0 for zero). */
size_t big_bits(const rv_big *a);

/* a * 2^exp2, rounded to the nearest double (ties to even) when the result
 * is a normal number; `sticky` says that a nonzero part below a was cut off
 * (a is a rounded-down magnitude), so a tie is no tie. */
double big_to_double(const rv_big *a, int exp2, bool sticky);
/* Appends a / 10^scale in decimal: "-12.50" for -1250 and scale 2;
 * "0.05" for 5 and scale 2. */
void big_to_text(const rv_big *a, unsigned scale, rv_buf *out);

#endif
