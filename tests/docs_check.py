#!/usr/bin/env python3
"""Runs the commands of the README's ```console blocks and of the man pages' .EX
examples, and compares what they print with what the documents show. A `...` line stands for any number of lines. Commands on
s3:// run in the S3 suite, and a command needing a missing program (dot) is skipped;
both are counted as skipped. Runs in a temporary folder that links examples/, rules/
and tests/, so the README's relative paths work and nothing is written to the tree."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def blocks(text):
    for m in re.finditer(r"```console\n(.*?)```", text, re.S):
        yield m.group(1).split("\n")


def man_blocks(text):
    """The .EX ... .EE examples of a man page that show commands, roff escapes undone."""
    for m in re.finditer(r"^\.EX\n(.*?)^\.EE", text, re.S | re.M):
        body = m.group(1)
        for a, b in (("\\-", "-"), ("\\e", "\\"), ("\\(aq", "'"), ("\\(dq", '"'),
                     ("\\(+-", "+-")):
            body = body.replace(a, b)
        lines = body.split("\n")
        if any(l.startswith("$ ") for l in lines):
            yield lines


def cases(lines):
    """The block's commands, each with the lines shown after it (a list, built whole
    before anything runs)."""
    out, case, cont = [], None, False
    for line in lines:
        if line.startswith("$ ") or (cont and case):
            if line.startswith("$ "):
                case = {"cmd": line[2:], "out": []}
                out.append(case)
            else:
                case["cmd"] += "\n" + line
            cont = line.endswith("\\")
        elif case is not None and line != "":
            case["out"].append(line)
    return out


def matches(expected, actual):
    if not expected:
        return True
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rvalid", required=True)
    args = ap.parse_args()
    readme = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    docs = [("README", b) for b in blocks(readme)]
    for page in ("man/rvalid.1", "man/rvalid-rules.5"):
        text = open(os.path.join(REPO, page), encoding="utf-8").read()
        docs += [(page, b) for b in man_blocks(text)]
    tmp = tempfile.mkdtemp(prefix="rvalid-readme-")
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    os.symlink(os.path.abspath(args.rvalid), os.path.join(bindir, "rvalid"))
    work = os.path.join(tmp, "work")
    os.mkdir(work)
    for d in ("examples", "rules", "tests"):
        os.symlink(os.path.join(REPO, d), os.path.join(work, d))
    env = {"PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "HOME": tmp, "LC_ALL": "C",
           "TZ": "UTC", "NO_COLOR": "1", "RVALID_TODAY": "2026-11-24"}
    passed = failed = skipped = 0
    try:
        for where, lines in docs:
            for case in cases(lines):
                cmd = case["cmd"]
                # placeholders stand for the reader's own programs and files
                placeholder = any(w in cmd for w in ("next-step", "export.csv.gz", "data.csv"))
                if "s3://" in cmd or placeholder or ("dot " in cmd and not shutil.which("dot")):
                    skipped += 1
                    continue
                # what a person sees: standard output and error together
                r = subprocess.run(["bash", "-c", cmd], cwd=work, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, timeout=120,
                                   stdin=subprocess.DEVNULL)
                actual = [l for l in r.stdout.split("\n") if l != ""]
                if not matches(case["out"], actual):
                    failed += 1
                    print(f"FAIL {where}: $ {cmd}")
                    print("  expected:\n" + "".join(f"    |{l}\n" for l in case["out"]), end="")
                    print("  actual:\n" + "".join(f"    |{l}\n" for l in actual), end="")
                else:
                    passed += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"docs: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
