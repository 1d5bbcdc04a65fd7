/* test_progress.c: the progress line's text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "progress.h"

static void test_known_size(void **state)
{
	(void)state;
	char line[160];
	/* a quarter of 400 MB in 10 s: 30 s to go */
	progress_format(line, sizeof(line), 1234567, 100000000, 400000000, 10.0);
	assert_string_equal(line, "  1,234,567 records  100.0MB  123.5k records/s  25%  ETA 0:30");
}

static void test_unknown_size(void **state)
{
	(void)state;
	char line[160];
	progress_format(line, sizeof(line), 999, 1500, -1, 2.0);
	assert_string_equal(line, "  999 records  1.5kB  500 records/s");
}

static void test_start_and_end(void **state)
{
	(void)state;
	char line[160];
	progress_format(line, sizeof(line), 0, 0, 1000, 0);
	assert_string_equal(line, "  0 records  0B  0 records/s  0%");
	progress_format(line, sizeof(line), 10, 2000, 1000, 4.0); /* more than the size: 100% */
	assert_string_equal(line, "  10 records  2.0kB  2 records/s  100%  ETA 0:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_size),
		cmocka_unit_test(test_unknown_size),
		cmocka_unit_test(test_start_and_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
