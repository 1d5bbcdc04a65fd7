/* test_yaml.c: unit tests for the YAML front end (yaml_fe.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rules/doc.h"
#include "util/arena.h"

typedef struct {
	rv_arena *a;
	rv_diags d;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->a = arena_new();
	diags_init(&f->d, "t.yaml");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	diags_free(&f->d);
	arena_free(f->a);
	free(f);
	return 0;
}

static doc_node *parse(void **state, const char *s)
{
	fixture *f = *state;
	return yaml_parse_doc(f->a, s, strlen(s), &f->d);
}

static rv_diags *diags(void **state)
{
	return &((fixture *)*state)->d;
}

static void assert_diag(void **state, size_t i, int line, int col, const char *msg)
{
	rv_diags *d = diags(state);
	assert_true(i < d->n);
	assert_string_equal(d->items[i].msg, msg);
	assert_int_equal(d->items[i].level, DIAG_ERROR);
	assert_int_equal(d->items[i].line, line);
	assert_int_equal(d->items[i].col, col);
}

static void assert_node(const doc_node *n, doc_kind kind, int line, int col)
{
	assert_non_null(n);
	assert_int_equal(n->kind, kind);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

static void assert_scalar(const doc_node *n, doc_kind kind, const char *text, int line, int col)
{
	assert_node(n, kind, line, col);
	assert_string_equal(n->text, text);
	assert_int_equal(n->len, strlen(text));
}

static void assert_text_pos(const doc_node *n, int line, int col)
{
	assert_int_equal(n->text_line, line);
	assert_int_equal(n->text_col, col);
}

static void test_nested_positions(void **state)
{
	doc_node *root = parse(state, "a:\n"
	                              "  b: [x, yy]\n"
	                              "  c:\n"
	                              "    - 1\n"
	                              "    - k: v\n"
	                              "d: end\n");
	assert_int_equal(diags(state)->errors, 0);
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(root->n, 2);
	assert_scalar(root->keys[0], DOC_PLAIN, "a", 1, 1);
	assert_scalar(root->keys[1], DOC_PLAIN, "d", 6, 1);
	assert_scalar(root->items[1], DOC_PLAIN, "end", 6, 4);

	doc_node *a = doc_get(root, "a");
	assert_node(a, DOC_MAP, 2, 3);
	assert_int_equal(a->n, 2);
	assert_scalar(a->keys[0], DOC_PLAIN, "b", 2, 3);

	doc_node *b = doc_get(a, "b");
	assert_node(b, DOC_LIST, 2, 6);
	assert_int_equal(b->n, 2);
	assert_null(b->keys);
	assert_scalar(b->items[0], DOC_PLAIN, "x", 2, 7);
	assert_scalar(b->items[1], DOC_PLAIN, "yy", 2, 10);

	doc_node *c = doc_get(a, "c");
	assert_node(c, DOC_LIST, 4, 5);
	assert_int_equal(c->n, 2);
	assert_scalar(c->items[0], DOC_PLAIN, "1", 4, 7);
	doc_node *m = c->items[1];
	assert_node(m, DOC_MAP, 5, 7);
	assert_int_equal(m->n, 1);
	assert_scalar(m->keys[0], DOC_PLAIN, "k", 5, 7);
	assert_scalar(doc_get(m, "k"), DOC_PLAIN, "v", 5, 10);
}

static void test_plain_and_quoted_kinds(void **state)
{
	doc_node *root = parse(state, "a: NO\n"
	                              "b: 'NO'\n"
	                              "c: 01\n"
	                              "d: \"01\"\n"
	                              "e: true\n"
	                              "f: null\n"
	                              "g: 1e6\n"
	                              "h: ~\n"
	                              "i: !!str 01\n");
	assert_int_equal(diags(state)->errors, 0);
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(root->n, 9);
	assert_scalar(doc_get(root, "a"), DOC_PLAIN, "NO", 1, 4);
	assert_scalar(doc_get(root, "b"), DOC_STR, "NO", 2, 4);
	assert_scalar(doc_get(root, "c"), DOC_PLAIN, "01", 3, 4);
	assert_scalar(doc_get(root, "d"), DOC_STR, "01", 4, 4);
	assert_scalar(doc_get(root, "e"), DOC_PLAIN, "true", 5, 4);
	assert_scalar(doc_get(root, "f"), DOC_PLAIN, "null", 6, 4);
	assert_scalar(doc_get(root, "g"), DOC_PLAIN, "1e6", 7, 4);
	assert_scalar(doc_get(root, "h"), DOC_PLAIN, "~", 8, 4);
	/* the node starts at its tag; its text starts after it */
	doc_node *i = doc_get(root, "i");
	assert_scalar(i, DOC_STR, "01", 9, 4);
	assert_text_pos(i, 9, 10);
}

