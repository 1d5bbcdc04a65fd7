/* agg.c: exact per-field accumulators and the statistics computed from them.
 *
 * The hot part is aggacc_add, called by workers for every valid value of a
 * field with aggregates: an int is two 128-bit additions, a decimal a
 * parse of its digits and a few limb additions into its scale's bucket, a
 * float the addition of its 53-bit significand (and its exact 106-bit
 * square) at its binary position in a fixed-point accumulator. Signed sums
 * are kept as two magnitudes (positive and negative values), so a carry
 * stops where it can and nothing is ever subtracted before the end. */
#include "agg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef unsigned __int128 u128;

enum {
	DEC_MAX_DIGITS = 38,
	DEC_SCALES = DEC_MAX_DIGITS + 1,
	F1 = 34,          /* limbs of the float sum: 2098 bits of range + 64 of headroom */
	F2 = 67,          /* limbs of the float sum of squares: 4196 + 64 */
	FLOAT_UNIT = 1074 /* the sum's unit is 2^-1074, the squares' 2^-2148 */
};

typedef struct {
	uint64_t pos[3], neg[3]; /* sums of the digits m of positive and negative values */
	uint64_t sq[5];          /* sum of m^2 */
} dec_bucket;

struct rv_aggacc {
	rv_type type;
	bool squares;
	uint64_t n;
	bool too_long;
	uint32_t too_long_record;
	u128 ipos, ineg; /* int: sums of the positive values and of the negatives' magnitudes */
	uint64_t isq[3]; /* int: sum of squares */
	uint64_t scales; /* decimal: bit s set when bucket s holds something */
	dec_bucket *dec; /* decimal: DEC_SCALES buckets */
	uint64_t *fpos, *fneg; /* float: F1 limbs each */
	uint64_t *fsq;         /* float: F2 limbs */
};

