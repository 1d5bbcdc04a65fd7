/* test_infer.c: unit tests for the sample profiler (infer.c): the choice of type, the
 * thresholds of enum, pattern and unique, bounds that read back exactly, missing cells,
 * records left out, and a unique set that grows past its first tables.
 *
 * Every sample is written into a fresh mkdtemp directory, removed at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	char dir[256];
	char path[300];
	infer_result *r;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/rvalid-infer-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/sample.csv", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	infer_free(f->r);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Writes text as the sample, profiles it with o (NULL: defaults), and keeps the result. */
static infer_result *profile(fixture *f, const char *text, const infer_opts *o)
{
	FILE *fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	infer_opts def;
	memset(&def, 0, sizeof(def));
	char err[256];
	infer_free(f->r);
	f->r = NULL;
	assert_int_equal(infer_profile(f->path, o ? o : &def, &f->r, err, sizeof(err)), RV_OK);
	return f->r;
}

/* A one-column sample: the header "v", then each value of vals on its own line. */
static infer_field *column(fixture *f, const char *const *vals, size_t n)
{
	size_t cap = 16;
	for (size_t i = 0; i < n; i++)
		cap += strlen(vals[i]) + 1;
	char *text = malloc(cap);
	size_t len = (size_t)snprintf(text, cap, "v\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s\n", vals[i]);
	infer_result *r = profile(f, text, NULL);
	free(text);
	assert_int_equal(r->n_fields, 1);
	return &r->fields[0];
}

