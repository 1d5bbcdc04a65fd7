#!/usr/bin/env python3
"""agg_exact.py: check a report's aggregates against exact arithmetic.

    python3 agg_exact.py DATA.csv REPORT.json

DATA.csv has the columns i (int), d (decimal) and f (float) of
data/rules/numbers.yaml. The sums, means and standard deviations in the
report's `fields` must be what exact rational arithmetic (fractions) gives:
int and decimal sums exactly, a decimal mean rounded half to even to
max(18, scale) places, everything else the correctly rounded double (the
standard deviation as the correctly rounded square root of the exact sample
variance); distinct and missing must match counts made here. Prints one line
per column and exits 1 on any difference."""
import csv
import json
import math
import sys
from decimal import Decimal
from fractions import Fraction


def cr_sqrt(q):
    """The double nearest sqrt(q) for a Fraction q > 0: the integer root of q / 4^e,
    about 60 bits, with a half added when anything was left over (it only breaks ties)."""
    n, d = q.numerator, q.denominator
    e = (n.bit_length() - d.bit_length() - 120) // 2
    y, rem = divmod(n, d << (2 * e)) if e >= 0 else divmod(n << (-2 * e), d)
    r = math.isqrt(y)
    sticky = r * r != y or rem != 0
    return float(Fraction(2 * r + (1 if sticky else 0), 2) * Fraction(2) ** e)


def decimal_text(q, scale):
    digits = max(18, scale)
    v = round(q * 10**digits)  # half to even
    sign = "-" if v < 0 else ""
    t = str(abs(v)).rjust(digits + 1, "0")
    t = t[:-digits] + "." + t[-digits:]
    while t.endswith("0") and len(t.split(".")[1]) > scale:
        t = t[:-1]
    return sign + t.rstrip(".")


def main():
    data, report = sys.argv[1], sys.argv[2]
    cols = {"i": [], "d": [], "f": []}
    missing = {k: 0 for k in cols}
    scale = 0
    with open(data, newline="") as f:
        for row in csv.DictReader(f):
            for k in cols:
                v = row[k]
                if v == "":
                    missing[k] += 1
                elif k == "i":
                    cols[k].append(Fraction(int(v)))
                elif k == "d":
                    cols[k].append(Fraction(Decimal(v)))
                    scale = max(scale, len(v.split(".")[1]) if "." in v else 0)
                else:
                    cols[k].append(Fraction(float(v)))
    fields = json.load(open(report), parse_float=Decimal)["fields"]
    bad = 0
    for k, xs in cols.items():
        n, s = len(xs), sum(xs)
        q = sum(x * x for x in xs)
        var = (n * q - s * s) / (n * (n - 1))
        want = {
            "sum": s if k != "f" else float(s),
            "mean": decimal_text(s / n, scale) if k == "d" else float(s / n),
            "stddev": cr_sqrt(var),
            "distinct": len(set(xs)),
            "missing": missing[k],
        }
        got = fields[k]
        for stat, w in want.items():
            g = got[stat]
            if isinstance(w, float):
                same = float(Decimal(str(g))) == w
            elif isinstance(w, Fraction):
                same = Fraction(Decimal(str(g))) == w
            else:
                same = str(g) == str(w)
            if not same:
                bad += 1
                print(f"{k}.{stat}: report {g}, exact {w}")
        print(f"{k}: {n} values, sum mean stddev distinct missing {'exact' if not bad else 'DIFFER'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
