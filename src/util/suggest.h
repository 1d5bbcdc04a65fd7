/* suggest.h: "did you mean" for misspelt names. */
#ifndef RV_SUGGEST_H
#define RV_SUGGEST_H

#include <stddef.h>

/* The candidate closest to word (optimal string alignment distance, with a
 * bonus for a shared prefix), or NULL when none is close enough to suggest.
 * candidates is NULL-terminated, or has n entries when n > 0. */
const char *suggest(const char *word, size_t len, const char *const *candidates, size_t n);

#endif
