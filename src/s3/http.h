/* http.h: one HTTP request over libcurl, collected whole or streamed as it arrives.
 *
 * Used by the S3 client (s3.c) and the credential providers (creds.c); knows nothing of
 * S3 or signing. Each request runs on a libcurl multi handle driven by the calling thread,
 * so a streamed body is pulled with http_read() into the caller's buffer as it arrives:
 * the transfer pauses while rvalid's own buffer (1 MiB) is full, so memory stays flat
 * whatever the body's size. Finished handles go back to a small pool and keep their
 * connections, so consecutive requests to one host reuse one connection (TLS included).
 *
 * Timeouts: connecting may take connect_timeout_ms; a transfer that moves no byte for
 * low_speed_time_s seconds fails (waiting for an answer included). Proxies come from the
 * environment as libcurl reads them (http_proxy, HTTPS_PROXY, NO_PROXY); the CA bundle
 * from ca_bundle when set. Paths are sent as given (no dot-segment removal), responses
 * are not decompressed, redirects are not followed.
 *
 * Thread-safe: requests may run on several threads at once; one http_xfer belongs to one
 * thread. The pool is the module's only shared state (under a mutex). */
#ifndef RV_S3_HTTP_H
#define RV_S3_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/buf.h"

typedef struct {
	long connect_timeout_ms;
	long low_speed_time_s;
	const char *ca_bundle;    /* NULL: libcurl's default */
	int (*interrupted)(void); /* polled about 10 times a second while waiting; NULL: never */
} http_opts;

typedef struct {
	const char *method; /* GET, HEAD, PUT, POST, DELETE */
	const char *url;
	const char *const *headers; /* "Name: value" lines sent as given */
	size_t n_headers;
	const void *body; /* PUT and POST send body[0..body_len) (may be empty) */
	size_t body_len;
	bool stream;      /* a 2xx body is pulled with http_read(), others collected */
	bool cancellable; /* stop when opts->interrupted() says so */
	size_t max_body;  /* cap on a collected body (0: 1 MiB); the rest is dropped */
} http_req;

typedef enum {
	HTTP_OK,        /* a response arrived (any status) */
	HTTP_NET,       /* worth retrying: refused, reset, timed out, cut short */
	HTTP_FATAL,     /* will not go away by itself: TLS verification, bad URL */
	HTTP_CANCELLED, /* opts->interrupted() asked to stop */
} http_result;

typedef struct http_xfer http_xfer;

/* Sends rq. For a streamed request, returns once the response headers are in (the 2xx body
 * then waits for http_read; any other status has its body collected); otherwise once the
 * whole response is in. On HTTP_OK *out is the response, to be ended with http_end(). On
 * anything else *out is NULL and err holds the reason ("timed out: ...", "connection
 * refused: ..."). rq is copied (its URL and headers too), but rq->body must stay valid
 * while the request runs, and o until http_end(). */
http_result http_start(const http_opts *o, const http_req *rq, http_xfer **out, char *err,
		       size_t errlen);

long http_status(const http_xfer *x);
/* The value of response header name (any case; the last one when repeated), trimmed, or
 * NULL. Valid until http_end(). */
const char *http_header(const http_xfer *x, const char *name);
/* The collected body (empty for a streamed 2xx). */
const rv_buf *http_body(const http_xfer *x);

/* Streamed 2xx body: copies up to cap bytes into buf as they arrive. Returns the count,
 * 0 once the whole body is in, or -1 with *res (HTTP_NET when the connection dropped,
 * HTTP_CANCELLED, HTTP_FATAL) and the reason in err. */
ssize_t http_read(http_xfer *x, void *buf, size_t cap, http_result *res, char *err, size_t errlen);

/* Ends the exchange (a transfer still running is cut) and frees x. Accepts NULL. */
void http_end(http_xfer *x);

/* Sleeps ms milliseconds, waking every 100 ms to ask interrupted() (may be NULL).
 * Returns false when interrupted. */
bool http_sleep_ms(long ms, int (*interrupted)(void));

#endif
