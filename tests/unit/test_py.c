/* test_py.c: unit tests for the Python-like front end (py_fe.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
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
	diags_init(&f->d, "t.py");
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

static doc_node *parse_n(void **state, const char *s, size_t n)
{
	fixture *f = *state;
	return py_parse_doc(f->a, s, n, &f->d);
}

static doc_node *parse(void **state, const char *s)
{
	return parse_n(state, s, strlen(s));
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

/* The source fails with exactly one error, msg at line:col. */
static void assert_error(void **state, const char *src, int line, int col, const char *msg)
{
	assert_null(parse(state, src));
	assert_diag(state, 0, line, col, msg);
	assert_int_equal(diags(state)->n, 1);
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

static void assert_key(const doc_node *map, size_t i, const char *key, int line, int col)
{
	assert_true(i < map->n);
	assert_scalar(map->keys[i], DOC_STR, key, line, col);
}

/* The value of `v` in "schema = Schema({}, v=VALUE)". */
static const doc_node *setting(void **state, const char *value)
{
	fixture *f = *state;
	const char *src = arena_printf(f->a, "schema = Schema({}, v=%s)\n", value);
	doc_node *root = parse(state, src);
	assert_non_null(root);
	assert_int_equal(diags(state)->n, 0);
	assert_int_equal(root->n, 2);
	assert_string_equal(root->keys[1]->text, "v");
	return root->items[1];
}

static const char SPEC_EXAMPLE[] =
	"from rvalid import Schema, Field, Rule        # import lines are accepted and ignored\n"
	"\n"
	"schema = Schema({\n"
	"    'user_id': Field(str, required=True, pattern=r'^\\d{6}$', unique=True),\n"
	"    'email': Field(str, required=True, format='email'),\n"
	"    'age': Field(int, min=18, max=120),\n"
	"    'balance': Field(float, min=0),\n"
	"    'country': Field(str, enum=['US', 'GB', 'DE', 'FR', 'NO']),\n"
	"    'signup_date': Field(date),\n"
	"    'status': Field(str, required=True, enum=['active', 'suspended', 'closed'], "
	"severity='warn'),\n"
	"    'note': Field(str, max_length=200),\n"
	"}, version=1, name='users', description='Customer accounts export',\n"
	"   csv={'delimiter': ',', 'quote': '\"', 'header': True, 'null_values': ['', 'NA']},\n"
	"   columns='strict', table={'rows': {'min': 1}, 'max_invalid': '1%'})\n"
	"\n"
	"rules = [\n"
	"    Rule('closed_accounts_are_empty', when=\"status == 'closed'\", check=\"balance == 0\",\n"
	"         severity='warn', message='closed accounts must have a zero balance'),\n"
	"]\n";

static void test_spec_example(void **state)
{
	doc_node *root = parse(state, SPEC_EXAMPLE);
	assert_int_equal(diags(state)->n, 0);
	assert_node(root, DOC_MAP, 3, 10);
	assert_string_equal(root->call, "Schema");
	const char *keys[] = {"fields", "version", "name", "description",
	                      "csv",    "columns", "table", "rules"};
	assert_int_equal(root->n, 8);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(root->keys[i]->text, keys[i]);

	const doc_node *fields = doc_get(root, "fields");
	assert_node(fields, DOC_MAP, 3, 17);
	assert_null(fields->call);
	assert_int_equal(fields->n, 8);
	assert_key(fields, 0, "user_id", 4, 5);
	assert_key(fields, 7, "note", 11, 5);

	const doc_node *uid = doc_get(fields, "user_id");
	assert_node(uid, DOC_MAP, 4, 16);
	assert_string_equal(uid->call, "Field");
	assert_int_equal(uid->n, 4);
	assert_key(uid, 0, "type", 4, 22);
	assert_scalar(uid->items[0], DOC_NAME, "str", 4, 22);
	assert_key(uid, 1, "required", 4, 27);
	assert_node(uid->items[1], DOC_BOOL, 4, 36);
	assert_true(uid->items[1]->bval);
	assert_key(uid, 2, "pattern", 4, 42);
	const doc_node *pat = uid->items[2];
	assert_scalar(pat, DOC_STR, "^\\d{6}$", 4, 50);
	assert_int_equal(pat->text_line, 4);
	assert_int_equal(pat->text_col, 52);
	assert_true(doc_get(uid, "unique")->bval);

	const doc_node *age = doc_get(fields, "age");
	assert_scalar(doc_get(age, "min"), DOC_INT, "18", 6, 27);
	assert_scalar(doc_get(age, "max"), DOC_INT, "120", 6, 35);
	const doc_node *country = doc_get(doc_get(fields, "country"), "enum");
	assert_node(country, DOC_LIST, 8, 32);
	assert_int_equal(country->n, 5);
	assert_scalar(country->items[4], DOC_STR, "NO", 8, 57);
	const doc_node *signup = doc_get(fields, "signup_date");
	assert_int_equal(signup->n, 1);
	assert_scalar(doc_get(signup, "type"), DOC_NAME, "date", 9, 26);

	assert_scalar(doc_get(root, "version"), DOC_INT, "1", 12, 12);
	assert_key(root, 1, "version", 12, 4);
	const doc_node *csv = doc_get(root, "csv");
	assert_node(csv, DOC_MAP, 13, 8);
	assert_int_equal(csv->n, 4);
	assert_scalar(doc_get(csv, "quote"), DOC_STR, "\"", 13, 36);
	assert_node(doc_get(csv, "header"), DOC_BOOL, 13, 51);
	const doc_node *nulls = doc_get(csv, "null_values");
	assert_int_equal(nulls->n, 2);
	assert_scalar(nulls->items[0], DOC_STR, "", 13, 73);
	const doc_node *table = doc_get(root, "table");
	assert_int_equal(table->n, 2);
	assert_scalar(doc_get(doc_get(table, "rows"), "min"), DOC_INT, "1", 14, 45);
	assert_scalar(doc_get(table, "max_invalid"), DOC_STR, "1%", 14, 64);

	const doc_node *rules = doc_get(root, "rules");
	assert_key(root, 7, "rules", 16, 1);
	assert_node(rules, DOC_LIST, 16, 9);
	assert_int_equal(rules->n, 1);
	const doc_node *r = rules->items[0];
	assert_node(r, DOC_MAP, 17, 5);
	assert_string_equal(r->call, "Rule");
	assert_int_equal(r->n, 5);
	assert_key(r, 0, "name", 17, 10);
	assert_scalar(r->items[0], DOC_STR, "closed_accounts_are_empty", 17, 10);
	assert_key(r, 1, "when", 17, 39);
	assert_scalar(r->items[1], DOC_STR, "status == 'closed'", 17, 44);
	assert_int_equal(r->items[1]->text_line, 17);
	assert_int_equal(r->items[1]->text_col, 45);
	assert_scalar(doc_get(r, "check"), DOC_STR, "balance == 0", 17, 72);
	assert_key(r, 3, "severity", 18, 10);
	assert_key(r, 4, "message", 18, 27);
}

static void test_bench_users(void **state)
{
	const char *paths[] = {"bench/users.py", "../shared/bench/users.py",
	                       "/work/shared/bench/users.py"};
	FILE *fp = NULL;
	for (size_t i = 0; i < 3 && !fp; i++)
		fp = fopen(paths[i], "rb");
	assert_non_null(fp);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_true(n > 0 && n < sizeof(buf));
	doc_node *root = parse_n(state, buf, n);
	assert_int_equal(diags(state)->n, 0);
	assert_non_null(root);
	assert_string_equal(root->call, "Schema");
	assert_null(doc_get(root, "rules"));
	const doc_node *fields = doc_get(root, "fields");
	assert_int_equal(fields->n, 8);
	const doc_node *enums = doc_get(doc_get(fields, "country"), "enum");
	assert_int_equal(enums->n, 20);
	assert_string_equal(enums->items[19]->text, "BR");
	assert_string_equal(doc_get(root, "columns")->text, "strict");
	assert_string_equal(doc_get(doc_get(fields, "email"), "pattern")->text,
	                    "^[\\w.+-]+@[\\w-]+\\.[\\w.-]+$");
}

static void test_literals(void **state)
{
	doc_node *root = parse(state, "schema = Schema({}, a=True, b=False, c=None, d=1_000, "
	                              "e=2.5, f=1e6, g=.5, h='x')\n");
	assert_int_equal(diags(state)->n, 0);
	assert_int_equal(root->n, 9);
	assert_node(doc_get(root, "a"), DOC_BOOL, 1, 23);
	assert_true(doc_get(root, "a")->bval);
	assert_node(doc_get(root, "b"), DOC_BOOL, 1, 31);
	assert_false(doc_get(root, "b")->bval);
	assert_node(doc_get(root, "c"), DOC_NULL, 1, 40);
	assert_scalar(doc_get(root, "d"), DOC_INT, "1000", 1, 48);
	assert_scalar(doc_get(root, "e"), DOC_FLOAT, "2.5", 1, 57);
	assert_scalar(doc_get(root, "f"), DOC_FLOAT, "1e6", 1, 64);
	assert_scalar(doc_get(root, "g"), DOC_FLOAT, ".5", 1, 71);
	assert_scalar(doc_get(root, "h"), DOC_STR, "x", 1, 77);
}

static void test_type_names(void **state)
{
	const char *names[] = {"str", "int", "float", "bool", "date", "datetime", "time", "decimal"};
	for (size_t i = 0; i < 8; i++) {
		const doc_node *v = setting(state, names[i]);
		assert_scalar(v, DOC_NAME, names[i], 1, 23);
	}
}

static void test_negative_numbers(void **state)
{
	assert_scalar(setting(state, "-5"), DOC_INT, "-5", 1, 23);
	assert_scalar(setting(state, "+5"), DOC_INT, "5", 1, 23);
	assert_scalar(setting(state, "- 7"), DOC_INT, "-7", 1, 23);
	assert_scalar(setting(state, "-2.5e-3"), DOC_FLOAT, "-2.5e-3", 1, 23);
	assert_scalar(setting(state, "-1_000"), DOC_INT, "-1000", 1, 23);
	const doc_node *l = setting(state, "[-1, +2.0]");
	assert_scalar(l->items[0], DOC_INT, "-1", 1, 24);
	assert_scalar(l->items[1], DOC_FLOAT, "2.0", 1, 28);
}

static void test_sign_errors(void **state)
{
	assert_error(state, "schema = Schema({}, v=-x)", 1, 23, "unexpected '-'");
}

static void test_sign_errors_twice(void **state)
{
	assert_error(state, "schema = Schema({}, v=--5)", 1, 23, "unexpected '-'");
}

static void test_sign_on_string(void **state)
{
	assert_error(state, "schema = Schema({}, v=+'a')", 1, 23, "unexpected '+'");
}

static void test_tuples_and_parens(void **state)
{
	const doc_node *v = setting(state, "('a', 'b')");
	assert_node(v, DOC_LIST, 1, 23);
	assert_int_equal(v->n, 2);
	assert_scalar(v->items[1], DOC_STR, "b", 1, 29);

	v = setting(state, "('a',)");
	assert_node(v, DOC_LIST, 1, 23);
	assert_int_equal(v->n, 1);

	v = setting(state, "('a')");
	assert_scalar(v, DOC_STR, "a", 1, 24);

	v = setting(state, "((3))");
	assert_scalar(v, DOC_INT, "3", 1, 25);

	v = setting(state, "()");
	assert_node(v, DOC_LIST, 1, 23);
	assert_int_equal(v->n, 0);

	v = setting(state, "[(1, 2), [], {}]");
	assert_int_equal(v->n, 3);
	assert_int_equal(v->items[0]->kind, DOC_LIST);
	assert_int_equal(v->items[0]->n, 2);
	assert_int_equal(v->items[1]->kind, DOC_LIST);
	assert_int_equal(v->items[1]->n, 0);
	assert_node(v->items[2], DOC_MAP, 1, 36);
	assert_int_equal(v->items[2]->n, 0);
}

static void test_rules_tuple(void **state)
{
	doc_node *root = parse(state, "schema = Schema({})\nrules = (Rule('a', check='x > 1'),)\n");
	assert_int_equal(diags(state)->n, 0);
	const doc_node *rules = doc_get(root, "rules");
	assert_node(rules, DOC_LIST, 2, 9);
	assert_int_equal(rules->n, 1);
	assert_string_equal(rules->items[0]->call, "Rule");
}

static void test_string_concat(void **state)
{
	const doc_node *v = setting(state, "'ab' \"cd\" r'\\e'");
	assert_scalar(v, DOC_STR, "abcd\\e", 1, 23);
	assert_int_equal(v->text_line, 0);
	assert_int_equal(v->text_col, 0);

	v = setting(state, "('one '\n   'two')");
	assert_scalar(v, DOC_STR, "one two", 1, 24);
	assert_int_equal(v->text_line, 0);

	v = setting(state, "'solo'");
	assert_scalar(v, DOC_STR, "solo", 1, 23);
	assert_int_equal(v->text_line, 1);
	assert_int_equal(v->text_col, 24);

	/* an escape means the text is not a verbatim slice */
	v = setting(state, "'a\\tb'");
	assert_scalar(v, DOC_STR, "a\tb", 1, 23);
	assert_int_equal(v->text_line, 0);

	v = setting(state, "'''x\ny'''");
	assert_scalar(v, DOC_STR, "x\ny", 1, 23);
	assert_int_equal(v->text_line, 0);
}

static void test_comments_and_blank_lines(void **state)
{
	doc_node *root = parse(state, "# a rule file\n"
	                              "\n"
	                              "   # an indented comment\n"
	                              "import rvalid   # trailing\n"
	                              "  \n"
	                              "schema = Schema(  # open\n"
	                              "    # inside\n"
	                              "    {'a': Field(int)},\n"
	                              "\n"
	                              "    name='n',  # after\n"
	                              ")\r\n"
	                              "# the end, no final newline");
	assert_int_equal(diags(state)->n, 0);
	assert_non_null(root);
	assert_int_equal(root->n, 2);
	assert_key(root, 0, "fields", 8, 5);
	assert_key(root, 1, "name", 10, 5);
	assert_scalar(root->items[1], DOC_STR, "n", 10, 10);
}

static void test_bom(void **state)
{
	doc_node *root = parse(state, "\xEF\xBB\xBFschema = Schema({})");
	assert_int_equal(diags(state)->n, 0);
	assert_node(root, DOC_MAP, 1, 10);
}

static void test_imports(void **state)
{
	doc_node *root = parse(state, "import rvalid\n"
	                              "import a.b as c, d\n"
	                              "from rvalid import Schema, Field as F, Rule\n"
	                              "from a.b import (x,\n"
	                              "    y as z,)\n"
	                              "from . import x\n"
	                              "from ..m import *\n"
	                              "schema = Schema({})\n");
	assert_int_equal(diags(state)->n, 0);
	assert_non_null(root);
}

static void test_import_errors(void **state)
{
	assert_error(state, "import\nschema = Schema({})", 1, 7,
	             "expected a module name after 'import', found end of line");
}

static void test_import_errors_from(void **state)
{
	assert_error(state, "from rvalid Schema\n", 1, 13,
	             "expected 'import' after the module name, found 'Schema'");
}

static void test_import_errors_comma(void **state)
{
	assert_error(state, "from rvalid import Schema,\n", 1, 27,
	             "expected a name to import, found end of line");
}

static void test_import_errors_paren(void **state)
{
	assert_error(state, "from rvalid import (Schema\nschema = 1", 2, 1,
	             "expected ',' or ')' to close '(' at line 1, found 'schema'");
}

static void test_field_forms(void **state)
{
	doc_node *root = parse(state, "schema = Schema({'a': Field(type=int, min=1), 'b': Field(),\n"
	                              "  'c': Field(str, enum=[Field(int)],)})\n");
	assert_int_equal(diags(state)->n, 0);
	const doc_node *fields = doc_get(root, "fields");
	const doc_node *a = doc_get(fields, "a");
	assert_int_equal(a->n, 2);
	assert_key(a, 0, "type", 1, 29);
	assert_scalar(a->items[0], DOC_NAME, "int", 1, 34);
	assert_key(a, 1, "min", 1, 39);
	const doc_node *b = doc_get(fields, "b");
	assert_node(b, DOC_MAP, 1, 52);
	assert_string_equal(b->call, "Field");
	assert_int_equal(b->n, 0);
	/* calls are converted wherever they stand */
	const doc_node *e = doc_get(doc_get(fields, "c"), "enum");
	assert_string_equal(e->items[0]->call, "Field");
	assert_string_equal(doc_get(e->items[0], "type")->text, "int");
}

static void test_rule_in_field_place(void **state)
{
	doc_node *root = parse(state, "schema = Schema({'a': Rule('x', check='a > 1')})");
	assert_int_equal(diags(state)->n, 0);
	const doc_node *a = doc_get(doc_get(root, "fields"), "a");
	assert_string_equal(a->call, "Rule");
	assert_key(a, 0, "name", 1, 28);
	assert_key(a, 1, "check", 1, 33);
}

static void test_schema_fields_keyword(void **state)
{
	doc_node *root = parse(state, "schema = Schema(name='n', fields={'a': Field(int)})");
	assert_int_equal(diags(state)->n, 0);
	assert_int_equal(root->n, 2);
	assert_key(root, 0, "fields", 1, 27);
	assert_key(root, 1, "name", 1, 17);
}

static void test_max_invalid(void **state)
{
	doc_node *root = parse(state, "schema = Schema({}, name='n', max_invalid='5%')");
	assert_int_equal(diags(state)->n, 0);
	assert_int_equal(root->n, 3);
	assert_key(root, 2, "table", 1, 31);
	const doc_node *table = root->items[2];
	assert_node(table, DOC_MAP, 1, 31);
	assert_int_equal(table->n, 1);
	assert_key(table, 0, "max_invalid", 1, 31);
	assert_scalar(table->items[0], DOC_STR, "5%", 1, 43);
}

static void test_max_invalid_joins_table(void **state)
{
	doc_node *root =
		parse(state, "schema = Schema({}, max_invalid=3, table={'rows': {'min': 1}})");
	assert_int_equal(diags(state)->n, 0);
	assert_int_equal(root->n, 2);
	assert_key(root, 1, "table", 1, 36);
	const doc_node *table = root->items[1];
	assert_int_equal(table->n, 2);
	assert_key(table, 0, "rows", 1, 43);
	assert_key(table, 1, "max_invalid", 1, 21);
	assert_scalar(table->items[1], DOC_INT, "3", 1, 33);
}

static void test_max_invalid_twice(void **state)
{
	assert_error(state, "schema = Schema({}, table={'max_invalid': 1}, max_invalid=2)", 1, 47,
	             "max_invalid is given twice");
}

static void test_max_invalid_table_not_map(void **state)
{
	assert_error(state, "schema = Schema({}, table=[], max_invalid=2)", 1, 31,
	             "max_invalid is given, but 'table' is not a dictionary");
}

static void test_assign_other_name(void **state)
{
	assert_null(parse(state, "x = 1\nschema = Schema({})\n"));
	assert_diag(state, 0, 1, 1, "only 'schema' and 'rules' may be assigned, not 'x'");
	assert_int_equal(diags(state)->n, 1);
}

static void test_assign_other_name_no_schema(void **state)
{
	assert_null(parse(state, "x = 1"));
	assert_diag(state, 0, 1, 1, "only 'schema' and 'rules' may be assigned, not 'x'");
	assert_diag(state, 1, 1, 1, "the file assigns no 'schema = Schema(...)'");
	assert_int_equal(diags(state)->n, 2);
}

static void test_schema_twice(void **state)
{
	assert_error(state, "schema = Schema({})\n\nschema = Schema({})\n", 3, 1,
	             "'schema' is assigned twice");
}

static void test_rules_twice(void **state)
{
	assert_error(state, "schema = Schema({})\nrules = []\nrules = []\n", 3, 1,
	             "'rules' is assigned twice");
}

static void test_rules_in_schema_and_assigned(void **state)
{
	assert_error(state, "schema = Schema({}, rules=[])\nrules = []\n", 2, 1,
	             "'rules' is given twice: as a Schema() keyword and as 'rules = [...]'");
}

static void test_schema_not_call(void **state)
{
	assert_error(state, "schema = {'a': 1}", 1, 10, "'schema' must be assigned Schema(...)");
}

static void test_schema_field_call(void **state)
{
	assert_error(state, "schema = Field(str)", 1, 10, "'schema' must be assigned Schema(...)");
}

static void test_rules_not_list(void **state)
{
	assert_error(state, "schema = Schema({})\nrules = Rule('a')\n", 2, 9,
	             "'rules' must be a list of Rule(...)");
}

static void test_rules_parenthesised_is_not_tuple(void **state)
{
	assert_error(state, "schema = Schema({})\nrules = (Rule('a'))\n", 2, 10,
	             "'rules' must be a list of Rule(...)");
}

static void test_unexpected_indent(void **state)
{
	assert_error(state, "schema = Schema({})\n  rules = []\n", 2, 3, "unexpected indent");
}

static void test_indent_first_line(void **state)
{
	assert_error(state, "\t schema = Schema({})\n", 1, 3, "unexpected indent");
}

static void test_def(void **state)
{
	assert_error(state, "def f(): pass\n", 1, 1, "'def' is not supported in rule files");
}

static void test_other_keywords(void **state)
{
	assert_error(state, "schema = Schema({})\nfor x in y:\n    pass\n", 2, 1,
	             "'for' is not supported in rule files");
}

static void test_class(void **state)
{
	assert_error(state, "class A:\n  pass", 1, 1, "'class' is not supported in rule files");
}

static void test_expression_statement(void **state)
{
	assert_error(state, "schema = Schema({})\nprint('hi')\n", 2, 1,
	             "expected 'schema = Schema(...)' or 'rules = [...]'");
}

static void test_decorator(void **state)
{
	assert_error(state, "@dataclass\nschema = Schema({})\n", 1, 1,
	             "expected 'schema = Schema(...)' or 'rules = [...]'");
}

static void test_augmented_assignment(void **state)
{
	assert_error(state, "schema = Schema({})\nrules += []\n", 2, 1,
	             "expected 'schema = Schema(...)' or 'rules = [...]'");
}

static void test_docstring(void **state)
{
	assert_error(state, "'''rules'''\nschema = Schema({})\n", 1, 1,
	             "expected 'schema = Schema(...)' or 'rules = [...]'");
}

static void test_trailing_tokens(void **state)
{
	assert_error(state, "schema = Schema({}) rules = []\n", 1, 21,
	             "expected end of line, found 'rules'");
}

static void test_semicolon(void **state)
{
	assert_error(state, "schema = Schema({}); rules = []\n", 1, 20, "unexpected ';'");
}

static void test_unknown_function(void **state)
{
	assert_error(state, "schema = Schema({'a': Foo(1, x=2)})\n", 1, 23,
	             "unknown function 'Foo'");
}

static void test_unknown_function_suggestion(void **state)
{
	assert_error(state, "schema = Schema({'a': Feild(str)})\n", 1, 23,
	             "unknown function 'Feild' (did you mean 'Field'?)");
}

static void test_unknown_name(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(strr)})\n", 1, 29,
	             "unknown name 'strr' (did you mean 'str'?)");
}

