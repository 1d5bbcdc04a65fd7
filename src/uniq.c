/* uniq.c: key slots in memory while they fit, hash partitions on disk after.
 *
 * A partition entry is the slot (u32), the key's length (u32), the record's
 * sequence number (u64), then the key. A partition is decided by reading it
 * in order (its entries are in input order, since the merger appends in
 * input order) into one tagged set keyed by slot and key: a key found there
 * is a duplicate of the tag's sequence number. The answer stream of a
 * partition holds one u64 per entry of a uniqueness slot: UINT64_MAX for a
 * first occurrence, else the first occurrence's sequence number. When a
 * partition does not fit the budget, it is split by the next 4 bits of the
 * hash into 16 parts, each decided alone; a route file (one byte per
 * answered entry: which part) then weaves their answers back into the
 * partition's order. The in-memory sets are frozen at the first key that
 * does not fit, so a key is either in memory from its first occurrence on,
 * or spilled with all of its occurrences. */
#include "uniq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/outfile.h"
#include "io/spillfile.h"
#include "keyset.h"
#include "util/buf.h"
#include "util/xalloc.h"

enum {
	MAX_DEPTH = 12, /* levels of splitting; past them a part is taken whatever its size */
	MIN_RESOLVE =
		64 * 1024 /* deciding a partition may take this much even under a smaller budget */
};

struct rv_uniq {
	size_t n_slots;
	bool *answers;
	uint64_t budget;
	rv_keyset **mem;
	size_t mem_bytes;
	bool frozen;
	bool spilled;
	size_t bufsize;
	rv_spillfile *parts[UQ_PARTS];
	rv_spillfile *ans[UQ_PARTS];
	uint64_t *spilled_new; /* per slot: first occurrences found in the partitions */
	rv_buf key;            /* scratch: slot, then key */
	rv_status status;
	char err[512];
};

/* The partition hash: the key's hash, mixed with its slot. */
static uint64_t part_hash(uint32_t slot, uint64_t hash)
{
	uint64_t h = hash + (uint64_t)(slot + 1) * 0x9E3779B97F4A7C15ull;
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 33;
	return h;
}

rv_uniq *uniq_new(size_t n_slots, const bool *answers, uint64_t budget)
{
	rv_uniq *u = xcalloc(1, sizeof(*u));
	u->n_slots = n_slots;
	u->answers = xcalloc(n_slots ? n_slots : 1, sizeof(bool));
	if (n_slots)
		memcpy(u->answers, answers, n_slots * sizeof(bool));
	u->budget = budget;
	u->mem = xcalloc(n_slots ? n_slots : 1, sizeof(rv_keyset *));
	for (size_t s = 0; s < n_slots; s++) {
		u->mem[s] = keyset_new(true);
		u->mem_bytes += keyset_bytes(u->mem[s]);
	}
	u->spilled_new = xcalloc(n_slots ? n_slots : 1, sizeof(uint64_t));
	uint64_t b = budget / 64;
	u->bufsize = b < 4096 ? 4096 : b > 65536 ? 65536 : (size_t)b;
	buf_init(&u->key, 0);
	return u;
}

void uniq_free(rv_uniq *u)
{
	if (!u)
		return;
	for (size_t s = 0; s < u->n_slots; s++)
		keyset_free(u->mem[s]);
	for (int p = 0; p < UQ_PARTS; p++) {
		spillfile_free(u->parts[p]);
		spillfile_free(u->ans[p]);
	}
	free(u->mem);
	free(u->answers);
	free(u->spilled_new);
	buf_free(&u->key);
	free(u);
}

static void fail(rv_uniq *u, const char *what, const rv_spillfile *f)
{
	if (u->status != RV_OK)
		return;
	char why[256] = "";
	if (f)
		spillfile_error(f, why, sizeof(why));
	snprintf(u->err, sizeof(u->err), "uniqueness spill: %s%s%s", what, why[0] ? ": " : "", why);
	u->status = RV_IO;
}

static rv_spillfile *new_file(rv_uniq *u)
{
	char err[512];
	rv_spillfile *f = spillfile_new(u->bufsize, err, sizeof(err));
	if (!f && u->status == RV_OK) {
		snprintf(u->err, sizeof(u->err), "%s", err);
		u->status = RV_IO;
	}
	return f;
}

static bool write_entry(rv_uniq *u, rv_spillfile *f, uint32_t slot, const void *key, uint32_t n,
			uint64_t seq)
{
	unsigned char head[16];
	memcpy(head, &slot, 4);
	memcpy(head + 4, &n, 4);
	memcpy(head + 8, &seq, 8);
	if (!spillfile_write(f, head, sizeof(head)) || !spillfile_write(f, key, n)) {
		fail(u, "cannot write a temporary file", f);
		return false;
	}
	return true;
}