/* acc[0..n) += v << shift; the accumulators have room for every carry */
static inline void limbs_add128(uint64_t *acc, size_t n, u128 v, size_t shift)
{
	size_t i = shift / 64;
	unsigned b = (unsigned)(shift % 64);
	uint64_t w[3] = {(uint64_t)v, (uint64_t)(v >> 64), 0};
	if (b) {
		w[2] = w[1] >> (64 - b);
		w[1] = w[1] << b | w[0] >> (64 - b);
		w[0] <<= b;
	}
	uint64_t carry = 0;
	for (size_t k = 0; i + k < n && (k < 3 || carry); k++) {
		u128 s = (u128)acc[i + k] + (k < 3 ? w[k] : 0) + carry;
		acc[i + k] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
}

static void limbs_add(uint64_t *acc, const uint64_t *src, size_t n)
{
	uint64_t carry = 0;
	for (size_t i = 0; i < n; i++) {
		u128 s = (u128)acc[i] + src[i] + carry;
		acc[i] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
}

rv_aggacc *aggacc_new(rv_type type, bool squares)
{
	rv_aggacc *a = xcalloc(1, sizeof(*a));
	a->type = type;
	a->squares = squares;
	if (type == RV_DECIMAL)
		a->dec = xcalloc(DEC_SCALES, sizeof(dec_bucket));
	if (type == RV_FLOAT) {
		a->fpos = xcalloc(F1, sizeof(uint64_t));
		a->fneg = xcalloc(F1, sizeof(uint64_t));
		if (squares)
			a->fsq = xcalloc(F2, sizeof(uint64_t));
	}
	return a;
}

void aggacc_free(rv_aggacc *a)
{
	if (!a)
		return;
	free(a->dec);
	free(a->fpos);
	free(a->fneg);
	free(a->fsq);
	free(a);
}

void aggacc_reset(rv_aggacc *a)
{
	a->n = 0;
	a->too_long = false;
	a->ipos = a->ineg = 0;
	memset(a->isq, 0, sizeof(a->isq));
	for (uint64_t m = a->scales; m; m &= m - 1)
		memset(&a->dec[__builtin_ctzll(m)], 0, sizeof(dec_bucket));
	a->scales = 0;
	if (a->fpos) {
		memset(a->fpos, 0, F1 * sizeof(uint64_t));
		memset(a->fneg, 0, F1 * sizeof(uint64_t));
	}
	if (a->fsq)
		memset(a->fsq, 0, F2 * sizeof(uint64_t));
}

static void add_square128(uint64_t *acc, size_t n, u128 m)
{
	uint64_t lo = (uint64_t)m, hi = (uint64_t)(m >> 64);
	limbs_add128(acc, n, (u128)lo * lo, 0);
	if (hi) {
		u128 mid = (u128)lo * hi;
		limbs_add128(acc, n, mid, 64);
		limbs_add128(acc, n, mid, 64);
		limbs_add128(acc, n, (u128)hi * hi, 128);
	}
}

static void add_decimal(rv_aggacc *a, const char *p, size_t n, uint32_t record)
{
	size_t i = 0;
	bool neg = n && p[0] == '-';
	i += neg;
	while (i < n && p[i] == '0')
		i++;
	size_t int_start = i;
	while (i < n && p[i] != '.')
		i++;
	size_t int_end = i, frac_start = i < n ? i + 1 : n, frac_end = n;
	if ((int_end - int_start) + (frac_end - frac_start) > DEC_MAX_DIGITS) {
		while (frac_end > frac_start && p[frac_end - 1] == '0')
			frac_end--;
		if ((int_end - int_start) + (frac_end - frac_start) > DEC_MAX_DIGITS) {
			if (!a->too_long) {
				a->too_long = true;
				a->too_long_record = record;
			}
			return;
		}
	}
	u128 m = 0;
	for (size_t k = int_start; k < int_end; k++)
		m = m * 10 + (unsigned)(p[k] - '0');
	for (size_t k = frac_start; k < frac_end; k++)
		m = m * 10 + (unsigned)(p[k] - '0');
	size_t scale = frac_end - frac_start;
	dec_bucket *b = &a->dec[scale];
	a->scales |= 1ull << scale;
	limbs_add128(neg ? b->neg : b->pos, 3, m, 0);
	if (a->squares)
		add_square128(b->sq, 5, m);
}

static void add_float(rv_aggacc *a, double x)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof(bits));
	unsigned e = (unsigned)(bits >> 52) & 0x7FF;
	uint64_t m = bits & ((1ull << 52) - 1);
	if (!e && !m)
		return; /* zero */
	/* x = m * 2^(p - 1074) */
	size_t p = 0;
	if (e) {
		m |= 1ull << 52;
		p = e - 1;
	}
	limbs_add128((bits >> 63) ? a->fneg : a->fpos, F1, m, p);
	if (a->fsq)
		limbs_add128(a->fsq, F2, (u128)m * m, 2 * p);
}

void aggacc_add(rv_aggacc *a, const rv_value *v, uint32_t record)
{
	a->n++;
	switch (v->type) {
	case RV_INT:
		if (v->u.i >= 0)
			a->ipos += (uint64_t)v->u.i;
		else
			a->ineg += (uint64_t)0 - (uint64_t)v->u.i;
		if (a->squares) {
			uint64_t m =
				v->u.i >= 0 ? (uint64_t)v->u.i : (uint64_t)0 - (uint64_t)v->u.i;
			limbs_add128(a->isq, 3, (u128)m * m, 0);
		}
		break;
	case RV_DECIMAL: add_decimal(a, v->u.s.p, v->u.s.n, record); break;
	case RV_FLOAT: add_float(a, v->u.f); break;
	default: break;
	}
}

