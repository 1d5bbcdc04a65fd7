# rvalid validate: whole-table checks. Aggregates (table: aggregates) in and out of their
# bounds, missing as a count and as a share, distinct counts, the edge cases (no values, a
# decimal too long to sum); uniqueness under --memory-limit, where the key sets spill to
# temporary files and every answer must stay the same. Every output is compared at -j1 and -j4.

# ---- aggregates within their bounds (qty has one cell that is not an int: it is left out)

$ rvalid validate -r data/rules/aggregates.yaml data/aggregates.csv --max-invalid 1
  PASSED  8 records: 7 valid, 1 invalid (rules data/rules/aggregates.yaml)
  errors:
    qty.type                     1 of 7 failed: qty must be an int
        row 7 (line 8): 'x'
  table:
    table.agg.qty.min            passed: observed 3, expected >= 1
    table.agg.qty.max            passed: observed 12, expected <= 12
    table.agg.qty.sum            passed: observed 45, expected >= 45 and <= 45
    table.agg.qty.mean           passed: observed 7.5, expected >= 7.5 and <= 7.5
    table.agg.qty.stddev         passed: observed 3.2710854467592254, expected >= 3 and <= 3.5
    table.agg.qty.missing        passed: observed 1, expected <= 1
    table.agg.price.sum          passed: observed 158.375, expected >= 158.375 and <= 158.375
    table.agg.price.mean         passed: observed 22.625, expected <= 22.625
    table.agg.price.min          passed: observed 3.5, expected >= 3.5
    table.agg.price.max          passed: observed 100, expected <= 1e2
    table.agg.score.sum          passed: observed 103.35, expected >= 100
    table.agg.score.mean         passed: observed 14.764285714285714, expected <= 20
    table.agg.score.stddev       passed: observed 37.597237423842216, expected <= 40
    table.agg.city.distinct      passed: observed 3, expected >= 3 and <= 3
    table.agg.city.missing       passed: observed 1, expected <= 20%
    table.agg.code.distinct      passed: observed 4, expected <= 4
    table.agg.code.missing       passed: observed 1, expected <= 12.5%

# ---- each just outside: the report, and one NDJSON line per failing table check

$ rvalid validate -r data/rules/aggregates_out.yaml data/aggregates.csv --max-invalid 1
  FAILED  8 records: 7 valid, 1 invalid (rules data/rules/aggregates_out.yaml)
  errors:
    qty.type                     1 of 7 failed: qty must be an int
        row 7 (line 8): 'x'
  table:
    table.agg.qty.min            FAILED: observed 3, expected >= 4
    table.agg.qty.max            FAILED: observed 12, expected <= 11
    table.agg.qty.sum            FAILED: observed 45, expected <= 44
    table.agg.qty.mean           FAILED: observed 7.5, expected >= 7.6
    table.agg.qty.stddev         FAILED: observed 3.2710854467592254, expected <= 3.27
    table.agg.qty.missing        FAILED: observed 1, expected <= 0
    table.agg.price.sum          FAILED: observed 158.375, expected <= 158.374
    table.agg.price.mean         FAILED: observed 22.625, expected >= 22.626
    table.agg.price.min          FAILED: observed 3.5, expected <= 3.4999999999999999999999
    table.agg.price.max          FAILED: observed 100, expected >= 100.0000000000000000000001
    table.agg.score.sum          FAILED: observed 103.35, expected <= 103.34
    table.agg.score.mean         FAILED: observed 14.764285714285714, expected >= 15
    table.agg.score.stddev       FAILED: observed 37.597237423842216, expected >= 37.6
    table.agg.score.min          FAILED: observed -0.5, expected >= 0
    table.agg.score.max          FAILED: observed 100, expected <= 99.5
    table.agg.city.distinct      FAILED: observed 3, expected <= 2
    table.agg.city.missing       FAILED: observed 1, expected <= 0%
    table.agg.code.distinct      FAILED: observed 4, expected >= 5
    table.agg.code.missing       FAILED: observed 1, expected >= 12.6% and <= 50%