static void test_text_positions(void **state)
{
	doc_node *root = parse(state, "p: hello world\n"
	                              "s:   'abc'\n"
	                              "d: \"a b\"\n"
	                              "e: \"a\\tb\"\n"
	                              "q: 'it''s'\n"
	                              "u: \"\\u0041\"\n"
	                              "f: two\n"
	                              "  lines\n"
	                              "g: \"two\n"
	                              "  lines\"\n"
	                              "z: ''\n"
	                              "k: [x,  'y']\n");
	assert_int_equal(diags(state)->errors, 0);
	assert_node(root, DOC_MAP, 1, 1);
	/* keys are plain scalars too */
	assert_text_pos(root->keys[0], 1, 1);

	doc_node *p = doc_get(root, "p");
	assert_scalar(p, DOC_PLAIN, "hello world", 1, 4);
	assert_text_pos(p, 1, 4);

	doc_node *s = doc_get(root, "s");
	assert_scalar(s, DOC_STR, "abc", 2, 6);
	assert_text_pos(s, 2, 7);

	doc_node *d = doc_get(root, "d");
	assert_scalar(d, DOC_STR, "a b", 3, 4);
	assert_text_pos(d, 3, 5);

	doc_node *e = doc_get(root, "e");
	assert_scalar(e, DOC_STR, "a\tb", 4, 4);
	assert_text_pos(e, 0, 0);

	doc_node *q = doc_get(root, "q");
	assert_scalar(q, DOC_STR, "it's", 5, 4);
	assert_text_pos(q, 0, 0);

	doc_node *u = doc_get(root, "u");
	assert_scalar(u, DOC_STR, "A", 6, 4);
	assert_text_pos(u, 0, 0);

	doc_node *f = doc_get(root, "f");
	assert_scalar(f, DOC_PLAIN, "two lines", 7, 4);
	assert_text_pos(f, 0, 0);

	doc_node *g = doc_get(root, "g");
	assert_scalar(g, DOC_STR, "two lines", 9, 4);
	assert_text_pos(g, 0, 0);

	doc_node *z = doc_get(root, "z");
	assert_scalar(z, DOC_STR, "", 11, 4);
	assert_text_pos(z, 11, 5);

	doc_node *k = doc_get(root, "k");
	assert_node(k, DOC_LIST, 12, 4);
	assert_text_pos(k->items[0], 12, 5);
	assert_scalar(k->items[1], DOC_STR, "y", 12, 9);
	assert_text_pos(k->items[1], 12, 10);
}

static void test_empty_value_is_null(void **state)
{
	doc_node *root = parse(state, "a:\n"
	                              "b: x\n"
	                              "c:   # comment\n"
	                              "d: ''\n"
	                              "e: !!str\n");
	assert_int_equal(diags(state)->errors, 0);
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(root->n, 5);
	doc_node *a = doc_get(root, "a");
	assert_node(a, DOC_NULL, 1, 3);
	assert_int_equal(a->len, 0);
	assert_text_pos(a, 0, 0);
	assert_node(doc_get(root, "c"), DOC_NULL, 3, 3);
	/* a quoted empty string and an explicit !!str are strings, not null */
	assert_scalar(doc_get(root, "d"), DOC_STR, "", 4, 4);
	assert_scalar(doc_get(root, "e"), DOC_STR, "", 5, 4);
}

