/* eval.h: evaluating the rule graph on records.
 *
 * A worker (one per thread) holds everything evaluation writes: PCRE2 match
 * data, typed values of the current record, scratch for row-rule strings.
 * It reads only the shared, read-only graph. Results of a run of records go
 * into a tally: counts per check, the failures (with their values copied, so
 * the chunk's bytes can be released), and one status byte per record.
 *
 * Semantics (SPEC 2.3, 2.4, 2.6, 2.9): a missing cell fails only `required`
 * and is not evaluated by the field's other checks; a cell that fails its
 * type fails only `type` and counts as skipped by the others; so does a cell
 * with invalid UTF-8 (csv.encoding) and every cell of a ragged or blank
 * record. Row rules skip a record when a missing or ill-typed value reaches
 * an operator other than `is None`, `is not None`, `and`, `or`, `not`. */
#ifndef RV_EVAL_H
#define RV_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "csv.h"
#include "graph.h"
#include "keyset.h"
#include "util/buf.h"

/* Where each field (and each extra column rules read) sits in one input's
 * records; built from the header by the engine. */
typedef struct {
	int *col;     /* n_fields + n_extra entries; -1 when not in the header */
	size_t ncols; /* the header's width */
} rv_binding;

/* Run-wide settings evaluation needs. */
typedef struct {
	const bool *enabled;      /* per check: false for --skip / not --only */
	bool fail_on_warn;        /* warnings count as errors */
	size_t samples;           /* failures kept per check and chunk when !keep_all */
	bool keep_all;            /* keep every failure (for --errors / NDJSON) */
	size_t max_field;         /* --max-field-size */
	int32_t today;            /* days since 1970-01-01, for today() */
	const char *const *nulls; /* null_values */
	size_t n_nulls;
	bool nulls_only_empty;  /* null_values is exactly [""]: the fast path */
	rv_keyset *const *refs; /* per field: the referenced values, or NULL */
	const uint32_t *uniq;   /* the enabled key checks (field unique, table unique, distinct) */
	size_t n_uniq;
	const int *agg_fields; /* the fields whose values feed aggregates (tally aggs) */
	size_t n_agg_fields;
} rv_eval_opts;

enum {
	NOTE_NONE,
	NOTE_MATCH_LIMIT, /* the pattern hit its match or depth limit */
	NOTE_DIV_ZERO,    /* division by zero in a row rule */
	NOTE_UNTERMINATED,
	NOTE_AFTER_QUOTE,
	NOTE_RAGGED,
	NOTE_FIELD_SIZE
};

typedef struct {
	uint32_t check;
	uint32_t record;    /* index of the record within the tally */
	uint32_t line;      /* physical line of the record start, 0-based within the tally */
	uint32_t value_off; /* into the tally's values buffer */
	uint32_t value_len;
	uint16_t cells; /* NOTE_RAGGED: the record's cell count */
	uint8_t has_value;
	uint8_t truncated; /* the value was cut at 256 code points */
	uint8_t note;
} rv_failure;

typedef struct {
	uint64_t evaluated, failed, skipped;
} rv_counts;

/* Per-field statistics for the report. */
typedef struct {
	uint64_t missing, invalid;
	uint64_t checked; /* valid values its constraint checks saw, not yet in their counts */
	bool has_range;
	rv_value min, max; /* of the valid typed values (not str); decimals point into min_text */
	char min_text[64], max_text[64];
} rv_fieldstat;

enum {
	RS_INVALID = 1, /* failed an error check (not a `mostly` one) */
	RS_WARNED = 2,  /* failed a warn check */
	RS_PENDING = 4  /* failed only `mostly` checks: decided at the end of the run */
};

typedef struct {
	size_t n_checks, n_fields;
	rv_counts *counts;
	rv_fieldstat *fields;
	rv_failure *fails;
	size_t n_fails, cap_fails;
	rv_buf values;
	uint8_t *status;               /* per record */
	uint32_t *rec_start, *rec_end; /* each record's bytes in the chunk (for quarantine) */
	uint32_t *rec_line;            /* each record's first line, relative to the chunk */
	size_t n_records, cap_records;
	uint64_t *pending_mask; /* per RS_PENDING record, in order: the mostly checks it failed */
	size_t n_pending, cap_pending;
	/* keys, decided by the merger in input order: per record and uniq slot,
	 * key bytes then display text at key_off in keys; key_len UINT32_MAX
	 * when the record has no key for the slot (missing parts). A one-part
	 * key is its value's key_append bytes; a composite key has each part
	 * behind its length (u32). A distinct count's key has no display text. */
	uint32_t *key_off, *key_len, *disp_len;
	uint64_t *key_hash; /* key_hash of each key */
	size_t cap_keys;
	rv_buf keys;
	/* per field: the accumulator of a field in agg_fields, else NULL; the
	 * engine sets them after tally_init, the tally resets and frees them */
	rv_aggacc **aggs;
	uint64_t lines;           /* physical lines consumed */
	uint64_t cells, nonblank; /* for the structural checks' counts (eval_finish) */
} rv_tally;

void tally_init(rv_tally *t, size_t n_checks, size_t n_fields);
void tally_reset(rv_tally *t);
void tally_free(rv_tally *t);

/* What a failure of check c does to its record: RS_WARNED (a warning,
 * unless warnings fail the run), RS_INVALID, or 0 with the check's bit
 * set in *mask (a `mostly` check: decided at the end of the run). One rule
 * for the workers and the merger's duplicates. */
static inline unsigned check_effect(const rv_check *c, bool fail_on_warn, uint64_t *mask)
{
	if (c->severity == SEV_WARN && !fail_on_warn)
		return RS_WARNED;
	if (c->mostly_bit >= 0) {
		*mask |= 1ull << c->mostly_bit;
		return 0;
	}
	return RS_INVALID;
}

typedef struct rv_worker rv_worker;

rv_worker *worker_new(const rv_graph *g, const rv_eval_opts *o);
void worker_free(rv_worker *w);
/* Evaluates one record; rec_off/rec_end are its bytes in the chunk (kept for
 * quarantine), line its first physical line relative to the chunk. */
void eval_record(rv_worker *w, const rv_binding *b, const csv_record *rec, uint32_t rec_off,
		 uint32_t rec_end, uint32_t line, rv_tally *t);
/* Completes the tally after its last eval_record: the evaluated counts of
 * the structural and constraint checks, kept in sums while records are
 * evaluated. */
void eval_finish(rv_worker *w, rv_tally *t);

#endif
