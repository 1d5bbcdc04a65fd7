/* s3.c: the S3 client: settings, signed requests with retries, streamed GET with resume,
 * and uploads (one PUT, or a multipart upload that is completed or aborted).
 *
 * Overview. call() sends one S3 operation: it takes the current credentials (refreshed by
 * creds.c when they near expiry), the bucket's region (learnt from redirects), builds the
 * target URL (s3/url.h), signs the request (s3/sigv4.h) and runs it (s3/http.h). An answer
 * that may succeed later (5xx, 429, throttling codes, network failures, an expired token)
 * is retried with full-jitter exponential backoff; a redirect to another region is followed
 * at once; anything else becomes the one-line message "STATUS Code: Message".
 *
 * The reader keeps the live GET and pulls its body; when the connection drops it asks for
 * the rest (Range: bytes=N-) with If-Match set to the first answer's ETag, so a change of
 * the object shows up as 412 Precondition Failed rather than as a spliced file.
 *
 * The writer keeps up to one part (8 MiB) in memory. A smaller object is one PUT at commit;
 * a larger one becomes a multipart upload, each full part sent as soon as the next byte
 * arrives, completed at commit and aborted on any failure or abort. */
#include "s3/s3.h"

#include <openssl/crypto.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "s3/creds.h"
#include "s3/http.h"
#include "s3/sigv4.h"
#include "s3/url.h"
#include "s3/xml.h"
#include "util/buf.h"
#include "util/xalloc.h"

#ifndef RVALID_VERSION
#define RVALID_VERSION "dev"
#endif

#define DEFAULT_RETRIES        5
#define BACKOFF_BASE_MS        200
#define BACKOFF_CAP_MS         20000
#define DEFAULT_CONNECT_S      10
#define DEFAULT_READ_TIMEOUT_S 60
#define MAX_PARTS              10000

/* ---- the process-wide client ---- */

static struct {
	s3_settings set; /* strings owned */
	pthread_once_t once;
	rv_status init_st;
	char init_err[512];
	char *region;
	bool custom;
	s3_endpoint endpoint;
	bool path_style;
	int retries;
	char *ca_bundle;
	http_opts http;
	creds_opts copts;
	creds_chain *creds;
	pthread_mutex_t mu; /* guards the bucket-region cache */
	char **cache_bucket, **cache_region;
	size_t n_cache;
} cl = {.once = PTHREAD_ONCE_INIT, .mu = PTHREAD_MUTEX_INITIALIZER, .set = {.retries = -1}};

