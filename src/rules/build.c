/* build.c: read a rule file's document tree into the IR.
 *
 * This is the one place that knows the rule language's keys: both front ends
 * hand it the same tree shape, so every check and every message is shared.
 * Values are typed by where they stand (a YAML `NO` under a str enum is the
 * text "NO"; under an int bound, `18` is an int). Errors are recorded and the
 * walk goes on, so a file with five mistakes gets five messages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules/ir.h"
#include "util/suggest.h"

typedef struct {
	rv_arena *a;
	rv_diags *d;
	rv_ruleset *rs;
	bool py; /* the tree came from the Python-like front end: say Field(...), not mapping */
} builder;

static const char *const TOP_KEYS[] = {"version", "name",  "description", "csv", "columns",
				       "fields",  "rules", "table",       NULL};
static const char *const CSV_KEYS[] = {"delimiter",  "quote",       "escape",
				       "header",     "null_values", "encoding",
				       "skip_lines", "comment",     NULL};
static const char *const FIELD_KEYS[] = {
	"type",          "required",    "min",        "max",     "exclusive_min",
	"exclusive_max", "min_length",  "max_length", "pattern", "enum",
	"not_in",        "ignore_case", "format",     "unique",  "references",
	"severity",      "message",     "mostly",     NULL};
static const char *const RULE_KEYS[] = {"name", "check", "when", "severity", "message", NULL};
static const char *const TABLE_KEYS[] = {"rows", "max_invalid", "unique", "aggregates", NULL};
static const char *const AGG_NAMES[] = {"min",    "max",     "mean",     "sum",
					"stddev", "missing", "distinct", NULL};
static const char *const STRFMT_NAMES[] = {"",     "email", "uri",    "uuid", "ipv4",
					   "ipv6", "hex",   "base64", NULL};

/* ---- small readers ---- */

static void err_at(builder *b, const doc_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void err_at(builder *b, const doc_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(b->d, n->line, n->col, "%s", msg);
}

/* A value as a message names it: 'text' for scalars, "a list" for the rest. */
static const char *describe(builder *b, const doc_node *n)
{
	switch (n->kind) {
	case DOC_MAP:
	case DOC_LIST:
	case DOC_NULL: return doc_kind_name(n);
	case DOC_BOOL: return n->bval ? (b->py ? "True" : "true") : (b->py ? "False" : "false");
	default: return arena_printf(b->a, "'%s'", n->text);
	}
}

static void unknown_key(builder *b, const doc_node *key, const char *what,
			const char *const *candidates)
{
	const char *s = suggest(key->text, key->len, candidates, 0);
	if (s)
		err_at(b, key, "unknown %s '%s' (did you mean '%s'?)", what, key->text, s);
	else
		err_at(b, key, "unknown %s '%s'", what, key->text);
}

static bool is_one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* A map, optionally one a Python call of the given name made. */
static bool want_map(builder *b, const doc_node *n, const char *what, const char *call)
{
	if (n->kind == DOC_MAP && (!n->call || (call && strcmp(n->call, call) == 0)))
		return true;
	if (call && b->py)
		err_at(b, n, "%s must be %s(...), not %s", what, call, doc_kind_name(n));
	else
		err_at(b, n, "%s must be a %s, not %s", what, b->py ? "dictionary" : "mapping",
		       doc_kind_name(n));
	return false;
}

static bool want_list(builder *b, const doc_node *n, const char *what)
{
	if (n->kind == DOC_LIST)
		return true;
	err_at(b, n, "%s must be a list, not %s", what, doc_kind_name(n));
	return false;
}

static const char *want_str(builder *b, const doc_node *n, const char *what)
{
	if (n->kind == DOC_STR || n->kind == DOC_PLAIN)
		return n->text;
	err_at(b, n, "%s must be a string, not %s", what, doc_kind_name(n));
	return NULL;
}

static bool want_bool(builder *b, const doc_node *n, const char *what, bool *out)
{
	if (n->kind == DOC_BOOL) {
		*out = n->bval;
		return true;
	}
	if (n->kind == DOC_PLAIN) {
		static const char *const T[] = {"true", "True", "TRUE", NULL};
		static const char *const F[] = {"false", "False", "FALSE", NULL};
		if (is_one_of(n->text, T) || is_one_of(n->text, F)) {
			*out = n->text[0] == 't' || n->text[0] == 'T';
			return true;
		}
	}
	if (n->kind == DOC_STR &&
	    (strcasecmp(n->text, "true") == 0 || strcasecmp(n->text, "false") == 0))
		err_at(b, n, "%s must be %s, not the string '%s' (remove the quotes)", what,
		       b->py ? "True or False" : "true or false", n->text);
	else
		err_at(b, n, "%s must be %s, not %s", what,
		       b->py ? "True or False" : "true or false", describe(b, n));
	return false;
}

/* A whole non-negative number (counts, lengths). */
static bool want_count(builder *b, const doc_node *n, const char *what, uint64_t *out)
{
	int64_t v;
	if ((n->kind == DOC_INT || n->kind == DOC_PLAIN) && parse_int(n->text, n->len, &v) &&
	    v >= 0) {
		*out = (uint64_t)v;
		return true;
	}
	err_at(b, n, "%s must be a whole number of 0 or more, not %s", what, describe(b, n));
	return false;
}

/* A decimal text ("0.99", "5", "1.5") as an exact fraction. */
static bool ratio_from_text(const char *s, rv_ratio *out)
{
	uint64_t num = 0, den = 1;
	bool frac = false, any = false;
	for (; *s; s++) {
		if (*s == '.' && !frac) {
			frac = true;
			continue;
		}
		/* up to 18 digits after the point: the fractions stay exact in 64 bits */
		if (*s < '0' || *s > '9' || num > UINT64_MAX / 10 - 9 ||
		    (frac && den > UINT64_MAX / 10))
			return false;
		num = num * 10 + (uint64_t)(*s - '0');
		if (frac)
			den *= 10;
		any = true;
	}
	if (!any)
		return false;
	out->num = num;
	out->den = den;
	return true;
}

/* A share in (0, 1] written as digits with an optional point, any number
 * of decimals ("0.99", "1", "0.666666666666666666666"). out is exact up to
 * 18 decimals; longer shares are compared from their text. */
static bool share_in_unit(const char *s, rv_ratio *out)
{
	const char *p = s;
	size_t ip = 0, fp = 0;
	bool nonzero = false, frac_nonzero = false;
	while (*p >= '0' && *p <= '9') {
		nonzero |= *p != '0';
		p++, ip++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			frac_nonzero |= *p != '0';
			p++, fp++;
		}
	}
	if (*p || (ip == 0 && fp == 0) || (!nonzero && !frac_nonzero))
		return false;
	/* at most 1: an integer part of 0, or exactly 1 with a zero fraction */
	const char *q = s;
	while (*q == '0')
		q++;
	bool int_one = *q == '1' && (q[1] == '.' || !q[1]);
	if (nonzero && !(int_one && !frac_nonzero))
		return false;
	if (!ratio_from_text(s, out)) {
		/* more decimals than 64 bits hold: keep the first 18 for display
		 * order; the engine compares the text */
		char cut[40];
		snprintf(cut, sizeof(cut), "%.20s", s);
		if (!ratio_from_text(cut, out))
			return false;
	}
	return true;
}

