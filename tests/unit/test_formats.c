/* test_formats.c: unit tests for the str formats of SPEC 2.3 (formats.c): tables of valid and
 * invalid inputs per format, byte-class sweeps, and checks that no validator reads past n. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"

typedef bool (*format_fn)(const char *p, size_t n);

/* Runs f on a heap copy of exactly n bytes (no NUL, no slack), so an over-read is a heap
 * overflow under ASan rather than a silent look at the terminator. */
static bool run_exact(format_fn f, const char *s, size_t n)
{
	char *buf = malloc(n ? n : 1);
	assert_non_null(buf);
	if (n)
		memcpy(buf, s, n);
	bool r = f(buf, n);
	free(buf);
	return r;
}

static void expect_all(format_fn f, const char *name, const char *const *cases, size_t count,
		       bool want)
{
	for (size_t i = 0; i < count; i++) {
		if (run_exact(f, cases[i], strlen(cases[i])) != want)
			fail_msg("%s('%s') should be %s", name, cases[i],
				 want ? "valid" : "invalid");
	}
}

#define COUNT(a)	     (sizeof(a) / sizeof((a)[0]))
#define EXPECT_VALID(f, a)   expect_all(f, #f, a, COUNT(a), true)
#define EXPECT_INVALID(f, a) expect_all(f, #f, a, COUNT(a), false)

/* A label of len letters, for the 63/64 boundary. */
static void label(char *out, size_t len)
{
	memset(out, 'x', len);
	out[len] = '\0';
}

/* ---- email ---- */

static void test_email_valid(void **state)
{
	static const char *const ok[] = {
		"a@b",
		"a.b@c.d",
		"user@example.com",
		"first.last@sub.example.co.uk",
		"x+tag@example.org",
		"!#$%&'*+/=?^_`{|}~-@example.com",
		".leading@example.com", /* WHATWG allows dots anywhere in the local part */
		"trailing.@example.com",
		"two..dots@example.com",
		"a@b-c.d",
		"a@b--c.d",
		"a@1.2.3.4",
		"A@EXAMPLE.COM",
		"0@0",
		"a@x1-y2-z3.example",
		"a@b.c.d.e.f.g",
	};
	EXPECT_VALID(format_email, ok);

	char s[100];
	s[0] = 'a';
	s[1] = '@';
	label(s + 2, 63);
	assert_true(format_email(s, strlen(s)));
	memcpy(s + 2 + 63, ".com", 5);
	assert_true(format_email(s, strlen(s)));
}

static void test_email_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"@b.c",
		"a@",
		"a",
		"a@b..c",
		"a@.b",
		"a@b.",
		"a@-b.c",
		"a@b-.c",
		"a@b.c-",
		"a@b@c",
		"\"quoted\"@example.com", /* quoted local parts are not in WHATWG */
		"a b@c.d",
		"a@b c.d",
		"a@b_c.d",
		"(comment)a@b.c",
		"a@[1.2.3.4]",
		"caf\xc3\xa9@example.com", /* non-ASCII local part */
		"a@b\xc3\xbc.de",	   /* IDN must arrive as punycode */
		"a@b:25",
		"a\n@b",
	};
	EXPECT_INVALID(format_email, bad);

	char s[100];
	s[0] = 'a';
	s[1] = '@';
	label(s + 2, 64);
	assert_false(format_email(s, strlen(s)));
	memcpy(s + 2 + 64, ".com", 5);
	assert_false(format_email(s, strlen(s)));
}

/* The local part admits exactly atext plus '.'; a domain label exactly letters, digits and an
 * inner '-'. Sweeping every byte catches a wrong table entry that the lists above miss. */
