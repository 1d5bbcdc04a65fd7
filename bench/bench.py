#!/usr/bin/env python3
"""make bench: rvalid on the benchmark data set, with its counts checked.

Generates users data with the shared generator (1M and 10M records, into
$RVALID_BENCH_DIR or /tmp/rvalid-bench, once, after checking free disk),
warms the page cache, runs `rvalid validate -r users.yaml` at -j1 and -j2
(median of --runs), checks every count against the generator's truth file,
and prints wall and CPU time, records/s, MB/s and peak RSS. Then the same
with `unique: true` on user_id, whose failure count must equal the sum of
(occurrences - 1), computed here independently; and that again under a
--memory-limit small enough to make the key set spill to disk, whose report
must be the same.
"""
import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def shared_dir():
    for d in (os.environ.get("RVALID_SHARED"), os.path.join(REPO, "..", "shared")):
        if d and os.path.isdir(os.path.join(d, "bench")):
            return os.path.join(d, "bench")
    sys.exit("bench: cannot find shared/bench (set RVALID_SHARED)")


def generate(bench, out_dir, n):
    csv = os.path.join(out_dir, f"users-{n}.csv")
    truth = os.path.join(out_dir, f"users-{n}.truth.json")
    if os.path.exists(csv) and os.path.exists(truth):
        return csv, truth
    need = n * 120 + (1 << 28)
    free = shutil.disk_usage(out_dir).free
    if free < need:
        sys.exit(f"bench: {out_dir} has {free >> 20} MiB free, {need >> 20} MiB needed")
    print(f"generating {n:,} records into {csv} ...", flush=True)
    tmp = csv + ".tmp"
    with open(tmp, "wb") as f:
        subprocess.run([sys.executable, os.path.join(bench, "gen_users.py"), str(n),
                        "--truth", truth], stdout=f, check=True)
    os.rename(tmp, csv)
    return csv, truth


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def vm_hwm(pid):
    """The peak resident set of pid's own image, in KiB (0 when unknown). Unlike
    ru_maxrss it does not count the forked copy of this Python process before exec."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    hwm = 0
    while True:
        hwm = max(hwm, vm_hwm(p.pid))
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            break
        time.sleep(0.005)
    wall = time.monotonic() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {code}: {err}")
    return wall, ru.ru_utime + ru.ru_stime, hwm or ru.ru_maxrss


def measure(cmd, runs):
    results = [run_once(cmd) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    rss = max(r[2] for r in results)
    return wall, cpu, rss


CHECK_OF_KIND = {
    "user_id_bad": ["user_id.pattern", "user_id.required"],
    "email_bad": ["email.pattern"],
    "email_empty": ["email.required"],
    "age_out_of_range": ["age.min", "age.max"],
    "age_not_integer": ["age.type"],
    "balance_negative": ["balance.min"],
    "country_unknown": ["country.enum"],
    "date_invalid": ["signup_date.type"],
    "status_unknown": ["status.enum", "status.required"],
    "note_too_long": ["note.max_length"],
}


def verify(report_path, truth_path):
    report = json.load(open(report_path))
    truth = json.load(open(truth_path))
    failed = {c["id"]: c["failed"] for c in report["checks"]}
    problems = []
    if report["rows"]["total"] != truth["rows"]:
        problems.append(f"rows {report['rows']['total']} != {truth['rows']}")
    if report["rows"]["invalid"] != truth["invalid_rows"]:
        problems.append(f"invalid {report['rows']['invalid']} != {truth['invalid_rows']}")
    for kind, checks in CHECK_OF_KIND.items():
        got = sum(failed.get(c, 0) for c in checks)
        if got != truth["per_kind"][kind]:
            problems.append(f"{kind}: {got} != {truth['per_kind'][kind]}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rvalid", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="1000000,10000000")
    args = ap.parse_args()
    bench = shared_dir()
    out_dir = os.environ.get("RVALID_BENCH_DIR", os.path.join(tempfile.gettempdir(), "rvalid-bench"))
    os.makedirs(out_dir, exist_ok=True)
    rules = os.path.join(bench, "users.yaml")
    ok = True
    print(f"{'records':>11} {'-j':>3} {'wall s':>7} {'cpu s':>7} {'records/s':>12} {'MB/s':>7} "
          f"{'peak RSS':>9}  counts")
    base = {}
    for n in (int(s) for s in args.sizes.split(",")):
        csv, truth = generate(bench, out_dir, n)
        size = os.path.getsize(csv)
        warm(csv)
        for j in (1, 2):
            report = os.path.join(out_dir, f"report-{n}-j{j}.json")
            wall, cpu, rss = measure([args.rvalid, "validate", "-q", f"-j{j}", "-r", rules, csv,
                                      "-o", report], args.runs)
            problems = verify(report, truth)
            ok = ok and not problems
            base[(n, j)] = wall
            print(f"{n:>11,} {j:>3} {wall:>7.3f} {cpu:>7.3f} {n / wall:>12,.0f} "
                  f"{size / wall / 1e6:>7.0f} {rss / 1024:>7.1f}MB  "
                  f"{'exact' if not problems else 'WRONG: ' + '; '.join(problems)}", flush=True)
        print(f"{'':>11} -j2 is {base[(n, 1)] / base[(n, 2)]:.2f}x faster than -j1")

    # uniqueness: user_id repeats a lot (900,000 possible values)
    n = max(int(s) for s in args.sizes.split(","))
    csv, _ = generate(bench, out_dir, n)
    urules = os.path.join(out_dir, "users-unique.yaml")
    with open(rules) as f:
        text = f.read()
    unique_text = text.replace("pattern: '^\\d{6}$'}", "pattern: '^\\d{6}$', unique: true}")
    if unique_text == text:
        sys.exit("bench: cannot add unique: true to user_id in " + rules)
    with open(urules, "w") as g:
        g.write(unique_text)
    # every non-missing value takes part, those the pattern fails too (SPEC 2.3);
    # user_id is never quoted by the generator
    counts = collections.Counter()
    with open(csv, "rb") as f:
        next(f)
        for line in f:
            key = line.split(b",", 1)[0]
            if key:
                counts[key] += 1
    expected = sum(c - 1 for c in counts.values())
    del counts
    report = os.path.join(out_dir, f"report-{n}-unique.json")
    wall, cpu, rss = measure([args.rvalid, "validate", "-q", "-j2", "-r", urules, csv, "-o", report],
                             args.runs)
    got = next(c["failed"] for c in json.load(open(report))["checks"] if c["id"] == "user_id.unique")
    same = got == expected
    ok = ok and same
    print(f"unique user_id on {n:,}: {got:,} duplicates (expected {expected:,}: "
          f"{'exact' if same else 'WRONG'}), {wall:.3f} s wall, {cpu:.3f} s CPU, "
          f"{wall / base[(n, 2)]:.2f}x the run without it, peak RSS {rss / 1024:.1f}MB")

    # the same with a memory limit far below what the key set takes: it spills to temporary
    # files, and must give the same report (timings aside)
    limit = "8M"
    sreport = os.path.join(out_dir, f"report-{n}-unique-spill.json")
    swall, scpu, srss = measure([args.rvalid, "validate", "-q", "-j2", "--memory-limit", limit,
                                 "-r", urules, csv, "-o", sreport], args.runs)
    volatile = ("started_at", "duration_s", "threads")
    a, b = (json.load(open(p)) for p in (report, sreport))
    for d in (a, b):
        for k in volatile:
            d.pop(k, None)
    sgot = next(c["failed"] for c in b["checks"] if c["id"] == "user_id.unique")
    ssame = sgot == expected and a == b
    ok = ok and ssame
    print(f"unique user_id on {n:,}, --memory-limit {limit} (spills): {sgot:,} duplicates "
          f"({'exact, same report' if ssame else 'WRONG'}), {swall:.3f} s wall, {scpu:.3f} s CPU, "
          f"{swall / base[(n, 2)]:.2f}x the run without it, peak RSS {srss / 1024:.1f}MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