#define COLUMN(f, ...)                                                                             \
	column(f, (const char *const[]){__VA_ARGS__},                                              \
	       sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void test_bool_needs_a_word(void **state)
{
	fixture *f = *state;
	infer_field *c = COLUMN(f, "0", "1", "1", "0");
	assert_int_equal(c->type, RV_INT);
	assert_string_equal(c->min, "0");
	assert_string_equal(c->max, "1");
	c = COLUMN(f, "true", "1", "FALSE", "0");
	assert_int_equal(c->type, RV_BOOL);
	assert_false(c->has_min);
	c = COLUMN(f, "yes", "no", "yes", "no", "yes");
	assert_int_equal(c->type, RV_STR);
	assert_int_equal(c->n_enum, 2);
}

static void test_numbers(void **state)
{
	fixture *f = *state;
	infer_field *c = COLUMN(f, "3", "-12", "40");
	assert_int_equal(c->type, RV_INT);
	assert_string_equal(c->min, "-12");
	assert_string_equal(c->max, "40");
	c = COLUMN(f, "3", "1.50", "-0.25");
	assert_int_equal(c->type, RV_DECIMAL);
	assert_string_equal(c->min, "-0.25");
	assert_string_equal(c->max, "3");
	c = COLUMN(f, "3", "1.5e2", ".5");
	assert_int_equal(c->type, RV_FLOAT);
	assert_string_equal(c->min, "0.5");
	assert_string_equal(c->max, "150");
	/* 0.1 + 0.2 is not 0.3: the bound is the very double seen */
	c = COLUMN(f, "0.30000000000000004", "1e0");
	assert_int_equal(c->type, RV_FLOAT);
	assert_string_equal(c->min, "0.30000000000000004");
	c = COLUMN(f, "9223372036854775807", "-9223372036854775808");
	assert_int_equal(c->type, RV_INT);
	assert_string_equal(c->max, "9223372036854775807");
	assert_string_equal(c->min, "-9223372036854775808");
	c = COLUMN(f, "9223372036854775808", "1");
	assert_int_equal(c->type, RV_DECIMAL);
}

static void test_temporal(void **state)
{
	fixture *f = *state;
	infer_field *c = COLUMN(f, "2024-02-29", "2023-01-05");
	assert_int_equal(c->type, RV_DATE);
	assert_string_equal(c->min, "2023-01-05");
	assert_string_equal(c->max, "2024-02-29");
	c = COLUMN(f, "2024-02-30", "2023-01-05");
	assert_int_equal(c->type, RV_STR);
	c = COLUMN(f, "2024-01-01 10:00", "2024-01-01T09:30:00.5+01:00");
	assert_int_equal(c->type, RV_DATETIME);
	assert_string_equal(c->min, "2024-01-01T08:30:00.5Z");
	assert_string_equal(c->max, "2024-01-01T10:00:00Z");
	c = COLUMN(f, "23:59", "00:00:01");
	assert_int_equal(c->type, RV_TIME);
	assert_string_equal(c->min, "00:00:01");
	assert_string_equal(c->max, "23:59:00");
}

static void test_leading_zeros_are_codes(void **state)
{
	fixture *f = *state;
	infer_field *c = COLUMN(f, "01234", "12345", "00007", "99999", "10000", "20000", "30000",
				"40000", "50000", "60000");
	assert_int_equal(c->type, RV_STR);
	assert_string_equal(c->pattern, "\\d{5}");
	assert_true(c->unique);
	assert_int_equal(c->max_length, -1);
	/* nine values: no pattern, the longest value instead */
	c = COLUMN(f, "01234", "12345", "00007", "99999", "10000", "20000", "30000", "40000",
		   "50000");
	assert_null(c->pattern);
	assert_false(c->unique);
	assert_int_equal(c->max_length, 5);
	/* 0 alone, and -0, are not leading zeros; -0 and 0 are one int */
	c = COLUMN(f, "0", "-0", "1", "2", "3", "4", "5", "6", "7", "8");
	assert_int_equal(c->type, RV_INT);
	assert_false(c->unique);
}

static void test_shapes(void **state)
{
	fixture *f = *state;
	infer_field *c = COLUMN(f, "AB-1 x'y", "CD-2 z'w", "EF-3 a'b", "GH-4 c'd", "IJ-5 e'f",
				"KL-6 g'h", "MN-7 i'j", "OP-8 k'l", "QR-9 m'n", "ST-0 o'p");
	assert_string_equal(c->pattern, "[A-Z]{2}-\\d [a-z]\\x27[a-z]");
	c = COLUMN(f, "a.b", "c.d", "e.f", "g.h", "i.j", "k.l", "m.n", "o.p", "q.r", "s.tt");
	assert_null(c->pattern);
	assert_int_equal(c->max_length, 4);
	c = COLUMN(f, "x(1)", "y(2)", "z(3)", "a(4)", "b(5)", "c(6)", "d(7)", "e(8)", "f(9)",
		   "g(0)");
	assert_string_equal(c->pattern, "[a-z]\\(\\d\\)");
}

static void test_enum_thresholds(void **state)
{
	fixture *f = *state;
	/* every value twice, fewer distinct values than half: an enum, most frequent first */
	infer_field *c = COLUMN(f, "b", "a", "b", "a", "c", "c", "b");
	assert_int_equal(c->n_enum, 3);
	assert_string_equal(c->enum_vals[0].text, "b");
	assert_string_equal(c->enum_vals[1].text, "a");
	assert_string_equal(c->enum_vals[2].text, "c");
	/* a value seen once: no enum */
	c = COLUMN(f, "b", "a", "b", "a", "c", "b", "a");
	assert_int_equal(c->n_enum, 0);
	assert_int_equal(c->max_length, 1);
	/* as many distinct values as half the values: no enum */
	c = COLUMN(f, "a", "a", "b", "b");
	assert_int_equal(c->n_enum, 0);
	char text[4096] = "v\n";
	size_t len = strlen(text);
	for (int rep = 0; rep < 3; rep++)
		for (int i = 0; i < 21; i++)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "w%02d\n", i);
	infer_result *r = profile(f, text, NULL);
	assert_int_equal(r->fields[0].n_enum, 0); /* 21 distinct values */
	assert_int_equal(r->fields[0].distinct, 21);
}

static void test_formats(void **state)
{
	fixture *f = *state;
	infer_field *c = COLUMN(f, "a@example.com", "b.c@example.org");
	assert_int_equal(c->format, STRFMT_EMAIL);
	assert_int_equal(c->max_length, 15);
	c = COLUMN(f, "10.0.0.1", "192.168.1.20");
	assert_int_equal(c->format, STRFMT_IPV4);
	assert_int_equal(c->max_length, -1);
	c = COLUMN(f, "https://example.com/a", "ftp://x.org");
	assert_int_equal(c->format, STRFMT_URI);
	c = COLUMN(f, "mailto:a@b.c", "https://example.com/a");
	assert_int_equal(c->format, STRFMT_NONE); /* a uri without :// is not proposed */
}

