/* yaml_fe.c: the YAML front end: reads a rule file into a doc tree with libyaml's event API. */
#include "rules/doc.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH       64
#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

typedef struct {
	rv_arena *a;
	rv_diags *diags;
	const unsigned char *src;
	size_t len;
	size_t start;            /* byte where libyaml's character index 0 stands (after a BOM) */
	bool utf8;               /* false for a UTF-16 stream: text positions are not mapped */
	size_t cur_idx, cur_off; /* a character index and its byte offset, moved forward */
	yaml_parser_t parser;
	bool fatal; /* a syntax error or too deep: the tree is abandoned */
} yaml_fe;

/* libyaml marks are 0-based and count characters (code points), as doc positions do. */
static int pos(size_t v)
{
	return v >= (size_t)INT_MAX ? INT_MAX : (int)v + 1;
}

/* The 1-based line and column of a byte offset, counting '\n' lines and code points. */
static void offset_pos(const yaml_fe *p, size_t off, int *line, int *col)
{
	size_t l = 0, c = 0;
	if (off > p->len)
		off = p->len;
	for (size_t i = p->start; i < off; i++) {
		if (p->src[i] == '\n') {
			l++;
			c = 0;
		} else if ((p->src[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = pos(l);
	*col = pos(c);
}

static void syntax_error(yaml_fe *p)
{
	const yaml_parser_t *y = &p->parser;
	int line, col;
	if (y->error == YAML_READER_ERROR) {
		offset_pos(p, y->problem_offset, &line, &col);
	} else {
		line = pos(y->problem_mark.line);
		col = pos(y->problem_mark.column);
	}
	const char *problem = y->problem;
	if (!problem)
		problem =
			y->error == YAML_MEMORY_ERROR ? "out of memory reading YAML" : "YAML error";
	size_t at = y->problem_mark.index;
	if (y->error == YAML_SCANNER_ERROR && y->problem &&
	    strstr(y->problem, "cannot start any token") && at < p->len && p->src[at] == '\t')
		diag_error(p->diags, line, col, "tabs cannot indent YAML (use spaces)");
	else if (y->context && y->context_mark.line != y->problem_mark.line)
		diag_error(p->diags, line, col, "%s (%s that starts at line %d)", problem,
			   y->context, pos(y->context_mark.line));
	else if (y->context)
		diag_error(p->diags, line, col, "%s (%s)", problem, y->context);
	else
		diag_error(p->diags, line, col, "%s", problem);
	p->fatal = true;
}

/* Reads the next event. On a syntax error, records it and returns false; ev then holds
 * nothing, and yaml_event_delete on it is harmless. */
static bool next_event(yaml_fe *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->parser, ev)) {
		syntax_error(p);
		return false;
	}
	if (ev->type == YAML_NO_EVENT) {
		diag_error(p->diags, pos(ev->start_mark.line), pos(ev->start_mark.column),
			   "unexpected end of YAML input");
		p->fatal = true;
		return false;
	}
	return true;
}

/* The byte offset of libyaml's character index idx. Indexes mostly grow from one call to
 * the next, so a cursor moves forward and restarts only when asked about an earlier one.
 * Every byte up to idx was already decoded by libyaml, so it is valid UTF-8. */
static bool char_offset(yaml_fe *p, size_t idx, size_t *off)
{
	if (!p->utf8)
		return false;
	if (idx < p->cur_idx) {
		p->cur_idx = 0;
		p->cur_off = p->start;
	}
	while (p->cur_idx < idx) {
		if (p->cur_off >= p->len)
			return false;
		p->cur_off++;
		while (p->cur_off < p->len && (p->src[p->cur_off] & 0xC0) == 0x80)
			p->cur_off++;
		p->cur_idx++;
	}
	*off = p->cur_off;
	return true;
}

/* Sets text_line/text_col when a plain or quoted scalar's text is a verbatim slice of one
 * source line (no escapes, no doubled quotes, no folding). The scalar's text ends at its
 * end mark (before the closing quote), so a tag or anchor before it does not matter. */
static void set_text_pos(yaml_fe *p, doc_node *n, const yaml_event_t *ev)
{
	yaml_scalar_style_t style = ev->data.scalar.style;
	size_t q;
	unsigned char quote = 0;
	if (style == YAML_PLAIN_SCALAR_STYLE) {
		q = 0;
	} else if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE) {
		q = 1;
		quote = '\'';
	} else if (style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		q = 1;
		quote = '"';
	} else {
		return;
	}
	const unsigned char *v = ev->data.scalar.value;
	size_t vlen = ev->data.scalar.length;
	if (vlen && (memchr(v, '\n', vlen) || memchr(v, '\r', vlen)))
		return;
	size_t cps = 0;
	for (size_t i = 0; i < vlen; i++)
		if ((v[i] & 0xC0) != 0x80)
			cps++;
	/* the column counts from the last line break, so this keeps the span on one line */
	yaml_mark_t e = ev->end_mark;
	if (e.column < cps + 2 * q || e.index < cps + 2 * q)
		return;
	size_t off;
	if (!char_offset(p, e.index - cps - 2 * q, &off))
		return;
	if (off > p->len || p->len - off < vlen + 2 * q)
		return;
	if (q && (p->src[off] != quote || p->src[off + 1 + vlen] != quote))
		return;
	if (vlen && memcmp(p->src + off + q, v, vlen) != 0)
		return;
	n->text_line = pos(e.line);
	n->text_col = pos(e.column - cps - q);
}

/* A tag as written: "tag:yaml.org,2002:int" is shown as "!!int". */
static const char *tag_text(yaml_fe *p, const yaml_char_t *tag)
{
	const char *t = (const char *)tag;
	size_t pl = strlen(YAML_TAG_PREFIX);
	if (strncmp(t, YAML_TAG_PREFIX, pl) == 0)
		return arena_printf(p->a, "!!%s", t + pl);
	return t;
}

/* Reports an anchor, and a tag other than !!str where str_ok, on a node at m. Returns
 * whether the node carries the !!str tag. */
static bool check_props(yaml_fe *p, const yaml_char_t *anchor, const yaml_char_t *tag, bool str_ok,
			yaml_mark_t m)
{
	if (anchor)
		diag_error(p->diags, pos(m.line), pos(m.column),
			   "anchors and aliases are not supported");
	if (!tag)
		return false;
	if (str_ok && strcmp((const char *)tag, YAML_TAG_PREFIX "str") == 0)
		return true;
	diag_error(p->diags, pos(m.line), pos(m.column), "tags are not supported ('%s')",
		   tag_text(p, tag));
	return false;
}

static doc_node *parse_scalar(yaml_fe *p, const yaml_event_t *ev)
{
	yaml_mark_t m = ev->start_mark;
	bool is_str = check_props(p, ev->data.scalar.anchor, ev->data.scalar.tag, true, m);
	doc_kind kind;
	if (is_str || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		kind = DOC_STR;
	else if (ev->data.scalar.length == 0)
		kind = DOC_NULL;
	else
		kind = DOC_PLAIN;
	doc_node *n = doc_new(p->a, kind, pos(m.line), pos(m.column));
	if (kind == DOC_NULL)
		return n;
	n->len = ev->data.scalar.length;
	n->text = arena_strndup(p->a, (const char *)ev->data.scalar.value, n->len);
	set_text_pos(p, n, ev);
	return n;
}

static doc_node *parse_node(yaml_fe *p, const yaml_event_t *ev, int depth);

/* Checks the depth and the properties of a collection's start event. */
static doc_node *open_collection(yaml_fe *p, const yaml_event_t *ev, doc_kind kind, int depth,
				 const yaml_char_t *anchor, const yaml_char_t *tag)
{
	yaml_mark_t m = ev->start_mark;
	if (depth > MAX_DEPTH) {
		diag_error(p->diags, pos(m.line), pos(m.column), "nesting too deep");
		p->fatal = true;
		return NULL;
	}
	check_props(p, anchor, tag, false, m);
	return doc_new(p->a, kind, pos(m.line), pos(m.column));
}

static doc_node *parse_sequence(yaml_fe *p, const yaml_event_t *ev, int depth)
{
	doc_node *list = open_collection(p, ev, DOC_LIST, depth, ev->data.sequence_start.anchor,
					 ev->data.sequence_start.tag);
	if (!list)
		return NULL;
	for (;;) {
		yaml_event_t c;
		if (!next_event(p, &c)) {
			yaml_event_delete(&c);
			return NULL;
		}
		if (c.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&c);
			return list;
		}
		doc_node *item = parse_node(p, &c, depth);
		yaml_event_delete(&c);
		if (!item)
			return NULL;
		doc_push(p->a, list, NULL, item);
	}
}

static doc_node *find_key(const doc_node *map, const doc_node *key)
{
	for (size_t i = 0; i < map->n; i++) {
		const doc_node *k = map->keys[i];
		if (k->len == key->len && memcmp(k->text, key->text, key->len) == 0)
			return map->keys[i];
	}
	return NULL;
}

static doc_node *parse_mapping(yaml_fe *p, const yaml_event_t *ev, int depth)
{
	doc_node *map = open_collection(p, ev, DOC_MAP, depth, ev->data.mapping_start.anchor,
					ev->data.mapping_start.tag);
	if (!map)
		return NULL;
	for (;;) {
		yaml_event_t c;
		if (!next_event(p, &c)) {
			yaml_event_delete(&c);
			return NULL;
		}
		if (c.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&c);
			return map;
		}
		bool key_is_alias = c.type == YAML_ALIAS_EVENT;
		doc_node *key = parse_node(p, &c, depth);
		yaml_event_delete(&c);
		if (!key)
			return NULL;
		if (!next_event(p, &c)) {
			yaml_event_delete(&c);
			return NULL;
		}
		doc_node *value = parse_node(p, &c, depth);
		yaml_event_delete(&c);
		if (!value)
			return NULL;
		if (key_is_alias)
			continue; /* already reported */
		if (key->kind == DOC_MAP || key->kind == DOC_LIST) {
			diag_error(p->diags, key->line, key->col, "a mapping key must be a scalar");
			continue;
		}
		const doc_node *first = find_key(map, key);
		if (first) {
			diag_error(p->diags, key->line, key->col,
				   "duplicate key '%s' (first at line %d)", key->text, first->line);
			continue;
		}
		doc_push(p->a, map, key, value);
	}
}