static void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void vlog(const char *fmt, ...)
{
	if (!cl.set.verbose)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rvalid: s3: %s\n", line);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

void s3_configure(const s3_settings *s)
{
	free((char *)cl.set.endpoint_url);
	free((char *)cl.set.region);
	free((char *)cl.set.profile);
	free((char *)cl.set.ca_bundle);
	cl.set = *s;
	cl.set.endpoint_url = dup_or_null(s->endpoint_url);
	cl.set.region = dup_or_null(s->region);
	cl.set.profile = dup_or_null(s->profile);
	cl.set.ca_bundle = dup_or_null(s->ca_bundle);
}

static long env_seconds(const char *name, long def)
{
	const char *v = creds_env(name);
	if (!v)
		return def;
	char *end;
	long x = strtol(v, &end, 10);
	return *end == '\0' && x > 0 && x <= 3600 ? x : def;
}

static void free_client(void)
{
	creds_free(cl.creds);
	cl.creds = NULL;
	s3_endpoint_free(&cl.endpoint);
	free(cl.region);
	free(cl.ca_bundle);
	for (size_t i = 0; i < cl.n_cache; i++) {
		free(cl.cache_bucket[i]);
		free(cl.cache_region[i]);
	}
	free(cl.cache_bucket);
	free(cl.cache_region);
	free((char *)cl.set.endpoint_url);
	free((char *)cl.set.region);
	free((char *)cl.set.profile);
	free((char *)cl.set.ca_bundle);
	memset(&cl.set, 0, sizeof(cl.set));
}

/* Reads the environment and the profile once, at the first request. */
static void client_init(void)
{
	atexit(free_client);
	const char *region = cl.set.region;
	char *from_profile = NULL;
	if (!region)
		region = creds_env("AWS_REGION");
	if (!region)
		region = creds_env("AWS_DEFAULT_REGION");
	if (!region)
		region = from_profile = creds_config_value(cl.set.profile, "region");
	cl.region = xstrdup(region ? region : "us-east-1");
	free(from_profile);

	const char *ep = cl.set.endpoint_url;
	if (!ep)
		ep = creds_env("AWS_ENDPOINT_URL_S3");
	if (!ep)
		ep = creds_env("AWS_ENDPOINT_URL");
	if (ep) {
		char why[256];
		if (!s3_endpoint_parse(ep, &cl.endpoint, why, sizeof(why))) {
			snprintf(cl.init_err, sizeof(cl.init_err), "--endpoint-url %s: %s", ep,
				 why);
			cl.init_st = RV_USAGE;
		}
		cl.custom = true;
	}
	cl.path_style = cl.set.path_style || cl.custom;
	cl.retries = cl.set.retries >= 0 ? cl.set.retries : DEFAULT_RETRIES;
	const char *ca = cl.set.ca_bundle ? cl.set.ca_bundle : creds_env("AWS_CA_BUNDLE");
	char *ca_profile = ca ? NULL : creds_config_value(cl.set.profile, "ca_bundle");
	cl.ca_bundle = ca ? xstrdup(ca) : ca_profile;
	cl.http.connect_timeout_ms =
		env_seconds("RVALID_S3_CONNECT_TIMEOUT", DEFAULT_CONNECT_S) * 1000;
	cl.http.low_speed_time_s = env_seconds("RVALID_S3_READ_TIMEOUT", DEFAULT_READ_TIMEOUT_S);
	cl.http.ca_bundle = cl.ca_bundle;
	cl.http.interrupted = cl.set.interrupted;
	cl.copts.profile = cl.set.profile;
	cl.copts.region = cl.region;
	cl.copts.http = &cl.http;
	cl.copts.retries = cl.retries;
	cl.copts.log = cl.set.verbose ? vlog : NULL;
	cl.creds = creds_new(&cl.copts);
	if (cl.custom)
		vlog("region %s, endpoint %s://%s%s, path style, %d retries", cl.region,
		     cl.endpoint.scheme, cl.endpoint.hostport, cl.endpoint.base, cl.retries);
	else
		vlog("region %s, endpoint AWS, %s style, %d retries", cl.region,
		     cl.path_style ? "path" : "virtual-hosted", cl.retries);
}

static rv_status client_ready(char *err, size_t errlen)
{
	pthread_once(&cl.once, client_init);
	if (cl.init_st != RV_OK)
		snprintf(err, errlen, "%s", cl.init_err);
	return cl.init_st;
}

/* The bucket's region: learnt from a redirect, else the configured one. Caller frees. */
static char *bucket_region(const char *bucket)
{
	char *r = NULL;
	pthread_mutex_lock(&cl.mu);
	for (size_t i = 0; i < cl.n_cache && !r; i++)
		if (strcmp(cl.cache_bucket[i], bucket) == 0)
			r = xstrdup(cl.cache_region[i]);
	pthread_mutex_unlock(&cl.mu);
	return r ? r : xstrdup(cl.region);
}

static void remember_region(const char *bucket, const char *region)
{
	pthread_mutex_lock(&cl.mu);
	size_t i = 0;
	while (i < cl.n_cache && strcmp(cl.cache_bucket[i], bucket) != 0)
		i++;
	if (i == cl.n_cache) {
		cl.cache_bucket = xrealloc(cl.cache_bucket, (i + 1) * sizeof(char *));
		cl.cache_region = xrealloc(cl.cache_region, (i + 1) * sizeof(char *));
		cl.cache_bucket[i] = xstrdup(bucket);
		cl.cache_region[i] = NULL;
		cl.n_cache++;
	}
	free(cl.cache_region[i]);
	cl.cache_region[i] = xstrdup(region);
	pthread_mutex_unlock(&cl.mu);
}

/* A random wait in [0, min(cap, base * 2^attempt)] ms (full jitter). */
static long backoff_ms(int attempt)
{
	static _Thread_local uint64_t state;
	if (!state)
		state = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
			(uint64_t)(uintptr_t)&state;
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	long ceiling = BACKOFF_CAP_MS;
	if (attempt < 20 && ((long)BACKOFF_BASE_MS << attempt) < BACKOFF_CAP_MS)
		ceiling = (long)BACKOFF_BASE_MS << attempt;
	return (long)(state % (uint64_t)(ceiling + 1));
}

/* ---- one S3 operation ---- */

typedef struct {
	const char *method;
	const s3_url *u;
	sigv4_param params[2];
	size_t n_params;
	sigv4_header extra[3]; /* signed and sent */
	size_t n_extra;
	const void *body;
	size_t body_len;
	bool stream;         /* GET: UNSIGNED-PAYLOAD, the 2xx body read later */
	bool cancellable;    /* an interruption stops it (not for AbortMultipartUpload) */
	bool error_in_200;   /* CompleteMultipartUpload may answer 200 with an <Error> */
	const char *payload; /* precomputed hex SHA-256 of body, or NULL */
} s3_op;

typedef struct {
	http_xfer *x; /* the answer (2xx), for headers and body; end with http_end */
	long status;  /* the last status seen (0: none) */
} s3_answer;

static bool retryable_code(const char *code)
{
	static const char *const CODES[] = {
		"SlowDown",
		"Throttling",
		"ThrottlingException",
		"RequestTimeout",
		"InternalError",
		"ServiceUnavailable",
		"RequestTimeTooSkewed",
		"ExpiredToken",
		"ExpiredTokenException",
		"TokenRefreshRequired",
		"RequestLimitExceeded",
		"BandwidthLimitExceeded",
		"OperationAborted",
	};
	for (size_t i = 0; i < sizeof(CODES) / sizeof(CODES[0]); i++)
		if (strcmp(code, CODES[i]) == 0)
			return true;
	return false;
}

static bool expired_code(const char *code)
{
	return strcmp(code, "ExpiredToken") == 0 || strcmp(code, "ExpiredTokenException") == 0 ||
	       strcmp(code, "TokenRefreshRequired") == 0;
}

static const char *status_word(long s)
{
	switch (s) {
	case 301: return "PermanentRedirect";
	case 307: return "TemporaryRedirect";
	case 400: return "BadRequest";
	case 403: return "Forbidden";
	case 404: return "NotFound";
	case 405: return "MethodNotAllowed";
	case 409: return "Conflict";
	case 412: return "PreconditionFailed";
	case 416: return "InvalidRange";
	case 429: return "TooManyRequests";
	case 500: return "InternalError";
	case 502: return "BadGateway";
	case 503: return "ServiceUnavailable";
	case 504: return "GatewayTimeout";
	default: return "HTTPError";
	}
}

/* "STATUS Code: Message" from an error answer; code gets the S3 error code. */
static void error_line(long status, const rv_buf *body, rv_buf *code, char *out, size_t outlen)
{
	rv_buf msg;
	buf_init(&msg, 0);
	buf_reset(code);
	if (!body->len || !s3_xml_text(body->data, body->len, "Code", code) || !code->len) {
		buf_reset(code);
		buf_puts(code, status_word(status));
	}
	s3_xml_text(body->data ? body->data : "", body->len, "Message", &msg);
	/* one line, whatever the server sent */
	for (size_t i = 0; i < msg.len; i++)
		if (msg.data[i] == '\n' || msg.data[i] == '\r' || msg.data[i] == '\t')
			msg.data[i] = ' ';
	if (msg.len > 300)
		msg.data[300] = '\0';
	if (msg.len)
		snprintf(out, outlen, "%ld %s: %s", status, code->data, msg.data);
	else
		snprintf(out, outlen, "%ld %s", status, code->data);
	buf_free(&msg);
}

static void describe(const s3_op *op, rv_buf *out)
{
	buf_reset(out);
	buf_printf(out, "%s s3://%s/%s", op->method, op->u->bucket, op->u->key);
	for (size_t i = 0; i < op->n_params; i++)
		buf_printf(out, "%c%s%s%s", i ? '&' : '?', op->params[i].key,
			   *op->params[i].value ? "=" : "", op->params[i].value);
}

/* Sends op, retrying as the overview says. RV_OK: a 2xx answer is in a->x. Otherwise
 * RV_IO (or RV_INTERRUPT) with the reason in err and a->status the last status seen. */
static rv_status call(const s3_op *op, s3_answer *a, char *err, size_t errlen)
{
	a->x = NULL;
	a->status = 0;
	rv_status st = client_ready(err, errlen);
	if (st != RV_OK)
		return st;
	char payload[65];
	if (op->payload)
		snprintf(payload, sizeof(payload), "%s", op->payload);
	else if (op->stream)
		snprintf(payload, sizeof(payload), "%s", SIGV4_UNSIGNED_PAYLOAD);
	else
		sigv4_sha256_hex(op->body ? op->body : "", op->body_len, payload);
	char *region = bucket_region(op->u->bucket);
	rv_buf auth, query, url, code, what;
	buf_init(&auth, 0);
	buf_init(&query, 0);
	buf_init(&url, 0);
	buf_init(&code, 0);
	buf_init(&what, 0);
	describe(op, &what);
	for (size_t i = 0; i < op->n_params; i++) {
		buf_putc(&query, i ? '&' : '?');
		sigv4_uri_encode(op->params[i].key, strlen(op->params[i].key), false, &query);
		if (*op->params[i].value) {
			buf_putc(&query, '=');
			sigv4_uri_encode(op->params[i].value, strlen(op->params[i].value), false,
					 &query);
		}
	}
	char last[600] = "";
	int attempt = 0, redirects = 0;
	st = RV_IO;
	for (;;) {
		s3_creds c;
		if (creds_get(cl.creds, &c, err, errlen) != RV_OK) {
			st = RV_IO;
			break;
		}
		char date[17];
		sigv4_amz_date(date);
		s3_target t;
		s3_target_make(cl.custom ? &cl.endpoint : NULL, cl.path_style, region,
			       op->u->bucket, op->u->key, &t);
		sigv4_header hs[8];
		size_t nh = 0;
		hs[nh++] = (sigv4_header){"host", t.host.data};
		hs[nh++] = (sigv4_header){"x-amz-date", date};
		hs[nh++] = (sigv4_header){"x-amz-content-sha256", payload};
		if (c.session_token)
			hs[nh++] = (sigv4_header){"x-amz-security-token", c.session_token};
		for (size_t i = 0; i < op->n_extra; i++)
			hs[nh++] = op->extra[i];
		sigv4_request sr = {op->method, t.path.data, op->params, op->n_params,
				    hs,         nh,          payload};
		sigv4_sign(&sr, c.access_key, c.secret_key, date, region, "s3", &auth);
		rv_buf lines[10];
		const char *hl[10];
		size_t nl = 0;
		for (size_t i = 0; i < nh; i++) {
			buf_init(&lines[nl], 0);
			buf_printf(&lines[nl], "%s: %s", i == 0 ? "Host" : hs[i].name, hs[i].value);
			hl[nl] = lines[nl].data;
			nl++;
		}
		buf_init(&lines[nl], 0);
		buf_printf(&lines[nl], "Authorization: %s", auth.data);
		hl[nl] = lines[nl].data;
		nl++;
		buf_init(&lines[nl], 0);
		buf_puts(&lines[nl], "User-Agent: rvalid/" RVALID_VERSION);
		hl[nl] = lines[nl].data;
		nl++;
		buf_reset(&url);
		buf_append(&url, t.url.data, t.url.len);
		buf_append(&url, query.data ? query.data : "", query.len);
		http_req rq = {.method = op->method,
			       .url = url.data,
			       .headers = hl,
			       .n_headers = nl,
			       .body = op->body,
			       .body_len = op->body_len,
			       .stream = op->stream,
			       .cancellable = op->cancellable,
			       .max_body = 64u << 10};
		http_xfer *x = NULL;
		char why[512];
		http_result hr = http_start(&cl.http, &rq, &x, why, sizeof(why));
		/* the request is gone: wipe what could be replayed or holds a secret */
		for (size_t i = 0; i < nl; i++) {
			OPENSSL_cleanse(lines[i].data, lines[i].len);
			buf_free(&lines[i]);
		}
		s3_creds_clear(&c);
		s3_target_free(&t);

		bool retry = false;
		if (hr == HTTP_OK) {
			long s = http_status(x);
			a->status = s;
			const rv_buf *body = http_body(x);
			bool error_body = op->error_in_200 && body->len &&
					  strstr(body->data, "<Error>") != NULL;
			if (s >= 200 && s < 300 && !error_body) {
				vlog("%s: %ld", what.data, s);
				a->x = x;
				st = RV_OK;
				break;
			}
			error_line(s, body, &code, last, sizeof(last));
			/* a bucket in another region: go there (once per region change) */
			const char *hreg = http_header(x, "x-amz-bucket-region");
			rv_buf breg;
			buf_init(&breg, 0);
			if (hreg && *hreg)
				buf_puts(&breg, hreg);
			else
				s3_xml_text(body->data, body->len, "Region", &breg);
			bool moved = (s == 301 || s == 307 || s == 400) && breg.len &&
				     strcmp(breg.data, region) != 0 && redirects < 3;
			if (moved) {
				vlog("%s: the bucket is in %s, not %s: following", what.data,
				     breg.data, region);
				remember_region(op->u->bucket, breg.data);
				free(region);
				region = xstrdup(breg.data);
				redirects++;
				buf_free(&breg);
				http_end(x);
				continue;
			}
			buf_free(&breg);
			if (expired_code(code.data))
				creds_expire(cl.creds);
			retry = s >= 500 || s == 429 || retryable_code(code.data);
			http_end(x);
			if (!retry) {
				vlog("%s: %s", what.data, last);
				snprintf(err, errlen, "%s", last);
				st = RV_IO;
				break;
			}
		} else if (hr == HTTP_NET) {
			snprintf(last, sizeof(last), "%s", why);
			retry = true;
		} else if (hr == HTTP_CANCELLED) {
			snprintf(err, errlen, "interrupted");
			st = RV_INTERRUPT;
			break;
		} else {
			snprintf(err, errlen, "%s", why);
			st = RV_IO;
			break;
		}
		if (attempt >= cl.retries) {
			if (attempt > 0)
				snprintf(err, errlen, "%s (gave up after %d attempts)", last,
					 attempt + 1);
			else
				snprintf(err, errlen, "%s", last);
			st = RV_IO;
			break;
		}
		long wait = backoff_ms(attempt);
		attempt++;
		vlog("%s: %s; retry %d of %d in %ld ms", what.data, last, attempt, cl.retries,
		     wait);
		if (!http_sleep_ms(wait, op->cancellable ? cl.http.interrupted : NULL)) {
			snprintf(err, errlen, "interrupted");
			st = RV_INTERRUPT;
			break;
		}
	}
	OPENSSL_cleanse(auth.data ? auth.data : (char *)"", auth.len);
	buf_free(&auth);
	buf_free(&query);
	buf_free(&url);
	buf_free(&code);
	buf_free(&what);
	free(region);
	return st;
}

/* ---- reading ---- */

struct s3_reader {
	s3_url u;
	char *etag;   /* of the first answer; NULL when the server gave none */
	int64_t size; /* -1: unknown */
	int64_t got;  /* body bytes handed out */
	int64_t skip; /* bytes to drop: a resume answered 200 (whole object) instead of 206 */
	http_xfer *x;
	int drops; /* consecutive drops without a byte in between */
	bool failed;
	char errmsg[700];
};

static int64_t header_int(const http_xfer *x, const char *name)
{
	const char *v = http_header(x, name);
	if (!v || !*v)
		return -1;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *end == '\0' && n >= 0 ? (int64_t)n : -1;
}

rv_status s3_reader_open(const char *url, s3_reader **out, char *err, size_t errlen)
{
	*out = NULL;
	s3_reader *r = xcalloc(1, sizeof(*r));
	r->size = -1;
	if (!s3_url_parse(url, true, &r->u, err, errlen)) {
		free(r);
		return RV_IO;
	}
	s3_op op = {.method = "GET", .u = &r->u, .stream = true, .cancellable = true};
	s3_answer a;
	rv_status st = call(&op, &a, err, errlen);
	if (st != RV_OK) {
		s3_url_free(&r->u);
		free(r);
		return st;
	}
	r->x = a.x;
	const char *etag = http_header(a.x, "ETag");
	r->etag = etag && *etag ? xstrdup(etag) : NULL;
	r->size = header_int(a.x, "Content-Length");
	*out = r;
	return RV_OK;
}

static ssize_t reader_fail(s3_reader *r, char *err, size_t errlen)
{
	r->failed = true;
	snprintf(err, errlen, "%s", r->errmsg);
	return -1;
}

/* Asks for the rest of the object after a drop. */
static bool resume(s3_reader *r)
{
	char range[64], why[600];
	snprintf(range, sizeof(range), "bytes=%lld-", (long long)r->got);
	s3_op op = {.method = "GET", .u = &r->u, .stream = true, .cancellable = true};
	op.extra[op.n_extra++] = (sigv4_header){"if-match", r->etag};
	op.extra[op.n_extra++] = (sigv4_header){"range", range};
	vlog("GET s3://%s/%s: resuming at byte %lld (If-Match: %s)", r->u.bucket, r->u.key,
	     (long long)r->got, r->etag);
	s3_answer a;
	if (call(&op, &a, why, sizeof(why)) != RV_OK) {
		if (a.status == 412)
			snprintf(r->errmsg, sizeof(r->errmsg),
				 "the object changed while it was read (its ETag is no longer %s): "
				 "%s",
				 r->etag, why);
		else
			snprintf(r->errmsg, sizeof(r->errmsg), "resuming after byte %lld: %s",
				 (long long)r->got, why);
		return false;
	}
	const char *etag = http_header(a.x, "ETag");
	if (etag && *etag && strcmp(etag, r->etag) != 0) {
		snprintf(r->errmsg, sizeof(r->errmsg),
			 "the object changed while it was read (ETag %s, then %s)", r->etag, etag);
		http_end(a.x);
		return false;
	}
	if (a.status == 206) {
		const char *cr = http_header(a.x, "Content-Range");
		long long start = -1, last = -1, total = -1;
		int got = cr ? sscanf(cr, "bytes %lld-%lld/%lld", &start, &last, &total) : 0;
		if (got < 1 || start != r->got || (got == 3 && r->size >= 0 && total != r->size)) {
			snprintf(r->errmsg, sizeof(r->errmsg),
				 "the resumed answer does not start at byte %lld (Content-Range: "
				 "%s)",
				 (long long)r->got, cr ? cr : "none");
			http_end(a.x);
			return false;
		}
		r->skip = 0;
	} else {
		r->skip = r->got; /* the whole object again: drop what was read already */
	}
	r->x = a.x;
	return true;
}

ssize_t s3_reader_read(s3_reader *r, void *buf, size_t cap, char *err, size_t errlen)
{
	if (r->failed)
		return reader_fail(r, err, errlen);
	for (;;) {
		if (!r->x) {
			if (r->size >= 0 && r->got >= r->size)
				return 0;
			if (!resume(r))
				return reader_fail(r, err, errlen);
		}
		http_result hr;
		char why[512];
		ssize_t n = http_read(r->x, buf, cap, &hr, why, sizeof(why));
		if (n > 0 && r->skip > 0) {
			ssize_t drop = (int64_t)n < r->skip ? n : (ssize_t)r->skip;
			r->skip -= drop;
			if (drop < n)
				memmove(buf, (char *)buf + drop, (size_t)(n - drop));
			n -= drop;
			if (n == 0)
				continue;
		}
		if (n > 0) {
			r->got += n;
			r->drops = 0;
			return n;
		}
		http_end(r->x);
		r->x = NULL;
		if (n == 0) {
			if (r->size < 0 || r->got >= r->size)
				return 0;
			snprintf(why, sizeof(why), "the answer ended after %lld of %lld bytes",
				 (long long)r->got, (long long)r->size);
			hr = HTTP_NET;
		}
		if (hr == HTTP_CANCELLED) {
			snprintf(r->errmsg, sizeof(r->errmsg), "interrupted");
			return reader_fail(r, err, errlen);
		}
		if (hr != HTTP_NET || !r->etag) {
			snprintf(r->errmsg, sizeof(r->errmsg), "reading after byte %lld: %s%s",
				 (long long)r->got, why,
				 hr == HTTP_NET ? " (no ETag to resume against)" : "");
			return reader_fail(r, err, errlen);
		}
		if (r->drops >= cl.retries) {
			snprintf(r->errmsg, sizeof(r->errmsg),
				 "the connection dropped after byte %lld: %s (gave up after %d "
				 "attempts)",
				 (long long)r->got, why, r->drops + 1);
			return reader_fail(r, err, errlen);
		}
		long wait = backoff_ms(r->drops);
		r->drops++;
		vlog("GET s3://%s/%s: %s after byte %lld; resuming in %ld ms", r->u.bucket,
		     r->u.key, why, (long long)r->got, wait);
		if (!http_sleep_ms(wait, cl.http.interrupted)) {
			snprintf(r->errmsg, sizeof(r->errmsg), "interrupted");
			return reader_fail(r, err, errlen);
		}
	}
}

int64_t s3_reader_size(const s3_reader *r)
{
	return r->size;
}

int64_t s3_reader_consumed(const s3_reader *r)
{
	return r->got;
}

void s3_reader_close(s3_reader *r)
{
	if (!r)
		return;
	http_end(r->x);
	s3_url_free(&r->u);
	free(r->etag);
	free(r);
}

rv_status s3_read_all(const char *url, size_t max, char **out, size_t *len, char *err,
		      size_t errlen)
{
	s3_reader *r;
	char why[700];
	rv_status st = s3_reader_open(url, &r, why, sizeof(why));
	if (st != RV_OK) {
		snprintf(err, errlen, "%s: %s", url, why);
		return st;
	}
	if (r->size >= 0 && (uint64_t)r->size > max) {
		snprintf(err, errlen, "%s: larger than %zu bytes", url, max);
		s3_reader_close(r);
		return RV_IO;
	}
	rv_buf b;
	buf_init(&b, max + 1);
	buf_puts(&b, "");
	char chunk[65536];
	ssize_t n;
	while ((n = s3_reader_read(r, chunk, sizeof(chunk), why, sizeof(why))) > 0) {
		buf_append(&b, chunk, (size_t)n);
		if (b.toobig || b.len > max)
			break;
	}
	s3_reader_close(r);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", url, why);
		buf_free(&b);
		return RV_IO;
	}
	if (b.toobig || b.len > max) {
		snprintf(err, errlen, "%s: larger than %zu bytes", url, max);
		buf_free(&b);
		return RV_IO;
	}
	*out = buf_detach(&b, len);
	return RV_OK;
}

