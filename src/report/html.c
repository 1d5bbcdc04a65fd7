/* html.c: the HTML report: one self-contained page a person reads on a phone or a desktop.
 *
 * The page needs no network (no external script, style, font or image):
 * inline CSS, a bar chart as inline SVG, and a little inline JavaScript for
 * the filters. Its Content-Security-Policy allows nothing else: no fetch of
 * any kind, and only the page's own style and script, named by their
 * SHA-256, so even markup that slipped into the data could not run. All
 * content is in the HTML, so the page reads the same without JavaScript.
 * It stays small for any run: it shows the report's samples, never every
 * failure, and past CARD_CHECKS failing checks or CHART_BARS bars it lists
 * counts only (the JSON report holds the rest). Data never goes into the
 * script: the script reads the page. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "report/markup.h"
#include "report/report.h"
#include "types.h"

#ifndef RVALID_VERSION
#define RVALID_VERSION "0.0.0"
#endif

enum {
	CHART_BARS = 25,   /* bars in the chart, by failed count */
	CARD_CHECKS = 200, /* failing checks shown with their samples */
	CARD_SAMPLES = 20, /* samples per check shown (the report may keep more) */
	LABEL_CHARS = 30,  /* a chart label's length before it is cut */
	HEADER_INPUTS = 3  /* inputs named in the header (all are in the run section) */
};

