#!/usr/bin/env python3
"""Check that the JUnit and HTML reports of a run say what its JSON report says (SPEC 5: they
are views of one model).

    reports_agree.py [--fail-on-warn] [--max-html BYTES] REPORT.json [REPORT.xml] [REPORT.html]

JUnit: one testcase per check and per table check, in the JSON's order, named by the check id;
a testcase fails exactly when its check fails the run (error checks, and warnings under
--fail-on warn), is skipped when the check evaluated nothing, and its failure (or, for a
warning, its system-out) gives the JSON's failed and evaluated counts and every sample's input,
row and line; the suite's counts, rows, verdict and timestamp are the JSON's.
HTML: one self-contained page (one inline script, nothing fetched: no http(s) URL, src, url(),
@import or <link>), the JSON's verdict, a card per check with failures whose samples (input,
row, line) are the JSON's first ones, every other check in the passing list.
Prints one line per report; exits 1 with the differences when they disagree.
"""
import argparse
import html.parser
import json
import re
import sys
import xml.etree.ElementTree as ET

problems = []


def want(cond, what):
    if not cond:
        problems.append(what)


def check_junit(d, path, fail_on_warn):
    root = ET.parse(path).getroot()
    want(root.tag == "testsuites", "the root is not <testsuites>")
    suites = root.findall("testsuite")
    want(len(suites) == 1, f"{len(suites)} testsuites, not 1")
    s = suites[0]
    cases = s.findall("testcase")
    expected = [(c["id"], c) for c in d["checks"]] + [(t["id"], t) for t in d["table"]]
    want([c.get("name") for c in cases] == [i for i, _ in expected],
         "testcases are not the JSON's checks in order")
    failures = skipped = 0
    for case, (cid, c) in zip(cases, expected):
        failure, skip, out = case.find("failure"), case.find("skipped"), case.find("system-out")
        is_table = "severity" not in c
        group = "table" if is_table else cid.split(".")[0] if "field" not in c else c["field"]
        want(case.get("classname") == "rvalid." + group, f"{cid}: classname {case.get('classname')}")
        fails = not c["passed"] and (is_table or c["severity"] == "error" or fail_on_warn)
        want((failure is not None) == fails, f"{cid}: failure element is {failure is not None}")
        if fails:
            failures += 1
            want(failure.get("type") == cid, f"{cid}: failure type {failure.get('type')}")
        if not is_table and c["evaluated"] == 0 and c["failed"] == 0:
            skipped += 1
            want(skip is not None, f"{cid}: evaluated nothing but is not skipped")
        else:
            want(skip is None, f"{cid}: skipped")
        body = failure.text if failure is not None else out.text if out is not None else None
        if is_table:
            if fails:
                want(f"observed {c['observed']}, expected {c['expected']}" in body,
                     f"{cid}: observed and expected not in the failure")
        elif c["failed"]:
            want(body is not None, f"{cid}: failures but no failure or system-out")
            want(f"{c['failed']} of {c['evaluated']} failed" in (body or ""), f"{cid}: counts")
        else:
            want(body is None, f"{cid}: passed but has output")
        for smp in c.get("samples", []) if body else []:
            where = (f"{smp['input']} row {smp['row']} (line {smp['line']})" if smp["row"]
                     else f"{smp['input']} line {smp['line']}")
            want("\n  " + where in body, f"{cid}: sample {where} missing")
    for e in (root, s):
        want(e.get("tests") == str(len(expected)), f"{e.tag}: tests {e.get('tests')}")
        want(e.get("failures") == str(failures), f"{e.tag}: failures {e.get('failures')} not {failures}")
        want(e.get("skipped") == str(skipped), f"{e.tag}: skipped {e.get('skipped')} not {skipped}")
        want(e.get("errors") == "0", f"{e.tag}: errors")
        want(e.get("timestamp") == d["started_at"], f"{e.tag}: timestamp")
        want(abs(float(e.get("time")) - d["duration_s"]) < 0.0015, f"{e.tag}: time")
    want(s.get("name") == "rvalid: " + d["rules_file"], "suite name")
    props = [(p.get("name"), p.get("value")) for p in s.find("properties")]
    for k, v in d["rows"].items():
        want(("rows." + k, str(v)) in props, f"property rows.{k}")
    want(("passed", "true" if d["passed"] else "false") in props, "property passed")
    want([v for k, v in props if k == "input"] == d["inputs"], "property input")
    want(("rules", d["rules_file"]) in props, "property rules")
    print(f"junit: {len(expected)} tests, {failures} failures, {skipped} skipped: "
          + ("DISAGREES with" if problems else "as in") + " the JSON report")