/* Reads the next entry: u->key gets the slot and the key (a set key). */
static bool read_entry(rv_uniq *u, rv_spillfile *f, uint32_t *slot, uint64_t *seq)
{
	unsigned char head[16];
	if (!spillfile_read(f, head, sizeof(head)))
		return false;
	uint32_t n;
	memcpy(slot, head, 4);
	memcpy(&n, head + 4, 4);
	memcpy(seq, head + 8, 8);
	buf_reset(&u->key);
	buf_append(&u->key, slot, 4);
	char chunk[4096];
	while (n) {
		uint32_t k = n < sizeof(chunk) ? n : (uint32_t)sizeof(chunk);
		if (!spillfile_read(f, chunk, k)) {
			fail(u, "a temporary file was cut short", f);
			return false;
		}
		buf_append(&u->key, chunk, k);
		n -= k;
	}
	return true;
}

void uniq_prefetch(const rv_uniq *u, size_t slot, uint64_t hash, bool entry)
{
	keyset_prefetch(u->mem[slot], hash, entry);
}

rv_uq_result uniq_decide(rv_uniq *u, size_t slot, const void *key, size_t n, uint64_t hash,
			 uint64_t *first, unsigned *part, uint64_t seq)
{
	if (u->status != RV_OK)
		return UQ_ERROR;
	rv_keyset *s = u->mem[slot];
	size_t before = keyset_bytes(s);
	size_t room =
		u->frozen || u->mem_bytes >= u->budget ? 0 : (size_t)(u->budget - u->mem_bytes);
	uint64_t f;
	switch (keyset_add_hashed(s, key, n, hash, seq, room, &f)) {
	case KS_ADDED: u->mem_bytes += keyset_bytes(s) - before; return UQ_NEW;
	case KS_FOUND:
		if (first)
			*first = f;
		return UQ_DUP;
	case KS_FULL: break;
	}
	u->frozen = true;
	if (!u->spilled) {
		for (int p = 0; p < UQ_PARTS; p++)
			if (!(u->parts[p] = new_file(u)))
				return UQ_ERROR;
		u->spilled = true;
	}
	unsigned p = (unsigned)(part_hash((uint32_t)slot, hash) >> 60);
	if (!write_entry(u, u->parts[p], (uint32_t)slot, key, (uint32_t)n, seq))
		return UQ_ERROR;
	if (part)
		*part = p;
	return UQ_SPILLED;
}

bool uniq_spilled(const rv_uniq *u)
{
	return u->spilled;
}

static rv_status resolve(rv_uniq *u, rv_spillfile *in, unsigned depth, rv_spillfile **out);

/* Splits a partition that does not fit into 16 by the next hash bits,
 * decides each, and weaves their answers back into its order. Takes in. */
static rv_status split(rv_uniq *u, rv_spillfile *in, unsigned depth, rv_spillfile **out)
{
	rv_spillfile *sub[UQ_PARTS] = {0}, *subans[UQ_PARTS] = {0}, *route = NULL, *ans = NULL;
	unsigned shift = 56 - 4 * depth;
	for (int k = 0; k < UQ_PARTS; k++)
		if (!(sub[k] = new_file(u)))
			goto out;
	if (!(route = new_file(u)))
		goto out;
	if (!spillfile_rewind(in)) {
		fail(u, "cannot read a temporary file", in);
		goto out;
	}
	uint32_t slot;
	uint64_t seq;
	while (read_entry(u, in, &slot, &seq)) {
		const char *key = u->key.data + 4;
		uint32_t n = (uint32_t)(u->key.len - 4);
		unsigned char k = (unsigned char)((part_hash(slot, key_hash(key, n)) >> shift) &
						  (UQ_PARTS - 1));
		if (!write_entry(u, sub[k], slot, key, n, seq))
			goto out;
		if (u->answers[slot] && !spillfile_write(route, &k, 1)) {
			fail(u, "cannot write a temporary file", route);
			goto out;
		}
	}
	if (spillfile_error(in, NULL, 0)) {
		fail(u, "cannot read a temporary file", in);
		goto out;
	}
	spillfile_free(in);
	in = NULL;
	for (int k = 0; k < UQ_PARTS; k++) {
		rv_spillfile *s = sub[k];
		sub[k] = NULL;
		if (resolve(u, s, depth + 1, &subans[k]) != RV_OK)
			goto out;
	}
	if (!(ans = new_file(u)))
		goto out;
	if (!spillfile_rewind(route)) {
		fail(u, "cannot read a temporary file", route);
		goto out;
	}
	unsigned char k;
	while (spillfile_read(route, &k, 1)) {
		uint64_t a;
		if (!spillfile_read(subans[k], &a, sizeof(a)) ||
		    !spillfile_write(ans, &a, sizeof(a))) {
			fail(u, "cannot weave the answers of a split partition", subans[k]);
			goto out;
		}
	}
	if (spillfile_error(route, NULL, 0))
		fail(u, "cannot read a temporary file", route);
	else if (!spillfile_rewind(ans))
		fail(u, "cannot read a temporary file", ans);
out:
	spillfile_free(in);
	spillfile_free(route);
	for (int j = 0; j < UQ_PARTS; j++) {
		spillfile_free(sub[j]);
		spillfile_free(subans[j]);
	}
	if (u->status != RV_OK) {
		spillfile_free(ans);
		ans = NULL;
	}
	*out = ans;
	return u->status;
}

