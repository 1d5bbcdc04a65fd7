/* path.h: what a file name's ending says (its extension, case ignored). */
#ifndef RV_PATH_H
#define RV_PATH_H

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* True when s[0..n) ends with suffix, ASCII case ignored. */
static inline bool path_has_suffix_n(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* True when the string s ends with suffix, ASCII case ignored. */
static inline bool path_has_suffix(const char *s, const char *suffix)
{
	return path_has_suffix_n(s, strlen(s), suffix);
}

#endif