static void test_email_byte_classes(void **state)
{
	static const char atext[] = ".!#$%&'*+/=?^_`{|}~-";
	for (int c = 1; c < 256; c++) {
		bool alnum =
			(c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		bool in_local = alnum || strchr(atext, c) != NULL;
		char s[8] = {'a', (char)c, '@', 'b'};
		if (format_email(s, 4) != in_local)
			fail_msg("byte 0x%02x in the local part: want %d", c, in_local);
		char d[8] = {'a', '@', 'b', (char)c, 'c'};
		bool in_label = alnum || c == '-' || c == '.';
		if (format_email(d, 5) != in_label)
			fail_msg("byte 0x%02x inside the domain: want %d", c, in_label);
		char e[8] = {'a', '@', 'b', (char)c};
		if (format_email(e, 4) != alnum)
			fail_msg("byte 0x%02x ending the domain: want %d", c, alnum);
	}
}

/* ---- uri ---- */

static void test_uri_valid(void **state)
{
	static const char *const ok[] = {
		"http://example.com/a?b#c",
		"urn:isbn:0451450523",
		"mailto:a@b.c",
		"file:///etc/passwd",
		"http://[::1]:80/",
		"https://user:pa%20ss@example.com:8443/p/a/t/h?q=1&r=2#frag",
		"ftp://ftp.is.co.za/rfc/rfc1808.txt",
		"ldap://[2001:db8::7]/c=GB?objectClass?one",
		"news:comp.infosystems.www.servers.unix",
		"tel:+1-816-555-1212",
		"telnet://192.0.2.16:80/",
		"urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
		"a:",
		"s+v-1.x:rest",
		"HTTP://EXAMPLE.COM/",
		"http://example.com",
		"http://example.com:/", /* port = *DIGIT may be empty */
		"http://a/%7Euser/%2f", /* percent-encoding, either case */
		"http://a/b?c/d?e#f/g?h",
		"http://[v1.fe80::a+en1]/", /* IPvFuture */
		"http://[::ffff:192.0.2.128]/",
		"foo://@host", /* empty userinfo */
		"foo://",      /* empty authority, empty path */
		"foo:/a//b",   /* path-absolute, with an empty segment later */
		"x:#",
		"x:?",
		"data:text/plain;base64,SGVsbG8=",
	};
	EXPECT_VALID(format_uri, ok);
}

static void test_uri_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"//a/b", /* relative references are not absolute URIs */
		"/a",
		"a",
		"example.com",
		"1http://a",
		"+a:b",
		":",
		":a",
		"ht tp://a",
		"http://a/%G1",
		"http://a/%1",
		"http://a/%1x",
		"http://a/%x1",
		"http://a/?%4",
		"http://a%2/",
		"http://a/%",
		"http://a b/",
		"http://a/b c",
		"http://a/b?c d",
		"http://a/b#c d",
		"http://a/b#c#d",
		"http://[::1/",
		"http://[::1]x/",
		"http://[1:2]/", /* not an IPv6 address */
		"http://[v.x]/",
		"http://[vG.x]/",
		"http://[v1.]/",
		"http://[fe80::1%25en0]/", /* zone ids (RFC 6874) are not RFC 3986 */
		"http://a:8x/",
		"http://a@b@c/",
		"http://a]/",
		"http://exa<mple.com/",
		"http://a/\"q\"",
		"http://a/b\\c",
		"http://a/{x}",
		"http://a/\xc3\xa9", /* an IRI, not a URI */
		"http://a/\x7f",
	};
	EXPECT_INVALID(format_uri, bad);
}

