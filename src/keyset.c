/* keyset.c: an open-addressing hash set of byte keys, entries packed in growing blocks.
 *
 * A slot is one 64-bit word: the key's 32-bit hash fragment above a 32-bit
 * reference to its entry (0: empty). The fragment also picks the home slot,
 * so a probe compares words and touches an entry only when fragments match.
 * A reference is (block << 19 | offset / 4) + 1: entries start on 4-byte
 * boundaries in blocks of 2 MiB (4 KiB first, doubling; a larger key gets a
 * block of its own), so 8191 blocks address 16 GiB of entries. Full-size
 * blocks and large tables ask for huge pages: every probe lands on a random
 * page, and fewer TLB misses make lookups and prefetches cheaper. An entry is the key's length
 * (LEB128), its tag (tagged sets), then its bytes; everything is read with memcpy. */
#include "keyset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/xalloc.h"

enum {
	FIRST_BLOCK = 4096,
	MAX_BLOCK = 2 << 20,
	OFFSET_BITS = 19, /* offsets in 4-byte units within a block */
	MAX_BLOCKS = 8191,
	FIRST_SLOTS = 256,
	HUGE_PAGE = 2 << 20
};

struct rv_keyset {
	uint64_t *slots;
	size_t n_slots, count;
	unsigned char **blocks;
	size_t n_blocks, cap_blocks;
	size_t used, size; /* of the last block */
	size_t block_bytes;
	bool tagged;
};

uint64_t key_hash(const void *p, size_t n)
{
	/* eight bytes a step, multiply and fold: fast, and good enough for a
	 * table whose every hit is confirmed by comparing bytes */
	const unsigned char *s = p;
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xBF58476D1CE4E5B9ull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 29;
	h *= 0x94D049BB133111EBull;
	h ^= h >> 32;
	return h ? h : 1;
}

rv_keyset *keyset_new(bool tagged)
{
	rv_keyset *s = xcalloc(1, sizeof(*s));
	s->tagged = tagged;
	s->n_slots = FIRST_SLOTS;
	s->slots = xcalloc(s->n_slots, sizeof(uint64_t));
	return s;
}

void keyset_free(rv_keyset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_blocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->slots);
	free(s);
}

static size_t varint_len(size_t n)
{
	size_t k = 1;
	while (n >= 0x80) {
		n >>= 7;
		k++;
	}
	return k;
}

static size_t entry_size(const rv_keyset *s, size_t n)
{
	return (varint_len(n) + (s->tagged ? 8 : 0) + n + 3) & ~(size_t)3;
}

static const unsigned char *entry_at(const rv_keyset *s, uint32_t ref)
{
	ref--;
	return s->blocks[ref >> OFFSET_BITS] + (size_t)(ref & ((1u << OFFSET_BITS) - 1)) * 4;
}

/* The key bytes of an entry, their length, and where its tag is. */
static const unsigned char *entry_key(const rv_keyset *s, const unsigned char *e, size_t *n,
				      const unsigned char **tag)
{
	size_t len = 0;
	unsigned shift = 0;
	while (*e & 0x80) {
		len |= (size_t)(*e++ & 0x7F) << shift;
		shift += 7;
	}
	len |= (size_t)*e++ << shift;
	*n = len;
	*tag = e;
	return s->tagged ? e + 8 : e;
}

