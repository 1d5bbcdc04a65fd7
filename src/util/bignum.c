/* bignum.c: fixed-capacity signed integers (sign and magnitude, 64-bit limbs). */
#include "util/bignum.h"

#include <math.h>
#include <string.h>

typedef unsigned __int128 u128;

static void trim(rv_big *a)
{
	while (a->n && a->w[a->n - 1] == 0)
		a->n--;
	if (!a->n)
		a->neg = false;
}

void big_zero(rv_big *a)
{
	a->n = 0;
	a->neg = false;
	a->overflow = false;
}

void big_from_u128(rv_big *a, u128 v)
{
	big_zero(a);
	a->w[0] = (uint64_t)v;
	a->w[1] = (uint64_t)(v >> 64);
	a->n = 2;
	trim(a);
}

void big_from_i128(rv_big *a, __int128 v)
{
	u128 m = v < 0 ? (u128)0 - (u128)v : (u128)v;
	big_from_u128(a, m);
	a->neg = v < 0 && a->n;
}

void big_from_limbs(rv_big *a, const uint64_t *w, size_t n, bool neg)
{
	big_zero(a);
	while (n && w[n - 1] == 0)
		n--;
	if (n > BIG_LIMBS) {
		a->overflow = true;
		return;
	}
	memcpy(a->w, w, n * sizeof(uint64_t));
	a->n = n;
	a->neg = neg && n;
}

void big_pow10(rv_big *a, unsigned k)
{
	big_from_u128(a, 1);
	for (; k >= 19; k -= 19)
		big_mul_u64(a, 10000000000000000000ull);
	uint64_t m = 1;
	while (k--)
		m *= 10;
	big_mul_u64(a, m);
}

/* magnitudes */

