/* cmd_init.c: `rvalid init` writes a starter rule file, or one inferred from a sample CSV.
 *
 * Without --from the output is one of two fixed texts (YAML and its
 * Python-like twin) that compile and show every kind of rule in comments.
 * With --from, infer.c profiles the sample and this file writes its
 * proposals in the chosen language. Either way the text is compiled here
 * before it is written, so `rvalid init` never writes a file that
 * `rvalid check` would refuse. */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "csv.h"
#include "graph.h"
#include "infer.h"
#include "io/outfile.h"
#include "rules/ir.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/path.h"

enum { LINE_MAX_COLS = 100, NAME_PAD_MAX = 16 };

/* ---- the starter files ---- */

static const char STARTER_YAML[] =
	"# A starter rule file for rvalid, written by `rvalid init`. Describe your columns\n"
	"# under `fields`, then compile the file with `rvalid check FILE` and check data with\n"
	"# `rvalid validate -r FILE DATA.csv`. `rvalid init --from DATA.csv` proposes rules\n"
	"# from a sample instead. The commented lines show every kind of rule: uncomment\n"
	"# and adapt what you need. The whole language: rvalid-rules(5).\n"
	"version: 1\n"
	"name: starter\n"
	"description: Replace the two example fields with your columns\n"
	"\n"
	"# The CSV dialect. Every key is optional; these are the defaults.\n"
	"csv:\n"
	"  delimiter: \",\"\n"
	"  quote: '\"'\n"
	"  header: true\n"
	"  null_values: [\"\"]           # cell texts that mean missing, e.g. [\"\", NA]\n"
	"  # escape: \"\\\\\"              # a backslash makes the next character literal\n"
	"  # comment: \"#\"              # lines starting with this are skipped\n"
	"  # skip_lines: 1             # lines to skip before the header\n"
	"  # encoding: latin-1         # utf-8 (the default), latin-1, cp1252 or utf-16\n"
	"\n"
	"# Which columns the header may have. Any: extra columns are allowed; strict:\n"
	"# exactly the fields, in any order; ordered: exactly the fields, in this order.\n"
	"columns: any\n"
	"\n"
	"fields:\n"
	"  # Types: str (the default), int, float, decimal, bool, date, datetime, time.\n"
	"  # Required: the cell must not be missing. Unique: no value occurs twice.\n"
	"  id:         {type: int, required: true, min: 1, unique: true}\n"
	"  name:       {type: str, required: true, max_length: 100}\n"
	"  # start_date: {type: date}\n"
	"  # end_date:   {type: date}\n"
	"  # Bounds for numbers, dates and times: min, max, exclusive_min, exclusive_max.\n"
	"  # price:      {type: decimal, min: 0, exclusive_max: 100000}\n"
	"  # born:       {type: date, min: 1900-01-01, max: 2100-12-31}\n"
	"  # Lengths in characters (Unicode code points): min_length, max_length.\n"
	"  # A pattern is a PCRE2 regex that must match the whole cell (no ^ or $ needed).\n"
	"  # code:       {type: str, min_length: 8, max_length: 8, pattern: '[A-Z]{3}-\\d{4}'}\n"
	"  # Allowed and forbidden values; ignore_case makes text comparisons ignore case.\n"
	"  # status:     {type: str, enum: [active, suspended, closed]}\n"
	"  # level:      {type: int, enum: [1, 2, 3]}\n"
	"  # nickname:   {type: str, not_in: [test, dummy], ignore_case: true}\n"
	"  # Text formats: email, uri, uuid, ipv4, ipv6, hex, base64.\n"
	"  # email:      {type: str, format: email}\n"
	"  # Date and time formats: %Y %m %d %H %M %S %f %z %j %b %%.\n"
	"  # signup:     {type: date, format: '%d/%m/%Y'}\n"
	"  # References: the value must occur in a column of another CSV (a path\n"
	"  # relative to this file).\n"
	"  # country:    {type: str, references: {file: countries.csv, column: code}}\n"
	"  # Severity (error, the default, or warn), your own message, and mostly: the\n"
	"  # field's checks pass when at least this share of its cells passes.\n"
	"  # ratio:      {type: float, min: 0, max: 1, severity: warn, message: out of range, "
	"mostly: 0.99}\n"
	"\n"
	"# Row rules: relations between the fields of one record, in Python syntax.\n"
	"# rules:\n"
	"#   - name: ends_after_start\n"
	"#     when: end_date is not None\n"
	"#     check: end_date >= start_date\n"
	"#     severity: warn\n"
	"#     message: the end date comes before the start date\n"
	"\n"
	"# Table checks, over the whole input.\n"
	"table:\n"
	"  rows: {min: 1}               # at least one record; a maximum too: {min: 1, max: 1000}\n"
	"  # max_invalid: 1%            # pass while at most 1% (or a count: 10) of records fail\n"
	"  # unique: [name, born]       # composite keys\n"
	"  # aggregates:                # min, max, mean, sum, stddev, missing, distinct\n"
	"  #   price: {mean: {min: 1, max: 5000}, sum: {max: 1000000000}}\n"
	"  #   email: {missing: {max: 5%}, distinct: {min: 1}}\n";

