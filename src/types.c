/* types.c: strict parsers for rvalid's value types. */
#include "types.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const TYPE_NAMES[] = {"str",  "int",      "float", "decimal", "bool",
					 "date", "datetime", "time",  "None"};

const char *type_name(rv_type t)
{
	return TYPE_NAMES[t];
}

bool type_from_name(const char *name, rv_type *out)
{
	for (int t = RV_STR; t < RV_NONE; t++) {
		if (strcmp(name, TYPE_NAMES[t]) == 0) {
			*out = (rv_type)t;
			return true;
		}
	}
	return false;
}

bool type_is_numeric(rv_type t)
{
	return t == RV_INT || t == RV_FLOAT || t == RV_DECIMAL;
}

bool type_is_temporal(rv_type t)
{
	return t == RV_DATE || t == RV_DATETIME || t == RV_TIME;
}

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

bool parse_int(const char *p, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (n && p[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == n)
		return false;
	if (n - i <= 18) {
		/* at most 18 digits cannot overflow: no check a digit */
		int64_t v = 0;
		for (; i < n; i++) {
			unsigned d = (unsigned)((unsigned char)p[i] - '0');
			if (d >= 10)
				return false;
			v = v * 10 + (int64_t)d;
		}
		*out = neg ? -v : v;
		return true;
	}
	/* accumulate as a negative number so INT64_MIN fits */
	int64_t v = 0;
	for (; i < n; i++) {
		if (!isdig(p[i]))
			return false;
		int d = p[i] - '0';
		if (v < (INT64_MIN + d) / 10)
			return false;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == INT64_MIN)
			return false;
		v = -v;
	}
	*out = v;
	return true;
}

static bool float_slow(const char *p, size_t n, double *out)
{
	char stack[128];
	char *s = n < sizeof(stack) ? stack : malloc(n + 1);
	if (!s)
		return false;
	memcpy(s, p, n);
	s[n] = '\0';
	*out = strtod(s, NULL); /* the syntax checked is a subset of strtod's */
	if (s != stack)
		free(s);
	return isfinite(*out); /* 1e999 overflows: not a float rvalid can hold */
}

/* The common shape, [+-]?digits[.digits] with at most 15 digits in all, in
 * one plain loop: no exponent, no count of significant digits (15 digits,
 * leading zeros included, are at most 15 significant ones). False for any
 * other text, which parse_float's general path then decides. The same
 * double as that path: mantissa and power of ten are exact. */
static inline bool float_plain(const char *p, size_t n, double *out)
{
	static const double POW10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	size_t i = 0;
	bool neg = false;
	if (n && (p[0] == '-' || p[0] == '+')) {
		neg = p[0] == '-';
		i = 1;
	}
	if (n - i > 16)
		return false;
	uint64_t mant = 0;
	size_t digits = 0, dot = 0; /* dot: the index after the '.', 0 when none */
	for (; i < n; i++) {
		unsigned d = (unsigned)((unsigned char)p[i] - '0');
		if (d < 10) {
			mant = mant * 10 + d;
			digits++;
		} else if (p[i] == '.' && !dot) {
			dot = i + 1;
		} else {
			return false;
		}
	}
	if (digits == 0 || digits > 15)
		return false;
	double v = (double)mant;
	if (dot && n > dot)
		v /= POW10[n - dot];
	*out = neg ? -v : v;
	return true;
}

/* One pass: the syntax, and the significant digits into a 64-bit mantissa.
 * With at most 15 significant digits and a power of ten up to 22, mantissa
 * and power are exact doubles, so one multiply or divide rounds correctly
 * (Clinger's fast path: the same double strtod gives); other inputs go to
 * strtod. */