/* Types a scalar as type t, by where it stands (SPEC 2.2). */
static bool typed_value(builder *b, const doc_node *n, rv_type t, const char *what, rv_value *out)
{
	bool ok = false;
	switch (t) {
	case RV_STR: ok = n->kind == DOC_STR || n->kind == DOC_PLAIN; break;
	case RV_INT:
	case RV_FLOAT:
		ok = n->kind == DOC_INT || n->kind == DOC_FLOAT || n->kind == DOC_PLAIN;
		break;
	case RV_DECIMAL:
		/* '10.50' is the exact way to write a decimal in Python */
		ok = n->kind == DOC_INT || n->kind == DOC_FLOAT || n->kind == DOC_PLAIN ||
		     n->kind == DOC_STR;
		break;
	case RV_BOOL:
		if (n->kind == DOC_BOOL) {
			out->type = RV_BOOL;
			out->u.b = n->bval;
			return true;
		}
		ok = n->kind == DOC_PLAIN;
		break;
	case RV_DATE:
	case RV_DATETIME:
	case RV_TIME: ok = n->kind == DOC_STR || n->kind == DOC_PLAIN; break;
	case RV_NONE: break;
	}
	if (ok && parse_value(t, n->text, n->len, out))
		return true;
	if (n->kind == DOC_MAP || n->kind == DOC_LIST || n->kind == DOC_NULL || !ok)
		err_at(b, n, "%s must be %s %s, not %s", what, t == RV_INT ? "an" : "a",
		       type_name(t), doc_kind_name(n));
	else
		err_at(b, n, "%s: '%s' is not a valid %s", what, n->text, type_name(t));
	return false;
}

static bool want_severity(builder *b, const doc_node *n, rv_severity *out)
{
	const char *s = want_str(b, n, "severity");
	if (!s)
		return false;
	if (strcmp(s, "error") == 0 || strcmp(s, "warn") == 0) {
		*out = s[0] == 'e' ? SEV_ERROR : SEV_WARN;
		return true;
	}
	if (strcmp(s, "warning") == 0)
		err_at(b, n, "unknown severity 'warning' (did you mean 'warn'?)");
	else
		err_at(b, n, "unknown severity '%s' (use error or warn)", s);
	return false;
}

/* ---- csv ---- */

static bool want_char(builder *b, const doc_node *n, const char *what, char *out, bool allow_none)
{
	if (allow_none && (n->kind == DOC_NULL ||
			   ((n->kind == DOC_STR || n->kind == DOC_PLAIN) && n->len == 0))) {
		*out = 0;
		return true;
	}
	const char *s = want_str(b, n, what);
	if (!s)
		return false;
	if (n->len != 1 || (unsigned char)s[0] >= 0x80) {
		err_at(b, n, "%s must be one ASCII character, not '%s'", what, s);
		return false;
	}
	if (s[0] == '\n' || s[0] == '\r') {
		err_at(b, n, "%s cannot be a line end", what);
		return false;
	}
	*out = s[0];
	return true;
}