/* ---- writing ---- */

struct s3_writer {
	s3_url u;
	const char *content_type;
	unsigned char *buf; /* grows to part_size(): small reports stay small */
	size_t len, cap;
	char *upload_id; /* a multipart upload is under way */
	char **etags;
	int n_parts;
	bool failed;
	char errmsg[700];
};

static const char *content_type_of(const char *key)
{
	static const struct {
		const char *ext, *type;
	} T[] = {{".json", "application/json"},
		 {".ndjson", "application/x-ndjson"},
		 {".jsonl", "application/x-ndjson"},
		 {".txt", "text/plain; charset=utf-8"},
		 {".csv", "text/csv; charset=utf-8"},
		 {".tsv", "text/tab-separated-values; charset=utf-8"},
		 {".xml", "application/xml"},
		 {".html", "text/html; charset=utf-8"},
		 {".gz", "application/gzip"}};
	size_t kl = strlen(key);
	for (size_t i = 0; i < sizeof(T) / sizeof(T[0]); i++) {
		size_t el = strlen(T[i].ext);
		if (kl >= el && strcasecmp(key + kl - el, T[i].ext) == 0)
			return T[i].type;
	}
	return "application/octet-stream";
}

rv_status s3_writer_open(const char *url, s3_writer **out, char *err, size_t errlen)
{
	*out = NULL;
	s3_writer *w = xcalloc(1, sizeof(*w));
	if (!s3_url_parse(url, true, &w->u, err, errlen)) {
		free(w);
		return RV_IO;
	}
	size_t kl = strlen(w->u.key);
	if (w->u.key[kl - 1] == '/') {
		snprintf(err, errlen, "the key ends with '/': name an object, not a folder");
		s3_url_free(&w->u);
		free(w);
		return RV_IO;
	}
	w->content_type = content_type_of(w->u.key);
	*out = w;
	return RV_OK;
}