static const char STARTER_PY[] =
	"# A starter rule file for rvalid, written by `rvalid init`. Describe your columns\n"
	"# in the Schema, then compile the file with `rvalid check FILE` and check data with\n"
	"# `rvalid validate -r FILE DATA.csv`. `rvalid init --from DATA.csv` proposes rules\n"
	"# from a sample instead. The commented lines show every kind of rule: uncomment\n"
	"# and adapt what you need. The whole language: rvalid-rules(5).\n"
	"from rvalid import Schema, Field, Rule\n"
	"\n"
	"schema = Schema(\n"
	"    {\n"
	"        # Types: str (the default), int, float, decimal, bool, date, datetime, time.\n"
	"        # Required: the cell must not be missing. Unique: no value occurs twice.\n"
	"        'id': Field(int, required=True, min=1, unique=True),\n"
	"        'name': Field(str, required=True, max_length=100),\n"
	"        # 'start_date': Field(date),\n"
	"        # 'end_date': Field(date),\n"
	"        # Bounds for numbers, dates and times: min, max, exclusive_min, exclusive_max.\n"
	"        # 'price': Field(decimal, min=0, exclusive_max=100000),\n"
	"        # 'born': Field(date, min='1900-01-01', max='2100-12-31'),\n"
	"        # Lengths in characters (Unicode code points): min_length, max_length.\n"
	"        # A pattern is a PCRE2 regex that must match the whole cell (no ^ or $ needed).\n"
	"        # 'code': Field(str, min_length=8, max_length=8, pattern=r'[A-Z]{3}-\\d{4}'),\n"
	"        # Allowed and forbidden values; ignore_case makes text comparisons ignore case.\n"
	"        # 'status': Field(str, enum=['active', 'suspended', 'closed']),\n"
	"        # 'level': Field(int, enum=[1, 2, 3]),\n"
	"        # 'nickname': Field(str, not_in=['test', 'dummy'], ignore_case=True),\n"
	"        # Text formats: email, uri, uuid, ipv4, ipv6, hex, base64.\n"
	"        # 'email': Field(str, format='email'),\n"
	"        # Date and time formats: %Y %m %d %H %M %S %f %z %j %b %%.\n"
	"        # 'signup': Field(date, format='%d/%m/%Y'),\n"
	"        # References: the value must occur in a column of another CSV (a path\n"
	"        # relative to this file).\n"
	"        # 'country': Field(str, references={'file': 'countries.csv', 'column': 'code'}),\n"
	"        # Severity (error, the default, or warn), your own message, and mostly: the\n"
	"        # field's checks pass when at least this share of its cells passes.\n"
	"        # 'ratio': Field(float, min=0, max=1, severity='warn', message='out of range',\n"
	"        #                mostly=0.99),\n"
	"    },\n"
	"    version=1,\n"
	"    name='starter',\n"
	"    description='Replace the two example fields with your columns',\n"
	"    # The CSV dialect. Every key is optional; these are the defaults.\n"
	"    csv={\n"
	"        'delimiter': ',',\n"
	"        'quote': '\"',\n"
	"        'header': True,\n"
	"        'null_values': [''],  # cell texts that mean missing, e.g. ['', 'NA']\n"
	"        # 'escape': '\\\\',  # a backslash makes the next character literal\n"
	"        # 'comment': '#',  # lines starting with this are skipped\n"
	"        # 'skip_lines': 1,  # lines to skip before the header\n"
	"        # 'encoding': 'latin-1',  # utf-8 (the default), latin-1, cp1252 or utf-16\n"
	"    },\n"
	"    # Which columns the header may have. Any: extra columns are allowed; strict:\n"
	"    # exactly the fields, in any order; ordered: exactly the fields, in this order.\n"
	"    columns='any',\n"
	"    # Table checks, over the whole input.\n"
	"    table={\n"
	"        'rows': {'min': 1},  # at least one record; a maximum too: {'min': 1, 'max': "
	"1000}\n"
	"        # 'max_invalid': '1%',  # pass while at most 1% (or a count: 10) of records fail\n"
	"        # 'unique': ['name', 'born'],  # composite keys\n"
	"        # 'aggregates': {  # min, max, mean, sum, stddev, missing, distinct\n"
	"        #     'price': {'mean': {'min': 1, 'max': 5000}, 'sum': {'max': 1000000000}},\n"
	"        #     'email': {'missing': {'max': '5%'}, 'distinct': {'min': 1}},\n"
	"        # },\n"
	"    },\n"
	")\n"
	"\n"
	"# Row rules: relations between the fields of one record, in Python syntax.\n"
	"# rules = [\n"
	"#     Rule('ends_after_start', when='end_date is not None', check='end_date >= "
	"start_date',\n"
	"#          severity='warn', message='the end date comes before the start date'),\n"
	"# ]\n";