static void build_csv(builder *b, const doc_node *m)
{
	rv_dialect *c = &b->rs->csv;
	if (!want_map(b, m, "csv", NULL))
		return;
	for (size_t i = 0; i < m->n; i++) {
		const doc_node *k = m->keys[i], *v = m->items[i];
		const char *key = k->text;
		if (strcmp(key, "delimiter") == 0) {
			c->delimiter_set = want_char(b, v, "delimiter", &c->delimiter, false);
		} else if (strcmp(key, "quote") == 0) {
			c->quote_set = want_char(b, v, "quote", &c->quote, true);
		} else if (strcmp(key, "escape") == 0) {
			c->escape_set = want_char(b, v, "escape", &c->escape, true);
		} else if (strcmp(key, "comment") == 0) {
			c->comment_set = want_char(b, v, "comment", &c->comment, true);
		} else if (strcmp(key, "header") == 0) {
			c->header_set = want_bool(b, v, "header", &c->header);
		} else if (strcmp(key, "skip_lines") == 0) {
			c->skip_lines_set = want_count(b, v, "skip_lines", &c->skip_lines);
		} else if (strcmp(key, "null_values") == 0) {
			if (!want_list(b, v, "null_values"))
				continue;
			c->null_values = arena_alloc(b->a, (v->n ? v->n : 1) * sizeof(char *));
			c->n_null = 0;
			for (size_t j = 0; j < v->n; j++) {
				const char *s = want_str(b, v->items[j], "a null value");
				if (s)
					c->null_values[c->n_null++] = s;
			}
			c->null_set = true;
		} else if (strcmp(key, "encoding") == 0) {
			const char *s = want_str(b, v, "encoding");
			if (!s)
				continue;
			c->encoding_set = encoding_from_name(s, &c->encoding);
			if (!c->encoding_set)
				err_at(b, v,
				       "unknown encoding '%s' (use utf-8, latin-1, cp1252 or utf-16)",
				       s);
		} else {
			unknown_key(b, k, "csv setting", CSV_KEYS);
		}
	}
	if (c->delimiter_set && c->quote_set && c->delimiter == c->quote)
		err_at(b, m, "csv: the delimiter and the quote are the same character");
	if (c->delimiter_set && !c->quote_set && c->delimiter == '"')
		err_at(b, m, "csv: the delimiter is the quote character; set quote too");
	if (c->escape_set && c->escape && c->escape == (c->quote_set ? c->quote : '"'))
		err_at(b, m,
		       "csv: escape cannot be the quote character (a doubled quote already "
		       "stands for one)");
}

/* ---- fields ---- */

static bool null_value(const rv_dialect *c, const char *s, size_t n)
{
	for (size_t i = 0; i < c->n_null; i++)
		if (strlen(c->null_values[i]) == n && memcmp(c->null_values[i], s, n) == 0)
			return true;
	return false;
}

static void build_values(builder *b, rv_field_ir *f, const doc_node *v, const char *what,
			 rv_value **out, size_t *count)
{
	if (!want_list(b, v, what))
		return;
	*out = arena_alloc(b->a, (v->n ? v->n : 1) * sizeof(rv_value));
	*count = 0;
	char label[64];
	snprintf(label, sizeof(label), "%s value", what);
	for (size_t j = 0; j < v->n; j++) {
		const doc_node *item = v->items[j];
		rv_value val;
		if (!typed_value(b, item, f->type, label, &val))
			continue;
		if ((item->kind == DOC_STR || item->kind == DOC_PLAIN) &&
		    null_value(&b->rs->csv, item->text, item->len))
			diag_warn(b->d, item->line, item->col,
				  "'%s' in %s can never match: such a cell is missing", item->text,
				  what);
		(*out)[(*count)++] = val;
	}
}

static void check_pattern(builder *b, const doc_node *v, bool caseless)
{
	int code;
	PCRE2_SIZE off;
	uint32_t opts =
		PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED | (caseless ? PCRE2_CASELESS : 0);
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)v->text, v->len, opts, &code, &off, NULL);
	if (re) {
		pcre2_code_free(re);
		return;
	}
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(code, msg, sizeof(msg));
	/* point at the offending character when the text maps onto the file */
	int line = v->line, col = v->col;
	if (v->text_line > 0) {
		line = v->text_line;
		col = v->text_col;
		for (size_t i = 0; i < off && i < v->len; i++)
			if (((unsigned char)v->text[i] & 0xC0) != 0x80)
				col++;
	}
	diag_error(b->d, line, col, "invalid pattern: %s (at offset %zu)", (const char *)msg,
		   (size_t)off);
}

static void set_bound(builder *b, rv_field_ir *f, rv_bound *bound, const doc_node *k,
		      const doc_node *v)
{
	if (f->type == RV_STR || f->type == RV_BOOL) {
		err_at(b, k,
		       "'%s' does not apply to a %s field (use min_length/max_length for text)",
		       k->text, type_name(f->type));
		return;
	}
	if (typed_value(b, v, f->type, k->text, &bound->v)) {
		bound->set = true;
		bound->text = v->text;
		bound->pos = (rv_pos){v->line, v->col};
	}
}