static int mag_cmp(const uint64_t *a, size_t an, const uint64_t *b, size_t bn)
{
	if (an != bn)
		return an < bn ? -1 : 1;
	for (size_t i = an; i-- > 0;)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* r = a + b (r may be a or b); returns the limbs of r, or SIZE_MAX on overflow */
static size_t mag_add(uint64_t *r, const uint64_t *a, size_t an, const uint64_t *b, size_t bn)
{
	if (an < bn) {
		const uint64_t *t = a;
		a = b;
		b = t;
		size_t tn = an;
		an = bn;
		bn = tn;
	}
	uint64_t carry = 0;
	for (size_t i = 0; i < an; i++) {
		u128 s = (u128)a[i] + (i < bn ? b[i] : 0) + carry;
		r[i] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
	if (!carry)
		return an;
	if (an == BIG_LIMBS)
		return SIZE_MAX;
	r[an] = carry;
	return an + 1;
}

/* r = a - b, a >= b (r may be a or b) */
static size_t mag_sub(uint64_t *r, const uint64_t *a, size_t an, const uint64_t *b, size_t bn)
{
	uint64_t borrow = 0;
	for (size_t i = 0; i < an; i++) {
		uint64_t bi = i < bn ? b[i] : 0;
		u128 d = (u128)a[i] - bi - borrow;
		r[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) ? 1 : 0;
	}
	while (an && r[an - 1] == 0)
		an--;
	return an;
}

static void add_signed(rv_big *r, const rv_big *a, const rv_big *b, bool bneg)
{
	bool overflow = a->overflow || b->overflow;
	if (a->neg == bneg) {
		size_t n = mag_add(r->w, a->w, a->n, b->w, b->n);
		r->neg = a->neg;
		if (n == SIZE_MAX) {
			overflow = true;
			n = 0;
		}
		r->n = n;
	} else if (mag_cmp(a->w, a->n, b->w, b->n) >= 0) {
		bool neg = a->neg;
		r->n = mag_sub(r->w, a->w, a->n, b->w, b->n);
		r->neg = neg;
	} else {
		r->n = mag_sub(r->w, b->w, b->n, a->w, a->n);
		r->neg = bneg;
	}
	r->overflow = overflow;
	trim(r);
}

void big_add(rv_big *r, const rv_big *a, const rv_big *b)
{
	add_signed(r, a, b, b->neg);
}

void big_sub(rv_big *r, const rv_big *a, const rv_big *b)
{
	add_signed(r, a, b, !b->neg && b->n);
}

void big_mul(rv_big *r, const rv_big *a, const rv_big *b)
{
	uint64_t t[2 * BIG_LIMBS];
	size_t n = a->n + b->n;
	bool overflow = a->overflow || b->overflow;
	bool neg = a->neg != b->neg;
	memset(t, 0, n * sizeof(uint64_t));
	for (size_t i = 0; i < a->n; i++) {
		uint64_t carry = 0;
		for (size_t j = 0; j < b->n; j++) {
			u128 p = (u128)a->w[i] * b->w[j] + t[i + j] + carry;
			t[i + j] = (uint64_t)p;
			carry = (uint64_t)(p >> 64);
		}
		t[i + b->n] = carry;
	}
	while (n && t[n - 1] == 0)
		n--;
	if (n > BIG_LIMBS) {
		overflow = true;
		n = 0;
	}
	memcpy(r->w, t, n * sizeof(uint64_t));
	r->n = n;
	r->neg = neg;
	r->overflow = overflow;
	trim(r);
}

void big_mul_u64(rv_big *a, uint64_t m)
{
	uint64_t carry = 0;
	for (size_t i = 0; i < a->n; i++) {
		u128 p = (u128)a->w[i] * m + carry;
		a->w[i] = (uint64_t)p;
		carry = (uint64_t)(p >> 64);
	}
	if (carry) {
		if (a->n == BIG_LIMBS)
			a->overflow = true;
		else
			a->w[a->n++] = carry;
	}
	trim(a);
}

void big_shl(rv_big *a, unsigned bits)
{
	if (!a->n)
		return;
	size_t limbs = bits / 64, b = bits % 64;
	size_t n = a->n + limbs + 1;
	if (n > BIG_LIMBS) {
		if (n - 1 > BIG_LIMBS || (b && a->w[a->n - 1] >> (64 - b))) {
			a->overflow = true;
			return;
		}
		n = BIG_LIMBS;
	}
	for (size_t i = n; i-- > 0;) {
		uint64_t hi = i >= limbs && i - limbs < a->n ? a->w[i - limbs] : 0;
		uint64_t lo = i >= limbs + 1 && i - limbs - 1 < a->n ? a->w[i - limbs - 1] : 0;
		a->w[i] = b ? hi << b | lo >> (64 - b) : hi;
	}
	a->n = n;
	trim(a);
}

bool big_shr(rv_big *a, unsigned bits)
{
	size_t limbs = bits / 64, b = bits % 64;
	bool lost = false;
	for (size_t i = 0; i < limbs && i < a->n; i++)
		lost |= a->w[i] != 0;
	if (limbs < a->n && b)
		lost |= (a->w[limbs] & ((1ull << b) - 1)) != 0;
	if (limbs >= a->n) {
		a->n = 0;
		a->neg = false;
		return lost;
	}
	size_t n = a->n - limbs;
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = a->w[i + limbs], hi = i + limbs + 1 < a->n ? a->w[i + limbs + 1] : 0;
		a->w[i] = b ? lo >> b | hi << (64 - b) : lo;
	}
	a->n = n;
	trim(a);
	return lost;
}

uint64_t big_divmod_u64(rv_big *a, uint64_t d)
{
	u128 rem = 0;
	for (size_t i = a->n; i-- > 0;) {
		u128 cur = rem << 64 | a->w[i];
		a->w[i] = (uint64_t)(cur / d);
		rem = cur % d;
	}
	trim(a);
	return (uint64_t)rem;
}

int big_sign(const rv_big *a)
{
	return a->n == 0 ? 0 : a->neg ? -1 : 1;
}

bool big_is_zero(const rv_big *a)
{
	return a->n == 0;
}

int big_cmp(const rv_big *a, const rv_big *b)
{
	int sa = big_sign(a), sb = big_sign(b);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	int m = mag_cmp(a->w, a->n, b->w, b->n);
	return sa < 0 ? -m : m;
}

size_t big_bits(const rv_big *a)
{
	if (!a->n)
		return 0;
	return (a->n - 1) * 64 + (size_t)(64 - __builtin_clzll(a->w[a->n - 1]));
}

double big_to_double(const rv_big *a, int exp2, bool sticky)
{
	size_t bits = big_bits(a);
	if (!bits)
		return 0.0;
	uint64_t top;
	int shift; /* a = top * 2^shift, with sticky below */
	if (bits <= 64) {
		top = a->w[0];
		shift = 0;
		if (sticky) {
			/* make room below the value for the sticky bit */
			unsigned room = (unsigned)(64 - bits);
			top <<= room;
			shift = -(int)room;
		}
	} else {
		size_t s = bits - 64, limb = s / 64, b = s % 64;
		top = a->w[limb] >> b;
		if (b)
			top |= a->w[limb + 1] << (64 - b);
		bool rest = b && (a->w[limb] & ((1ull << b) - 1));
		for (size_t i = 0; !rest && i < limb; i++)
			rest = a->w[i] != 0;
		sticky = sticky || rest;
		shift = (int)s;
	}
	if (sticky)
		top |= 1; /* below the rounding position: breaks ties only */
	double d = ldexp((double)top, shift + exp2);
	return a->neg ? -d : d;
}

void big_to_text(const rv_big *a, unsigned scale, rv_buf *out)
{
	char digits[BIG_LIMBS * 20 + 2];
	size_t nd = 0;
	rv_big t = *a;
	while (t.n) {
		uint64_t chunk = big_divmod_u64(&t, 10000000000000000000ull);
		for (int k = 0; k < 19 && (t.n || chunk); k++) {
			digits[nd++] = (char)('0' + chunk % 10);
			chunk /= 10;
		}
	}
	while (nd <= scale)
		digits[nd++] = '0'; /* at least one digit before the point */
	if (a->neg)
		buf_putc(out, '-');
	for (size_t i = nd; i-- > 0;) {
		buf_putc(out, digits[i]);
		if (i == scale && scale)
			buf_putc(out, '.');
	}
}