static void test_unknown_name_case(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(str, required=true)})\n", 1, 43,
	             "unknown name 'true' (did you mean 'True'?)");
}

static void test_unknown_name_no_suggestion(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(zzzzqqq)})\n", 1, 29,
	             "unknown name 'zzzzqqq'");
}

static void test_call_name_not_called(void **state)
{
	assert_error(state, "schema = Schema({'a': Field})\n", 1, 23,
	             "'Field' must be called, as in Field(...)");
}

static void test_errors_continue(void **state)
{
	/* errors that do not stop the parse are all reported */
	assert_null(parse(state, "x = 1\nschema = Schema({'a': Field(strr), 'a': Field(int)})\n"
	                         "y = 2\n"));
	assert_int_equal(diags(state)->n, 4);
	assert_diag(state, 0, 1, 1, "only 'schema' and 'rules' may be assigned, not 'x'");
	assert_diag(state, 1, 2, 29, "unknown name 'strr' (did you mean 'str'?)");
	assert_diag(state, 2, 2, 36, "duplicate key 'a' (first at line 2)");
	assert_diag(state, 3, 3, 1, "only 'schema' and 'rules' may be assigned, not 'y'");
}

static void test_dict_key_not_string(void **state)
{
	assert_error(state, "schema = Schema({1: Field(int)})\n", 1, 18,
	             "dictionary keys must be strings");
}