static void check_bounds(builder *b, rv_field_ir *f, const doc_node *m)
{
	if (f->min.set && f->xmin.set)
		diag_error(b->d, f->xmin.pos.line, f->xmin.pos.col,
			   "field '%s' has both min and exclusive_min", f->name);
	if (f->max.set && f->xmax.set)
		diag_error(b->d, f->xmax.pos.line, f->xmax.pos.col,
			   "field '%s' has both max and exclusive_max", f->name);
	const rv_bound *lo = f->min.set ? &f->min : f->xmin.set ? &f->xmin : NULL;
	const rv_bound *hi = f->max.set ? &f->max : f->xmax.set ? &f->xmax : NULL;
	if (lo && hi) {
		int c = value_cmp(&lo->v, &hi->v);
		bool strict = lo == &f->xmin || hi == &f->xmax;
		if (c > 0 || (c == 0 && strict))
			diag_error(b->d, hi->pos.line, hi->pos.col,
				   "field '%s': %s (%s) is above %s (%s): no value can pass",
				   f->name, lo == &f->min ? "min" : "exclusive_min", lo->text,
				   hi == &f->max ? "max" : "exclusive_max", hi->text);
	}
	if (f->min_length >= 0 && f->max_length >= 0 && f->min_length > f->max_length)
		diag_error(b->d, f->max_length_pos.line, f->max_length_pos.col,
			   "field '%s': min_length (%lld) is above max_length (%lld)", f->name,
			   (long long)f->min_length, (long long)f->max_length);
}

static void build_field(builder *b, rv_field_ir *f, const doc_node *key, const doc_node *m)
{
	f->name = key->text;
	f->pos = (rv_pos){key->line, key->col};
	f->type = RV_STR;
	f->min_length = f->max_length = -1;
	if (m->kind == DOC_NULL)
		return; /* `note:` with nothing: a str column with no constraints */
	char what[300];
	snprintf(what, sizeof(what), "field '%s'", f->name);
	if (!want_map(b, m, what, "Field"))
		return;
	/* the type first: every other value is typed by it */
	const doc_node *t = doc_get(m, "type");
	if (t) {
		const char *tn = (t->kind == DOC_NAME || t->kind == DOC_PLAIN || t->kind == DOC_STR)
					 ? t->text
					 : NULL;
		if (!tn || !type_from_name(tn, &f->type) || f->type == RV_NONE) {
			static const char *const TYPES[] = {"str",      "int",  "float",
							    "decimal",  "bool", "date",
							    "datetime", "time", NULL};
			const char *s = tn ? suggest(tn, strlen(tn), TYPES, 0) : NULL;
			if (s)
				err_at(b, t, "unknown type '%s' (did you mean '%s'?)", tn, s);
			else
				err_at(b, t,
				       "unknown type '%s' (use str, int, float, decimal, bool, date, "
				       "datetime or time)",
				       tn ? tn : doc_kind_name(t));
			return; /* the other keys cannot be typed */
		}
	}
	const doc_node *ic = doc_get(m, "ignore_case");
	if (ic && want_bool(b, ic, "ignore_case", &f->ignore_case) && f->ignore_case &&
	    f->type != RV_STR)
		err_at(b, doc_get(m, "ignore_case"), "ignore_case applies only to str fields");
	for (size_t i = 0; i < m->n; i++) {
		const doc_node *k = m->keys[i], *v = m->items[i];
		const char *key_s = k->text;
		if (strcmp(key_s, "type") == 0 || strcmp(key_s, "ignore_case") == 0) {
			continue;
		} else if (strcmp(key_s, "required") == 0) {
			want_bool(b, v, "required", &f->required);
		} else if (strcmp(key_s, "unique") == 0) {
			want_bool(b, v, "unique", &f->unique);
		} else if (strcmp(key_s, "min") == 0) {
			set_bound(b, f, &f->min, k, v);
		} else if (strcmp(key_s, "max") == 0) {
			set_bound(b, f, &f->max, k, v);
		} else if (strcmp(key_s, "exclusive_min") == 0) {
			set_bound(b, f, &f->xmin, k, v);
		} else if (strcmp(key_s, "exclusive_max") == 0) {
			set_bound(b, f, &f->xmax, k, v);
		} else if (strcmp(key_s, "min_length") == 0 || strcmp(key_s, "max_length") == 0) {
			uint64_t n;
			if (want_count(b, v, key_s, &n) && n <= INT64_MAX) {
				bool is_min = key_s[1] == 'i';
				*(is_min ? &f->min_length : &f->max_length) = (int64_t)n;
				*(is_min ? &f->min_length_pos : &f->max_length_pos) =
					(rv_pos){v->line, v->col};
			}
		} else if (strcmp(key_s, "pattern") == 0) {
			if (want_str(b, v, "pattern")) {
				f->pattern = v->text;
				f->pattern_len = v->len;
				f->pattern_pos = (rv_pos){v->text_line ? v->text_line : v->line,
							  v->text_line ? v->text_col : v->col};
				f->pattern_exact = v->text_line > 0;
				check_pattern(b, v, f->ignore_case);
			}
		} else if (strcmp(key_s, "enum") == 0) {
			f->has_enum = true;
			build_values(b, f, v, "enum", &f->enum_vals, &f->n_enum);
		} else if (strcmp(key_s, "not_in") == 0) {
			f->has_not_in = true;
			build_values(b, f, v, "not_in", &f->not_in_vals, &f->n_not_in);
		} else if (strcmp(key_s, "format") == 0) {
			const char *s = want_str(b, v, "format");
			if (!s)
				continue;
			if (f->type == RV_STR) {
				for (int j = 1; STRFMT_NAMES[j]; j++)
					if (strcmp(s, STRFMT_NAMES[j]) == 0)
						f->format = (rv_strformat)j;
				if (f->format == STRFMT_NONE) {
					const char *sg = suggest(s, v->len, STRFMT_NAMES + 1, 0);
					if (sg)
						err_at(b, v,
						       "unknown format '%s' (did you mean '%s'?)",
						       s, sg);
					else
						err_at(b, v,
						       "unknown format '%s' (use email, uri, uuid, ipv4, "
						       "ipv6, hex or base64)",
						       s);
				}
			} else if (type_is_temporal(f->type)) {
				char msg[200];
				rv_dtfmt *fmt = arena_alloc(b->a, sizeof(*fmt));
				if (dtfmt_compile(s, f->type, fmt, msg, sizeof(msg))) {
					f->dt_format = s;
					f->dtfmt = fmt;
				} else {
					err_at(b, v, "%s", msg);
				}
			} else {
				err_at(b, k, "format does not apply to %s %s field",
				       f->type == RV_INT ? "an" : "a", type_name(f->type));
			}
		} else if (strcmp(key_s, "references") == 0) {
			if (!want_map(b, v, "references", NULL))
				continue;
			const doc_node *file = doc_get(v, "file"), *col = doc_get(v, "column");
			for (size_t j = 0; j < v->n; j++)
				if (strcmp(v->keys[j]->text, "file") &&
				    strcmp(v->keys[j]->text, "column"))
					unknown_key(b, v->keys[j], "references key",
						    (const char *const[]){"file", "column", NULL});
			if (!file || !col) {
				err_at(b, v, "references needs both file and column");
				continue;
			}
			f->ref_file = want_str(b, file, "references file");
			f->ref_column = want_str(b, col, "references column");
			f->ref_pos = (rv_pos){file->line, file->col};
		} else if (strcmp(key_s, "severity") == 0) {
			want_severity(b, v, &f->severity);
		} else if (strcmp(key_s, "message") == 0) {
			f->message = want_str(b, v, "message");
		} else if (strcmp(key_s, "mostly") == 0) {
			if ((v->kind == DOC_INT || v->kind == DOC_FLOAT || v->kind == DOC_PLAIN) &&
			    share_in_unit(v->text, &f->mostly)) {
				f->has_mostly = true;
				f->mostly_text = v->text;
			} else {
				err_at(b, v,
				       "mostly must be a number above 0 and at most 1, not %s",
				       describe(b, v));
			}
		} else {
			unknown_key(b, k, "constraint", FIELD_KEYS);
		}
	}
	check_bounds(b, f, m);
}

