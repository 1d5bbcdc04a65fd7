/* test_uniq.c: unit tests for the key sets (keyset.c) and for uniqueness under a memory budget
 * (uniq.c): exact membership with tags, the budget never exceeded, and spilled decisions equal
 * to the in-memory ones, through one level of partitions and through recursive splits; and the
 * spill files under them (io/spillfile.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/spillfile.h"
#include "keyset.h"
#include "uniq.h"

/* ---- keyset ---- */

static void test_keyset_tags(void **state)
{
	(void)state;
	rv_keyset *s = keyset_new(true);
	char key[32];
	enum { N = 100000 };
	for (uint64_t i = 0; i < N; i++) {
		int n = snprintf(key, sizeof(key), "k%llu", (unsigned long long)i);
		assert_int_equal(keyset_add(s, key, (size_t)n, i * 3, SIZE_MAX, NULL), KS_ADDED);
	}
	assert_int_equal(keyset_count(s), N);
	for (uint64_t i = 0; i < N; i += 7) {
		int n = snprintf(key, sizeof(key), "k%llu", (unsigned long long)i);
		uint64_t first = 0;
		assert_int_equal(keyset_add(s, key, (size_t)n, 1, SIZE_MAX, &first), KS_FOUND);
		assert_int_equal(first, i * 3);
		assert_true(keyset_contains(s, key, (size_t)n));
	}
	assert_false(keyset_contains(s, "k", 1));
	assert_false(keyset_contains(s, "k100000", 7));
	/* compact: a key of 6 bytes and an 8-byte tag take 16 bytes and a slot of 8 in a table
	 * between 3/8 and 3/4 full */
	double per_key = (double)keyset_bytes(s) / (double)keyset_count(s);
	print_message("%.1f bytes per key\n", per_key);
	assert_true(per_key < 45);
	keyset_free(s);
	keyset_free(NULL);
}

static void test_keyset_odd_keys(void **state)
{
	(void)state;
	rv_keyset *s = keyset_new(false);
	assert_true(keyset_insert(s, "", 0));
	assert_false(keyset_insert(s, "", 0));
	assert_true(keyset_contains(s, "", 0));
	assert_true(keyset_insert(s, "a\0b", 3));
	assert_false(keyset_contains(s, "a", 1));
	/* a key larger than a block, and one with a long length prefix */
	size_t big = (size_t)5 << 20;
	char *p = calloc(1, big);
	p[big - 1] = 'x';
	assert_true(keyset_insert(s, p, big));
	assert_false(keyset_insert(s, p, big));
	assert_true(keyset_insert(s, p, 200));
	assert_true(keyset_contains(s, p, 200));
	assert_true(keyset_insert(s, "after", 5));
	assert_true(keyset_contains(s, p, big));
	assert_int_equal(keyset_count(s), 5);
	free(p);
	keyset_free(s);
}

static void test_keyset_budget(void **state)
{
	(void)state;
	rv_keyset *s = keyset_new(true);
	/* no room: a new key is refused and the set is unchanged */
	size_t before = keyset_bytes(s);
	assert_int_equal(keyset_add(s, "a", 1, 0, 0, NULL), KS_FULL);
	assert_int_equal(keyset_count(s), 0);
	assert_int_equal(keyset_bytes(s), before);
	/* fill up to a budget: never over it */
	size_t budget = 64 * 1024, n = 0;
	char key[32];
	for (;; n++) {
		int k = snprintf(key, sizeof(key), "%zu", n * 7919);
		size_t used = keyset_bytes(s);
		rv_ks_result r = keyset_add(s, key, (size_t)k, n, budget - used, NULL);
		assert_true(keyset_bytes(s) <= budget);
		if (r == KS_FULL)
			break;
		assert_int_equal(r, KS_ADDED);
	}
	assert_true(n > 1000);
	/* a key that is there is found however full the set is */
	uint64_t first;
	assert_int_equal(keyset_add(s, "0", 1, 99, 0, &first), KS_FOUND);
	assert_int_equal(first, 0);
	keyset_free(s);
}

/* ---- spill files ---- */

