/* xalloc.h: allocation that cannot fail quietly.
 *
 * Out of memory is not a condition rvalid can report usefully record by
 * record, so these wrappers print one line and abort. They are used for
 * compile-time and setup allocations; the per-record path allocates nothing. */
#ifndef RV_XALLOC_H
#define RV_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Zeroed memory that starts on, and fills whole, 128-byte lines: for data
 * one thread writes often, so no other thread's data shares its cache lines.
 * Free with free(). */
void *xcalloc_lines(size_t count, size_t size);

#endif