static void build_fields(builder *b, const doc_node *m)
{
	if (!want_map(b, m, "fields", NULL))
		return;
	b->rs->fields = arena_alloc(b->a, (m->n ? m->n : 1) * sizeof(rv_field_ir));
	for (size_t i = 0; i < m->n; i++) {
		if (m->keys[i]->len == 0) {
			err_at(b, m->keys[i], "a field name cannot be empty");
			continue;
		}
		build_field(b, &b->rs->fields[b->rs->n_fields++], m->keys[i], m->items[i]);
	}
}

/* ---- rules ---- */

static bool valid_rule_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

static void build_rules(builder *b, const doc_node *list)
{
	if (!want_list(b, list, "rules"))
		return;
	rv_ruleset *rs = b->rs;
	const char **names = arena_alloc(b->a, (rs->n_fields ? rs->n_fields : 1) * sizeof(char *));
	rv_type *types = arena_alloc(b->a, (rs->n_fields ? rs->n_fields : 1) * sizeof(rv_type));
	for (size_t i = 0; i < rs->n_fields; i++) {
		names[i] = rs->fields[i].name;
		types[i] = rs->fields[i].type;
	}
	ex_scope scope = {names, types, rs->n_fields};
	rs->rules = arena_alloc(b->a, (list->n ? list->n : 1) * sizeof(rv_rule_ir));
	for (size_t i = 0; i < list->n; i++) {
		const doc_node *m = list->items[i];
		if (!want_map(b, m, "a rule", "Rule"))
			continue;
		rv_rule_ir *r = &rs->rules[rs->n_rules];
		r->pos = (rv_pos){m->line, m->col};
		bool ok = true;
		for (size_t j = 0; j < m->n; j++)
			if (!is_one_of(m->keys[j]->text, RULE_KEYS)) {
				unknown_key(b, m->keys[j], "rule key", RULE_KEYS);
				ok = false;
			}
		const doc_node *name = doc_get(m, "name"), *check = doc_get(m, "check");
		const doc_node *when = doc_get(m, "when"), *sev = doc_get(m, "severity");
		const doc_node *msg = doc_get(m, "message");
		if (!name) {
			err_at(b, m, "a rule needs a name");
			ok = false;
		} else if ((r->name = want_str(b, name, "a rule's name")) != NULL) {
			if (!valid_rule_name(r->name)) {
				err_at(b, name,
				       "rule name '%s' may hold only letters, digits, '_' and '-'",
				       r->name);
				ok = false;
			}
			for (size_t k = 0; k < rs->n_rules; k++)
				if (strcmp(rs->rules[k].name, r->name) == 0) {
					err_at(b, name,
					       "duplicate rule name '%s' (first at line %d)",
					       r->name, rs->rules[k].pos.line);
					ok = false;
				}
		} else {
			ok = false;
		}
		bool check_misspelt = false;
		for (size_t j = 0; j < m->n; j++)
			if (!is_one_of(m->keys[j]->text, RULE_KEYS) &&
			    suggest(m->keys[j]->text, m->keys[j]->len, RULE_KEYS, 0) ==
				    RULE_KEYS[1])
				check_misspelt = true;
		if (!check) {
			if (!check_misspelt) /* the unknown-key message already says what is wrong
					      */
				err_at(b, m, "rule '%s' needs a check", r->name ? r->name : "?");
			ok = false;
		} else if (want_str(b, check, "check")) {
			r->check = expr_compile(b->a, check, &scope, b->d, &rs->uses_today);
			if (r->check && r->check->type != RV_BOOL) {
				err_at(b, check, "a check must be a boolean expression, not %s",
				       type_name(r->check->type));
				ok = false;
			}
			ok = ok && r->check;
		} else {
			ok = false;
		}
		if (when && want_str(b, when, "when")) {
			r->when = expr_compile(b->a, when, &scope, b->d, &rs->uses_today);
			if (r->when && r->when->type != RV_BOOL) {
				err_at(b, when, "when must be a boolean expression, not %s",
				       type_name(r->when->type));
				ok = false;
			}
			ok = ok && r->when;
		}
		if (sev)
			ok = want_severity(b, sev, &r->severity) && ok;
		if (msg)
			ok = (r->message = want_str(b, msg, "message")) != NULL && ok;
		if (ok)
			rs->n_rules++;
		else
			memset(r, 0, sizeof(*r));
	}
}

