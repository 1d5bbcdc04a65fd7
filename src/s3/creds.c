/* creds.c: the AWS credential chain (environment, web identity, shared files, process,
 * container, instance metadata) with refresh of temporary credentials.
 *
 * Each source is a function that answers FOUND (credentials filled), ABSENT (not set up
 * here: try the next one) or FAILED (set up, but it did not work: the chain stops with its
 * message, as the AWS CLI's does; the instance metadata service, tried last and present
 * only on EC2, is the exception: failing to reach it means ABSENT). The source that
 * answered is remembered, and refreshes ask it again. */
#include "s3/creds.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "s3/sigv4.h"
#include "s3/xml.h"
#include "util/buf.h"
#include "util/xalloc.h"

typedef enum { FOUND, ABSENT, FAILED } found;

typedef enum {
	SRC_NONE,
	SRC_ENV,
	SRC_WEB_IDENTITY,
	SRC_CRED_FILE,
	SRC_PROCESS,
	SRC_CONFIG_FILE,
	SRC_CONTAINER,
	SRC_IMDS,
} source;

static const char *const SOURCE_NAMES[] = {
	"none",
	"the environment (AWS_ACCESS_KEY_ID)",
	"web identity (STS AssumeRoleWithWebIdentity)",
	"the shared credentials file",
	"credential_process",
	"the config file",
	"container credentials",
	"EC2 instance metadata (IMDSv2)",
};

struct creds_chain {
	const creds_opts *o;
	pthread_mutex_t mu;
	source src;
	s3_creds cur;
	bool have;
	bool stale;
};

void s3_creds_clear(s3_creds *c)
{
	if (!c)
		return;
	char *fields[3] = {c->access_key, c->secret_key, c->session_token};
	for (int i = 0; i < 3; i++) {
		if (fields[i]) {
			OPENSSL_cleanse(fields[i], strlen(fields[i]));
			free(fields[i]);
		}
	}
	memset(c, 0, sizeof(*c));
}

static void creds_copy(s3_creds *dst, const s3_creds *src)
{
	dst->access_key = xstrdup(src->access_key);
	dst->secret_key = xstrdup(src->secret_key);
	dst->session_token = src->session_token ? xstrdup(src->session_token) : NULL;
	dst->expires = src->expires;
}

const char *creds_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static void log_msg(const creds_chain *c, const char *fmt, const char *arg)
{
	if (c->o->log)
		c->o->log(fmt, arg);
}

/* ---- the shared files ---- */

typedef struct {
	char **keys, **values;
	size_t n;
	bool found; /* the section exists */
} section;

static void section_free(section *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->keys[i]);
		if (s->values[i]) {
			OPENSSL_cleanse(s->values[i], strlen(s->values[i]));
			free(s->values[i]);
		}
	}
	free(s->keys);
	free(s->values);
	memset(s, 0, sizeof(*s));
}

static const char *section_get(const section *s, const char *key)
{
	for (size_t i = s->n; i-- > 0;)
		if (strcmp(s->keys[i], key) == 0)
			return s->values[i];
	return NULL;
}

static char *trim_dup(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return xstrndup(p, n);
}

static char *home_path(const char *env_name, const char *rel)
{
	const char *v = creds_env(env_name);
	if (v) {
		if (v[0] == '~' && v[1] == '/' && creds_env("HOME")) {
			rv_buf b;
			buf_init(&b, 0);
			buf_printf(&b, "%s%s", creds_env("HOME"), v + 1);
			return buf_detach(&b, NULL);
		}
		return xstrdup(v);
	}
	const char *home = creds_env("HOME");
	if (!home)
		return NULL;
	rv_buf b;
	buf_init(&b, 0);
	buf_printf(&b, "%s/%s", home, rel);
	return buf_detach(&b, NULL);
}

/* Reads section [name] (config: [profile name], or [default]) of an INI file. Lines that
 * start with blanks belong to a nested block ("s3 =\n  addressing_style = path") and are
 * skipped. A missing file is an empty one. */