[1]

$ rvalid validate -q -r data/rules/aggregates_out.yaml data/aggregates.csv --max-invalid 1 --errors -
  {"input":"data/aggregates.csv","row":7,"line":8,"id":"qty.type","field":"qty","severity":"error","value":"x","message":"qty must be an int"}
  {"input":null,"row":null,"line":null,"id":"table.agg.qty.min","severity":"error","value":"3","expected":">= 4","message":"min of qty at least 4"}
  {"input":null,"row":null,"line":null,"id":"table.agg.qty.max","severity":"error","value":"12","expected":"<= 11","message":"max of qty at most 11"}
  {"input":null,"row":null,"line":null,"id":"table.agg.qty.sum","severity":"error","value":"45","expected":"<= 44","message":"sum of qty at most 44"}
  {"input":null,"row":null,"line":null,"id":"table.agg.qty.mean","severity":"error","value":"7.5","expected":">= 7.6","message":"mean of qty at least 7.6"}
  {"input":null,"row":null,"line":null,"id":"table.agg.qty.stddev","severity":"error","value":"3.2710854467592254","expected":"<= 3.27","message":"stddev of qty at most 3.27"}
  {"input":null,"row":null,"line":null,"id":"table.agg.qty.missing","severity":"error","value":"1","expected":"<= 0","message":"missing of qty at most 0"}
  {"input":null,"row":null,"line":null,"id":"table.agg.price.sum","severity":"error","value":"158.375","expected":"<= 158.374","message":"sum of price at most 158.374"}
  {"input":null,"row":null,"line":null,"id":"table.agg.price.mean","severity":"error","value":"22.625","expected":">= 22.626","message":"mean of price at least 22.626"}
  {"input":null,"row":null,"line":null,"id":"table.agg.price.min","severity":"error","value":"3.5","expected":"<= 3.4999999999999999999999","message":"min of price at most 3.4999999999999999999999"}
  {"input":null,"row":null,"line":null,"id":"table.agg.price.max","severity":"error","value":"100","expected":">= 100.0000000000000000000001","message":"max of price at least 100.0000000000000000000001"}
  {"input":null,"row":null,"line":null,"id":"table.agg.score.sum","severity":"error","value":"103.35","expected":"<= 103.34","message":"sum of score at most 103.34"}
  {"input":null,"row":null,"line":null,"id":"table.agg.score.mean","severity":"error","value":"14.764285714285714","expected":">= 15","message":"mean of score at least 15"}
  {"input":null,"row":null,"line":null,"id":"table.agg.score.stddev","severity":"error","value":"37.597237423842216","expected":">= 37.6","message":"stddev of score at least 37.6"}
  {"input":null,"row":null,"line":null,"id":"table.agg.score.min","severity":"error","value":"-0.5","expected":">= 0","message":"min of score at least 0"}
  {"input":null,"row":null,"line":null,"id":"table.agg.score.max","severity":"error","value":"100","expected":"<= 99.5","message":"max of score at most 99.5"}
  {"input":null,"row":null,"line":null,"id":"table.agg.city.distinct","severity":"error","value":"3","expected":"<= 2","message":"distinct of city at most 2"}
  {"input":null,"row":null,"line":null,"id":"table.agg.city.missing","severity":"error","value":"1","expected":"<= 0%","message":"missing of city at most 0%"}
  {"input":null,"row":null,"line":null,"id":"table.agg.code.distinct","severity":"error","value":"4","expected":">= 5","message":"distinct of code at least 5"}
  {"input":null,"row":null,"line":null,"id":"table.agg.code.missing","severity":"error","value":"1","expected":">= 12.6% and <= 50%","message":"missing of code at least 12.6% and at most 50%"}
  {"summary":{"passed":false,"rows":{"total":8,"valid":7,"invalid":1,"warned":0},"checks_failed":20}}
