/* formats.c: allocation-free validators for the `format:` values of str fields (SPEC 2.3). */
#include "formats.h"

#include <stdint.h>

/* One class table serves every format: a byte's bits say which grammars admit it. Built at
 * compile time from range tests so it is plain ASCII, immune to the locale, and needs no
 * run-time initialisation (the validators run on many threads at once). Bytes >= 0x80 belong
 * to no class: none of these formats admits non-ASCII text. */
enum {
	C_ALPHA = 1 << 0,  /* A-Z a-z */
	C_DIGIT = 1 << 1,  /* 0-9 */
	C_HEX = 1 << 2,    /* 0-9 A-F a-f */
	C_ATEXT = 1 << 3,  /* e-mail local part (WHATWG: atext plus '.') */
	C_LABEL = 1 << 4,  /* e-mail domain label: letters, digits, '-' */
	C_SCHEME = 1 << 5, /* URI scheme after its first letter */
	C_REG = 1 << 6,    /* URI reg-name: unreserved / sub-delims */
	C_USER = 1 << 7,   /* URI userinfo, IPvFuture tail: C_REG / ':' */
	C_PATH = 1 << 8,   /* URI path: pchar / '/' */
	C_QUERY = 1 << 9,  /* URI query and fragment: pchar / '/' / '?' */
	C_B64 = 1 << 10,   /* RFC 4648 section 4 alphabet, without the '=' pad */
};

#define IN_RANGE(c, lo, hi) ((c) >= (lo) && (c) <= (hi))
#define IS_ALPHA(c)         (IN_RANGE(c, 'A', 'Z') || IN_RANGE(c, 'a', 'z'))
#define IS_DIGIT(c)         IN_RANGE(c, '0', '9')
#define IS_ALNUM(c)         (IS_ALPHA(c) || IS_DIGIT(c))
#define IS_HEX(c)           (IS_DIGIT(c) || IN_RANGE(c, 'A', 'F') || IN_RANGE(c, 'a', 'f'))
#define IS_UNRESERVED(c)    (IS_ALNUM(c) || (c) == '-' || (c) == '.' || (c) == '_' || (c) == '~')
#define IS_SUBDELIM(c)                                                                             \
	((c) == '!' || (c) == '$' || (c) == '&' || (c) == '\'' || (c) == '(' || (c) == ')' ||      \
	 (c) == '*' || (c) == '+' || (c) == ',' || (c) == ';' || (c) == '=')
#define IS_ATEXT(c)                                                                                \
	(IS_ALNUM(c) || (c) == '.' || (c) == '!' || (c) == '#' || (c) == '$' || (c) == '%' ||      \
	 (c) == '&' || (c) == '\'' || (c) == '*' || (c) == '+' || (c) == '/' || (c) == '=' ||      \
	 (c) == '?' || (c) == '^' || (c) == '_' || (c) == '`' || (c) == '{' || (c) == '|' ||       \
	 (c) == '}' || (c) == '~' || (c) == '-')
#define IS_REG(c)   (IS_UNRESERVED(c) || IS_SUBDELIM(c))
#define IS_PATH(c)  (IS_REG(c) || (c) == ':' || (c) == '@' || (c) == '/')
#define IS_QUERY(c) (IS_PATH(c) || (c) == '?')

#define CLS(c)                                                                                     \
	((IS_ALPHA(c) ? C_ALPHA : 0) | (IS_DIGIT(c) ? C_DIGIT : 0) | (IS_HEX(c) ? C_HEX : 0) |     \
	 (IS_ATEXT(c) ? C_ATEXT : 0) | (IS_ALNUM(c) || (c) == '-' ? C_LABEL : 0) |                 \
	 (IS_ALNUM(c) || (c) == '+' || (c) == '-' || (c) == '.' ? C_SCHEME : 0) |                  \
	 (IS_REG(c) ? C_REG : 0) | (IS_REG(c) || (c) == ':' ? C_USER : 0) |                        \
	 (IS_PATH(c) ? C_PATH : 0) | (IS_QUERY(c) ? C_QUERY : 0) |                                 \
	 (IS_ALNUM(c) || (c) == '+' || (c) == '/' ? C_B64 : 0))
