#!/bin/sh
# tsan_engine.sh RVALID: the engine under ThreadSanitizer. Small chunks cut
# inside quoted cells make the merger repair chunks and pull them from the
# pool while workers run; uniqueness with a tiny --memory-limit makes it
# spill and spool. Any race report fails the run (exit 66).
set -eu
rvalid=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/data.csv", "w") as f:
    f.write("id,name,note\n")
    for i in range(20000):
        note = '"l1\nl2, ""q"""' if i % 5 == 0 else "plain"
        f.write("%d,n%d,%s\n" % (i * 7919 % 15000, i, note))
with open(d + "/rules.yaml", "w") as f:
    f.write("fields:\n  id: {type: int, unique: true}\n"
            "  name: {type: str, pattern: '^n[0-9]+$'}\n  note: {type: str, max_length: 12}\n")
PY
for chunk in 64 4096; do
	for j in 2 4; do
		status=0
		RVALID_CHUNK_BYTES=$chunk TSAN_OPTIONS=exitcode=66 "$rvalid" validate -q -j$j \
			--memory-limit 64K -r "$dir/rules.yaml" "$dir/data.csv" \
			--errors "$dir/e.ndjson" -o "$dir/r.json" || status=$?
		if [ "$status" -ne 1 ]; then
			echo "tsan: chunks of $chunk bytes at -j$j: exit $status (1 expected)" >&2
			exit 1
		fi
	done
done
echo "tsan: the engine ran clean (repairs, spills, -j2 and -j4)"