/* The value index of an undeclared column (row['x'], a table unique key
 * part): numbered after the declared fields, once per name. */
static int extra_index(builder *b, const char *name)
{
	rv_ruleset *rs = b->rs;
	for (size_t i = 0; i < rs->n_extra; i++)
		if (strcmp(rs->extra_cols[i], name) == 0)
			return (int)(rs->n_fields + i);
	if (rs->n_extra == 0 || (rs->n_extra >= 4 && (rs->n_extra & (rs->n_extra - 1)) == 0)) {
		const char **grown =
			arena_alloc(b->a, (rs->n_extra ? rs->n_extra * 2 : 4) * sizeof(char *));
		if (rs->n_extra)
			memcpy(grown, rs->extra_cols, rs->n_extra * sizeof(char *));
		rs->extra_cols = grown;
	}
	rs->extra_cols[rs->n_extra] = name;
	return (int)(rs->n_fields + rs->n_extra++);
}

static void number_extra(const rv_expr *ce, void *ctx)
{
	rv_expr *e = (rv_expr *)ce;
	if (e->extra)
		e->field = extra_index(ctx, e->name);
}

/* ---- table ---- */

static bool want_limit(builder *b, const doc_node *v, const char *what, rv_limit *out)
{
	if (v->kind == DOC_STR || v->kind == DOC_PLAIN || v->kind == DOC_INT ||
	    v->kind == DOC_FLOAT) {
		size_t n = v->len;
		if (n > 1 && v->text[n - 1] == '%' && v->kind != DOC_INT && v->kind != DOC_FLOAT) {
			char num[64];
			rv_ratio r;
			if (n - 1 < sizeof(num)) {
				memcpy(num, v->text, n - 1);
				num[n - 1] = '\0';
				if (ratio_from_text(num, &r) &&
				    (unsigned __int128)r.num <= (unsigned __int128)r.den * 100 &&
				    (unsigned __int128)r.den * 100 <= UINT64_MAX) {
					out->set = out->percent = true;
					out->share = (rv_ratio){r.num, r.den * 100};
					out->text = v->text;
					return true;
				}
			}
		} else if (v->kind != DOC_FLOAT) {
			uint64_t c;
			int64_t tmp;
			if (parse_int(v->text, v->len, &tmp) && tmp >= 0) {
				c = (uint64_t)tmp;
				out->set = true;
				out->count = c;
				out->text = v->text;
				return true;
			}
		}
	}
	err_at(b, v, "%s must be a count like 10 or a share like '1%%', not %s", what,
	       describe(b, v));
	return false;
}

