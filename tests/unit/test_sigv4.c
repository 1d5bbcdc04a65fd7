/* test_sigv4.c: unit tests for s3/sigv4.c: each signing step on its own, then every
 * applicable case of the shared SigV4 vectors (../shared/sigv4-vectors, see its README)
 * through every step: canonical request, string to sign and Authorization compared exactly.
 *
 * Applicable (the README's "Which apply to an S3 client"): all of s3-docs/ and
 * aws-c-auth-v4/, and the 2015 suite but for its normalizePath group (other services'
 * path rules; get-space is the same under S3's) and get-header-value-multiline (obsolete
 * line folding, informational). The count is checked, so a missing case fails. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "s3/sigv4.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"

#define EXPECTED_CASES 40

/* ---- single steps ---- */

static void test_uri_encode(void **state)
{
	(void)state;
	rv_buf b;
	buf_init(&b, 0);
	const char *key = "dir/a b+c$é~_.-/../x";
	sigv4_uri_encode(key, strlen(key), true, &b);
	assert_string_equal(b.data, "dir/a%20b%2Bc%24%C3%A9~_.-/../x");
	buf_reset(&b);
	sigv4_uri_encode("a/b=c&d", 7, false, &b);
	assert_string_equal(b.data, "a%2Fb%3Dc%26d");
	buf_free(&b);
}

