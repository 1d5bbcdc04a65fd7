/* simple_re.c: compile and run the bit-parallel matcher of simple patterns. */
#include "simple_re.h"

#include <string.h>
#ifdef __x86_64__
#include <immintrin.h>
#endif

#include "util/overread.h"

typedef struct {
	uint8_t set[32]; /* 256-bit class */
} cls;

static void cls_add(cls *c, unsigned char b)
{
	c->set[b >> 3] |= (uint8_t)(1u << (b & 7));
}

static void cls_range(cls *c, unsigned char lo, unsigned char hi)
{
	for (unsigned b = lo; b <= hi; b++)
		cls_add(c, (unsigned char)b);
}

/* \d \w \s as PCRE2 defines them without UCP: ASCII only */
static bool cls_escape(cls *c, char e)
{
	switch (e) {
	case 'd': cls_range(c, '0', '9'); return true;
	case 'w':
		cls_range(c, '0', '9');
		cls_range(c, 'a', 'z');
		cls_range(c, 'A', 'Z');
		cls_add(c, '_');
		return true;
	case 's':
		/* space, \t \n \v \f \r */
		cls_add(c, ' ');
		cls_range(c, 9, 13);
		return true;
	default: return false;
	}
}

static bool is_punct_escape(char e)
{
	/* escaped punctuation stands for itself */
	return e && strchr("\\^$.|?*+()[]{}/-_,:;@#%&=!<>'\"~`", e) != NULL;
}

/* Parses a class body after '['; returns the position after ']' or NULL. */
static const char *parse_class(const char *p, cls *c)
{
	if (*p == '^')
		return NULL; /* negated classes match non-ASCII code points */
	bool first = true;
	while (*p && (*p != ']' || first)) {
		first = false;
		unsigned char lo;
		if (*p == '\\') {
			p++;
			if (cls_escape(c, *p)) {
				p++;
				continue;
			}
			if (!is_punct_escape(*p))
				return NULL;
			lo = (unsigned char)*p++;
		} else if (*p == '[') {
			return NULL; /* POSIX classes like [:alpha:] */
		} else {
			lo = (unsigned char)*p++;
		}
		if (lo >= 0x80)
			return NULL;
		if (*p == '-' && p[1] && p[1] != ']') {
			unsigned char hi;
			p++;
			if (*p == '\\') {
				p++;
				if (!is_punct_escape(*p))
					return NULL;
			}
			hi = (unsigned char)*p++;
			if (hi >= 0x80 || hi < lo)
				return NULL;
			cls_range(c, lo, hi);
		} else {
			cls_add(c, lo);
		}
	}
	return *p == ']' ? p + 1 : NULL;
}

static bool parse_count(const char **pp, int *out)
{
	const char *p = *pp;
	int v = 0;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > SRE_MAX_POSITIONS)
			return false;
		p++;
	}
	*pp = p;
	*out = v;
	return true;
}

static uint64_t step(const rv_simple_re *re, uint64_t d, unsigned char c)
{
	uint64_t f = 0;
	for (uint64_t s = d; s; s &= s - 1)
		f |= re->follow[__builtin_ctzll(s)];
	return f & re->byte_mask[c];
}

/* Subset construction over the position sets reachable from the start;
 * gives up (n_states = 0) past SRE_MAX_STATES. */
static void build_dfa(rv_simple_re *re)
{
	uint64_t sets[SRE_MAX_STATES];
	int n = 2;
	sets[0] = 0;             /* dead */
	sets[1] = 1ull << re->n; /* the start: the virtual position */
	memset(re->dfa, 0, sizeof(re->dfa));
	for (int s = 1; s < n; s++) {
		for (unsigned c = 0; c < 256; c++) {
			uint64_t next = step(re, sets[s], (unsigned char)c);
			int id = -1;
			for (int k = 0; k < n; k++)
				if (sets[k] == next)
					id = k;
			if (id < 0) {
				if (n == SRE_MAX_STATES) {
					re->n_states = 0;
					return;
				}
				sets[n] = next;
				id = n++;
			}
			re->dfa[s][c] = (uint8_t)id;
		}
	}
	for (int s = 0; s < n; s++)
		re->accept[s] = s == 1 ? re->nullable : (sets[s] & re->last) != 0;
	re->n_states = n;
	for (int s = 1; s < n; s++) {
		bool ascii = true, any = false;
		memset(re->run_lo[s], 0, 16);
		for (unsigned c = 0; c < 256; c++) {
			if (re->dfa[s][c] != s)
				continue;
			any = true;
			if (c >= 0x80)
				ascii = false;
			else
				re->run_lo[s][c & 15] |= (uint8_t)(1u << (c >> 4));
		}
		re->has_run[s] = any && ascii;
	}
}

