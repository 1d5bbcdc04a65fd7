/* overread.h: loads that may read past the end of a buffer, within a page.
 *
 * A load that stays inside one 4 KiB page cannot fault when its first byte
 * is readable, so short cells can be read a word or a vector at a time and
 * the bytes past their end masked off. Sanitizers (rightly) report such
 * loads, so sanitized builds never take them. Page size: 4 KiB is the
 * smallest x86-64 page, so the test holds for larger ones too. */
#ifndef RV_OVERREAD_H
#define RV_OVERREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer) ||                           \
	defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
#define RV_OVERREAD 0
#else
#define RV_OVERREAD 1
#endif

/* True when `width` bytes from p may be loaded although fewer belong to the
 * buffer (p itself must be readable). */
static inline bool overread_ok(const void *p, size_t width)
{
	return RV_OVERREAD && ((uintptr_t)p & 4095) <= 4096 - width;
}

/* The n <= 8 bytes at p as a little-endian word, zero above them. */
static inline uint64_t load_partial(const char *p, size_t n)
{
	uint64_t w = 0;
	if (n == 0)
		return 0;
	if (overread_ok(p, 8)) {
		memcpy(&w, p, 8);
		return n == 8 ? w : w & ((1ull << (8 * n)) - 1);
	}
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)(unsigned char)p[i] << (8 * i);
	return w;
}

#endif
