/* ir.c: compile a rule file's text into IR: pick the front end, build, free. */
#include "rules/ir.h"

#include <string.h>

#include "rules/doc.h"
#include "util/path.h"

const char *strformat_name(rv_strformat f)
{
	static const char *const N[] = {"",     "email", "uri", "uuid",
					"ipv4", "ipv6",  "hex", "base64"};
	return N[f];
}

const char *encoding_name(rv_encoding e)
{
	static const char *const N[] = {"utf-8", "latin-1", "cp1252", "utf-16"};
	return N[e];
}

bool encoding_from_name(const char *name, rv_encoding *out)
{
	static const struct {
		const char *name;
		rv_encoding enc;
	} ENC[] = {
		{"utf-8", ENC_UTF8},          {"utf8", ENC_UTF8},         {"latin-1", ENC_LATIN1},
		{"latin1", ENC_LATIN1},       {"iso-8859-1", ENC_LATIN1}, {"cp1252", ENC_CP1252},
		{"windows-1252", ENC_CP1252}, {"utf-16", ENC_UTF16},      {"utf16", ENC_UTF16}};
	for (size_t i = 0; i < sizeof(ENC) / sizeof(ENC[0]); i++) {
		if (strcasecmp(name, ENC[i].name) == 0) {
			*out = ENC[i].enc;
			return true;
		}
	}
	return false;
}

const char *colmode_name(rv_colmode m)
{
	static const char *const N[] = {"any", "strict", "ordered"};
	return N[m];
}

const char *agg_name(rv_agg a)
{
	static const char *const N[] = {"min",    "max",     "mean",    "sum",
					"stddev", "missing", "distinct"};
	return N[a];
}

void dialect_defaults(rv_dialect *d)
{
	static const char *const EMPTY[] = {""};
	memset(d, 0, sizeof(*d));
	d->delimiter = ',';
	d->quote = '"';
	d->header = true;
	d->null_values = (const char **)EMPTY;
	d->n_null = 1;
	d->encoding = ENC_UTF8;
}

rv_syntax rules_guess_syntax(const char *path, const char *src, size_t len)
{
	if (path && (path_has_suffix(path, ".py") || path_has_suffix(path, ".rv")))
		return SYNTAX_PY;
	if (path && (path_has_suffix(path, ".yaml") || path_has_suffix(path, ".yml")))
		return SYNTAX_YAML;
	/* no telling extension: Python-like if the first statement looks like one */
	size_t i = 0;
	while (i < len) {
		while (i < len &&
		       (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n'))
			i++;
		if (i < len && src[i] == '#') {
			while (i < len && src[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	static const char *const STARTS[] = {
		"from ", "import ", "schema =", "schema=", "rules =", "rules=", NULL};
	for (size_t k = 0; STARTS[k]; k++)
		if (len - i >= strlen(STARTS[k]) &&
		    memcmp(src + i, STARTS[k], strlen(STARTS[k])) == 0)
			return SYNTAX_PY;
	return SYNTAX_YAML;
}

rv_ruleset *rules_compile(const char *path, const char *src, size_t len, rv_syntax syntax,
			  rv_diags *diags)
{
	rv_arena *a = arena_new();
	if (syntax == SYNTAX_AUTO)
		syntax = rules_guess_syntax(path, src, len);
	size_t errors_before = diags->errors;
	doc_node *root = syntax == SYNTAX_PY ? py_parse_doc(a, src, len, diags)
					     : yaml_parse_doc(a, src, len, diags);
	rv_ruleset *rs = NULL;
	if (root && diags->errors == errors_before)
		rs = rules_build(a, root, path, diags);
	else if (root)
		rules_build(a, root, path, diags); /* report the builder's errors too */
	if (!rs)
		arena_free(a);
	return rs;
}

void rules_free(rv_ruleset *rs)
{
	if (rs)
		arena_free(rs->arena);
}

int rules_field_index(const rv_ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->n_fields; i++)
		if (strcmp(rs->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}
