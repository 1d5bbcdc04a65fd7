#!/usr/bin/env python3
"""Orders data for the `rvalid init --from` property tests (init.t).

usage: init_gen.py gen ROWS SEED [--plant TRUTH]   write a CSV to stdout
       init_gen.py check TRUTH ERRORS               say which planted rows were caught

`gen` writes ROWS clean records of a fixed shape: sequential ids, codes of
one shape, zero-padded zip codes, emails, uuids, bounded ints, decimals and
floats, booleans, a few statuses, dates, datetimes and free text. The output
depends only on ROWS and SEED. With --plant, about one record in eight gets
exactly one violation of a kind listed in KINDS, which rules inferred from
clean data of the same shape must catch; TRUTH gets one line per planted
record: `ROW KIND`.

`check` reads that truth and rvalid's --errors NDJSON and prints, per kind,
how many planted records failed the check the kind names; then one line per
failure on a record that was not planted (false alarms).
"""
import datetime
import json
import random
import sys

STATUSES = ["paid"] * 6 + ["shipped"] * 3 + ["cancelled", "returned"]
FIRST = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana", "ivo", "jun"]
HOSTS = ["example.com", "mail.example.org", "shop.example.net"]
WORDS = "fragile gift wrap leave at door call first back entrance weekend only".split()

# kind -> (column, the check it must fail)
KINDS = {
    "id_repeated": ("order_id", "order_id.unique"),
    "sku_shape": ("sku", "sku.pattern"),
    "sku_missing": ("sku", "sku.required"),
    "zip_short": ("zip", "zip.pattern"),
    "email_bad": ("email", "email.format"),
    "token_bad": ("token", "token.format"),
    "qty_high": ("qty", "qty.max"),
    "qty_low": ("qty", "qty.min"),
    "qty_text": ("qty", "qty.type"),
    "price_negative": ("price", "price.min"),
    "price_comma": ("price", "price.type"),
    "weight_text": ("weight", "weight.type"),
    "paid_word": ("paid", "paid.type"),
    "status_unknown": ("status", "status.enum"),
    "ship_date_invalid": ("ship_date", "ship_date.type"),
    "ship_date_late": ("ship_date", "ship_date.max"),
    "ordered_at_bad": ("ordered_at", "ordered_at.type"),
    "note_long": ("note", "note.max_length"),
}
COLUMNS = ["order_id", "sku", "zip", "email", "token", "qty", "price", "weight", "paid",
           "status", "ship_date", "ordered_at", "note"]


def csv_cell(s):
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def note(rng, n):
    words = []
    while len(" ".join(words)) < n:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:n].rstrip() or "x"


def clean_row(rng, i):
    d0 = datetime.date(2023, 1, 1)
    ship = d0 + datetime.timedelta(days=rng.randrange(731))
    t = datetime.datetime(2023, 1, 1) + datetime.timedelta(seconds=rng.randrange(730 * 86400))
    return {
        "order_id": str(1000 + i),
        "sku": "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
               + "-%04d" % rng.randrange(10000),
        "zip": "%05d" % rng.randrange(100000),
        "email": "%s.%s@%s" % (rng.choice(FIRST), rng.choice(FIRST), rng.choice(HOSTS)),
        "token": "%08x-%04x-4%03x-8%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                                  rng.getrandbits(12), rng.getrandbits(12),
                                                  rng.getrandbits(48)),
        "qty": str(rng.randrange(1, 51)),
        "price": "%d.%02d" % (rng.randrange(0, 1000), rng.randrange(100)),
        "weight": rng.choice(["%.3f" % rng.uniform(0.05, 30), "%.2e" % rng.uniform(0.05, 30)]),
        "paid": rng.choice(["true", "false"]),
        "status": rng.choice(STATUSES),
        "ship_date": ship.isoformat(),
        "ordered_at": t.strftime("%Y-%m-%d %H:%M:%S"),
        "note": "" if rng.random() < 0.4 else note(rng, rng.choice([rng.randrange(4, 120), 120])),
    }


def plant(rng, row, kind, i):
    col = KINDS[kind][0]
    bad = {
        "id_repeated": lambda: str(1000 + rng.randrange(max(i, 1))),
        "sku_shape": lambda: rng.choice(["AB-1234", "ABCD-123", "abc-1234", "ABC1234"]),
        "sku_missing": lambda: "",
        "zip_short": lambda: "%04d" % rng.randrange(10000),
        "email_bad": lambda: rng.choice(["ana.bo.example.com", "ana@", "@example.com"]),
        "token_bad": lambda: row["token"][:-1] + "g",
        "qty_high": lambda: str(rng.randrange(51, 1000)),
        "qty_low": lambda: str(rng.randrange(-5, 1)),
        "qty_text": lambda: rng.choice(["ten", "2.5", "1e3"]),
        "price_negative": lambda: "-%d.%02d" % (rng.randrange(100), rng.randrange(1, 100)),
        "price_comma": lambda: "%d,%02d" % (rng.randrange(100), rng.randrange(100)),
        "weight_text": lambda: rng.choice(["heavy", "1.2kg", "n/a"]),
        "paid_word": lambda: rng.choice(["yes", "no", "paid"]),
        "status_unknown": lambda: rng.choice(["lost", "PAID", "pending"]),
        "ship_date_invalid": lambda: rng.choice(["2024-02-30", "2023-13-01", "01/02/2024"]),
        "ship_date_late": lambda: "2031-%02d-01" % rng.randrange(1, 13),
        "ordered_at_bad": lambda: rng.choice(["2024-01-01 25:00:00", "yesterday"]),
        "note_long": lambda: note(rng, 121) + " more",
    }[kind]
    row[col] = bad()


def gen(rows, seed, truth_path):
    rng = random.Random(seed)
    out = sys.stdout
    truth = open(truth_path, "w") if truth_path else None
    out.write(",".join(COLUMNS) + "\n")
    kinds = sorted(KINDS)
    for i in range(rows):
        row = clean_row(rng, i)
        if truth and rng.random() < 1 / 8:
            kind = rng.choice(kinds)
            plant(rng, row, kind, i)
            truth.write("%d %s\n" % (i + 1, kind))
        out.write(",".join(csv_cell(row[c]) for c in COLUMNS) + "\n")
    if truth:
        truth.close()


def check(truth_path, errors_path):
    planted = {}
    with open(truth_path) as f:
        for line in f:
            row, kind = line.split()
            planted[int(row)] = kind
    failed = {}
    with open(errors_path) as f:
        for line in f:
            e = json.loads(line)
            if e.get("row") is not None and "id" in e:
                failed.setdefault(e["row"], set()).add(e["id"])
    for kind in sorted(KINDS):
        rows = [r for r, k in planted.items() if k == kind]
        want = KINDS[kind][1]
        caught = sum(1 for r in rows if want in failed.get(r, ()))
        print("%s: %d of %d caught by %s" % (kind, caught, len(rows), want))
    for r in sorted(set(failed) - set(planted)):
        print("false alarm: row %d: %s" % (r, " ".join(sorted(failed[r]))))


def main(argv):
    if len(argv) >= 4 and argv[1] == "gen":
        truth = argv[5] if len(argv) == 6 and argv[4] == "--plant" else None
        gen(int(argv[2]), int(argv[3]), truth)
        return 0
    if len(argv) == 4 and argv[1] == "check":
        check(argv[2], argv[3])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
