# rvalid validate: reports (-o, -f, --errors), quarantine streams, what is checked
# (--limit, --fail-fast, --skip, --only, --samples), -q, and --threads.

# ---- -o X.json: the SPEC 5 model

$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv -o $T/r.json | head -1
  FAILED  4 records: 2 valid, 2 invalid (rules data/rules/people.yaml)

$ python3 -c '
> import json, re, sys
> d = json.load(open(sys.argv[1]))
> print(sorted(d))
> print(d["rvalid"], d["rules_file"], d["inputs"], d["passed"], d["rows"])
> print(bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["started_at"])), d["duration_s"] >= 0, d["threads"] >= 1)
> print([c["id"] for c in d["checks"]])
> c = [c for c in d["checks"] if c["id"] == "age.min"][0]
> print(c)
> print(d["table"], d["fields"]["age"])' $T/r.json
  ['checks', 'duration_s', 'fields', 'inputs', 'passed', 'rows', 'rules_file', 'rvalid', 'started_at', 'table', 'threads']
  {'version': '0.1.0', 'report_format': 1} data/rules/people.yaml ['data/age_bounds.csv'] False {'total': 4, 'valid': 2, 'invalid': 2, 'warned': 0}
  True True True
  ['csv.header', 'csv.ragged', 'csv.quote', 'csv.encoding', 'csv.blank', 'csv.field_size', 'id.required', 'id.type', 'name.required', 'age.type', 'age.min', 'age.max']
  {'id': 'age.min', 'field': 'age', 'severity': 'error', 'passed': False, 'evaluated': 4, 'failed': 1, 'skipped': 0, 'failed_ratio': 0.25, 'message': 'age must be at least 18', 'samples': [{'input': 'data/age_bounds.csv', 'row': 1, 'line': 2, 'value': '17'}]}
  [] {'missing': 0, 'invalid': 0, 'min': 17, 'max': 121}

# -f json puts the report on standard output
$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv -f json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["passed"], d["rows"]["invalid"])'
  False 2

# values are cut at 256 code points, with "truncated": true
$ rvalid validate -r data/rules/names.yaml data/long_value.csv -f json | python3 -c '
> import json, sys
> for c in json.load(sys.stdin)["checks"]:
>     for s in c["samples"]: print(c["id"], s["row"], len(s["value"]), s["value"][:2], s.get("truncated"))'
  name.max_length 1 256 éé True
  name.max_length 2 200 ab None