void aggacc_merge(rv_aggacc *dst, const rv_aggacc *src)
{
	dst->n += src->n;
	if (src->too_long && !dst->too_long) {
		dst->too_long = true;
		dst->too_long_record = src->too_long_record;
	}
	dst->ipos += src->ipos;
	dst->ineg += src->ineg;
	limbs_add(dst->isq, src->isq, 3);
	for (uint64_t m = src->scales; m; m &= m - 1) {
		int s = __builtin_ctzll(m);
		limbs_add(dst->dec[s].pos, src->dec[s].pos, 3);
		limbs_add(dst->dec[s].neg, src->dec[s].neg, 3);
		limbs_add(dst->dec[s].sq, src->dec[s].sq, 5);
	}
	dst->scales |= src->scales;
	if (dst->fpos && src->fpos) {
		limbs_add(dst->fpos, src->fpos, F1);
		limbs_add(dst->fneg, src->fneg, F1);
	}
	if (dst->fsq && src->fsq)
		limbs_add(dst->fsq, src->fsq, F2);
}

bool agg_is_double(rv_agg agg, rv_type t)
{
	return t == RV_FLOAT || agg == AGG_STDDEV || (agg == AGG_MEAN && t == RV_INT);
}

uint64_t aggacc_count(const rv_aggacc *a)
{
	return a->n;
}

bool aggacc_too_long(const rv_aggacc *a, uint32_t *record)
{
	if (a->too_long && record)
		*record = a->too_long_record;
	return a->too_long;
}

/* ---- exact sums ---- */

static unsigned max_scale(const rv_aggacc *a)
{
	return a->scales ? 63u - (unsigned)__builtin_clzll(a->scales) : 0;
}

static void pow2(rv_big *r, unsigned k)
{
	big_from_u128(r, 1);
	big_shl(r, k);
}

/* The sum S and its unit: sum = S / D. */
static void sum_parts(const rv_aggacc *a, rv_big *s, rv_big *d)
{
	rv_big t, u;
	switch (a->type) {
	case RV_INT:
		big_from_u128(s, a->ipos);
		big_from_u128(&t, a->ineg);
		big_sub(s, s, &t);
		big_from_u128(d, 1);
		break;
	case RV_DECIMAL: {
		unsigned top = max_scale(a);
		big_zero(s);
		for (uint64_t m = a->scales; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctzll(m);
			big_from_limbs(&t, a->dec[k].pos, 3, false);
			big_from_limbs(&u, a->dec[k].neg, 3, false);
			big_sub(&t, &t, &u);
			big_pow10(&u, top - k);
			big_mul(&t, &t, &u);
			big_add(s, s, &t);
		}
		big_pow10(d, top);
		break;
	}
	default:
		big_from_limbs(s, a->fpos, F1, false);
		big_from_limbs(&t, a->fneg, F1, false);
		big_sub(s, s, &t);
		pow2(d, FLOAT_UNIT);
		break;
	}
}

/* The sum of squares over D^2 (D as in sum_parts). */
static void squares_part(const rv_aggacc *a, rv_big *q)
{
	rv_big t, u;
	switch (a->type) {
	case RV_INT: big_from_limbs(q, a->isq, 3, false); break;
	case RV_DECIMAL: {
		unsigned top = max_scale(a);
		big_zero(q);
		for (uint64_t m = a->scales; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctzll(m);
			big_from_limbs(&t, a->dec[k].sq, 5, false);
			big_pow10(&u, 2 * (top - k));
			big_mul(&t, &t, &u);
			big_add(q, q, &t);
		}
		break;
	}
	default: big_from_limbs(q, a->fsq, F2, false); break;
	}
}

bool aggacc_sum(const rv_aggacc *a, rv_exact *out)
{
	if (a->too_long)
		return false;
	sum_parts(a, &out->num, &out->den);
	return !out->num.overflow && !out->den.overflow;
}

bool aggacc_mean(const rv_aggacc *a, rv_exact *out)
{
	if (a->too_long || a->n == 0)
		return false;
	sum_parts(a, &out->num, &out->den);
	big_mul_u64(&out->den, a->n);
	return !out->num.overflow && !out->den.overflow;
}

