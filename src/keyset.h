/* keyset.h: exact sets of byte keys, for uniqueness, distinct counts and references.
 *
 * Keys are byte strings (typed values in a canonical form: see key_append).
 * A tagged set stores a 64-bit tag with each key (the engine stores the
 * record's sequence number there, so a duplicate can name its first
 * occurrence). Nothing probabilistic decides membership: equal hashes are
 * always confirmed by comparing the bytes.
 *
 * Memory: a key costs its bytes, a length byte or more, the tag (8 bytes,
 * tagged sets only), alignment to 4 bytes, and an 8-byte slot in a table
 * kept at most 3/4 full. keyset_add takes a budget (`room`) so that a
 * caller can bound what the set grows to.
 *
 * Not thread-safe for adds; after the last add, keyset_contains may be
 * called from any number of threads. */
#ifndef RV_KEYSET_H
#define RV_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"
#include "util/buf.h"

typedef struct rv_keyset rv_keyset;

typedef enum {
	KS_ADDED, /* the key was new and is now in the set */
	KS_FOUND, /* the key was there; *first_tag says with which tag */
	KS_FULL   /* the key is not there, and adding it would take more than room */
} rv_ks_result;

rv_keyset *keyset_new(bool tagged);
void keyset_free(rv_keyset *s); /* accepts NULL */
/* Adds key unless it is there. room is how many more bytes the set may
 * take (SIZE_MAX: any number); a new key that needs more (its entry, a new
 * block, a bigger table) is not added: KS_FULL, and the set is unchanged.
 * first_tag may be NULL. */
rv_ks_result keyset_add(rv_keyset *s, const void *key, size_t n, uint64_t tag, size_t room,
			uint64_t *first_tag);
/* keyset_add with the key's hash (key_hash) already known. */
rv_ks_result keyset_add_hashed(rv_keyset *s, const void *key, size_t n, uint64_t hash, uint64_t tag,
			       size_t room, uint64_t *first_tag);
/* A hint that a key with this hash comes soon: loads its slot's memory
 * (entry false), or, once that is loaded, the entry the slot names (entry
 * true). Changes nothing; only saves waiting on memory later. */
void keyset_prefetch(const rv_keyset *s, uint64_t hash, bool entry);
/* keyset_add without a budget: true when key was new. */
bool keyset_insert(rv_keyset *s, const void *key, size_t n);
bool keyset_contains(const rv_keyset *s, const void *key, size_t n);
size_t keyset_count(const rv_keyset *s);
/* Bytes of memory the set holds (table, entry blocks, block list). */
size_t keyset_bytes(const rv_keyset *s);

/* Appends v's canonical bytes: a type tag, then a form in which equal values
 * are equal bytes (int and date as fixed-width integers, a decimal as its
 * normalised digits, a float with -0 as 0, a str as its bytes). */
void key_append(rv_buf *b, const rv_value *v);
/* A 64-bit hash, never 0. Thread-safe. */
uint64_t key_hash(const void *p, size_t n);

#endif