bool simple_re_compile(const char *pattern, bool caseless, rv_simple_re *out)
{
	if (caseless)
		return false; /* Unicode case folding maps some ASCII letters to other code points
			       */
	cls classes[SRE_MAX_POSITIONS];
	bool optional[SRE_MAX_POSITIONS], repeat[SRE_MAX_POSITIONS];
	int n = 0;
	const char *p = pattern;
	size_t len = strlen(pattern);
	const char *end = pattern + len;
	if (*p == '^')
		p++;
	if (end > p && end[-1] == '$') {
		/* a trailing $ is redundant under ENDANCHORED, unless it is escaped */
		size_t bs = 0;
		for (const char *q = end - 2; q >= p && *q == '\\'; q--)
			bs++;
		if (bs % 2 == 0)
			end--;
	}
	while (p < end) {
		cls c;
		memset(&c, 0, sizeof(c));
		if (*p == '[') {
			const char *q = parse_class(p + 1, &c);
			if (!q || q > end)
				return false;
			p = q;
		} else if (*p == '\\') {
			p++;
			if (p >= end)
				return false;
			if (!cls_escape(&c, *p)) {
				if (!is_punct_escape(*p))
					return false;
				cls_add(&c, (unsigned char)*p);
			}
			p++;
		} else if (strchr("^$.|?*+()[]{}", *p) || (unsigned char)*p >= 0x80) {
			return false;
		} else {
			cls_add(&c, (unsigned char)*p++);
		}
		/* the quantifier */
		int lo = 1, hi = 1; /* hi < 0: unbounded */
		if (p < end && *p == '?') {
			lo = 0;
			p++;
		} else if (p < end && *p == '*') {
			lo = 0;
			hi = -1;
			p++;
		} else if (p < end && *p == '+') {
			hi = -1;
			p++;
		} else if (p < end && *p == '{') {
			const char *q = p + 1;
			if (!parse_count(&q, &lo))
				return false;
			hi = lo;
			if (*q == ',') {
				q++;
				if (*q == '}')
					hi = -1;
				else if (!parse_count(&q, &hi) || hi < lo)
					return false;
			}
			if (*q != '}')
				return false;
			p = q + 1;
		}
		if (p < end && (*p == '?' || *p == '+'))
			return false; /* lazy or possessive: keep PCRE2's reading */
		/* expand: lo mandatory copies, then optional ones or one repeated */
		int copies = hi < 0 ? (lo > 0 ? lo : 1) : hi;
		if (copies == 0)
			continue; /* {0} matches nothing: the atom vanishes */
		if (n + copies > SRE_MAX_POSITIONS)
			return false;
		for (int k = 0; k < copies; k++) {
			classes[n] = c;
			optional[n] = hi < 0 ? (k >= lo - (lo > 0)) && lo == 0 : k >= lo;
			repeat[n] = hi < 0 && k == copies - 1;
			n++;
		}
	}
	memset(out, 0, sizeof(*out));
	out->n = n;
	for (int i = 0; i < n; i++)
		for (unsigned b = 0; b < 256; b++)
			if (classes[i].set[b >> 3] & (1u << (b & 7)))
				out->byte_mask[b] |= 1ull << i;
	bool all_before_optional = true;
	for (int j = 0; j < n; j++) {
		if (all_before_optional)
			out->first |= 1ull << j;
		all_before_optional = all_before_optional && optional[j];
	}
	out->nullable = all_before_optional;
	bool all_after_optional = true;
	for (int i = n - 1; i >= 0; i--) {
		if (all_after_optional)
			out->last |= 1ull << i;
		all_after_optional = all_after_optional && optional[i];
	}
	for (int i = 0; i < n; i++) {
		if (repeat[i])
			out->follow[i] |= 1ull << i;
		for (int j = i + 1; j < n; j++) {
			out->follow[i] |= 1ull << j;
			if (!optional[j])
				break;
		}
	}
	out->follow[n] = out->first;
	out->fixed = true;
	for (int i = 0; i < n; i++)
		out->fixed = out->fixed && !optional[i] && !repeat[i];
	build_dfa(out);
	return true;
}