static void test_block_scalars(void **state)
{
	doc_node *root = parse(state, "lit: |\n"
	                              "  one\n"
	                              "  two\n"
	                              "fold: >\n"
	                              "  one\n"
	                              "  two\n"
	                              "short: |-\n"
	                              "  x\n");
	assert_int_equal(diags(state)->errors, 0);
	doc_node *lit = doc_get(root, "lit");
	assert_scalar(lit, DOC_STR, "one\ntwo\n", 1, 6);
	assert_text_pos(lit, 0, 0);
	doc_node *fold = doc_get(root, "fold");
	assert_scalar(fold, DOC_STR, "one two\n", 4, 7);
	assert_text_pos(fold, 0, 0);
	doc_node *sh = doc_get(root, "short");
	assert_scalar(sh, DOC_STR, "x", 7, 8);
	assert_text_pos(sh, 0, 0);
}

static void test_anchors_and_aliases(void **state)
{
	doc_node *root = parse(state, "a: &x 1\n"
	                              "b: *x\n"
	                              "c: &m {k: v}\n"
	                              "d: ok\n");
	/* the tree is still returned: the caller checks the error count */
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(diags(state)->errors, 3);
	assert_diag(state, 0, 1, 4, "anchors and aliases are not supported");
	assert_diag(state, 1, 2, 4, "anchors and aliases are not supported");
	assert_diag(state, 2, 3, 4, "anchors and aliases are not supported");
	assert_int_equal(root->n, 4);
	assert_scalar(doc_get(root, "a"), DOC_PLAIN, "1", 1, 4);
	assert_node(doc_get(root, "b"), DOC_NULL, 2, 4);
	doc_node *c = doc_get(root, "c");
	assert_node(c, DOC_MAP, 3, 4);
	assert_scalar(doc_get(c, "k"), DOC_PLAIN, "v", 3, 11);
	assert_scalar(doc_get(root, "d"), DOC_PLAIN, "ok", 4, 4);
}

static void test_duplicate_key(void **state)
{
	doc_node *root = parse(state, "a: 1\n"
	                              "b: 2\n"
	                              "'a': 3\n"
	                              "c:\n"
	                              "  x: 1\n"
	                              "  x: 2\n");
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(diags(state)->errors, 2);
	assert_diag(state, 0, 3, 1, "duplicate key 'a' (first at line 1)");
	assert_diag(state, 1, 6, 3, "duplicate key 'x' (first at line 5)");
	assert_int_equal(root->n, 3);
	assert_scalar(doc_get(root, "a"), DOC_PLAIN, "1", 1, 4);
	doc_node *c = doc_get(root, "c");
	assert_int_equal(c->n, 1);
	assert_scalar(doc_get(c, "x"), DOC_PLAIN, "1", 5, 6);
}

static void test_key_must_be_scalar(void **state)
{
	doc_node *root = parse(state, "? [a, b]\n"
	                              ": 1\n"
	                              "c: {[x]: y, z: w}\n");
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(diags(state)->errors, 2);
	assert_diag(state, 0, 1, 3, "a mapping key must be a scalar");
	assert_diag(state, 1, 3, 5, "a mapping key must be a scalar");
	assert_int_equal(root->n, 1);
	doc_node *c = doc_get(root, "c");
	assert_node(c, DOC_MAP, 3, 4);
	assert_int_equal(c->n, 1);
	assert_scalar(doc_get(c, "z"), DOC_PLAIN, "w", 3, 16);
}

static void test_tags_refused(void **state)
{
	doc_node *root = parse(state, "a: !!int 1\n"
	                              "b: !custom x\n"
	                              "c: !!map {k: v}\n"
	                              "d: !!str 5\n");
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(diags(state)->errors, 3);
	assert_diag(state, 0, 1, 4, "tags are not supported ('!!int')");
	assert_diag(state, 1, 2, 4, "tags are not supported ('!custom')");
	assert_diag(state, 2, 3, 4, "tags are not supported ('!!map')");
	assert_scalar(doc_get(root, "a"), DOC_PLAIN, "1", 1, 4);
	assert_scalar(doc_get(root, "d"), DOC_STR, "5", 4, 4);
}

static void test_two_documents(void **state)
{
	doc_node *root = parse(state, "a: 1\n"
	                              "---\n"
	                              "b: 2\n"
	                              "---\n"
	                              "c: 3\n");
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(diags(state)->errors, 1);
	assert_diag(state, 0, 2, 1, "a rule file holds one YAML document");
	assert_int_equal(root->n, 1);
	assert_scalar(doc_get(root, "a"), DOC_PLAIN, "1", 1, 4);
	assert_null(doc_get(root, "b"));
}