/* ---- writing values ---- */

/* Decodes one UTF-8 code point of valid UTF-8 at p; returns its length. */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xE0) {
		*cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		return 2;
	}
	if (p[0] < 0xF0) {
		*cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		return 3;
	}
	*cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
	      (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
	return 4;
}

/* The characters YAML lets a stream hold as they are (YAML 1.1 c-printable, no tab). */
static bool yaml_printable(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 || (cp >= 0xA0 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

/* A scalar that is safe unquoted in block and flow context alike. */
static bool yaml_plain_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_';
		if (!word && (i == 0 || !strchr(".@/+-", c)))
			return false;
	}
	return true;
}

/* Appends s[0..n) (valid UTF-8) as a YAML scalar: plain when safe, single-quoted
 * when every character is printable, double-quoted with escapes otherwise. */
static void yaml_scalar(rv_buf *b, const char *s, size_t n)
{
	if (yaml_plain_ok(s, n)) {
		buf_append(b, s, n);
		return;
	}
	bool printable = true;
	for (size_t i = 0; i < n && printable;) {
		uint32_t cp;
		i += utf8_decode((const unsigned char *)s + i, &cp);
		printable = yaml_printable(cp);
	}
	if (printable) {
		buf_putc(b, '\'');
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\'')
				buf_putc(b, '\'');
			buf_putc(b, s[i]);
		}
		buf_putc(b, '\'');
		return;
	}
	buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)s + i, &cp);
		if (cp == '"' || cp == '\\')
			buf_printf(b, "\\%c", (char)cp);
		else if (cp == '\t')
			buf_puts(b, "\\t");
		else if (cp == '\n')
			buf_puts(b, "\\n");
		else if (cp == '\r')
			buf_puts(b, "\\r");
		else if (cp < 0x100 && !yaml_printable(cp))
			buf_printf(b, "\\x%02X", (unsigned)cp);
		else if (!yaml_printable(cp))
			buf_printf(b, "\\u%04X", (unsigned)cp);
		else
			buf_append(b, s + i, k);
		i += k;
	}
	buf_putc(b, '"');
}

