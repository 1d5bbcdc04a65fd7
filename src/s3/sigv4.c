/* sigv4.c: AWS Signature Version 4 signing steps over OpenSSL's SHA-256 and HMAC.
 *
 * Overview (AWS General Reference, "Create a signed AWS API request"):
 *   1. canonical request: METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH,
 *      where HEADERS is one "name:value\n" line per header, so the block ends with a blank
 *      line before SIGNED-HEADERS;
 *   2. string to sign: the algorithm, the request time, the credential scope and the hex
 *      SHA-256 of the canonical request, one per line;
 *   3. signing key: HMAC-SHA256 chained over date, region, service and "aws4_request",
 *      starting from "AWS4" + the secret key;
 *   4. signature: hex HMAC-SHA256 of the string to sign under the signing key;
 *   5. the Authorization header naming the access key, scope, signed headers and signature.
 * S3 differs from other services in step 1 only: its URI is encoded once and not
 * normalised (a key may hold "..", "//" or a trailing '/'). */
#include "s3/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

static const char HEX_UPPER[] = "0123456789ABCDEF";
static const char HEX_LOWER[] = "0123456789abcdef";

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void sigv4_uri_encode(const char *s, size_t n, bool keep_slash, rv_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c) || (keep_slash && c == '/')) {
			buf_putc(out, (char)c);
		} else {
			char esc[3] = {'%', HEX_UPPER[c >> 4], HEX_UPPER[c & 15]};
			buf_append(out, esc, 3);
		}
	}
}

static void to_hex(const unsigned char *p, size_t n, char *hex)
{
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = HEX_LOWER[p[i] >> 4];
		hex[2 * i + 1] = HEX_LOWER[p[i] & 15];
	}
	hex[2 * n] = '\0';
}

void sigv4_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (!EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		abort(); /* SHA-256 cannot fail short of memory exhaustion */
	to_hex(md, 32, hex);
}

static void hmac(const void *key, size_t keylen, const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 0;
	if (!HMAC(EVP_sha256(), key, (int)keylen, p, n, out, &len) || len != 32)
		abort();
}

/* ---- step 1 ---- */

typedef struct {
	rv_buf key, value;
} enc_param;

static int cmp_param(const void *a, const void *b)
{
	const enc_param *x = a, *y = b;
	int c = strcmp(x->key.data, y->key.data);
	return c ? c : strcmp(x->value.data, y->value.data);
}

typedef struct {
	char *name; /* lowercased */
	const char *value;
	size_t order;
} low_header;

