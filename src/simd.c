/* simd.c: SSE2, AVX2 and AVX-512BW versions of masks64, dispatched at run time. */
#include "simd.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RV_X86 1
#endif

static void masks_scalar(const char *p, char a, char b, char c, char c2, rv_masks *out)
{
	uint64_t ma = 0, mb = 0, mc = 0, mh = 0;
	for (int i = 0; i < 64; i++) {
		ma |= (uint64_t)(p[i] == a) << i;
		mb |= (uint64_t)(p[i] == b) << i;
		mc |= (uint64_t)(p[i] == c || p[i] == c2) << i;
		mh |= (uint64_t)((unsigned char)p[i] >= 0x80) << i;
	}
	out->a = ma;
	out->b = mb;
	out->c = mc;
	out->high = mh;
}

#ifdef RV_X86
static void masks_sse2(const char *p, char a, char b, char c, char c2, rv_masks *out)
{
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
	const __m128i vc = _mm_set1_epi8(c), vc2 = _mm_set1_epi8(c2);
	uint64_t ma = 0, mb = 0, mc = 0, mh = 0;
	for (int k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
		mh |= (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * k);
		ma |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, va)) << (16 * k);
		mb |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vb)) << (16 * k);
		mc |= (uint64_t)(uint16_t)_mm_movemask_epi8(
			      _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vc2)))
		      << (16 * k);
	}
	out->a = ma;
	out->b = mb;
	out->c = mc;
	out->high = mh;
}

__attribute__((target("avx2"))) static void masks_avx2(const char *p, char a, char b, char c,
						       char c2, rv_masks *out)
{
	const __m256i va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b);
	const __m256i vc = _mm256_set1_epi8(c), vc2 = _mm256_set1_epi8(c2);
	__m256i lo = _mm256_loadu_si256((const __m256i *)p);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(p + 32));
#define MASK(x, y)                                                                                 \
	((uint64_t)(uint32_t)_mm256_movemask_epi8(x) | (uint64_t)(uint32_t)_mm256_movemask_epi8(y) \
							       << 32)
	out->a = MASK(_mm256_cmpeq_epi8(lo, va), _mm256_cmpeq_epi8(hi, va));
	out->b = MASK(_mm256_cmpeq_epi8(lo, vb), _mm256_cmpeq_epi8(hi, vb));
	out->c = MASK(_mm256_or_si256(_mm256_cmpeq_epi8(lo, vc), _mm256_cmpeq_epi8(lo, vc2)),
		      _mm256_or_si256(_mm256_cmpeq_epi8(hi, vc), _mm256_cmpeq_epi8(hi, vc2)));
	out->high = MASK(lo, hi);
#undef MASK
}

__attribute__((target("avx512f,avx512bw"))) static void masks_avx512(const char *p, char a, char b,
								     char c, char c2, rv_masks *out)
{
	__m512i v = _mm512_loadu_si512((const void *)p);
	out->a = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(a));
	out->b = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b));
	out->c = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(c)) |
		 _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(c2));
	out->high = _mm512_movepi8_mask(v);
}

/* The batch versions: the same masks, one call per run of blocks. */
static void masks_n_sse2(const char *p, size_t n, char a, char b, char c, char c2, rv_masks *out)
{
	for (size_t k = 0; k < n; k++)
		masks_sse2(p + 64 * k, a, b, c, c2, &out[k]);
}

__attribute__((target("avx2"))) static void masks_n_avx2(const char *p, size_t n, char a, char b,
							 char c, char c2, rv_masks *out)
{
	for (size_t k = 0; k < n; k++)
		masks_avx2(p + 64 * k, a, b, c, c2, &out[k]);
}

__attribute__((target("avx512f,avx512bw"))) static void
masks_n_avx512(const char *p, size_t n, char a, char b, char c, char c2, rv_masks *out)
{
	for (size_t k = 0; k < n; k++)
		masks_avx512(p + 64 * k, a, b, c, c2, &out[k]);
}

static int level(void)
{
	/* 3: avx512bw, 2: avx2, 1: sse2; __builtin_cpu_supports reads what the
	 * runtime detected at start-up, so the test is a load and a compare */
	if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512f"))
		return 3;
	if (__builtin_cpu_supports("avx2"))
		return 2;
	return 1;
}
#endif

void masks64(const char *p, char a, char b, char c, char c2, rv_masks *out)
{
#ifdef RV_X86
	switch (level()) {
	case 3: masks_avx512(p, a, b, c, c2, out); return;
	case 2: masks_avx2(p, a, b, c, c2, out); return;
	default: masks_sse2(p, a, b, c, c2, out); return;
	}
#else
	masks_scalar(p, a, b, c, c2, out);
#endif
}

void masks64_n(const char *p, size_t n, char a, char b, char c, char c2, rv_masks *out)
{
#ifdef RV_X86
	switch (level()) {
	case 3: masks_n_avx512(p, n, a, b, c, c2, out); return;
	case 2: masks_n_avx2(p, n, a, b, c, c2, out); return;
	default: masks_n_sse2(p, n, a, b, c, c2, out); return;
	}
#else
	for (size_t k = 0; k < n; k++)
		masks_scalar(p + 64 * k, a, b, c, c2, &out[k]);
#endif
}

const char *simd_level(void)
{
#ifdef RV_X86
	static const char *const NAMES[] = {"scalar", "sse2", "avx2", "avx512bw"};
	return NAMES[level()];
#else
	return "scalar";
#endif
}

masks64_fn simd_impl(const char *name)
{
	if (strcmp(name, "scalar") == 0)
		return masks_scalar;
#ifdef RV_X86
	int have = level();
	if (strcmp(name, "sse2") == 0)
		return masks_sse2;
	if (strcmp(name, "avx2") == 0 && have >= 2)
		return masks_avx2;
	if (strcmp(name, "avx512bw") == 0 && have >= 3)
		return masks_avx512;
#endif
	return NULL;
}