static void test_syntax_error(void **state)
{
	assert_null(parse(state, "a: 1\n"
	                         " b: 2\n"));
	assert_int_equal(diags(state)->errors, 1);
	assert_diag(state, 0, 2, 3, "mapping values are not allowed in this context");
}

static void test_syntax_error_with_context(void **state)
{
	assert_null(parse(state, "a: &x 1\n"
	                         "b: [c\n"));
	/* errors found before the syntax error are kept */
	assert_int_equal(diags(state)->errors, 2);
	assert_diag(state, 0, 1, 4, "anchors and aliases are not supported");
	assert_diag(state, 1, 3, 1,
	            "did not find expected ',' or ']' (while parsing a flow sequence that starts "
	            "at line 2)");
}

static void test_invalid_utf8(void **state)
{
	assert_null(parse(state, "a: 1\n"
	                         "bé: \xff\n"));
	assert_int_equal(diags(state)->errors, 1);
	assert_diag(state, 0, 2, 5, "invalid leading UTF-8 octet");
}

static void test_empty_input(void **state)
{
	fixture *f = *state;
	doc_node *n = yaml_parse_doc(f->a, "", 0, &f->d);
	assert_node(n, DOC_NULL, 1, 1);
	n = yaml_parse_doc(f->a, NULL, 0, &f->d);
	assert_node(n, DOC_NULL, 1, 1);
	n = parse(state, "# only a comment\n\n   # and another\n");
	assert_node(n, DOC_NULL, 1, 1);
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.n, 0);
}

static void test_length_not_nul(void **state)
{
	fixture *f = *state;
	static const char buf[] = {'a', ':', ' ', '1', '2', ':', ' ', 'x'};
	doc_node *root = yaml_parse_doc(f->a, buf, 5, &f->d);
	assert_int_equal(f->d.errors, 0);
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(root->n, 1);
	assert_scalar(doc_get(root, "a"), DOC_PLAIN, "12", 1, 4);
}

static void test_nul_escape(void **state)
{
	doc_node *root = parse(state, "a: \"x\\0y\"\n");
	assert_int_equal(diags(state)->errors, 0);
	doc_node *a = doc_get(root, "a");
	assert_node(a, DOC_STR, 1, 4);
	assert_int_equal(a->len, 3);
	assert_memory_equal(a->text, "x\0y", 4);
	assert_text_pos(a, 0, 0);
}

static void test_flow_style(void **state)
{
	doc_node *root = parse(state, "age: {type: int, min: 18}\n"
	                              "country: [US, GB]\n");
	assert_int_equal(diags(state)->errors, 0);
	doc_node *age = doc_get(root, "age");
	assert_node(age, DOC_MAP, 1, 6);
	assert_int_equal(age->n, 2);
	assert_scalar(age->keys[0], DOC_PLAIN, "type", 1, 7);
	assert_scalar(doc_get(age, "type"), DOC_PLAIN, "int", 1, 13);
	assert_scalar(age->keys[1], DOC_PLAIN, "min", 1, 18);
	assert_scalar(doc_get(age, "min"), DOC_PLAIN, "18", 1, 23);
	assert_text_pos(doc_get(age, "min"), 1, 23);
	doc_node *c = doc_get(root, "country");
	assert_node(c, DOC_LIST, 2, 10);
	assert_int_equal(c->n, 2);
	assert_scalar(c->items[0], DOC_PLAIN, "US", 2, 11);
	assert_scalar(c->items[1], DOC_PLAIN, "GB", 2, 15);
}

/* Writes depth nested flow sequences around a scalar, e.g. "[[x]]" for 2. */
static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 2);
	if (!s)
		return NULL;
	memset(s, '[', (size_t)depth);
	s[depth] = 'x';
	memset(s + depth + 1, ']', (size_t)depth);
	s[2 * depth + 1] = '\0';
	return s;
}

static void test_nesting_limit(void **state)
{
	char *ok = nested(64);
	assert_non_null(ok);
	doc_node *n = parse(state, ok);
	free(ok);
	assert_int_equal(diags(state)->errors, 0);
	for (int i = 0; i < 64; i++) {
		assert_node(n, DOC_LIST, 1, i + 1);
		assert_int_equal(n->n, 1);
		n = n->items[0];
	}
	assert_scalar(n, DOC_PLAIN, "x", 1, 65);
}

