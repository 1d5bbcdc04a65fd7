/* keyset.c: an open-addressing hash set of byte keys, entries in big blocks. */
#include "keyset.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef struct {
	uint64_t row;
	uint32_t input;
	uint32_t len;
	unsigned char bytes[];
} entry;

typedef struct block {
	struct block *next;
	size_t used, size;
	_Alignas(8) unsigned char data[];
} block;

struct rv_keyset {
	uint64_t *hashes; /* 0: empty slot (real hashes are forced non-zero) */
	entry **entries;
	size_t slots, count;
	block *blocks;
	size_t block_bytes;
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

rv_keyset *keyset_new(void)
{
	rv_keyset *s = xcalloc(1, sizeof(*s));
	s->slots = 1024;
	s->hashes = xcalloc(s->slots, sizeof(uint64_t));
	s->entries = xcalloc(s->slots, sizeof(entry *));
	return s;
}

void keyset_free(rv_keyset *s)
{
	if (!s)
		return;
	for (block *b = s->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s->hashes);
	free(s->entries);
	free(s);
}

static entry *new_entry(rv_keyset *s, const void *key, size_t n)
{
	size_t need = (sizeof(entry) + n + 7) & ~(size_t)7;
	block *b = s->blocks;
	if (!b || b->size - b->used < need) {
		size_t size = need > (1u << 20) ? need : (1u << 20);
		b = xmalloc(sizeof(block) + size);
		b->size = size;
		b->used = 0;
		b->next = s->blocks;
		s->blocks = b;
		s->block_bytes += sizeof(block) + size;
	}
	entry *e = (entry *)(b->data + b->used);
	b->used += need;
	e->len = (uint32_t)n;
	if (n)
		memcpy(e->bytes, key, n);
	return e;
}

static void grow(rv_keyset *s)
{
	size_t slots = s->slots * 2;
	uint64_t *hashes = xcalloc(slots, sizeof(uint64_t));
	entry **entries = xcalloc(slots, sizeof(entry *));
	for (size_t i = 0; i < s->slots; i++) {
		if (!s->hashes[i])
			continue;
		size_t k = s->hashes[i] & (slots - 1);
		while (hashes[k])
			k = (k + 1) & (slots - 1);
		hashes[k] = s->hashes[i];
		entries[k] = s->entries[i];
	}
	free(s->hashes);
	free(s->entries);
	s->hashes = hashes;
	s->entries = entries;
	s->slots = slots;
}

bool keyset_insert(rv_keyset *s, const void *key, size_t n, uint32_t input, uint64_t row,
                   uint32_t *first_input, uint64_t *first_row)
{
	if ((s->count + 1) * 4 > s->slots * 3)
		grow(s);
	uint64_t h = key_hash(key, n);
	size_t k = h & (s->slots - 1);
	while (s->hashes[k]) {
		entry *e = s->entries[k];
		if (s->hashes[k] == h && e->len == n && memcmp(e->bytes, key, n) == 0) {
			if (first_input)
				*first_input = e->input;
			if (first_row)
				*first_row = e->row;
			return false;
		}
		k = (k + 1) & (s->slots - 1);
	}
	entry *e = new_entry(s, key, n);
	e->input = input;
	e->row = row;
	s->hashes[k] = h;
	s->entries[k] = e;
	s->count++;
	return true;
}

bool keyset_contains(const rv_keyset *s, const void *key, size_t n)
{
	uint64_t h = key_hash(key, n);
	size_t k = h & (s->slots - 1);
	while (s->hashes[k]) {
		const entry *e = s->entries[k];
		if (s->hashes[k] == h && e->len == n && memcmp(e->bytes, key, n) == 0)
			return true;
		k = (k + 1) & (s->slots - 1);
	}
	return false;
}

size_t keyset_count(const rv_keyset *s)
{
	return s->count;
}

size_t keyset_bytes(const rv_keyset *s)
{
	return s->slots * (sizeof(uint64_t) + sizeof(entry *)) + s->block_bytes;
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
