#!/usr/bin/env python3
"""Generate a wide rule file and data for report scale tests: FIELDS int fields with four
checks each (required, type, min, max: 10,000 checks for 2,500 fields) and ROWS records in
which every cell fails exactly one of its field's checks (1,000,000 failures for 400 rows).
How often each check fails varies by field, so the chart has a shape.

    gen_wide.py DIR [--fields N] [--rows N]   writes DIR/wide.yaml and DIR/wide.csv
"""
import argparse
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--fields", type=int, default=2500)
    ap.add_argument("--rows", type=int, default=400)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    names = [f"f{i:04d}" for i in range(a.fields)]
    with open(os.path.join(a.dir, "wide.yaml"), "w") as f:
        f.write("version: 1\nname: wide\nfields:\n")
        for n in names:
            f.write(f"  {n}: {{type: int, required: true, min: 10, max: 20}}\n")
    # the value that fails each check: min, max, type, required
    bad = ["5", "99", "x", ""]
    with open(os.path.join(a.dir, "wide.csv"), "w") as f:
        f.write(",".join(names) + "\n")
        for r in range(a.rows):
            cells = []
            for c in range(a.fields):
                # field c fails min in its first (c % 9 + 1) / 10 of the rows, then the others in turn
                if r * 10 < a.rows * (c % 9 + 1):
                    cells.append(bad[0])
                else:
                    cells.append(bad[1 + (r + c) % 3])
            f.write(",".join(cells) + "\n")


if __name__ == "__main__":
    main()
