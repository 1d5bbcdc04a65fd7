/* fuzz_expr.c: libFuzzer target for row-rule expressions: parse, type-check, print.
 *
 * The scope declares one field of each type, so typed comparisons, arithmetic and
 * function calls all get past the type checker. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rules/expr.h"
#include "types.h"
#include "util/arena.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const NAMES[] = {
	"name",	      "age",	"balance",    "amount",	  "signup_date",
	"created_at", "active", "start_time", "end_date", "field with space"};
static const rv_type TYPES[] = {RV_STR,	     RV_INT,  RV_FLOAT, RV_DECIMAL, RV_DATE,
				RV_DATETIME, RV_BOOL, RV_TIME,	RV_DATE,    RV_STR};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';

	ex_scope scope = {NAMES, TYPES, sizeof(NAMES) / sizeof(NAMES[0])};
	rv_arena *arena = arena_new();
	rv_diags diags;
	diags_init(&diags, "fuzz.expr");
	rv_expr *e = expr_compile_string(arena, text, &scope, &diags);
	if (e) {
		rv_buf out;
		buf_init(&out, 0);
		expr_print(&out, e);
		buf_free(&out);
	}
	diags_free(&diags);
	arena_free(arena);
	free(text);
	return 0;
}