/* (n Q - S^2) / (n (n - 1) D^2) */
bool aggacc_variance(const rv_aggacc *a, rv_exact *out)
{
	if (a->too_long || a->n < 2 || !a->squares)
		return false;
	rv_big s, d, q;
	sum_parts(a, &s, &d);
	squares_part(a, &q);
	big_mul_u64(&q, a->n);
	big_mul(&s, &s, &s);
	big_sub(&out->num, &q, &s);
	big_mul(&out->den, &d, &d);
	big_mul_u64(&out->den, a->n);
	big_mul_u64(&out->den, a->n - 1);
	return !out->num.overflow && !out->den.overflow;
}

/* ---- as text ---- */

/* num / (divs[0] * divs[1] * ...) * 2^exp2, correctly rounded: num is
 * shifted left until the quotient keeps 66 bits or more, and every
 * remainder goes into the sticky bit. */
static double ratio_to_double(const rv_big *num, const uint64_t *divs, size_t n_divs, int exp2)
{
	rv_big q = *num;
	bool neg = q.neg;
	q.neg = false;
	size_t dbits = 0;
	for (size_t i = 0; i < n_divs; i++)
		dbits += (size_t)(64 - __builtin_clzll(divs[i]));
	size_t want = dbits + 66, have = big_bits(&q);
	unsigned k = have && have < want ? (unsigned)(want - have) : 0;
	big_shl(&q, k);
	bool sticky = false;
	for (size_t i = 0; i < n_divs; i++)
		sticky |= big_divmod_u64(&q, divs[i]) != 0;
	double d = big_to_double(&q, exp2 - (int)k, sticky);
	return neg ? -d : d;
}

static u128 isqrt128(u128 q)
{
	u128 r = (u128)sqrt((double)q);
	for (int k = 0; k < 3 && r; k++)
		r = (r + q / r) / 2; /* Newton: from a 53-bit guess to every bit */
	while (r * r > q)
		r--;
	while ((r + 1) * (r + 1) <= q)
		r++;
	return r;
}

/* sqrt(num / (divs[0] * ...) * 2^exp2), correctly rounded: the quotient is
 * taken to about 112 bits (an even power of two apart from the value), its
 * integer square root then has 55 bits or more, and whether anything was
 * left over (a remainder, a bit shifted out, root^2 short of the quotient)
 * goes into the sticky bit. num >= 0. */
static double sqrt_ratio(const rv_big *num, const uint64_t *divs, size_t n_divs, int exp2)
{
	rv_big q = *num;
	size_t have = big_bits(&q);
	if (!have)
		return 0;
	long dbits = 0;
	for (size_t i = 0; i < n_divs; i++)
		dbits += 64 - __builtin_clzll(divs[i]);
	long s = 112 + dbits - (long)have;
	if ((exp2 - s) % 2)
		s++;
	bool sticky = false;
	if (s >= 0)
		big_shl(&q, (unsigned)s);
	else
		sticky = big_shr(&q, (unsigned)-s);
	for (size_t i = 0; i < n_divs; i++)
		sticky |= big_divmod_u64(&q, divs[i]) != 0;
	u128 y = q.n ? q.w[0] : 0;
	if (q.n > 1)
		y |= (u128)q.w[1] << 64;
	u128 r = isqrt128(y);
	sticky |= r * r != y;
	uint64_t top =
		(uint64_t)r | (sticky ? 1 : 0); /* r >= 2^55: the sticky bit only breaks ties */
	return ldexp((double)top, (int)((exp2 - s) / 2));
}

/* Appends the divisors of 10^k (10^19 at a time). */
static size_t pow10_divs(uint64_t *divs, size_t n, unsigned k)
{
	for (; k >= 19; k -= 19)
		divs[n++] = 10000000000000000000ull;
	uint64_t m = 1;
	while (k--)
		m *= 10;
	if (m > 1)
		divs[n++] = m;
	return n;
}

