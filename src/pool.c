/* pool.c: worker threads over opaque items, handed back in submission order.
 *
 * Design. Everything lives under one mutex, held only to move counters and
 * slots; `work` always runs unlocked. Each item gets a sequence number at
 * submit. The items between pool_submit and pool_next sit in a ring of
 * max_in_flight slots indexed by sequence number modulo the ring size; three
 * counters split the sequence space:
 *
 *	returned <= taken <= submitted,  submitted - returned <= max_in_flight
 *
 *	[returned, taken)   taken by a worker: in progress, or done and parked
 *	[taken, submitted)  queued, oldest first
 *
 * So the ring is at once the FIFO the workers take from (a worker takes
 * `taken`, the lowest unprocessed item) and the parking lot pool_next reads
 * in order (it waits for slot `returned` to be done), and the bound on
 * submitted - returned is what keeps two live sequence numbers from sharing
 * a slot. Nothing is allocated after pool_new.
 *
 * Three condition variables, one per kind of waiter, so each wake-up reaches
 * a thread that can use it: the producer waits on `space` for the consumer to
 * return an item, the consumer waits on `done` for slot `returned` to finish,
 * and idle workers wait on `work` for a submission. There is one producer and
 * one consumer, so `space` and `done` are signalled, not broadcast; `done` is
 * signalled only by the worker finishing the very item the consumer waits
 * for. Cancel (and close, for the threads it concerns) broadcast.
 *
 * Cancel stops the hand-out: submit and next return at once, idle workers
 * exit, a busy worker finishes its item, parks it and exits. pool_free
 * cancels too, joins, and then every sequence number in [returned, submitted)
 * is an item the caller never got back, queued or done, so each is dropped
 * exactly once by walking that range. */
#include "pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/xalloc.h"

typedef struct {
	void *item;
	bool done; /* the worker has finished it; pool_next may return it */
} slot;

typedef struct {
	rv_pool *pool;
	int index;
	pthread_t thread;
} worker;

struct rv_pool {
	pthread_mutex_t mu;
	pthread_cond_t work;  /* idle workers: an item was queued, or stop */
	pthread_cond_t done;  /* the consumer: slot `returned` is done, or close/cancel */
	pthread_cond_t space; /* the producer: an item was returned, or cancel */

	slot *ring;
	size_t cap; /* max_in_flight, the ring size */
	uint64_t submitted, taken, returned;
	bool closed, cancelled;

	pool_work_fn fn;
	void *ctx;
	worker *workers;
	int nstarted; /* threads to join */
};

static slot *slot_of(rv_pool *p, uint64_t seq)
{
	return &p->ring[seq % p->cap];
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	rv_pool *p = w->pool;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* Queued items are not taken once cancelled; after close, a worker
		 * leaves only when the queue is empty. */
		while (!p->cancelled && p->taken == p->submitted && !p->closed)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->cancelled || p->taken == p->submitted)
			break;
		uint64_t seq = p->taken++;
		void *item = slot_of(p, seq)->item;
		pthread_mutex_unlock(&p->mu);

		p->fn(item, w->index, p->ctx);

		/* Parked even when cancelled meanwhile: pool_free drops done items
		 * the same way as queued ones. The lock is kept to take the next
		 * item, so a busy worker locks once per item. */
		pthread_mutex_lock(&p->mu);
		slot_of(p, seq)->done = true;
		if (seq == p->returned)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Stops and joins the started workers. The caller must not hold the lock. */
static void stop_workers(rv_pool *p)
{
	pool_cancel(p);
	for (int i = 0; i < p->nstarted; i++)
		pthread_join(p->workers[i].thread, NULL);
	p->nstarted = 0;
}

static void destroy(rv_pool *p)
{
	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p->workers);
	free(p->ring);
	free(p);
}

rv_pool *pool_new(int nthreads, size_t max_in_flight, pool_work_fn work, void *ctx)
{
	if (nthreads < 1 || max_in_flight == 0 || !work)
		return NULL;
	rv_pool *p = xcalloc(1, sizeof(*p));
	/* With default attributes these do not fail on Linux; if they did, the
	 * pool could not work at all, and NULL is the one failure it can report.
	 * Each step undoes exactly what succeeded before it. */
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto no_mutex;
	if (pthread_cond_init(&p->work, NULL) != 0)
		goto no_work;
	if (pthread_cond_init(&p->done, NULL) != 0)
		goto no_done;
	if (pthread_cond_init(&p->space, NULL) != 0)
		goto no_space;
	p->ring = xcalloc(max_in_flight, sizeof(*p->ring));
	p->cap = max_in_flight;
	p->fn = work;
	p->ctx = ctx;
	p->workers = xcalloc((size_t)nthreads, sizeof(*p->workers));
	for (int i = 0; i < nthreads; i++) {
		worker *w = &p->workers[i];
		w->pool = p;
		w->index = i;
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			stop_workers(p);
			destroy(p);
			return NULL;
		}
		p->nstarted++;
	}
	return p;

no_space:
	pthread_cond_destroy(&p->done);
no_done:
	pthread_cond_destroy(&p->work);
no_work:
	pthread_mutex_destroy(&p->mu);
no_mutex:
	free(p);
	return NULL;
}

bool pool_submit(rv_pool *p, void *item)
{
	pthread_mutex_lock(&p->mu);
	while (!p->cancelled && !p->closed && p->submitted - p->returned >= p->cap)
		pthread_cond_wait(&p->space, &p->mu);
	/* Submitting after close breaks the contract; refusing it keeps the
	 * caller the owner of the item instead of losing it. */
	bool ok = !p->cancelled && !p->closed;
	if (ok) {
		slot *s = slot_of(p, p->submitted++);
		s->item = item;
		s->done = false;
		pthread_cond_signal(&p->work);
	}
	pthread_mutex_unlock(&p->mu);
	return ok;
}

void pool_close(rv_pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->closed = true;
	/* Idle workers must see that nothing more comes, and a consumer
	 * waiting past the last item must learn that there is none. */
	pthread_cond_broadcast(&p->work);
	pthread_cond_signal(&p->done);
	pthread_mutex_unlock(&p->mu);
}

void *pool_next(rv_pool *p)
{
	void *item = NULL;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->cancelled)
			break;
		if (p->returned < p->submitted) {
			slot *s = slot_of(p, p->returned);
			if (s->done) {
				item = s->item;
				s->item = NULL;
				s->done = false;
				p->returned++;
				pthread_cond_signal(&p->space);
				break;
			}
		} else if (p->closed) {
			break;
		}
		pthread_cond_wait(&p->done, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return item;
}

void pool_cancel(rv_pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->cancelled = true;
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->done);
	pthread_cond_broadcast(&p->space);
	pthread_mutex_unlock(&p->mu);
}

void pool_free(rv_pool *p, void (*drop)(void *item))
{
	if (!p)
		return;
	/* Cancelling rather than draining: whatever is left is dropped, so
	 * running `work` on queued items would be wasted. */
	stop_workers(p);
	/* The workers are joined and the caller has stopped calling in, so the
	 * counters are final and no lock is needed. */
	for (uint64_t seq = p->returned; seq < p->submitted; seq++) {
		if (drop)
			drop(slot_of(p, seq)->item);
	}
	destroy(p);
}
