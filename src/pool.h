/* pool.h: a pool of worker threads over opaque work items, results in order.
 *
 * One producer thread submits items; N workers each run `work` on items as
 * they come; one consumer takes the processed items back in exactly the
 * order they were submitted. The pool does not know what the items are
 * (each carries its own input, output and error). At most `max_in_flight`
 * items are between pool_submit and pool_next: pool_submit blocks beyond
 * that, which bounds the memory the items hold.
 *
 * Thread safety: pool_submit and pool_close from one producer thread;
 * pool_next from one consumer thread (it may be the producer); pool_cancel
 * from any thread. The workers share nothing but the queue. */
#ifndef RV_POOL_H
#define RV_POOL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rv_pool rv_pool;

/* Runs on a worker thread. worker is that thread's index (0..nthreads-1),
 * so per-thread scratch can be looked up by it; ctx is pool_new's ctx. */
typedef void (*pool_work_fn)(void *item, int worker, void *ctx);

/* Starts nthreads (>= 1) workers. Returns NULL if a thread cannot start. */
rv_pool *pool_new(int nthreads, size_t max_in_flight, pool_work_fn work, void *ctx);
/* Queues an item; blocks while max_in_flight items are out. Returns false
 * (without queueing) once the pool is cancelled. */
bool pool_submit(rv_pool *p, void *item);
/* No more submissions: pool_next returns NULL after the last item. */
void pool_close(rv_pool *p);
/* The next processed item in submission order; blocks until it is done.
 * NULL when closed and drained, or cancelled. */
void *pool_next(rv_pool *p);
/* Stops handing out work: blocked submit/next calls return at once. Items
 * already processed or queued are not returned; the caller frees what it
 * still owns through pool_free's `drop` callback. */
void pool_cancel(rv_pool *p);
/* Joins the workers and frees the pool. Items submitted but never returned
 * by pool_next are passed to drop (may be NULL). Accepts NULL. */
void pool_free(rv_pool *p, void (*drop)(void *item));

#endif
