/* buf.h: a growable byte buffer with a hard cap.
 *
 * Used for text that is built up (messages, explain output, reports). Every
 * buffer has a cap; appending past it sets `toobig` and drops the bytes, so
 * a runaway input becomes a reported error, never unbounded memory. */
#ifndef RV_BUF_H
#define RV_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	char *data; /* always NUL-terminated once anything was appended */
	size_t len, cap;
	size_t max; /* 0: the default cap (1 GiB) */
	bool toobig;
} rv_buf;

void buf_init(rv_buf *b, size_t max);
void buf_free(rv_buf *b);
void buf_reset(rv_buf *b);
void buf_append(rv_buf *b, const void *p, size_t n);
void buf_puts(rv_buf *b, const char *s);
void buf_putc(rv_buf *b, char c);
void buf_printf(rv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes the bytes out of the buffer: the caller frees the result. */
char *buf_detach(rv_buf *b, size_t *len);

/* Appends s[0..n) as a Python-style single-quoted literal ('it\'s'). */
void buf_quote(rv_buf *b, const char *s, size_t n);
#endif
