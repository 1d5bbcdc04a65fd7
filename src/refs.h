/* refs.h: the value sets of `references` (SPEC 2.3), loaded once per run.
 *
 * For every field with references: {file, column}, the referenced CSV (a
 * path relative to the rule file's folder, gzip allowed, header required,
 * `,` or tab for .tsv) is read once and its column's values, typed as the
 * field is typed, go into a keyset that workers probe read-only. */
#ifndef RV_REFS_H
#define RV_REFS_H

#include "err.h"
#include "keyset.h"
#include "rules/ir.h"

/* Loads every referenced column. On success *sets has one entry per field
 * (NULL for fields without references). A file that cannot be read is
 * RV_IO, a file without the column RV_USAGE; err then says which
 * ("RULES:L:C: FILE: ..."). */
rv_status refs_load(const rv_ruleset *rs, rv_keyset ***sets, char *err, size_t errlen);
void refs_free(const rv_ruleset *rs, rv_keyset **sets);

#endif