/* Reads the node that starts with ev (which the caller deletes). NULL when fatal. */
static doc_node *parse_node(yaml_fe *p, const yaml_event_t *ev, int depth)
{
	yaml_mark_t m = ev->start_mark;
	switch (ev->type) {
	case YAML_SCALAR_EVENT: return parse_scalar(p, ev);
	case YAML_SEQUENCE_START_EVENT: return parse_sequence(p, ev, depth + 1);
	case YAML_MAPPING_START_EVENT: return parse_mapping(p, ev, depth + 1);
	case YAML_ALIAS_EVENT:
		diag_error(p->diags, pos(m.line), pos(m.column),
			   "anchors and aliases are not supported");
		return doc_new(p->a, DOC_NULL, pos(m.line), pos(m.column));
	default:
		diag_error(p->diags, pos(m.line), pos(m.column), "unexpected YAML event");
		p->fatal = true;
		return NULL;
	}
}

/* Reads the stream: one document, or none (a null at 1:1). NULL when fatal. */
static doc_node *parse_stream(yaml_fe *p)
{
	yaml_event_t ev;
	if (!next_event(p, &ev)) {
		yaml_event_delete(&ev);
		return NULL;
	}
	yaml_event_delete(&ev); /* stream start */
	doc_node *root = NULL;
	size_t docs = 0;
	for (;;) {
		if (!next_event(p, &ev)) {
			yaml_event_delete(&ev);
			return NULL;
		}
		yaml_event_type_t type = ev.type;
		yaml_mark_t m = ev.start_mark;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
		if (type != YAML_DOCUMENT_START_EVENT) {
			diag_error(p->diags, pos(m.line), pos(m.column), "unexpected YAML event");
			return NULL;
		}
		if (++docs == 2)
			diag_error(p->diags, pos(m.line), pos(m.column),
				   "a rule file holds one YAML document");
		if (!next_event(p, &ev)) {
			yaml_event_delete(&ev);
			return NULL;
		}
		doc_node *node = parse_node(p, &ev, 0);
		yaml_event_delete(&ev);
		if (!node)
			return NULL;
		if (!root)
			root = node;
		if (!next_event(p, &ev)) { /* document end */
			yaml_event_delete(&ev);
			return NULL;
		}
		yaml_event_delete(&ev);
	}
	return root ? root : doc_new(p->a, DOC_NULL, 1, 1);
}

doc_node *yaml_parse_doc(rv_arena *a, const char *src, size_t len, rv_diags *diags)
{
	yaml_fe p;
	memset(&p, 0, sizeof(p));
	p.a = a;
	p.diags = diags;
	p.src = (const unsigned char *)(src ? src : "");
	p.len = src ? len : 0;
	p.utf8 = true;
	if (p.len >= 3 && memcmp(p.src, "\xEF\xBB\xBF", 3) == 0)
		p.start = 3;
	else if (p.len >= 2 &&
		 (memcmp(p.src, "\xFF\xFE", 2) == 0 || memcmp(p.src, "\xFE\xFF", 2) == 0))
		p.utf8 = false;
	p.cur_off = p.start;
	if (!yaml_parser_initialize(&p.parser)) {
		diag_error(diags, 0, 0, "out of memory reading YAML");
		return NULL;
	}
	yaml_parser_set_input_string(&p.parser, p.src, p.len);
	doc_node *root = parse_stream(&p);
	yaml_parser_delete(&p.parser);
	return p.fatal ? NULL : root;
}