/* Text for a comment line: control characters and invalid UTF-8 become '?'. */
static void comment_text(rv_buf *b, const char *s)
{
	size_t n = strlen(s);
	bool valid = utf8_valid(s, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_putc(b, c < 0x20 || c == 0x7F || (c >= 0x80 && !valid) ? '?' : (char)c);
	}
}

/* The rule set's name: the sample's file name without folders and extensions,
 * in letters, digits, '_' and '-'. */
static void sample_name(rv_buf *b, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	size_t start = b->len;
	for (size_t i = 0; i < n; i++) {
		char c = base[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-';
		buf_putc(b, ok ? c : '_');
	}
	if (b->len == start || strcmp(path, "-") == 0) {
		b->len = start;
		buf_puts(b, "sample");
	}
}

/* ---- laying out one field ---- */

/* Pieces of one field's constraints, laid out on lines of at most
 * LINE_MAX_COLS columns: "a, b, c", wrapped after a comma and continued at
 * the column where the first piece started. */
typedef struct {
	rv_buf *b;
	size_t line_start; /* offset of the current line in b */
	size_t indent;     /* the continuation column */
	bool any;
} layout;

static void lay(layout *l, const char *piece)
{
	size_t col = l->b->len - l->line_start, n = strlen(piece);
	if (!l->any) {
		buf_puts(l->b, piece);
		l->any = true;
		return;
	}
	if (col + 2 + n + 2 > LINE_MAX_COLS) {
		buf_puts(l->b, ",\n");
		l->line_start = l->b->len;
		for (size_t i = 0; i < l->indent; i++)
			buf_putc(l->b, ' ');
	} else {
		buf_puts(l->b, ", ");
	}
	buf_puts(l->b, piece);
}

typedef struct {
	bool py;
	rv_buf piece;
} writer;

static void bound_text(writer *w, const infer_field *f, const char *key, const char *text)
{
	rv_buf *p = &w->piece;
	buf_reset(p);
	buf_printf(p, w->py ? "%s=" : "%s: ", key);
	bool quoted = f->type == RV_DATETIME || f->type == RV_TIME || (w->py && f->type == RV_DATE);
	if (quoted && w->py)
		buf_quote(p, text, strlen(text));
	else if (quoted)
		buf_printf(p, "'%s'", text);
	else
		buf_puts(p, text);
}

static void str_value(writer *w, rv_buf *p, const char *s, size_t n)
{
	if (w->py)
		buf_quote(p, s, n);
	else
		yaml_scalar(p, s, n);
}

/* Lays out the constraints of f after the text already on the line. */
static void field_constraints(writer *w, layout *l, const infer_field *f)
{
	rv_buf *p = &w->piece;
	const char *t = w->py ? "True" : "true";
	buf_reset(p);
	if (w->py)
		buf_puts(p, type_name(f->type));
	else
		buf_printf(p, "type: %s", type_name(f->type));
	lay(l, p->data);
	if (f->required) {
		buf_reset(p);
		buf_printf(p, w->py ? "required=%s" : "required: %s", t);
		lay(l, p->data);
	}
	if (f->has_min) {
		bound_text(w, f, "min", f->min);
		lay(l, p->data);
	}
	if (f->has_max) {
		bound_text(w, f, "max", f->max);
		lay(l, p->data);
	}
	for (size_t i = 0; i < f->n_enum; i++) {
		buf_reset(p);
		if (i == 0)
			buf_puts(p, w->py ? "enum=[" : "enum: [");
		str_value(w, p, f->enum_vals[i].text, f->enum_vals[i].len);
		if (i + 1 == f->n_enum)
			buf_putc(p, ']');
		lay(l, p->data);
	}
	if (f->pattern) {
		buf_reset(p);
		buf_printf(p, w->py ? "pattern=r'%s'" : "pattern: '%s'", f->pattern);
		lay(l, p->data);
	}
	if (f->format != STRFMT_NONE) {
		buf_reset(p);
		buf_printf(p, w->py ? "format='%s'" : "format: %s", strformat_name(f->format));
		lay(l, p->data);
	}
	if (f->max_length >= 0) {
		buf_reset(p);
		buf_printf(p, w->py ? "max_length=%lld" : "max_length: %lld",
			   (long long)f->max_length);
		lay(l, p->data);
	}
	if (f->unique) {
		buf_reset(p);
		buf_printf(p, w->py ? "unique=%s" : "unique: %s", t);
		lay(l, p->data);
	}
}

static void field_comment(rv_buf *b, const infer_result *r, const infer_field *f,
			  const char *indent)
{
	if (r->records == 0)
		return;
	buf_printf(b, "%s# %llu value%s, ", indent, (unsigned long long)f->present,
		   f->present == 1 ? "" : "s");
	if (f->missing)
		buf_printf(b, "%llu missing", (unsigned long long)f->missing);
	else
		buf_puts(b, "none missing");
	if (f->distinct_known && f->present > 1 && f->distinct == f->present)
		buf_puts(b, ", all distinct");
	else if (f->distinct_known && f->present)
		buf_printf(b, ", %llu distinct", (unsigned long long)f->distinct);
	else if (f->unique_unknown)
		buf_puts(b, ", too many values to tell whether they are distinct");
	buf_putc(b, '\n');
}

/* ---- the inferred rule file ---- */

static void header_comment(rv_buf *b, const infer_result *r, const char *path)
{
	buf_puts(b, "# Rules inferred by `rvalid init --from ");
	comment_text(b, path);
	buf_printf(b, "` from %llu record%s.\n", (unsigned long long)r->records,
		   r->records == 1 ? "" : "s");
	buf_puts(b, "# They describe the sample: review every bound, enum and pattern before you\n"
		    "# rely on them. rvalid(1) says how each rule is chosen.\n");
	if (r->records == 0)
		buf_puts(b, "# The sample has no records: the fields are only named.\n");
	if (r->skipped)
		buf_printf(b, "# %llu record%s left out: blank, ragged or badly quoted.\n",
			   (unsigned long long)r->skipped, r->skipped == 1 ? " was" : "s were");
	if (r->bad_cells)
		buf_printf(b, "# %llu cell%s with invalid UTF-8 left out.\n",
			   (unsigned long long)r->bad_cells, r->bad_cells == 1 ? " was" : "s were");
}

static size_t name_pad(const infer_result *r)
{
	size_t pad = 0;
	for (size_t i = 0; i < r->n_fields; i++) {
		const infer_field *f = &r->fields[i];
		if (!f->skip_reason && yaml_plain_ok(f->name, f->name_len) && f->name_len > pad &&
		    f->name_len <= NAME_PAD_MAX)
			pad = f->name_len;
	}
	return pad;
}

/* "Inferred from PATH", or from standard input. */
static void description(rv_buf *d, const char *path)
{
	buf_puts(d, "Inferred from ");
	if (strcmp(path, "-") == 0)
		buf_puts(d, "standard input");
	else
		comment_text(d, path);
}

/* What precedes field i's rule in either language, at the given indent: a
 * comment saying why a column has no rule (then false: nothing follows), or
 * the field's observations. */
static bool field_start(rv_buf *b, const infer_result *r, size_t i, const char *indent)
{
	const infer_field *f = &r->fields[i];
	if (f->skip_reason) {
		buf_printf(b, "%s# column %zu %s: no rule\n", indent, i + 1, f->skip_reason);
		return false;
	}
	field_comment(b, r, f, indent);
	return true;
}

static void write_yaml(rv_buf *b, const infer_result *r, const infer_opts *o, const char *path)
{
	writer w = {false, {0}};
	header_comment(b, r, path);
	buf_puts(b, "version: 1\nname: ");
	sample_name(b, path);
	buf_puts(b, "\ndescription: ");
	rv_buf d;
	buf_init(&d, 0);
	description(&d, path);
	yaml_scalar(b, d.data, d.len);
	buf_free(&d);
	buf_puts(b, "\ncsv:\n  delimiter: ");
	if (r->delimiter == '\t')
		buf_puts(b, "\"\\t\"");
	else
		buf_printf(b, r->delimiter == '\\' ? "\"\\%c\"" : "\"%c\"", r->delimiter);
	buf_printf(b, "\n  header: %s\n", r->header ? "true" : "false");
	if (o->n_nulls) {
		buf_puts(b, "  null_values: [\"\"");
		for (size_t i = 0; i < o->n_nulls; i++) {
			buf_puts(b, ", ");
			yaml_scalar(b, o->nulls[i], strlen(o->nulls[i]));
		}
		buf_puts(b, "]\n");
	}
	if (r->header)
		buf_printf(b, "columns: %s\n", r->all_named ? "strict" : "any");
	size_t usable = 0;
	for (size_t i = 0; i < r->n_fields; i++)
		usable += !r->fields[i].skip_reason;
	buf_puts(b, usable ? "fields:\n" : "fields: {}\n");
	size_t pad = name_pad(r);
	buf_init(&w.piece, 0);
	for (size_t i = 0; i < r->n_fields; i++) {
		const infer_field *f = &r->fields[i];
		if (!field_start(b, r, i, "  "))
			continue;
		layout l = {b, b->len, 0, false};
		buf_puts(b, "  ");
		size_t name_start = b->len;
		yaml_scalar(b, f->name, f->name_len);
		buf_putc(b, ':');
		for (size_t k = b->len - name_start; k < pad + 1; k++)
			buf_putc(b, ' ');
		buf_puts(b, " {");
		l.indent = b->len - l.line_start;
		field_constraints(&w, &l, f);
		buf_puts(b, "}\n");
	}
	buf_free(&w.piece);
}

static void write_py(rv_buf *b, const infer_result *r, const infer_opts *o, const char *path)
{
	writer w = {true, {0}};
	header_comment(b, r, path);
	buf_puts(b, "from rvalid import Schema, Field\n\nschema = Schema(\n    {\n");
	buf_init(&w.piece, 0);
	for (size_t i = 0; i < r->n_fields; i++) {
		const infer_field *f = &r->fields[i];
		if (!field_start(b, r, i, "        "))
			continue;
		layout l = {b, b->len, 0, false};
		buf_puts(b, "        ");
		buf_quote(b, f->name, f->name_len);
		buf_puts(b, ": Field(");
		l.indent = b->len - l.line_start;
		field_constraints(&w, &l, f);
		buf_puts(b, "),\n");
	}
	buf_free(&w.piece);
	buf_puts(b, "    },\n    version=1,\n    name='");
	sample_name(b, path);
	buf_puts(b, "',\n    description=");
	rv_buf d;
	buf_init(&d, 0);
	description(&d, path);
	buf_quote(b, d.data, d.len);
	buf_free(&d);
	buf_puts(b, ",\n    csv={'delimiter': ");
	buf_quote(b, &r->delimiter, 1);
	buf_printf(b, ", 'header': %s", r->header ? "True" : "False");
	if (o->n_nulls) {
		buf_puts(b, ", 'null_values': [''");
		for (size_t i = 0; i < o->n_nulls; i++) {
			buf_puts(b, ", ");
			buf_quote(b, o->nulls[i], strlen(o->nulls[i]));
		}
		buf_putc(b, ']');
	}
	buf_puts(b, "},\n");
	if (r->header)
		buf_printf(b, "    columns='%s',\n", r->all_named ? "strict" : "any");
	buf_puts(b, ")\n");
}

/* Warnings about what the sample holds that the rules cannot describe. */
static void warn_sample(const infer_result *r, const char *path)
{
	for (size_t i = 0; i < r->n_fields; i++)
		if (r->fields[i].skip_reason)
			cli_error("%s: warning: column %zu %s: it gets no rule", path, i + 1,
				  r->fields[i].skip_reason);
	if (r->skipped)
		cli_error("%s: warning: %llu record%s blank, ragged or badly quoted: left out",
			  path, (unsigned long long)r->skipped, r->skipped == 1 ? " is" : "s are");
	if (r->bad_cells)
		cli_error("%s: warning: %llu cell%s invalid UTF-8: left out", path,
			  (unsigned long long)r->bad_cells,
			  r->bad_cells == 1 ? " holds" : "s hold");
}

/* ---- the command ---- */

/* Compiles the text about to be written: a file init writes must compile. */
static rv_status verify(const char *text, size_t len, bool py)
{
	rv_diags d;
	diags_init(&d, py ? "<init>.py" : "<init>.yaml");
	rv_ruleset *rs = rules_compile(d.file, text, len, py ? SYNTAX_PY : SYNTAX_YAML, &d);
	rv_graph *g = rs ? graph_compile(rs, &d) : NULL;
	rv_status st = RV_OK;
	if (!g) {
		diags_print(&d, stderr);
		cli_error("init: the rules would not compile; this is a bug, please report it");
		st = RV_USAGE;
	}
	graph_free(g);
	rules_free(rs);
	diags_free(&d);
	return st;
}

/* One character: itself, or \t or tab. */
enum { OPT_SYNTAX = 256, OPT_FROM, OPT_FORCE, OPT_DELIMITER, OPT_NO_HEADER, OPT_NULL };

static rv_status run(int argc, char **argv)
{
	static const struct option OPTS[] = {{"syntax", required_argument, NULL, OPT_SYNTAX},
					     {"from", required_argument, NULL, OPT_FROM},
					     {"output", required_argument, NULL, 'o'},
					     {"force", no_argument, NULL, OPT_FORCE},
					     {"delimiter", required_argument, NULL, OPT_DELIMITER},
					     {"no-header", no_argument, NULL, OPT_NO_HEADER},
					     {"null", required_argument, NULL, OPT_NULL},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *syntax = NULL, *from = NULL, *output = NULL;
	const char **nulls = NULL;
	size_t n_nulls = 0;
	bool force = false;
	infer_opts io;
	memset(&io, 0, sizeof(io));
	const char *dialect_opt = NULL;
	rv_status st = RV_OK;
	infer_result *r = NULL;
	rv_buf out;
	buf_init(&out, 0);
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", OPTS, NULL)) != -1) {
		switch (c) {
		case OPT_SYNTAX:
			if (strcmp(optarg, "yaml") != 0 && strcmp(optarg, "py") != 0) {
				st = cli_usage_error(&cmd_init,
						     "--syntax takes yaml or py, not '%s'", optarg);
				goto out;
			}
			syntax = optarg;
			break;
		case OPT_FROM: from = optarg; break;
		case 'o': output = optarg; break;
		case OPT_FORCE: force = true; break;
		case OPT_DELIMITER:
			if (!cli_parse_char(optarg, &io.delimiter, false) || io.delimiter == '"') {
				st = cli_usage_error(&cmd_init,
						     "--delimiter takes one character, not '%s'",
						     optarg);
				goto out;
			}
			dialect_opt = "--delimiter";
			break;
		case OPT_NO_HEADER:
			io.no_header = true;
			dialect_opt = "--no-header";
			break;
		case OPT_NULL:
			nulls = xrealloc(nulls, (n_nulls + 1) * sizeof(char *));
			nulls[n_nulls++] = optarg;
			dialect_opt = "--null";
			break;
		case 'h': fputs(cmd_init.help, stdout); goto out;
		case ':':
			st = cli_usage_error(&cmd_init, "%s needs a value", argv[optind - 1]);
			goto out;
		default: st = cli_bad_option(&cmd_init, argv, optopt); goto out;
		}
	}
	if (optind < argc) {
		st = cli_usage_error(&cmd_init,
				     "unexpected argument '%s' (a sample is given with --from)",
				     argv[optind]);
		goto out;
	}
	if (dialect_opt && !from) {
		st = cli_usage_error(&cmd_init, "%s describes the sample: use it with --from",
				     dialect_opt);
		goto out;
	}
	for (size_t i = 0; i < n_nulls; i++)
		if (!utf8_valid(nulls[i], strlen(nulls[i]))) {
			st = cli_usage_error(&cmd_init, "--null takes UTF-8 text");
			goto out;
		}
	io.nulls = nulls;
	io.n_nulls = n_nulls;
	bool out_py = output && (path_has_suffix(output, ".py") || path_has_suffix(output, ".rv"));
	bool out_yaml =
		output && (path_has_suffix(output, ".yaml") || path_has_suffix(output, ".yml"));
	if (syntax && ((syntax[0] == 'y' && out_py) || (syntax[0] == 'p' && out_yaml))) {
		st = cli_usage_error(&cmd_init, "--syntax %s does not fit the name '%s'", syntax,
				     output);
		goto out;
	}
	bool py = syntax ? syntax[0] == 'p' : out_py;
	bool to_stdout = !output || strcmp(output, "-") == 0;
	struct stat sb;
	if (!to_stdout && !force && stat(output, &sb) == 0 && S_ISREG(sb.st_mode)) {
		cli_error("%s already exists (use --force to overwrite it)", output);
		st = RV_USAGE;
		goto out;
	}

	char err[1024];
	if (from) {
		st = infer_profile(from, &io, &r, err, sizeof(err));
		if (st != RV_OK) {
			cli_error("%s", err);
			goto out;
		}
		warn_sample(r, from);
		if (py)
			write_py(&out, r, &io, from);
		else
			write_yaml(&out, r, &io, from);
	} else {
		buf_puts(&out, py ? STARTER_PY : STARTER_YAML);
	}
	st = verify(out.data, out.len, py);
	if (st != RV_OK)
		goto out;
	if (to_stdout) {
		fwrite(out.data, 1, out.len, stdout);
		goto out;
	}
	rv_outfile *f = outfile_open(output, err, sizeof(err));
	if (!f) {
		cli_error("%s", err);
		st = RV_IO;
		goto out;
	}
	st = outfile_write(f, out.data, out.len);
	if (st == RV_OK)
		st = outfile_commit(f, err, sizeof(err));
	else
		outfile_abort(f);
	if (st != RV_OK)
		cli_error("%s", err);
out:
	infer_free(r);
	buf_free(&out);
	free(nulls);
	return st;
}

const rv_command cmd_init = {
	"init",
	run,
	"write a starter rule file, or infer one from a sample CSV",
	"usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]\n"
	"\n"
	"Write a rule file to start from. Without --from: a commented starter that\n"
	"compiles and shows every kind of rule. With --from: rules inferred from a\n"
	"sample CSV in one pass: each column's narrowest type, required, min/max,\n"
	"enum, format, pattern, max_length and unique (rvalid(1) says how each is\n"
	"chosen). Review them before relying on them. Exit 0 when the file is written,\n"
	"2 for a usage error, 3 when the sample cannot be read or FILE cannot be written.\n"
	"\n"
	"      --syntax yaml|py  the rule language (default: yaml, or py for -o X.py)\n"
	"      --from SAMPLE     infer the rules from this CSV ('-' for standard input;\n"
	"                        gzip is detected)\n"
	"  -o, --output FILE     write to FILE instead of standard output\n"
	"      --force           overwrite FILE when it exists (otherwise init refuses)\n"
	"      --delimiter C     the sample's delimiter (default ',', a tab for .tsv/.tab)\n"
	"      --no-header       the sample's first record is data; fields are named\n"
	"                        column_1, column_2, ...\n"
	"      --null S          a cell text that means missing (repeatable); the empty\n"
	"                        cell always does\n"
	"  -h, --help            show this help\n",
};