static const char STYLE[] =
	":root{--bg:#fff;--fg:#1f2328;--mut:#59636e;--line:#d1d9e0;--card:#f6f8fa;--bad:#cf222e;"
	"--badbg:#ffebe9;--ok:#1a7f37;--okbg:#dafbe1;--warn:#9a6700;--warnbg:#fff8c5;"
	"--track:#eef1f4}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mut:#9198a1;"
	"--line:#3d444d;--card:#151b23;--bad:#ff7b72;--badbg:#3c1618;--ok:#3fb950;--okbg:#12261e;"
	"--warn:#d29922;--warnbg:#2e2208;--track:#212830}}\n"
	"*{box-sizing:border-box}html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif}\n"
	".wrap{max-width:1120px;margin:0 auto;padding:0 16px}\n"
	"header{padding:14px 0 12px;border-bottom:4px solid var(--bad);background:var(--badbg)}\n"
	"header.pass{border-color:var(--ok);background:var(--okbg)}\n"
	"h1{margin:0;font-size:30px;line-height:1.15;letter-spacing:.02em;color:var(--bad)}\n"
	"header.pass h1{color:var(--ok)}h1 small{font-size:17px;font-weight:600;color:var(--fg);"
	"letter-spacing:0;margin-left:8px}\n"
	"header p{margin:6px 0 0}.meta{color:var(--mut);font-size:13px;overflow-wrap:anywhere}\n"
	"h2{font-size:19px;margin:26px 0 8px}h3{font-size:15px;margin:0;overflow-wrap:anywhere}\n"
	"code,.id,.v{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\","
	"monospace;font-size:13px}\n"
	".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(128px,1fr));gap:8px;"
	"margin:16px 0 0}\n"
	".tile{border:1px solid var(--line);border-radius:8px;padding:8px 12px;"
	"background:var(--card)}"
	"\n.tile b{display:block;font-size:22px;font-variant-numeric:tabular-nums}"
	".tile span{color:var(--mut);font-size:13px}\n"
	".tile.bad b{color:var(--bad)}.tile.ok b{color:var(--ok)}.tile.warn b{color:var(--warn)}\n"
	"svg.bars{display:block;width:100%;overflow:visible}"
	"svg.bars text{fill:var(--fg);font-size:13px}svg.bars text.n{fill:var(--mut)}\n"
	"svg.bars .t{fill:var(--track)}svg.bars .b{fill:var(--bad)}svg.bars .w{fill:var(--warn)}"
	"svg.bars a:hover text{text-decoration:underline}\n"
	".card{border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:6px;"
	"padding:10px 12px;margin:10px 0}.card.w{border-left-color:var(--warn)}\n"
	".card p{margin:4px 0}.tag{display:inline-block;font-size:12px;font-weight:600;"
	"padding:0 6px;border-radius:10px;background:var(--badbg);color:var(--bad);margin-left:6px;"
	"vertical-align:1px}.tag.w{background:var(--warnbg);color:var(--warn)}"
	".tag.ok{background:var(--okbg);color:var(--ok)}\n"
	".mut,.sm{color:var(--mut)}.sm{font-size:12px;font-family:system-ui,sans-serif}\n"
	"table{border-collapse:collapse;width:100%;margin:6px 0}"
	"th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);"
	"vertical-align:top;overflow-wrap:anywhere}\n"
	"th{font-size:13px;color:var(--mut);font-weight:600}"
	".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"table.s{table-layout:fixed}table.s col.rl{width:5.5em}table.s col.in{width:24%}"
	".v{white-space:pre-wrap;word-break:break-word}\n"
	"#filter{position:sticky;top:0;z-index:1;background:var(--bg);padding:8px 0;"
	"display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;"
	"border-bottom:1px solid var(--line)}"
	"\n#filter label{display:flex;flex-direction:column;font-size:13px;color:var(--mut);"
	"flex:1 1 150px;min-width:0}\n"
	"#filter input,#filter select{font:inherit;font-size:15px;padding:5px 6px;max-width:100%;"
	"color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px}\n"
	"#fn{font-size:13px;color:var(--mut);flex:1 1 100%}\n"
	"footer{margin:32px 0 24px;color:var(--mut);font-size:13px}ul.in{margin:4px 0;"
	"padding-left:20px;"
	"overflow-wrap:anywhere}\n"
	/* phones: the tiles three a row, each table row of fields and table
	 * checks one block of "label value" pairs that wrap */
	"@media (max-width:640px){h1{font-size:26px}h1 small{display:block;margin:4px 0 0}"
	".tiles{grid-template-columns:repeat(3,minmax(0,1fr));gap:6px}.tile{padding:6px 8px}"
	".tile b{font-size:18px}.tile span{font-size:12px}"
	"table.k thead{display:none}table.k tr{display:flex;flex-wrap:wrap;gap:2px 14px;"
	"border-bottom:1px solid var(--line);padding:6px 0}table.k td{display:block;border:0;"
	"padding:0;text-align:left}table.k td:empty{display:none}"
	"table.k td::before{color:var(--mut);margin-right:5px;font:13px system-ui,sans-serif}"
	"table.k td:first-child{flex:1 1 100%;font-weight:600}"
	"table.f td:nth-child(2)::before{content:'type'}table.f td:nth-child(3)"
	"::before{content:'missing'}"
	"table.f td:nth-child(4)::before{content:'invalid'}"
	"table.f td:nth-child(5)::before{content:'failures'}"
	"table.f td:nth-child(6)::before{content:'min'}table.f td:nth-child(7)"
	"::before{content:'max'}"
	"table.t td:nth-child(2)::before{content:'result'}"
	"table.t td:nth-child(3)::before{content:'observed'}"
	"table.t td:nth-child(4)::before{content:'expected'}"
	"table.t td:first-child .sm{display:block}"
	"table.s,table.s tbody{display:block}table.s thead,table.s colgroup{display:none}"
	"table.s tr{display:flex;flex-wrap:wrap;gap:0 12px;"
	"border-bottom:1px solid var(--line);padding:5px 0}table.s td{border:0;padding:0}"
	"table.s td.in{flex:1 1 100%}table.s td.r::before{content:'row ';color:var(--mut)}"
	"table.s td.l::before{content:'line ';color:var(--mut)}table.s td.v{flex:1 1 100%}}\n"
	"[hidden]{display:none!important}\n";

/* Filters (by check text and field), and #selftest: records in a data
 * attribute of <html> whether the page fits the window's width and the
 * verdict is visible without scrolling (make check-browser reads it). */
