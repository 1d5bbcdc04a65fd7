/* keyset.h: exact sets of byte keys, for uniqueness and references.
 *
 * Keys are byte strings (typed values in a canonical form: see key_append);
 * each remembers where it was first seen (input and row), so a duplicate
 * can name its first occurrence. Nothing probabilistic decides membership:
 * equal hashes are always confirmed by comparing the bytes.
 *
 * Not thread-safe for inserts; after the last insert, keyset_contains may
 * be called from any number of threads. */
#ifndef RV_KEYSET_H
#define RV_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"
#include "util/buf.h"

typedef struct rv_keyset rv_keyset;

rv_keyset *keyset_new(void);
void keyset_free(rv_keyset *s);
/* Adds key; true when it is new. When it was there, *first_input and
 * *first_row (may be NULL) say where it was first added. */
bool keyset_insert(rv_keyset *s, const void *key, size_t n, uint32_t input, uint64_t row,
                   uint32_t *first_input, uint64_t *first_row);
bool keyset_contains(const rv_keyset *s, const void *key, size_t n);
size_t keyset_count(const rv_keyset *s);
/* Bytes of memory the set holds (table and entries). */
size_t keyset_bytes(const rv_keyset *s);

/* Appends v's canonical bytes: a type tag, then a form in which equal values
 * are equal bytes (int and date as fixed-width integers, a decimal as its
 * normalised digits, a float with -0 as 0, a str as its bytes). */
void key_append(rv_buf *b, const rv_value *v);
uint64_t key_hash(const void *p, size_t n);

#endif