static void put_double(rv_buf *out, double d)
{
	char tmp[64];
	rv_value v = {.type = RV_FLOAT, .u.f = d};
	value_format(&v, tmp, sizeof(tmp));
	buf_puts(out, tmp);
}

bool aggacc_sum_text(const rv_aggacc *a, rv_buf *out)
{
	rv_exact s;
	if (!aggacc_sum(a, &s))
		return false;
	if (a->type == RV_FLOAT)
		put_double(out, big_to_double(&s.num, -FLOAT_UNIT, false));
	else
		big_to_text(&s.num, a->type == RV_DECIMAL ? max_scale(a) : 0, out);
	return true;
}

bool aggacc_mean_text(const rv_aggacc *a, rv_buf *out)
{
	if (a->too_long || a->n == 0)
		return false;
	rv_big s, d;
	sum_parts(a, &s, &d);
	if (s.overflow)
		return false;
	uint64_t n = a->n;
	if (a->type != RV_DECIMAL) {
		put_double(out, ratio_to_double(&s, &n, 1, a->type == RV_FLOAT ? -FLOAT_UNIT : 0));
		return true;
	}
	/* S / (n 10^top) to `digits` places, half to even: one guard digit
	 * and a sticky remainder decide */
	unsigned top = max_scale(a), digits = top > 18 ? top : 18;
	rv_big p;
	big_pow10(&p, digits + 1 - top);
	bool neg = s.neg;
	s.neg = false;
	big_mul(&s, &s, &p);
	bool sticky = big_divmod_u64(&s, n) != 0;
	uint64_t guard = big_divmod_u64(&s, 10);
	bool odd = s.n && (s.w[0] & 1);
	if (guard > 5 || (guard == 5 && (sticky || odd))) {
		big_from_u128(&p, 1);
		big_add(&s, &s, &p);
	}
	s.neg = neg && s.n;
	rv_buf t;
	buf_init(&t, 0);
	big_to_text(&s, digits, &t);
	size_t len = t.len;
	/* drop trailing zeros beyond the values' own scale */
	for (unsigned k = digits; k > top && t.data[len - 1] == '0'; k--)
		len--;
	if (t.data[len - 1] == '.')
		len--;
	buf_append(out, t.data, len);
	buf_free(&t);
	return true;
}

bool aggacc_stddev_text(const rv_aggacc *a, rv_buf *out)
{
	rv_exact v;
	if (!aggacc_variance(a, &v))
		return false;
	uint64_t divs[8] = {a->n, a->n - 1};
	size_t n = 2;
	int exp2 = 0;
	if (a->type == RV_DECIMAL)
		n = pow10_divs(divs, n, 2 * max_scale(a));
	else if (a->type == RV_FLOAT)
		exp2 = -2 * FLOAT_UNIT;
	put_double(out, big_sign(&v.num) > 0 ? sqrt_ratio(&v.num, divs, n, exp2) : 0);
	return true;
}

/* ---- exact numbers ---- */

static void exact_from_double(double x, rv_exact *out)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof(bits));
	unsigned e = (unsigned)(bits >> 52) & 0x7FF;
	uint64_t m = bits & ((1ull << 52) - 1);
	unsigned p = 0;
	if (e) {
		m |= 1ull << 52;
		p = e - 1;
	}
	big_from_u128(&out->num, m);
	big_shl(&out->num, p);
	out->num.neg = (bits >> 63) && out->num.n;
	pow2(&out->den, FLOAT_UNIT);
}

void exact_from_u64(uint64_t v, rv_exact *out)
{
	big_from_u128(&out->num, v);
	big_from_u128(&out->den, 1);
}

