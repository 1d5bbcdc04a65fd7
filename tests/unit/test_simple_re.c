/* test_simple_re.c: the plain pattern matcher gives exactly PCRE2's answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "simple_re.h"

/* Patterns the fast path takes (including the benchmark's) ... */
static const char *const SIMPLE[] = {
	"^\\d{6}$", "^[\\w.+-]+@[\\w-]+\\.[\\w.-]+$", "[A-Z]{3}-\\d{4}", "T[0-9]{10}", "a?b*c+",
	"x{2,4}y{0,2}", "\\d+(?:x)?" /* not simple: must be refused below */, "[a-c]*", "",
	"\\s\\S", "[-a]+", "[a\\-z]{1,}", "\\.\\$", "ab$", "\\d{0}z", "[0-9a-fA-F]{8}", "q{3,}",
	"[_\\d]+@?", "\\w\\w?\\w?", "[1a]*a[1a]{6}" /* too many DFA states: bit-parallel */,
};
/* ... and patterns it must leave to PCRE2 */
static const char *const COMPLEX[] = {"a|b", "(ab)+", ".", "[^a]", "a+?", "a++", "\\bx",
                                      "é", "[[:alpha:]]", "a{2}{3}", "\\d{1,2}?"};

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static int pcre_match(pcre2_code *re, pcre2_match_data *md, const char *s, size_t n)
{
	return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
}

static void test_same_answers_as_pcre2(void **state)
{
	(void)state;
	/* cells from an alphabet that exercises every class in the patterns */
	static const char WIDE[] = "0123456789abcxyzABCTZ_.+-@$ \t\n\xC3\xA9";
	/* a narrow alphabet of the patterns' own characters, so many cells match */
	static const char NARROW[] = "01aAxyzT-.@q_";
	size_t checked = 0, compiled = 0, matched = 0;
	for (size_t k = 0; k < sizeof(SIMPLE) / sizeof(SIMPLE[0]); k++) {
		rv_simple_re fast;
		if (!simple_re_compile(SIMPLE[k], false, &fast))
			continue;
		compiled++;
		int code;
		PCRE2_SIZE off;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)SIMPLE[k], PCRE2_ZERO_TERMINATED,
		                               PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &code,
		                               &off, NULL);
		assert_non_null(re);
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
		for (int i = 0; i < 40000; i++) {
			char cell[64];
			bool narrow = i % 2;
			const char *alpha = narrow ? NARROW : WIDE;
			size_t an = narrow ? sizeof(NARROW) - 1 : sizeof(WIDE) - 1;
			/* now and then a long cell: runs of 16 bytes and more */
			size_t n = next_rand() % (i % 8 == 1 ? 60 : narrow ? 12 : 16);
			for (size_t j = 0; j < n; j++)
				cell[j] = alpha[next_rand() % an];
			/* the engine matches only valid UTF-8: keep the two-byte é whole */
			if (n && (unsigned char)cell[n - 1] == 0xC3)
				n--;
			bool valid = true;
			for (size_t j = 0; j < n; j++)
				if ((unsigned char)cell[j] == 0xA9 && (j == 0 || (unsigned char)cell[j - 1] != 0xC3))
					valid = false;
				else if ((unsigned char)cell[j] == 0xC3 && (j + 1 == n || (unsigned char)cell[j + 1] != 0xA9))
					valid = false;
			if (!valid)
				continue;
			bool want = pcre_match(re, md, cell, n);
			bool got = simple_re_match(&fast, cell, n);
			if (want != got)
				fail_msg("pattern '%s' on '%.*s': pcre2 %d, fast %d", SIMPLE[k], (int)n, cell,
				         want, got);
			checked++;
			matched += want;
		}
		pcre2_match_data_free(md);
		pcre2_code_free(re);
	}
	assert_true(compiled >= 15);
	assert_true(checked > 100000);
	assert_true(matched > 5000); /* both answers are exercised, not only "no" */
}

/* Runs of every length up to 70 bytes, ending at every place, and cells that
 * end on the last byte before a page that cannot be read. */
static void test_runs(void **state)
{
	(void)state;
	rv_simple_re re;
	assert_true(simple_re_compile("^[\\w.+-]+@[\\w-]+\\.[\\w.-]+$", false, &re));
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	char cell[160];
	for (size_t local = 1; local <= 70; local++) {
		for (size_t bad = 0; bad <= local; bad++) {
			/* local part, @, d.tld; with a space at `bad` (bad == local: none) */
			size_t n = 0;
			for (size_t k = 0; k < local; k++)
				cell[n++] = k == bad ? ' ' : "ab.+-_9Z"[k % 8];
			memcpy(cell + n, "@x-y.c0m", 8);
			n += 8;
			bool want = bad == local;
			if (simple_re_match(&re, cell, n) != want)
				fail_msg("'%.*s': %d", (int)n, cell, !want);
			/* the same cell against the unreadable page */
			char *at = map + page - n;
			memcpy(at, cell, n);
			if (simple_re_match(&re, at, n) != want)
				fail_msg("'%.*s' at a page end: %d", (int)n, cell, !want);
			/* and a run that is the whole cell, cut at the page end */
			if (simple_re_match(&re, at, local) != false)
				fail_msg("'%.*s' matched without '@'", (int)local, at);
		}
	}
	munmap(map, (size_t)page * 2);
}

static void test_known_answers(void **state)
{
	(void)state;
	rv_simple_re re;
	assert_true(simple_re_compile("^\\d{6}$", false, &re));
	assert_true(simple_re_match(&re, "123456", 6));
	assert_false(simple_re_match(&re, "12345", 5));
	assert_false(simple_re_match(&re, "1234567", 7));
	assert_false(simple_re_match(&re, "123456\n", 7));
	assert_true(simple_re_compile("^[\\w.+-]+@[\\w-]+\\.[\\w.-]+$", false, &re));
	assert_true(simple_re_match(&re, "john.smith@mail.example.co.uk", 29));
	assert_false(simple_re_match(&re, "john@host.", 10)); /* nothing after the dot */
	assert_false(simple_re_match(&re, "john@@host.com", 14));
	assert_false(simple_re_match(&re, "@host.com", 9));
	assert_true(re.n_states > 0); /* small: runs as a DFA */
	assert_true(simple_re_compile("[1a]*a[1a]{6}", false, &re));
	assert_int_equal(re.n_states, 0); /* 2^7 subsets: runs bit-parallel */
	assert_true(simple_re_match(&re, "a111111", 7));
	assert_true(simple_re_match(&re, "1a1a111a1", 9) == false);
	assert_true(simple_re_match(&re, "11a1a1a1a", 9));
	assert_true(simple_re_compile("", false, &re));
	assert_true(simple_re_match(&re, "", 0));
	assert_false(simple_re_match(&re, "a", 1));
}

static void test_refuses_what_it_cannot_decide(void **state)
{
	(void)state;
	rv_simple_re re;
	for (size_t k = 0; k < sizeof(COMPLEX) / sizeof(COMPLEX[0]); k++)
		if (simple_re_compile(COMPLEX[k], false, &re))
			fail_msg("'%s' should be left to PCRE2", COMPLEX[k]);
	assert_false(simple_re_compile("abc", true, &re)); /* caseless: PCRE2 folds Unicode */
	assert_false(simple_re_compile("\\d+(?:x)?", false, &re));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_answers_as_pcre2),
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_refuses_what_it_cannot_decide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