# ---- -o X.ndjson, --errors FILE: the same stream; -o X.txt: the text summary

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv -o $T/r.ndjson -o $T/r.txt; echo "[$?]"; cat $T/r.ndjson $T/r.txt
  [1]
  {"input":"data/age_bounds.csv","row":1,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"data/age_bounds.csv","row":3,"line":4,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":2}}
  FAILED  4 records: 2 valid, 2 invalid (rules data/rules/people.yaml)
  errors:
    age.min                      1 of 4 failed: age must be at least 18
        row 1 (line 2): '17'
    age.max                      1 of 4 failed: age must be at most 120
        row 3 (line 4): '121'

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv --errors $T/e.ndjson; cmp $T/e.ndjson $T/r.ndjson && echo same
  same

# -f ndjson puts the failure stream on standard output
$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv -f ndjson
  {"input":"data/age_bounds.csv","row":1,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"data/age_bounds.csv","row":3,"line":4,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# with --errors on standard output the text summary goes to standard error
$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --errors - --only age.min
  {"input":"data/age_bounds.csv","row":1,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":3,"invalid":1,"warned":0},"checks_failed":1}}
! FAILED  4 records: 3 valid, 1 invalid (rules data/rules/people.yaml)
! errors:
!   age.min                      1 of 4 failed: age must be at least 18
!       row 1 (line 2): '17'
[1]

# -o - is the summary on standard output, printed once
$ rvalid validate -r data/rules/people.yaml data/clean.csv -o -
  PASSED  3 records: 3 valid, 0 invalid (rules data/rules/people.yaml)

# ---- --max-errors: stop writing lines, counts stay exact

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv --errors - --max-errors 1
  {"input":"data/age_bounds.csv","row":1,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv --errors - --max-errors 0
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# ---- --invalid-rows / --valid-rows: byte for byte, header first, a partition

$ rvalid validate -q -r data/rules/people.yaml data/quoted_newlines.csv --invalid-rows $T/bad.csv --valid-rows $T/good.csv; echo "[$?]"; cat $T/bad.csv; echo ---; cat $T/good.csv
  [1]
  id,name,age
  2,"Bob ""B""
  Jr
  ",17
  3,Cy,121
  ---
  id,name,age
  1,"Ann
  Marie",34

$ (cat $T/good.csv; tail -n +2 $T/bad.csv) | sort | cmp - <(sort data/quoted_newlines.csv) && echo partition
  partition

$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part2.csv --invalid-rows $T/bad.csv --valid-rows $T/good.csv; cat $T/bad.csv; echo ---; cat $T/good.csv
  id,name,age
  2,Bob,17
  3,Cy,121
  5,Ed,16
  ---
  id,name,age
  1,Ann,34
  4,Di,40

# CRLF records stay CRLF
$ rvalid validate -q -r data/rules/people.yaml data/crlf.csv --invalid-rows $T/bad.csv --valid-rows $T/good.csv; od -An -c $T/bad.csv $T/good.csv
     i   d   ,   n   a   m   e   ,   a   g   e  \r  \n   2   ,   B
     o   b   ,   1   7  \r  \n   i   d   ,   n   a   m   e   ,   a
     g   e  \r  \n   1   ,   A   n   n   ,   3   4  \r  \n

# a last record without a line end stays without one, whichever file it goes to
$ rvalid validate -q -r data/rules/people.yaml data/no_final_newline.csv --invalid-rows $T/bad.csv --valid-rows $T/good.csv; od -An -c $T/bad.csv; od -An -c $T/good.csv
     i   d   ,   n   a   m   e   ,   a   g   e  \n   2   ,   B   o
     b   ,   1   7
     i   d   ,   n   a   m   e   ,   a   g   e  \n   1   ,   A   n
     n   ,   3   4  \n

$ rvalid validate -q -r data/rules/people.yaml data/no_final_newline_valid.csv --invalid-rows $T/bad.csv --valid-rows $T/good.csv; od -An -c $T/bad.csv; od -An -c $T/good.csv
     i   d   ,   n   a   m   e   ,   a   g   e  \n   2   ,   B   o
     b   ,   1   7  \n
     i   d   ,   n   a   m   e   ,   a   g   e  \n   1   ,   A   n
     n   ,   3   4  \n   3   ,   C   y   ,   4   0

# --valid-rows - makes rvalid a filter; the summary goes to standard error
$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --valid-rows - 2>/dev/null
  id,name,age
  2,Bob,18
  4,Di,120
[1]

# a closed pipe ends rvalid quietly (nothing on standard error)
$ python3 -c 'print("id,name,age"); [print("%d,n%d,%d" % (i, i, 18 + i % 90)) for i in range(1, 200001)]' > $T/big.csv; rvalid validate -r data/rules/people.yaml $T/big.csv --valid-rows - | head -2
  id,name,age
  1,n1,19

$ rvalid validate -r data/rules/people.yaml $T/big.csv --valid-rows - | head -1; echo "exit ${PIPESTATUS[0]}"
  id,name,age
  exit 141

# ---- output failures: exit 3, no file left; only one stream on standard output

$ rvalid validate -r data/rules/people.yaml data/clean.csv -o $T/no/such/r.json 2>&1 | sed "s|$T|T|"
  rvalid: T/no/such/r.json: No such file or directory

$ rvalid validate -r data/rules/people.yaml data/clean.csv -o $T/no/such/r.json 2>/dev/null
[3]

$ rvalid validate -r data/rules/people.yaml data/clean.csv --errors $T/no/e.ndjson 2>/dev/null
[3]

$ rvalid validate -r data/rules/people.yaml data/clean.csv --invalid-rows $T/no/bad.csv 2>/dev/null
[3]

$ test -e $T/no
[1]

$ rvalid validate -r data/rules/people.yaml data/clean.csv --errors - --valid-rows -
! rvalid validate: only one output can go to standard output
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml data/clean.csv -o - --invalid-rows -
! rvalid validate: only one output can go to standard output
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml data/clean.csv -o - -o -
! rvalid validate: only one output can go to standard output
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml data/clean.csv -o $T/r.pdf
! rvalid validate: cannot tell the format of '.*/r.pdf' from its name \(use .json, .xml, .html, .ndjson or .txt\) (re)
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

# ---- --limit: the first N records of each input

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv --limit 2 --errors -
  {"input":"data/age_bounds.csv","row":1,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part2.csv --limit 1 --errors -
  {"input":"data/part2.csv","row":1,"line":2,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- --fail-fast: stop at the first record that makes the run fail

$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part2.csv --fail-fast --errors -
  {"input":"data/part1.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# with max_invalid 2 (here 1 from the command line) the run fails at the second invalid record
$ rvalid validate -q -r data/rules/max_invalid.yaml data/three_invalid.csv --fail-fast --max-invalid 1 --errors -
  {"input":"data/three_invalid.csv","row":2,"line":3,"id":"n.type","field":"n","severity":"error","value":"x","message":"n must be an int"}
  {"input":"data/three_invalid.csv","row":3,"line":4,"id":"n.type","field":"n","severity":"error","value":"y","message":"n must be an int"}
  {"input":null,"row":null,"line":null,"id":"table.max_invalid","severity":"error","value":"2","expected":"<= 1","message":"at most 1 invalid record"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# warnings do not stop the run, unless --fail-on warn
$ rvalid validate -q -r data/rules/severity.yaml data/severity.csv --fail-fast --errors - | tail -1
  {"summary":{"passed":true,"rows":{"total":5,"valid":5,"invalid":0,"warned":3},"checks_failed":4}}

$ rvalid validate -q -r data/rules/severity.yaml data/severity.csv --fail-fast --fail-on warn --errors -
  {"input":"data/severity.csv","row":2,"line":3,"id":"status.enum","field":"status","severity":"warn","value":"pending","message":"status must be one of 'active', 'closed'"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- --skip / --only (repeatable, FIELD.* allowed)

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv --skip age.min --errors -
  {"input":"data/age_bounds.csv","row":3,"line":4,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":3,"invalid":1,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --skip 'age.*'
  PASSED  4 records: 4 valid, 0 invalid (rules data/rules/people.yaml)

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv --only age.max --only id.type --errors -
  {"input":"data/age_bounds.csv","row":3,"line":4,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":3,"invalid":1,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --only 'name.*'
  PASSED  4 records: 4 valid, 0 invalid (rules data/rules/people.yaml)

# skipped checks are left out of the report
$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --only 'age.*' -f json | python3 -c 'import json, sys; print([c["id"] for c in json.load(sys.stdin)["checks"]])'
  ['csv.header', 'csv.ragged', 'csv.quote', 'csv.encoding', 'csv.blank', 'csv.field_size', 'age.type', 'age.min', 'age.max']

$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --skip age.mni
! rvalid: --skip age.mni: no such check (did you mean 'age.min'?)
[2]

$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --only 'agee.*'
! rvalid: --only agee.*: no such check (did you mean 'age.min'?)
[2]

$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv --skip rules.late
! rvalid: --skip rules.late: no such check in data/rules/people.yaml
[2]

# ---- --samples: failing examples kept per check; counts stay exact

$ rvalid validate -r data/rules/int.yaml data/int_syntax.csv --samples 2
  FAILED  6 records: 2 valid, 4 invalid (rules data/rules/int.yaml)
  errors:
    n.type                       4 of 6 failed: n must be an int
        row 2 (line 3): '+5'
        row 3 (line 4): ' 5'
[1]

$ rvalid validate -r data/rules/int.yaml data/int_syntax.csv --samples 0
  FAILED  6 records: 2 valid, 4 invalid (rules data/rules/int.yaml)
  errors:
    n.type                       4 of 6 failed: n must be an int
[1]

# --samples does not limit --errors
$ rvalid validate -q -r data/rules/int.yaml data/int_syntax.csv --samples 1 --errors - | wc -l
  5

# ---- -q: nothing but errors

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv
[1]

$ rvalid validate -q -r data/rules/people.yaml data/no_such_input.csv
! rvalid: data/no_such_input.csv: No such file or directory
[3]

# ---- the same reports at -j1 and -j4, over an input of several read blocks
# (quoted newlines, missing names and failing ages spread over 150000 records)

$ python3 -c '
> import sys
> w = sys.stdout.write
> w("id,name,age\n")
> for i in range(1, 150001):
>     name = "\"N\n%d\"" % i if i % 11 == 0 else ("" if i % 13 == 0 else "n%d" % i)
>     w("%d,%s,%d\n" % (i, name, 17 if i % 7 == 0 else 18 + i % 90))' > $T/many.csv
> for j in 1 4; do
>   rvalid validate -q -j$j -r data/rules/people.yaml $T/many.csv -o $T/many$j.json --errors $T/many$j.ndjson --invalid-rows $T/bad$j.csv --valid-rows $T/good$j.csv
>   echo "[$?]"
> done
  [1]
  [1]

$ cmp $T/many1.ndjson $T/many4.ndjson && cmp $T/bad1.csv $T/bad4.csv && cmp $T/good1.csv $T/good4.csv && echo same
  same

$ (tail -n +2 $T/good4.csv; tail -n +2 $T/bad4.csv) | sort | cmp - <(tail -n +2 $T/many.csv | sort) && echo partition
  partition

# the same again with chunks of 300 bytes (RVALID_CHUNK_BYTES, for tests), so that chunks are
# cut at line ends inside quoted cells and repaired, and at 4000 bytes at -j1
$ for j in 1 4; do
>   RVALID_CHUNK_BYTES=$((j == 1 ? 4000 : 300)) rvalid validate -q -j$j -r data/rules/people.yaml $T/many.csv -o $T/small$j.json --errors $T/small$j.ndjson --invalid-rows $T/sbad$j.csv
>   echo "[$?]"
> done
  [1]
  [1]

$ cmp $T/many1.ndjson $T/small1.ndjson && cmp $T/many1.ndjson $T/small4.ndjson && cmp $T/bad1.csv $T/sbad4.csv && cmp $T/bad1.csv $T/sbad1.csv && echo same
  same

$ python3 -c '
> import json, sys
> a, b = (json.load(open(p)) for p in sys.argv[1:])
> for d in (a, b):
>     for k in ("started_at", "duration_s", "threads"): del d[k]
> print(a == b)' $T/many1.json $T/small4.json
  True

$ python3 -c '
> import json, sys
> a, b = (json.load(open(p)) for p in sys.argv[1:])
> print(a["threads"], b["threads"])
> for d in (a, b):
>     for k in ("started_at", "duration_s", "threads"): del d[k]
> print(a == b, a["rows"])' $T/many1.json $T/many4.json
  1 4
  True {'total': 150000, 'valid': 119581, 'invalid': 30419, 'warned': 0}

# every failure's row and line are right across block boundaries
$ python3 -c '
> import json, sys
> seen, bad = {}, 0
> for l in open(sys.argv[1]):
>     d = json.loads(l)
>     if "row" not in d: continue
>     r = d["row"]
>     seen[d["id"]] = seen.get(d["id"], 0) + 1
>     want = {"age.min": r % 7 == 0, "name.required": r % 13 == 0 and r % 11 != 0}[d["id"]]
>     bad += not want or d["line"] != 1 + r + (r - 1) // 11
> print(seen, "wrong", bad)' $T/many4.ndjson
  {'age.min': 21428, 'name.required': 10490} wrong 0
