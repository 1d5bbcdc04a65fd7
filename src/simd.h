/* simd.h: byte-class bitmasks over 64 bytes, with runtime CPU dispatch.
 *
 * The CSV parser sees its input 64 bytes at a time as bitmasks (bit i set
 * when byte i is a delimiter, a line end, a quote). masks64 computes them
 * with AVX-512BW or AVX2 when the CPU has them and SSE2 otherwise (the
 * x86-64 baseline; a portable loop elsewhere), chosen once per call by a
 * cheap CPU-feature test, so the default build needs no -march flags.
 * Thread-safe; reads exactly 64 bytes at p. */
#ifndef RV_SIMD_H
#define RV_SIMD_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t a, b, c; /* bytes equal to a; to b; to c or c2 */
	uint64_t high;    /* bytes >= 0x80 (not ASCII) */
} rv_masks;

void masks64(const char *p, char a, char b, char c, char c2, rv_masks *out);
/* masks64 of n consecutive blocks: out[k] describes the 64 bytes at p + 64 k. */
void masks64_n(const char *p, size_t n, char a, char b, char c, char c2, rv_masks *out);
/* The implementation masks64 uses on this CPU: "avx512bw", "avx2", "sse2" or "scalar". */
const char *simd_level(void);
/* Each implementation by name, for tests; NULL when the CPU lacks it. */
typedef void (*masks64_fn)(const char *p, char a, char b, char c, char c2, rv_masks *out);
masks64_fn simd_impl(const char *name);

#endif
