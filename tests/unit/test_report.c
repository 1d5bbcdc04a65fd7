/* test_report.c: unit tests for the JUnit and HTML writers (report/junit.c, report/html.c) and
 * their escaping (report/markup.c): every string that reaches a report (rule file, inputs,
 * field names, messages, values) may hold markup, quotes, control bytes and invalid UTF-8.
 *
 * The report is built by hand on a compiled graph, so each string can be made as hostile as
 * needed; the writers must turn it into well-formed UTF-8 with nothing a parser would read as
 * markup, and the counts must follow the report model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "report/markup.h"
#include "report/report.h"
#include "rules/ir.h"

/* ---- helpers ---- */

static char *escaped(const char *s, size_t n, int mode)
{
	rv_buf b;
	buf_init(&b, 0);
	if (mode == 0)
		xml_escape(&b, s, n, false);
	else if (mode == 1)
		xml_escape(&b, s, n, true);
	else
		html_escape(&b, s, n);
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

static void expect(const char *in, size_t n, int mode, const char *want)
{
	char *got = escaped(in, n, mode);
	if (strcmp(got, want) != 0)
		fail_msg("mode %d: got \"%s\", want \"%s\"", mode, got, want);
	free(got);
}

#define EXPECT(lit, mode, want) expect(lit, sizeof(lit) - 1, mode, want)

/* Strict UTF-8 with no character XML 1.0 forbids (nor a raw carriage return unless cr);
 * returns the offset of the first bad byte, or -1. */
static long bad_byte(const char *s, size_t n, bool cr)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
		                                                  : c >= 0xF0 && c <= 0xF4   ? 4
		                                                                             : 0;
		if (k == 0 || i + k > n)
			return (long)i;
		uint32_t cp = k == 1 ? c : c & (0xFF >> (k + 1));
		for (size_t j = 1; j < k; j++) {
			if ((u[i + j] & 0xC0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (u[i + j] & 0x3F);
		}
		static const uint32_t MIN[] = {0, 0, 0x80, 0x800, 0x10000};
		if (cp < MIN[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return (long)i;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7F && cp <= 0x9F) || (cp & 0xFFFE) == 0xFFFE || (cp == '\r' && !cr))
			return (long)i;
		i += k;
	}
	return -1;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

#define assert_has(hay, needle)                                                                  \
	do {                                                                                     \
		if (!strstr(hay, needle))                                                        \
			fail_msg("missing: %s", needle);                                         \
	} while (0)

#define assert_lacks(hay, needle)                                                                \
	do {                                                                                     \
		if (strstr(hay, needle))                                                         \
			fail_msg("should not be there: %s", needle);                             \
	} while (0)

/* ---- the escaping itself ---- */

static void test_markup_specials(void **state)
{
	(void)state;
	EXPECT("a&b<c>d\"e'f", 0, "a&amp;b&lt;c&gt;d\"e'f");
	EXPECT("a&b<c>d\"e'f", 1, "a&amp;b&lt;c&gt;d&quot;e&apos;f");
	EXPECT("a&b<c>d\"e'f", 2, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	EXPECT("]]>", 0, "]]&gt;");
	/* white space: kept in text, kept from attribute normalisation in attributes */
	EXPECT("a\tb\nc\rd", 0, "a\tb\nc&#13;d");
	EXPECT("a\tb\nc\rd", 1, "a&#9;b&#10;c&#13;d");
	EXPECT("a\tb\nc\rd", 2, "a\tb\nc\rd");
	EXPECT("", 0, "");
	EXPECT("plain text, 100% ASCII", 2, "plain text, 100% ASCII");
}

static void test_markup_forbidden(void **state)
{
	(void)state;
	/* C0 controls, NUL, DEL and C1 controls become U+FFFD in every mode */
	for (int mode = 0; mode < 3; mode++) {
		expect("a\0b", 3, mode, "a\xEF\xBF\xBD" "b");
		EXPECT("\x01\x08\x0B\x0C\x1F", mode,
		       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
		EXPECT("x\x7Fy", mode, "x\xEF\xBF\xBDy");
		EXPECT("\xC2\x80\xC2\x9F\xC2\xA0", mode, "\xEF\xBF\xBD\xEF\xBF\xBD\xC2\xA0");
		/* noncharacters */
		EXPECT("\xEF\xBF\xBE|\xEF\xBF\xBF|\xF0\x9F\xBF\xBF|\xEF\xB7\x90", mode,
		       "\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD");
	}
}

static void test_markup_utf8(void **state)
{
	(void)state;
	/* valid text is kept, up to U+10FFFF */
	EXPECT("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBD", 0,
	       "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBD");
	/* invalid bytes, one U+FFFD each: a lone continuation, 0xFF, overlong forms, surrogates,
	 * past U+10FFFF, a cut sequence at the end */
	EXPECT("a\x80z", 0, "a\xEF\xBF\xBDz");
	EXPECT("\xFF", 2, "\xEF\xBF\xBD");
	EXPECT("\xC0\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT("\xE0\x80\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT("\xED\xA0\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT("\xF4\x90\x80\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT("ok\xE2\x82", 0, "ok\xEF\xBF\xBD\xEF\xBF\xBD");
	/* an invalid byte does not swallow the markup after it */
	EXPECT("\xE2<b>", 2, "\xEF\xBF\xBD&lt;b&gt;");
}

static void test_markup_cut(void **state)
{
	(void)state;
	assert_int_equal(markup_cut("abcdef", 6, 3), 3);
	assert_int_equal(markup_cut("ab", 2, 3), 2);
	assert_int_equal(markup_cut("\xC3\xA9\xC3\xA9\xC3\xA9", 6, 2), 4);
	assert_int_equal(markup_cut("\xF0\x9F\x98\x80x", 5, 1), 4);
	assert_int_equal(markup_cut("\xFF\xFFx", 3, 2), 2);
	assert_int_equal(markup_cut("\xE2\x82", 2, 1), 1); /* a cut sequence: byte by byte */
}

/* ---- a hand-made report ---- */

static const char RULES[] = "version: 1\n"
                            "name: t\n"
                            "fields:\n"
                            "  age: {type: int, max: 120}\n"
                            "  note: {type: str, max_length: 3, severity: warn}\n"
                            "  id: {type: str, unique: true}\n"
                            "table:\n"
                            "  rows: {min: 5}\n";

/* What the hostile strings look like once escaped, in the two formats. */
static const char NASTY_VALUE[] = "<script>alert('x')</script> & \"q\" \x01\x7F\xFF "
                                  "\xED\xA0\x80 \xEF\xBF\xBE \xC3\xA9 \xF0\x9F\x98\x80";

typedef struct {
	rv_diags d;
	rv_ruleset *rs;
	rv_graph *g;
	rv_report r;
	bool enabled[64];
	rv_check_result checks[64];
	rv_table_result table[1];
	rv_fieldstat fields[8];
	rv_sample age_samples[2], note_samples[1], id_samples[1];
	const char *inputs[2];
} fixture;

static size_t check_at(const rv_graph *g, const char *id)
{
	for (size_t i = 0; i < g->n_checks; i++)
		if (strcmp(g->checks[i].id, id) == 0)
			return i;
	fail_msg("no check '%s'", id);
	return 0;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	diags_init(&f->d, "t.yaml");
	f->rs = rules_compile("t.yaml", RULES, strlen(RULES), SYNTAX_YAML, &f->d);
	f->g = f->rs ? graph_compile(f->rs, &f->d) : NULL;
	if (!f->g || f->g->n_checks > 64)
		return -1;
	rv_graph *g = f->g;
	rv_report *r = &f->r;
	r->g = g;
	r->rules_file = "rules<1>&\"'.yaml";
	f->inputs[0] = "in\x01put.csv";
	f->inputs[1] = "b\r\t.csv";
	r->inputs = f->inputs;
	r->n_inputs = 2;
	r->enabled = f->enabled;
	snprintf(r->started_at, sizeof(r->started_at), "2026-11-24T21:00:00Z");
	r->duration_s = 1.25;
	r->threads = 2;
	r->total = 10;
	r->valid = 7;
	r->invalid = 3;
	r->warned = 1;
	r->checks = f->checks;
	r->table = f->table;
	r->fields = f->fields;
	for (size_t i = 0; i < g->n_checks; i++) {
		f->enabled[i] = true;
		f->checks[i].passed = true;
		f->checks[i].counts = (rv_counts){10, 0, 0};
	}
	/* a field whose name is markup, and a message with quotes */
	((rv_field_ir *)&f->rs->fields[0])->name = "a<b&\"c'\x02";
	size_t age = check_at(g, "age.max"), note = check_at(g, "note.max_length");
	g->checks[age].message = "must be < 120 & \"ok\"";
	f->age_samples[0] = (rv_sample){0, 4, 5, NASTY_VALUE, sizeof(NASTY_VALUE) - 1, false, NULL};
	f->age_samples[1] = (rv_sample){1, 7, 9, "150", 3, true, "dup <of> row 1"};
	f->checks[age] = (rv_check_result){{10, 2, 1}, false, f->age_samples, 2};
	f->note_samples[0] = (rv_sample){0, 2, 3, "x\ry\tz\n", 6, false, NULL};
	f->checks[note] = (rv_check_result){{10, 1, 0}, false, f->note_samples, 1};
	/* a check that looked at nothing */
	size_t id_unique = check_at(g, "id.unique");
	f->checks[id_unique].counts = (rv_counts){0, 0, 10};
	/* a failed table check */
	size_t rows = check_at(g, "table.rows.min");
	f->table[0] = (rv_table_result){rows, false, "3", ">= 5 <&>", NULL};
	f->checks[rows] = (rv_check_result){{1, 1, 0}, false, NULL, 0};
	r->n_table = 1;
	r->passed = false;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	graph_free(f->g);
	rules_free(f->rs);
	diags_free(&f->d);
	free(f);
	return 0;
}

static char *junit(fixture *f)
{
	rv_buf b;
	buf_init(&b, 0);
	report_junit(&f->r, &b);
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

static char *html(fixture *f)
{
	rv_buf b;
	buf_init(&b, 0);
	report_html(&f->r, &b);
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

static void test_junit_escapes(void **state)
{
	fixture *f = *state;
	char *x = junit(f);
	long bad = bad_byte(x, strlen(x), false);
	if (bad >= 0)
		fail_msg("byte %ld is not allowed in XML: ...%.40s", bad,
		         x + (bad > 20 ? bad - 20 : 0));
	assert_true(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 50) ==
	            0);
	/* attributes: the suite name, properties, class names, messages */
	assert_has(x, "<testsuite name=\"rvalid: rules&lt;1&gt;&amp;&quot;&apos;.yaml\"");
	assert_has(x, "<property name=\"input\" value=\"in\xEF\xBF\xBDput.csv\"/>");
	assert_has(x, "<property name=\"input\" value=\"b&#13;&#9;.csv\"/>");
	assert_has(x, "classname=\"rvalid.a&lt;b&amp;&quot;c&apos;\xEF\xBF\xBD\" name=\"age.max\"");
	assert_has(x,
	           "<failure message=\"must be &lt; 120 &amp; &quot;ok&quot;\" type=\"age.max\">");
	/* text: the counts, then each sample with its input, row, line and value */
	assert_has(x, ">2 of 10 failed (ratio 0.2), 1 skipped: must be &lt; 120 &amp; \"ok\"\n");
	assert_has(x, "  in\xEF\xBF\xBDput.csv row 4 (line 5): "
	              "'&lt;script&gt;alert(\\'x\\')&lt;/script&gt; &amp; \"q\" "
	              "\\x01\\x7f\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
	              "\xEF\xBF\xBD \xC3\xA9 \xF0\x9F\x98\x80'\n");
	assert_has(x, "  b&#13;\t.csv row 7 (line 9): '150'... (truncated) "
	              "(dup &lt;of&gt; row 1)\n");
	assert_lacks(x, "<script");
	/* the table check fails with observed and expected */
	assert_has(x, "<testcase classname=\"rvalid.table\" name=\"table.rows.min\" time=\"0\">\n"
	              "      <failure message=\"");
	assert_has(x, ">observed 3, expected &gt;= 5 &lt;&amp;&gt;: ");
	free(x);
}

static void test_junit_counts(void **state)
{
	fixture *f = *state;
	size_t tests = 0;
	for (size_t i = 0; i < f->g->n_checks; i++)
		tests++;
	char want[160];
	/* failed: age.max and table.rows.min; the warning passes with system-out; id.unique looked
	 * at nothing and is skipped */
	snprintf(want, sizeof(want),
	         "tests=\"%zu\" failures=\"2\" errors=\"0\" skipped=\"1\" time=\"1.250\"", tests);
	char *x = junit(f);
	assert_int_equal(count(x, want), 2); /* testsuites and testsuite */
	assert_int_equal(count(x, "<testcase "), tests);
	assert_int_equal(count(x, "<failure "), 2);
	assert_has(x, "name=\"note.max_length\" time=\"0\">\n"
	              "      <system-out>warning: 1 of 10 failed");
	assert_has(x, "'x\\ry\\tz\\n'");
	assert_has(x, "name=\"id.unique\" time=\"0\">\n      <skipped message=\"nothing to check: "
	              "0 evaluated, 10 skipped\"/>");
	free(x);

	/* --fail-on warn: the warning fails too */
	f->r.fail_on_warn = true;
	snprintf(want, sizeof(want), "tests=\"%zu\" failures=\"3\" errors=\"0\" skipped=\"1\"",
	         tests);
	x = junit(f);
	assert_int_equal(count(x, want), 2);
	assert_has(x, "<failure message=\"note must be at most 3 characters long\" "
	              "type=\"note.max_length\">1 of 10 failed");
	assert_has(x, "<property name=\"fail_on\" value=\"warn\"/>");
	free(x);

	/* a check --skip left out is not a testcase */
	f->r.fail_on_warn = false;
	f->enabled[check_at(f->g, "age.max")] = false;
	x = junit(f);
	assert_lacks(x, "name=\"age.max\"");
	assert_int_equal(count(x, "<testcase "), tests - 1);
	free(x);
}

static void test_html_escapes(void **state)
{
	fixture *f = *state;
	char *h = html(f);
	long bad = bad_byte(h, strlen(h), true); /* HTML keeps carriage returns as they are */
	if (bad >= 0)
		fail_msg("a byte HTML cannot carry: ...%.40s", h + (bad > 20 ? bad - 20 : 0));
	assert_true(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">", 31) == 0);
	/* one script, ours; the value's markup is text */
	assert_int_equal(count(h, "<script"), 1);
	assert_has(h, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; "
	              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
	              "\xEF\xBF\xBD \xC3\xA9 \xF0\x9F\x98\x80");
	assert_has(h, "<title>FAILED \xC2\xB7 rules&lt;1&gt;&amp;&quot;&#39;.yaml \xC2\xB7 "
	              "rvalid</title>");
	assert_has(h, "<option value=\"0\">a&lt;b&amp;&quot;c&#39;\xEF\xBF\xBD</option>");
	assert_has(h, "must be &lt; 120 &amp; &quot;ok&quot;");
	assert_has(h, "dup &lt;of&gt; row 1");
	assert_has(h, "in\xEF\xBF\xBDput.csv");
	assert_has(h, "&gt;= 5 &lt;&amp;&gt;");
	/* the samples with their rows and lines, the cut value marked */
	assert_has(h, "<td class=\"n r\">7</td><td class=\"n l\">9</td><td class=\"v\">150<span");
	/* no network: nothing fetched, nothing linked outside the page */
	assert_lacks(h, "http://");
	assert_lacks(h, "https://");
	assert_lacks(h, " src=");
	assert_lacks(h, "url(");
	assert_lacks(h, "@import");
	/* only the page's own style and script may run (make check-browser proves the hashes) */
	assert_has(h, "content=\"default-src 'none'; style-src 'sha256-");
	assert_has(h, "; script-src 'sha256-");
	assert_lacks(h, "unsafe-inline");
	/* no inline event handler (the policy would block it) */
	for (const char *p = h; (p = strstr(p, " on")) != NULL; p += 3) {
		size_t k = strspn(p + 3, "abcdefghijklmnopqrstuvwxyz");
		if (k && p[3 + k] == '=')
			fail_msg("an event handler: %.30s", p);
	}
	/* the verdict first, with the id the browser check looks for */
	assert_true(strstr(h, "id=\"verdict\"") < strstr(h, "<main"));
	assert_has(h, "<h1>FAILED<small>3 of 10 records invalid</small></h1>");
	free(h);
}

static void test_html_lists(void **state)
{
	fixture *f = *state;
	char *h = html(f);
	/* the failing error first, then the warning; a card each, anchored from the chart */
	const char *age = strstr(h, "<article class=\"card it\" id=\"c");
	const char *note = strstr(h, "<article class=\"card it w\"");
	assert_non_null(age);
	assert_non_null(note);
	assert_true(age < note);
	assert_int_equal(count(h, "<article "), 2);
	assert_int_equal(count(h, "<rect class=\"b\""), 1);
	assert_int_equal(count(h, "<rect class=\"w\""), 1);
	assert_has(h, "2 of 10 failed (20%), 1 skipped");
	assert_has(h, "<span class=\"tag w\">warning</span>");
	/* every other check in the passing list, the table check in its section */
	size_t listed = count(h, "<tr class=it");
	assert_int_equal(listed, f->g->n_checks - 1 - 2);
	assert_has(h, "<section id=\"table\">");
	free(h);

	/* a passing run */
	f->r.passed = true;
	f->r.invalid = 0;
	f->r.valid = 10;
	h = html(f);
	assert_has(h, "<header id=\"verdict\" class=\"pass\">");
	assert_has(h, "<h1>PASSED<small>10 records, all valid</small></h1>");
	free(h);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_specials),
		cmocka_unit_test(test_markup_forbidden),
		cmocka_unit_test(test_markup_utf8),
		cmocka_unit_test(test_markup_cut),
		T(test_junit_escapes),
		T(test_junit_counts),
		T(test_html_escapes),
		T(test_html_lists),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
