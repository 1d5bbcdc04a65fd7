/* test_simd.c: every masks64 implementation gives the scalar loop's masks,
 * and masks64_n gives masks64's block by block. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "simd.h"

static void test_implementations_agree(void **state)
{
	(void)state;
	masks64_fn scalar = simd_impl("scalar");
	assert_non_null(scalar);
	assert_non_null(simd_impl("sse2")); /* the x86-64 baseline */
	static const char *const NAMES[] = {"sse2", "avx2", "avx512bw"};
	static const char ALPHA[] = ",\"\n\r\\#;\tab\x80\xff";
	uint64_t x = 0x9E3779B97F4A7C15ull;
	int tried = 0;
	for (size_t k = 0; k < sizeof(NAMES) / sizeof(NAMES[0]); k++) {
		masks64_fn f = simd_impl(NAMES[k]);
		if (!f)
			continue; /* this CPU lacks it */
		tried++;
		for (int it = 0; it < 20000; it++) {
			char block[64];
			for (int i = 0; i < 64; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				block[i] = ALPHA[x % (sizeof(ALPHA) - 1)];
			}
			char a = ALPHA[it % 4], b = '\n', c = ALPHA[(it / 4) % 7], c2 = ALPHA[(it / 28) % 5];
			rv_masks want, got;
			scalar(block, a, b, c, c2, &want);
			f(block, a, b, c, c2, &got);
			if (memcmp(&want, &got, sizeof(want)) != 0)
				fail_msg("%s differs from the scalar masks", NAMES[k]);
		}
	}
	assert_true(tried >= 1);
	/* masks64 itself uses the best one the CPU has */
	const char *level = simd_level();
	assert_non_null(simd_impl(level));
}

static void test_batch(void **state)
{
	(void)state;
	char buf[64 * 9 + 1];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = ",\"\nab\x80\xc3x"[(i * 7 + i / 5) % 8];
	rv_masks batch[8], one;
	/* from an odd address: the blocks need no alignment */
	masks64_n(buf + 1, 8, '"', '\n', ',', ',', batch);
	for (int k = 0; k < 8; k++) {
		masks64(buf + 1 + 64 * k, '"', '\n', ',', ',', &one);
		assert_memory_equal(&one, &batch[k], sizeof(one));
	}
	assert_true(batch[0].high != 0); /* the non-ASCII bytes are marked */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_implementations_agree),
		cmocka_unit_test(test_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
