/* url.c: parse s3://bucket/key and endpoint URLs; build the request target of an object. */
#include "s3/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3/sigv4.h"
#include "util/xalloc.h"

bool s3_is_url(const char *path)
{
	return path && strncmp(path, "s3://", 5) == 0;
}

static bool fail(char *err, size_t errlen, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", why);
	return false;
}

bool s3_url_parse(const char *path, bool need_key, s3_url *out, char *err, size_t errlen)
{
	out->bucket = out->key = NULL;
	if (!s3_is_url(path))
		return fail(err, errlen, "not an s3:// URL");
	const char *b = path + 5;
	const char *slash = strchr(b, '/');
	size_t blen = slash ? (size_t)(slash - b) : strlen(b);
	if (blen == 0)
		return fail(err, errlen, "no bucket name (use s3://BUCKET/KEY)");
	if (blen > 255)
		return fail(err, errlen, "the bucket name is too long");
	for (size_t i = 0; i < blen; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c <= ' ' || c >= 0x7f || c == '?' || c == '#' || c == '%')
			return fail(err, errlen,
				    "the bucket name has a character S3 does not allow");
	}
	const char *key = slash ? slash + 1 : "";
	if (need_key && *key == '\0')
		return fail(err, errlen, "no object key (use s3://BUCKET/KEY)");
	if (strlen(key) > 1024)
		return fail(err, errlen, "the object key is longer than S3's 1024 bytes");
	out->bucket = xstrndup(b, blen);
	out->key = xstrdup(key);
	return true;
}

void s3_url_free(s3_url *u)
{
	if (!u)
		return;
	free(u->bucket);
	free(u->key);
	u->bucket = u->key = NULL;
}

bool s3_endpoint_parse(const char *url, s3_endpoint *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	const char *rest;
	if (strncmp(url, "http://", 7) == 0) {
		out->scheme = xstrdup("http");
		rest = url + 7;
	} else if (strncmp(url, "https://", 8) == 0) {
		out->scheme = xstrdup("https");
		rest = url + 8;
	} else {
		return fail(err, errlen, "the endpoint URL must start with http:// or https://");
	}
	size_t hl = strcspn(rest, "/?#");
	if (hl == 0) {
		s3_endpoint_free(out);
		return fail(err, errlen, "the endpoint URL has no host");
	}
	if (memchr(rest, '@', hl)) {
		s3_endpoint_free(out);
		return fail(err, errlen, "the endpoint URL must not hold a user name or password");
	}
	out->hostport = xstrndup(rest, hl);
	for (char *p = out->hostport; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	const char *path = rest + hl;
	size_t pl = strcspn(path, "?#");
	while (pl > 0 && path[pl - 1] == '/')
		pl--;
	out->base = xstrndup(path, pl);
	return true;
}

void s3_endpoint_free(s3_endpoint *e)
{
	if (!e)
		return;
	free(e->scheme);
	free(e->hostport);
	free(e->base);
	memset(e, 0, sizeof(*e));
}

bool s3_bucket_virtual_ok(const char *bucket)
{
	size_t n = strlen(bucket);
	if (n < 3 || n > 63 || bucket[0] == '-' || bucket[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = bucket[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

void s3_target_make(const s3_endpoint *custom, bool path_style, const char *region,
		    const char *bucket, const char *key, s3_target *t)
{
	buf_init(&t->url, 0);
	buf_init(&t->host, 0);
	buf_init(&t->path, 0);
	const char *scheme = custom ? custom->scheme : "https";
	const char *base = custom ? custom->base : "";
	bool virtual_host = !custom && !path_style && s3_bucket_virtual_ok(bucket);
	if (custom)
		buf_puts(&t->host, custom->hostport);
	else if (virtual_host)
		buf_printf(&t->host, "%s.s3.%s.amazonaws.com", bucket, region);
	else
		buf_printf(&t->host, "s3.%s.amazonaws.com", region);
	buf_puts(&t->path, base);
	if (!virtual_host) {
		buf_putc(&t->path, '/');
		buf_puts(&t->path, bucket);
	}
	buf_putc(&t->path, '/');
	buf_puts(&t->path, key);
	buf_printf(&t->url, "%s://%s", scheme, t->host.data);
	sigv4_uri_encode(t->path.data, t->path.len, true, &t->url);
}

void s3_target_free(s3_target *t)
{
	buf_free(&t->url);
	buf_free(&t->host);
	buf_free(&t->path);
}