static void test_sha256(void **state)
{
	(void)state;
	char hex[65];
	sigv4_sha256_hex("", 0, hex);
	assert_string_equal(hex, SIGV4_EMPTY_SHA256);
	sigv4_sha256_hex("Welcome to Amazon S3.", 21, hex);
	assert_string_equal(hex,
			    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

/* Canonical request: no dot-segment normalisation, sorted query, trimmed and joined headers. */
static void test_canonical_request(void **state)
{
	(void)state;
	sigv4_param params[] = {{"uploadId", "a/b c"}, {"partNumber", "2"}, {"b", ""}, {"b", "a"}};
	sigv4_header headers[] = {{"X-Amz-Date", "20130524T000000Z"},
				  {"Host", "bucket.example"},
				  {"X-Multi", "  one   two "},
				  {"x-multi", "three"}};
	sigv4_request r = {"PUT", "/k/./a//../é", params, 4, headers, 4, SIGV4_UNSIGNED_PAYLOAD};
	rv_buf creq, sh;
	buf_init(&creq, 0);
	buf_init(&sh, 0);
	sigv4_canonical_request(&r, &creq, &sh);
	assert_string_equal(creq.data, "PUT\n"
				       "/k/./a//../%C3%A9\n"
				       "b=&b=a&partNumber=2&uploadId=a%2Fb%20c\n"
				       "host:bucket.example\n"
				       "x-amz-date:20130524T000000Z\n"
				       "x-multi:one two,three\n"
				       "\n"
				       "host;x-amz-date;x-multi\n"
				       "UNSIGNED-PAYLOAD");
	assert_string_equal(sh.data, "host;x-amz-date;x-multi");
	buf_free(&creq);
	buf_free(&sh);
}

static void test_string_to_sign(void **state)
{
	(void)state;
	rv_buf scope, sts;
	buf_init(&scope, 0);
	buf_init(&sts, 0);
	sigv4_scope("20130524T000000Z", "us-east-1", "s3", &scope);
	assert_string_equal(scope.data, "20130524/us-east-1/s3/aws4_request");
	sigv4_string_to_sign("20130524T000000Z", scope.data, "", 0, &sts);
	assert_string_equal(sts.data, "AWS4-HMAC-SHA256\n20130524T000000Z\n"
				      "20130524/us-east-1/s3/aws4_request\n" SIGV4_EMPTY_SHA256);
	buf_free(&scope);
	buf_free(&sts);
}

/* The signing key of AWS's "derive a signing key" example (service iam). */
static void test_signing_key(void **state)
{
	(void)state;
	unsigned char key[32];
	sigv4_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830T123600Z",
			  "us-east-1", "iam", key);
	char hex[65];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	assert_string_equal(hex,
			    "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

static void test_signature_and_authorization(void **state)
{
	(void)state;
	unsigned char key[32];
	sigv4_signing_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524T000000Z",
			  "us-east-1", "s3", key);
	/* the string to sign of S3's GET Object example */
	const char *sts = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
			  "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972";
	char sig[65];
	sigv4_signature(key, sts, strlen(sts), sig);
	assert_string_equal(sig,
			    "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	rv_buf a;
	buf_init(&a, 0);
	sigv4_authorization("AKID", "20130524/us-east-1/s3/aws4_request", "host;x-amz-date", sig,
			    false, &a);
	assert_string_equal(a.data,
			    "AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/"
			    "aws4_request, SignedHeaders=host;x-amz-date, Signature=f0e8bdb87c96"
			    "4420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	sigv4_authorization("AKID", "S", "h", "x", true, &a);
	assert_string_equal(a.data,
			    "AWS4-HMAC-SHA256 Credential=AKID/S,SignedHeaders=h,Signature=x");
	buf_free(&a);
}

/* ---- the shared vectors ---- */

static const char *vectors_dir(void)
{
	static const char *const DIRS[] = {"../shared/sigv4-vectors", "/work/shared/sigv4-vectors"};
	const char *env = getenv("RVALID_SIGV4_VECTORS");
	struct stat st;
	if (env && stat(env, &st) == 0)
		return env;
	for (size_t i = 0; i < 2; i++)
		if (stat(DIRS[i], &st) == 0 && S_ISDIR(st.st_mode))
			return DIRS[i];
	return NULL;
}

/* The whole file, or NULL when it is missing. */
static char *slurp(const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	rv_buf b;
	buf_init(&b, 0);
	buf_puts(&b, "");
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

/* params.txt: the value of key (up to the end of its line), or "" when absent. Caller frees. */
static char *param(const char *params, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = params; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > k && strncmp(p, key, k) == 0 && p[k] == '=') {
			char *v = malloc(len - k);
			memcpy(v, p + k + 1, len - k - 1);
			v[len - k - 1] = '\0';
			return v;
		}
		p = eol ? eol + 1 : NULL;
	}
	return strdup("");
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
				      : -1;
}

/* Decodes %XX in place (query strings in request.txt may be encoded already). */
static void percent_decode(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

typedef struct {
	char *text; /* request.txt, cut into the pieces below in place */
	char *method, *path, *body;
	sigv4_param params[16];
	size_t n_params;
	sigv4_header headers[16];
	size_t n_headers;
} parsed_request;

static void parse_request(char *text, parsed_request *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->text = text;
	char *eol = strchr(text, '\n');
	if (eol)
		*eol = '\0';
	/* "METHOD TARGET HTTP/1.1"; the target may hold spaces */
	char *sp = strchr(text, ' ');
	assert_non_null(sp);
	*sp = '\0';
	pr->method = text;
	char *target = sp + 1;
	char *ver = strstr(target, " HTTP/");
	assert_non_null(ver);
	*ver = '\0';
	char *q = strchr(target, '?');
	if (q) {
		*q++ = '\0';
		for (char *item = q; item && *item;) {
			char *amp = strchr(item, '&');
			if (amp)
				*amp = '\0';
			char *eq = strchr(item, '=');
			if (eq)
				*eq = '\0';
			assert_true(pr->n_params < 16);
			percent_decode(item);
			if (eq)
				percent_decode(eq + 1);
			pr->params[pr->n_params++] = (sigv4_param){item, eq ? eq + 1 : ""};
			item = amp ? amp + 1 : NULL;
		}
	}
	pr->path = target;
	char *line = eol ? eol + 1 : NULL;
	pr->body = "";
	while (line) {
		char *next = strchr(line, '\n');
		if (next)
			*next = '\0';
		if (*line == '\0') {
			pr->body = next ? next + 1 : "";
			break;
		}
		char *colon = strchr(line, ':');
		assert_non_null(colon);
		*colon = '\0';
		assert_true(pr->n_headers < 16);
		pr->headers[pr->n_headers++] = (sigv4_header){line, colon + 1};
		line = next ? next + 1 : NULL;
	}
}

typedef struct {
	int run, header_mode, query_mode;
} tally;

/* One case through every step. */
static void run_case(const char *root, const char *set, const char *name, tally *t)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/%s/%s", root, set, name);
	char *params = slurp(dir, "params.txt");
	char *request = slurp(dir, "request.txt");
	char *want_creq = slurp(dir, "canonical_request.txt");
	char *want_sts = slurp(dir, "string_to_sign.txt");
	char *want_auth = slurp(dir, "authorization.txt");
	if (!params || !request || !want_creq || !want_sts || !want_auth)
		fail_msg("%s: a vector file is missing", dir);
	char *akid = param(params, "access_key_id"), *secret = param(params, "secret_access_key");
	char *region = param(params, "region"), *service = param(params, "service");
	char *date = param(params, "amz_date"), *mode = param(params, "auth_mode");
	char *expires = param(params, "expires");
	bool query_mode = strncmp(mode, "query", 5) == 0;

	parsed_request pr;
	parse_request(request, &pr);
	rv_buf scope, creq, sh, sts, auth, credential;
	buf_init(&scope, 0);
	buf_init(&creq, 0);
	buf_init(&sh, 0);
	buf_init(&sts, 0);
	buf_init(&auth, 0);
	buf_init(&credential, 0);
	sigv4_scope(date, region, service, &scope);
	char payload[65];
	const char *payload_hash = NULL;
	for (size_t i = 0; i < pr.n_headers; i++)
		if (strcasecmp(pr.headers[i].name, "x-amz-content-sha256") == 0)
			payload_hash = pr.headers[i].value + strspn(pr.headers[i].value, " ");
	if (!payload_hash) {
		sigv4_sha256_hex(pr.body, strlen(pr.body), payload);
		payload_hash = payload;
	}
	if (query_mode) {
		/* a presigned URL: the auth parameters join the query, the payload is unsigned */
		buf_printf(&credential, "%s/%s", akid, scope.data);
		assert_true(pr.n_params + 5 <= 16);
		pr.params[pr.n_params++] = (sigv4_param){"X-Amz-Algorithm", "AWS4-HMAC-SHA256"};
		pr.params[pr.n_params++] = (sigv4_param){"X-Amz-Credential", credential.data};
		pr.params[pr.n_params++] = (sigv4_param){"X-Amz-Date", date};
		pr.params[pr.n_params++] = (sigv4_param){"X-Amz-Expires", expires};
		pr.params[pr.n_params++] = (sigv4_param){"X-Amz-SignedHeaders", "host"};
		payload_hash = SIGV4_UNSIGNED_PAYLOAD;
	}
	sigv4_request r = {pr.method,  pr.path,	     pr.params,	  pr.n_params,
			   pr.headers, pr.n_headers, payload_hash};
	sigv4_canonical_request(&r, &creq, &sh);
	if (strcmp(creq.data, want_creq) != 0)
		fail_msg("%s: canonical request\n-- got:\n%s\n-- want:\n%s", dir, creq.data,
			 want_creq);
	sigv4_string_to_sign(date, scope.data, creq.data, creq.len, &sts);
	if (strcmp(sts.data, want_sts) != 0)
		fail_msg("%s: string to sign\n-- got:\n%s\n-- want:\n%s", dir, sts.data, want_sts);
	unsigned char key[32];
	char sig[65];
	sigv4_signing_key(secret, date, region, service, key);
	sigv4_signature(key, sts.data, sts.len, sig);
	if (query_mode) {
		rv_buf enc;
		buf_init(&enc, 0);
		sigv4_uri_encode(credential.data, credential.len, false, &enc);
		buf_reset(&auth);
		buf_printf(&auth,
			   "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%s&X-Amz-Date=%s&"
			   "X-Amz-Expires=%s&X-Amz-SignedHeaders=host&X-Amz-Signature=%s",
			   enc.data, date, expires, sig);
		buf_free(&enc);
		t->query_mode++;
	} else {
		/* S3's documentation prints "Credential=..,SignedHeaders=..", the suites ", " */
		bool compact = strcmp(set, "s3-docs") == 0;
		sigv4_authorization(akid, scope.data, sh.data, sig, compact, &auth);
		t->header_mode++;
		/* the one-call form gives the same signature */
		rv_buf one;
		buf_init(&one, 0);
		sigv4_sign(&r, akid, secret, date, region, service, &one);
		assert_non_null(strstr(one.data, sig));
		buf_free(&one);
	}
	if (strcmp(auth.data, want_auth) != 0)
		fail_msg("%s: authorization\n-- got:\n%s\n-- want:\n%s", dir, auth.data, want_auth);
	t->run++;

	buf_free(&scope);
	buf_free(&creq);
	buf_free(&sh);
	buf_free(&sts);
	buf_free(&auth);
	buf_free(&credential);
	free(akid);
	free(secret);
	free(region);
	free(service);
	free(date);
	free(mode);
	free(expires);
	free(params);
	free(request);
	free(want_creq);
	free(want_sts);
	free(want_auth);
}

static bool applicable(const char *root, const char *set, const char *name)
{
	if (strcmp(set, "aws-sig-v4-test-suite") != 0)
		return true;
	if (strcmp(name, "get-header-value-multiline") == 0)
		return false;
	if (strcmp(name, "get-space") == 0)
		return true;
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/%s/%s", root, set, name);
	char *params = slurp(dir, "params.txt");
	char *group = param(params, "suite_group");
	bool ok = strcmp(group, "normalizePath") != 0;
	free(group);
	free(params);
	return ok;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_vectors(void **state)
{
	(void)state;
	const char *root = vectors_dir();
	if (!root)
		fail_msg("the SigV4 vectors are missing (../shared/sigv4-vectors or "
			 "/work/shared/sigv4-vectors)");
	static const char *const SETS[] = {"s3-docs", "aws-c-auth-v4", "aws-sig-v4-test-suite"};
	tally t = {0};
	for (size_t s = 0; s < 3; s++) {
		char dir[1024];
		snprintf(dir, sizeof(dir), "%s/%s", root, SETS[s]);
		DIR *d = opendir(dir);
		assert_non_null(d);
		char *names[64];
		size_t n = 0;
		struct dirent *de;
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' && n < 64)
				names[n++] = strdup(de->d_name);
		closedir(d);
		qsort(names, n, sizeof(char *), cmp_names);
		for (size_t i = 0; i < n; i++) {
			if (applicable(root, SETS[s], names[i]))
				run_case(root, SETS[s], names[i], &t);
			free(names[i]);
		}
	}
	print_message("sigv4: %d vectors passed (%d header-signed, %d presigned)\n", t.run,
		      t.header_mode, t.query_mode);
	assert_int_equal(t.run, EXPECTED_CASES);
	assert_int_equal(t.query_mode, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_encode),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_canonical_request),
		cmocka_unit_test(test_string_to_sign),
		cmocka_unit_test(test_signing_key),
		cmocka_unit_test(test_signature_and_authorization),
		cmocka_unit_test(test_vectors),
	};
	return cmocka_run_group_tests_name("sigv4", tests, NULL, NULL);
}
