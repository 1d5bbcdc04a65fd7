/* formats.h: the string formats of SPEC 2.3 (`format:` on str fields).
 *
 * Each validator takes a span (not NUL-terminated) of UTF-8 already checked
 * to be valid, allocates nothing, and is thread-safe. */
#ifndef RV_FORMATS_H
#define RV_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/ir.h"

bool format_email(const char *p, size_t n);  /* WHATWG "valid e-mail address" */
bool format_uri(const char *p, size_t n);    /* RFC 3986 absolute URI (scheme ":" hier-part ...) */
bool format_uuid(const char *p, size_t n);   /* 8-4-4-4-12 hex digits, any case */
bool format_ipv4(const char *p, size_t n);   /* dotted quad, 0-255, no leading zeros */
bool format_ipv6(const char *p, size_t n);   /* RFC 4291 section 2.2 text forms */
bool format_hex(const char *p, size_t n);    /* one or more hex digits, any case */
bool format_base64(const char *p, size_t n); /* RFC 4648 section 4, padded, no line breaks */
/* Dispatches on f; STRFMT_NONE is always true. */
bool format_check(rv_strformat f, const char *p, size_t n);

#endif