/* Every byte after "s:" (path), "s:?" (query), "s:#" (fragment) and "s://" (authority). */
static void test_uri_byte_classes(void **state)
{
	static const char unreserved_sub[] = "-._~!$&'()*+,;=";
	for (int c = 1; c < 256; c++) {
		bool alnum =
			(c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		bool reg = alnum || strchr(unreserved_sub, c) != NULL;
		bool pchar = reg || c == ':' || c == '@';
		char s[8] = {'s', ':', (char)c};
		bool want = pchar || c == '/' || c == '?' || c == '#';
		if (format_uri(s, 3) != want)
			fail_msg("'s:' + byte 0x%02x: want %d", c, want);
		char q[8] = {'s', ':', '?', (char)c};
		want = pchar || c == '/' || c == '?' || c == '#';
		if (format_uri(q, 4) != want)
			fail_msg("'s:?' + byte 0x%02x: want %d", c, want);
		char f[8] = {'s', ':', '#', (char)c};
		want = pchar || c == '/' || c == '?';
		if (format_uri(f, 4) != want)
			fail_msg("'s:#' + byte 0x%02x: want %d", c, want);
		/* After "//" a reg-name byte, ':' (empty port), '@' (empty userinfo), or a byte
		 * that ends the authority. */
		char a[8] = {'s', ':', '/', '/', (char)c};
		want = reg || c == ':' || c == '@' || c == '/' || c == '?' || c == '#';
		if (format_uri(a, 5) != want)
			fail_msg("'s://' + byte 0x%02x: want %d", c, want);
		/* In the scheme after its first letter: letters, digits, '+', '-', '.'. */
		char sc[8] = {'s', (char)c, ':'};
		want = alnum || c == '+' || c == '-' || c == '.' || c == ':'; /* "s::" */
		if (format_uri(sc, 3) != want)
			fail_msg("scheme byte 0x%02x: want %d", c, want);
	}
}

/* ---- uuid ---- */

static void test_uuid_valid(void **state)
{
	static const char *const ok[] = {
		"123e4567-e89b-12d3-a456-426614174000",
		"00000000-0000-0000-0000-000000000000",
		"ffffffff-ffff-ffff-ffff-ffffffffffff",
		"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
		"AbCdEf01-2345-6789-aBcD-eF0123456789",
		"6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"6BA7B811-9DAD-11D1-80B4-00C04FD430C8",
		"f47ac10b-58cc-4372-a567-0e02b2c3d479",
		"01890a5d-ac96-774b-bcce-b302099a8057",
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"12345678-9abc-def0-1234-56789abcdef0",
		"99999999-9999-9999-9999-999999999999",
		"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"0a0a0a0a-0a0a-0a0a-0a0a-0a0a0a0a0a0a",
		"ffffffff-0000-ffff-0000-ffffffffffff",
		/* any variant and version nibble: the format is the shape only */
		"00000000-0000-f000-0000-000000000000",
	};
	EXPECT_VALID(format_uuid, ok);
}

static void test_uuid_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"123e4567-e89b-12d3-a456-42661417400",
		"123e4567-e89b-12d3-a456-4266141740000",
		"123e4567e89b12d3a456426614174000",
		"{123e4567-e89b-12d3-a456-426614174000}",
		"123e4567-e89b-12d3-a456-42661417400g",
		"g23e4567-e89b-12d3-a456-426614174000",
		"123e4567-e89b-12d3-a456_426614174000",
		"123e4567+e89b-12d3-a456-426614174000",
		"123e456-7e89b-12d3-a456-426614174000",
		"123e4567-e89-b12d3-a456-426614174000",
		"123e4567-e89b-12d-3a456-426614174000",
		"123e4567-e89b-12d3-a4564-26614174000",
		" 23e4567-e89b-12d3-a456-426614174000",
		"123e4567-e89b-12d3-a456-42661417400 ",
		"urn:uuid:123e4567-e89b-12d3-a456-426614174000",
		"------------------------------------",
		"123e4567-e89b-12d3-a456-42661417400\xc3",
	};
	EXPECT_INVALID(format_uuid, bad);
}

