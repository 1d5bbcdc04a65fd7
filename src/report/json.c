/* json.c: the JSON report (SPEC 5, report format 1), the reference view. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "keyset.h"
#include "report/report.h"

#ifndef RVALID_VERSION
#define RVALID_VERSION "0.0.0"
#endif

static cJSON *num(double v)
{
	return cJSON_CreateNumber(v);
}

static cJSON *text(const char *s, size_t n)
{
	char stack[512];
	char *p = n < sizeof(stack) ? stack : malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	cJSON *j = cJSON_CreateString(p);
	if (p != stack)
		free(p);
	return j;
}

/* More than 15 significant digits: more than a double holds exactly. */
static bool digits15(const char *s)
{
	size_t n = 0;
	bool lead = true;
	for (; *s && *s != 'e' && *s != 'E'; s++) {
		if (*s < '0' || *s > '9' || (lead && *s == '0'))
			continue;
		lead = false;
		n++;
	}
	return n > 15;
}

static cJSON *value_json(const rv_value *v)
{
	char tmp[128];
	switch (v->type) {
	case RV_INT:
	case RV_FLOAT: value_format(v, tmp, sizeof(tmp)); return cJSON_CreateRaw(tmp);
	case RV_DECIMAL: {
		/* normalised (no leading zeros, no -0), as a JSON number while a
		 * double reads it back exactly (15 significant digits), else as a
		 * string, so no parser rounds it silently */
		rv_buf b;
		buf_init(&b, 0);
		key_append(&b, v); /* a type tag, then the normalised digits */
		const char *d = b.data + 1;
		size_t n = b.len - 1;
		bool exact = !digits15(d);
		char text[160];
		if (n == 0 || (n == 1 && d[0] == '-'))
			snprintf(text, sizeof(text), "0");
		else if (d[0] == '.' || (d[0] == '-' && n > 1 && d[1] == '.'))
			snprintf(text, sizeof(text), "%s0%.*s", d[0] == '-' ? "-" : "",
				 (int)(d[0] == '-' ? n - 1 : n), d[0] == '-' ? d + 1 : d);
		else
			snprintf(text, sizeof(text), "%.*s", (int)n, d);
		buf_free(&b);
		return exact ? cJSON_CreateRaw(text) : cJSON_CreateString(text);
	}
	default: value_format(v, tmp, sizeof(tmp)); return cJSON_CreateString(tmp);
	}
}

/* A number JSON can write as is: -?digits[.digits][e[+-]digits], no leading zeros. */
static bool json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			return false;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* An observed value: its text as a JSON number when it reads as one and
 * is a double's text, or exact text a double holds; else as a string. */
static cJSON *observed_json(const char *text, bool is_double)
{
	if (json_number(text) && (is_double || !digits15(text)))
		return cJSON_CreateRaw(text);
	return cJSON_CreateString(text);
}

static cJSON *sample_json(const rv_report *r, size_t check, const rv_sample *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "input", cJSON_CreateString(r->inputs[s->input]));
	cJSON_AddItemToObject(o, "row", s->row ? num((double)s->row) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "line", num((double)s->line));
	cJSON_AddItemToObject(o, "value",
			      s->value ? text(s->value, s->value_len) : cJSON_CreateNull());
	if (s->truncated)
		cJSON_AddTrueToObject(o, "truncated");
	if (s->message &&
	    strcmp(s->message, r->g->checks[check].message ? r->g->checks[check].message : "") != 0)
		cJSON_AddStringToObject(o, "message", s->message);
	return o;
}