static void read_section(const char *path, const char *name, bool config, section *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f)
		return;
	char line[4096];
	bool in = false;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == ';' ||
		    line[0] == '\0')
			continue;
		if (line[0] == '[') {
			char *close = strchr(line, ']');
			if (!close)
				continue;
			char *sec = trim_dup(line + 1, (size_t)(close - line - 1));
			const char *want = sec;
			bool match;
			if (config && strncmp(sec, "profile ", 8) == 0) {
				want = sec + 8;
				while (*want == ' ')
					want++;
				match = strcmp(want, name) == 0;
			} else {
				/* the config file names other profiles "[profile X]"; only
				 * [default] stands alone there */
				match = strcmp(sec, name) == 0 &&
					(!config || strcmp(name, "default") == 0);
			}
			free(sec);
			in = match;
			if (in)
				out->found = true;
			continue;
		}
		if (!in)
			continue;
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		out->keys = xrealloc(out->keys, (out->n + 1) * sizeof(char *));
		out->values = xrealloc(out->values, (out->n + 1) * sizeof(char *));
		out->keys[out->n] = trim_dup(line, (size_t)(eq - line));
		out->values[out->n] = trim_dup(eq + 1, strlen(eq + 1));
		out->n++;
	}
	OPENSSL_cleanse(line, sizeof(line));
	fclose(f);
}

const char *creds_profile_name(const char *explicit_profile)
{
	if (explicit_profile && *explicit_profile)
		return explicit_profile;
	const char *p = creds_env("AWS_PROFILE");
	return p ? p : "default";
}

char *creds_config_value(const char *explicit_profile, const char *key)
{
	char *path = home_path("AWS_CONFIG_FILE", ".aws/config");
	section s;
	read_section(path, creds_profile_name(explicit_profile), true, &s);
	const char *v = section_get(&s, key);
	char *r = v && *v ? xstrdup(v) : NULL;
	section_free(&s);
	free(path);
	return r;
}

/* ---- parsing answers ---- */

/* "2026-11-24T21:00:00Z" (fractions and +00:00 allowed) to a time_t; 0 when unreadable. */
static time_t parse_iso8601(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int y, mo, d, h, mi, sec;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return timegm(&tm);
}

/* Fills out from a JSON document with the given member names. */
/* Credentials from a parsed answer (AccessKeyId, SecretAccessKey, the
 * token under token_name, Expiration). */
static bool creds_from_tree(const cJSON *j, const char *token_name, s3_creds *out, char *err,
			    size_t errlen)
{
	const cJSON *ak = cJSON_GetObjectItemCaseSensitive(j, "AccessKeyId");
	const cJSON *sk = cJSON_GetObjectItemCaseSensitive(j, "SecretAccessKey");
	const cJSON *tk = cJSON_GetObjectItemCaseSensitive(j, token_name);
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(j, "Expiration");
	bool ok = cJSON_IsString(ak) && cJSON_IsString(sk) && *ak->valuestring && *sk->valuestring;
	if (ok) {
		out->access_key = xstrdup(ak->valuestring);
		out->secret_key = xstrdup(sk->valuestring);
		out->session_token =
			cJSON_IsString(tk) && *tk->valuestring ? xstrdup(tk->valuestring) : NULL;
		out->expires = cJSON_IsString(ex) ? parse_iso8601(ex->valuestring) : 0;
	} else {
		snprintf(err, errlen, "the answer has no AccessKeyId and SecretAccessKey");
	}
	return ok;
}

/* Frees a parsed answer, wiping the secret and the token first. */
static void delete_answer(cJSON *j, const char *token_name)
{
	const cJSON *sk = cJSON_GetObjectItemCaseSensitive(j, "SecretAccessKey");
	const cJSON *tk = cJSON_GetObjectItemCaseSensitive(j, token_name);
	if (cJSON_IsString(sk))
		OPENSSL_cleanse(sk->valuestring, strlen(sk->valuestring));
	if (cJSON_IsString(tk))
		OPENSSL_cleanse(tk->valuestring, strlen(tk->valuestring));
	cJSON_Delete(j);
}

static bool creds_from_json(const char *text, const char *token_name, s3_creds *out, char *err,
			    size_t errlen)
{
	cJSON *j = cJSON_Parse(text);
	if (!j) {
		snprintf(err, errlen, "the answer is not JSON");
		return false;
	}
	bool ok = creds_from_tree(j, token_name, out, err, errlen);
	delete_answer(j, token_name);
	return ok;
}

/* Reads f to its end into b (at most 1 MiB is kept), leaving no copy on the
 * stack: what it reads may be a secret. */