[1]

# ---- the JSON report: observed values in `table`, the statistics in `fields`

$ rvalid validate -q -j1 -r data/rules/aggregates.yaml data/aggregates.csv --max-invalid 1 -o $T/agg1.json
$ rvalid validate -q -j4 -r data/rules/aggregates.yaml data/aggregates.csv --max-invalid 1 -o $T/agg4.json
$ python3 -c '
> import json, sys
> a, b = (json.load(open(sys.argv[1] + n)) for n in ("/agg1.json", "/agg4.json"))
> for d in (a, b): d.pop("duration_s"); d.pop("threads"); d.pop("started_at")
> print("-j1 == -j4:", a == b)
> for t in a["table"]: print(t["id"], json.dumps(t["observed"]), t["passed"])
> for f in ("qty", "price", "score", "city"): print(f, json.dumps(a["fields"][f], sort_keys=True))' $T
  -j1 == -j4: True
  table.agg.qty.min 3 True
  table.agg.qty.max 12 True
  table.agg.qty.sum 45 True
  table.agg.qty.mean 7.5 True
  table.agg.qty.stddev 3.2710854467592254 True
  table.agg.qty.missing 1 True
  table.agg.price.sum 158.375 True
  table.agg.price.mean 22.625 True
  table.agg.price.min 3.5 True
  table.agg.price.max 100 True
  table.agg.score.sum 103.35 True
  table.agg.score.mean 14.764285714285714 True
  table.agg.score.stddev 37.597237423842216 True
  table.agg.city.distinct 3 True
  table.agg.city.missing 1 True
  table.agg.code.distinct 4 True
  table.agg.code.missing 1 True
  qty {"invalid": 1, "max": 12, "mean": 7.5, "min": 3, "missing": 1, "stddev": 3.2710854467592254, "sum": 45}
  price {"invalid": 0, "max": 100, "mean": 22.625, "min": 3.5, "missing": 1, "sum": 158.375}
  score {"invalid": 0, "max": 100, "mean": 14.764285714285714, "min": -0.5, "missing": 1, "stddev": 37.597237423842216, "sum": 103.35}
  city {"distinct": 3, "invalid": 0, "missing": 1}

# ---- edge cases: no values, one value, a decimal of more than 38 digits

$ rvalid validate -r data/rules/aggregates_edge.yaml data/aggregates_edge.csv
  FAILED  3 records: 3 valid, 0 invalid (rules data/rules/aggregates_edge.yaml)
  table:
    table.agg.amount.sum         FAILED: observed not computed, expected >= 0
    table.agg.amount.max         FAILED: observed not computed, expected >= 0
    table.agg.amount.distinct    passed: observed 3, expected >= 3 and <= 3
    table.agg.empty.mean         FAILED: observed no values, expected >= 0
    table.agg.empty.min          FAILED: observed no values, expected >= 0
    table.agg.empty.sum          passed: observed 0, expected <= 0
    table.agg.empty.missing      passed: observed 3, expected >= 3 and <= 100%
    table.agg.one.stddev         FAILED: observed fewer than 2 values, expected <= 1
    table.agg.one.mean           passed: observed 5, expected >= 5 and <= 5
[1]