static void test_dict_key_name(void **state)
{
	assert_error(state, "schema = Schema({str: Field(int)})\n", 1, 18,
	             "dictionary keys must be strings");
}

static void test_duplicate_key(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(int),\n   'a': Field(str)})\n", 2, 4,
	             "duplicate key 'a' (first at line 1)");
}

static void test_duplicate_key_concatenated(void **state)
{
	assert_error(state, "schema = Schema({'ab': 1, 'a' 'b': 2})\n", 1, 27,
	             "duplicate key 'ab' (first at line 1)");
}

static void test_dict_missing_colon(void **state)
{
	assert_error(state, "schema = Schema({'a', 'b'})\n", 1, 21,
	             "expected ':' after a dictionary key, found ','");
}

static void test_duplicate_keyword(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(int, min=1, min=2)})\n", 1, 41,
	             "duplicate keyword argument 'min'");
}

static void test_positional_after_keyword(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(min=1, int)})\n", 1, 36,
	             "positional argument follows keyword argument");
}

static void test_two_positionals(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(int, str)})\n", 1, 34,
	             "Field() takes at most one positional argument");
}

static void test_type_given_twice(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(int, type=str)})\n", 1, 34,
	             "Field() got two values for 'type'");
}

static void test_rule_name_twice(void **state)
{
	assert_error(state, "schema = Schema({})\nrules = [Rule('a', name='b')]\n", 2, 20,
	             "Rule() got two values for 'name'");
}

