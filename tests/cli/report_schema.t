# The JSON report against its schema, doc/report.schema.json (SPEC 5): real
# reports of many kinds must validate, and the checker must catch mistakes.

# ---- real reports

# the bundled example: warnings, a row rule, table rows.min and max_invalid as a share,
# int/float/date min and max, a sample with its own message
$ rvalid validate -q -r ../../rules/users.yaml ../../examples/users.csv -o $T/users.json
[1]

# a header failure: a sample with row null, line 1, value null
$ rvalid validate -q -r data/rules/people.yaml data/header_missing.csv -o $T/header.json
[1]

# an empty file: csv.header fails, no records
$ rvalid validate -q -r data/rules/people.yaml data/empty.csv -o $T/empty.json
[1]

# several inputs, each header once, samples naming their input, a duplicate column
$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part2.csv data/header_duplicate.csv -o $T/parts.json
[1]

# structural failures: ragged, blank, unterminated quote (a value with line ends), invalid UTF-8
$ rvalid validate -q -r data/rules/people.yaml data/ragged.csv data/blank_records.csv data/unterminated_quote.csv data/invalid_utf8.csv -o $T/structure.json
[1]

# only warnings: the run passes; then the same under --fail-on warn with one sample each
$ rvalid validate -q -r data/rules/severity.yaml data/severity.csv -o $T/warned.json
$ rvalid validate -q --fail-on warn --samples 1 -r data/rules/severity.yaml data/severity.csv -o $T/fail_on_warn.json
[1]

# table checks: rows min and max, max_invalid as a count
$ rvalid validate -q -r data/rules/table_rows.yaml data/four_rows.csv -o $T/table_rows.json
[1]
$ rvalid validate -q -r data/rules/max_invalid.yaml data/three_invalid.csv -o $T/max_invalid.json
[1]

# table unique on a composite key, with samples
$ printf 'version: 1\nname: unique\nfields:\n  country: {}\n  status: {}\ntable:\n  unique: [country, status]\n' > $T/unique.yaml
$ rvalid validate -q -r $T/unique.yaml ../../examples/users.csv -o $T/table_unique.json
[1]

# float, decimal, date and time bounds; every type's min and max (int extremes, a 31-digit decimal)
$ rvalid validate -q -r data/rules/bounds.yaml data/bounds.csv -o $T/bounds.json
[1]
$ rvalid validate -q -r data/rules/types.yaml data/types_ok.csv -o $T/types.json

# table aggregates: every statistic, in and out of bounds, and observed texts (no values,
# not computed); sums, means, deviations and distinct counts in fields
$ rvalid validate -q -r data/rules/aggregates_out.yaml data/aggregates.csv -o $T/aggregates.json
[1]
$ rvalid validate -q -r data/rules/aggregates_edge.yaml data/aggregates_edge.csv -o $T/aggregates_edge.json
[1]

# a value cut at 256 code points ("truncated": true)
$ rvalid validate -q -r data/rules/names.yaml data/long_value.csv -o $T/truncated.json
[1]

# a passing mostly check with a sample; --no-header; standard input to -f json on standard output
$ rvalid validate -q -r data/rules/mostly.yaml data/mostly_3of4.csv -o $T/mostly.json
$ rvalid validate -q --no-header -r data/rules/names_no_header.yaml data/no_header.csv -o $T/no_header.json
[1]
$ rvalid validate -q -r data/rules/people.yaml -f json - < data/clean.csv > $T/stdin.json

# the reports cover what they are meant to
$ python3 -c '
> import json, sys
> def load(n): return json.load(open(sys.argv[1] + "/" + n + ".json"))
> samples = lambda d: [s for c in d["checks"] + d["table"] for s in c.get("samples", [])]
> print("header:", [(s["row"], s["line"], s["value"]) for s in load("header")["checks"][0]["samples"]])
> print("inputs:", load("parts")["inputs"], load("parts")["checks"][0]["evaluated"])
> print("warned:", load("warned")["passed"], load("warned")["rows"])
> print("table:", [(t["id"], t["observed"], t["expected"]) for t in load("table_rows")["table"] + load("max_invalid")["table"]])
> print("unique:", [(s["row"], s["value"]) for s in load("table_unique")["table"][0]["samples"]])
> print("bounds:", load("bounds")["fields"]["price"], load("bounds")["fields"]["day"])
> print("truncated:", [(len(s["value"]), s.get("truncated")) for s in samples(load("truncated"))])
> print("stdin:", load("stdin")["inputs"], load("stdin")["passed"])' $T
  header: [(None, 1, None)]
  inputs: ['data/part1.csv', 'data/part2.csv', 'data/header_duplicate.csv'] 3
  warned: True {'total': 5, 'valid': 5, 'invalid': 0, 'warned': 3}
  table: [('table.rows.min', 4, '>= 2'), ('table.rows.max', 4, '<= 3'), ('table.max_invalid', 3, '<= 2')]
  unique: [(3, 'GB, active'), (9, 'NO, active')]
  bounds: {'missing': 0, 'invalid': 0, 'min': 0.009, 'max': '99.990000000000000001'} {'missing': 0, 'invalid': 0, 'min': '2023-12-31', 'max': '2025-01-01'}
  truncated: [(256, True), (200, None)]
  stdin: ['-'] True

