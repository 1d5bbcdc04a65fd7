/* test_pool.c: unit tests for the worker pool (pool.c): results in submission order whatever
 * the thread count and timing, the max_in_flight bound, close, cancel that unblocks submit and
 * next, pool_free dropping each unreturned item exactly once, and a 100,000-item run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "pool.h"

/* ---- items, work and drop ---- */

/* One work item. The plain fields written by `work` are read by the consumer only after
 * pool_next hands the item back, so under TSan they also check that the pool orders a
 * worker's writes before the consumer's reads. The atomics are watched while the pool runs. */
typedef struct {
	uint64_t seq, input, output;
	long delay_ns;	      /* work sleeps this long (0: not at all) */
	bool gated;	      /* work waits for the test to open the gate */
	int worker;	      /* which worker ran it */
	int rank;	      /* its place in the order in which work finished */
	int drops;	      /* times drop saw it; only pool_free's thread writes it */
	atomic_int processed; /* times work ran on it */
	atomic_bool entered;  /* work has started on it */
} item;

typedef struct {
	int nthreads;
	atomic_int calls;    /* work invocations */
	atomic_int finished; /* completion counter, gives each item its rank */
	pthread_mutex_t mu;  /* the gate */
	pthread_cond_t cv;
	bool open;
} tctx;

static uint64_t expected_output(uint64_t input)
{
	return input * 2654435761u + 1;
}