static void test_schema_without_fields(void **state)
{
	assert_error(state, "schema = Schema(name='x')\n", 1, 10,
	             "Schema() needs the fields dictionary as its first argument");
}

static void test_schema_fields_twice(void **state)
{
	assert_error(state, "schema = Schema({}, fields={})\n", 1, 21,
	             "Schema() got two values for 'fields'");
}

static void test_attribute_access(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(datetime.date)})\n", 1, 37,
	             "unexpected '.'");
}

static void test_subscript(void **state)
{
	assert_error(state, "schema = Schema({}, v=[1, 2][0])\n", 1, 29, "unexpected '['");
}

static void test_operator(void **state)
{
	assert_error(state, "schema = Schema({}, v=1 + 2)\n", 1, 25, "unexpected '+'");
}

static void test_call_on_value(void **state)
{
	assert_error(state, "schema = Schema({}, v=Field(int)(1))\n", 1, 33, "unexpected '('");
}

static void test_kwargs(void **state)
{
	assert_error(state, "schema = Schema({}, **settings)\n", 1, 21, "unexpected '**'");
}

static void test_args(void **state)
{
	assert_error(state, "schema = Schema(*args)\n", 1, 17, "unexpected '*'");
}

static void test_lambda(void **state)
{
	assert_error(state, "schema = Schema({}, v=lambda x: x)\n", 1, 23, "unexpected 'lambda'");
}