/* The length of the longest prefix of p[0..n) that state s loops on, a
 * byte at a time: no state to carry from byte to byte, so the loads do not
 * wait on each other. */
static inline size_t run_scalar(const rv_simple_re *re, unsigned s, const char *p, size_t n)
{
	const uint8_t *row = re->dfa[s];
	size_t i = 0;
	while (i < n && row[(unsigned char)p[i]] == s)
		i++;
	return i;
}

/* The DFA's walk over p[0..n), with RUN(re, s, p, n) for the runs a state
 * loops on ([\w.+-]+). */
#define DFA_WALK(RUN)                                                                              \
	unsigned s = 1;                                                                            \
	for (size_t i = 0; i < n;) {                                                               \
		unsigned next = re->dfa[s][(unsigned char)p[i++]];                                 \
		if (next == s) {                                                                   \
			i += RUN(re, s, p + i, n - i);                                             \
			continue;                                                                  \
		}                                                                                  \
		if (!next)                                                                         \
			return false;                                                              \
		s = next;                                                                          \
	}                                                                                          \
	return re->accept[s]

static bool dfa_match(const rv_simple_re *re, const char *p, size_t n)
{
	DFA_WALK(run_scalar);
}

#if defined(__x86_64__)
#define RV_RUN_SSSE3 1

/* run_scalar 16 bytes a step, from state s's nibble tables. The last step
 * may load up to 15 bytes past p + n where overread.h allows it; they are
 * masked off. */
__attribute__((target("ssse3"), always_inline)) static inline size_t
run_ssse3(const rv_simple_re *re, unsigned s, const char *p, size_t n)
{
	if (!re->has_run[s])
		return run_scalar(re, s, p, n);
	const __m128i lo_t = _mm_loadu_si128((const __m128i *)re->run_lo[s]);
	/* bit h for a high nibble h below 8, nothing for the non-ASCII ones */
	const __m128i hi_t =
		_mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m128i low4 = _mm_set1_epi8(0x0F);
	size_t i = 0;
	for (;;) {
		size_t avail = n - i;
		if (avail == 0)
			return n;
		if (avail < 16 && !overread_ok(p + i, 16))
			return i + run_scalar(re, s, p + i, avail);
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i lo = _mm_and_si128(v, low4);
		__m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low4);
		__m128i in = _mm_and_si128(_mm_shuffle_epi8(lo_t, lo), _mm_shuffle_epi8(hi_t, hi));
		unsigned out = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(in, _mm_setzero_si128()));
		if (avail < 16)
			out |= ~0u << avail;
		if (out)
			return i + (size_t)__builtin_ctz(out);
		i += 16;
	}
}

__attribute__((target("ssse3"))) static bool dfa_match_ssse3(const rv_simple_re *re, const char *p,
							     size_t n)
{
	DFA_WALK(run_ssse3);
}
#endif

bool simple_re_match(const rv_simple_re *re, const char *p, size_t n)
{
	if (re->fixed) {
		/* one independent lookup a byte, no state carried from one to the next */
		if (n != (size_t)re->n)
			return false;
		uint64_t miss = 0;
		for (size_t i = 0; i < n; i++)
			miss |= ~re->byte_mask[(unsigned char)p[i]] & 1ull << i;
		return miss == 0;
	}
	if (re->n_states) {
#ifdef RV_RUN_SSSE3
		if (__builtin_cpu_supports("ssse3"))
			return dfa_match_ssse3(re, p, n);
#endif
		return dfa_match(re, p, n);
	}
	if (n == 0)
		return re->nullable;
	uint64_t d = re->first & re->byte_mask[(unsigned char)p[0]];
	for (size_t i = 1; i < n && d; i++)
		d = step(re, d, (unsigned char)p[i]);
	return (d & re->last) != 0;
}