static void test_spillfile(void **state)
{
	(void)state;
	char err[256];
	rv_spillfile *f = spillfile_new(16, err, sizeof(err)); /* a tiny buffer: many flushes */
	assert_non_null(f);
	for (uint32_t i = 0; i < 1000; i++)
		assert_true(spillfile_write(f, &i, sizeof(i)));
	assert_true(spillfile_write(f, "xyz", 3));
	assert_int_equal(spillfile_size(f), 4003);
	assert_true(spillfile_rewind(f));
	assert_false(spillfile_write(f, "a", 1)); /* reading now */
	for (uint32_t i = 0; i < 1000; i++) {
		uint32_t v;
		assert_true(spillfile_read(f, &v, sizeof(v)));
		assert_int_equal(v, i);
	}
	uint32_t v;
	assert_false(spillfile_read(f, &v, sizeof(v))); /* 3 bytes left: cut short */
	assert_true(spillfile_error(f, err, sizeof(err)));
	assert_string_equal(err, "a temporary file was cut short");
	spillfile_free(f);
	/* at the end exactly: no error */
	f = spillfile_new(0, err, sizeof(err));
	assert_true(spillfile_rewind(f));
	assert_false(spillfile_read(f, &v, 1));
	assert_false(spillfile_error(f, err, sizeof(err)));
	spillfile_free(f);
	spillfile_free(NULL);
	/* a folder that cannot take it */
	setenv("TMPDIR", "/nonexistent/rvalid", 1);
	assert_null(spillfile_new(0, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/rvalid: cannot create a temporary file: No such file or directory");
	unsetenv("TMPDIR");
}

/* ---- uniq ---- */

enum { SLOTS = 3 };

typedef struct {
	uint32_t slot;
	char key[24];
	size_t n;
} occurrence;

/* Occurrences in input order: slot 0 a unique check on keys that repeat a lot, slot 1 a
 * distinct count, slot 2 a unique check on keys that rarely repeat. */
static occurrence *make_occurrences(size_t records, size_t *count)
{
	occurrence *o = calloc(records * SLOTS, sizeof(*o));
	uint64_t s = 12345;
	size_t n = 0;
	for (size_t i = 0; i < records; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t r = s >> 20;
		o[n].slot = 0;
		o[n].n = (size_t)snprintf(o[n].key, sizeof(o[n].key), "u%llu", (unsigned long long)(r % (records / 3 + 1)));
		n++;
		o[n].slot = 1;
		o[n].n = (size_t)snprintf(o[n].key, sizeof(o[n].key), "d%llu", (unsigned long long)(r % 5000));
		n++;
		if (i % 5) {
			o[n].slot = 2;
			o[n].n = (size_t)snprintf(o[n].key, sizeof(o[n].key), "%llu", (unsigned long long)(r % (records * 4)));
			n++;
		}
	}
	*count = n;
	return o;
}

/* Decides every occurrence; out[i] is UINT64_MAX for a first occurrence, else the first
 * occurrence's sequence number (the record index). Returns whether anything spilled. */
static bool run(const occurrence *o, size_t n, uint64_t budget, uint64_t *out, uint64_t distinct[SLOTS])
{
	const bool answers[SLOTS] = {true, false, true};
	rv_uniq *u = uniq_new(SLOTS, answers, budget);
	size_t initial = uniq_memory(u); /* the empty sets */
	unsigned *parts = calloc(n, sizeof(unsigned));
	bool *spilled = calloc(n, sizeof(bool));
	size_t rec = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && o[i].slot == 0)
			rec++;
		uint64_t first = 0;
		unsigned part = 0;
		uint64_t h = key_hash(o[i].key, o[i].n);
		if (i + 4 < n)
			uniq_prefetch(u, o[i + 4].slot, key_hash(o[i + 4].key, o[i + 4].n), i & 1);
		rv_uq_result r = uniq_decide(u, o[i].slot, o[i].key, o[i].n, h, &first, &part, rec);
		assert_int_not_equal(r, UQ_ERROR);
		assert_true(uniq_memory(u) <= (budget > initial ? budget : initial));
		out[i] = r == UQ_DUP ? first : UINT64_MAX;
		if (r == UQ_SPILLED) {
			spilled[i] = true;
			parts[i] = part;
			assert_true(part < UQ_PARTS);
		}
	}
	char err[256];
	assert_int_equal(uniq_resolve(u, err, sizeof(err)), RV_OK);
	for (size_t i = 0; i < n; i++) {
		if (!spilled[i] || !answers[o[i].slot])
			continue;
		uint64_t first;
		out[i] = uniq_answer(u, parts[i], &first) ? first : UINT64_MAX;
	}
	if (uniq_status(u, err, sizeof(err)) != RV_OK)
		fail_msg("%s", err);
	for (int s = 0; s < SLOTS; s++)
		distinct[s] = uniq_distinct(u, (size_t)s);
	bool any = uniq_spilled(u);
	uniq_free(u);
	free(parts);
	free(spilled);
	return any;
}

static void check_budget(uint64_t budget, size_t records)
{
	size_t n;
	occurrence *o = make_occurrences(records, &n);
	uint64_t *want = calloc(n, sizeof(uint64_t)), *got = calloc(n, sizeof(uint64_t));
	uint64_t dw[SLOTS], dg[SLOTS];
	assert_false(run(o, n, (uint64_t)1 << 30, want, dw));
	assert_true(run(o, n, budget, got, dg));
	for (size_t i = 0; i < n; i++) {
		if (o[i].slot == 1)
			continue; /* a distinct count has no per-occurrence answers */
		if (want[i] != got[i])
			fail_msg("occurrence %zu (slot %u, key %s): %llu in memory, %llu spilled", i, o[i].slot,
			         o[i].key, (unsigned long long)want[i], (unsigned long long)got[i]);
	}
	for (int s = 0; s < SLOTS; s++)
		assert_int_equal(dw[s], dg[s]);
	free(want);
	free(got);
	free(o);
}

static void test_spill_one_level(void **state)
{
	(void)state;
	check_budget(256 * 1024, 30000); /* spills, and every partition fits */
}

static void test_spill_recursive(void **state)
{
	(void)state;
	check_budget(16 * 1024, 60000); /* partitions that do not fit: split 16 ways, answers woven back */
}

static void test_spill_nothing_in_memory(void **state)
{
	(void)state;
	check_budget(0, 3000); /* every key goes to disk */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyset_tags),
		cmocka_unit_test(test_keyset_odd_keys),
		cmocka_unit_test(test_keyset_budget),
		cmocka_unit_test(test_spillfile),
		cmocka_unit_test(test_spill_one_level),
		cmocka_unit_test(test_spill_recursive),
		cmocka_unit_test(test_spill_nothing_in_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