class Page(html.parser.HTMLParser):
    """Collects the cards (check id, sample input/row/line), the passing list and the verdict."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cards, self.listed = [], []  # listed: the id cells of the compact lists
        self.card = self.sample = self.cell = None
        self.verdict = None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "script":
            self.scripts += 1
        if tag == "article" and "card" in cls:
            self.card = {"id": None, "samples": []}
            self.cards.append(self.card)
        if tag == "header" and a.get("id") == "verdict":
            self.verdict = a.get("class")
        if tag == "tr" and self.card is not None:
            self.sample = {}
            self.card["samples"].append(self.sample)
        if tag in ("code", "td"):
            # a compact list leaves out </td>: the next <td> ends the cell
            self.cell = (cls, [])
            if tag == "td" and not self.card and "id" in cls:
                self.listed.append(self.cell)

    def handle_endtag(self, tag):
        if tag == "article":
            self.card = None
            self.sample = None
        if tag in ("code", "td") and self.cell is not None:
            cls, text = self.cell
            t = "".join(text)
            if self.card is not None and "id" in cls and tag == "code":
                self.card["id"] = t
            if self.sample is not None and tag == "td":
                for k in ("in", "r", "l"):
                    if k in cls:
                        self.sample[k] = t
                if "n" in cls and "r" not in cls and "l" not in cls:
                    self.sample["r"] = None  # a file-level sample
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1].append(data)


def check_html(d, path, max_bytes, fail_on_warn):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")  # must be UTF-8
    low = text.lower()
    for bad in ("http://", "https://", " src=", "url(", "@import", "<link", "<img", "<iframe"):
        want(bad not in low, f"html: '{bad}' in the page")
    if max_bytes:
        want(len(raw) <= max_bytes, f"html: {len(raw)} bytes, over {max_bytes}")
    p = Page()
    p.feed(text)
    want(p.scripts == 1, f"html: {p.scripts} scripts")
    want(p.verdict == ("pass" if d["passed"] else "fail"), f"html: verdict {p.verdict}")
    failing = [c for c in d["checks"] if c["failed"] or not c["passed"]]
    failing.sort(key=lambda c: (0 if (not c["passed"] and (c["severity"] == "error" or fail_on_warn))
                                else 1, -c["failed"]))
    cards = {c["id"]: c for c in p.cards if c["id"] and not c["id"].startswith("table.")}
    shown = 0
    for c in failing[:200]:
        card = cards.get(c["id"])
        want(card is not None, f"html: no card for {c['id']}")
        if card is None:
            continue
        rows = [s for s in card["samples"] if s]
        exp = c["samples"][:20]
        want(len(rows) == len(exp), f"html: {c['id']}: {len(rows)} samples, not {len(exp)}")
        for got, s in zip(rows, exp):
            row = None if s["row"] is None else f"{s['row']:,}"
            want(got.get("r") == row and got.get("l") == f"{s['line']:,}",
                 f"html: {c['id']}: sample {got} is not row {s['row']} line {s['line']}")
            if len(d["inputs"]) > 1:
                want(got.get("in") == s["input"], f"html: {c['id']}: input {got.get('in')}")
            shown += 1
    listed = {"".join(t) for _, t in p.listed}
    for c in d["checks"]:
        if not (c["failed"] or not c["passed"]):
            want(c["id"] in listed, f"html: passing check {c['id']} not listed")
    for c in failing[200:]:
        want(c["id"] in listed, f"html: failing check {c['id']} beyond the cards not listed")
    print(f"html: {min(len(failing), 200)} cards, {shown} samples, "
          f"{len(d['checks']) - len(failing)} passing: "
          + ("DISAGREES with" if problems else "as in") + " the JSON report")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fail-on-warn", action="store_true")
    ap.add_argument("--max-html", type=int, default=0)
    ap.add_argument("json")
    ap.add_argument("others", nargs="*")
    a = ap.parse_args()
    d = json.load(open(a.json))
    for path in a.others:
        if path.endswith(".xml"):
            check_junit(d, path, a.fail_on_warn)
        elif path.endswith(".html"):
            check_html(d, path, a.max_html, a.fail_on_warn)
    for p in problems[:20]:
        print("DISAGREE:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
