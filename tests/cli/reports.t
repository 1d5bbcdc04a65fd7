# The JUnit XML and HTML reports (SPEC 5): -o X.xml, -o X.html, -f junit, -f html. Every JUnit
# report validates against doc/junit.xsd (xmllint), and both agree with the JSON report of the
# same run (reports_agree.py: counts, verdict, samples); the HTML needs no network.

# ---- one run, every format

$ rvalid validate -q -r ../../rules/users.yaml ../../examples/users.csv -o $T/users.json -o $T/users.xml -o $T/users.html -o $T/users.txt
[1]

$ xmllint --noout --schema ../../doc/junit.xsd $T/users.xml 2>&1 | sed "s|$T/||"
  users.xml validates

$ python3 reports_agree.py $T/users.json $T/users.xml $T/users.html
  junit: 24 tests, 8 failures, 0 skipped: as in the JSON report
  html: 9 cards, 9 samples, 13 passing: as in the JSON report

# a failed check: the counts and samples in the failure; a warning passes with system-out
$ grep -A6 'name="user_id.unique"' $T/users.xml
      <testcase classname="rvalid.user_id" name="user_id.unique" time="0">
        <failure message="user_id must be unique" type="user_id.unique">1 of 10 failed (ratio 0.1), 0 skipped: user_id must be unique
  the first 1 failure, in row order:
    ../../examples/users.csv row 7 (line 8): '100001' (duplicate of row 1)
  </failure>
      </testcase>
      <testcase classname="rvalid.email" name="email.required" time="0"/>

$ grep -A5 'name="status.required"' $T/users.xml
      <testcase classname="rvalid.status" name="status.required" time="0">
        <system-out>warning: 1 of 10 failed (ratio 0.1), 0 skipped: status is required
  the first 1 failure, in row order:
    ../../examples/users.csv row 10 (line 11): ''
  </system-out>
      </testcase>

$ grep -A3 'name="table.max_invalid"' $T/users.xml
      <testcase classname="rvalid.table" name="table.max_invalid" time="0">
        <failure message="at most 1% invalid records" type="table.max_invalid">observed 5, expected &lt;= 1%: at most 1% invalid records
  </failure>
      </testcase>

$ sed -n 1,3p $T/users.xml | sed 's/time="[0-9.]*" timestamp="[^"]*"/TIME/'
  <?xml version="1.0" encoding="UTF-8"?>
  <testsuites name="rvalid" tests="24" failures="8" errors="0" skipped="0" TIME>
    <testsuite name="rvalid: ../../rules/users.yaml" tests="24" failures="8" errors="0" skipped="0" TIME>

# the HTML: the verdict first, one inline script, no network
$ grep -c -e '<script' -e 'http://' -e 'https://' -e ' src=' $T/users.html
  1
$ grep -o '<header id="verdict" class="fail"><div class="wrap">' $T/users.html
  <header id="verdict" class="fail"><div class="wrap">
$ grep -o '<h1>.*</h1>' $T/users.html
  <h1>FAILED<small>5 of 10 records invalid</small></h1>

# ---- -f junit and -f html: the report on standard output, no summary besides

$ rvalid validate -r ../../rules/users.yaml ../../examples/users.csv -f junit | xmllint --noout --schema ../../doc/junit.xsd - 2>&1
  - validates

$ rvalid validate -r data/rules/people.yaml data/clean.csv -f html | grep -o -e '^<!DOCTYPE html>' -e '<h1>.*</h1>'
  <!DOCTYPE html>
  <h1>PASSED<small>3 records, all valid</small></h1>

# -o - takes -f; upper-case and .htm extensions
$ rvalid validate -r data/rules/people.yaml data/clean.csv -f junit -o - | head -2 | tail -1 | cut -c1-50
  <testsuites name="rvalid" tests="12" failures="0" 
$ rvalid validate -q -r data/rules/people.yaml data/clean.csv -o $T/UPPER.XML -o $T/page.htm; head -c 15 $T/page.htm; echo; xmllint --noout $T/UPPER.XML && echo well-formed
  <!DOCTYPE html>
  well-formed

$ rvalid validate -r data/rules/people.yaml data/clean.csv -f pdf
! rvalid validate: unknown format 'pdf' (use text, json, junit, html or ndjson)
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