static void test_nesting_too_deep(void **state)
{
	char *deep = nested(65);
	assert_non_null(deep);
	doc_node *n = parse(state, deep);
	free(deep);
	assert_null(n);
	assert_int_equal(diags(state)->errors, 1);
	assert_diag(state, 0, 1, 65, "nesting too deep");

	/* far deeper input, unbalanced, stops at the limit too */
	fixture *f = *state;
	size_t len = 100000;
	char *huge = malloc(len);
	assert_non_null(huge);
	memset(huge, '[', len);
	diags_free(&f->d);
	diags_init(&f->d, "t.yaml");
	n = yaml_parse_doc(f->a, huge, len, &f->d);
	free(huge);
	assert_null(n);
	assert_int_equal(f->d.errors, 1);
	assert_diag(state, 0, 1, 65, "nesting too deep");

	/* block nesting counts the same way */
	diags_free(&f->d);
	diags_init(&f->d, "t.yaml");
	char block[65 * 70];
	size_t p = 0;
	for (int i = 0; i < 65; i++) {
		for (int k = 0; k < i; k++)
			block[p++] = ' ';
		block[p++] = 'k';
		block[p++] = ':';
		block[p++] = '\n';
	}
	n = yaml_parse_doc(f->a, block, p, &f->d);
	assert_null(n);
	assert_int_equal(f->d.errors, 1);
	assert_diag(state, 0, 65, 65, "nesting too deep");
}

static void test_multibyte_columns(void **state)
{
	/* libyaml counts columns in characters: é is 2 bytes, 1 column */
	doc_node *root = parse(state, "é: 'ab'\n"
	                              "ü: [é, x]\n"
	                              "k: 'éa'  # ç\n"
	                              "z: ça va\n");
	assert_int_equal(diags(state)->errors, 0);
	assert_int_equal(root->n, 4);
	doc_node *e = doc_get(root, "é");
	assert_scalar(e, DOC_STR, "ab", 1, 4);
	assert_text_pos(e, 1, 5);
	doc_node *u = doc_get(root, "ü");
	assert_node(u, DOC_LIST, 2, 4);
	assert_scalar(u->items[0], DOC_PLAIN, "é", 2, 5);
	assert_text_pos(u->items[0], 2, 5);
	assert_scalar(u->items[1], DOC_PLAIN, "x", 2, 8);
	assert_text_pos(u->items[1], 2, 8);
	doc_node *k = doc_get(root, "k");
	assert_scalar(k, DOC_STR, "éa", 3, 4);
	assert_text_pos(k, 3, 5);
	doc_node *z = doc_get(root, "z");
	assert_scalar(z, DOC_PLAIN, "ça va", 4, 4);
	assert_text_pos(z, 4, 4);
}

static void test_bom(void **state)
{
	/* a UTF-8 BOM is not a column */
	doc_node *root = parse(state, "\xEF\xBB\xBFkey: 'v'\nb: x\n");
	assert_int_equal(diags(state)->errors, 0);
	assert_scalar(root->keys[0], DOC_PLAIN, "key", 1, 1);
	assert_text_pos(root->keys[0], 1, 1);
	doc_node *v = doc_get(root, "key");
	assert_scalar(v, DOC_STR, "v", 1, 6);
	assert_text_pos(v, 1, 7);
	assert_text_pos(doc_get(root, "b"), 2, 4);
}