$ rvalid validate -q -r data/rules/aggregates_edge.yaml data/aggregates_edge.csv --errors -
  {"input":null,"row":null,"line":null,"id":"table.agg.amount.sum","severity":"error","value":"not computed","expected":">= 0","message":"sum of amount cannot be computed exactly: row 1 of data/aggregates_edge.csv has a decimal of more than 38 digits"}
  {"input":null,"row":null,"line":null,"id":"table.agg.amount.max","severity":"error","value":"not computed","expected":">= 0","message":"max of amount cannot be computed exactly: row 1 of data/aggregates_edge.csv has a decimal of more than 38 digits"}
  {"input":null,"row":null,"line":null,"id":"table.agg.empty.mean","severity":"error","value":"no values","expected":">= 0","message":"mean of empty at least 0"}
  {"input":null,"row":null,"line":null,"id":"table.agg.empty.min","severity":"error","value":"no values","expected":">= 0","message":"min of empty at least 0"}
  {"input":null,"row":null,"line":null,"id":"table.agg.one.stddev","severity":"error","value":"fewer than 2 values","expected":"<= 1","message":"stddev of one at most 1"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":3,"invalid":0,"warned":0},"checks_failed":5}}
[1]

# ---- --skip leaves an aggregate out; the rest still run

$ rvalid validate -q -r data/rules/aggregates_edge.yaml data/aggregates_edge.csv --skip 'table.agg.amount.*' --skip table.agg.empty.mean --skip table.agg.empty.min --skip table.agg.one.stddev

# ---- uniqueness that spills: 64K is far less than the key sets need (80,000 records, two
# chunks of input: keys decided in memory, in partitions, and across chunks)

$ awk 'BEGIN { print "id,region,account,amount"; s = 1;
>   for (i = 1; i <= 80000; i++) { s = (s * 69069 + 1) % 4294967296; r = int(s / 65536);
>     printf "%d,%s,%d,%d.%02d\n", r % 60000 + 1, (r % 5 == 0 ? "" : (r % 2 ? "north" : "south")),
>            int(r / 8) % 1500, r % 500, int(r / 3) % 100 } }' > $T/keys.csv
$ head -3 $T/keys.csv
  id,region,account,amount
  2,north,0,1.00
  7258,north,907,257.19

# in memory (the default 1G) at -j1, then spilled at -j1 and -j4, and spilled with nothing
# in memory at all: the reports (apart from timings), --errors, --invalid-rows and
# --valid-rows are the same
$ for run in "1 1G" "1 64K" "4 64K" "4 0"; do set -- $run
>   rvalid validate -q -j$1 --memory-limit $2 -r data/rules/keys.yaml $T/keys.csv -o $T/k-$1-$2.json \
>     --errors $T/k-$1-$2.ndjson --invalid-rows $T/k-$1-$2.bad --valid-rows $T/k-$1-$2.good
>   echo "exit $?"
>   sed -E '/"(started_at|duration_s|threads)"/d' $T/k-$1-$2.json > $T/k-$1-$2.cmp
> done
  exit 1
  exit 1
  exit 1
  exit 1
$ for run in 1-64K 4-64K 4-0; do for ext in cmp ndjson bad good; do
>   cmp $T/k-1-1G.$ext $T/k-$run.$ext || echo "differs: $run $ext"; done; done

# without --errors or quarantine files, what no sample needs is not kept: the same report;
# and --max-errors, --samples 0 and --samples 20 keep what they should
$ rvalid validate -q -j4 --memory-limit 64K -r data/rules/keys.yaml $T/keys.csv -o $T/k-quiet.json
[1]
$ sed -E '/"(started_at|duration_s|threads)"/d' $T/k-quiet.json | cmp - $T/k-1-1G.cmp && echo same
  same
$ for s in 0 20; do for m in 1G 64K; do
>   rvalid validate -q -j4 --memory-limit $m --samples $s --max-errors 7 -r data/rules/keys.yaml $T/keys.csv -o $T/s-$s-$m.json --errors $T/s-$s-$m.ndjson
>   sed -E '/"(started_at|duration_s|threads)"/d' $T/s-$s-$m.json > $T/s-$s-$m.cmp; done
>   cmp $T/s-$s-1G.cmp $T/s-$s-64K.cmp && cmp $T/s-$s-1G.ndjson $T/s-$s-64K.ndjson && echo "samples $s: same, $(wc -l < $T/s-$s-64K.ndjson) lines"; done
  samples 0: same, 8 lines
  samples 20: same, 8 lines

