# Bad input gets a clear result, never a hang; interrupted runs leave nothing behind.

# a pattern that backtracks catastrophically ends as a reported failure of that cell
$ rvalid validate -q -r data/robust/catastrophic.yaml data/robust/catastrophic.csv --errors -
  {"input":"data/robust/catastrophic.csv","row":1,"line":2,"id":"s.pattern","field":"s","severity":"error","value":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxyz","message":"pattern exceeded its match limit"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# SIGINT while a read waits on a quiet pipe: rvalid stops at once, exit 130, prints
# nothing, and neither the report nor the streams exist, nor any temporary file.
# (set -m: a script's background job would otherwise ignore SIGINT; the FIFO makes $!
# rvalid itself; the shell's own job notices go to /dev/null.)
$ ( set -m; mkdir $T/int && mkfifo $T/int.fifo
> rvalid validate -r data/robust/ids.yaml $T/int.fifo -o $T/int/r.json --errors $T/int/e.ndjson --valid-rows $T/int/v.csv 2>$T/int.err & pid=$!
> { echo id; echo 1; sleep 5; echo 2; } > $T/int.fifo 2>/dev/null </dev/null & feeder=$!
> sleep 0.5; kill -INT $pid; wait $pid; echo "exit $?"; kill -- -$feeder ) 2>/dev/null; ls -A $T/int; cat $T/int.err
  exit 130

# SIGTERM: exit 143, nothing left either
$ ( set -m; mkdir $T/term && mkfifo $T/term.fifo
> rvalid validate -r data/robust/ids.yaml $T/term.fifo -o $T/term/r.json --errors $T/term/e.ndjson 2>$T/term.err & pid=$!
> { echo id; echo 1; sleep 5; echo 2; } > $T/term.fifo 2>/dev/null </dev/null & feeder=$!
> sleep 0.5; kill -TERM $pid; wait $pid; echo "exit $?"; kill -- -$feeder ) 2>/dev/null; ls -A $T/term; cat $T/term.err
  exit 143

# a report that already exists is left as it was when the run is interrupted
$ ( set -m; mkdir $T/keep && echo old > $T/keep/r.json && mkfifo $T/keep.fifo
> rvalid validate -r data/robust/ids.yaml $T/keep.fifo -o $T/keep/r.json 2>$T/keep.err & pid=$!
> { echo id; echo 1; sleep 5; } > $T/keep.fifo 2>/dev/null </dev/null & feeder=$!
> sleep 0.5; kill -INT $pid; wait $pid; echo "exit $?"; kill -- -$feeder ) 2>/dev/null; cat $T/keep/r.json; ls -A $T/keep; cat $T/keep.err
  exit 130
  old
  r.json

# the second input is missing: exit 3 naming it, and no report is written
$ rvalid validate -r data/robust/ids.yaml data/robust/catastrophic.csv no/such.csv -o $T/partial.json; echo "exit $?"; ls $T/partial.json 2>&1 | sed "s|$T|T|"
! rvalid: no/such.csv: No such file or directory
  exit 3
  ls: cannot access 'T/partial.json': No such file or directory

# ---- chunks cut inside quoted cells: a mapped input is cut at line ends, which may lie inside
# quotes; every record is still read, and a record is "too long" only when one really is
$ python3 -c '
> import sys
> d = sys.argv[1]
> # a quoted cell with a line end, then 1.5 MiB without one, then 64 MiB of short records
> open(d + "/nonl.csv", "wb").write(b"a,b\n\"a\n\"," + b"z" * (3 << 19) + b"\n" + b"2,z\n" * (16 << 20))
> # one record of 70 MiB: a quoted cell without line ends, and one full of them
> open(d + "/long1.csv", "wb").write(b"a,b\n1,\"x\n" + b"y" * (70 << 20) + b"\"\n2,z\n")
> open(d + "/long2.csv", "wb").write(b"a,b\n1,\"x\n" + (b"y" * 1023 + b"\n") * (70 << 10) + b"\"\n2,z\n")
> ' $T && printf 'fields:\n  a: {type: str}\n  b: {type: str}\n' > $T/ab.yaml && echo ready
  ready

$ cd $T && for j in 1 4; do rvalid validate -j$j -r ab.yaml nonl.csv; done
  PASSED  16777217 records: 16777217 valid, 0 invalid (rules ab.yaml)
  PASSED  16777217 records: 16777217 valid, 0 invalid (rules ab.yaml)

$ cd $T && rvalid validate -q -j2 -r ab.yaml long1.csv
! rvalid: long1.csv: a record is longer than 67108864 bytes (see --max-field-size)
[3]

$ cd $T && rvalid validate -q -j2 -r ab.yaml long2.csv
! rvalid: long2.csv: a record is longer than 67108864 bytes (see --max-field-size)
[3]

# --limit and --fail-fast stop before a record that is too long, at any chunk size
$ cd $T && printf 'a,b,c\n1,1,x\n2,2,x\n"' > lim.csv && python3 -c 'import sys; sys.stdout.write("y\n" * (36 << 20))' >> lim.csv &&
> printf 'fields:\n  a: {type: int, max: 1}\n  b: {type: str}\n  c: {type: str}\n' > abc.yaml &&
> for o in '--limit 1' '--limit 2' --fail-fast; do for c in 1048576 12; do
>   RVALID_CHUNK_BYTES=$c rvalid validate -q $o -r abc.yaml lim.csv; echo "$o $c: exit $?"; done; done
  --limit 1 1048576: exit 0
  --limit 1 12: exit 0
  --limit 2 1048576: exit 1
  --limit 2 12: exit 1
  --fail-fast 1048576: exit 1
  --fail-fast 12: exit 1

# every record a quoted cell that is a line end: a window of 1 MiB holds a whole number of
# them, so every cut of a window started inside quotes falls inside quotes too. Repairs stay
# small (the reader starts again where the merger finds a record start): memory stays flat
$ cd $T && python3 -c '
> with open("per.csv", "w") as f:
>     f.write("a\nx\n")  # the records start 2 bytes after the first window
>     for _ in range(96):
>         f.write("\"\n\"\n" * (1 << 18))' && printf 'fields:\n  a: {type: str}\n' > a.yaml && python3 -c '
> import resource, subprocess
> p = subprocess.run(["rvalid", "validate", "-j2", "-r", "a.yaml", "per.csv"], capture_output=True, text=True)
> print(p.stdout.strip(), p.returncode)
> print("flat" if resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 100 * 1024 else "grew")'
  PASSED  25165825 records: 25165825 valid, 0 invalid (rules a.yaml) 0
  flat

# a last record of exactly 64 MiB without a line end is not too long, read mapped or from a
# pipe; one byte more is
$ cd $T && python3 -c 'open("e64.csv", "w").write("a\n" + "x" * (64 << 20))' && printf 'fields:\n  a: {type: str}\n' > e.yaml &&
> rvalid validate -q --only csv.field_size -r e.yaml e64.csv; echo "file: exit $?"; rvalid validate -q --only csv.field_size -r e.yaml - < e64.csv; echo "pipe: exit $?"
> echo x >> e64.csv; truncate -s -1 e64.csv; rvalid validate -q -r e.yaml e64.csv; echo "file: exit $?"; cat e64.csv | rvalid validate -q -r e.yaml -; echo "pipe: exit $?"
  file: exit 1
  pipe: exit 1
! rvalid: e64.csv: a record is longer than 67108864 bytes (see --max-field-size)
  file: exit 3
! rvalid: -: a record is longer than 67108864 bytes (see --max-field-size)
  pipe: exit 3

$ rm $T/nonl.csv $T/long1.csv $T/long2.csv $T/lim.csv $T/per.csv $T/e64.csv