/* Every byte at a hex position and at a dash position. */
static void test_uuid_byte_classes(void **state)
{
	char s[37];
	for (int c = 1; c < 256; c++) {
		bool hex =
			(c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
		for (size_t pos = 0; pos < 36; pos++) {
			memcpy(s, "00000000-0000-0000-0000-000000000000", 37);
			s[pos] = (char)c;
			bool dash = pos == 8 || pos == 13 || pos == 18 || pos == 23;
			bool want = dash ? c == '-' : hex;
			if (format_uuid(s, 36) != want)
				fail_msg("byte 0x%02x at %zu: want %d", c, pos, want);
		}
	}
}

/* ---- ipv4 ---- */

static void test_ipv4_valid(void **state)
{
	static const char *const ok[] = {
		"0.0.0.0",	"255.255.255.255", "1.1.1.1",	   "127.0.0.1",
		"192.168.0.1",	"10.0.0.255",	   "8.8.8.8",	   "100.64.0.0",
		"199.99.9.0",	"249.250.251.252", "1.22.233.254", "0.255.0.255",
		"172.16.254.1", "203.0.113.195",   "224.0.0.1",
	};
	EXPECT_VALID(format_ipv4, ok);
}

static void test_ipv4_invalid(void **state)
{
	static const char *const bad[] = {
		"",	    "256.1.1.1",  "1.1.1.256",	"01.1.1.1",   "1.1.1.01",
		"00.0.0.0", "1.1.1",	  "1.1.1.1.",	".1.1.1.1",   "1.1.1.1.1",
		"1..1.1",   "1.1.1.",	  "1000.1.1.1", "0001.1.1.1", "-1.1.1.1",
		"+1.1.1.1", "1.1.1.1 ",	  " 1.1.1.1",	"1.1.1.a",    "0x1.1.1.1",
		"1,1,1,1",  "4294967295", "1.1.1.1/24", "1.1.1.1:80", "999.999.999.999",
		"1.2.3.04",
	};
	EXPECT_INVALID(format_ipv4, bad);
}

/* Each octet position against every value 0..1099 written with 0-2 extra leading zeros. */
static void test_ipv4_every_octet(void **state)
{
	char oct[8], s[32];
	for (int pos = 0; pos < 4; pos++) {
		for (int v = 0; v < 1100; v++) {
			for (int zeros = 0; zeros < 3; zeros++) {
				int len = snprintf(oct, sizeof oct, "%.*s%d", zeros, "00", v);
				assert_true(len > 0 && (size_t)len < sizeof oct);
				const char *o[4] = {"1", "1", "1", "1"};
				o[pos] = oct;
				len = snprintf(s, sizeof s, "%s.%s.%s.%s", o[0], o[1], o[2], o[3]);
				assert_true(len > 0 && (size_t)len < sizeof s);
				bool want = zeros == 0 && v <= 255;
				if (run_exact(format_ipv4, s, (size_t)len) != want)
					fail_msg("'%s': want %d", s, want);
			}
		}
	}
}

/* ---- ipv6 ---- */

static void test_ipv6_valid(void **state)
{
	static const char *const ok[] = {
		"::",
		"::1",
		"1::",
		"2001:db8::8a2e:370:7334",
		"::ffff:192.0.2.128",
		"1:2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7::",
		"::2:3:4:5:6:7:8",
		"::1.2.3.4",
		"2001:0db8:0000:0000:0000:ff00:0042:8329",
		"2001:DB8:0:0:8:800:200C:417A",
		"FF01::101",
		"fe80::1",
		"1:2:3:4:5:6:1.2.3.4",
		"1::1.2.3.4",
		"1:2:3:4:5::1.2.3.4",
		"::255.255.255.255",
		"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", /* 45 bytes: the longest form */
		"0:0:0:0:0:0:0:0",
		"1:2::7:8",
		"000a::",
	};
	EXPECT_VALID(format_ipv6, ok);
}

static void test_ipv6_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		":",
		":::",
		"1:2:3:4:5:6:7:8:9",
		"1:2:3:4:5:6:7",
		"1::2::3",
		"::1::",
		"12345::",
		":1::",
		":12::",
		":ab:1:2:3:4:5:6",
		"1:",
		"1::2:",
		":1:2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7:8:",
		"1:2:3:4::5:6:7:8", /* "::" must stand for at least one group */
		"1:2:3:4:5:6:7:8::",
		"::g",
		"[::1]",
		"fe80::1%eth0",
		"1.2.3.4",
		"1:2:3:4:5:6:7:1.2.3.4",
		"1:2:3:4:5:6::1.2.3.4",
		"::1.2.3",
		"::1.2.3.256",
		"::01.2.3.4",
		"::1.2.3.4:1",
		"::1.2.3.4.",
		"1:2:3:4:5:1.2.3.4",
		":: ",
		" ::",
		"::ffff:0x1.2.3.4",
		"fffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
		"1:2:3:4:5:6:7:8.",
	};
	EXPECT_INVALID(format_ipv6, bad);
}

/* ---- hex ---- */

static void test_hex_valid(void **state)
{
	static const char *const ok[] = {
		"0",
		"9",
		"a",
		"f",
		"A",
		"F",
		"00",
		"ff",
		"DEADBEEF",
		"deadbeef",
		"DeadBeef",
		"0123456789abcdefABCDEF",
		"1",
		"abc",
		"0000000000000000000000000000000000000000000000000000000000000001",
	};
	EXPECT_VALID(format_hex, ok);
}

static void test_hex_invalid(void **state)
{
	static const char *const bad[] = {
		"",    "g",	"G", "0x1f", "1f ",	 " 1f",	  "-1",	 "+1",
		"1.0", "ab:cd", "z", "fg",   "\xc3\xa9", "12 34", "#ff", "ff\n",
	};
	EXPECT_INVALID(format_hex, bad);
}