/* digits[.digits][e[+-]digits] with an optional sign; false when it is not that */
static bool exact_from_decimal(const char *p, size_t n, rv_exact *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	rv_big *m = &out->num;
	big_zero(m);
	long scale = 0;
	size_t digits = 0;
	bool frac = false;
	uint64_t chunk = 0, mult = 1;
	for (; i < n; i++) {
		if (p[i] == '.' && !frac) {
			frac = true;
			continue;
		}
		if (p[i] < '0' || p[i] > '9')
			break;
		chunk = chunk * 10 + (unsigned)(p[i] - '0');
		mult *= 10;
		if (mult == 10000000000000000000ull) {
			big_mul_u64(m, mult);
			rv_big c;
			big_from_u128(&c, chunk);
			big_add(m, m, &c);
			chunk = 0;
			mult = 1;
		}
		digits++;
		scale += frac;
	}
	big_mul_u64(m, mult);
	rv_big c;
	big_from_u128(&c, chunk);
	big_add(m, m, &c);
	if (!digits)
		return false;
	long exp = 0;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			eneg = p[i++] == '-';
		size_t start = i;
		for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			if (exp < 100000)
				exp = exp * 10 + (p[i] - '0');
		if (i == start)
			return false;
		if (eneg)
			exp = -exp;
	}
	if (i != n)
		return false;
	exp -= scale;
	m->neg = neg && m->n;
	if (exp > 3000 || exp < -3000) {
		m->overflow = true;
		big_from_u128(&out->den, 1);
		return true;
	}
	if (exp >= 0) {
		rv_big t;
		big_pow10(&t, (unsigned)exp);
		big_mul(m, m, &t);
		big_from_u128(&out->den, 1);
	} else {
		big_pow10(&out->den, (unsigned)-exp);
	}
	return true;
}

void exact_from_value(const rv_value *v, rv_exact *out)
{
	switch (v->type) {
	case RV_INT:
		big_from_i128(&out->num, v->u.i);
		big_from_u128(&out->den, 1);
		break;
	case RV_FLOAT: exact_from_double(v->u.f, out); break;
	case RV_DECIMAL:
		if (!exact_from_decimal(v->u.s.p, v->u.s.n, out)) {
			big_zero(&out->num);
			big_from_u128(&out->den, 1);
		}
		break;
	default:
		big_zero(&out->num);
		big_from_u128(&out->den, 1);
		break;
	}
}

bool exact_from_text(const char *text, bool as_double, rv_exact *out)
{
	size_t n = strlen(text);
	if (as_double) {
		double d;
		if (!parse_float(text, n, &d))
			return false;
		exact_from_double(d, out);
		return true;
	}
	if (!exact_from_decimal(text, n, out))
		return false;
	if (out->num.overflow || out->den.overflow) {
		/* thousands of digits: the nearest double will do */
		double d;
		if (!parse_float(text, n, &d))
			return false;
		exact_from_double(d, out);
	}
	return true;
}

double exact_to_double(const rv_exact *a)
{
	if (a->num.overflow || a->den.overflow)
		return NAN;
	/* each part rounded once, then divided: within 1.5 ulp, for fallbacks only */
	size_t nb = big_bits(&a->num), db = big_bits(&a->den);
	int shift_n = nb > 1000 ? (int)(nb - 1000) : 0, shift_d = db > 1000 ? (int)(db - 1000) : 0;
	rv_big x = a->num, y = a->den;
	double num = big_to_double(&x, -shift_n, false), den = big_to_double(&y, -shift_d, false);
	return ldexp(num / den, shift_n - shift_d);
}

static int double_cmp(double x, double y)
{
	return (x > y) - (x < y);
}

int exact_cmp(const rv_exact *a, const rv_exact *b)
{
	rv_big l, r;
	big_mul(&l, &a->num, &b->den);
	big_mul(&r, &b->num, &a->den);
	if (l.overflow || r.overflow)
		return double_cmp(exact_to_double(a), exact_to_double(b));
	return big_cmp(&l, &r);
}