void report_json(const rv_report *r, rv_buf *out)
{
	const rv_graph *g = r->g;
	cJSON *root = cJSON_CreateObject();
	cJSON *meta = cJSON_AddObjectToObject(root, "rvalid");
	cJSON_AddStringToObject(meta, "version", RVALID_VERSION);
	cJSON_AddNumberToObject(meta, "report_format", 1);
	cJSON_AddStringToObject(root, "rules_file", r->rules_file);
	cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
	for (size_t i = 0; i < r->n_inputs; i++)
		cJSON_AddItemToArray(inputs, cJSON_CreateString(r->inputs[i]));
	cJSON_AddStringToObject(root, "started_at", r->started_at);
	cJSON_AddItemToObject(root, "duration_s", num(round(r->duration_s * 1000) / 1000));
	cJSON_AddNumberToObject(root, "threads", r->threads);
	cJSON_AddBoolToObject(root, "passed", r->passed);
	cJSON *rows = cJSON_AddObjectToObject(root, "rows");
	cJSON_AddItemToObject(rows, "total", num((double)r->total));
	cJSON_AddItemToObject(rows, "valid", num((double)r->valid));
	cJSON_AddItemToObject(rows, "invalid", num((double)r->invalid));
	cJSON_AddItemToObject(rows, "warned", num((double)r->warned));

	cJSON *checks = cJSON_AddArrayToObject(root, "checks");
	for (size_t i = 0; i < g->n_checks; i++) {
		const rv_check *c = &g->checks[i];
		if (!r->enabled[i] || c->kind >= CK_TABLE_ROWS_MIN)
			continue;
		const rv_check_result *cr = &r->checks[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", c->id);
		if (c->field >= 0)
			cJSON_AddStringToObject(o, "field", g->rs->fields[c->field].name);
		cJSON_AddStringToObject(o, "severity", c->severity == SEV_WARN ? "warn" : "error");
		cJSON_AddBoolToObject(o, "passed", cr->passed);
		cJSON_AddItemToObject(o, "evaluated", num((double)cr->counts.evaluated));
		cJSON_AddItemToObject(o, "failed", num((double)cr->counts.failed));
		cJSON_AddItemToObject(o, "skipped", num((double)cr->counts.skipped));
		cJSON_AddItemToObject(o, "failed_ratio", num(report_failed_ratio(&cr->counts)));
		if (c->message)
			cJSON_AddStringToObject(o, "message", c->message);
		cJSON *samples = cJSON_AddArrayToObject(o, "samples");
		for (size_t k = 0; k < cr->n_samples; k++)
			cJSON_AddItemToArray(samples, sample_json(r, i, &cr->samples[k]));
		cJSON_AddItemToArray(checks, o);
	}
	cJSON *table = cJSON_AddArrayToObject(root, "table");
	for (size_t i = 0; i < r->n_table; i++) {
		const rv_table_result *t = &r->table[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", g->checks[t->check].id);
		cJSON_AddBoolToObject(o, "passed", t->passed);
		const rv_check *tc = &g->checks[t->check];
		bool is_double = false;
		if (tc->kind == CK_TABLE_AGG) {
			const rv_aggregate_ir *a = &g->rs->table.aggs[tc->table_index];
			is_double = agg_is_double(a->agg, g->rs->fields[a->field].type);
		}
		cJSON_AddItemToObject(o, "observed", observed_json(t->observed, is_double));
		cJSON_AddStringToObject(o, "expected", t->expected);
		const rv_check_result *cr = &r->checks[t->check];
		if (g->checks[t->check].kind == CK_TABLE_UNIQUE) {
			cJSON *samples = cJSON_AddArrayToObject(o, "samples");
			for (size_t k = 0; k < cr->n_samples; k++)
				cJSON_AddItemToArray(samples,
						     sample_json(r, t->check, &cr->samples[k]));
		}
		cJSON_AddItemToArray(table, o);
	}
	cJSON *fields = cJSON_AddObjectToObject(root, "fields");
	for (size_t i = 0; i < g->rs->n_fields; i++) {
		const rv_fieldstat *s = &r->fields[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "missing", num((double)s->missing));
		cJSON_AddItemToObject(o, "invalid", num((double)s->invalid));
		if (s->has_range) {
			cJSON_AddItemToObject(o, "min", value_json(&s->min));
			cJSON_AddItemToObject(o, "max", value_json(&s->max));
		}
		const rv_fieldagg *fa = r->field_aggs ? &r->field_aggs[i] : NULL;
		rv_type type = g->rs->fields[i].type;
		bool sum_double = agg_is_double(AGG_SUM, type),
		     mean_double = agg_is_double(AGG_MEAN, type);
		if (fa && fa->sum)
			cJSON_AddItemToObject(o, "sum", observed_json(fa->sum, sum_double));
		if (fa && fa->mean)
			cJSON_AddItemToObject(o, "mean", observed_json(fa->mean, mean_double));
		if (fa && fa->stddev)
			cJSON_AddItemToObject(o, "stddev", observed_json(fa->stddev, true));
		if (fa && fa->has_distinct)
			cJSON_AddItemToObject(o, "distinct", num((double)fa->distinct));
		cJSON_AddItemToObject(fields, g->rs->fields[i].name, o);
	}
	char *s = cJSON_Print(root);
	buf_puts(out, s);
	buf_putc(out, '\n');
	cJSON_free(s);
	cJSON_Delete(root);
}
