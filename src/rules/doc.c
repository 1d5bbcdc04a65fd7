/* doc.c: the document tree shared by the rule front ends. */
#include "rules/doc.h"

#include <string.h>

doc_node *doc_new(rv_arena *a, doc_kind kind, int line, int col)
{
	doc_node *n = arena_alloc(a, sizeof(*n));
	n->kind = kind;
	n->line = line;
	n->col = col;
	n->text = "";
	return n;
}

void doc_push(rv_arena *a, doc_node *parent, doc_node *key, doc_node *value)
{
	/* capacities are powers of two; grow when n reaches one */
	size_t n = parent->n;
	if (n == 0 || (n & (n - 1)) == 0) {
		size_t cap = n ? n * 2 : 4;
		doc_node **items = arena_alloc(a, cap * sizeof(doc_node *));
		if (n)
			memcpy(items, parent->items, n * sizeof(doc_node *));
		parent->items = items;
		if (parent->kind == DOC_MAP) {
			doc_node **keys = arena_alloc(a, cap * sizeof(doc_node *));
			if (n)
				memcpy(keys, parent->keys, n * sizeof(doc_node *));
			parent->keys = keys;
		}
	}
	if (parent->kind == DOC_MAP)
		parent->keys[n] = key;
	parent->items[n] = value;
	parent->n = n + 1;
}

doc_node *doc_get(const doc_node *map, const char *key)
{
	if (!map || map->kind != DOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->text, key) == 0)
			return map->items[i];
	return NULL;
}

const char *doc_kind_name(const doc_node *n)
{
	switch (n->kind) {
	case DOC_NULL: return "null";
	case DOC_BOOL: return "a boolean";
	case DOC_INT: return "an integer";
	case DOC_FLOAT: return "a number";
	case DOC_STR: return "a string";
	case DOC_PLAIN: return "a scalar";
	case DOC_NAME: return "a name";
	case DOC_LIST: return "a list";
	case DOC_MAP:
		if (!n->call)
			return "a mapping";
		return strcmp(n->call, "Field") == 0  ? "Field(...)"
		       : strcmp(n->call, "Rule") == 0 ? "Rule(...)"
						      : "Schema(...)";
	}
	return "a value";
}
