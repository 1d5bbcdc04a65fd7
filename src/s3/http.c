/* http.c: HTTP requests over libcurl's multi interface, pulled by the calling thread.
 *
 * One request = one easy handle on its own multi handle. The caller's thread drives it
 * (curl_multi_perform, then curl_multi_poll for at most 100 ms so an interruption is seen
 * quickly). Response headers are kept as they arrive (a new status line, such as the final
 * one after "100 Continue", starts them afresh). The body goes to one of two places:
 *   - streamed 2xx: a ring of RING_CAP bytes that http_read() empties; when a delivery does
 *     not fit, the write callback returns CURL_WRITEFUNC_PAUSE, libcurl keeps the bytes and
 *     stops reading the socket, and http_read() unpauses once the ring is empty;
 *   - anything else: an rv_buf with a cap (error documents, small answers).
 * Finished (multi, easy) pairs go back to a pool of POOL_MAX; libcurl keeps a pair's
 * connections in its multi handle, which is how connections are reused. */
#include "s3/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/xalloc.h"

#define RING_CAP ((size_t)1 << 20)
#define RING_MAX ((size_t)16 << 20) /* a single delivery larger than the ring grows it */
#define BODY_CAP ((size_t)1 << 20)
#define HDR_MAX  64
#define HDR_LEN  2048
#define POOL_MAX 8
#define POLL_MS  100

typedef struct {
	CURLM *multi;
	CURL *easy;
} pair;

static struct {
	pthread_mutex_t mu;
	pair idle[POOL_MAX];
	int n;
} pool = {PTHREAD_MUTEX_INITIALIZER, {{0}}, 0};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void cleanup_at_exit(void)
{
	pthread_mutex_lock(&pool.mu);
	for (int i = 0; i < pool.n; i++) {
		curl_multi_cleanup(pool.idle[i].multi);
		curl_easy_cleanup(pool.idle[i].easy);
	}
	pool.n = 0;
	pthread_mutex_unlock(&pool.mu);
	curl_global_cleanup();
}

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(cleanup_at_exit);
}

struct http_xfer {
	const http_opts *o;
	http_req req; /* a copy: the caller's may go away while a body streams */
	const http_req *rq;
	pair p;
	bool attached; /* the easy handle is on the multi handle */
	struct curl_slist *hdrs;
	size_t up_pos;

	long status;
	bool headers_done;
	char names[HDR_MAX][64];
	char values[HDR_MAX][HDR_LEN];
	int n_hdr;

	rv_buf body;
	unsigned char *ring;
	size_t r_pos, r_len, r_cap;
	bool paused;

	bool done;
	CURLcode result;
	bool cancelled;
	char errbuf[CURL_ERROR_SIZE];
};

static pair pair_take(void)
{
	pthread_once(&init_once, global_init);
	pair p = {NULL, NULL};
	pthread_mutex_lock(&pool.mu);
	if (pool.n > 0)
		p = pool.idle[--pool.n];
	pthread_mutex_unlock(&pool.mu);
	if (!p.easy) {
		p.multi = curl_multi_init();
		p.easy = curl_easy_init();
		if (!p.multi || !p.easy)
			abort(); /* out of memory */
	} else {
		curl_easy_reset(p.easy);
	}
	return p;
}

static void pair_give(pair p)
{
	pthread_mutex_lock(&pool.mu);
	if (pool.n < POOL_MAX) {
		pool.idle[pool.n++] = p;
		p.easy = NULL;
	}
	pthread_mutex_unlock(&pool.mu);
	if (p.easy) {
		curl_multi_cleanup(p.multi);
		curl_easy_cleanup(p.easy);
	}
}

/* ---- callbacks ---- */

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	http_xfer *x = arg;
	size_t len = size * n, l = len;
	while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == '\n'))
		l--;
	if (l == 0) {
		if (x->status >= 200)
			x->headers_done = true;
		return len;
	}
	if (l > 5 && strncmp(p, "HTTP/", 5) == 0) {
		const char *sp = memchr(p, ' ', l);
		x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		x->n_hdr = 0;
		x->headers_done = false;
		return len;
	}
	const char *colon = memchr(p, ':', l);
	if (!colon || x->n_hdr >= HDR_MAX)
		return len;
	size_t nl = (size_t)(colon - p);
	const char *v = colon + 1;
	size_t vl = l - nl - 1;
	while (vl > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vl--;
	}
	while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		vl--;
	if (nl >= sizeof(x->names[0]))
		return len;
	if (vl >= HDR_LEN)
		vl = HDR_LEN - 1;
	memcpy(x->names[x->n_hdr], p, nl);
	x->names[x->n_hdr][nl] = '\0';
	memcpy(x->values[x->n_hdr], v, vl);
	x->values[x->n_hdr][vl] = '\0';
	x->n_hdr++;
	return len;
}