static int cmp_header(const void *a, const void *b)
{
	const low_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Appends v trimmed, with inner runs of spaces and tabs collapsed to one space. */
static void put_trimmed(rv_buf *out, const char *v)
{
	const char *p = v;
	while (*p == ' ' || *p == '\t')
		p++;
	bool space = false;
	for (; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = true;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = false;
		buf_putc(out, *p);
	}
}

void sigv4_canonical_request(const sigv4_request *r, rv_buf *creq, rv_buf *signed_headers)
{
	buf_reset(creq);
	buf_reset(signed_headers);
	buf_puts(creq, r->method);
	buf_putc(creq, '\n');
	sigv4_uri_encode(r->path, strlen(r->path), true, creq);
	buf_putc(creq, '\n');

	enc_param *ps = xcalloc(r->n_params ? r->n_params : 1, sizeof(*ps));
	for (size_t i = 0; i < r->n_params; i++) {
		buf_init(&ps[i].key, 0);
		buf_init(&ps[i].value, 0);
		buf_puts(&ps[i].key, ""); /* never NULL data, for strcmp */
		buf_puts(&ps[i].value, "");
		sigv4_uri_encode(r->params[i].key, strlen(r->params[i].key), false, &ps[i].key);
		const char *v = r->params[i].value ? r->params[i].value : "";
		sigv4_uri_encode(v, strlen(v), false, &ps[i].value);
	}
	qsort(ps, r->n_params, sizeof(*ps), cmp_param);
	for (size_t i = 0; i < r->n_params; i++) {
		if (i)
			buf_putc(creq, '&');
		buf_append(creq, ps[i].key.data, ps[i].key.len);
		buf_putc(creq, '=');
		buf_append(creq, ps[i].value.data, ps[i].value.len);
		buf_free(&ps[i].key);
		buf_free(&ps[i].value);
	}
	free(ps);
	buf_putc(creq, '\n');

	low_header *hs = xcalloc(r->n_headers ? r->n_headers : 1, sizeof(*hs));
	for (size_t i = 0; i < r->n_headers; i++) {
		hs[i].name = xstrdup(r->headers[i].name);
		for (char *p = hs[i].name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		hs[i].value = r->headers[i].value;
		hs[i].order = i;
	}
	/* order breaks ties, so qsort is stable here */
	qsort(hs, r->n_headers, sizeof(*hs), cmp_header);
	for (size_t i = 0; i < r->n_headers; i++) {
		bool repeat = i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0;
		if (repeat) {
			buf_putc(creq, ',');
		} else {
			if (i > 0) {
				buf_putc(creq, '\n');
				buf_putc(signed_headers, ';');
			}
			buf_puts(creq, hs[i].name);
			buf_putc(creq, ':');
			buf_puts(signed_headers, hs[i].name);
		}
		put_trimmed(creq, hs[i].value);
	}
	if (r->n_headers)
		buf_putc(creq, '\n');
	buf_putc(creq, '\n');
	for (size_t i = 0; i < r->n_headers; i++)
		free(hs[i].name);
	free(hs);
	buf_append(creq, signed_headers->data ? signed_headers->data : "", signed_headers->len);
	buf_putc(creq, '\n');
	buf_puts(creq, r->payload_hash);
}

/* ---- steps 2 to 5 ---- */

void sigv4_scope(const char *amz_date, const char *region, const char *service, rv_buf *out)
{
	buf_reset(out);
	buf_printf(out, "%.8s/%s/%s/aws4_request", amz_date, region, service);
}

void sigv4_string_to_sign(const char *amz_date, const char *scope, const char *creq,
			  size_t creq_len, rv_buf *out)
{
	char hex[65];
	sigv4_sha256_hex(creq, creq_len, hex);
	buf_reset(out);
	buf_printf(out, "AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, hex);
}

void sigv4_signing_key(const char *secret, const char *amz_date, const char *region,
		       const char *service, unsigned char key[32])
{
	size_t slen = strlen(secret);
	char *k0 = xmalloc(slen + 5);
	memcpy(k0, "AWS4", 4);
	memcpy(k0 + 4, secret, slen + 1);
	unsigned char a[32], b[32];
	hmac(k0, slen + 4, amz_date, 8, a);
	hmac(a, 32, region, strlen(region), b);
	hmac(b, 32, service, strlen(service), a);
	hmac(a, 32, "aws4_request", 12, key);
	OPENSSL_cleanse(k0, slen + 4);
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(b, sizeof(b));
	free(k0);
}

void sigv4_signature(const unsigned char key[32], const char *sts, size_t sts_len, char hex[65])
{
	unsigned char mac[32];
	hmac(key, 32, sts, sts_len, mac);
	to_hex(mac, 32, hex);
}

void sigv4_authorization(const char *access_key, const char *scope, const char *signed_headers,
			 const char *signature, bool compact, rv_buf *out)
{
	const char *sep = compact ? "," : ", ";
	buf_reset(out);
	buf_printf(out, "AWS4-HMAC-SHA256 Credential=%s/%s%sSignedHeaders=%s%sSignature=%s",
		   access_key, scope, sep, signed_headers, sep, signature);
}

void sigv4_sign(const sigv4_request *r, const char *access_key, const char *secret,
		const char *amz_date, const char *region, const char *service,
		rv_buf *authorization)
{
	rv_buf creq, sh, scope, sts;
	buf_init(&creq, 0);
	buf_init(&sh, 0);
	buf_init(&scope, 0);
	buf_init(&sts, 0);
	sigv4_canonical_request(r, &creq, &sh);
	sigv4_scope(amz_date, region, service, &scope);
	sigv4_string_to_sign(amz_date, scope.data, creq.data, creq.len, &sts);
	unsigned char key[32];
	char sig[65];
	sigv4_signing_key(secret, amz_date, region, service, key);
	sigv4_signature(key, sts.data, sts.len, sig);
	OPENSSL_cleanse(key, sizeof(key));
	sigv4_authorization(access_key, scope.data, sh.data ? sh.data : "", sig, false,
			    authorization);
	buf_free(&creq);
	buf_free(&sh);
	buf_free(&scope);
	buf_free(&sts);
}

void sigv4_amz_date(char out[17])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}
