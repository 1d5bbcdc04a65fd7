/* url.h: s3://bucket/key names, and the HTTP request target an object maps to.
 *
 * A key is taken byte for byte as the user wrote it (spaces, non-ASCII, "..", "//" and a
 * trailing '/' included): S3 keys are not paths and are never normalised. On the wire the
 * key is URI-encoded once (sigv4_uri_encode with '/' kept), which is also what SigV4 signs.
 *
 * Addressing: virtual-hosted style (https://BUCKET.s3.REGION.amazonaws.com/KEY) by default;
 * path style (ENDPOINT/BUCKET/KEY) with --path-style, with a custom endpoint, or for a
 * bucket whose name cannot be a host name label (dots, capitals, underscores), as the AWS
 * CLI does. Pure functions; thread-safe. */
#ifndef RV_S3_URL_H
#define RV_S3_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct {
	char *bucket;
	char *key; /* "" for the bucket itself */
} s3_url;

/* True when path starts with "s3://". */
bool s3_is_url(const char *path);

/* Splits "s3://bucket/key". need_key: an object is meant, so the key must not be empty.
 * On failure returns false with the reason in err ("no bucket name", ...). The caller frees
 * with s3_url_free. */
bool s3_url_parse(const char *path, bool need_key, s3_url *out, char *err, size_t errlen);
void s3_url_free(s3_url *u);

/* A parsed endpoint URL: scheme://host[:port][/base]. */
typedef struct {
	char *scheme;   /* "http" or "https" */
	char *hostport; /* "host" or "host:port", as the Host header carries it */
	char *base;     /* "" or "/prefix" (no trailing '/') */
} s3_endpoint;

/* Parses an --endpoint-url value. False with a reason in err when it is not http(s)://HOST. */
bool s3_endpoint_parse(const char *url, s3_endpoint *out, char *err, size_t errlen);
void s3_endpoint_free(s3_endpoint *e);

/* Where a request for bucket/key goes. */
typedef struct {
	rv_buf url;  /* scheme://host/encoded-path (no query) */
	rv_buf host; /* the Host header value */
	rv_buf path; /* the path, not encoded: what SigV4 canonicalises */
} s3_target;

/* Fills t (initialised by this call; free with s3_target_free). custom: the endpoint came
 * from the user (NULL: AWS's s3.REGION.amazonaws.com over https). */
void s3_target_make(const s3_endpoint *custom, bool path_style, const char *region,
		    const char *bucket, const char *key, s3_target *t);
void s3_target_free(s3_target *t);

/* True when bucket can be a DNS label under virtual-hosted style over https. */
bool s3_bucket_virtual_ok(const char *bucket);

#endif
