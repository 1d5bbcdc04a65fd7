#!/usr/bin/env python3
"""CLI test runner: runs .t files and compares output and exit status exactly.

A .t file holds cases; each case is a command and what it must do:

    # a comment
    $ rvalid check bad/unknown_key.yaml
    ! rvalid: bad/unknown_key.yaml:3:5: unknown constraint 'maxlen' (did you mean 'max_length'?)
    [2]

  `$ CMD`    the command, run by bash in the .t file's folder; `> ` lines continue it
  `  TEXT`   a line the command must print on stdout (two spaces, then the text)
  `! TEXT`   a line it must print on stderr (`!` alone: an empty line)
  `[N]`      its exit status (0 when absent)
A line ending in ` (re)` is a regular expression matched against the whole line.
Output must match exactly: every line, in order, nothing more.

`rvalid` on PATH is the binary under test (--rvalid). $T is a fresh temporary
folder per .t file. The environment is fixed: LC_ALL=C, TZ=UTC, NO_COLOR=1.
With --update, the expected output in the .t files is rewritten from what the
commands printed (review the diff before committing it).
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile


def default_signals():
    """Each case starts with SIGINT and SIGTERM at their defaults: a harness started in the
    background inherits them ignored, and the shell could not undo that for the cases that
    interrupt rvalid."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def parse(path):
    cases, case = [], None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for no, line in enumerate(lines, 1):
        if line.startswith("$ "):
            case = {"line": no, "cmd": line[2:], "out": [], "err": [], "status": 0}
            cases.append(case)
        elif line.startswith("> ") and case is not None and not case["out"] and not case["err"]:
            case["cmd"] += "\n" + line[2:]
        elif line.startswith("  ") and case is not None:
            case["out"].append(line[2:])
        elif (line.startswith("! ") or line == "!") and case is not None:
            case["err"].append(line[2:])
        elif re.fullmatch(r"\[\d+\]", line) and case is not None:
            case["status"] = int(line[1:-1])
        elif line.startswith("#") or line.strip() == "":
            continue
        else:
            raise SystemExit(f"{path}:{no}: cannot read this line: {line!r}")
    return cases


def matches(expected, actual):
    if len(expected) != len(actual):
        return False
    for e, a in zip(expected, actual):
        if e.endswith(" (re)"):
            if not re.fullmatch(e[:-5], a):
                return False
        elif e != a:
            return False
    return True


def lines_of(data):
    text = data.decode("utf-8", errors="backslashreplace")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rvalid", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    bindir = tempfile.mkdtemp(prefix="rvalid-bin-")
    os.symlink(os.path.abspath(args.rvalid), os.path.join(bindir, "rvalid"))
    passed = failed = 0
    try:
        for path in args.files:
            cases = parse(path)
            tmp = tempfile.mkdtemp(prefix="rvalid-t-")
            env = {
                "PATH": bindir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": tmp, "T": tmp, "LC_ALL": "C", "TZ": "UTC", "NO_COLOR": "1",
                "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
                "UBSAN_OPTIONS": os.environ.get("UBSAN_OPTIONS", ""),
            }
            results = []
            for case in cases:
                r = subprocess.run(["bash", "-c", case["cmd"]], cwd=os.path.dirname(path) or ".",
                                   env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                   timeout=120, preexec_fn=default_signals)
                out, err = lines_of(r.stdout), lines_of(r.stderr)
                ok = (matches(case["out"], out) and matches(case["err"], err)
                      and case["status"] == r.returncode)
                results.append((case, out, err, r.returncode))
                if ok:
                    passed += 1
                    continue
                failed += 1
                print(f"FAIL {path}:{case['line']}: $ {case['cmd']}")
                for label, exp, act in (("stdout", case["out"], out), ("stderr", case["err"], err)):
                    if not matches(exp, act):
                        print(f"  {label} expected:")
                        print("".join(f"    |{x}\n" for x in exp), end="")
                        print(f"  {label} actual:")
                        print("".join(f"    |{x}\n" for x in act), end="")
                if case["status"] != r.returncode:
                    print(f"  status expected {case['status']}, actual {r.returncode}")
            shutil.rmtree(tmp, ignore_errors=True)
            if args.update:
                rewrite(path, results)
    finally:
        shutil.rmtree(bindir, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def rewrite(path, results):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    by_line = {case["line"]: (out, err, st) for case, out, err, st in results}
    new, skip = [], False
    for no, line in enumerate(lines, 1):
        if no in by_line:
            if skip:  # the previous case ends here, right before this one
                out, err, st = pending
                new += ["  " + x for x in out] + [("! " + x) if x else "!" for x in err] + ([f"[{st}]"] if st else [])
            new.append(line)
            out, err, st = by_line[no]
            skip = True
            pending = (out, err, st)
            continue
        if skip and line.startswith("> "):
            new.append(line)
            continue
        if skip and (line.startswith("  ") or line.startswith("! ") or re.fullmatch(r"\[\d+\]", line)):
            continue
        if skip:
            out, err, st = pending
            new += ["  " + x for x in out] + [("! " + x) if x else "!" for x in err] + ([f"[{st}]"] if st else [])
            skip = False
        new.append(line)
    if skip:
        out, err, st = pending
        if new and new[-1] == "":
            new.pop()
        new += ["  " + x for x in out] + [("! " + x) if x else "!" for x in err] + ([f"[{st}]"] if st else [])
        new.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(new))


if __name__ == "__main__":
    sys.exit(main())
