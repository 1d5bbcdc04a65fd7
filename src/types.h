/* types.h: rvalid's value types and their strict, locale-independent parsers.
 *
 * The same parsers type rule-file constants at compile time and cells at run
 * time, so a bound and a cell can never disagree about syntax. Every parser
 * takes a span (not NUL-terminated), allocates nothing and is thread-safe.
 * Syntax (SPEC 2.3):
 *   int       -?[0-9]+ fitting in 64 bits
 *   float     [+-]?(digits[.digits]|.digits|digits.)([eE][+-]?digits)?  (no inf, nan, hex)
 *   decimal   -?[0-9]+(\.[0-9]+)?   compared exactly as text, never as a double
 *   bool      true/false (any case), 1/0
 *   date      YYYY-MM-DD on the proleptic Gregorian calendar, years 0001-9999
 *   datetime  date, 'T' or ' ', HH:MM[:SS[.fraction]], optional Z or +-HH:MM
 *   time      HH:MM[:SS[.fraction]]
 * Fractions keep nanoseconds; further digits are accepted and ignored. */
#ifndef RV_TYPES_H
#define RV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	RV_STR,
	RV_INT,
	RV_FLOAT,
	RV_DECIMAL,
	RV_BOOL,
	RV_DATE,
	RV_DATETIME,
	RV_TIME,
	RV_NONE /* the None literal in expressions; never a field type */
} rv_type;

const char *type_name(rv_type t);
/* Reads a type name ("str", "int", ...); false for an unknown name. */
bool type_from_name(const char *name, rv_type *out);
bool type_is_numeric(rv_type t);  /* int, float, decimal */
bool type_is_temporal(rv_type t); /* date, datetime, time */

/* A point in time: datetimes are seconds since 1970-01-01T00:00:00 UTC (a
 * datetime without an offset is taken as UTC, so naive and aware values
 * compare where Python would refuse, and datetimes print with a Z); times
 * are seconds since midnight. */
typedef struct {
	int64_t secs;
	int32_t nsec;
} rv_instant;

typedef struct {
	rv_type type;
	union {
		int64_t i;
		double f;
		bool b;
		int32_t date; /* days since 1970-01-01 */
		rv_instant t; /* datetime, time */
		struct {
			const char *p; /* str, decimal (decimal: its text) */
			size_t n;
		} s;
	} u;
} rv_value;

bool parse_int(const char *p, size_t n, int64_t *out);
bool parse_float(const char *p, size_t n, double *out);
bool parse_decimal(const char *p, size_t n); /* syntax only; compare with decimal_cmp */
bool parse_bool(const char *p, size_t n, bool *out);
bool parse_date(const char *p, size_t n, int32_t *days);
bool parse_datetime(const char *p, size_t n, rv_instant *out);
bool parse_time(const char *p, size_t n, rv_instant *out);
/* Parses text as type t into out (str and decimal point into p). */
bool parse_value(rv_type t, const char *p, size_t n, rv_value *out);

/* -1, 0, 1 for two valid decimals, exactly (leading/trailing zeros and -0 ignored). */
int decimal_cmp(const char *a, size_t an, const char *b, size_t bn);
/* Orders two values of the same type (str: bytewise). */
int value_cmp(const rv_value *a, const rv_value *b);
/* Writes the value in its canonical text form (ISO 8601 for dates and times;
 * floats with %.17g trimmed). Returns the length, snprintf-style. */
int value_format(const rv_value *v, char *out, size_t size);

/* Days since 1970-01-01 of a valid civil date, and back. */
int32_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d);
bool date_valid(int y, unsigned m, unsigned d);

/* Date/time format patterns (SPEC 2.3 `format` on date, datetime, time fields):
 * %Y %m %d %H %M %S %f %z %j %b %%, fixed widths (%f takes 1-9 digits),
 * matched against the whole cell, C locale. */
enum { DTFMT_MAX_ITEMS = 64 };
typedef struct {
	unsigned char n;
	bool has_date; /* a date directive (%Y %m %d %j %b): checked even in a time */
	struct {
		char dir; /* directive letter, or 0 for a literal byte */
		char lit;
	} items[DTFMT_MAX_ITEMS];
} rv_dtfmt;

/* Compiles fmt for a field of type t. On error writes a message (without
 * position) to err and returns false. */
bool dtfmt_compile(const char *fmt, rv_type t, rv_dtfmt *out, char *err, size_t errlen);
bool dtfmt_parse(const rv_dtfmt *f, rv_type t, const char *p, size_t n, rv_value *out);

#endif