/* memcmp(a, b, n) == 0, without a call for the short keys that are the rule */
static inline bool same_bytes(const unsigned char *a, const unsigned char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	uint64_t x = 0, y = 0;
	if (n >= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
		memcpy(&x, a + n - 8, 8); /* the last 8, overlapping */
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	for (size_t i = 0; i < n; i++)
		x = x << 8 | a[i], y = y << 8 | b[i];
	return x == y;
}

static bool entry_is(const rv_keyset *s, uint32_t ref, const void *key, size_t n, uint64_t *tag)
{
	size_t len;
	const unsigned char *t;
	const unsigned char *k = entry_key(s, entry_at(s, ref), &len, &t);
	if (len != n || !same_bytes(k, key, n))
		return false;
	if (tag) {
		*tag = 0;
		if (s->tagged)
			memcpy(tag, t, 8);
	}
	return true;
}

/* The size of the block a new entry of `need` bytes would open. */
static size_t next_block(const rv_keyset *s, size_t need)
{
	size_t size = s->size ? s->size * 2 : FIRST_BLOCK;
	if (size > MAX_BLOCK)
		size = MAX_BLOCK;
	return need > size ? need : size;
}

/* A zeroed table; a large one in huge pages where the system has them, since
 * every probe lands on a random page (fewer TLB misses, working prefetches). */
static uint64_t *new_table(size_t n)
{
	size_t bytes = n * sizeof(uint64_t);
	if (bytes < HUGE_PAGE)
		return xcalloc(n, sizeof(uint64_t));
	void *p = NULL;
	if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
		return xcalloc(n, sizeof(uint64_t));
	madvise(p, bytes, MADV_HUGEPAGE);
	memset(p, 0, bytes);
	return p;
}

static unsigned char *new_block(size_t size)
{
	void *p = NULL;
	if (size != MAX_BLOCK || posix_memalign(&p, HUGE_PAGE, size) != 0)
		return xmalloc(size);
	madvise(p, size, MADV_HUGEPAGE);
	return p;
}

static void grow_table(rv_keyset *s)
{
	size_t n = s->n_slots * 2, mask = n - 1;
	uint64_t *slots = new_table(n);
	for (size_t i = 0; i < s->n_slots; i++) {
		uint64_t w = s->slots[i];
		if (!w)
			continue;
		size_t k = (w >> 32) & mask;
		while (slots[k])
			k = (k + 1) & mask;
		slots[k] = w;
	}
	free(s->slots);
	s->slots = slots;
	s->n_slots = n;
}

rv_ks_result keyset_add(rv_keyset *s, const void *key, size_t n, uint64_t tag, size_t room,
			uint64_t *first_tag)
{
	return keyset_add_hashed(s, key, n, key_hash(key, n), tag, room, first_tag);
}

void keyset_prefetch(const rv_keyset *s, uint64_t hash, bool entry)
{
	uint32_t h = (uint32_t)hash;
	const uint64_t *slot = &s->slots[h & (s->n_slots - 1)];
	if (!entry) {
		__builtin_prefetch(slot);
		return;
	}
	uint64_t w = *slot;
	if (w && (uint32_t)(w >> 32) == h)
		__builtin_prefetch(entry_at(s, (uint32_t)w));
}

rv_ks_result keyset_add_hashed(rv_keyset *s, const void *key, size_t n, uint64_t hash, uint64_t tag,
			       size_t room, uint64_t *first_tag)
{
	uint32_t h = (uint32_t)hash;
	size_t mask = s->n_slots - 1, k = h & mask;
	for (uint64_t w; (w = s->slots[k]) != 0; k = (k + 1) & mask)
		if ((uint32_t)(w >> 32) == h && entry_is(s, (uint32_t)w, key, n, first_tag))
			return KS_FOUND;
	/* a new key: what it costs */
	size_t need = entry_size(s, n), cost = need;
	bool grow = (s->count + 1) * 4 > s->n_slots * 3;
	bool block = !s->n_blocks || s->size - s->used < need;
	if (grow)
		cost += s->n_slots * sizeof(uint64_t);
	if (block) {
		cost += next_block(s, need);
		if (s->n_blocks == s->cap_blocks)
			cost += (s->cap_blocks ? s->cap_blocks : 16) * sizeof(char *);
	}
	if (cost > room || (block && s->n_blocks == MAX_BLOCKS))
		return KS_FULL;
	if (grow) {
		grow_table(s);
		mask = s->n_slots - 1;
		for (k = h & mask; s->slots[k]; k = (k + 1) & mask)
			;
	}
	if (block) {
		size_t size = next_block(s, need);
		if (s->n_blocks == s->cap_blocks) {
			s->cap_blocks = s->cap_blocks ? s->cap_blocks * 2 : 16;
			s->blocks = xrealloc(s->blocks, s->cap_blocks * sizeof(char *));
		}
		s->blocks[s->n_blocks++] = new_block(size);
		s->size = size;
		s->used = 0;
		s->block_bytes += size;
	}
	unsigned char *e = s->blocks[s->n_blocks - 1] + s->used;
	uint32_t ref = (uint32_t)(((s->n_blocks - 1) << OFFSET_BITS) | (s->used / 4)) + 1;
	size_t len = n;
	while (len >= 0x80) {
		*e++ = (unsigned char)(len | 0x80);
		len >>= 7;
	}
	*e++ = (unsigned char)len;
	if (s->tagged) {
		memcpy(e, &tag, 8);
		e += 8;
	}
	if (n)
		memcpy(e, key, n);
	s->used += need;
	s->slots[k] = (uint64_t)h << 32 | ref;
	s->count++;
	return KS_ADDED;
}

bool keyset_insert(rv_keyset *s, const void *key, size_t n)
{
	rv_ks_result r = keyset_add(s, key, n, 0, SIZE_MAX, NULL);
	if (r == KS_FULL) {
		fprintf(stderr, "rvalid: a key set is larger than 16 GiB\n");
		abort();
	}
	return r == KS_ADDED;
}

bool keyset_contains(const rv_keyset *s, const void *key, size_t n)
{
	uint32_t h = (uint32_t)key_hash(key, n);
	size_t mask = s->n_slots - 1;
	for (size_t k = h & mask; s->slots[k]; k = (k + 1) & mask) {
		uint64_t w = s->slots[k];
		if ((uint32_t)(w >> 32) == h && entry_is(s, (uint32_t)w, key, n, NULL))
			return true;
	}
	return false;
}

size_t keyset_count(const rv_keyset *s)
{
	return s->count;
}

size_t keyset_bytes(const rv_keyset *s)
{
	return s->n_slots * sizeof(uint64_t) + s->block_bytes + s->cap_blocks * sizeof(char *);
}

void key_append(rv_buf *b, const rv_value *v)
{
	char tag = (char)('0' + v->type);
	buf_putc(b, tag);
	switch (v->type) {
	case RV_STR: buf_append(b, v->u.s.p, v->u.s.n); break;
	case RV_INT: buf_append(b, &v->u.i, sizeof(v->u.i)); break;
	case RV_FLOAT: {
		double f = v->u.f == 0 ? 0.0 : v->u.f; /* -0 and 0 are one value */
		buf_append(b, &f, sizeof(f));
		break;
	}
	case RV_BOOL: buf_putc(b, v->u.b ? '1' : '0'); break;
	case RV_DATE: buf_append(b, &v->u.date, sizeof(v->u.date)); break;
	case RV_DATETIME:
	case RV_TIME:
		buf_append(b, &v->u.t.secs, sizeof(v->u.t.secs));
		buf_append(b, &v->u.t.nsec, sizeof(v->u.t.nsec));
		break;
	case RV_DECIMAL: {
		/* sign, significant integer digits, '.', significant fraction digits */
		const char *p = v->u.s.p, *end = p + v->u.s.n;
		bool neg = p < end && *p == '-';
		if (neg)
			p++;
		while (p < end && *p == '0')
			p++;
		const char *dot = memchr(p, '.', (size_t)(end - p));
		const char *ie = dot ? dot : end;
		const char *fe = end;
		if (dot)
			while (fe > dot + 1 && fe[-1] == '0')
				fe--;
		bool zero = ie == p && (!dot || fe == dot + 1);
		if (neg && !zero)
			buf_putc(b, '-');
		buf_append(b, p, (size_t)(ie - p));
		if (dot && fe > dot + 1) {
			buf_putc(b, '.');
			buf_append(b, dot + 1, (size_t)(fe - dot - 1));
		}
		break;
	}
	case RV_NONE: break;
	}
}