static rv_status writer_fail(s3_writer *w, rv_status st, char *err, size_t errlen)
{
	w->failed = true;
	snprintf(err, errlen, "%s", w->errmsg);
	return st;
}

static void abort_upload(s3_writer *w)
{
	if (!w->upload_id)
		return;
	s3_op op = {.method = "DELETE", .u = &w->u, .cancellable = false};
	op.params[op.n_params++] = (sigv4_param){"uploadId", w->upload_id};
	s3_answer a;
	char why[600];
	if (call(&op, &a, why, sizeof(why)) == RV_OK) {
		vlog("aborted the multipart upload of s3://%s/%s", w->u.bucket, w->u.key);
		http_end(a.x);
	} else {
		/* nothing more to do than say so: a lifecycle rule cleans up after this */
		fprintf(stderr,
			"rvalid: s3://%s/%s: could not abort the multipart upload (%s); its parts "
			"stay until a lifecycle rule removes them\n",
			w->u.bucket, w->u.key, why);
	}
	free(w->upload_id);
	w->upload_id = NULL;
}

static rv_status send_part(s3_writer *w)
{
	char why[600];
	if (!w->upload_id) {
		s3_op op = {.method = "POST", .u = &w->u, .cancellable = true};
		op.params[op.n_params++] = (sigv4_param){"uploads", ""};
		op.extra[op.n_extra++] = (sigv4_header){"content-type", w->content_type};
		s3_answer a;
		rv_status st = call(&op, &a, why, sizeof(why));
		if (st != RV_OK) {
			snprintf(w->errmsg, sizeof(w->errmsg), "starting a multipart upload: %s",
				 why);
			return st;
		}
		rv_buf id;
		buf_init(&id, 0);
		const rv_buf *body = http_body(a.x);
		if (s3_xml_text(body->data, body->len, "UploadId", &id) && id.len)
			w->upload_id = buf_detach(&id, NULL);
		buf_free(&id);
		http_end(a.x);
		if (!w->upload_id) {
			snprintf(w->errmsg, sizeof(w->errmsg),
				 "starting a multipart upload: the answer has no UploadId");
			return RV_IO;
		}
		vlog("multipart upload of s3://%s/%s started", w->u.bucket, w->u.key);
	}
	if (w->n_parts >= MAX_PARTS) {
		snprintf(w->errmsg, sizeof(w->errmsg), "more than S3's %d parts", MAX_PARTS);
		return RV_IO;
	}
	char num[16];
	snprintf(num, sizeof(num), "%d", w->n_parts + 1);
	s3_op op = {.method = "PUT",
		    .u = &w->u,
		    .body = w->buf,
		    .body_len = w->len,
		    .cancellable = true};
	op.params[op.n_params++] = (sigv4_param){"partNumber", num};
	op.params[op.n_params++] = (sigv4_param){"uploadId", w->upload_id};
	s3_answer a;
	rv_status st = call(&op, &a, why, sizeof(why));
	if (st != RV_OK) {
		snprintf(w->errmsg, sizeof(w->errmsg), "uploading part %s: %s", num, why);
		return st;
	}
	const char *etag = http_header(a.x, "ETag");
	if (!etag || !*etag) {
		http_end(a.x);
		snprintf(w->errmsg, sizeof(w->errmsg), "uploading part %s: the answer has no ETag",
			 num);
		return RV_IO;
	}
	w->etags = xrealloc(w->etags, (size_t)(w->n_parts + 1) * sizeof(char *));
	w->etags[w->n_parts++] = xstrdup(etag);
	http_end(a.x);
	w->len = 0;
	return RV_OK;
}