static void slurp(FILE *f, rv_buf *b)
{
	buf_init(b, 1u << 20);
	buf_puts(b, "");
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	OPENSSL_cleanse(chunk, sizeof(chunk));
}

/* ---- a small HTTP exchange for the credential services ---- */

typedef struct {
	long status;
	rv_buf body;
} answer;

/* Runs one request up to attempts times (network failures and 5xx are retried).
 * HTTP_OK means a response (any status) is in a. */
static http_result fetch(const http_opts *ho, int attempts, const char *method, const char *url,
			 const char *const *headers, size_t n_headers, const char *body, answer *a,
			 char *err, size_t errlen)
{
	buf_init(&a->body, 64u << 10);
	buf_puts(&a->body, "");
	a->status = 0;
	http_req rq = {.method = method,
		       .url = url,
		       .headers = headers,
		       .n_headers = n_headers,
		       .body = body,
		       .body_len = body ? strlen(body) : 0,
		       .cancellable = true,
		       .max_body = 64u << 10};
	http_result r = HTTP_NET;
	for (int i = 0; i < attempts; i++) {
		if (i > 0 && !http_sleep_ms(100L << (i - 1), ho->interrupted))
			return HTTP_CANCELLED;
		http_xfer *x;
		r = http_start(ho, &rq, &x, err, errlen);
		if (r == HTTP_OK) {
			a->status = http_status(x);
			buf_reset(&a->body);
			buf_append(&a->body, http_body(x)->data, http_body(x)->len);
			http_end(x);
			if (a->status < 500 || i + 1 == attempts)
				return HTTP_OK;
			continue;
		}
		if (r != HTTP_NET)
			return r;
	}
	return r;
}

static void answer_free(answer *a)
{
	if (a->body.data)
		OPENSSL_cleanse(a->body.data, a->body.len);
	buf_free(&a->body);
}

/* The metadata services' own timeout and attempts (AWS_METADATA_SERVICE_TIMEOUT, seconds,
 * default 1; AWS_METADATA_SERVICE_NUM_ATTEMPTS, default 1). */