static const char SCRIPT[] =
	"(function(){var d=document,h=d.documentElement;\n"
	"if(location.hash=='#selftest')addEventListener('load',function(){"
	"var v=d.getElementById('verdict').getBoundingClientRect();"
	"h.setAttribute('data-selftest',(h.scrollWidth<=Math.min(innerWidth,h.clientWidth)?'fits':"
	"'overflows')+' '+"
	"(v.bottom<=innerHeight?'verdict-visible':'verdict-hidden')+' width='+innerWidth+"
	"' scroll-width='+h.scrollWidth+' verdict-bottom='+Math.ceil(v.bottom)"
	"+' height='+innerHeight)"
	"});\n"
	"var f=d.getElementById('filter');if(!f)return;\n"
	"var it=[].slice.call(d.querySelectorAll('.it')),fi=[].slice.call(d.querySelectorAll('.fi')"
	"),"
	"ids=it.map(function(e){var c=e.querySelector('.id');return c?c.textContent.toLowerCase()"
	":''}),"
	"c=d.getElementById('fc'),s=d.getElementById('ff'),o=d.getElementById('fn'),t;\n"
	"function run(){var q=c.value.trim().toLowerCase(),v=s.value,n=0,i,e,ok;"
	"for(i=0;i<it.length;i++){e=it[i];ok=(!q||ids[i].indexOf(q)>=0)&&"
	"(!v||e.getAttribute('data-f')===v);e.hidden=!ok;if(ok)n++}"
	"for(i=0;i<fi.length;i++)fi[i].hidden=!!v&&fi[i].getAttribute('data-f')!==v;"
	"o.textContent=(q||v)?n+' of '+it.length+' checks shown':''}\n"
	"c.addEventListener('input',function(){clearTimeout(t);t=setTimeout(run,120)});"
	"s.addEventListener('change',run);f.addEventListener('submit',function(e)"
	"{e.preventDefault()});"
	"f.hidden=false})();\n";

typedef struct {
	size_t check;
	int group; /* 0: fails the run, 1: a warning or within mostly */
	uint64_t failed;
} ranked;

static int by_rank(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->group != y->group)
		return x->group - y->group;
	if (x->failed != y->failed)
		return x->failed > y->failed ? -1 : 1;
	return x->check < y->check ? -1 : x->check > y->check;
}

/* 'sha256-BASE64' of an inline style or script, for the Content-Security-Policy. */
static void put_hash(rv_buf *out, const char *text)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	if (!EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL))
		return; /* no hash: the browser refuses the inline text; the page still reads */
	EVP_EncodeBlock(b64, md, (int)n);
	buf_printf(out, "'sha256-%s'", (const char *)b64);
}

static void esc(rv_buf *out, const char *s)
{
	html_escape(out, s, strlen(s));
}

/* 1234567 as 1,234,567. */
static void put_num(rv_buf *out, uint64_t v)
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, v);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
}

/* failed / evaluated as a percentage; a real failure never shows as 0%. */
static void put_pct(rv_buf *out, uint64_t failed, uint64_t evaluated)
{
	if (!evaluated) {
		buf_puts(out, "0%");
		return;
	}
	double p = 100.0 * (double)failed / (double)evaluated;
	if (failed && p < 0.01)
		buf_puts(out, "&lt;0.01%");
	else if (p >= 10 || p == 0)
		buf_printf(out, "%.0f%%", p >= 99.5 && failed < evaluated ? 99.0 : p);
	else
		buf_printf(out, "%.2g%%", p);
}

/* data-f="FIELD INDEX" for the field filter (nothing for csv.*, rules.*, table.*). */
static void put_field_attr(rv_buf *out, const rv_report *r, size_t i)
{
	const rv_check *c = &r->g->checks[i];
	if (c->field >= 0 && c->kind < CK_RULE)
		buf_printf(out, " data-f=%d", c->field);
}

