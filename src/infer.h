/* infer.h: profiling a sample CSV in one streaming pass and proposing field rules.
 *
 * `rvalid init --from SAMPLE` reads the sample once and keeps, per column,
 * only bounded state: counts, the range of every type the values still
 * parse as (with the parsers of types.h, so inference and validation agree
 * on syntax), the longest value, up to INFER_ENUM_TRACK distinct values,
 * one shape of character classes, the string formats every value passes,
 * and an exact set of the values seen while they are all distinct (up to
 * INFER_UNIQUE_MAX values per column and INFER_UNIQUE_BYTES in all). From
 * that it proposes, per column (the rules are described in rvalid(1)):
 *   type      the first of bool, int, decimal, float, date, datetime, time
 *             that every present value parses as, else str. bool needs a
 *             true/false word (a column of 0 and 1 is int); digits with a
 *             leading zero (007, 01234) are codes: str.
 *   required  no cell is missing (and there is at least one record)
 *   min, max  the observed range, for every type but str and bool; a unique
 *             int column (a key, which grows) gets no max
 *   enum      str columns with at most INFER_ENUM_MAX distinct values, each
 *             seen at least twice, and fewer distinct values than half the
 *             present cells
 *   format    str columns (no enum) whose every value is a uuid, ipv4, ipv6,
 *             email or (with "://") uri
 *   pattern   str columns (no enum, no format) whose every value has one
 *             shape of digit, A-Z, a-z runs and ASCII punctuation, with at
 *             least INFER_MIN_RECORDS values: 012345 is \d{6}, ABC-1234 is
 *             [A-Z]{3}-\d{4}
 *   max_length  str columns without enum, pattern, uuid, ipv4 or ipv6 format:
 *             the longest value, exactly (no rounding up)
 *   unique    int and str columns whose every value is distinct, with at
 *             least INFER_MIN_RECORDS values
 * Records the validator would reject whatever the rules (blank, ragged or
 * badly quoted ones) and cells with invalid UTF-8 are counted and left out.
 * Not thread-safe; one profile per call. */
#ifndef RV_INFER_H
#define RV_INFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rules/ir.h"
#include "types.h"
#include "util/arena.h"

enum {
	INFER_ENUM_TRACK = 50,      /* distinct values followed per column */
	INFER_ENUM_MAX = 20,        /* at most this many make an enum */
	INFER_ENUM_VALUE_MAX = 64,  /* longer values end the column's enum */
	INFER_MIN_RECORDS = 10,     /* values needed for unique and pattern */
	INFER_MAX_COLUMNS = 10000,  /* wider samples are refused */
	INFER_UNIQUE_MAX = 1000000, /* values per column kept to prove uniqueness */
	INFER_BOUND_TEXT = 64       /* room for a bound's text */
};
#define INFER_UNIQUE_BYTES ((size_t)256 << 20) /* all unique sets together */
#define INFER_MAX_RECORD   ((size_t)64 << 20)  /* longest record read */

typedef struct {
	char delimiter;           /* 0: ',' or a tab for .tsv/.tab (after an optional .gz) */
	bool no_header;           /* fields are then named column_1, column_2, ... */
	const char *const *nulls; /* cell texts that mean missing, besides the empty cell */
	size_t n_nulls;
} infer_opts;

typedef struct {
	const char *text;
	size_t len;
} infer_str;

typedef struct {
	const char *name;
	size_t name_len;
	const char *skip_reason; /* non-NULL: the column gets no rule (a blank or repeated name) */
	uint64_t present, missing; /* cells with a value, missing cells */
	uint64_t distinct;         /* distinct present values, when known */
	bool distinct_known;       /* at most INFER_ENUM_TRACK, or all distinct */
	bool unique_unknown;       /* all distinct until the unique set reached its caps */

	/* the proposal */
	rv_type type;
	bool required, unique;
	bool has_min, has_max;
	char min[INFER_BOUND_TEXT], max[INFER_BOUND_TEXT]; /* the canonical text of the value */
	int64_t max_length;                                /* -1: none */
	const char *pattern;                               /* NULL: none */
	rv_strformat format;
	infer_str *enum_vals; /* most frequent first, ties in byte order */
	size_t n_enum;
} infer_field;

typedef struct {
	rv_arena *arena; /* owns the strings below */
	char delimiter;
	bool header;
	uint64_t records;   /* data records profiled */
	uint64_t skipped;   /* blank, ragged or badly quoted records left out */
	uint64_t bad_cells; /* cells with invalid UTF-8, left out */
	infer_field *fields;
	size_t n_fields;
	bool all_named; /* every column has a usable name: the columns can be strict */
} infer_result;

/* Profiles the CSV at path ("-" is stdin; gzip is detected) and proposes
 * rules. On success returns RV_OK and *out (free with infer_free). On
 * failure returns RV_IO (cannot read, corrupt gzip, an empty sample, a
 * record over INFER_MAX_RECORD, more than INFER_MAX_COLUMNS columns) with
 * "PATH: reason" in err. */
rv_status infer_profile(const char *path, const infer_opts *o, infer_result **out, char *err,
			size_t errlen);
/* Accepts NULL. */
void infer_free(infer_result *r);

#endif