static void build_aggregates(builder *b, const doc_node *m)
{
	rv_table_ir *t = &b->rs->table;
	if (!want_map(b, m, "aggregates", NULL))
		return;
	size_t total = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->items[i]->kind == DOC_MAP)
			total += m->items[i]->n;
	t->aggs = arena_alloc(b->a, (total ? total : 1) * sizeof(rv_aggregate_ir));
	for (size_t i = 0; i < m->n; i++) {
		const doc_node *fk = m->keys[i], *fm = m->items[i];
		int fi = rules_field_index(b->rs, fk->text);
		if (fi < 0) {
			err_at(b, fk, "aggregates: '%s' is not a declared field", fk->text);
			continue;
		}
		if (!want_map(b, fm, "an aggregate", NULL))
			continue;
		const rv_field_ir *f = &b->rs->fields[fi];
		for (size_t j = 0; j < fm->n; j++) {
			const doc_node *ak = fm->keys[j], *bounds = fm->items[j];
			int agg = -1;
			for (int k = 0; AGG_NAMES[k]; k++)
				if (strcmp(ak->text, AGG_NAMES[k]) == 0)
					agg = k;
			if (agg < 0) {
				unknown_key(b, ak, "aggregate", AGG_NAMES);
				continue;
			}
			if (agg <= AGG_STDDEV && !type_is_numeric(f->type)) {
				err_at(b, ak, "aggregate '%s' needs a numeric field; '%s' is %s",
				       ak->text, f->name, type_name(f->type));
				continue;
			}
			if (!want_map(b, bounds, "aggregate bounds", NULL))
				continue;
			rv_aggregate_ir *a = &t->aggs[t->n_aggs];
			a->field = fi;
			a->agg = (rv_agg)agg;
			a->pos = (rv_pos){ak->line, ak->col};
			bool ok = true;
			for (size_t k = 0; k < bounds->n; k++) {
				const doc_node *bk = bounds->keys[k], *bv = bounds->items[k];
				bool is_min = strcmp(bk->text, "min") == 0;
				if (!is_min && strcmp(bk->text, "max") != 0) {
					unknown_key(b, bk, "bound",
						    (const char *const[]){"min", "max", NULL});
					ok = false;
					continue;
				}
				double val;
				bool pct = false;
				if (a->agg == AGG_MISSING || a->agg == AGG_DISTINCT) {
					rv_limit lim = {0};
					if (!want_limit(b, bv, bk->text, &lim)) {
						ok = false;
						continue;
					}
					if (lim.percent && a->agg == AGG_DISTINCT) {
						err_at(b, bv,
						       "distinct takes a count, not a share");
						ok = false;
						continue;
					}
					pct = lim.percent;
					val = lim.percent ? (double)lim.share.num /
								    (double)lim.share.den
							  : (double)lim.count;
				} else {
					rv_value v;
					if (bv->kind == DOC_INT || bv->kind == DOC_FLOAT ||
					    bv->kind == DOC_PLAIN) {
						if (!parse_float(bv->text, bv->len, &v.u.f)) {
							err_at(b, bv,
							       "%s must be a number, not '%s'",
							       bk->text, bv->text);
							ok = false;
							continue;
						}
					} else {
						err_at(b, bv, "%s must be a number, not %s",
						       bk->text, doc_kind_name(bv));
						ok = false;
						continue;
					}
					val = v.u.f;
				}
				if (is_min) {
					a->has_min = true;
					a->min = val;
					a->min_percent = pct;
					a->min_text = bv->text;
				} else {
					a->has_max = true;
					a->max = val;
					a->max_percent = pct;
					a->max_text = bv->text;
				}
			}
			if (ok && !a->has_min && !a->has_max) {
				err_at(b, ak, "aggregate '%s' needs min or max", ak->text);
				ok = false;
			}
			if (ok && a->has_min && a->has_max && a->min_percent == a->max_percent &&
			    a->min > a->max) {
				err_at(b, ak, "aggregate '%s': min is above max", ak->text);
				ok = false;
			}
			if (ok)
				t->n_aggs++;
		}
	}
}

static void build_unique_key(builder *b, const doc_node *list, rv_unique_ir *u)
{
	u->pos = (rv_pos){list->line, list->col};
	u->cols = arena_alloc(b->a, (list->n ? list->n : 1) * sizeof(char *));
	u->fields = arena_alloc(b->a, (list->n ? list->n : 1) * sizeof(int));
	for (size_t i = 0; i < list->n; i++) {
		const char *c = want_str(b, list->items[i], "a unique column");
		if (!c)
			continue;
		for (size_t j = 0; j < u->n; j++)
			if (strcmp(u->cols[j], c) == 0)
				err_at(b, list->items[i], "column '%s' appears twice in the key",
				       c);
		u->cols[u->n] = c;
		int fi = rules_field_index(b->rs, c);
		u->fields[u->n++] = fi >= 0 ? fi : extra_index(b, c);
	}
	if (list->n == 0)
		err_at(b, list, "unique needs at least one column");
}