#define CLS4(c)  CLS(c), CLS((c) + 1), CLS((c) + 2), CLS((c) + 3)
#define CLS16(c) CLS4(c), CLS4((c) + 4), CLS4((c) + 8), CLS4((c) + 12)
#define CLS64(c) CLS16(c), CLS16((c) + 16), CLS16((c) + 32), CLS16((c) + 48)

static const uint16_t CLASS[256] = {CLS64(0), CLS64(64), CLS64(128), CLS64(192)};

static inline unsigned cls(char c)
{
	return CLASS[(unsigned char)c];
}

/* True if every byte of p[0..n) is in class c. No early exit: the loop stays branch-free,
 * and a bad byte early in a long cell is the rare case. */
static inline bool all_in(const char *p, size_t n, unsigned c)
{
	unsigned acc = c;
	for (size_t i = 0; i < n; i++)
		acc &= CLASS[(unsigned char)p[i]];
	return acc != 0;
}

/* Skips bytes of class c and percent-encoded triplets %HH from i; returns where it stopped
 * (n, or the first byte that is neither — a lone or malformed '%' included). */
static size_t span_pct(const char *p, size_t i, size_t n, unsigned c)
{
	for (;;) {
		while (i < n && (cls(p[i]) & c))
			i++;
		if (n - i < 3 || p[i] != '%' || !(cls(p[i + 1]) & cls(p[i + 2]) & C_HEX))
			return i;
		i += 3;
	}
}

bool format_email(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (cls(p[i]) & C_ATEXT))
		i++;
	/* '@' is not atext, so the first byte outside the class must be the one '@'. */
	if (i == 0 || i == n || p[i] != '@')
		return false;
	i++;
	for (;;) {
		size_t s = i;
		while (i < n && (cls(p[i]) & C_LABEL))
			i++;
		/* An empty label (leading, trailing or doubled dot, or "a@") fails on len == 0
		 * before p[s] is read. */
		size_t len = i - s;
		if (len == 0 || len > 63 || p[s] == '-' || p[i - 1] == '-')
			return false;
		if (i == n)
			return true;
		if (p[i] != '.')
			return false;
		i++;
	}
}

/* The inside of an IP-literal's brackets: IPv6address or IPvFuture
 * ("v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ); ABNF "v" is case-insensitive). */
static bool ip_literal(const char *p, size_t n)
{
	if (n == 0 || (p[0] != 'v' && p[0] != 'V'))
		return format_ipv6(p, n);
	size_t i = 1;
	while (i < n && (cls(p[i]) & C_HEX))
		i++;
	if (i == 1 || i == n || p[i] != '.')
		return false;
	i++;
	return i < n && all_in(p + i, n - i, C_USER);
}

/* authority = [ userinfo "@" ] host [ ":" port ], from i up to the next '/', '?', '#' or the
 * end; stores that position in *end. */
static bool authority(const char *p, size_t i, size_t n, size_t *end)
{
	/* userinfo's class covers reg-name and ":port" too, so one span finds the '@' if there
	 * is one; otherwise the host starts where the authority does. */
	size_t j = span_pct(p, i, n, C_USER);
	if (j < n && p[j] == '@')
		i = j + 1;
	if (i < n && p[i] == '[') {
		/* Neither IPv6 nor IPvFuture contains ']', so the first one closes the literal. */
		size_t e = i + 1;
		while (e < n && p[e] != ']')
			e++;
		if (e == n || !ip_literal(p + i + 1, e - i - 1))
			return false;
		i = e + 1;
	} else {
		/* reg-name, which also covers IPv4address; it may be empty ("file:///x"). */
		i = span_pct(p, i, n, C_REG);
	}
	if (i < n && p[i] == ':') {
		/* port = *DIGIT: RFC 3986 allows it empty and sets no upper bound. */
		i++;
		while (i < n && (cls(p[i]) & C_DIGIT))
			i++;
	}
	if (i < n && p[i] != '/' && p[i] != '?' && p[i] != '#')
		return false;
	*end = i;
	return true;
}