static void metadata_settings(const creds_chain *c, http_opts *ho, int *attempts)
{
	*ho = *c->o->http;
	long t = 1;
	const char *v = creds_env("AWS_METADATA_SERVICE_TIMEOUT");
	if (v) {
		char *end;
		long x = strtol(v, &end, 10);
		if (*end == '\0' && x > 0 && x < 3600)
			t = x;
	}
	ho->connect_timeout_ms = t * 1000;
	ho->low_speed_time_s = t;
	*attempts = 1;
	v = creds_env("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
	if (v) {
		char *end;
		long x = strtol(v, &end, 10);
		if (*end == '\0' && x > 0 && x <= 10)
			*attempts = (int)x;
	}
}

/* ---- the sources ---- */

static found from_env(creds_chain *c, s3_creds *out, char *err, size_t errlen)
{
	if (c->o->profile && *c->o->profile)
		return ABSENT; /* an explicit --profile wins over the environment */
	const char *ak = creds_env("AWS_ACCESS_KEY_ID"), *sk = creds_env("AWS_SECRET_ACCESS_KEY");
	if (!ak && !sk)
		return ABSENT;
	if (!ak || !sk) {
		snprintf(err, errlen, "partial credentials in the environment: %s is not set",
			 ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
		return FAILED;
	}
	out->access_key = xstrdup(ak);
	out->secret_key = xstrdup(sk);
	const char *tk = creds_env("AWS_SESSION_TOKEN");
	if (!tk)
		tk = creds_env("AWS_SECURITY_TOKEN");
	out->session_token = tk ? xstrdup(tk) : NULL;
	out->expires = 0;
	return FOUND;
}

static found from_keys(const section *s, const char *what, s3_creds *out, char *err, size_t errlen)
{
	const char *ak = section_get(s, "aws_access_key_id");
	const char *sk = section_get(s, "aws_secret_access_key");
	if ((!ak || !*ak) && (!sk || !*sk))
		return ABSENT;
	if (!ak || !*ak || !sk || !*sk) {
		snprintf(err, errlen, "partial credentials in %s: %s is missing", what,
			 ak && *ak ? "aws_secret_access_key" : "aws_access_key_id");
		return FAILED;
	}
	out->access_key = xstrdup(ak);
	out->secret_key = xstrdup(sk);
	const char *tk = section_get(s, "aws_session_token");
	if (!tk || !*tk)
		tk = section_get(s, "aws_security_token");
	out->session_token = tk && *tk ? xstrdup(tk) : NULL;
	out->expires = 0;
	return FOUND;
}

static void form_param(rv_buf *b, const char *k, const char *v)
{
	if (b->len)
		buf_putc(b, '&');
	buf_puts(b, k);
	buf_putc(b, '=');
	sigv4_uri_encode(v, strlen(v), false, b);
}

static found from_web_identity(creds_chain *c, const section *conf, s3_creds *out, char *err,
			       size_t errlen)
{
	const char *token_file = creds_env("AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *role = creds_env("AWS_ROLE_ARN");
	if (!token_file || !role) {
		token_file = section_get(conf, "web_identity_token_file");
		role = section_get(conf, "role_arn");
		if (!token_file || !*token_file || !role || !*role)
			return ABSENT;
	}
	const char *session = creds_env("AWS_ROLE_SESSION_NAME");
	if (!session)
		session = section_get(conf, "role_session_name");
	char session_buf[64];
	if (!session || !*session) {
		snprintf(session_buf, sizeof(session_buf), "rvalid-%lld", (long long)time(NULL));
		session = session_buf;
	}
	/* read again at every refresh: Kubernetes rotates the token file */
	FILE *f = fopen(token_file, "r");
	if (!f) {
		snprintf(err, errlen, "web identity: cannot read the token file %s", token_file);
		return FAILED;
	}
	rv_buf tok;
	slurp(f, &tok);
	fclose(f);
	while (tok.len > 0 && (tok.data[tok.len - 1] == '\n' || tok.data[tok.len - 1] == '\r' ||
			       tok.data[tok.len - 1] == ' '))
		tok.data[--tok.len] = '\0';

	rv_buf url, body;
	buf_init(&url, 0);
	buf_init(&body, 0);
	const char *ep = creds_env("AWS_ENDPOINT_URL_STS");
	if (!ep)
		ep = creds_env("AWS_ENDPOINT_URL");
	if (ep) {
		buf_puts(&url, ep);
		if (url.len == 0 || url.data[url.len - 1] != '/')
			buf_putc(&url, '/');
	} else {
		buf_printf(&url, "https://sts.%s.amazonaws.com/", c->o->region);
	}
	form_param(&body, "Action", "AssumeRoleWithWebIdentity");
	form_param(&body, "Version", "2011-06-15");
	form_param(&body, "RoleArn", role);
	form_param(&body, "RoleSessionName", session);
	form_param(&body, "WebIdentityToken", tok.data);
	OPENSSL_cleanse(tok.data, tok.len);
	buf_free(&tok);
	const char *hdrs[] = {"Content-Type: application/x-www-form-urlencoded; charset=utf-8",
			      "Accept: application/xml"};
	answer a;
	char why[512];
	http_result r = fetch(c->o->http, c->o->retries + 1, "POST", url.data, hdrs, 2, body.data,
			      &a, why, sizeof(why));
	OPENSSL_cleanse(body.data, body.len);
	buf_free(&body);
	found res = FAILED;
	if (r != HTTP_OK) {
		snprintf(err, errlen, "web identity: STS at %s: %s", url.data, why);
		goto out;
	}
	rv_buf v;
	buf_init(&v, 0);
	if (a.status != 200) {
		rv_buf msg;
		buf_init(&msg, 0);
		s3_xml_text(a.body.data, a.body.len, "Code", &v);
		s3_xml_text(a.body.data, a.body.len, "Message", &msg);
		snprintf(err, errlen, "web identity: STS AssumeRoleWithWebIdentity: %ld %s%s%s",
			 a.status, v.len ? v.data : "error", msg.len ? ": " : "",
			 msg.len ? msg.data : "");
		buf_free(&msg);
		buf_free(&v);
		goto out;
	}
	const char *names[] = {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"};
	char *vals[4] = {NULL, NULL, NULL, NULL};
	for (int i = 0; i < 4; i++)
		if (s3_xml_text(a.body.data, a.body.len, names[i], &v) && v.len)
			vals[i] = xstrdup(v.data);
	if (v.data)
		OPENSSL_cleanse(v.data, v.len);
	buf_free(&v);
	if (vals[0] && vals[1]) {
		out->access_key = vals[0];
		out->secret_key = vals[1];
		out->session_token = vals[2];
		out->expires = parse_iso8601(vals[3]);
		free(vals[3]);
		res = FOUND;
	} else {
		s3_creds tmp = {vals[0], vals[1], vals[2], 0};
		s3_creds_clear(&tmp);
		free(vals[3]);
		snprintf(err, errlen, "web identity: the STS answer holds no credentials");
	}
out:
	answer_free(&a);
	buf_free(&url);
	return res;
}

static found from_process(const section *s, s3_creds *out, char *err, size_t errlen)
{
	const char *cmd = section_get(s, "credential_process");
	if (!cmd || !*cmd)
		return ABSENT;
	fflush(NULL);
	FILE *p = popen(cmd, "r");
	if (!p) {
		snprintf(err, errlen, "credential_process: cannot run it");
		return FAILED;
	}
	rv_buf b;
	slurp(p, &b);
	int st = pclose(p);
	found res = FAILED;
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (st != -1 && WIFEXITED(st))
			snprintf(err, errlen, "credential_process: exited with %d",
				 WEXITSTATUS(st));
		else
			snprintf(err, errlen, "credential_process: did not exit normally");
	} else {
		/* parsed once; the tree holds the secret until delete_answer */
		cJSON *j = cJSON_Parse(b.data);
		const cJSON *ver = j ? cJSON_GetObjectItemCaseSensitive(j, "Version") : NULL;
		bool v1 = cJSON_IsNumber(ver) && ver->valuedouble == 1;
		char why[256];
		if (!v1)
			snprintf(err, errlen,
				 "credential_process: the output is not JSON with "
				 "\"Version\": 1");
		else if (!creds_from_tree(j, "SessionToken", out, why, sizeof(why)))
			snprintf(err, errlen, "credential_process: %s", why);
		else
			res = FOUND;
		if (j)
			delete_answer(j, "SessionToken");
	}
	OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	return res;
}

/* Plain http is allowed only to the hosts the AWS SDKs allow for container credentials. */
static bool container_host_ok(const char *url)
{
	if (strncmp(url, "https://", 8) == 0)
		return true;
	if (strncmp(url, "http://", 7) != 0)
		return false;
	const char *h = url + 7;
	static const char *const OK[] = {"127.",          "localhost",      "[::1]",
					 "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"};
	for (size_t i = 0; i < sizeof(OK) / sizeof(OK[0]); i++) {
		size_t l = strlen(OK[i]);
		if (strncmp(h, OK[i], l) == 0 &&
		    (OK[i][l - 1] == '.' || h[l] == '\0' || h[l] == ':' || h[l] == '/'))
			return true;
	}
	return false;
}

static found from_container(creds_chain *c, s3_creds *out, char *err, size_t errlen)
{
	const char *rel = creds_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = creds_env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	if (!rel && !full)
		return ABSENT;
	rv_buf url;
	buf_init(&url, 0);
	if (rel)
		buf_printf(&url, "http://169.254.170.2%s", rel);
	else
		buf_puts(&url, full);
	found res = FAILED;
	rv_buf auth;
	buf_init(&auth, 0);
	answer a = {0, {0}};
	if (!rel && !container_host_ok(url.data)) {
		snprintf(err, errlen,
			 "container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, "
			 "or http to a loopback or the container agent's address");
		goto out;
	}
	const char *tok_file = creds_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = creds_env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	if (tok_file) {
		FILE *f = fopen(tok_file, "r");
		char line[8192];
		if (!f || !fgets(line, sizeof(line), f)) {
			if (f)
				fclose(f);
			snprintf(err, errlen, "container credentials: cannot read %s", tok_file);
			goto out;
		}
		fclose(f);
		line[strcspn(line, "\r\n")] = '\0';
		buf_printf(&auth, "Authorization: %s", line);
		OPENSSL_cleanse(line, sizeof(line));
	} else if (tok) {
		buf_printf(&auth, "Authorization: %s", tok);
	}
	http_opts ho;
	int attempts;
	metadata_settings(c, &ho, &attempts);
	const char *hdrs[] = {auth.data, "Accept: application/json"};
	char why[512];
	http_result r = fetch(&ho, attempts, "GET", url.data, auth.len ? hdrs : hdrs + 1,
			      auth.len ? 2 : 1, NULL, &a, why, sizeof(why));
	if (r != HTTP_OK) {
		snprintf(err, errlen, "container credentials: %s: %s", url.data, why);
		goto out;
	}
	if (a.status != 200) {
		snprintf(err, errlen, "container credentials: %s answered %ld", url.data, a.status);
		goto out;
	}
	if (!creds_from_json(a.body.data, "Token", out, why, sizeof(why))) {
		snprintf(err, errlen, "container credentials: %s", why);
		goto out;
	}
	res = FOUND;
out:
	if (auth.data)
		OPENSSL_cleanse(auth.data, auth.len);
	buf_free(&auth);
	answer_free(&a);
	buf_free(&url);
	return res;
}

static found from_imds(creds_chain *c, s3_creds *out, char *err, size_t errlen)
{
	const char *off = creds_env("AWS_EC2_METADATA_DISABLED");
	if (off && strcasecmp(off, "true") == 0)
		return ABSENT;
	const char *base = creds_env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	if (!base)
		base = "http://169.254.169.254";
	size_t bl = strlen(base);
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	http_opts ho;
	int attempts;
	metadata_settings(c, &ho, &attempts);
	rv_buf url, tokh, role;
	buf_init(&url, 0);
	buf_init(&tokh, 0);
	buf_init(&role, 0);
	answer a = {0, {0}};
	char why[512];
	found res = ABSENT;

	/* IMDSv2: a session token first */
	buf_printf(&url, "%.*s/latest/api/token", (int)bl, base);
	const char *ttl[] = {"X-aws-ec2-metadata-token-ttl-seconds: 21600"};
	http_result r = fetch(&ho, attempts, "PUT", url.data, ttl, 1, "", &a, why, sizeof(why));
	if (r != HTTP_OK) {
		log_msg(c, "instance metadata: %s", why);
		goto out;
	}
	if (a.status == 200) {
		buf_printf(&tokh, "X-aws-ec2-metadata-token: %s", a.body.data);
	} else if (a.status == 403 || a.status == 404 || a.status == 405) {
		/* an IMDSv1-only endpoint, unless v1 is refused */
		const char *v1off = creds_env("AWS_EC2_METADATA_V1_DISABLED");
		if (v1off && strcasecmp(v1off, "true") == 0)
			goto out;
	} else {
		goto out;
	}
	answer_free(&a);
	const char *th[] = {tokh.data, "Accept: */*"};
	size_t nth = tokh.len ? 1 : 0;
	buf_reset(&url);
	buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)bl, base);
	r = fetch(&ho, attempts, "GET", url.data, th, nth, NULL, &a, why, sizeof(why));
	if (r != HTTP_OK || a.status != 200 || a.body.len == 0)
		goto out; /* no role attached: nothing here */
	buf_append(&role, a.body.data, strcspn(a.body.data, "\r\n"));
	answer_free(&a);
	buf_reset(&url);
	buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)bl, base);
	sigv4_uri_encode(role.data, role.len, false, &url);
	r = fetch(&ho, attempts, "GET", url.data, th, nth, NULL, &a, why, sizeof(why));
	res = FAILED;
	if (r != HTTP_OK || a.status != 200) {
		if (r == HTTP_OK)
			snprintf(why, sizeof(why), "answered %ld", a.status);
		snprintf(err, errlen, "instance metadata: role %s: %s", role.data, why);
		goto out;
	}
	if (!creds_from_json(a.body.data, "Token", out, why, sizeof(why))) {
		snprintf(err, errlen, "instance metadata: %s", why);
		goto out;
	}
	res = FOUND;
