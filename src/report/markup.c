/* markup.c: escaping report text for XML and HTML (see markup.h). */
#include "report/markup.h"

#include <stdint.h>

enum mode { XML_TEXT, XML_ATTR, HTML };

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Decodes one UTF-8 sequence at s[0..n): its code point, with its length in
 * *len; -1 (and *len 1) when the bytes there are not a valid sequence
 * (overlong forms, surrogates and values over U+10FFFF included). */
static int32_t decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char c = s[0];
	*len = 1;
	if (c < 0x80)
		return c;
	size_t k;
	int32_t cp;
	unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
	if (c >= 0xC2 && c <= 0xDF) {
		k = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 3;
		cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 4;
		cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return -1;
	}
	if (n < k)
		return -1;
	for (size_t i = 1; i < k; i++) {
		unsigned char b = s[i];
		if (i == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (b & 0x3F);
	}
	*len = k;
	return cp;
}

/* Characters neither XML 1.0 nor HTML can carry (tab, LF and CR aside). */
static bool forbidden(int32_t cp)
{
	if (cp < 0)
		return true;
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	if (cp >= 0x7F && cp <= 0x9F)
		return true;
	if (cp >= 0xFDD0 && cp <= 0xFDEF)
		return true;
	return (cp & 0xFFFE) == 0xFFFE;
}

static void escape(rv_buf *out, const char *s, size_t n, enum mode m)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0, i = 0;
	while (i < n) {
		unsigned char c = u[i];
		/* the common case: printable ASCII that needs nothing */
		if (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' &&
		    c != '\'') {
			i++;
			continue;
		}
		size_t len;
		int32_t cp = decode(u + i, n - i, &len);
		const char *rep = NULL;
		switch (cp) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = m == XML_TEXT ? NULL : "&quot;"; break;
		case '\'': rep = m == XML_TEXT ? NULL : m == HTML ? "&#39;" : "&apos;"; break;
		case '\r': rep = m == HTML ? NULL : "&#13;"; break;
		case '\t': rep = m == XML_ATTR ? "&#9;" : NULL; break;
		case '\n': rep = m == XML_ATTR ? "&#10;" : NULL; break;
		default:
			if (forbidden(cp))
				rep = REPLACEMENT;
		}
		if (rep) {
			buf_append(out, s + run, i - run);
			buf_puts(out, rep);
			run = i + len;
		}
		i += len;
	}
	buf_append(out, s + run, n - run);
}

void xml_escape(rv_buf *out, const char *s, size_t n, bool attr)
{
	escape(out, s, n, attr ? XML_ATTR : XML_TEXT);
}

void html_escape(rv_buf *out, const char *s, size_t n)
{
	escape(out, s, n, HTML);
}

size_t markup_cut(const char *s, size_t n, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	for (size_t chars = 0; i < n && chars < max; chars++) {
		size_t len;
		decode(u + i, n - i, &len);
		i += len;
	}
	return i;
}