# what they say: the duplicates in row order, each naming the row it repeats
$ grep -c unique $T/k-4-64K.ndjson
  97658
$ grep unique $T/k-4-64K.ndjson | head -4 | sed 's|"input":"[^"]*"|"input":"keys.csv"|'
  {"input":"keys.csv","row":64,"line":65,"id":"table.unique.region+account","severity":"error","value":"south, 704","message":"duplicate of row 23"}
  {"input":"keys.csv","row":82,"line":83,"id":"table.unique.region+account","severity":"error","value":"north, 133","message":"duplicate of row 37"}
  {"input":"keys.csv","row":97,"line":98,"id":"table.unique.region+account","severity":"error","value":"south, 229","message":"duplicate of row 21"}
  {"input":"keys.csv","row":131,"line":132,"id":"table.unique.region+account","severity":"error","value":"north, 907","message":"duplicate of row 2"}
$ wc -l < $T/k-4-64K.bad
  68337
$ python3 -c '
> import json, sys
> d = json.load(open(sys.argv[1]))
> print([(c["id"], c["evaluated"], c["failed"], c["skipped"]) for c in d["checks"] if c["id"] == "id.unique"])
> for t in d["table"]: print(t["id"], t["observed"], t["passed"], [(s["row"], s["value"], s["message"]) for s in t.get("samples", [])[:3]])
> print(d["rows"], d["fields"]["account"])' $T/k-4-64K.json
  [('id.unique', 80000, 36478, 0)]
  table.unique.region+account 61180 False [(64, 'south, 704', 'duplicate of row 23'), (82, 'north, 133', 'duplicate of row 37'), (97, 'south, 229', 'duplicate of row 21')]
  table.agg.account.distinct 1500 True []
  table.agg.amount.distinct 1500 True []
  table.agg.amount.sum 19968712.88 True []
  {'total': 80000, 'valid': 11664, 'invalid': 68336, 'warned': 0} {'missing': 0, 'invalid': 0, 'min': 0, 'max': 1499, 'distinct': 1500}

# the counts agree with counting by other means: failures = sum of (occurrences - 1)
$ tail -n +2 $T/keys.csv | cut -d, -f1 | sort | uniq -c | awk '{ d += $1 - 1 } END { print d }'
  36478
$ tail -n +2 $T/keys.csv | cut -d, -f2,3 | grep -v '^,' | sort | uniq -c | awk '{ d += $1 - 1 } END { print d }'
  61180

# standard input cannot be read twice, and need not be: the same answers
$ rvalid validate -q -j4 --memory-limit 64K -r data/rules/keys.yaml - < $T/keys.csv --invalid-rows $T/stdin.bad --errors $T/stdin.ndjson
[1]
$ cmp $T/k-1-1G.bad $T/stdin.bad && sed 's/"input":"-"/"input":"X"/' $T/stdin.ndjson | md5sum && sed 's|"input":"[^"]*keys.csv"|"input":"X"|' $T/k-1-1G.ndjson | md5sum
  cd92d2c6634a78d940b547d2bdd12040  -
  cd92d2c6634a78d940b547d2bdd12040  -

# several inputs are one dataset: a duplicate in the second names the row in the first
$ head -40001 $T/keys.csv > $T/part1.csv && (head -1 $T/keys.csv; tail -n +40002 $T/keys.csv) > $T/part2.csv
$ cd $T && for m in 1G 64K; do rvalid validate -q -j4 --memory-limit $m -r $OLDPWD/data/rules/keys.yaml part1.csv part2.csv --errors parts-$m.ndjson; done; cmp parts-1G.ndjson parts-64K.ndjson && grep -m2 'of part1.csv' parts-64K.ndjson
  {"input":"part2.csv","row":1,"line":2,"id":"table.unique.region+account","severity":"error","value":"north, 318","message":"duplicate of row 8115 of part1.csv"}
  {"input":"part2.csv","row":2,"line":3,"id":"table.unique.region+account","severity":"error","value":"north, 1289","message":"duplicate of row 2720 of part1.csv"}

