/* s3.h: reading and writing s3://bucket/key objects (SPEC 6).
 *
 * The client is process-wide, like the output registry of io/outfile.c: every path rvalid
 * takes may be s3://, and handing a client to every open would touch every caller.
 * s3_configure() sets it up once from the command line before any thread starts; the
 * environment and the AWS config files are read at the first request. After that the
 * client is thread-safe: its credential and bucket-region caches are locked, and each
 * reader or writer belongs to the thread that uses it.
 *
 * Every request is signed with SigV4 (s3/sigv4.h) and carries x-amz-content-sha256: the
 * body's SHA-256 for uploads, UNSIGNED-PAYLOAD for streamed downloads. Failures are
 * retried when they may go away (5xx, 429 and SlowDown-like codes, timeouts, refused or
 * dropped connections) up to --retries times with exponential backoff and full jitter
 * (a random wait up to 200 ms * 2^attempt, at most 20 s); other 4xx answers are final. A
 * bucket that lives in another region is followed (x-amz-bucket-region, or the Region of
 * a redirect) and remembered. Error messages are one line: "403 AccessDenied: Access
 * Denied"; the caller puts "s3://b/k: " in front. No message, log line or report holds a
 * secret, also not with --verbose. */
#ifndef RV_S3_H
#define RV_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

typedef struct {
	const char *endpoint_url; /* --endpoint-url, or NULL */
	const char *region;       /* --region, or NULL */
	const char *profile;      /* --profile, or NULL */
	bool path_style;          /* --path-style */
	const char *ca_bundle;    /* --ca-bundle, or NULL */
	int retries;              /* --retries; negative: the default, 5 */
	bool verbose;             /* log requests, retries, credential source (stderr) */
	int (*interrupted)(void); /* nonzero: stop waiting (SIGINT); NULL: never */
} s3_settings;

/* Copies s (strings included). Call before the first S3 path is opened; without it the
 * defaults apply. Not thread-safe (call it from main's thread, before the run). */
void s3_configure(const s3_settings *s);

/* ---- reading: GET, streamed ---- */

typedef struct s3_reader s3_reader;

/* Sends the GET for url ("s3://bucket/key") and waits for the answer's headers. On failure
 * returns RV_IO (or RV_INTERRUPT) with the reason in err: "404 NoSuchKey: The specified
 * key does not exist." */
rv_status s3_reader_open(const char *url, s3_reader **out, char *err, size_t errlen);
/* Copies up to cap bytes of the body as they arrive. Returns the count, 0 at the end, or
 * -1 with the reason in err. A connection that drops mid-body is resumed with a Range
 * request from the next byte, pinned with If-Match to the ETag of the first answer: an
 * object that changed meanwhile is an error, never a mix of two versions. */
ssize_t s3_reader_read(s3_reader *r, void *buf, size_t cap, char *err, size_t errlen);
/* The object's size, or -1 when the answer did not say; the bytes read so far. */
int64_t s3_reader_size(const s3_reader *r);
int64_t s3_reader_consumed(const s3_reader *r);
/* Accepts NULL. */
void s3_reader_close(s3_reader *r);

/* Reads a whole (small) object into a NUL-terminated buffer the caller frees; objects
 * over max bytes are refused ("larger than N bytes"). */
rv_status s3_read_all(const char *url, size_t max, char **out, size_t *len, char *err,
		      size_t errlen);

/* ---- writing: PUT, or multipart upload above 8 MiB ---- */

#define S3_PART_SIZE ((size_t)8 << 20)

typedef struct s3_writer s3_writer;

/* Checks the URL; nothing is sent yet. On failure returns RV_IO with the reason in err. */
rv_status s3_writer_open(const char *url, s3_writer **out, char *err, size_t errlen);
/* Buffers up to S3_PART_SIZE bytes; past that a multipart upload starts and each part is
 * sent as soon as it is full (parts double in size every 1000, for outputs past 8 GB). On failure
 * returns RV_IO with the reason in err (the upload is then aborted at once). */
rv_status s3_writer_write(s3_writer *w, const void *p, size_t n, char *err, size_t errlen);
/* Makes the object appear, whole: one PUT, or the last part and CompleteMultipartUpload.
 * On failure the multipart upload is aborted and RV_IO returned with the reason in err.
 * Frees w either way. */
rv_status s3_writer_commit(s3_writer *w, char *err, size_t errlen);
/* Drops the data; a multipart upload under way is aborted (AbortMultipartUpload), so no
 * parts are left behind. Frees w. Accepts NULL. */
void s3_writer_abort(s3_writer *w);

#endif