# ---- many kinds of runs: every JUnit report validates, every report agrees with the JSON

# a header failure (row null); an empty file (nothing evaluated: skipped testcases)
$ rvalid validate -q -r data/rules/people.yaml data/header_missing.csv -o $T/header.json -o $T/header.xml -o $T/header.html
[1]
$ rvalid validate -q -r data/rules/people.yaml data/empty.csv -o $T/empty.json -o $T/empty.xml -o $T/empty.html
[1]
# several inputs: each sample names its input
$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part2.csv data/header_duplicate.csv -o $T/parts.json -o $T/parts.xml -o $T/parts.html
[1]
# structural failures: ragged, blank, unterminated quote (a value with line ends), invalid UTF-8
$ rvalid validate -q -r data/rules/people.yaml data/ragged.csv data/blank_records.csv data/unterminated_quote.csv data/invalid_utf8.csv -o $T/structure.json -o $T/structure.xml -o $T/structure.html
[1]
# only warnings: the run passes and so does every testcase
$ rvalid validate -q -r data/rules/severity.yaml data/severity.csv -o $T/warned.json -o $T/warned.xml -o $T/warned.html
# table checks; composite table unique with samples; mostly; a cut value
$ rvalid validate -q -r data/rules/table_rows.yaml data/four_rows.csv -o $T/table_rows.json -o $T/table_rows.xml -o $T/table_rows.html
[1]
$ printf 'version: 1\nname: unique\nfields:\n  country: {}\n  status: {}\ntable:\n  unique: [country, status]\n' > $T/unique.yaml
$ rvalid validate -q -r $T/unique.yaml ../../examples/users.csv -o $T/unique.json -o $T/unique.xml -o $T/unique.html
[1]
$ rvalid validate -q -r data/rules/mostly.yaml data/mostly_3of4.csv -o $T/mostly.json -o $T/mostly.xml -o $T/mostly.html
$ rvalid validate -q -r data/rules/names.yaml data/long_value.csv -o $T/truncated.json -o $T/truncated.xml -o $T/truncated.html
[1]

$ xmllint --noout --schema ../../doc/junit.xsd $T/*.xml 2>&1 | sed "s|$T/||"
  empty.xml validates
  header.xml validates
  mostly.xml validates
  parts.xml validates
  structure.xml validates
  table_rows.xml validates
  truncated.xml validates
  unique.xml validates
  users.xml validates
  warned.xml validates

$ for r in header empty parts structure warned table_rows unique mostly truncated; do echo "$r:"; python3 reports_agree.py $T/$r.json $T/$r.xml $T/$r.html || echo FAILED; done
  header:
  junit: 12 tests, 2 failures, 1 skipped: as in the JSON report
  html: 2 cards, 2 samples, 10 passing: as in the JSON report
  empty:
  junit: 12 tests, 1 failures, 11 skipped: as in the JSON report
  html: 1 cards, 1 samples, 11 passing: as in the JSON report
  parts:
  junit: 12 tests, 3 failures, 0 skipped: as in the JSON report
  html: 3 cards, 6 samples, 9 passing: as in the JSON report
  structure:
  junit: 12 tests, 5 failures, 0 skipped: as in the JSON report
  html: 5 cards, 8 samples, 7 passing: as in the JSON report
  warned:
  junit: 12 tests, 0 failures, 0 skipped: as in the JSON report
  html: 4 cards, 4 samples, 8 passing: as in the JSON report
  table_rows:
  junit: 9 tests, 1 failures, 0 skipped: as in the JSON report
  html: 0 cards, 0 samples, 7 passing: as in the JSON report
  unique:
  junit: 7 tests, 1 failures, 0 skipped: as in the JSON report
  html: 0 cards, 0 samples, 6 passing: as in the JSON report
  mostly:
  junit: 8 tests, 0 failures, 0 skipped: as in the JSON report
  html: 1 cards, 1 samples, 7 passing: as in the JSON report
  truncated:
  junit: 12 tests, 1 failures, 0 skipped: as in the JSON report
  html: 1 cards, 2 samples, 11 passing: as in the JSON report

# --fail-on warn: the warnings fail their testcases
$ rvalid validate -q --fail-on warn -r data/rules/severity.yaml data/severity.csv -o $T/fow.json -o $T/fow.xml -o $T/fow.html
[1]
$ python3 reports_agree.py --fail-on-warn $T/fow.json $T/fow.xml $T/fow.html && xmllint --noout --schema ../../doc/junit.xsd $T/fow.xml
  junit: 12 tests, 4 failures, 0 skipped: as in the JSON report
  html: 4 cards, 4 samples, 8 passing: as in the JSON report
! .*/fow.xml validates (re)