static void test_comprehension(void **state)
{
	assert_error(state, "schema = Schema({}, v=[x for x in y])\n", 1, 26, "unexpected 'for'");
}

static void test_conditional(void **state)
{
	assert_error(state, "schema = Schema({}, v=1 if 2 else 3)\n", 1, 25, "unexpected 'if'");
}

static void test_empty_item(void **state)
{
	assert_error(state, "schema = Schema({}, v=[1, , 2])\n", 1, 27, "unexpected ','");
}

static void test_missing_comma(void **state)
{
	assert_error(state, "schema = Schema({}, v=[1 2])\n", 1, 26,
	             "expected ',' or ']' to close '[' at line 1, found '2'");
}

static void test_unterminated_bracket(void **state)
{
	assert_error(state, "schema = Schema({\n    'a': Field(int),\n", 3, 1,
	             "expected '}' to close '{' at line 1, found end of file");
}

static void test_unterminated_call(void **state)
{
	assert_error(state, "schema = Schema({'a': Field(int)}\n\n", 3, 1,
	             "expected ')' to close '(' at line 1, found end of file");
}

static void test_mismatched_bracket(void **state)
{
	assert_error(state, "schema = Schema({}, v=[1, 2)\n", 1, 28,
	             "expected ']' to close '[' at line 1, found ')'");
}