static void test_missing_and_nulls(void **state)
{
	fixture *f = *state;
	infer_field *c = COLUMN(f, "1", "\"\"", "2", "NA");
	assert_int_equal(c->type, RV_STR); /* NA is a value by default */
	assert_int_equal(c->missing, 1);
	assert_false(c->required);
	const char *nulls[] = {"NA"};
	infer_opts o = {0, false, nulls, 1};
	infer_result *r = profile(f, "v\n1\n2\nNA\n", &o);
	assert_int_equal(r->fields[0].type, RV_INT);
	assert_int_equal(r->fields[0].missing, 1);
	r = profile(f, "v\n1\n2\n", &o);
	assert_true(r->fields[0].required);
}

static void test_records_left_out(void **state)
{
	fixture *f = *state;
	infer_result *r = profile(f,
				  "\xEF\xBB\xBF"
				  "a,b\r\n1,x\r\n,\r\n2\r\n3,\"y\"z\r\n4,\xff\r\n5,w",
				  NULL);
	assert_string_equal(r->fields[0].name, "a"); /* the BOM is skipped */
	assert_int_equal(r->records, 3);	     /* 1,x and 4,<bad> and 5,w */
	assert_int_equal(r->skipped, 3);	     /* blank, ragged, text after a quote */
	assert_int_equal(r->bad_cells, 1);
	assert_int_equal(r->fields[0].present, 3);
	assert_string_equal(r->fields[0].max, "5");
	assert_int_equal(r->fields[1].present, 2);
	assert_true(r->fields[1].required);
}

static void test_header_names(void **state)
{
	fixture *f = *state;
	infer_result *r = profile(f, "a,,a,b\n1,2,3,4\n", NULL);
	assert_null(r->fields[0].skip_reason);
	assert_string_equal(r->fields[1].skip_reason, "has a blank name");
	assert_string_equal(r->fields[2].skip_reason, "repeats the name of column 1");
	assert_false(r->all_named);
	infer_opts o = {';', true, NULL, 0};
	r = profile(f, "1;2\n3;4\n", &o);
	assert_false(r->header);
	assert_string_equal(r->fields[1].name, "column_2");
	assert_int_equal(r->records, 2);
}

static void test_unique_grows(void **state)
{
	fixture *f = *state;
	size_t cap = 20000 * 12 + 16, len = 0;
	char *text = malloc(cap);
	len += (size_t)snprintf(text, cap, "id,k\n");
	for (int i = 0; i < 20000; i++)
		len += (size_t)snprintf(text + len, cap - len, "%d,k%d\n", i * 7 % 20000, i);
	infer_result *r = profile(f, text, NULL);
	assert_true(r->fields[0].unique);
	assert_false(r->fields[0].has_max); /* a key grows */
	assert_string_equal(r->fields[0].min, "0");
	assert_true(r->fields[1].unique);
	/* one repeat at the very end */
	len += (size_t)snprintf(text + len, cap - len, "0,k0\n");
	r = profile(f, text, NULL);
	free(text);
	assert_false(r->fields[0].unique);
	assert_string_equal(r->fields[0].max, "19999");
	assert_false(r->fields[1].unique);
}

static void test_empty_and_missing_samples(void **state)
{
	fixture *f = *state;
	FILE *fp = fopen(f->path, "w");
	fclose(fp);
	infer_opts o;
	memset(&o, 0, sizeof(o));
	char err[256];
	infer_result *r = NULL;
	assert_int_equal(infer_profile(f->path, &o, &r, err, sizeof(err)), RV_IO);
	assert_null(r);
	assert_non_null(strstr(err, "the sample is empty (no header)"));
	assert_int_equal(infer_profile("/no/such/sample.csv", &o, &r, err, sizeof(err)), RV_IO);
	assert_string_equal(err, "/no/such/sample.csv: No such file or directory");
	infer_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bool_needs_a_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temporal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leading_zeros_are_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_thresholds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_left_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_grows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_missing_samples, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