/* The size of the next part: S3_PART_SIZE, doubled every 1000 parts, so the 10,000 parts S3
 * allows hold S3's largest object (5 TiB) while ordinary outputs use 8 MiB parts. */
static size_t part_size(const s3_writer *w)
{
	return S3_PART_SIZE << (w->n_parts / 1000);
}

rv_status s3_writer_write(s3_writer *w, const void *p, size_t n, char *err, size_t errlen)
{
	if (w->failed)
		return writer_fail(w, RV_IO, err, errlen);
	const unsigned char *src = p;
	while (n > 0) {
		size_t full = part_size(w);
		if (w->len == full) {
			/* a full part and more to come: it goes now */
			rv_status st = send_part(w);
			if (st != RV_OK) {
				abort_upload(w);
				return writer_fail(w, st, err, errlen);
			}
		}
		full = part_size(w);
		size_t k = full - w->len < n ? full - w->len : n;
		if (w->len + k > w->cap) {
			size_t cap = w->cap ? w->cap : 65536;
			while (cap < w->len + k)
				cap *= 2;
			w->cap = cap < full ? cap : full;
			w->buf = xrealloc(w->buf, w->cap);
		}
		memcpy(w->buf + w->len, src, k);
		w->len += k;
		src += k;
		n -= k;
	}
	return RV_OK;
}