out:
	answer_free(&a);
	if (tokh.data)
		OPENSSL_cleanse(tokh.data, tokh.len);
	buf_free(&tokh);
	buf_free(&role);
	buf_free(&url);
	return res;
}

/* ---- the chain ---- */

/* Asks one source; the shared files are read here so each ask sees them as they are now. */
static found ask(creds_chain *c, source s, s3_creds *out, char *err, size_t errlen)
{
	const char *name = creds_profile_name(c->o->profile);
	char *cpath = home_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
	char *fpath = home_path("AWS_CONFIG_FILE", ".aws/config");
	section cred, conf;
	read_section(cpath, name, false, &cred);
	read_section(fpath, name, true, &conf);
	found r = ABSENT;
	switch (s) {
	case SRC_ENV: r = from_env(c, out, err, errlen); break;
	case SRC_WEB_IDENTITY: r = from_web_identity(c, &conf, out, err, errlen); break;
	case SRC_CRED_FILE: r = from_keys(&cred, cpath, out, err, errlen); break;
	case SRC_PROCESS: {
		/* credential_process may sit in either file; the credentials file wins */
		const section *s2 = section_get(&cred, "credential_process") ? &cred : &conf;
		r = from_process(s2, out, err, errlen);
		break;
	}
	case SRC_CONFIG_FILE: r = from_keys(&conf, fpath, out, err, errlen); break;
	case SRC_CONTAINER: r = from_container(c, out, err, errlen); break;
	case SRC_IMDS: r = from_imds(c, out, err, errlen); break;
	case SRC_NONE: break;
	}
	section_free(&cred);
	section_free(&conf);
	free(cpath);
	free(fpath);
	return r;
}

