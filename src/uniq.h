/* uniq.h: exact first-occurrence decisions for key slots, under a memory budget.
 *
 * A slot is one uniqueness check (each key after its first occurrence is a
 * duplicate, and the caller needs to know which occurrence was first) or
 * one distinct count (only the number of different keys matters). The
 * caller (the engine's merger) offers keys in input order, each with the
 * global sequence number of its record.
 *
 * While the in-memory sets of all slots together fit the budget, every key
 * is decided at once. When a new key would take the sets over the budget,
 * the sets stop growing: from then on a key is still looked up in memory
 * first (a hit is decided at once), and a key that is not there is
 * appended, with its slot and sequence number, to one of 16 partition
 * files chosen by its hash. Every occurrence of such a key lands in the
 * same partition, in input order. uniq_resolve then reads the partitions
 * back one at a time into a fresh set (a partition that does not fit the
 * budget is split 16 ways by further hash bits, recursively) and writes,
 * for every spilled occurrence of a uniqueness slot, its answer: new, or
 * the sequence number of the first occurrence. The caller reads those
 * answers back per partition in the order it spilled the occurrences.
 * Decisions are therefore exact, and the same for every thread count.
 *
 * Memory: the budget bounds the key sets (keyset_bytes); deciding a
 * partition takes at most max(budget, 64 KiB); spilling adds file buffers
 * (16 partitions, and 17 files per level of splitting). Temporary
 * files go to $TMPDIR (or /tmp) and are unlinked when created.
 * Not thread-safe. */
#ifndef RV_UNIQ_H
#define RV_UNIQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct rv_uniq rv_uniq;

typedef enum {
	UQ_NEW,     /* the first occurrence */
	UQ_DUP,     /* seen before: *first is the sequence number of the first occurrence */
	UQ_SPILLED, /* written to partition *part; decided by uniq_resolve */
	UQ_ERROR    /* a temporary file failed: see uniq_status */
} rv_uq_result;

enum { UQ_PARTS = 16 };

/* answers[s]: slot s is a uniqueness check (answers are kept for its
 * spilled occurrences); otherwise it only counts distinct keys. budget:
 * bytes for the in-memory sets of all slots together. */
rv_uniq *uniq_new(size_t n_slots, const bool *answers, uint64_t budget);
void uniq_free(rv_uniq *u); /* accepts NULL */

/* Decides the key of slot seen at sequence number seq (non-decreasing over
 * calls); hash is key_hash(key, n). first and part may be NULL. */
rv_uq_result uniq_decide(rv_uniq *u, size_t slot, const void *key, size_t n, uint64_t hash,
			 uint64_t *first, unsigned *part, uint64_t seq);
/* A hint that the key with this hash comes to slot soon (keyset_prefetch). */
void uniq_prefetch(const rv_uniq *u, size_t slot, uint64_t hash, bool entry);
/* True once a key went to disk. */
bool uniq_spilled(const rv_uniq *u);

/* After the last uniq_decide: decides every spilled key. RV_OK, RV_IO (a
 * temporary file failed: message in err) or RV_INTERRUPT/RV_TERMINATED. */
rv_status uniq_resolve(rv_uniq *u, char *err, size_t errlen);
/* After uniq_resolve: the answer for the next spilled occurrence (of a
 * uniqueness slot) in partition part: true and *first when it is a
 * duplicate, false when it is the first occurrence. An error shows in
 * uniq_status. */
bool uniq_answer(rv_uniq *u, unsigned part, uint64_t *first);
/* The number of distinct keys of a slot (after uniq_resolve when spilled). */
uint64_t uniq_distinct(const rv_uniq *u, size_t slot);
/* RV_OK, or RV_IO with a message in err after a temporary file failed. */
rv_status uniq_status(const rv_uniq *u, char *err, size_t errlen);

/* Bytes the in-memory sets hold now, and keys in them. */
size_t uniq_memory(const rv_uniq *u);
uint64_t uniq_memory_keys(const rv_uniq *u);

#endif