bool format_uri(const char *p, size_t n)
{
	if (n < 2 || !(cls(p[0]) & C_ALPHA))
		return false;
	size_t i = 1;
	while (i < n && (cls(p[i]) & C_SCHEME))
		i++;
	if (i == n || p[i] != ':')
		return false;
	i++;
	if (n - i >= 2 && p[i] == '/' && p[i + 1] == '/') {
		if (!authority(p, i + 2, n, &i))
			return false;
		/* What follows is path-abempty: authority() stopped at '/', '?', '#' or the end. */
	}
	/* Without an authority, path-absolute / path-rootless / path-empty together are any run
	 * of pchar and '/' that does not start with "//" — and "//" was taken above. */
	i = span_pct(p, i, n, C_PATH);
	if (i < n && p[i] == '?')
		i = span_pct(p, i + 1, n, C_QUERY);
	if (i < n && p[i] == '#')
		i = span_pct(p, i + 1, n, C_QUERY); /* fragment has the query's class; no '#' */
	return i == n;
}

bool format_uuid(const char *p, size_t n)
{
	if (n != 36 || p[8] != '-' || p[13] != '-' || p[18] != '-' || p[23] != '-')
		return false;
	/* One branch-free pass over all 36 bytes: the dashes, checked above, are given the hex
	 * bit by position (a constant once the fixed-count loop is unrolled). */
	unsigned acc = C_HEX;
	for (size_t i = 0; i < 36; i++)
		acc &= cls(p[i]) | (i == 8 || i == 13 || i == 18 || i == 23 ? C_HEX : 0u);
	return acc != 0;
}

bool format_ipv4(const char *p, size_t n)
{
	if (n < 7 || n > 15)
		return false;
	size_t i = 0;
	for (int k = 0; k < 4; k++) {
		if (k != 0) {
			if (i == n || p[i] != '.')
				return false;
			i++;
		}
		/* At most four digits are read: a fourth is already either > 255 or a leading
		 * zero, and the bound keeps v from overflowing. */
		size_t s = i;
		unsigned v = 0;
		while (i < n && i - s < 4 && (cls(p[i]) & C_DIGIT)) {
			v = v * 10 + (unsigned)(p[i] - '0');
			i++;
		}
		if (i == s || v > 255 || (i - s > 1 && p[s] == '0'))
			return false;
	}
	return i == n;
}

bool format_ipv6(const char *p, size_t n)
{
	/* The longest form is six full groups and a dotted quad: 6 * 5 + 15 = 45 bytes. */
	if (n < 2 || n > 45)
		return false;
	size_t i = 0;
	unsigned groups = 0;
	bool elided = false;
	if (p[0] == ':') {
		/* Only "::" may start an address; a lone leading ':' is an empty group. */
		if (p[1] != ':')
			return false;
		elided = true;
		i = 2;
		if (i == n)
			return true;
	}
	for (;;) {
		size_t s = i;
		while (i < n && i - s < 5 && (cls(p[i]) & C_HEX))
			i++;
		if (i < n && p[i] == '.') {
			/* A dotted quad is the last 32 bits, so it must run to the end. */
			if (!format_ipv4(p + s, n - s))
				return false;
			groups += 2;
			break;
		}
		if (i == s || i - s > 4)
			return false;
		groups++;
		if (i == n)
			break;
		if (p[i] != ':' || ++i == n) /* a trailing single ':' */
			return false;
		if (p[i] == ':') {
			if (elided)
				return false;
			elided = true;
			if (++i == n)
				break;
		}
	}
	/* "::" stands for one or more zero groups (RFC 4291), so with it at most seven are
	 * written; without it, exactly eight. */
	return elided ? groups <= 7 : groups == 8;
}

bool format_hex(const char *p, size_t n)
{
	return n != 0 && all_in(p, n, C_HEX);
}

bool format_base64(const char *p, size_t n)
{
	if (n == 0 || (n & 3) != 0)
		return false;
	/* Up to two '=' at the very end; any '=' before them falls outside C_B64. The bits the
	 * padding leaves over are not required to be zero. */
	size_t pad = (size_t)(p[n - 1] == '=') + (size_t)(p[n - 1] == '=' && p[n - 2] == '=');
	return all_in(p, n - pad, C_B64);
}

bool format_check(rv_strformat f, const char *p, size_t n)
{
	switch (f) {
	case STRFMT_NONE: break;
	case STRFMT_EMAIL: return format_email(p, n);
	case STRFMT_URI: return format_uri(p, n);
	case STRFMT_UUID: return format_uuid(p, n);
	case STRFMT_IPV4: return format_ipv4(p, n);
	case STRFMT_IPV6: return format_ipv6(p, n);
	case STRFMT_HEX: return format_hex(p, n);
	case STRFMT_BASE64: return format_base64(p, n);
	}
	return true;
}