static bool streaming_body(const http_xfer *x)
{
	return x->rq->stream && x->status >= 200 && x->status < 300;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	http_xfer *x = arg;
	size_t len = size * n;
	if (!streaming_body(x)) {
		size_t cap = x->rq->max_body ? x->rq->max_body : BODY_CAP;
		size_t room = x->body.len < cap ? cap - x->body.len : 0;
		buf_append(&x->body, p, len < room ? len : room);
		return len;
	}
	if (x->r_pos > 0 && x->r_pos == x->r_len)
		x->r_pos = x->r_len = 0;
	if (len > x->r_cap - x->r_len) {
		if (x->r_pos > 0) {
			memmove(x->ring, x->ring + x->r_pos, x->r_len - x->r_pos);
			x->r_len -= x->r_pos;
			x->r_pos = 0;
		}
		if (len > x->r_cap - x->r_len) {
			if (x->r_len > 0 || len > RING_MAX) {
				if (x->r_len == 0)
					return 0; /* cannot happen with libcurl's delivery sizes:
						     fail */
				x->paused = true;
				return CURL_WRITEFUNC_PAUSE;
			}
			x->ring = xrealloc(x->ring, len);
			x->r_cap = len;
		}
	}
	memcpy(x->ring + x->r_len, p, len);
	x->r_len += len;
	return len;
}

static size_t on_upload(char *dst, size_t size, size_t n, void *arg)
{
	http_xfer *x = arg;
	size_t room = size * n, left = x->rq->body_len - x->up_pos;
	size_t k = left < room ? left : room;
	if (k)
		memcpy(dst, (const char *)x->rq->body + x->up_pos, k);
	x->up_pos += k;
	return k;
}

/* libcurl may rewind an upload (a retried connection, authentication): start over. */
static int on_seek(void *arg, curl_off_t offset, int origin)
{
	http_xfer *x = arg;
	if (origin != SEEK_SET || offset < 0 || (size_t)offset > x->rq->body_len)
		return CURL_SEEKFUNC_CANTSEEK;
	x->up_pos = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

/* ---- driving ---- */

static http_result classify(CURLcode c)
{
	switch (c) {
	case CURLE_OK: return HTTP_OK;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_OUT_OF_MEMORY: return HTTP_FATAL;
	default: return HTTP_NET;
	}
}

static http_result fail_msg(http_xfer *x, char *err, size_t errlen)
{
	if (x->cancelled) {
		snprintf(err, errlen, "interrupted");
		return HTTP_CANCELLED;
	}
	const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result);
	if (x->result == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, errlen, "timed out: %s", why);
	else
		snprintf(err, errlen, "%s", why);
	return classify(x->result);
}

/* One round: let libcurl work, note completion, wait briefly if nothing came. */
static void step(http_xfer *x)
{
	int running = 0;
	size_t before = x->r_len + x->body.len;
	curl_multi_perform(x->p.multi, &running);
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(x->p.multi, &left)) != NULL) {
		if (m->msg == CURLMSG_DONE && m->easy_handle == x->p.easy) {
			x->done = true;
			x->result = m->data.result;
		}
	}
	if (!x->done && x->rq->cancellable && x->o->interrupted && x->o->interrupted()) {
		x->done = x->cancelled = true;
		x->result = CURLE_ABORTED_BY_CALLBACK;
		return;
	}
	if (!x->done && x->r_len + x->body.len == before && !x->paused)
		curl_multi_poll(x->p.multi, NULL, 0, POLL_MS, NULL);
}

static void end_transfer(http_xfer *x)
{
	if (x->attached) {
		curl_multi_remove_handle(x->p.multi, x->p.easy);
		x->attached = false;
	}
}