static void test_missing_value(void **state)
{
	assert_error(state, "schema =\n", 1, 9, "expected a value, found end of line");
}

static void test_missing_value_eof(void **state)
{
	assert_error(state, "schema = ", 1, 10, "expected a value, found end of file");
}

static void test_lexer_error(void **state)
{
	assert_error(state, "schema = Schema({'a\n})", 1, 18, "unterminated string");
}

static void test_lexer_error_after_sign(void **state)
{
	assert_error(state, "schema = Schema({}, v=-0x1)", 1, 24, "malformed number");
}

static void test_missing_schema(void **state)
{
	assert_error(state, "from rvalid import Rule\nrules = []\n", 1, 1,
	             "the file assigns no 'schema = Schema(...)'");
}

static void test_empty_file(void **state)
{
	assert_error(state, "", 1, 1, "the file assigns no 'schema = Schema(...)'");
}

static void test_only_comments(void **state)
{
	assert_error(state, "# nothing\n\n", 1, 1, "the file assigns no 'schema = Schema(...)'");
}

/* "rules = " then depth [ ... ] pairs. */
static const char *nested(void **state, int depth)
{
	fixture *f = *state;
	char *s = arena_alloc(f->a, (size_t)depth * 2 + 64);
	size_t n = 0;
	memcpy(s, "schema = Schema({})\nrules = ", 28);
	n = 28;
	for (int i = 0; i < depth; i++)
		s[n++] = '[';
	for (int i = 0; i < depth; i++)
		s[n++] = ']';
	s[n] = '\0';
	return s;
}