# ---- hostile text: markup, quotes, control bytes and invalid UTF-8 in names, messages and values

$ python3 -c '
> import sys
> d = sys.argv[1]
> open(d + "/h.yaml", "w").write("version: 1\nname: hostile\nfields:\n"
>     "  \"a<b>&\x27q\x27\\\"\": {type: int, max: 5, message: \"must be < 5 & \\\"small\\\" \\x01\"}\n")
> open(d + "/h<&>.csv", "wb").write(b"\"a<b>&\x27q\x27\"\"\"\n<script>alert(1)</script>\n\"x & \"\"y\"\"\"\n"
>     b"\x01\x7f\n\"\xff\xfe\"\n\"multi\r\nline]]>\"\n9\n")' $T
$ rvalid validate -q -r $T/h.yaml "$T/h<&>.csv" -o $T/h.json -o $T/h.xml -o $T/h.html
[1]
$ xmllint --noout --schema ../../doc/junit.xsd $T/h.xml 2>&1 | sed "s|$T/||"
  h.xml validates
$ python3 reports_agree.py $T/h.json $T/h.xml $T/h.html
  junit: 8 tests, 3 failures, 0 skipped: as in the JSON report
  html: 3 cards, 6 samples, 5 passing: as in the JSON report
$ grep -c '<script' $T/h.html; grep -o "'&lt;script&gt;alert(1)&lt;/script&gt;'" $T/h.xml; grep -o 'x &amp; &quot;y&quot;' $T/h.html
  1
  '&lt;script&gt;alert(1)&lt;/script&gt;'
  x &amp; &quot;y&quot;
$ grep -o 'classname="[^"]*" name="[^"]*max"' $T/h.xml
  classname="rvalid.a&lt;b&gt;&amp;&apos;q&apos;&quot;" name="a&lt;b&gt;&amp;&apos;q&apos;&quot;.max"

# ---- scale: 10,006 checks and 1,000,000 failures; the HTML shows samples, not every failure

$ python3 ../gen_wide.py $T/wide
$ s=$(date +%s.%N); rvalid validate -q -r $T/wide/wide.yaml $T/wide/wide.csv -o $T/wide.json -o $T/wide.xml -o $T/wide.html; echo "[$?]"; python3 -c 'import sys, time; t = time.time() - float(sys.argv[1]); print("in time" if t < 60 else "slow: %.1f s" % t)' $s
  [1]
  in time
$ python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(len(d["checks"]), sum(c["failed"] for c in d["checks"]))' $T/wide.json
  10006 1000000
$ python3 reports_agree.py --max-html 1600000 $T/wide.json $T/wide.xml $T/wide.html
  junit: 10006 tests, 10000 failures, 0 skipped: as in the JSON report
  html: 200 cards, 2000 samples, 6 passing: as in the JSON report
$ xmllint --noout --schema ../../doc/junit.xsd $T/wide.xml 2>&1 | sed "s|$T/||"
  wide.xml validates

# ---- the commands the README and rvalid(1) show

$ mkdir $T/readme && cp -r ../../rules ../../examples $T/readme && cd $T/readme && rvalid validate -q -r rules/users.yaml examples/users.csv -o report.json -o report.html -o report.xml; echo "[$?]"; ls report.*; python3 $OLDPWD/reports_agree.py report.json report.xml report.html
  [1]
  report.html
  report.json
  report.xml
  junit: 24 tests, 8 failures, 0 skipped: as in the JSON report
  html: 9 cards, 9 samples, 13 passing: as in the JSON report
$ cd $T/readme && rvalid validate -q -r rules/users.yaml examples/users.csv \
>       -o page.html -o ci.xml; echo "[$?]"; xmllint --noout --schema $OLDPWD/../../doc/junit.xsd ci.xml
  [1]
! ci.xml validates