static void test_hex_byte_classes(void **state)
{
	for (int c = 1; c < 256; c++) {
		bool hex =
			(c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
		char s[4] = {'a', (char)c, 'b'};
		if (format_hex(s, 3) != hex)
			fail_msg("byte 0x%02x: want %d", c, hex);
	}
}

/* ---- base64 ---- */

static void test_base64_valid(void **state)
{
	static const char *const ok[] = {
		"TWFu",
		"TWE=",
		"TQ==",
		"AAAA",
		"////",
		"++++",
		"a+/Z",
		"SGVsbG8=",
		"SGVsbG8h",
		"SGVsbA==",
		"0123456789+/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
		"TR==", /* non-zero leftover bits are accepted */
		"TWF=",
		"zz==",
		"QUJDREVGRw==",
	};
	EXPECT_VALID(format_base64, ok);
}

static void test_base64_invalid(void **state)
{
	static const char *const bad[] = {
		"",	    "TQ=",   "T===",	   "TW=u",     "====", "=AAA",
		"TWFu=",    "TWF",   "T",	   "TWFuTQ",   "TW-_", /* base64url alphabet is RFC
									  4648 section 5 */
		"TWFu\n",   "TW Fu", "TWFu TWFu",  "TQ==TWFu", /* padding only at the very end */
		"TWE=TWE=", "TQ=\n", "T\xc3\xa9=", "TWFu====",
	};
	EXPECT_INVALID(format_base64, bad);
}

static void test_base64_byte_classes(void **state)
{
	for (int c = 1; c < 256; c++) {
		bool want = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
			    (c >= 'a' && c <= 'z') || c == '+' || c == '/';
		char s[4] = {'A', (char)c, 'A', 'A'};
		if (format_base64(s, 4) != want)
			fail_msg("byte 0x%02x: want %d", c, want);
	}
}

/* ---- length discipline ---- */

/* s holds an input followed by one byte; f(s, n) must answer want, which differs from what
 * f(s, n + 1) answers — so a validator that looked at s[n] would be caught. */
static void prefix_case(format_fn f, const char *name, const char *s, size_t n, bool want)
{
	assert_int_equal(strlen(s), n + 1);
	if (f(s, n + 1) == want)
		fail_msg("%s: the whole of '%s' should be %s (bad test)", name, s,
			 want ? "invalid" : "valid");
	if (f(s, n) != want)
		fail_msg("%s('%.*s' of '%s') should be %s", name, (int)n, s, s,
			 want ? "valid" : "invalid");
	if (run_exact(f, s, n) != want)
		fail_msg("%s('%.*s', exact buffer) should be %s", name, (int)n, s,
			 want ? "valid" : "invalid");
}

#define PREFIX(f, s, want) prefix_case(f, #f, s, strlen(s) - 1, want)

static void test_respects_length(void **state)
{
	/* The byte at n would complete the input. */
	PREFIX(format_uuid, "123e4567-e89b-12d3-a456-426614174000", false);
	PREFIX(format_email, "a@b", false);
	PREFIX(format_uri, "http:", false);
	PREFIX(format_uri, "http://[::1]", false);
	PREFIX(format_uri, "http://a/%20", false);
	PREFIX(format_ipv4, "1.1.1.1", false);
	PREFIX(format_ipv6, "1::", false);
	PREFIX(format_ipv6, "::1.2.3.4", false);
	PREFIX(format_ipv6, "1:2:3:4:5:6:7:8", false);
	PREFIX(format_hex, "a", false);
	PREFIX(format_base64, "TQ==", false);
	PREFIX(format_base64, "TWE=", false);
	/* The byte at n would spoil the input. */
	PREFIX(format_uuid, "123e4567-e89b-12d3-a456-426614174000x", true);
	PREFIX(format_email, "a@b-", true);
	PREFIX(format_email, "a@b.", true);
	PREFIX(format_uri, "a:b ", true);
	PREFIX(format_uri, "http://a/%41%", true);
	PREFIX(format_ipv4, "1.1.1.256", true);
	PREFIX(format_ipv4, "1.1.1.1.", true);
	PREFIX(format_ipv6, "::1:", true);
	PREFIX(format_ipv6, "1:2:3:4:5:6:7:8:", true);
	PREFIX(format_ipv6, "::1.2.3.256", true);
	PREFIX(format_hex, "abg", true);
	PREFIX(format_base64, "TWFu=", true);

	/* Zero length with a valid byte behind it. */
	static const format_fn all[] = {format_email, format_uri, format_uuid,	format_ipv4,
					format_ipv6,  format_hex, format_base64};
	for (size_t i = 0; i < COUNT(all); i++) {
		assert_false(all[i]("a", 0));
		assert_false(run_exact(all[i], "", 0));
	}
}

/* Every validator on every prefix of a valid input in an exact-size buffer: ASan reports any
 * read past n, and a prefix must never be judged by the bytes that follow it. */
static void test_prefixes_in_exact_buffers(void **state)
{
	static const struct {
		format_fn f;
		const char *s;
	} inputs[] = {
		{format_email, "first.last@sub.example.co.uk"},
		{format_uri, "https://user:pa%20ss@[v1.x:y]:8443/p/a?q=1#frag%41"},
		{format_uri, "http://[2001:db8::1.2.3.4]:80/x"},
		{format_uuid, "123e4567-e89b-12d3-a456-426614174000"},
		{format_ipv4, "255.255.255.255"},
		{format_ipv6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"},
		{format_hex, "0123456789abcdef"},
		{format_base64, "QUJDREVGRw=="},
	};
	for (size_t k = 0; k < COUNT(inputs); k++) {
		size_t len = strlen(inputs[k].s);
		assert_true(inputs[k].f(inputs[k].s, len));
		for (size_t n = 0; n <= len; n++) {
			/* Whatever the answer, it must not depend on the bytes after n. */
			bool direct = inputs[k].f(inputs[k].s, n);
			if (run_exact(inputs[k].f, inputs[k].s, n) != direct)
				fail_msg("'%.*s' judged differently with bytes after it", (int)n,
					 inputs[k].s);
		}
	}
	/* Some proper prefixes are themselves valid, and must be judged so. */
	assert_true(run_exact(format_email, "first.last@sub.example.co.uk", 14));
	assert_true(run_exact(format_ipv4, "255.255.255.255", 14));
	assert_true(run_exact(format_hex, "0123456789abcdef", 1));
	assert_true(run_exact(format_base64, "QUJDREVGRw==", 8));
	assert_false(run_exact(format_base64, "QUJDREVGRw==", 11));
}

/* ---- dispatch ---- */

static void test_format_check(void **state)
{
	assert_true(format_check(STRFMT_NONE, "", 0));
	assert_true(format_check(STRFMT_NONE, "anything at all", 15));
	assert_true(format_check(STRFMT_EMAIL, "a@b", 3));
	assert_false(format_check(STRFMT_EMAIL, "a@", 2));
	assert_true(format_check(STRFMT_URI, "a:b", 3));
	assert_false(format_check(STRFMT_URI, "/a", 2));
	assert_true(format_check(STRFMT_UUID, "123e4567-e89b-12d3-a456-426614174000", 36));
	assert_false(format_check(STRFMT_UUID, "123e4567e89b12d3a456426614174000", 32));
	assert_true(format_check(STRFMT_IPV4, "1.2.3.4", 7));
	assert_false(format_check(STRFMT_IPV4, "::1", 3));
	assert_true(format_check(STRFMT_IPV6, "::1", 3));
	assert_false(format_check(STRFMT_IPV6, "1.2.3.4", 7));
	assert_true(format_check(STRFMT_HEX, "ab", 2));
	assert_false(format_check(STRFMT_HEX, "TWFu", 4));
	assert_true(format_check(STRFMT_BASE64, "TWFu", 4));
	assert_false(format_check(STRFMT_BASE64, "ab", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email_valid),
		cmocka_unit_test(test_email_invalid),
		cmocka_unit_test(test_email_byte_classes),
		cmocka_unit_test(test_uri_valid),
		cmocka_unit_test(test_uri_invalid),
		cmocka_unit_test(test_uri_byte_classes),
		cmocka_unit_test(test_uuid_valid),
		cmocka_unit_test(test_uuid_invalid),
		cmocka_unit_test(test_uuid_byte_classes),
		cmocka_unit_test(test_ipv4_valid),
		cmocka_unit_test(test_ipv4_invalid),
		cmocka_unit_test(test_ipv4_every_octet),
		cmocka_unit_test(test_ipv6_valid),
		cmocka_unit_test(test_ipv6_invalid),
		cmocka_unit_test(test_hex_valid),
		cmocka_unit_test(test_hex_invalid),
		cmocka_unit_test(test_hex_byte_classes),
		cmocka_unit_test(test_base64_valid),
		cmocka_unit_test(test_base64_invalid),
		cmocka_unit_test(test_base64_byte_classes),
		cmocka_unit_test(test_respects_length),
		cmocka_unit_test(test_prefixes_in_exact_buffers),
		cmocka_unit_test(test_format_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