/* An explicitly named profile must exist in one of the files. */
static bool profile_missing(const creds_chain *c, char *err, size_t errlen)
{
	const char *name = creds_profile_name(c->o->profile);
	if (strcmp(name, "default") == 0)
		return false;
	char *cpath = home_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
	char *fpath = home_path("AWS_CONFIG_FILE", ".aws/config");
	section cred, conf;
	read_section(cpath, name, false, &cred);
	read_section(fpath, name, true, &conf);
	bool missing = !cred.found && !conf.found;
	if (missing)
		snprintf(err, errlen, "the profile '%s' is in neither %s nor %s", name,
			 cpath ? cpath : "~/.aws/credentials", fpath ? fpath : "~/.aws/config");
	section_free(&cred);
	section_free(&conf);
	free(cpath);
	free(fpath);
	return missing;
}

static rv_status resolve(creds_chain *c, char *err, size_t errlen)
{
	if (profile_missing(c, err, errlen))
		return RV_IO;
	for (source s = SRC_ENV; s <= SRC_IMDS; s++) {
		s3_creds got = {0};
		found r = ask(c, s, &got, err, errlen);
		if (r == FAILED)
			return RV_IO;
		if (r == FOUND) {
			c->src = s;
			c->cur = got;
			c->have = true;
			log_msg(c, "credentials from %s", SOURCE_NAMES[s]);
			return RV_OK;
		}
	}
	snprintf(err, errlen,
		 "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
		 "use --profile, or run where container or instance credentials are available)");
	return RV_IO;
}