static void test_nesting_limit(void **state)
{
	doc_node *root = parse(state, nested(state, 64));
	assert_non_null(root);
	assert_int_equal(diags(state)->n, 0);
	const doc_node *l = doc_get(root, "rules");
	int depth = 0;
	while (l && l->kind == DOC_LIST) {
		depth++;
		l = l->n ? l->items[0] : NULL;
	}
	assert_int_equal(depth, 64);
}

static void test_nesting_too_deep(void **state)
{
	assert_error(state, nested(state, 65), 2, 73, "nesting too deep");
}

static void test_nesting_too_deep_parens(void **state)
{
	fixture *f = *state;
	char *s = arena_alloc(f->a, 100000);
	memcpy(s, "schema = ", 9);
	memset(s + 9, '(', 50000);
	assert_null(parse(state, s));
	assert_int_equal(diags(state)->n, 1);
	assert_string_equal(diags(state)->items[0].msg, "nesting too deep");
	assert_int_equal(diags(state)->items[0].col, 10 + 64);
}

/* Mutations of a valid file never crash, and the result is NULL exactly
 * when an error was recorded. */
static void test_mutations(void **state)
{
	size_t len = strlen(SPEC_EXAMPLE);
	char *buf = malloc(len + 8);
	assert_non_null(buf);
	uint32_t seed = 12345;
	size_t nulls = 0;
	for (int iter = 0; iter < 3000; iter++) {
		fixture *f = *state;
		memcpy(buf, SPEC_EXAMPLE, len + 1);
		size_t n = len;
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			buf[pos] = "()[]{},:='\"#\n -+.*x0\\"[(seed >> 8) % 21];
		}
		if (iter % 7 == 0)
			n = (seed >> 4) % n; /* truncated */
		size_t before = f->d.errors;
		doc_node *root = parse_n(state, buf, n);
		assert_true((root == NULL) == (f->d.errors > before));
		nulls += root == NULL;
	}
	free(buf);
	assert_true(nulls > 0);
	assert_true(nulls < 3000);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_spec_example),
		T(test_bench_users),
		T(test_literals),
		T(test_type_names),
		T(test_negative_numbers),
		T(test_sign_errors),
		T(test_sign_errors_twice),
		T(test_sign_on_string),
		T(test_tuples_and_parens),
		T(test_rules_tuple),
		T(test_string_concat),
		T(test_comments_and_blank_lines),
		T(test_bom),
		T(test_imports),
		T(test_import_errors),
		T(test_import_errors_from),
		T(test_import_errors_comma),
		T(test_import_errors_paren),
		T(test_field_forms),
		T(test_rule_in_field_place),
		T(test_schema_fields_keyword),
		T(test_max_invalid),
		T(test_max_invalid_joins_table),
		T(test_max_invalid_twice),
		T(test_max_invalid_table_not_map),
		T(test_assign_other_name),
		T(test_assign_other_name_no_schema),
		T(test_schema_twice),
		T(test_rules_twice),
		T(test_rules_in_schema_and_assigned),
		T(test_schema_not_call),
		T(test_schema_field_call),
		T(test_rules_not_list),
		T(test_rules_parenthesised_is_not_tuple),
		T(test_unexpected_indent),
		T(test_indent_first_line),
		T(test_def),
		T(test_other_keywords),
		T(test_class),
		T(test_expression_statement),
		T(test_decorator),
		T(test_augmented_assignment),
		T(test_docstring),
		T(test_trailing_tokens),
		T(test_semicolon),
		T(test_unknown_function),
		T(test_unknown_function_suggestion),
		T(test_unknown_name),
		T(test_unknown_name_case),
		T(test_unknown_name_no_suggestion),
		T(test_call_name_not_called),
		T(test_errors_continue),
		T(test_dict_key_not_string),
		T(test_dict_key_name),
		T(test_duplicate_key),
		T(test_duplicate_key_concatenated),
		T(test_dict_missing_colon),
		T(test_duplicate_keyword),
		T(test_positional_after_keyword),
		T(test_two_positionals),
		T(test_type_given_twice),
		T(test_rule_name_twice),
		T(test_schema_without_fields),
		T(test_schema_fields_twice),
		T(test_attribute_access),
		T(test_subscript),
		T(test_operator),
		T(test_call_on_value),
		T(test_kwargs),
		T(test_args),
		T(test_lambda),
		T(test_comprehension),
		T(test_conditional),
		T(test_empty_item),
		T(test_missing_comma),
		T(test_unterminated_bracket),
		T(test_unterminated_call),
		T(test_mismatched_bracket),
		T(test_missing_value),
		T(test_missing_value_eof),
		T(test_lexer_error),
		T(test_lexer_error_after_sign),
		T(test_missing_schema),
		T(test_empty_file),
		T(test_only_comments),
		T(test_nesting_limit),
		T(test_nesting_too_deep),
		T(test_nesting_too_deep_parens),
		T(test_mutations),
	};
	return cmocka_run_group_tests_name("py_fe", tests, NULL, NULL);
}
