/* xml.c: find an element's text in an S3 or STS answer; escape text for a request body. */
#include "s3/xml.h"

#include <stdlib.h>
#include <string.h>

/* Appends code point cp as UTF-8. */
static void put_utf8(rv_buf *out, unsigned long cp)
{
	char b[4];
	if (cp < 0x80) {
		buf_putc(out, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 3);
	} else if (cp < 0x110000) {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 4);
	}
}

static void decode(const char *p, size_t n, rv_buf *out)
{
	static const struct {
		const char *name;
		char c;
	} ENT[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '&') {
			buf_putc(out, p[i]);
			continue;
		}
		bool done = false;
		for (size_t k = 0; k < sizeof(ENT) / sizeof(ENT[0]) && !done; k++) {
			size_t l = strlen(ENT[k].name);
			if (n - i - 1 >= l && memcmp(p + i + 1, ENT[k].name, l) == 0) {
				buf_putc(out, ENT[k].c);
				i += l;
				done = true;
			}
		}
		if (!done && i + 2 < n && p[i + 1] == '#') {
			const char *semi = memchr(p + i, ';', n - i);
			if (semi && semi - (p + i) < 12) {
				char num[12] = {0};
				memcpy(num, p + i + 2, (size_t)(semi - (p + i) - 2));
				char *end;
				unsigned long cp = num[0] == 'x' || num[0] == 'X'
							   ? strtoul(num + 1, &end, 16)
							   : strtoul(num, &end, 10);
				if (*end == '\0' && end != num) {
					put_utf8(out, cp);
					i = (size_t)(semi - p);
					done = true;
				}
			}
		}
		if (!done)
			buf_putc(out, '&');
	}
}

/* True when p[0..n) at an element start names tag (after an optional "prefix:"). */
static bool names_tag(const char *p, const char *end, const char *tag, const char **after)
{
	const char *name = p;
	const char *stop = p;
	while (stop < end && *stop != '>' && *stop != ' ' && *stop != '/' && *stop != '\t' &&
	       *stop != '\n' && *stop != '\r')
		stop++;
	const char *colon = memchr(name, ':', (size_t)(stop - name));
	if (colon)
		name = colon + 1;
	size_t tl = strlen(tag);
	if ((size_t)(stop - name) != tl || memcmp(name, tag, tl) != 0)
		return false;
	*after = stop;
	return true;
}

bool s3_xml_text(const char *xml, size_t len, const char *tag, rv_buf *out)
{
	buf_reset(out);
	const char *end = xml + len;
	for (const char *p = xml; p < end; p++) {
		if (*p != '<' || p + 1 >= end || p[1] == '/' || p[1] == '?' || p[1] == '!')
			continue;
		const char *after;
		if (!names_tag(p + 1, end, tag, &after))
			continue;
		const char *gt = memchr(after, '>', (size_t)(end - after));
		if (!gt)
			return false;
		if (gt[-1] == '/') { /* <tag/> */
			buf_puts(out, "");
			return true;
		}
		const char *text = gt + 1;
		/* the text runs to the next '<' (no nested elements in what rvalid reads) */
		const char *lt = memchr(text, '<', (size_t)(end - text));
		if (!lt)
			return false;
		buf_puts(out, "");
		decode(text, (size_t)(lt - text), out);
		return true;
	}
	return false;
}

void s3_xml_escape(const char *s, rv_buf *out)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&apos;"); break;
		default: buf_putc(out, *s);
		}
	}
}
