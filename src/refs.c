/* refs.c: load the columns that `references` constraints point at. */
#include "refs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "io/source.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include "util/path.h"

#define REF_MAX_BYTES ((size_t)1 << 30)

static rv_status load_one(const rv_ruleset *rs, const rv_field_ir *f, rv_keyset **out, char *err,
			  size_t errlen)
{
	char path[4096];
	/* relative to the rule file, which may be in S3 (rs->dir "s3://bucket/dir") */
	if (f->ref_file[0] == '/' || strncmp(f->ref_file, "s3://", 5) == 0 ||
	    strcmp(rs->dir, ".") == 0)
		snprintf(path, sizeof(path), "%s", f->ref_file);
	else
		snprintf(path, sizeof(path), "%s/%s", rs->dir, f->ref_file);
	rv_source *src;
	char why[600];
	rv_status st = source_open(path, ENC_UTF8, &src, why, sizeof(why));
	if (st != RV_OK) {
		snprintf(err, errlen, "%s:%d:%d: references: %s", rs->path, f->ref_pos.line,
			 f->ref_pos.col, why);
		return RV_IO;
	}
	rv_buf data;
	buf_init(&data, REF_MAX_BYTES);
	char chunk[65536];
	ssize_t n;
	while ((n = source_read(src, chunk, sizeof(chunk), why, sizeof(why))) > 0)
		buf_append(&data, chunk, (size_t)n);
	source_close(src);
	if (n < 0 || data.toobig) {
		snprintf(err, errlen, "%s:%d:%d: references: %s", rs->path, f->ref_pos.line,
			 f->ref_pos.col, n < 0 ? why : "the referenced file is larger than 1 GiB");
		buf_free(&data);
		return RV_IO;
	}
	csv_dialect d = {path_has_suffix(path, ".tsv") || path_has_suffix(path, ".tab") ? '\t'
											: ',',
			 '"', 0, 0};
	csv_cursor cur;
	csv_record rec = {0};
	csv_cursor_init(&cur, &d);
	const char *p = data.data ? data.data : "";
	size_t len = data.len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
	}
	csv_cursor_reset(&cur, p, len);
	int col = -1;
	if (csv_next(&cur, &rec)) {
		for (size_t i = 0; i < rec.n; i++)
			if (rec.cells[i].n == strlen(f->ref_column) &&
			    memcmp(rec.cells[i].p, f->ref_column, rec.cells[i].n) == 0)
				col = (int)i;
	}
	if (col < 0) {
		const char **names = xcalloc(rec.n + 1, sizeof(char *));
		for (size_t i = 0; i < rec.n; i++)
			names[i] = xstrndup(rec.cells[i].p, rec.cells[i].n);
		const char *s =
			rec.n ? suggest(f->ref_column, strlen(f->ref_column), names, rec.n) : NULL;
		snprintf(err, errlen, "%s:%d:%d: references: %s has no column '%s'%s%s%s", rs->path,
			 f->ref_pos.line, f->ref_pos.col, path, f->ref_column,
			 s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
		for (size_t i = 0; i < rec.n; i++)
			free((char *)names[i]);
		free(names);
		st = RV_USAGE;
		goto out;
	}
	rv_keyset *set = keyset_new(false);
	rv_buf key;
	buf_init(&key, 0);
	while (csv_next(&cur, &rec)) {
		if ((size_t)col >= rec.n || rec.cells[col].n == 0)
			continue; /* a missing value references nothing */
		rv_value v;
		if (!parse_value(f->type, rec.cells[col].p, rec.cells[col].n, &v))
			continue; /* a value of another type can never be equal */
		buf_reset(&key);
		key_append(&key, &v);
		keyset_insert(set, key.data, key.len);
	}
	buf_free(&key);
	*out = set;
out:
	csv_record_free(&rec);
	csv_cursor_free(&cur);
	buf_free(&data);
	return st;
}

rv_status refs_load(const rv_ruleset *rs, rv_keyset ***sets, char *err, size_t errlen)
{
	*sets = xcalloc(rs->n_fields ? rs->n_fields : 1, sizeof(rv_keyset *));
	for (size_t i = 0; i < rs->n_fields; i++) {
		if (!rs->fields[i].ref_file)
			continue;
		rv_status st = load_one(rs, &rs->fields[i], &(*sets)[i], err, errlen);
		if (st != RV_OK) {
			refs_free(rs, *sets);
			*sets = NULL;
			return st;
		}
	}
	return RV_OK;
}

void refs_free(const rv_ruleset *rs, rv_keyset **sets)
{
	if (!sets)
		return;
	for (size_t i = 0; i < rs->n_fields; i++)
		keyset_free(sets[i]);
	free(sets);
}
