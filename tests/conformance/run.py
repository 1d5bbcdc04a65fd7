#!/usr/bin/env python3
"""Conformance runner: csv-spectrum, W3C CSVW and frictionless-py cases.

The data lives outside this repository (the CSVW files are under the W3C
Document License and must not be copied here): in $RVALID_CONFORMANCE, or else
in ../shared/conformance relative to the repository root (CI clones the repo
with shared/ beside it). Its README.md says how a harness uses it; in short,
for every case:

- run the case's command from the suite's folder, with `--errors out.ndjson
  -o out.json` added, once with `-j 1` and once with `-j 8`;
- compare the exit status; the NDJSON failures (every line but the summary)
  on id (or any of `id_alternatives`), row, line and, where given, field and
  value: in order and nothing more, unless `failures_exact` is false (then the
  listed failures must be present); `rows` and `passed` of out.json;
- for exit 2 and 3: no report, and stderr has an `rvalid: ...` line naming
  the rule file (2) or the missing file (3) - and not saying that a
  constraint "is not supported by validate yet" (that exit 2 is not the
  error the case is about);
- the -j 1 and -j 8 outputs are byte-identical apart from started_at,
  duration_s and threads (SPEC 4).
csv-spectrum cases also write --invalid-rows, which must equal the input byte
for byte (a last record without a line end stays without one, SPEC 2.6), and
are run again with --max-invalid 100%, which must exit 0 with the same
failures.

A case whose expected exit is null is an open SPEC question: it is reported
as skipped, with its note, never as passed.

The environment is fixed: LC_ALL=C, TZ=UTC, NO_COLOR=1. Output: one line per
failing or skipped case, then `N passed, N failed[, N skipped]`. The exit
status is 1 if any case failed, 2 if the data cannot be found.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 120
NOT_YET = "is not supported by validate yet"
SANITIZER = re.compile(r"(ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:)")
VOLATILE = [
    (re.compile(rb'("started_at"\s*:\s*)"[^"]*"'), rb'\1"X"'),
    (re.compile(rb'("duration_s"\s*:\s*)[-+0-9.eE]+'), rb"\g<1>0"),
    (re.compile(rb'("threads"\s*:\s*)[0-9]+'), rb"\g<1>0"),
]


class CaseError(Exception):
    pass


def short(v, n=160):
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    s = s.replace("\n", "\\n").replace("\r", "\\r")
    return s if len(s) <= n else s[: n - 3] + "..."


def find_suites(arg):
    where = arg or os.environ.get("RVALID_CONFORMANCE") or os.path.join(
        REPO, "..", "shared", "conformance")
    where = os.path.abspath(where)
    missing = [s for s in ("csv-spectrum", "csvw", "frictionless")
               if not os.path.isdir(os.path.join(where, s))]
    if missing:
        sys.stderr.write(
            f"conformance: FATAL: suite data not found in {where} (missing: {', '.join(missing)}).\n"
            "Set RVALID_CONFORMANCE to the conformance folder, or clone shared/ beside the repository.\n")
        sys.exit(2)
    return where


# ---------------------------------------------------------------- loading cases

def load_cases(root):
    cases = []
    sp = os.path.join(root, "csv-spectrum")
    names = sorted(f[:-5] for f in os.listdir(os.path.join(sp, "expected")) if f.endswith(".json"))
    if not names:
        raise SystemExit(f"conformance: FATAL: no cases in {sp}/expected")
    for name in names:
        with open(os.path.join(sp, "expected", name + ".json"), encoding="utf-8") as f:
            e = json.load(f)
        cases.append({
            "suite": "csv-spectrum", "id": name, "dir": sp,
            "argv": ["validate", "-r", e["rules"], e["csv"]],
            "rules": e["rules"], "inputs": [e["csv"]],
            "exit": e["exit_status"], "passed": e.get("passed"), "rows": e.get("rows"),
            "failures": e["failures"], "exact": True, "ordered": True, "spectrum": True,
            "note": None,
        })
    cw = os.path.join(root, "csvw")
    with open(os.path.join(cw, "cases.json"), encoding="utf-8") as f:
        data = json.load(f)
    for c in data:
        e = c["expect"]
        rows = {"total": e["rows_total"]} if "rows_total" in e else None
        cases.append(command_case("csvw", cw, c["id"], c["command"], e.get("exit_status"),
                                  e.get("passed"), rows, e.get("failures"),
                                  e.get("failures_exact", True), c.get("note")))
    fr = os.path.join(root, "frictionless")
    with open(os.path.join(fr, "cases.json"), encoding="utf-8") as f:
        data = json.load(f)
    for c in data:
        cases.append(command_case("frictionless", fr, c["id"], c["command"], c.get("exit"),
                                  c.get("passed"), c.get("rows"), c.get("failures"),
                                  c.get("failures_exact", True), c.get("note")))
    return cases


def command_case(suite, folder, cid, command, exit_status, passed, rows, failures, exact, note):
    argv = shlex.split(command)
    if not argv or argv[0] != "rvalid":
        raise SystemExit(f"conformance: FATAL: {suite}/{cid}: command does not start with rvalid: {command}")
    argv = argv[1:]
    rules, inputs, i = None, [], 1
    while i < len(argv):
        a = argv[i]
        if a in ("-r", "--rules", "--schema"):
            rules = argv[i + 1]
            i += 2
            continue
        if a.startswith("-") and a != "-":
            i += 2 if a in ("--delimiter", "--quote", "--escape", "--null", "--encoding",
                            "--skip-lines", "--comment", "--limit", "-j", "--threads") else 1
            continue
        inputs.append(a)
        i += 1
    if passed is None and exit_status in (0, 1):
        passed = exit_status == 0  # SPEC 2.9: exit status 0/1 follows passed
    return {"suite": suite, "id": cid, "dir": folder, "argv": argv, "rules": rules,
            "inputs": inputs, "exit": exit_status, "passed": passed, "rows": rows,
            "failures": failures, "exact": exact is not False, "ordered": exact is not False,
            "spectrum": False, "note": note}


# ---------------------------------------------------------------- running

# The -j 8 runs cut their inputs into chunks of this many bytes (rvalid reads
# RVALID_CHUNK_BYTES for tests; it cuts 1 MiB otherwise), so that every small
# case is also read as many chunks, cut inside quoted cells and repaired.
SMALL_CHUNKS = "16"


def run(rvalid, case, tmp, tag, extra):
    out = {k: os.path.join(tmp, f"{tag}.{k}") for k in ("ndjson", "json", "inv")}
    argv = [rvalid] + case["argv"] + extra + ["--errors", out["ndjson"], "-o", out["json"]]
    if case["spectrum"]:
        argv += ["--invalid-rows", out["inv"]]
    env = dict(os.environ, LC_ALL="C", TZ="UTC", NO_COLOR="1")
    if "-j" in extra and extra[extra.index("-j") + 1] != "1":
        env["RVALID_CHUNK_BYTES"] = SMALL_CHUNKS
    try:
        p = subprocess.run(argv, cwd=case["dir"], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CaseError(f"[{tag}] timed out after {TIMEOUT}s")
    res = {"status": p.returncode, "stderr": p.stderr.decode("utf-8", "backslashreplace"),
           "files": {}}
    for k, path in out.items():
        if os.path.exists(path):
            with open(path, "rb") as f:
                res["files"][k] = f.read()
    return res


def parse_ndjson(data, tag):
    fails, summary = [], None
    for no, line in enumerate(data.split(b"\n"), 1):
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise CaseError(f"[{tag}] --errors line {no} is not JSON ({e}): {short(line.decode('utf-8', 'replace'))}")
        if "summary" in obj and len(obj) == 1:
            summary = obj
        else:
            if summary is not None:
                raise CaseError(f"[{tag}] --errors has a failure after the summary line")
            fails.append(obj)
    if summary is None:
        raise CaseError(f"[{tag}] --errors has no final summary line")
    return fails


def fmt_fail(f):
    parts = [f.get("id") if "id_alternatives" not in f else "|".join(f["id_alternatives"])]
    parts.append(f"row={json.dumps(f.get('row'))}")
    parts.append(f"line={json.dumps(f.get('line'))}")
    if "field" in f:
        parts.append(f"field={short(f['field'], 40)}")
    if "value" in f:
        parts.append(f"value={short(f['value'], 40) if isinstance(f['value'], str) else json.dumps(f['value'])}")
    return " ".join(str(p) for p in parts)


def fmt_actual(a, e=None):
    keys = ["field", "value"] if e is None else [k for k in ("field", "value") if k in e]
    g = {"id": a.get("id"), "row": a.get("row"), "line": a.get("line")}
    for k in keys:
        if k in a:
            g[k] = a[k]
    return fmt_fail(g)


def fail_matches(e, a):
    ids = e.get("id_alternatives") or [e["id"]]
    if a.get("id") not in ids:
        return False
    for k in ("row", "line", "field", "value"):
        if k in e and (k not in a or a[k] != e[k]):
            return False
    return True


def compare_failures(case, actual, tag):
    exp = case["failures"] or []
    problems = []
    if case["exact"]:
        if len(exp) == len(actual) and all(fail_matches(e, a) for e, a in zip(exp, actual)):
            return []
        # same set, other order?
        left = list(actual)
        for e in exp:
            hit = next((a for a in left if fail_matches(e, a)), None)
            if hit is None:
                break
            left.remove(hit)
        else:
            if not left:
                return [f"[{tag}] failures in another order: expected "
                        + "; ".join(fmt_fail(e) for e in exp) + " | got "
                        + "; ".join(fmt_actual(a) for a in actual)]
        n = max(len(exp), len(actual))
        for i in range(n):
            e = exp[i] if i < len(exp) else None
            a = actual[i] if i < len(actual) else None
            if e is not None and a is not None and fail_matches(e, a):
                continue
            problems.append(f"[{tag}] failure #{i + 1}: expected "
                            + (fmt_fail(e) if e else "(none)") + " | got "
                            + (fmt_actual(a, e) if a else "(none)"))
            if len(problems) >= 4:
                if n - i - 1 > 0:
                    problems.append(f"[{tag}] ... ({len(exp)} expected, {len(actual)} reported)")
                break
        return problems
    left = list(actual)
    for e in exp:
        hit = next((a for a in left if fail_matches(e, a)), None)
        if hit is None:
            near = [a for a in actual if a.get("id") in (e.get("id_alternatives") or [e["id"]])]
            problems.append(f"[{tag}] missing failure: {fmt_fail(e)} | got "
                            + ("; ".join(fmt_actual(a, e) for a in near[:3]) if near else
                               ("ids " + ",".join(sorted({str(a.get('id')) for a in actual})) if actual else "(no failures)")))
        else:
            left.remove(hit)
    return problems


def check_run(case, res, tag):
    problems = []
    status = res["status"]
    if SANITIZER.search(res["stderr"]):
        line = next(l for l in res["stderr"].splitlines() if SANITIZER.search(l))
        problems.append(f"[{tag}] sanitizer report: {short(line)}")
    if status != case["exit"]:
        got = f"signal {-status} (crash)" if status < 0 else str(status)
        problems.append(f"[{tag}] exit: expected {case['exit']} | got {got}"
                        + (f" (stderr: {short(res['stderr'].strip(), 200)})" if res["stderr"].strip() else ""))
    if case["exit"] in (2, 3):
        if status == case["exit"]:
            name = case["rules"] if case["exit"] == 2 else missing_file(case)
            lines = [l for l in res["stderr"].splitlines() if l.startswith("rvalid: ")]
            if not lines:
                problems.append(f"[{tag}] stderr: expected an 'rvalid: ...' line | got {short(res['stderr'].strip()) or '(nothing)'}")
            elif name and not any(name in l for l in lines):
                problems.append(f"[{tag}] stderr: expected an 'rvalid: ...' line naming {name} | got {short(lines[0])}")
            elif any(NOT_YET in l for l in lines):
                # An exit 2 for a constraint validate does not run yet is not
                # the error the case is about: it must fail until it runs.
                problems.append(f"[{tag}] exit {status} comes from an unbuilt feature, not from what the "
                                f"case tests: {short(next(l for l in lines if NOT_YET in l))}")
        for k, what in (("json", "-o report"), ("ndjson", "--errors file")):
            if k in res["files"]:
                problems.append(f"[{tag}] no report expected on exit {case['exit']}, but the {what} was written")
        return problems
    if status not in (0, 1):
        return problems
    if "ndjson" not in res["files"]:
        return problems + [f"[{tag}] --errors file not written"]
    if "json" not in res["files"]:
        return problems + [f"[{tag}] -o report not written"]
    actual = parse_ndjson(res["files"]["ndjson"], tag)
    problems += compare_failures(case, actual, tag)
    try:
        rep = json.loads(res["files"]["json"])
    except ValueError as e:
        return problems + [f"[{tag}] report is not JSON: {e}"]
    if case["passed"] is not None and rep.get("passed") != case["passed"]:
        problems.append(f"[{tag}] passed: expected {json.dumps(case['passed'])} | got {json.dumps(rep.get('passed'))}")
    for k, v in (case["rows"] or {}).items():
        got = (rep.get("rows") or {}).get(k)
        if got != v:
            problems.append(f"[{tag}] rows.{k}: expected {v} | got {json.dumps(got)}")
    if case["spectrum"]:
        bad = [a for a in actual if str(a.get("id", "")).startswith("csv.")]
        if bad and not any("csv." in p for p in problems):
            problems.append(f"[{tag}] csv.* failure reported: {fmt_actual(bad[0])}")
    res["failures"] = actual
    return problems


def missing_file(case):
    """For exit 3: the file the case names (input or `file:` in the rule file) that does not exist."""
    names = list(case["inputs"])
    try:
        with open(os.path.join(case["dir"], case["rules"]), encoding="utf-8") as f:
            names += re.findall(r"\bfile\s*[:=]\s*['\"]?([^,'\"}\s]+)", f.read())
    except OSError:
        return case["rules"]
    for n in names:
        if not os.path.exists(os.path.join(case["dir"], n)):
            return n
    return None


def normalise(data):
    for rx, rep in VOLATILE:
        data = rx.sub(rep, data)
    return data


def first_difference(a, b):
    i = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    lo = max(0, i - 20)
    return (f"at byte {i}: {short(a[lo:i + 30].decode('utf-8', 'replace'), 60)} "
            f"| {short(b[lo:i + 30].decode('utf-8', 'replace'), 60)}")


def compare_threads(r1, r8, tag):
    problems = []
    if r1["status"] != r8["status"]:
        problems.append(f"[{tag}] exit differs: -j 1 {r1['status']} | -j 8 {r8['status']}")
    for k, what in (("json", "report"), ("ndjson", "--errors"), ("inv", "--invalid-rows")):
        a, b = r1["files"].get(k), r8["files"].get(k)
        if a is None and b is None:
            continue
        if a is None or b is None:
            problems.append(f"[{tag}] {what} written by only one of -j 1 / -j 8")
        elif normalise(a) != normalise(b):
            problems.append(f"[{tag}] {what} differs between -j 1 and -j 8 {first_difference(normalise(a), normalise(b))}")
    return problems


def run_case(rvalid, case):
    problems = []
    tmp = tempfile.mkdtemp(prefix="rvalid-conf-")
    try:
        runs = {}
        for j in (1, 8):
            tag = f"-j{j}"
            runs[j] = run(rvalid, case, tmp, tag, ["-j", str(j)])
            problems += check_run(case, runs[j], tag)
        problems += compare_threads(runs[1], runs[8], "-j1/-j8")
        if case["spectrum"]:
            with open(os.path.join(case["dir"], case["inputs"][0]), "rb") as f:
                src = f.read()
            for j in (1, 8):
                inv = runs[j]["files"].get("inv")
                if inv is None:
                    problems.append(f"[-j{j}] --invalid-rows not written")
                elif inv != src:
                    problems.append(f"[-j{j}] --invalid-rows != input ({len(inv)} vs {len(src)} bytes) "
                                    + first_difference(inv, src))
            lenient = dict(case, exit=0, passed=True)
            mi = {}
            for j in (1, 8):
                tag = f"--max-invalid 100% -j{j}"
                mi[j] = run(rvalid, case, tmp, f"mi{j}", ["-j", str(j), "--max-invalid", "100%"])
                problems += check_run(lenient, mi[j], tag)
            problems += compare_threads(mi[1], mi[8], "--max-invalid 100% -j1/-j8")
    except CaseError as e:
        problems.append(str(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # The same problem under -j1 and -j8 is said once.
    seen, out = set(), []
    for p in problems:
        key = re.sub(r"^\[[^\]]*\] ", "", p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rvalid", required=True, help="the binary under test")
    ap.add_argument("--suites", help="the conformance folder (default: $RVALID_CONFORMANCE, "
                    "else ../shared/conformance beside the repository)")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list passing cases")
    ap.add_argument("only", nargs="*", help="run only these cases (e.g. csvw/test124 or F12)")
    args = ap.parse_args()
    rvalid = os.path.abspath(args.rvalid)
    if not os.access(rvalid, os.X_OK):
        sys.stderr.write(f"conformance: FATAL: {args.rvalid}: not an executable\n")
        return 2
    root = find_suites(args.suites)
    cases = load_cases(root)
    if args.only:
        cases = [c for c in cases if c["id"] in args.only or f"{c['suite']}/{c['id']}" in args.only]
    passed = failed = skipped = 0
    for case in cases:
        name = f"{case['suite']}/{case['id']}"
        if case["exit"] is None:
            skipped += 1
            print(f"SKIP {name}: open SPEC question (expected exit is null)"
                  + (f": {short(case['note'], 200)}" if case["note"] else ""))
            continue
        problems = run_case(rvalid, case)
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(problems))
        else:
            passed += 1
            if args.verbose:
                print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
