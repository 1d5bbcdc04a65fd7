/* test_s3url.c: unit tests for s3/url.c (s3:// names, endpoints, request targets in
 * virtual-hosted and path style) and s3/xml.c (reading S3 and STS answers). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "s3/url.h"
#include "s3/xml.h"

#include <string.h>

static void test_parse(void **state)
{
	(void)state;
	s3_url u;
	char err[128];
	assert_true(
		s3_url_parse("s3://bucket/dir with space/é/../x.csv", true, &u, err, sizeof(err)));
	assert_string_equal(u.bucket, "bucket");
	assert_string_equal(u.key, "dir with space/é/../x.csv");
	s3_url_free(&u);
	assert_true(s3_url_parse("s3://bucket//lead", true, &u, err, sizeof(err)));
	assert_string_equal(u.key, "/lead"); /* keys are taken as written */
	s3_url_free(&u);
	assert_true(s3_url_parse("s3://bucket", false, &u, err, sizeof(err)));
	assert_string_equal(u.key, "");
	s3_url_free(&u);
	assert_false(s3_url_parse("s3://bucket/", true, &u, err, sizeof(err)));
	assert_string_equal(err, "no object key (use s3://BUCKET/KEY)");
	assert_false(s3_url_parse("s3:///key", true, &u, err, sizeof(err)));
	assert_string_equal(err, "no bucket name (use s3://BUCKET/KEY)");
	assert_false(s3_url_parse("s3://bu cket/k", true, &u, err, sizeof(err)));
	assert_false(s3_url_parse("http://b/k", true, &u, err, sizeof(err)));
	assert_true(s3_is_url("s3://b/k"));
	assert_false(s3_is_url("s3:/b/k"));
	assert_false(s3_is_url("./s3://b"));
}

static void test_endpoint(void **state)
{
	(void)state;
	s3_endpoint e;
	char err[128];
	assert_true(s3_endpoint_parse("http://127.0.0.1:9000", &e, err, sizeof(err)));
	assert_string_equal(e.scheme, "http");
	assert_string_equal(e.hostport, "127.0.0.1:9000");
	assert_string_equal(e.base, "");
	s3_endpoint_free(&e);
	assert_true(s3_endpoint_parse("https://Minio.Example.com/s3/", &e, err, sizeof(err)));
	assert_string_equal(e.scheme, "https");
	assert_string_equal(e.hostport, "minio.example.com");
	assert_string_equal(e.base, "/s3");
	s3_endpoint_free(&e);
	assert_false(s3_endpoint_parse("ftp://host", &e, err, sizeof(err)));
	assert_false(s3_endpoint_parse("http://", &e, err, sizeof(err)));
	assert_false(s3_endpoint_parse("http://user:pw@host", &e, err, sizeof(err)));
}

static void test_targets(void **state)
{
	(void)state;
	s3_target t;
	/* AWS, virtual-hosted by default */
	s3_target_make(NULL, false, "eu-west-1", "my-bucket", "a b/é.csv", &t);
	assert_string_equal(t.url.data,
			    "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/%C3%A9.csv");
	assert_string_equal(t.host.data, "my-bucket.s3.eu-west-1.amazonaws.com");
	assert_string_equal(t.path.data, "/a b/é.csv");
	s3_target_free(&t);
	/* --path-style */
	s3_target_make(NULL, true, "us-east-1", "my-bucket", "x/../y", &t);
	assert_string_equal(t.url.data, "https://s3.us-east-1.amazonaws.com/my-bucket/x/../y");
	assert_string_equal(t.host.data, "s3.us-east-1.amazonaws.com");
	assert_string_equal(t.path.data, "/my-bucket/x/../y");
	s3_target_free(&t);
	/* a bucket with dots cannot be a TLS host name label: path style */
	s3_target_make(NULL, false, "us-east-1", "my.dotted.bucket", "k", &t);
	assert_string_equal(t.url.data, "https://s3.us-east-1.amazonaws.com/my.dotted.bucket/k");
	s3_target_free(&t);
	/* a custom endpoint, with a base path */
	s3_endpoint e;
	char err[64];
	assert_true(s3_endpoint_parse("http://127.0.0.1:4566/base", &e, err, sizeof(err)));
	s3_target_make(&e, false, "us-east-1", "b", "k+1=2%.csv", &t);
	assert_string_equal(t.url.data, "http://127.0.0.1:4566/base/b/k%2B1%3D2%25.csv");
	assert_string_equal(t.host.data, "127.0.0.1:4566");
	assert_string_equal(t.path.data, "/base/b/k+1=2%.csv");
	s3_target_free(&t);
	s3_endpoint_free(&e);
	assert_true(s3_bucket_virtual_ok("abc-123"));
	assert_false(s3_bucket_virtual_ok("ab"));
	assert_false(s3_bucket_virtual_ok("Upper"));
	assert_false(s3_bucket_virtual_ok("-lead"));
}

static void test_xml(void **state)
{
	(void)state;
	const char *doc = "<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code>"
			  "<Message>Access &amp; &lt;denied&gt; &#233;&#x4E2D;</Message>"
			  "<Empty/><RequestId>R</RequestId></Error>";
	rv_buf b;
	buf_init(&b, 0);
	assert_true(s3_xml_text(doc, strlen(doc), "Code", &b));
	assert_string_equal(b.data, "AccessDenied");
	assert_true(s3_xml_text(doc, strlen(doc), "Message", &b));
	assert_string_equal(b.data, "Access & <denied> é中");
	assert_true(s3_xml_text(doc, strlen(doc), "Empty", &b));
	assert_string_equal(b.data, "");
	assert_false(s3_xml_text(doc, strlen(doc), "Region", &b));
	assert_false(s3_xml_text(doc, strlen(doc), "Cod", &b));
	const char *ns =
		"<s:Result xmlns:s=\"x\"><s:UploadId attr=\"1\">abc</s:UploadId></s:Result>";
	assert_true(s3_xml_text(ns, strlen(ns), "UploadId", &b));
	assert_string_equal(b.data, "abc");
	buf_reset(&b);
	s3_xml_escape("\"e1\" & <x>'", &b);
	assert_string_equal(b.data, "&quot;e1&quot; &amp; &lt;x&gt;&apos;");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_xml),
	};
	return cmocka_run_group_tests_name("s3url", tests, NULL, NULL);
}