/* Decides one partition into a new answer file (*out, rewound for
 * reading). Takes in. */
static rv_status resolve(rv_uniq *u, rv_spillfile *in, unsigned depth, rv_spillfile **out)
{
	*out = NULL;
	if (outfile_interrupted()) {
		spillfile_free(in);
		return outfile_interrupt_status();
	}
	rv_spillfile *ans = new_file(u);
	if (!ans) {
		spillfile_free(in);
		return u->status;
	}
	if (!spillfile_rewind(in)) {
		fail(u, "cannot read a temporary file", in);
		spillfile_free(in);
		spillfile_free(ans);
		return u->status;
	}
	rv_keyset *ks = keyset_new(true);
	uint64_t *found = xcalloc(u->n_slots ? u->n_slots : 1, sizeof(uint64_t));
	bool too_big = false;
	uint32_t slot;
	uint64_t seq;
	while (u->status == RV_OK && read_entry(u, in, &slot, &seq)) {
		size_t bytes = keyset_bytes(ks);
		uint64_t limit = u->budget > MIN_RESOLVE ? u->budget : MIN_RESOLVE;
		size_t room = depth >= MAX_DEPTH ? SIZE_MAX
			      : bytes >= limit   ? 0
						 : (size_t)(limit - bytes);
		uint64_t first;
		rv_ks_result r = keyset_add(ks, u->key.data, u->key.len, seq, room, &first);
		if (r == KS_FULL) {
			too_big = true;
			break;
		}
		if (r == KS_ADDED)
			found[slot]++;
		if (u->answers[slot]) {
			uint64_t a = r == KS_ADDED ? UINT64_MAX : first;
			if (!spillfile_write(ans, &a, sizeof(a)))
				fail(u, "cannot write a temporary file", ans);
		}
	}
	if (!too_big && spillfile_error(in, NULL, 0))
		fail(u, "cannot read a temporary file", in);
	keyset_free(ks);
	if (too_big && u->status == RV_OK) {
		free(found);
		spillfile_free(ans);
		return split(u, in, depth, out);
	}
	spillfile_free(in);
	if (u->status == RV_OK && !spillfile_rewind(ans))
		fail(u, "cannot read a temporary file", ans);
	if (u->status != RV_OK) {
		spillfile_free(ans);
		free(found);
		return u->status;
	}
	for (size_t s = 0; s < u->n_slots; s++)
		u->spilled_new[s] += found[s];
	free(found);
	*out = ans;
	return RV_OK;
}

rv_status uniq_resolve(rv_uniq *u, char *err, size_t errlen)
{
	if (u->spilled && u->status == RV_OK) {
		/* the in-memory decisions are made: give their memory to the partitions */
		for (size_t s = 0; s < u->n_slots; s++) {
			uint64_t count = keyset_count(u->mem[s]);
			keyset_free(u->mem[s]);
			u->mem[s] = NULL;
			u->spilled_new[s] += count;
		}
		u->mem_bytes = 0;
		for (int p = 0; p < UQ_PARTS && u->status == RV_OK; p++) {
			rv_spillfile *in = u->parts[p];
			u->parts[p] = NULL;
			rv_status st = resolve(u, in, 0, &u->ans[p]);
			if (st != RV_OK && u->status == RV_OK)
				return st; /* interrupted */
		}
	}
	return uniq_status(u, err, errlen);
}

bool uniq_answer(rv_uniq *u, unsigned part, uint64_t *first)
{
	uint64_t a;
	if (u->status != RV_OK)
		return false;
	if (!u->ans[part] || !spillfile_read(u->ans[part], &a, sizeof(a))) {
		fail(u, "the answers of a partition ended early", u->ans[part]);
		return false;
	}
	if (a == UINT64_MAX)
		return false;
	*first = a;
	return true;
}

uint64_t uniq_distinct(const rv_uniq *u, size_t slot)
{
	return (u->mem[slot] ? keyset_count(u->mem[slot]) : 0) + u->spilled_new[slot];
}

rv_status uniq_status(const rv_uniq *u, char *err, size_t errlen)
{
	if (u->status != RV_OK && err && errlen)
		snprintf(err, errlen, "%s", u->err);
	return u->status;
}

size_t uniq_memory(const rv_uniq *u)
{
	return u->mem_bytes;
}

uint64_t uniq_memory_keys(const rv_uniq *u)
{
	uint64_t n = 0;
	for (size_t s = 0; s < u->n_slots; s++)
		n += u->mem[s] ? keyset_count(u->mem[s]) : 0;
	return n;
}