static void writer_free(s3_writer *w)
{
	for (int i = 0; i < w->n_parts; i++)
		free(w->etags[i]);
	free(w->etags);
	free(w->upload_id);
	free(w->buf);
	s3_url_free(&w->u);
	free(w);
}

static rv_status complete(s3_writer *w)
{
	if (w->len > 0) {
		rv_status st = send_part(w);
		if (st != RV_OK)
			return st;
	}
	rv_buf xml;
	buf_init(&xml, 0);
	buf_puts(&xml,
		 "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (int i = 0; i < w->n_parts; i++) {
		buf_printf(&xml, "<Part><PartNumber>%d</PartNumber><ETag>", i + 1);
		s3_xml_escape(w->etags[i], &xml);
		buf_puts(&xml, "</ETag></Part>");
	}
	buf_puts(&xml, "</CompleteMultipartUpload>");
	s3_op op = {.method = "POST",
		    .u = &w->u,
		    .body = xml.data,
		    .body_len = xml.len,
		    .cancellable = true,
		    .error_in_200 = true};
	op.params[op.n_params++] = (sigv4_param){"uploadId", w->upload_id};
	op.extra[op.n_extra++] = (sigv4_header){"content-type", "application/xml"};
	s3_answer a;
	char why[600];
	rv_status st = call(&op, &a, why, sizeof(why));
	buf_free(&xml);
	if (st != RV_OK) {
		snprintf(w->errmsg, sizeof(w->errmsg), "completing the multipart upload: %s", why);
		return st;
	}
	http_end(a.x);
	vlog("multipart upload of s3://%s/%s completed: %d parts", w->u.bucket, w->u.key,
	     w->n_parts);
	free(w->upload_id);
	w->upload_id = NULL;
	return RV_OK;
}

rv_status s3_writer_commit(s3_writer *w, char *err, size_t errlen)
{
	rv_status st = RV_OK;
	if (w->failed) {
		st = writer_fail(w, RV_IO, err, errlen);
	} else if (w->upload_id) {
		st = complete(w);
		if (st != RV_OK) {
			abort_upload(w);
			writer_fail(w, st, err, errlen);
		}
	} else {
		s3_op op = {.method = "PUT",
			    .u = &w->u,
			    .body = w->buf,
			    .body_len = w->len,
			    .cancellable = true};
		op.extra[op.n_extra++] = (sigv4_header){"content-type", w->content_type};
		s3_answer a;
		char why[600];
		st = call(&op, &a, why, sizeof(why));
		if (st == RV_OK) {
			http_end(a.x);
		} else {
			snprintf(w->errmsg, sizeof(w->errmsg), "%s", why);
			writer_fail(w, st, err, errlen);
		}
	}
	writer_free(w);
	return st;
}

void s3_writer_abort(s3_writer *w)
{
	if (!w)
		return;
	abort_upload(w);
	writer_free(w);
}