static void put_value(rv_buf *out, const rv_sample *s)
{
	if (!s->value) {
		buf_puts(out, "<span class=\"mut\">\xE2\x80\x94</span>"); /* an em dash */
		return;
	}
	if (s->value_len == 0) {
		buf_puts(out, "<span class=\"mut\">(empty)</span>");
		return;
	}
	html_escape(out, s->value, s->value_len);
	if (s->truncated)
		buf_puts(out, "<span class=\"mut\" title=\"cut at 256 characters\">"
			      "\xE2\x80\xA6</span>");
}

static void samples_table(rv_buf *out, const rv_report *r, size_t check)
{
	const rv_check_result *cr = &r->checks[check];
	const char *own = r->g->checks[check].message;
	size_t n = cr->n_samples < CARD_SAMPLES ? cr->n_samples : CARD_SAMPLES;
	if (n == 0)
		return;
	bool inputs = r->n_inputs > 1;
	buf_puts(out, "<table class=\"s\"><colgroup>");
	if (inputs)
		buf_puts(out, "<col class=\"in\">");
	buf_puts(out, "<col class=\"rl\"><col class=\"rl\"><col></colgroup><thead><tr>");
	if (inputs)
		buf_puts(out, "<th>input</th>");
	buf_puts(out, "<th class=\"n\">row</th><th class=\"n\">line</th><th>value</th></tr></thead>"
		      "<tbody>\n");
	for (size_t k = 0; k < n; k++) {
		const rv_sample *s = &cr->samples[k];
		buf_puts(out, "<tr>");
		if (inputs) {
			buf_puts(out, "<td class=\"sm in\">");
			esc(out, r->inputs[s->input]);
			buf_puts(out, "</td>");
		}
		if (s->row) {
			buf_puts(out, "<td class=\"n r\">");
			put_num(out, s->row);
		} else {
			buf_puts(out, "<td class=\"n mut\">file");
		}
		buf_puts(out, "</td><td class=\"n l\">");
		put_num(out, s->line);
		buf_puts(out, "</td><td class=\"v\">");
		bool note = s->message && (!own || strcmp(s->message, own) != 0);
		if (s->value || !note)
			put_value(out, s);
		if (note) {
			buf_puts(out, "<div class=\"sm\">");
			esc(out, s->message);
			buf_puts(out, "</div>");
		}
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody></table>\n");
	if (cr->counts.failed > n) {
		buf_puts(out, "<p class=\"sm\">the first ");
		put_num(out, n);
		buf_puts(out, " of ");
		put_num(out, cr->counts.failed);
		buf_puts(out, " failures, in row order</p>\n");
	}
}

static void check_card(rv_buf *out, const rv_report *r, const ranked *k)
{
	size_t i = k->check;
	const rv_check *c = &r->g->checks[i];
	const rv_check_result *cr = &r->checks[i];
	bool warn = k->group == 1;
	buf_printf(out, "<article class=\"card it%s\" id=\"c%zu\"", warn ? " w" : "", i);
	put_field_attr(out, r, i);
	buf_puts(out, "><h3><code class=\"id\">");
	esc(out, c->id);
	buf_puts(out, "</code>");
	if (!warn)
		buf_puts(out, "<span class=\"tag\">failed</span>");
	else if (cr->passed)
		buf_puts(out, "<span class=\"tag ok\">within mostly</span>");
	else
		buf_puts(out, "<span class=\"tag w\">warning</span>");
	buf_puts(out, "</h3>\n<p>");
	esc(out, c->message ? c->message : c->id);
	buf_puts(out, "</p>\n<p class=\"mut\">");
	put_num(out, cr->counts.failed);
	buf_puts(out, " of ");
	put_num(out, cr->counts.evaluated);
	buf_puts(out, " failed (");
	put_pct(out, cr->counts.failed, cr->counts.evaluated);
	buf_puts(out, ")");
	if (cr->counts.skipped) {
		buf_puts(out, ", ");
		put_num(out, cr->counts.skipped);
		buf_puts(out, " skipped");
	}
	buf_puts(out, "</p>\n");
	samples_table(out, r, i);
	buf_puts(out, "</article>\n");
}

/* A compact row: a check beyond the cards, or a passing check. */
static void check_row(rv_buf *out, const rv_report *r, size_t i, bool failing)
{
	const rv_check_result *cr = &r->checks[i];
	/* end tags left out (HTML allows it): there may be 10,000 rows */
	buf_puts(out, "<tr class=it");
	put_field_attr(out, r, i);
	buf_puts(out, "><td class=id>");
	esc(out, r->g->checks[i].id);
	buf_puts(out, "<td class=n>");
	put_num(out, failing ? cr->counts.failed : cr->counts.evaluated);
	buf_puts(out, "<td class=n>");
	put_num(out, failing ? cr->counts.evaluated : cr->counts.skipped);
	buf_putc(out, '\n');
}

static void chart(rv_buf *out, const rv_report *r, const ranked *list, size_t n)
{
	/* the bars are the checks with the most failures, errors and warnings alike */
	size_t m = 0;
	ranked top[CHART_BARS];
	for (size_t k = 0; k < n; k++) {
		size_t at = m < CHART_BARS ? m++ : CHART_BARS;
		if (at == CHART_BARS && list[k].failed <= top[CHART_BARS - 1].failed)
			continue;
		if (at == CHART_BARS)
			at = CHART_BARS - 1;
		while (at > 0 && top[at - 1].failed < list[k].failed) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = list[k];
	}
	if (m == 0)
		return;
	uint64_t max = top[0].failed;
	buf_puts(out, "<section id=\"chart\"><h2>Failures per check</h2>\n");
	buf_printf(out,
		   "<svg class=\"bars\" width=\"100%%\" height=\"%zu\" role=\"img\" "
		   "aria-label=\"failed records per check\">\n",
		   m * 34);
	for (size_t k = 0; k < m; k++) {
		size_t i = top[k].check;
		const char *id = r->g->checks[i].id;
		size_t len = strlen(id), cut = markup_cut(id, len, LABEL_CHARS);
		size_t y = k * 34;
		double w = 100.0 * (double)top[k].failed / (double)max;
		if (w < 0.5)
			w = 0.5;
		buf_printf(out, "<a href=\"#c%zu\"><title>", i);
		esc(out, id);
		buf_puts(out, ": ");
		put_num(out, top[k].failed);
		buf_printf(out, " failed</title><text x=\"0\" y=\"%zu\">", y + 14);
		html_escape(out, id, cut);
		if (cut < len)
			buf_puts(out, "\xE2\x80\xA6");
		buf_printf(out,
			   "</text><text class=\"n\" x=\"100%%\" y=\"%zu\" text-anchor=\"end\">",
			   y + 14);
		put_num(out, top[k].failed);
		buf_puts(out, " \xC2\xB7 ");
		put_pct(out, top[k].failed, r->checks[i].counts.evaluated);
		buf_printf(out,
			   "</text><rect class=\"t\" x=\"0\" y=\"%zu\" width=\"100%%\" "
			   "height=\"9\" rx=\"2\"/><rect class=\"%s\" x=\"0\" y=\"%zu\" "
			   "width=\"%.2f%%\" "
			   "height=\"9\" rx=\"2\"/></a>\n",
			   y + 20, top[k].group ? "w" : "b", y + 20, w);
	}
	buf_puts(out, "</svg>\n");
	bool amber = false;
	for (size_t k = 0; k < m; k++)
		amber = amber || top[k].group;
	if (n > m || amber) {
		buf_puts(out, "<p class=\"sm\">");
		if (n > m) {
			buf_puts(out, "the ");
			put_num(out, m);
			buf_puts(out, " checks with the most failures, of ");
			put_num(out, n);
			buf_puts(out, amber ? "; " : "");
		}
		if (amber)
			buf_puts(out, "red: fails the run, amber: a warning or within mostly");
		buf_puts(out, "</p>\n");
	}
	buf_puts(out, "</section>\n");
}

static void header(rv_buf *out, const rv_report *r, size_t failing, size_t warning)
{
	buf_printf(out, "<header id=\"verdict\" class=\"%s\"><div class=\"wrap\">\n<h1>%s<small>",
		   r->passed ? "pass" : "fail", r->passed ? "PASSED" : "FAILED");
	if (r->invalid) {
		put_num(out, r->invalid);
		buf_puts(out, " of ");
		put_num(out, r->total);
		buf_printf(out, " record%s invalid", r->total == 1 ? "" : "s");
	} else {
		put_num(out, r->total);
		buf_printf(out, " record%s, all valid", r->total == 1 ? "" : "s");
	}
	buf_puts(out, "</small></h1>\n<p>");
	if (failing) {
		put_num(out, failing);
		buf_printf(out, " check%s failed", failing == 1 ? "" : "s");
	} else {
		buf_puts(out, "no check failed");
	}
	if (warning) {
		buf_puts(out, ", ");
		put_num(out, warning);
		buf_printf(out, " with warnings or within mostly");
	}
	if (r->passed && r->invalid)
		buf_puts(out, " (within max_invalid)");
	buf_puts(out, "</p>\n<p class=\"meta\">rules <code>");
	esc(out, r->rules_file);
	buf_printf(out, "</code> \xC2\xB7 input%s ", r->n_inputs == 1 ? "" : "s");
	for (size_t i = 0; i < r->n_inputs && i < HEADER_INPUTS; i++) {
		buf_puts(out, i ? ", <code>" : "<code>");
		esc(out, r->inputs[i]);
		buf_puts(out, "</code>");
	}
	if (r->n_inputs > HEADER_INPUTS)
		buf_printf(out, " and %zu more", r->n_inputs - HEADER_INPUTS);
	buf_puts(out, " \xC2\xB7 ");
	esc(out, r->started_at);
	buf_printf(out, " \xC2\xB7 %.3f s</p>\n</div></header>\n", r->duration_s);
}

static void tile(rv_buf *out, bool lit, const char *cls, uint64_t v, const char *label)
{
	buf_printf(out, "<div class=\"tile%s%s\"><b>", lit ? " " : "", lit ? cls : "");
	put_num(out, v);
	buf_printf(out, "</b><span>%s</span></div>\n", label);
}

static void table_section(rv_buf *out, const rv_report *r)
{
	if (r->n_table == 0)
		return;
	buf_puts(out, "<section id=\"table\"><h2>Table checks</h2>\n"
		      "<table class=\"k t\"><thead><tr><th>check</th><th>result</th>"
		      "<th>observed</th><th>expected</th></tr></thead>"
		      "<tbody>\n");
	for (size_t i = 0; i < r->n_table; i++) {
		const rv_table_result *t = &r->table[i];
		const rv_check *c = &r->g->checks[t->check];
		buf_puts(out, "<tr><td><code>");
		esc(out, c->id);
		buf_puts(out, "</code> <span class=\"sm\">");
		esc(out, t->message ? t->message : c->message ? c->message : "");
		buf_printf(out, "</span></td><td>%s</td><td>",
			   t->passed ? "<span class=\"tag ok\">passed</span>"
				     : "<span class=\"tag\">failed</span>");
		esc(out, t->observed);
		buf_puts(out, "</td><td>");
		esc(out, t->expected);
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody></table>\n");
	for (size_t i = 0; i < r->n_table; i++) {
		const rv_table_result *t = &r->table[i];
		const rv_check *c = &r->g->checks[t->check];
		if (t->passed || r->checks[t->check].n_samples == 0)
			continue;
		buf_puts(out, "<div class=\"card\"><h3><code>");
		esc(out, c->id);
		buf_puts(out, "</code><span class=\"tag\">failed</span></h3><p>");
		esc(out, t->message ? t->message : c->message ? c->message : c->id);
		buf_puts(out, "</p>\n");
		samples_table(out, r, t->check);
		buf_puts(out, "</div>\n");
	}
	buf_puts(out, "</section>\n");
}

static void filter_form(rv_buf *out, const rv_report *r)
{
	buf_puts(out, "<form id=\"filter\" hidden>"
		      "<label>check<input id=\"fc\" type=\"search\" "
		      "placeholder=\"e.g. age. or .format\" autocomplete=\"off\"></label>"
		      "<label>field<select id=\"ff\"><option value=\"\">all fields</option>");
	for (size_t i = 0; i < r->g->rs->n_fields; i++) {
		buf_printf(out, "<option value=\"%zu\">", i);
		esc(out, r->g->rs->fields[i].name);
		buf_puts(out, "</option>");
	}
	buf_puts(out, "</select></label><output id=\"fn\"></output></form>\n");
}

static void fields_section(rv_buf *out, const rv_report *r)
{
	const rv_graph *g = r->g;
	if (g->rs->n_fields == 0)
		return;
	buf_puts(out, "<section id=\"fields\"><h2>Fields</h2>\n<table class=\"k f\"><thead><tr>"
		      "<th>field</th><th>type</th><th class=\"n\">missing</th>"
		      "<th class=\"n\">invalid</th><th class=\"n\">failures</th><th>min</th>"
		      "<th>max</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < g->rs->n_fields; i++) {
		const rv_fieldstat *s = &r->fields[i];
		const rv_gfield *gf = &g->fields[i];
		uint64_t failures = 0;
		for (int k = gf->first_check; k < gf->first_check + gf->n_checks; k++)
			if (r->enabled[k])
				failures += r->checks[k].counts.failed;
		/* end tags left out, as in the check lists */
		buf_printf(out, "<tr class=fi data-f=%zu><td class=id>", i);
		esc(out, g->rs->fields[i].name);
		buf_puts(out, "<td>");
		esc(out, type_name(g->rs->fields[i].type));
		buf_puts(out, "<td class=n>");
		put_num(out, s->missing);
		buf_puts(out, "<td class=n>");
		put_num(out, s->invalid);
		buf_puts(out, "<td class=n>");
		put_num(out, failures);
		const rv_value *vals[2] = {&s->min, &s->max};
		for (int k = 0; k < 2; k++) {
			buf_puts(out, "<td class=v>");
			if (s->has_range) {
				char tmp[160];
				int len = value_format(vals[k], tmp, sizeof(tmp));
				if (len > 0 && (size_t)len >= sizeof(tmp))
					len = (int)sizeof(tmp) - 1; /* cut, as snprintf did */
				if (len > 0)
					html_escape(out, tmp, (size_t)len);
			}
		}
		buf_puts(out, "</tr>\n"); /* no white space in the last cell: td:empty hides it */
	}
	buf_puts(out, "</tbody></table></section>\n");
}

void report_html(const rv_report *r, rv_buf *out)
{
	const rv_graph *g = r->g;
	ranked *list = malloc((g->n_checks ? g->n_checks : 1) * sizeof(ranked));
	size_t n = 0, n_checks = 0, failing = 0, warning = 0;
	for (size_t i = 0; i < g->n_checks; i++) {
		if (!r->enabled[i] || g->checks[i].kind >= CK_TABLE_ROWS_MIN)
			continue;
		n_checks++;
		const rv_check_result *cr = &r->checks[i];
		if (cr->counts.failed == 0 && cr->passed)
			continue;
		bool fails = report_check_fails(r, i);
		failing += fails;
		warning += !fails;
		list[n++] = (ranked){i, fails ? 0 : 1, cr->counts.failed};
	}
	for (size_t i = 0; i < r->n_table; i++)
		failing += !r->table[i].passed;
	qsort(list, n, sizeof(ranked), by_rank);

	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		      "style-src ");
	put_hash(out, STYLE);
	buf_puts(out, "; script-src ");
	put_hash(out, SCRIPT);
	buf_puts(out, "\">\n<meta name=\"generator\" content=\"rvalid " RVALID_VERSION "\">\n"
		      "<title>");
	buf_puts(out, r->passed ? "PASSED" : "FAILED");
	buf_puts(out, " \xC2\xB7 ");
	esc(out, r->rules_file);
	buf_puts(out, " \xC2\xB7 rvalid</title>\n<style>");
	buf_puts(out, STYLE); /* exactly the text its hash names */
	buf_puts(out, "</style>\n</head>\n<body>\n");
	header(out, r, failing, warning);
	buf_puts(out, "<main class=\"wrap\">\n<section class=\"tiles\" aria-label=\"totals\">\n");
	uint64_t failures = 0;
	for (size_t k = 0; k < n; k++)
		failures += list[k].failed;
	char of_checks[64];
	snprintf(of_checks, sizeof(of_checks), "of %zu checks failed", n_checks + r->n_table);
	tile(out, false, "", r->total, "records");
	tile(out, true, "ok", r->valid, "valid");
	tile(out, r->invalid, "bad", r->invalid, "invalid");
	tile(out, r->warned, "warn", r->warned, "warned");
	tile(out, failures, "bad", failures, "failures");
	tile(out, failing, "bad", failing, of_checks);
	buf_puts(out, "</section>\n");
	table_section(out, r);
	chart(out, r, list, n);

	filter_form(out, r);
	if (n) {
		buf_puts(out, "<section id=\"failing\"><h2>Checks with failures</h2>\n");
		size_t cards = n < CARD_CHECKS ? n : CARD_CHECKS;
		for (size_t k = 0; k < cards; k++)
			check_card(out, r, &list[k]);
		if (n > cards) {
			buf_puts(out, "<p class=\"sm\">");
			put_num(out, n - cards);
			buf_puts(out, " more checks with failures; their samples are in the JSON "
				      "report</p>\n<table><thead><tr><th>check</th>"
				      "<th class=\"n\">failed</th>"
				      "<th class=\"n\">evaluated</th></tr></thead><tbody>\n");
			for (size_t k = cards; k < n; k++)
				check_row(out, r, list[k].check, true);
			buf_puts(out, "</tbody></table>\n");
		}
		buf_puts(out, "</section>\n");
	}
	if (n_checks > n) {
		buf_puts(out, "<section id=\"passing\"><h2>Passing checks (");
		put_num(out, n_checks - n);
		buf_puts(out, ")</h2>\n<table><thead><tr><th>check</th>"
			      "<th class=\"n\">evaluated</th><th class=\"n\">skipped</th>"
			      "</tr></thead><tbody>\n");
		for (size_t i = 0; i < g->n_checks; i++) {
			const rv_check_result *cr = &r->checks[i];
			if (!r->enabled[i] || g->checks[i].kind >= CK_TABLE_ROWS_MIN ||
			    cr->counts.failed || !cr->passed)
				continue;
			check_row(out, r, i, false);
		}
		buf_puts(out, "</tbody></table></section>\n");
	}
	fields_section(out, r);

	buf_puts(out, "<section id=\"run\"><h2>Run</h2>\n<p>rules <code>");
	esc(out, r->rules_file);
	buf_printf(out, "</code>, fail on %s, %d thread%s, started ",
		   r->fail_on_warn ? "warn" : "error", r->threads, r->threads == 1 ? "" : "s");
	esc(out, r->started_at);
	buf_printf(out, ", %.3f s</p>\n<ul class=\"in\">\n", r->duration_s);
	for (size_t i = 0; i < r->n_inputs; i++) {
		buf_puts(out, "<li><code>");
		esc(out, r->inputs[i]);
		buf_puts(out, "</code></li>\n");
	}
	buf_puts(out, "</ul></section>\n</main>\n<footer class=\"wrap\">rvalid " RVALID_VERSION
		      " \xC2\xB7 report format 1 \xC2\xB7 the JSON report (-o FILE.json) holds "
		      "every count and sample</footer>\n<script>");
	buf_puts(out, SCRIPT);
	buf_puts(out, "</script>\n</body>\n</html>\n");
	free(list);
}