static void build_table(builder *b, const doc_node *m)
{
	rv_table_ir *t = &b->rs->table;
	if (!want_map(b, m, "table", NULL))
		return;
	for (size_t i = 0; i < m->n; i++) {
		const doc_node *k = m->keys[i], *v = m->items[i];
		if (strcmp(k->text, "rows") == 0) {
			if (!want_map(b, v, "rows", NULL))
				continue;
			for (size_t j = 0; j < v->n; j++) {
				const char *bk = v->keys[j]->text;
				if (strcmp(bk, "min") == 0)
					t->has_rows_min = want_count(b, v->items[j], "rows min",
								     &t->rows_min);
				else if (strcmp(bk, "max") == 0)
					t->has_rows_max = want_count(b, v->items[j], "rows max",
								     &t->rows_max);
				else
					unknown_key(b, v->keys[j], "rows bound",
						    (const char *const[]){"min", "max", NULL});
			}
			if (t->has_rows_min && t->has_rows_max && t->rows_min > t->rows_max)
				err_at(b, v, "rows: min (%llu) is above max (%llu)",
				       (unsigned long long)t->rows_min,
				       (unsigned long long)t->rows_max);
		} else if (strcmp(k->text, "max_invalid") == 0) {
			want_limit(b, v, "max_invalid", &t->max_invalid);
		} else if (strcmp(k->text, "unique") == 0) {
			if (!want_list(b, v, "unique"))
				continue;
			bool nested = v->n && v->items[0]->kind == DOC_LIST;
			size_t keys = nested ? v->n : 1;
			t->unique = arena_alloc(b->a, keys * sizeof(rv_unique_ir));
			if (!nested) {
				build_unique_key(b, v, &t->unique[t->n_unique++]);
				continue;
			}
			for (size_t j = 0; j < v->n; j++)
				if (want_list(b, v->items[j], "a unique key"))
					build_unique_key(b, v->items[j], &t->unique[t->n_unique++]);
		} else if (strcmp(k->text, "aggregates") == 0) {
			build_aggregates(b, v);
		} else {
			unknown_key(b, k, "table check", TABLE_KEYS);
		}
	}
}

/* ---- top level ---- */

rv_ruleset *rules_build(rv_arena *a, const doc_node *root, const char *path, rv_diags *diags)
{
	size_t errors_before = diags->errors;
	rv_ruleset *rs = arena_alloc(a, sizeof(*rs));
	rs->arena = a;
	rs->path = arena_strdup(a, path);
	const char *slash = strrchr(path, '/');
	rs->dir = slash ? arena_strndup(a, path, (size_t)(slash - path) + (slash == path)) : ".";
	rs->version = 1;
	dialect_defaults(&rs->csv);
	builder b = {a, diags, rs, root->call != NULL};
	if (root->kind == DOC_NULL) {
		diag_error(diags, 1, 1, "the rule file is empty: it needs at least 'fields'");
		return NULL;
	}
	if (!want_map(&b, root, "the rule file", "Schema"))
		return NULL;
	for (size_t i = 0; i < root->n; i++)
		if (!is_one_of(root->keys[i]->text, TOP_KEYS))
			unknown_key(&b, root->keys[i], "key", TOP_KEYS);
	const doc_node *v;
	if ((v = doc_get(root, "version")) != NULL) {
		int64_t ver;
		if ((v->kind != DOC_INT && v->kind != DOC_PLAIN) ||
		    !parse_int(v->text, v->len, &ver) || ver != 1)
			err_at(&b, v, "unsupported version %s (this rvalid reads version 1)",
			       describe(&b, v));
	}
	if ((v = doc_get(root, "name")) != NULL)
		rs->name = want_str(&b, v, "name");
	if ((v = doc_get(root, "description")) != NULL)
		rs->description = want_str(&b, v, "description");
	if ((v = doc_get(root, "csv")) != NULL)
		build_csv(&b, v);
	if ((v = doc_get(root, "columns")) != NULL) {
		const char *s = want_str(&b, v, "columns");
		static const char *const MODES[] = {"any", "strict", "ordered", NULL};
		int mode = -1;
		for (int i = 0; s && MODES[i]; i++)
			if (strcmp(s, MODES[i]) == 0)
				mode = i;
		const char *sg = s && mode < 0 ? suggest(s, strlen(s), MODES, 0) : NULL;
		if (mode >= 0)
			rs->columns = (rv_colmode)mode;
		else if (sg)
			err_at(&b, v, "unknown columns mode '%s' (did you mean '%s'?)", s, sg);
		else if (s)
			err_at(&b, v, "unknown columns mode '%s' (use strict, ordered or any)", s);
	}
	if ((v = doc_get(root, "fields")) != NULL)
		build_fields(&b, v);
	else
		err_at(&b, root, "the rule file has no 'fields'");
	if ((v = doc_get(root, "rules")) != NULL)
		build_rules(&b, v);
	for (size_t i = 0; i < rs->n_rules; i++) {
		if (rs->rules[i].when)
			expr_walk_fields(rs->rules[i].when, number_extra, &b);
		expr_walk_fields(rs->rules[i].check, number_extra, &b);
	}
	if ((v = doc_get(root, "table")) != NULL)
		build_table(&b, v);
	return diags->errors > errors_before ? NULL : rs;
}