# ---- exact: 90,000 records in three chunks, merged at -j1 and -j4 and with the distinct sets
# on disk, give the same report, and every statistic equals exact rational arithmetic

$ awk 'BEGIN { print "i,d,f"; s = 7;
>   for (k = 1; k <= 90000; k++) { s = (s * 69069 + 1) % 4294967296; r = int(s / 256);
>     printf "%s,%s,%s\n", (r % 53 == 0 ? "" : (r % 2 ? "-" : "") (r % 100000) * 997),
>       (r % 47 == 0 ? "" : (r % 3 ? "" : "-") int(r / 7) % 100000 "." sprintf("%0" (r % 4 + 1) "d", r % 10000 % (10 ^ (r % 4 + 1)))),
>       (r % 41 == 0 ? "" : (r % 5 ? "" : "-") (r % 1000) "." (r % 97) "e" (r % 9 - 4)) } }' > $T/numbers.csv
$ for run in "1 1G" "4 1G" "4 0"; do set -- $run
>   rvalid validate -q -j$1 --memory-limit $2 -r data/rules/numbers.yaml $T/numbers.csv -o $T/n-$1-$2.json
>   sed -E '/"(started_at|duration_s|threads)"/d' $T/n-$1-$2.json > $T/n-$1-$2.cmp; done
$ cmp $T/n-1-1G.cmp $T/n-4-1G.cmp && cmp $T/n-1-1G.cmp $T/n-4-0.cmp && python3 agg_exact.py $T/numbers.csv $T/n-4-0.json
  i: 88277 values, sum mean stddev distinct missing exact
  d: 88071 values, sum mean stddev distinct missing exact
  f: 87855 values, sum mean stddev distinct missing exact
$ python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["fields"]))' $T/n-1-1G.json
  {"i": {"missing": 1723, "invalid": 0, "min": -99699003, "max": 99696012, "sum": -3758128689, "mean": -42572.00277535485, "stddev": 57496622.209378615, "distinct": 58646}, "d": {"missing": 1929, "invalid": 0, "min": -99989.9927, "max": 99995.8, "sum": 1467223090.4573, "mean": "16659.548437707077244496", "stddev": 55337.26738486084, "distinct": 84967}, "f": {"missing": 2145, "invalid": 0, "min": -9959600, "max": 9997300, "sum": 33706385923.79972, "mean": 383659.2786272804, "stddev": 1901043.2700999037, "distinct": 81750}}

# ---- typed keys: 007 and 7 are one int, 1.50 and 1.500 one decimal; text compares bytes; an
# ill-typed cell (+8) and a missing part (no region) are left out; the same with nothing in memory

$ rvalid validate -q -j4 -r data/rules/unique_typed.yaml data/unique_typed.csv --errors -
  {"input":"data/unique_typed.csv","row":2,"line":3,"id":"id.unique","field":"id","severity":"error","value":"007","message":"duplicate of row 1"}
  {"input":"data/unique_typed.csv","row":2,"line":3,"id":"price.unique","field":"price","severity":"error","value":"1.5","message":"duplicate of row 1"}
  {"input":"data/unique_typed.csv","row":2,"line":3,"id":"table.unique.region+account","severity":"error","value":"north, 01","message":"duplicate of row 1"}
  {"input":"data/unique_typed.csv","row":4,"line":5,"id":"id.type","field":"id","severity":"error","value":"+8","message":"id must be an int"}
  {"input":"data/unique_typed.csv","row":4,"line":5,"id":"code.unique","field":"code","severity":"error","value":"007","message":"duplicate of row 1"}
  {"input":"data/unique_typed.csv","row":4,"line":5,"id":"price.unique","field":"price","severity":"error","value":"2.0","message":"duplicate of row 3"}
  {"input":"data/unique_typed.csv","row":5,"line":6,"id":"price.unique","field":"price","severity":"error","value":"1.500","message":"duplicate of row 1"}
  {"input":"data/unique_typed.csv","row":5,"line":6,"id":"table.unique.region+account","severity":"error","value":"north, 1","message":"duplicate of row 1"}
  {"input":null,"row":null,"line":null,"id":"table.agg.id.distinct","severity":"error","value":"3","expected":"<= 2","message":"distinct of id at most 2"}
  {"summary":{"passed":false,"rows":{"total":5,"valid":2,"invalid":3,"warned":0},"checks_failed":6}}
