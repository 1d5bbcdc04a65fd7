#!/usr/bin/env python3
"""Run every cmocka test binary given on the command line; each prints its own
cmocka summary. Exits non-zero if any binary failed; ends with a total line."""
import subprocess
import sys

failed = []
for binary in sys.argv[1:]:
    r = subprocess.run([binary])
    if r.returncode != 0:
        failed.append(binary)
print(f"unit: {len(sys.argv) - 1 - len(failed)} test programs passed, {len(failed)} failed"
      + (": " + " ".join(failed) if failed else ""))
sys.exit(1 if failed else 0)