bool parse_float(const char *p, size_t n, double *out)
{
	if (float_plain(p, n, out))
		return true;
	static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	size_t i = 0;
	bool neg = false;
	if (i < n && (p[i] == '+' || p[i] == '-')) {
		neg = p[i] == '-';
		i++;
	}
	uint64_t mant = 0;
	int sig = 0, scale = 0;
	size_t digits = 0;
	for (; i < n && (unsigned)(p[i] - '0') < 10; i++, digits++) {
		if (mant || p[i] != '0') {
			if (sig < 19) {
				mant = mant * 10 + (uint64_t)(p[i] - '0');
				sig++;
			} else {
				sig = 99; /* more digits than the fast path holds */
			}
		}
	}
	if (i < n && p[i] == '.') {
		for (i++; i < n && (unsigned)(p[i] - '0') < 10; i++, digits++) {
			if (mant || p[i] != '0') {
				if (sig >= 19) {
					sig = 99;
					continue;
				}
				mant = mant * 10 + (uint64_t)(p[i] - '0');
				sig++;
			}
			scale--;
		}
	}
	if (digits == 0)
		return false;
	int exp = 0;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < n && (p[i] == '+' || p[i] == '-')) {
			eneg = p[i] == '-';
			i++;
		}
		size_t e0 = i;
		for (; i < n && (unsigned)(p[i] - '0') < 10; i++)
			if (exp < 100000)
				exp = exp * 10 + (p[i] - '0');
		if (i == e0)
			return false;
		exp = eneg ? -exp : exp;
	}
	if (i != n)
		return false;
	scale += exp;
	if (sig > 15 || scale > 22 || scale < -22)
		return float_slow(p, n, out);
	double v = (double)mant;
	if (mant && scale > 0)
		v *= POW10[scale];
	else if (mant && scale < 0)
		v /= POW10[-scale];
	*out = neg ? -v : v;
	return true;
}

bool parse_decimal(const char *p, size_t n)
{
	size_t i = 0;
	if (n && p[0] == '-')
		i = 1;
	size_t start = i;
	while (i < n && isdig(p[i]))
		i++;
	if (i == start)
		return false;
	if (i < n && p[i] == '.') {
		size_t f = ++i;
		while (i < n && isdig(p[i]))
			i++;
		if (i == f)
			return false;
	}
	return i == n;
}

bool parse_bool(const char *p, size_t n, bool *out)
{
	if (n == 1 && (p[0] == '1' || p[0] == '0')) {
		*out = p[0] == '1';
		return true;
	}
	if (n == 4 && strncasecmp(p, "true", 4) == 0) {
		*out = true;
		return true;
	}
	if (n == 5 && strncasecmp(p, "false", 5) == 0) {
		*out = false;
		return true;
	}
	return false;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int y, unsigned m)
{
	static const unsigned char DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : DAYS[m - 1];
}

bool date_valid(int y, unsigned m, unsigned d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil. */
int32_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void civil_from_days(int32_t z0, int *y, unsigned *m, unsigned *d)
{
	int z = z0 + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)yoe + era * 400 + (*m <= 2);
}