http_result http_start(const http_opts *o, const http_req *rq, http_xfer **out, char *err,
		       size_t errlen)
{
	*out = NULL;
	http_xfer *x = xcalloc(1, sizeof(*x));
	x->o = o;
	x->req = *rq;
	x->rq = &x->req;
	rq = x->rq;
	x->p = pair_take();
	buf_init(&x->body, 0);
	buf_puts(&x->body, "");
	if (rq->stream) {
		x->r_cap = RING_CAP;
		x->ring = xmalloc(x->r_cap);
	}
	CURL *e = x->p.easy;
	curl_easy_setopt(e, CURLOPT_URL, rq->url);
	/* an S3 key may hold "." and ".." segments: send the path as signed, not normalised */
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024);
	if (o->ca_bundle)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_bundle);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	for (size_t i = 0; i < rq->n_headers; i++)
		x->hdrs = curl_slist_append(x->hdrs, rq->headers[i]);
	/* no "Expect: 100-continue" pause before a body, and no "Accept: *" guesswork */
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");
	x->hdrs = curl_slist_append(x->hdrs, "Accept:");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	const char *m = rq->method;
	if (strcmp(m, "PUT") == 0 || strcmp(m, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(e, CURLOPT_READFUNCTION, on_upload);
		curl_easy_setopt(e, CURLOPT_READDATA, x);
		curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, on_seek);
		curl_easy_setopt(e, CURLOPT_SEEKDATA, x);
		curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)rq->body_len);
		if (m[1] == 'O')
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "POST");
	} else if (strcmp(m, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else if (strcmp(m, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	}
	curl_multi_add_handle(x->p.multi, e);
	x->attached = true;
	/* libcurl copied these; the caller's memory is not ours to keep pointing at */
	x->req.url = NULL;
	x->req.headers = NULL;
	x->req.n_headers = 0;
	while (!x->done && !(rq->stream && x->headers_done && streaming_body(x)))
		step(x);
	/* a streamed body cut short is still an answer: http_read hands out what came and
	 * then reports the failure, so the caller can resume from there */
	bool answered = rq->stream && x->headers_done && streaming_body(x);
	if (x->done && x->result != CURLE_OK && !answered) {
		http_result r = fail_msg(x, err, errlen);
		http_end(x);
		return r;
	}
	*out = x;
	return HTTP_OK;
}

long http_status(const http_xfer *x)
{
	return x->status;
}

const char *http_header(const http_xfer *x, const char *name)
{
	for (int i = x->n_hdr - 1; i >= 0; i--)
		if (strcasecmp(x->names[i], name) == 0)
			return x->values[i];
	return NULL;
}

const rv_buf *http_body(const http_xfer *x)
{
	return &x->body;
}

ssize_t http_read(http_xfer *x, void *buf, size_t cap, http_result *res, char *err, size_t errlen)
{
	*res = HTTP_OK;
	while (x->r_pos == x->r_len) {
		if (x->paused) {
			x->paused = false;
			x->r_pos = x->r_len = 0;
			/* may deliver the held bytes at once, through on_body */
			curl_easy_pause(x->p.easy, CURLPAUSE_CONT);
			continue;
		}
		if (x->done) {
			if (x->result == CURLE_OK)
				return 0;
			*res = fail_msg(x, err, errlen);
			return -1;
		}
		step(x);
	}
	size_t n = x->r_len - x->r_pos;
	if (n > cap)
		n = cap;
	memcpy(buf, x->ring + x->r_pos, n);
	x->r_pos += n;
	return (ssize_t)n;
}

void http_end(http_xfer *x)
{
	if (!x)
		return;
	end_transfer(x);
	pair_give(x->p);
	curl_slist_free_all(x->hdrs);
	buf_free(&x->body);
	free(x->ring);
	free(x);
}

bool http_sleep_ms(long ms, int (*interrupted)(void))
{
	while (ms > 0) {
		if (interrupted && interrupted())
			return false;
		long step_ms = ms < POLL_MS ? ms : POLL_MS;
		struct timespec ts = {step_ms / 1000, (step_ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			if (interrupted && interrupted())
				return false;
		ms -= step_ms;
	}
	return !(interrupted && interrupted());
}
