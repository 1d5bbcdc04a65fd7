/* markup.h: escaping text for the XML (JUnit) and HTML reports.
 *
 * Report text comes from rule files, command lines and data, so it may hold
 * anything: markup characters, control bytes, invalid UTF-8. These functions
 * append it so that the result is always well-formed UTF-8 text that a parser
 * reads back as the same characters, except for what XML 1.0 and HTML cannot
 * carry at all: invalid UTF-8 (per byte), C0 controls other than tab, line
 * feed and carriage return, DEL and the C1 controls, surrogates and the
 * noncharacters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF) each become U+FFFD.
 * Thread-safe; no allocation besides the buffer's. */
#ifndef RV_MARKUP_H
#define RV_MARKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* XML 1.0 character data (& < > become entities) or, with attr, an
 * attribute value in double or single quotes (" and ' too). A carriage
 * return becomes &#13; (and in attributes tab and line feed &#9; &#10;), so
 * they survive the parser's line-end and attribute normalisation. */
void xml_escape(rv_buf *out, const char *s, size_t n, bool attr);

/* HTML text or a quoted attribute value: & < > " ' become entities; tab,
 * line feed and carriage return are kept. */
void html_escape(rv_buf *out, const char *s, size_t n);

/* The length in bytes of the longest prefix of s[0..n) with at most max
 * characters, never cutting a UTF-8 sequence (an invalid byte counts as one
 * character); for labels shortened to fit. */
size_t markup_cut(const char *s, size_t n, size_t max);

#endif