static void sleep_ns(long ns)
{
	struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void tctx_init(tctx *t, int nthreads)
{
	t->nthreads = nthreads;
	atomic_init(&t->calls, 0);
	atomic_init(&t->finished, 0);
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->open = false;
}

static void tctx_destroy(tctx *t)
{
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
}

static void gate_open(tctx *t)
{
	pthread_mutex_lock(&t->mu);
	t->open = true;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

static void work(void *arg, int worker, void *ctx)
{
	item *it = arg;
	tctx *t = ctx;
	atomic_fetch_add(&t->calls, 1);
	atomic_store(&it->entered, true);
	if (it->gated) {
		pthread_mutex_lock(&t->mu);
		while (!t->open)
			pthread_cond_wait(&t->cv, &t->mu);
		pthread_mutex_unlock(&t->mu);
	}
	if (it->delay_ns)
		sleep_ns(it->delay_ns);
	it->output = expected_output(it->input);
	it->worker = worker;
	it->rank = atomic_fetch_add(&t->finished, 1);
	atomic_fetch_add(&it->processed, 1);
}

/* The 100,000-item run measures the pool, not shared counters. */
static void tiny_work(void *arg, int worker, void *ctx)
{
	item *it = arg;
	it->output = expected_output(it->input);
}

static void drop(void *arg)
{
	((item *)arg)->drops++;
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* n items; with max_delay_ns, each sleeps a seeded-random 0..max_delay_ns, a quarter not at
 * all, so neighbours finish out of order. */
static item *make_items(size_t n, long max_delay_ns, uint64_t seed)
{
	item *v = calloc(n, sizeof(*v));
	assert_non_null(v);
	uint64_t s = seed | 1;
	for (size_t i = 0; i < n; i++) {
		v[i].seq = i;
		v[i].input = rng_next(&s);
		if (max_delay_ns > 0 && rng_next(&s) % 4 != 0)
			v[i].delay_ns = (long)(rng_next(&s) % (uint64_t)max_delay_ns);
		atomic_init(&v[i].processed, 0);
		atomic_init(&v[i].entered, false);
	}
	return v;
}

/* ---- a producer thread and a consumer thread ---- */

typedef struct {
	rv_pool *pool;
	item *items;
	size_t n;
	long start_delay_ns;
	atomic_int *in_flight, *max_seen; /* counted when set */
	atomic_size_t accepted;		  /* submits that returned true */
	atomic_bool refused;		  /* a submit returned false */
	atomic_bool finished;
	pthread_t thread;
} producer;

static void note_max(atomic_int *max_seen, int v)
{
	int m = atomic_load(max_seen);
	while (v > m && !atomic_compare_exchange_weak(max_seen, &m, v))
		;
}

static void *producer_main(void *arg)
{
	producer *pr = arg;
	if (pr->start_delay_ns)
		sleep_ns(pr->start_delay_ns);
	size_t i;
	for (i = 0; i < pr->n; i++) {
		if (!pool_submit(pr->pool, &pr->items[i])) {
			atomic_store(&pr->refused, true);
			break;
		}
		atomic_fetch_add(&pr->accepted, 1);
		if (pr->in_flight)
			note_max(pr->max_seen, atomic_fetch_add(pr->in_flight, 1) + 1);
	}
	if (i == pr->n)
		pool_close(pr->pool);
	atomic_store(&pr->finished, true);
	return NULL;
}

static void producer_start(producer *pr, rv_pool *p, item *items, size_t n)
{
	pr->pool = p;
	pr->items = items;
	pr->n = n;
	atomic_init(&pr->accepted, 0);
	atomic_init(&pr->refused, false);
	atomic_init(&pr->finished, false);
	assert_int_equal(pthread_create(&pr->thread, NULL, producer_main, pr), 0);
}

typedef struct {
	rv_pool *pool;
	void *got; /* read after the join */
	atomic_bool finished;
	pthread_t thread;
} consumer;

static void *consumer_main(void *arg)
{
	consumer *c = arg;
	c->got = pool_next(c->pool);
	atomic_store(&c->finished, true);
	return NULL;
}

static void consumer_start(consumer *c, rv_pool *p)
{
	c->pool = p;
	c->got = &c->got; /* anything but NULL, so a NULL result is pool_next's */
	atomic_init(&c->finished, false);
	assert_int_equal(pthread_create(&c->thread, NULL, consumer_main, c), 0);
}

/* Polling is fine in a test: these wait for the pool to reach a state, and give up after a
 * while so a broken pool fails the test instead of hanging it. */
enum { WAIT_LIMIT_MS = 10000 };

static bool wait_flag(atomic_bool *f)
{
	for (int ms = 0; ms < WAIT_LIMIT_MS; ms++) {
		if (atomic_load(f))
			return true;
		sleep_ns(1000000);
	}
	return atomic_load(f);
}

static bool wait_size(atomic_size_t *v, size_t want)
{
	for (int ms = 0; ms < WAIT_LIMIT_MS; ms++) {
		if (atomic_load(v) >= want)
			return true;
		sleep_ns(1000000);
	}
	return atomic_load(v) >= want;
}

static bool wait_int(atomic_int *v, int want)
{
	for (int ms = 0; ms < WAIT_LIMIT_MS; ms++) {
		if (atomic_load(v) >= want)
			return true;
		sleep_ns(1000000);
	}
	return atomic_load(v) >= want;
}

/* ---- order ---- */

/* A producer thread submits, the main thread consumes: the real usage. Items take random time,
 * so with several workers they finish out of order, and must still come back in order. */
static void run_order(int nthreads)
{
	enum { N = 2000 };
	item *items = make_items(N, 20000, 0x9e3779b97f4a7c15u + (uint64_t)nthreads);
	tctx t;
	tctx_init(&t, nthreads);
	/* A small ring, so sequence numbers wrap around it many times. */
	rv_pool *p = pool_new(nthreads, (size_t)(2 * nthreads + 1), work, &t);
	assert_non_null(p);
	producer pr = {0};
	producer_start(&pr, p, items, N);

	int out_of_order = 0;
	bool used[8] = {false};
	for (size_t k = 0; k < N; k++) {
		item *it = pool_next(p);
		if (it != &items[k])
			fail_msg("%d threads: result %zu is item %lld, want item %zu", nthreads, k,
				 it ? (long long)it->seq : -1LL, k);
		assert_int_equal(atomic_load(&it->processed), 1);
		assert_true(it->output == expected_output(it->input));
		assert_in_range(it->worker, 0, nthreads - 1);
		used[it->worker] = true;
		if (it->rank != (int)k)
			out_of_order++;
	}
	assert_null(pool_next(p));
	assert_null(pool_next(p)); /* and it stays drained */
	assert_int_equal(pthread_join(pr.thread, NULL), 0);
	assert_false(atomic_load(&pr.refused));
	assert_int_equal(atomic_load(&t.calls), N);

	int nused = 0;
	for (int i = 0; i < nthreads; i++)
		nused += used[i];
	if (nthreads > 1) {
		/* Otherwise the test would not have exercised the reordering. */
		assert_true(nused >= 2);
		assert_true(out_of_order > 0);
	} else {
		assert_int_equal(out_of_order, 0);
	}
	pool_free(p, drop);
	for (size_t k = 0; k < N; k++)
		assert_int_equal(items[k].drops, 0);
	tctx_destroy(&t);
	free(items);
}

static void test_order_1_thread(void **state)
{
	run_order(1);
}

static void test_order_2_threads(void **state)
{
	run_order(2);
}

static void test_order_4_threads(void **state)
{
	run_order(4);
}

static void test_order_8_threads(void **state)
{
	run_order(8);
}

/* ---- the max_in_flight bound ---- */

/* The count is a lower bound on what the pool holds: the producer adds an item only after
 * pool_submit accepted it, and the consumer takes it off before calling pool_next. So a count
 * above max_in_flight proves the bound broken. The consumer is slow, so the producer has time
 * to fill the pool, and the maximum must reach the bound exactly. */
static void run_bound(int nthreads, size_t cap)
{
	enum { N = 300 };
	item *items = make_items(N, 20000, 7 + cap);
	tctx t;
	tctx_init(&t, nthreads);
	rv_pool *p = pool_new(nthreads, cap, work, &t);
	assert_non_null(p);
	atomic_int in_flight, max_seen;
	atomic_init(&in_flight, 0);
	atomic_init(&max_seen, 0);
	producer pr = {.in_flight = &in_flight, .max_seen = &max_seen};
	producer_start(&pr, p, items, N);

	for (size_t k = 0; k < N; k++) {
		atomic_fetch_sub(&in_flight, 1);
		item *it = pool_next(p);
		assert_ptr_equal(it, &items[k]);
		sleep_ns(200000);
	}
	assert_null(pool_next(p));
	assert_int_equal(pthread_join(pr.thread, NULL), 0);
	if (atomic_load(&max_seen) > (int)cap)
		fail_msg("%d items were out at once, max_in_flight is %zu", atomic_load(&max_seen),
			 cap);
	assert_int_equal(atomic_load(&max_seen), (int)cap);
	pool_free(p, drop);
	tctx_destroy(&t);
	free(items);
}

static void test_bound_never_exceeded(void **state)
{
	run_bound(4, 4);
	run_bound(3, 1);
	run_bound(8, 16);
}

/* The deterministic side of the bound: with nobody consuming, the producer stops at exactly
 * max_in_flight accepted items, and each pool_next lets exactly one more in. */
static void test_submit_blocks_at_bound(void **state)
{
	enum { N = 10, CAP = 3 };
	item *items = make_items(N, 0, 1);
	tctx t;
	tctx_init(&t, 2);
	rv_pool *p = pool_new(2, CAP, work, &t);
	assert_non_null(p);
	producer pr = {0};
	producer_start(&pr, p, items, N);

	assert_true(wait_size(&pr.accepted, CAP));
	assert_true(wait_int(&t.calls, CAP)); /* all three processed, none returned */
	sleep_ns(50000000);
	assert_int_equal(atomic_load(&pr.accepted), CAP);
	assert_false(atomic_load(&pr.finished));

	assert_ptr_equal(pool_next(p), &items[0]);
	assert_true(wait_size(&pr.accepted, CAP + 1));
	sleep_ns(20000000);
	assert_int_equal(atomic_load(&pr.accepted), CAP + 1);
	assert_false(atomic_load(&pr.finished));

	for (size_t k = 1; k < N; k++)
		assert_ptr_equal(pool_next(p), &items[k]);
	assert_null(pool_next(p));
	assert_int_equal(pthread_join(pr.thread, NULL), 0);
	assert_int_equal(atomic_load(&pr.accepted), N);
	assert_int_equal(atomic_load(&t.calls), N);
	pool_free(p, drop);
	tctx_destroy(&t);
	free(items);
}

/* ---- one producer, one consumer, in various arrangements ---- */

/* The consumer is blocked in pool_next before anything is submitted. */
static void test_next_waits_for_submit(void **state)
{
	enum { N = 5 };
	item *items = make_items(N, 0, 2);
	tctx t;
	tctx_init(&t, 2);
	rv_pool *p = pool_new(2, 4, work, &t);
	assert_non_null(p);
	producer pr = {.start_delay_ns = 30000000};
	producer_start(&pr, p, items, N);
	for (size_t k = 0; k < N; k++)
		assert_ptr_equal(pool_next(p), &items[k]);
	assert_null(pool_next(p));
	assert_int_equal(pthread_join(pr.thread, NULL), 0);
	pool_free(p, drop);
	tctx_destroy(&t);
	free(items);
}

/* The header allows the consumer to be the producer: keep the pool full, take one, add one. */
static void test_same_thread_submits_and_consumes(void **state)
{
	enum { N = 40, CAP = 4 };
	item *items = make_items(N, 5000, 3);
	tctx t;
	tctx_init(&t, 3);
	rv_pool *p = pool_new(3, CAP, work, &t);
	assert_non_null(p);
	size_t in = 0, out = 0;
	while (in < CAP)
		assert_true(pool_submit(p, &items[in++]));
	while (in < N) {
		assert_ptr_equal(pool_next(p), &items[out++]);
		assert_true(pool_submit(p, &items[in++]));
	}
	pool_close(p);
	while (out < N)
		assert_ptr_equal(pool_next(p), &items[out++]);
	assert_null(pool_next(p));
	pool_free(p, drop);
	for (size_t k = 0; k < N; k++) {
		assert_int_equal(atomic_load(&items[k].processed), 1);
		assert_int_equal(items[k].drops, 0);
	}
	tctx_destroy(&t);
	free(items);
}

/* ---- close ---- */

static void test_close_with_zero_items(void **state)
{
	for (int n = 1; n <= 4; n *= 4) {
		tctx t;
		tctx_init(&t, n);
		rv_pool *p = pool_new(n, 8, work, &t);
		assert_non_null(p);
		pool_close(p);
		assert_null(pool_next(p));
		assert_null(pool_next(p));
		pool_free(p, drop);
		assert_int_equal(atomic_load(&t.calls), 0);
		tctx_destroy(&t);
	}
}

/* A consumer already waiting on an empty pool learns from close that nothing comes. */
static void test_close_wakes_waiting_next(void **state)
{
	tctx t;
	tctx_init(&t, 2);
	rv_pool *p = pool_new(2, 8, work, &t);
	assert_non_null(p);
	consumer c;
	consumer_start(&c, p);
	sleep_ns(20000000);
	assert_false(atomic_load(&c.finished));
	pool_close(p);
	assert_true(wait_flag(&c.finished));
	assert_int_equal(pthread_join(c.thread, NULL), 0);
	assert_null(c.got);
	pool_free(p, NULL); /* drop may be NULL */
	tctx_destroy(&t);
}

/* ---- cancel ---- */

/* The producer is blocked in pool_submit on a full pool; cancel releases it at once with
 * false, and the item it was submitting stays its own (drop never sees it). */
static void test_cancel_unblocks_submit(void **state)
{
	enum { N = 10, CAP = 2 };
	item *items = make_items(N, 0, 4);
	tctx t;
	tctx_init(&t, 2);
	rv_pool *p = pool_new(2, CAP, work, &t);
	assert_non_null(p);
	producer pr = {0};
	producer_start(&pr, p, items, N);
	assert_true(wait_size(&pr.accepted, CAP));
	sleep_ns(20000000);
	assert_false(atomic_load(&pr.finished));

	double t0 = now_s();
	pool_cancel(p);
	assert_true(wait_flag(&pr.finished));
	double dt = now_s() - t0;
	if (dt > 1.0)
		fail_msg("pool_submit took %.3f s to return after cancel", dt);
	assert_int_equal(pthread_join(pr.thread, NULL), 0);
	assert_true(atomic_load(&pr.refused));
	assert_int_equal(atomic_load(&pr.accepted), CAP);
	assert_null(pool_next(p));
	assert_false(pool_submit(p, &items[CAP]));

	pool_free(p, drop);
	for (size_t k = 0; k < N; k++)
		assert_int_equal(items[k].drops, k < CAP ? 1 : 0);
	tctx_destroy(&t);
	free(items);
}

/* The consumer is blocked in pool_next on an item still in progress; cancel releases it at
 * once with NULL. The item in progress finishes and is dropped; the queued one is dropped
 * without being processed. */
static void test_cancel_unblocks_next(void **state)
{
	item *items = make_items(2, 0, 5);
	items[0].gated = true;
	tctx t;
	tctx_init(&t, 1);
	rv_pool *p = pool_new(1, 4, work, &t);
	assert_non_null(p);
	assert_true(pool_submit(p, &items[0]));
	assert_true(pool_submit(p, &items[1]));
	assert_true(wait_flag(&items[0].entered));
	consumer c;
	consumer_start(&c, p);
	sleep_ns(20000000);
	assert_false(atomic_load(&c.finished));

	double t0 = now_s();
	pool_cancel(p);
	assert_true(wait_flag(&c.finished));
	double dt = now_s() - t0;
	if (dt > 1.0)
		fail_msg("pool_next took %.3f s to return after cancel", dt);
	assert_int_equal(pthread_join(c.thread, NULL), 0);
	assert_null(c.got);
	assert_false(pool_submit(p, &items[1]));

	gate_open(&t);
	pool_free(p, drop);
	assert_int_equal(atomic_load(&items[0].processed), 1);
	assert_int_equal(atomic_load(&items[1].processed), 0);
	assert_int_equal(items[0].drops, 1);
	assert_int_equal(items[1].drops, 1);
	tctx_destroy(&t);
	free(items);
}

/* ---- pool_free ---- */

/* Items in every state at cancel: 0 and 1 returned, 2 in progress, 3 done but waiting behind 2,
 * 4 in progress, 5..7 queued. Each unreturned one reaches drop exactly once, and nothing is
 * taken from the queue after cancel. */
static void test_free_drops_each_unreturned_once(void **state)
{
	enum { N = 8 };
	item *items = make_items(N, 0, 6);
	items[2].gated = true;
	items[4].gated = true;
	tctx t;
	tctx_init(&t, 2);
	rv_pool *p = pool_new(2, N, work, &t);
	assert_non_null(p);
	for (size_t k = 0; k < N; k++)
		assert_true(pool_submit(p, &items[k]));
	assert_ptr_equal(pool_next(p), &items[0]);
	assert_ptr_equal(pool_next(p), &items[1]);
	/* Both workers are now stuck, one on item 2 and one on item 4. */
	assert_true(wait_flag(&items[2].entered));
	assert_true(wait_flag(&items[4].entered));
	assert_int_equal(atomic_load(&items[3].processed), 1);

	pool_cancel(p);
	gate_open(&t);
	pool_free(p, drop);
	for (size_t k = 0; k < N; k++) {
		if (items[k].drops != (k < 2 ? 0 : 1))
			fail_msg("item %zu dropped %d times", k, items[k].drops);
		assert_int_equal(atomic_load(&items[k].processed), k <= 4 ? 1 : 0);
	}
	assert_int_equal(atomic_load(&t.calls), 5);
	tctx_destroy(&t);
	free(items);
}

/* pool_free after close, with the consumer stopping early and no cancel. */
static void test_free_after_close_drops_the_rest(void **state)
{
	enum { N = 10 };
	item *items = make_items(N, 10000, 7);
	tctx t;
	tctx_init(&t, 3);
	rv_pool *p = pool_new(3, N, work, &t);
	assert_non_null(p);
	for (size_t k = 0; k < N; k++)
		assert_true(pool_submit(p, &items[k]));
	pool_close(p);
	for (size_t k = 0; k < 3; k++)
		assert_ptr_equal(pool_next(p), &items[k]);
	pool_free(p, drop);
	for (size_t k = 0; k < N; k++) {
		if (items[k].drops != (k < 3 ? 0 : 1))
			fail_msg("item %zu dropped %d times", k, items[k].drops);
		assert_true(atomic_load(&items[k].processed) <= 1);
	}
	tctx_destroy(&t);
	free(items);
}

/* ---- volume and arguments ---- */

static void test_many_tiny_items(void **state)
{
	enum { N = 100000 };
	item *items = make_items(N, 0, 8);
	rv_pool *p = pool_new(4, 256, tiny_work, NULL);
	assert_non_null(p);
	double t0 = now_s();
	producer pr = {0};
	producer_start(&pr, p, items, N);
	for (size_t k = 0; k < N; k++) {
		item *it = pool_next(p);
		if (it != &items[k])
			fail_msg("result %zu is item %lld", k, it ? (long long)it->seq : -1LL);
		assert_true(it->output == expected_output(it->input));
	}
	assert_null(pool_next(p));
	double dt = now_s() - t0;
	assert_int_equal(pthread_join(pr.thread, NULL), 0);
	pool_free(p, drop);
	print_message("pool: %d tiny items, 4 threads: %.3f s\n", N, dt);
	free(items);
}

static void test_bad_arguments(void **state)
{
	tctx t;
	tctx_init(&t, 1);
	assert_null(pool_new(0, 4, work, &t));
	assert_null(pool_new(-1, 4, work, &t));
	assert_null(pool_new(1, 0, work, &t));
	assert_null(pool_new(1, 4, NULL, &t));
	pool_free(NULL, drop);
	tctx_destroy(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_1_thread),
		cmocka_unit_test(test_order_2_threads),
		cmocka_unit_test(test_order_4_threads),
		cmocka_unit_test(test_order_8_threads),
		cmocka_unit_test(test_bound_never_exceeded),
		cmocka_unit_test(test_submit_blocks_at_bound),
		cmocka_unit_test(test_next_waits_for_submit),
		cmocka_unit_test(test_same_thread_submits_and_consumes),
		cmocka_unit_test(test_close_with_zero_items),
		cmocka_unit_test(test_close_wakes_waiting_next),
		cmocka_unit_test(test_cancel_unblocks_submit),
		cmocka_unit_test(test_cancel_unblocks_next),
		cmocka_unit_test(test_free_drops_each_unreturned_once),
		cmocka_unit_test(test_free_after_close_drops_the_rest),
		cmocka_unit_test(test_many_tiny_items),
		cmocka_unit_test(test_bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
