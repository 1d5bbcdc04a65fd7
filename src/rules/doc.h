/* doc.h: the document tree both rule front ends produce.
 *
 * A rule file is first read into this tree: maps, lists and scalars, each
 * with the line and column it stands at. The YAML front end gives untyped
 * plain scalars (DOC_PLAIN) and quoted strings (DOC_STR); the Python-like
 * front end gives typed literals (DOC_INT, DOC_BOOL, ...) and bare names
 * (DOC_NAME, like `str` in Field(str)), and turns Schema(...), Field(...) and
 * Rule(...) calls into the maps a YAML file would hold. One builder
 * (build.c) then reads the tree into the IR, so both languages share every
 * check and every message, and twins compile to the same IR by construction.
 *
 * The tree lives in the arena it was parsed into. */
#ifndef RV_DOC_H
#define RV_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util/arena.h"

typedef enum {
	DOC_NULL,  /* None, YAML null */
	DOC_BOOL,  /* True/False (Python only) */
	DOC_INT,   /* Python integer literal; text holds its digits, sign included */
	DOC_FLOAT, /* Python float literal; text as written */
	DOC_STR,   /* a quoted string (either language) or YAML block scalar */
	DOC_PLAIN, /* a YAML plain scalar: typed later by where it stands */
	DOC_NAME,  /* a bare Python name, e.g. a type name */
	DOC_LIST,
	DOC_MAP
} doc_kind;

typedef struct doc_node doc_node;
struct doc_node {
	doc_kind kind;
	int line, col; /* where the value starts, 1-based */
	/* Where text[0] stands in the file, when the text is a verbatim slice of
	 * one source line (so an offset in the text maps to a column); 0 if not. */
	int text_line, text_col;
	const char *text; /* scalars: NUL-terminated content */
	size_t len;
	bool bval;        /* DOC_BOOL */
	size_t n;         /* DOC_LIST items / DOC_MAP entries */
	doc_node **items; /* list items; map values */
	doc_node **keys;  /* map keys (scalars) */
	const char *call; /* map made from a Python call: "Field", "Rule", "Schema" */
};

doc_node *doc_new(rv_arena *a, doc_kind kind, int line, int col);
/* Appends to a list, or (with key) to a map. */
void doc_push(rv_arena *a, doc_node *parent, doc_node *key, doc_node *value);
/* The value under key in a map, or NULL. */
doc_node *doc_get(const doc_node *map, const char *key);
/* A short description of the node's kind for messages ("a list", "a string"). */
const char *doc_kind_name(const doc_node *n);

/* Front ends. Each reads a whole rule file's bytes into a tree. On a syntax
 * error they add a message to diags and return NULL. */
doc_node *yaml_parse_doc(rv_arena *a, const char *src, size_t len, rv_diags *diags);
doc_node *py_parse_doc(rv_arena *a, const char *src, size_t len, rv_diags *diags);

#endif