[1]
$ for m in 1G 0; do rvalid validate -q -j1 --memory-limit $m -r data/rules/unique_typed.yaml data/unique_typed.csv --errors $T/typed-$m.ndjson; done; cmp $T/typed-1G.ndjson $T/typed-0.ndjson && echo same
  same

# ---- every aggregate case, at -j1 and -j4: the same --errors and reports

$ for r in aggregates aggregates_out aggregates_edge; do d=data/aggregates.csv; [ $r = aggregates_edge ] && d=data/aggregates_edge.csv
>   for j in 1 4; do rvalid validate -q -j$j -r data/rules/$r.yaml $d --max-invalid 1 --errors $T/$r-$j.ndjson -o $T/$r-$j.json
>     sed -E '/"(started_at|duration_s|threads)"/d' $T/$r-$j.json > $T/$r-$j.cmp; done
>   cmp $T/$r-1.ndjson $T/$r-4.ndjson && cmp $T/$r-1.cmp $T/$r-4.cmp && echo "$r: same"; done
  aggregates: same
  aggregates_out: same
  aggregates_edge: same

# ---- temporary files go to $TMPDIR and none is left behind (they are unlinked when made);
# a folder that cannot take them is an input/output error

$ mkdir $T/tmp && TMPDIR=$T/tmp rvalid validate -q --memory-limit 0 -r data/rules/unique_typed.yaml data/unique_typed.csv; echo "exit $?"; ls -A $T/tmp | wc -l
  exit 1
  0
$ TMPDIR=$T/missing rvalid validate -q --memory-limit 0 -r data/rules/unique_typed.yaml data/unique_typed.csv
! rvalid: .*/missing: cannot create a temporary file: No such file or directory (re)
[3]

# ---- --memory-limit takes a size

$ rvalid validate --memory-limit lots -r data/rules/keys.yaml data/clean.csv
! rvalid validate: --memory-limit takes a size like 512M or 1G, not 'lots'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

# --fail-fast with a count: duplicates are left out of the count it stops on, wherever chunks
# are cut (rows 3 and 5 fail their own checks; row 2 is a duplicate), and count in the verdict
$ cd $T && printf 'a,b\n1,x\n1,x\nz,x\n2,x\ny,x\n3,x\n' > ff.csv && printf 'fields:\n  a: {type: int, unique: true}\n  b: {type: str}\n' > ff.yaml &&
> for c in 1048576 4; do for j in 1 3; do
>   RVALID_CHUNK_BYTES=$c rvalid validate -q -j$j -r ff.yaml --fail-fast --max-invalid 1 ff.csv --errors - | tail -1; done; done
  {"summary":{"passed":false,"rows":{"total":5,"valid":2,"invalid":3,"warned":0},"checks_failed":2}}
  {"summary":{"passed":false,"rows":{"total":5,"valid":2,"invalid":3,"warned":0},"checks_failed":2}}
  {"summary":{"passed":false,"rows":{"total":5,"valid":2,"invalid":3,"warned":0},"checks_failed":2}}
  {"summary":{"passed":false,"rows":{"total":5,"valid":2,"invalid":3,"warned":0},"checks_failed":2}}
