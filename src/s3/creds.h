/* creds.h: AWS credentials and settings, found the way the AWS CLI finds them.
 *
 * The chain, first match wins (SPEC 6):
 *   1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); skipped
 *      when --profile names a profile, as the AWS CLI does;
 *   2. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME),
 *      or the profile's web_identity_token_file + role_arn, exchanged through STS
 *      AssumeRoleWithWebIdentity (endpoint: AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL,
 *      else https://sts.REGION.amazonaws.com; --endpoint-url is for S3 only);
 *   3. the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials):
 *      aws_access_key_id, aws_secret_access_key, aws_session_token of the profile;
 *   4. the profile's credential_process (run with /bin/sh; its JSON on standard output);
 *   5. the same keys in the config file (AWS_CONFIG_FILE, ~/.aws/config; "[profile NAME]");
 *   6. container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (169.254.170.2) or
 *      _FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE) (ECS, EKS, AWS Batch);
 *   7. EC2 instance metadata, IMDSv2: a session token first (PUT /latest/api/token), then
 *      the role's credentials (endpoint AWS_EC2_METADATA_SERVICE_ENDPOINT; off with
 *      AWS_EC2_METADATA_DISABLED=true).
 * The profile is --profile, else AWS_PROFILE, else "default". Credentials that expire are
 * refreshed from the same source once less than CREDS_REFRESH_S seconds are left.
 *
 * Secrets never leave this module but in s3_creds copies handed to the signer; no message
 * names one. Thread-safe: the cache is under a mutex. */
#ifndef RV_S3_CREDS_H
#define RV_S3_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "err.h"
#include "s3/http.h"

#define CREDS_REFRESH_S 300

typedef struct {
	char *access_key;
	char *secret_key;
	char *session_token; /* NULL without one */
	time_t expires;      /* 0: does not expire */
} s3_creds;

/* Wipes the secrets and frees. Accepts a zeroed struct. */
void s3_creds_clear(s3_creds *c);

typedef struct {
	const char *profile; /* --profile, or NULL */
	const char *region;  /* for STS's regional endpoint */
	const http_opts *http;
	/* retries for STS (the metadata services have their own settings) */
	int retries;
	/* verbose logging, or NULL */
	void (*log)(const char *fmt, ...);
} creds_opts;

typedef struct creds_chain creds_chain;

/* o and what it points to must outlive the chain. */
creds_chain *creds_new(const creds_opts *o);
void creds_free(creds_chain *c);

/* Copies the current credentials into *out (the caller clears them), resolving the chain
 * the first time and refreshing ones close to expiry. On failure returns RV_IO with the
 * reason in err ("no AWS credentials found ...", "credential_process: exited with 1"). */
rv_status creds_get(creds_chain *c, s3_creds *out, char *err, size_t errlen);

/* Marks the cached credentials stale (S3 said ExpiredToken): the next creds_get refreshes
 * them from their source. */
void creds_expire(creds_chain *c);

/* The profile name in effect: --profile, AWS_PROFILE, or "default". */
const char *creds_profile_name(const char *explicit_profile);
/* The environment variable name, or NULL when it is unset or empty (an
 * empty AWS variable counts as unset, as for the AWS CLI). */
const char *creds_env(const char *name);

/* A key of the profile in the config file (e.g. "region"), or NULL. Caller frees. */
char *creds_config_value(const char *explicit_profile, const char *key);

#endif