static void test_spec_example(void **state)
{
	doc_node *root =
	    parse(state,
	          "version: 1\n"
	          "name: users\n"
	          "description: Customer accounts export\n"
	          "csv:                       # dialect, all optional\n"
	          "  delimiter: \",\"\n"
	          "  quote: '\"'\n"
	          "  header: true\n"
	          "  null_values: [\"\", \"NA\"]\n"
	          "columns: strict            # strict: exactly these columns, any order | ordered: "
	          "and in this order | any (default): extra columns allowed\n"
	          "fields:\n"
	          "  user_id: {type: str, required: true, pattern: '^\\d{6}$', unique: true}\n"
	          "  email:   {type: str, required: true, format: email}\n"
	          "  age:     {type: int, min: 18, max: 120}\n"
	          "  balance: {type: float, min: 0}\n"
	          "  country: {type: str, enum: [US, GB, DE, FR, NO]}\n"
	          "  signup_date: {type: date}                 # ISO 8601; or format: '%d/%m/%Y'\n"
	          "  status:  {type: str, required: true, enum: [active, suspended, closed], "
	          "severity: warn}\n"
	          "  note:    {type: str, max_length: 200}\n"
	          "rules:\n"
	          "  - name: closed_accounts_are_empty\n"
	          "    when: status == 'closed'\n"
	          "    check: balance == 0\n"
	          "    severity: warn\n"
	          "    message: closed accounts must have a zero balance\n"
	          "table:\n"
	          "  rows: {min: 1}\n"
	          "  max_invalid: 1%\n");
	assert_int_equal(diags(state)->errors, 0);
	assert_int_equal(diags(state)->n, 0);
	assert_node(root, DOC_MAP, 1, 1);
	assert_int_equal(root->n, 8);
	doc_node *fields = doc_get(root, "fields");
	assert_node(fields, DOC_MAP, 11, 3);
	assert_int_equal(fields->n, 8);
	assert_string_equal(fields->keys[7]->text, "note");

	doc_node *uid = doc_get(fields, "user_id");
	doc_node *pat = doc_get(uid, "pattern");
	assert_scalar(pat, DOC_STR, "^\\d{6}$", 11, 49);
	assert_text_pos(pat, 11, 50);

	doc_node *csv = doc_get(root, "csv");
	assert_scalar(doc_get(csv, "delimiter"), DOC_STR, ",", 5, 14);
	assert_scalar(doc_get(csv, "quote"), DOC_STR, "\"", 6, 10);
	doc_node *nv = doc_get(csv, "null_values");
	assert_int_equal(nv->n, 2);
	assert_scalar(nv->items[0], DOC_STR, "", 8, 17);

	doc_node *country = doc_get(doc_get(fields, "country"), "enum");
	assert_int_equal(country->n, 5);
	assert_scalar(country->items[4], DOC_PLAIN, "NO", 15, 47);

	doc_node *rules = doc_get(root, "rules");
	assert_node(rules, DOC_LIST, 20, 3);
	assert_int_equal(rules->n, 1);
	assert_scalar(doc_get(rules->items[0], "when"), DOC_PLAIN, "status == 'closed'", 21, 11);
	assert_text_pos(doc_get(rules->items[0], "when"), 21, 11);
	assert_scalar(doc_get(doc_get(root, "table"), "max_invalid"), DOC_PLAIN, "1%", 27, 16);
}

static void test_errors_collected(void **state)
{
	doc_node *root = parse(state, "a: &x 1\n"
	                              "a: 2\n"
	                              "b: !!int 3\n"
	                              "c: *x\n"
	                              "---\n"
	                              "d: 4\n");
	assert_non_null(root);
	assert_int_equal(diags(state)->errors, 5);
	assert_diag(state, 0, 1, 4, "anchors and aliases are not supported");
	assert_diag(state, 1, 2, 1, "duplicate key 'a' (first at line 1)");
	assert_diag(state, 2, 3, 4, "tags are not supported ('!!int')");
	assert_diag(state, 3, 4, 4, "anchors and aliases are not supported");
	assert_diag(state, 4, 5, 1, "a rule file holds one YAML document");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_nested_positions),
		T(test_plain_and_quoted_kinds),
		T(test_text_positions),
		T(test_empty_value_is_null),
		T(test_block_scalars),
		T(test_anchors_and_aliases),
		T(test_duplicate_key),
		T(test_key_must_be_scalar),
		T(test_tags_refused),
		T(test_two_documents),
		T(test_syntax_error),
		T(test_syntax_error_with_context),
		T(test_invalid_utf8),
		T(test_empty_input),
		T(test_length_not_nul),
		T(test_nul_escape),
		T(test_flow_style),
		T(test_nesting_limit),
		T(test_nesting_too_deep),
		T(test_multibyte_columns),
		T(test_bom),
		T(test_spec_example),
		T(test_errors_collected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