# every one of them validates
$ python3 ../schema/check_schema.py ../../doc/report.schema.json $T/*.json
  18 passed, 0 failed

# later formats only add keys: unknown keys are accepted everywhere
$ python3 -c 'import json, sys; d = json.load(sys.stdin); d["new"] = 1; d["rows"]["new"] = 1; d["checks"][0]["new"] = {}; d["fields"]["age"]["new"] = []; json.dump(d, sys.stdout)' < $T/users.json > $T/later.json
$ python3 ../schema/check_schema.py ../../doc/report.schema.json $T/later.json
  1 passed, 0 failed

# ---- mistakes the checker catches, each named by its path (edited copies of real reports)

$ python3 -c 'import json, sys; d = json.load(sys.stdin); d["passed"] = "false"; json.dump(d, sys.stdout)' < $T/users.json > $T/bad_passed.json
$ python3 ../schema/check_schema.py ../../doc/report.schema.json $T/bad_passed.json
  .*/bad_passed\.json: \$\.passed: expected boolean, got string "false" (re)
  0 passed, 1 failed
[1]

$ python3 -c 'import json, sys; d = json.load(sys.stdin); del d["rows"]; json.dump(d, sys.stdout)' < $T/users.json > $T/bad_rows.json
$ python3 ../schema/check_schema.py ../../doc/report.schema.json $T/bad_rows.json
  .*/bad_rows\.json: \$\.rows: required key is missing (re)
  0 passed, 1 failed
[1]

$ python3 -c 'import json, sys; d = json.load(sys.stdin); d["rows"]["invalid"] = -1; d["checks"][2]["skipped"] = -3; json.dump(d, sys.stdout)' < $T/users.json > $T/bad_count.json
$ python3 ../schema/check_schema.py ../../doc/report.schema.json $T/bad_count.json
  .*/bad_count\.json: \$\.rows\.invalid: -1 is less than the minimum 0 (re)
  .*/bad_count\.json: \$\.checks\[2\]\.skipped: -3 is less than the minimum 0 (re)
  0 passed, 1 failed
[1]

$ python3 -c 'import json, sys; d = json.load(sys.stdin); d["checks"][11]["samples"][0]["row"] = 0; json.dump(d, sys.stdout)' < $T/parts.json > $T/bad_row.json
$ python3 ../schema/check_schema.py ../../doc/report.schema.json $T/bad_row.json
  .*/bad_row\.json: \$\.checks\[11\]\.samples\[0\]\.row: 0 is less than the minimum 1 (re)
  0 passed, 1 failed
[1]

# a fractional count, a ratio over 1, an unknown severity, another format, truncated false,
# a table id, a field's min of the wrong type, a field without its counts, a missing sample row
$ python3 -c '
> import json, sys
> d = json.load(sys.stdin)
> d["rows"]["total"] = 10.5
> c = d["checks"][7]
> c["failed_ratio"], c["severity"] = 1.5, "fatal"
> c["samples"][0]["truncated"] = False
> del c["samples"][0]["row"]
> d["rvalid"]["report_format"] = 2
> d["table"][0]["id"] = "rows.min"
> d["fields"]["age"]["min"] = None
> del d["fields"]["note"]["missing"]
> json.dump(d, sys.stdout)' < $T/users.json > $T/bad_many.json
$ python3 ../schema/check_schema.py ../../doc/report.schema.json $T/bad_many.json $T/users.json
  .*/bad_many\.json: \$\.rvalid\.report_format: expected 1, got 2 (re)
  .*/bad_many\.json: \$\.rows\.total: expected integer, got number 10\.5 (re)
  .*/bad_many\.json: \$\.checks\[7\]\.severity: "fatal" is not one of "error", "warn" (re)
  .*/bad_many\.json: \$\.checks\[7\]\.failed_ratio: 1\.5 is more than the maximum 1 (re)
  .*/bad_many\.json: \$\.checks\[7\]\.samples\[0\]\.row: required key is missing (re)
  .*/bad_many\.json: \$\.checks\[7\]\.samples\[0\]\.truncated: expected true, got false (re)
  .*/bad_many\.json: \$\.table\[0\]\.id: "rows\.min" does not match the pattern "\^table\\\\\." (re)
  .*/bad_many\.json: \$\.fields\.age\.min: expected number or string, got null null (re)
  .*/bad_many\.json: \$\.fields\.note\.missing: required key is missing (re)
  1 passed, 1 failed
[1]

# a report cut short is not JSON
$ head -c 200 $T/users.json > $T/cut.json; python3 ../schema/check_schema.py ../../doc/report.schema.json $T/cut.json
  .*/cut\.json: \$: not JSON: .* (re)
  0 passed, 1 failed
[1]

# the checker refuses a schema keyword it does not implement, rather than ignore it
$ python3 -c 'import json, sys; s = json.load(sys.stdin); s["properties"]["started_at"]["format"] = "date-time"; json.dump(s, sys.stdout)' < ../../doc/report.schema.json > $T/format.schema.json
$ python3 ../schema/check_schema.py $T/format.schema.json $T/users.json
! check_schema.py: .*/format\.schema\.json: #/properties/started_at: keyword "format" is not implemented by this checker (re)
[2]