creds_chain *creds_new(const creds_opts *o)
{
	creds_chain *c = xcalloc(1, sizeof(*c));
	c->o = o;
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void creds_free(creds_chain *c)
{
	if (!c)
		return;
	s3_creds_clear(&c->cur);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

rv_status creds_get(creds_chain *c, s3_creds *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&c->mu);
	rv_status st = RV_OK;
	time_t now = time(NULL);
	if (!c->have) {
		st = resolve(c, err, errlen);
	} else if (c->stale || (c->cur.expires && now >= c->cur.expires - CREDS_REFRESH_S)) {
		s3_creds fresh = {0};
		char why[512];
		found r = ask(c, c->src, &fresh, why, sizeof(why));
		if (r == FOUND) {
			s3_creds_clear(&c->cur);
			c->cur = fresh;
			c->stale = false;
			log_msg(c, "credentials refreshed from %s", SOURCE_NAMES[c->src]);
		} else if (c->cur.expires && now >= c->cur.expires) {
			snprintf(err, errlen,
				 "the credentials from %s expired and could not be "
				 "refreshed: %s",
				 SOURCE_NAMES[c->src], r == ABSENT ? "the source is gone" : why);
			st = RV_IO;
		} else {
			/* still valid for a while: go on with them, try again next time */
			log_msg(c, "credentials not refreshed yet: %s", why);
		}
	}
	if (st == RV_OK)
		creds_copy(out, &c->cur);
	pthread_mutex_unlock(&c->mu);
	return st;
}

void creds_expire(creds_chain *c)
{
	pthread_mutex_lock(&c->mu);
	c->stale = true;
	pthread_mutex_unlock(&c->mu);
}
