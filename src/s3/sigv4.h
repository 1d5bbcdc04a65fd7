/* sigv4.h: AWS Signature Version 4, as named steps (STYLE habit 13).
 *
 *   canonical request -> string to sign -> signing key -> signature -> Authorization
 *
 * Each step is its own function so that each can be checked against AWS's published
 * vectors (tests/unit/test_sigv4.c). The canonical URI follows S3's rules: the path is
 * URI-encoded once (every byte but A-Za-z0-9 - . _ ~ and '/') and never normalised, so
 * "a/../b" and "//" stay as they are. Query parameters are encoded and sorted by encoded
 * key, then encoded value. Header names are lowercased and sorted (a stable sort: values
 * of a repeated header are joined with ',' in the order given); values are trimmed and
 * inner runs of spaces collapse to one.
 *
 * Pure functions over the caller's memory: no allocation outside the rv_buf outputs, no
 * state, thread-safe. Secrets pass through only sigv4_signing_key(). */
#ifndef RV_SIGV4_H
#define RV_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* SHA-256 of the empty string */
#define SIGV4_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

typedef struct {
	const char *name;  /* any case */
	const char *value; /* as sent; trimmed and collapsed in the canonical form */
} sigv4_header;

typedef struct {
	const char *key;   /* not encoded */
	const char *value; /* not encoded; "" for a bare "?key" */
} sigv4_param;

typedef struct {
	const char *method; /* "GET", "PUT", ... */
	const char *path;   /* not encoded; starts with '/' */
	const sigv4_param *params;
	size_t n_params;
	const sigv4_header *headers; /* every header to sign, host and x-amz-date included */
	size_t n_headers;
	const char *payload_hash; /* lowercase hex SHA-256 of the body, or UNSIGNED-PAYLOAD */
} sigv4_request;

/* Appends s[0..n) URI-encoded the S3 way: bytes outside A-Za-z0-9-._~ become %XX
 * (uppercase hex); '/' is kept when keep_slash (paths), else encoded (query values). */
void sigv4_uri_encode(const char *s, size_t n, bool keep_slash, rv_buf *out);

/* Lowercase hex SHA-256 of p[0..n) into hex (65 bytes with the NUL). */
void sigv4_sha256_hex(const void *p, size_t n, char hex[65]);

/* Step 1. Writes the canonical request to creq and the signed header list
 * ("host;x-amz-date") to signed_headers (both reset first). */
void sigv4_canonical_request(const sigv4_request *r, rv_buf *creq, rv_buf *signed_headers);

/* The credential scope "YYYYMMDD/REGION/SERVICE/aws4_request" (reset first); date8 is the
 * first 8 characters of amz_date. */
void sigv4_scope(const char *amz_date, const char *region, const char *service, rv_buf *out);

/* Step 2. "AWS4-HMAC-SHA256\nAMZDATE\nSCOPE\nhex(SHA-256(creq))" (reset first). */
void sigv4_string_to_sign(const char *amz_date, const char *scope, const char *creq,
			  size_t creq_len, rv_buf *out);

/* Step 3. HMAC chain "AWS4"+secret -> date8 -> region -> service -> "aws4_request". The key
 * is a secret too: callers wipe it when done. */
void sigv4_signing_key(const char *secret, const char *amz_date, const char *region,
		       const char *service, unsigned char key[32]);

/* Step 4. Lowercase hex HMAC-SHA256(key, string to sign). */
void sigv4_signature(const unsigned char key[32], const char *sts, size_t sts_len, char hex[65]);

/* Step 5. "AWS4-HMAC-SHA256 Credential=AKID/SCOPE, SignedHeaders=..., Signature=..."
 * (reset first). compact joins the three parts with "," alone, as S3's documentation
 * prints them; AWS accepts both. */
void sigv4_authorization(const char *access_key, const char *scope, const char *signed_headers,
			 const char *signature, bool compact, rv_buf *out);

/* Steps 1 to 5 in one: the Authorization value for r (reset first). */
void sigv4_sign(const sigv4_request *r, const char *access_key, const char *secret,
		const char *amz_date, const char *region, const char *service,
		rv_buf *authorization);

/* The current time as an x-amz-date ("20130524T000000Z"). */
void sigv4_amz_date(char out[17]);

#endif