/* Reads exactly k digits at p; -1 if any is not a digit. */
static int digits(const char *p, size_t k)
{
	int v = 0;
	for (size_t i = 0; i < k; i++) {
		if (!isdig(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

bool parse_date(const char *p, size_t n, int32_t *days)
{
	if (n != 10 || p[4] != '-' || p[7] != '-')
		return false;
	/* the eight digits checked together, without a branch each */
	static const unsigned char AT[8] = {0, 1, 2, 3, 5, 6, 8, 9};
	unsigned dg[8], bad = 0;
	for (int i = 0; i < 8; i++) {
		dg[i] = (unsigned)((unsigned char)p[AT[i]] - '0');
		bad |= dg[i] > 9;
	}
	if (bad)
		return false;
	int y = (int)(dg[0] * 1000 + dg[1] * 100 + dg[2] * 10 + dg[3]);
	unsigned m = dg[4] * 10 + dg[5], d = dg[6] * 10 + dg[7];
	if (!date_valid(y, m, d))
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

/* HH:MM[:SS[.fraction]] at p; returns bytes used, 0 on error. */
static size_t parse_clock(const char *p, size_t n, int64_t *secs, int32_t *nsec)
{
	if (n < 5 || p[2] != ':')
		return 0;
	int h = digits(p, 2), mi = digits(p + 3, 2), s = 0;
	if (h < 0 || mi < 0 || h > 23 || mi > 59)
		return 0;
	size_t i = 5;
	int32_t ns = 0;
	if (i < n && p[i] == ':') {
		if (n - i < 3 || (s = digits(p + i + 1, 2)) < 0 || s > 59)
			return 0;
		i += 3;
		if (i < n && p[i] == '.') {
			size_t f = ++i;
			int32_t scale = 100000000;
			while (i < n && isdig(p[i])) {
				ns += (p[i] - '0') * scale;
				scale /= 10;
				i++;
			}
			if (i == f)
				return 0;
		}
	}
	*secs = (int64_t)h * 3600 + mi * 60 + s;
	*nsec = ns;
	return i;
}

/* Z, +HH:MM or -HH:MM (colon optional when allow_compact) at p, whole rest
 * of the span; returns the offset in seconds through off. */
static bool parse_offset(const char *p, size_t n, bool allow_compact, int *off)
{
	if (n == 1 && p[0] == 'Z') {
		*off = 0;
		return true;
	}
	if ((n != 6 && !(allow_compact && n == 5)) || (p[0] != '+' && p[0] != '-'))
		return false;
	int h = digits(p + 1, 2), m;
	if (n == 6) {
		if (p[3] != ':')
			return false;
		m = digits(p + 4, 2);
	} else {
		m = digits(p + 3, 2);
	}
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return false;
	*off = (h * 3600 + m * 60) * (p[0] == '-' ? -1 : 1);
	return true;
}

bool parse_datetime(const char *p, size_t n, rv_instant *out)
{
	int32_t days;
	if (n < 16 || !parse_date(p, 10, &days) || (p[10] != 'T' && p[10] != ' '))
		return false;
	int64_t secs;
	int32_t ns;
	size_t used = parse_clock(p + 11, n - 11, &secs, &ns);
	if (!used)
		return false;
	size_t i = 11 + used;
	int off = 0;
	if (i < n && !parse_offset(p + i, n - i, false, &off))
		return false;
	out->secs = (int64_t)days * 86400 + secs - off;
	out->nsec = ns;
	return true;
}

bool parse_time(const char *p, size_t n, rv_instant *out)
{
	int64_t secs;
	int32_t ns;
	size_t used = parse_clock(p, n, &secs, &ns);
	if (used == 0 || used != n)
		return false;
	out->secs = secs;
	out->nsec = ns;
	return true;
}

bool parse_value(rv_type t, const char *p, size_t n, rv_value *out)
{
	out->type = t;
	switch (t) {
	case RV_STR:
		out->u.s.p = p;
		out->u.s.n = n;
		return true;
	case RV_INT: return parse_int(p, n, &out->u.i);
	case RV_FLOAT: return parse_float(p, n, &out->u.f);
	case RV_DECIMAL:
		out->u.s.p = p;
		out->u.s.n = n;
		return parse_decimal(p, n);
	case RV_BOOL: return parse_bool(p, n, &out->u.b);
	case RV_DATE: return parse_date(p, n, &out->u.date);
	case RV_DATETIME: return parse_datetime(p, n, &out->u.t);
	case RV_TIME: return parse_time(p, n, &out->u.t);
	case RV_NONE: return false;
	}
	return false;
}

/* Splits a valid decimal into sign, significant integer digits and
 * significant fraction digits. */
typedef struct {
	bool neg;
	const char *ip, *fp;
	size_t in, fn;
} dec_parts;

static dec_parts dec_split(const char *p, size_t n)
{
	dec_parts d = {0};
	size_t i = 0;
	if (n && p[0] == '-') {
		d.neg = true;
		i = 1;
	}
	while (i < n && p[i] == '0')
		i++;
	d.ip = p + i;
	while (i < n && p[i] != '.')
		i++;
	d.in = (size_t)(p + i - d.ip);
	if (i < n) {
		d.fp = p + i + 1;
		d.fn = n - i - 1;
		while (d.fn && d.fp[d.fn - 1] == '0')
			d.fn--;
	} else {
		d.fp = p + n;
	}
	if (d.in == 0 && d.fn == 0)
		d.neg = false; /* -0 is 0 */
	return d;
}

int decimal_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	dec_parts x = dec_split(a, an), y = dec_split(b, bn);
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;
	int sign = x.neg ? -1 : 1, c = 0;
	if (x.in != y.in) {
		c = x.in < y.in ? -1 : 1;
	} else if ((c = memcmp(x.ip, y.ip, x.in)) == 0) {
		size_t k = x.fn < y.fn ? x.fn : y.fn;
		c = memcmp(x.fp, y.fp, k);
		if (c == 0 && x.fn != y.fn)
			c = x.fn < y.fn ? -1 : 1;
	}
	return c < 0 ? -sign : c > 0 ? sign : 0;
}

static int cmp3(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

int value_cmp(const rv_value *a, const rv_value *b)
{
	switch (a->type) {
	case RV_STR: {
		size_t k = a->u.s.n < b->u.s.n ? a->u.s.n : b->u.s.n;
		int c = k ? memcmp(a->u.s.p, b->u.s.p, k) : 0;
		return c ? (c < 0 ? -1 : 1) : cmp3((int64_t)a->u.s.n, (int64_t)b->u.s.n);
	}
	case RV_INT: return cmp3(a->u.i, b->u.i);
	case RV_FLOAT: return a->u.f < b->u.f ? -1 : a->u.f > b->u.f;
	case RV_DECIMAL: return decimal_cmp(a->u.s.p, a->u.s.n, b->u.s.p, b->u.s.n);
	case RV_BOOL: return (int)a->u.b - (int)b->u.b;
	case RV_DATE: return cmp3(a->u.date, b->u.date);
	case RV_DATETIME:
	case RV_TIME: {
		int c = cmp3(a->u.t.secs, b->u.t.secs);
		return c ? c : cmp3(a->u.t.nsec, b->u.t.nsec);
	}
	case RV_NONE: return 0;
	}
	return 0;
}

static int format_clock(char *out, size_t size, int64_t secs, int32_t nsec)
{
	int h = (int)(secs / 3600), m = (int)(secs / 60 % 60), s = (int)(secs % 60);
	if (!nsec)
		return snprintf(out, size, "%02d:%02d:%02d", h, m, s);
	char frac[16];
	snprintf(frac, sizeof(frac), "%09d", (int)nsec);
	size_t k = strlen(frac);
	while (k > 1 && frac[k - 1] == '0')
		frac[--k] = '\0';
	return snprintf(out, size, "%02d:%02d:%02d.%s", h, m, s, frac);
}

static int value_format_full(const rv_value *v, char *out, size_t size);

/* Python's repr of a float: the shortest digits that read back exactly,
 * in positional notation for exponents from -4 to 15, scientific otherwise. */
static int format_float(double f, char *out, size_t size)
{
	if (f == 0)
		return snprintf(out, size, "%s", signbit(f) ? "-0" : "0");
	if (!isfinite(f)) /* never parsed, but a computed value may overflow */
		return snprintf(out, size, "%s", isnan(f) ? "nan" : f < 0 ? "-inf" : "inf");
	char sci[40];
	int prec = 1;
	for (; prec <= 17; prec++) {
		snprintf(sci, sizeof(sci), "%.*e", prec - 1, f);
		if (strtod(sci, NULL) == f)
			break;
	}
	char *e = strchr(sci, 'e');
	int exp = (int)strtol(e + 1, NULL, 10);
	if (exp < -4 || exp >= 16)
		return snprintf(out, size, "%.*e", prec - 1, f);
	int decimals = prec - 1 - exp;
	return snprintf(out, size, "%.*f", decimals > 0 ? decimals : 0, f);
}

int value_format(const rv_value *v, char *out, size_t size)
{
	/* text formats straight into out; the rest in full, then copied, so the
	 * return value is the full length even when out is too small */
	if (v->type == RV_STR || v->type == RV_DECIMAL)
		return snprintf(out, size, "%.*s", (int)v->u.s.n, v->u.s.p);
	char tmp[128];
	int n = value_format_full(v, tmp, sizeof(tmp));
	if (size)
		snprintf(out, size, "%s", tmp);
	return n;
}

static int value_format_full(const rv_value *v, char *out, size_t size)
{
	switch (v->type) {
	case RV_STR:
	case RV_DECIMAL: return snprintf(out, size, "%.*s", (int)v->u.s.n, v->u.s.p);
	case RV_INT: return snprintf(out, size, "%lld", (long long)v->u.i);
	case RV_FLOAT: return format_float(v->u.f, out, size);
	case RV_BOOL: return snprintf(out, size, "%s", v->u.b ? "true" : "false");
	case RV_DATE: {
		int y;
		unsigned m, d;
		civil_from_days(v->u.date, &y, &m, &d);
		return snprintf(out, size, "%04d-%02u-%02u", y, m, d);
	}
	case RV_DATETIME: {
		int64_t days =
			v->u.t.secs >= 0 ? v->u.t.secs / 86400 : -((-v->u.t.secs + 86399) / 86400);
		int64_t rem = v->u.t.secs - days * 86400;
		int y;
		unsigned m, d;
		civil_from_days((int32_t)days, &y, &m, &d);
		int k = snprintf(out, size, "%04d-%02u-%02uT", y, m, d);
		if (k < 0 || (size_t)k >= size)
			return k;
		int c = format_clock(out + k, size - (size_t)k, rem, v->u.t.nsec);
		if (c < 0 || (size_t)(k + c) >= size - 1)
			return k + c + 1;
		out[k + c] = 'Z'; /* instants are UTC; a time without an offset is taken as UTC */
		out[k + c + 1] = '\0';
		return k + c + 1;
	}
	case RV_TIME: return format_clock(out, size, v->u.t.secs, v->u.t.nsec);
	case RV_NONE: return snprintf(out, size, "None");
	}
	return 0;
}

/* ---- date/time format patterns ---- */

static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun",
				     "jul", "aug", "sep", "oct", "nov", "dec"};

bool dtfmt_compile(const char *fmt, rv_type t, rv_dtfmt *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	unsigned seen = 0; /* bit per directive letter index */
	const char *dirs = "YmdHMSfzjb";
	for (const char *p = fmt; *p; p++) {
		if (out->n == DTFMT_MAX_ITEMS) {
			snprintf(err, errlen, "format is too long (at most %d items)",
				 DTFMT_MAX_ITEMS);
			return false;
		}
		if (*p != '%') {
			out->items[out->n].dir = 0;
			out->items[out->n++].lit = *p;
			continue;
		}
		char c = *++p;
		if (c == '%') {
			out->items[out->n].dir = 0;
			out->items[out->n++].lit = '%';
			continue;
		}
		const char *k = c ? strchr(dirs, c) : NULL;
		if (!k) {
			if (c)
				snprintf(
					err, errlen,
					"unknown directive '%%%c' in format (use %%Y %%m %%d %%H %%M %%S %%f "
					"%%z %%j %%b %%%%)",
					c);
			else
				snprintf(err, errlen, "format ends with a lone '%%'");
			return false;
		}
		unsigned bit = 1u << (k - dirs);
		if (seen & bit) {
			snprintf(err, errlen, "directive '%%%c' appears twice in format", c);
			return false;
		}
		seen |= bit;
		out->items[out->n++].dir = c;
	}
#define HAS(ch) (seen & (1u << (strchr(dirs, ch) - dirs)))
	out->has_date = HAS('Y') || HAS('m') || HAS('d') || HAS('j') || HAS('b');
	if (HAS('j') && (HAS('m') || HAS('d') || HAS('b'))) {
		snprintf(err, errlen, "'%%j' cannot be combined with '%%m', '%%b' or '%%d'");
		return false;
	}
	if (HAS('m') && HAS('b')) {
		snprintf(err, errlen, "'%%m' and '%%b' both give the month");
		return false;
	}
	/* every directive is allowed in every format (SPEC 2.3): parts a type
	 * does not hold are checked and dropped (the time of a date, the date
	 * and the offset of a time) */
	if (t != RV_TIME && !(HAS('Y') && (HAS('j') || ((HAS('m') || HAS('b')) && HAS('d'))))) {
		snprintf(err, errlen,
			 "a %s format needs %%Y and %%m (or %%b) and %%d, or %%Y and %%j",
			 type_name(t));
		return false;
	}
	if (t == RV_TIME && !(HAS('H') && HAS('M'))) {
		snprintf(err, errlen, "a time format needs %%H and %%M");
		return false;
	}
	if (HAS('f') && !HAS('S')) {
		snprintf(err, errlen, "'%%f' needs '%%S'");
		return false;
	}
#undef HAS
	return true;
}

bool dtfmt_parse(const rv_dtfmt *f, rv_type t, const char *p, size_t n, rv_value *out)
{
	int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, yday = -1, off = 0;
	int32_t ns = 0;
	size_t i = 0;
	for (unsigned k = 0; k < f->n; k++) {
		char dir = f->items[k].dir;
		if (!dir) {
			if (i >= n || p[i] != f->items[k].lit)
				return false;
			i++;
			continue;
		}
		size_t width = dir == 'Y' ? 4 : dir == 'j' ? 3 : 2;
		switch (dir) {
		case 'f': {
			size_t start = i;
			int32_t scale = 100000000;
			while (i < n && isdig(p[i]) && i - start < 9) {
				ns += (p[i] - '0') * scale;
				scale /= 10;
				i++;
			}
			if (i == start)
				return false;
			break;
		}
		case 'b': {
			if (n - i < 3)
				return false;
			int found = -1;
			for (int m = 0; m < 12; m++)
				if (strncasecmp(p + i, MONTHS[m], 3) == 0)
					found = m;
			if (found < 0)
				return false;
			mo = found + 1;
			i += 3;
			break;
		}
		case 'z': {
			size_t len = 0;
			if (i < n && p[i] == 'Z')
				len = 1;
			else if (n - i >= 6 && p[i + 3] == ':')
				len = 6;
			else if (n - i >= 5)
				len = 5;
			if (!len || !parse_offset(p + i, len, true, &off))
				return false;
			i += len;
			break;
		}
		default: {
			if (n - i < width)
				return false;
			int v = digits(p + i, width);
			if (v < 0)
				return false;
			i += width;
			switch (dir) {
			case 'Y': y = v; break;
			case 'm': mo = v; break;
			case 'd': d = v; break;
			case 'H': h = v; break;
			case 'M': mi = v; break;
			case 'S': s = v; break;
			case 'j': yday = v; break;
			}
		}
		}
	}
	if (i != n || h > 23 || mi > 59 || s > 59)
		return false;
	int32_t days = 0;
	if (t != RV_TIME || f->has_date) { /* a date part must be a real date, even in a time */
		if (yday >= 0) {
			if (y < 1 || y > 9999 || yday < 1 || yday > (is_leap(y) ? 366 : 365))
				return false;
			days = days_from_civil(y, 1, 1) + yday - 1;
		} else {
			if (!date_valid(y, (unsigned)mo, (unsigned)d))
				return false;
			days = days_from_civil(y, (unsigned)mo, (unsigned)d);
		}
	}
	out->type = t;
	if (t == RV_DATE) {
		out->u.date = days;
	} else {
		int64_t clock = (int64_t)h * 3600 + mi * 60 + s;
		out->u.t.secs = t == RV_TIME ? clock : (int64_t)days * 86400 + clock - off;
		out->u.t.nsec = ns;
	}
	return true;
}
