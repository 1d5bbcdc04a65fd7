/* fuzz_py.c: libFuzzer target for the Python-like rule front end, the IR builder and the graph.
 *
 * The input is passed as libFuzzer hands it over (exactly size bytes, no NUL after them),
 * so ASan reports any read past the length rules_compile was given. */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "graph.h"
#include "rules/ir.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rv_diags diags;
	diags_init(&diags, "fuzz.py");
	rv_ruleset *rs = rules_compile("fuzz.py", (const char *)data, size, SYNTAX_PY, &diags);
	if (rs) {
		rv_graph *g = graph_compile(rs, &diags);
		if (g) {
			rv_buf out;
			buf_init(&out, 0);
			graph_explain_text(g, &out);
			buf_free(&out);
			graph_free(g);
		}
		rules_free(rs);
	}
	diags_free(&diags);
	return 0;
}
