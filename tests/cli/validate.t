# rvalid validate: the command line, exit statuses and every field constraint.
# Data files are under data/ (one idea each), rule files under data/rules/.
# Most cases read the NDJSON failure stream (--errors -, with -q so nothing else
# is printed): one line per failure in row order, then the summary.

# ---- a clean file passes: exit 0, verdict first

$ rvalid validate -r data/rules/people.yaml data/clean.csv
  PASSED  3 records: 3 valid, 0 invalid (rules data/rules/people.yaml)

$ rvalid validate -q -r data/rules/people.yaml data/clean.csv --errors -
  {"summary":{"passed":true,"rows":{"total":3,"valid":3,"invalid":0,"warned":0},"checks_failed":0}}

# options may come before or after operands; --schema is an alias of --rules
$ rvalid validate data/clean.csv --schema data/rules/people.yaml -q

# ---- exit statuses (SPEC 1): 1 data failed, 2 usage or rule error, 3 input/output

$ rvalid validate -r data/rules/people.yaml data/age_bounds.csv
  FAILED  4 records: 2 valid, 2 invalid (rules data/rules/people.yaml)
  errors:
    age.min                      1 of 4 failed: age must be at least 18
        row 1 (line 2): '17'
    age.max                      1 of 4 failed: age must be at most 120
        row 3 (line 4): '121'
[1]

$ rvalid validate --bogus -r data/rules/people.yaml data/clean.csv
! rvalid validate: unknown option '--bogus'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate data/clean.csv
! rvalid validate: no rule file given (-r RULES)
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml
! rvalid validate: no input given
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r bad/unknown_constraint.yaml data/clean.csv
! rvalid: bad/unknown_constraint.yaml:5:22: unknown constraint 'maxlen' (did you mean 'max_length'?)
[2]

$ rvalid validate -r data/rules/no_such_rules.yaml data/clean.csv
! rvalid: data/rules/no_such_rules.yaml: No such file or directory
[3]

$ rvalid validate -r data/rules/people.yaml data/no_such_input.csv
! rvalid: data/no_such_input.csv: No such file or directory
[3]

# a missing input among several: nothing is reported, exit 3
$ rvalid validate -r data/rules/people.yaml data/clean.csv data/no_such_input.csv
! rvalid: data/no_such_input.csv: No such file or directory
[3]

$ rvalid validate -r data/rules/people.yaml data
! rvalid: data: Is a directory
[3]

$ rvalid validate --help | head -1
  usage: rvalid validate -r RULES [options] INPUT...

# option values are checked; each message names its option
$ rvalid validate -r data/rules/people.yaml --threads 0 data/clean.csv
! rvalid validate: --threads takes a number from 1 to 256, not '0'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml --max-invalid 101% data/clean.csv
! rvalid validate: --max-invalid takes a count like 10 or a share like 1%, not '101%'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml --fail-on fatal data/clean.csv
! rvalid validate: --fail-on takes error or warn, not 'fatal'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml --limit x data/clean.csv
! rvalid validate: --limit takes a whole number, not 'x'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml --skip-lines -1 data/clean.csv
! rvalid validate: --skip-lines takes a whole number, not '-1'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml --delimiter ';;' data/clean.csv
! rvalid validate: --delimiter takes one character, not ';;'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml --encoding ebcdic data/clean.csv
! rvalid validate: unknown encoding 'ebcdic' (use utf-8, latin-1, cp1252 or utf-16)
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ RVALID_TODAY=2024-13-01 rvalid validate -r data/rules/people.yaml data/clean.csv
! rvalid: RVALID_TODAY must be a date like 2024-01-31, not '2024-13-01'
[2]

# ---- required

$ rvalid validate -q -r data/rules/people.yaml data/required_missing.csv --errors -
  {"input":"data/required_missing.csv","row":2,"line":3,"id":"name.required","field":"name","severity":"error","value":"","message":"name is required"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":2,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- type, for each type (one bad cell per row)

$ rvalid validate -q -r data/rules/types.yaml data/types_ok.csv --errors -
  {"summary":{"passed":true,"rows":{"total":3,"valid":3,"invalid":0,"warned":0},"checks_failed":0}}

$ rvalid validate -q -r data/rules/types.yaml data/types_bad.csv --errors -
  {"input":"data/types_bad.csv","row":1,"line":2,"id":"i.type","field":"i","severity":"error","value":"18.0","message":"i must be an int"}
  {"input":"data/types_bad.csv","row":2,"line":3,"id":"f.type","field":"f","severity":"error","value":"inf","message":"f must be a float"}
  {"input":"data/types_bad.csv","row":3,"line":4,"id":"b.type","field":"b","severity":"error","value":"yes","message":"b must be a bool"}
  {"input":"data/types_bad.csv","row":4,"line":5,"id":"d.type","field":"d","severity":"error","value":"2023-02-30","message":"d must be a date"}
  {"input":"data/types_bad.csv","row":5,"line":6,"id":"dt.type","field":"dt","severity":"error","value":"2024-01-01 25:00","message":"dt must be a datetime"}
  {"input":"data/types_bad.csv","row":6,"line":7,"id":"t.type","field":"t","severity":"error","value":"24:00","message":"t must be a time"}
  {"input":"data/types_bad.csv","row":7,"line":8,"id":"dec.type","field":"dec","severity":"error","value":"1e3","message":"dec must be a decimal"}
  {"summary":{"passed":false,"rows":{"total":7,"valid":0,"invalid":7,"warned":0},"checks_failed":7}}
[1]

# int is -?[0-9]+ in 64 bits: no sign, space, overflow or hex
$ rvalid validate -q -r data/rules/int.yaml data/int_syntax.csv --errors -
  {"input":"data/int_syntax.csv","row":2,"line":3,"id":"n.type","field":"n","severity":"error","value":"+5","message":"n must be an int"}
  {"input":"data/int_syntax.csv","row":3,"line":4,"id":"n.type","field":"n","severity":"error","value":" 5","message":"n must be an int"}
  {"input":"data/int_syntax.csv","row":4,"line":5,"id":"n.type","field":"n","severity":"error","value":"9223372036854775808","message":"n must be an int"}
  {"input":"data/int_syntax.csv","row":6,"line":7,"id":"n.type","field":"n","severity":"error","value":"0x1F","message":"n must be an int"}
  {"summary":{"passed":false,"rows":{"total":6,"valid":2,"invalid":4,"warned":0},"checks_failed":1}}
[1]

# date is YYYY-MM-DD on the real calendar
$ rvalid validate -q -r data/rules/date.yaml data/date_syntax.csv --errors -
  {"input":"data/date_syntax.csv","row":3,"line":4,"id":"d.type","field":"d","severity":"error","value":"1900-02-29","message":"d must be a date"}
  {"input":"data/date_syntax.csv","row":4,"line":5,"id":"d.type","field":"d","severity":"error","value":"2021-02-29","message":"d must be a date"}
  {"input":"data/date_syntax.csv","row":5,"line":6,"id":"d.type","field":"d","severity":"error","value":"2023-1-5","message":"d must be a date"}
  {"input":"data/date_syntax.csv","row":6,"line":7,"id":"d.type","field":"d","severity":"error","value":"20230105","message":"d must be a date"}
  {"input":"data/date_syntax.csv","row":7,"line":8,"id":"d.type","field":"d","severity":"error","value":"2023/01/05","message":"d must be a date"}
  {"summary":{"passed":false,"rows":{"total":7,"valid":2,"invalid":5,"warned":0},"checks_failed":1}}
[1]

# ---- min and max are inclusive

$ rvalid validate -q -r data/rules/people.yaml data/age_bounds.csv --errors -
  {"input":"data/age_bounds.csv","row":1,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"data/age_bounds.csv","row":3,"line":4,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# ---- exclusive bounds (float, time), exact decimal bounds, date bounds

$ rvalid validate -q -r data/rules/bounds.yaml data/bounds.csv --errors -
  {"input":"data/bounds.csv","row":2,"line":3,"id":"ratio.exclusive_min","field":"ratio","severity":"error","value":"0","message":"ratio must be above 0"}
  {"input":"data/bounds.csv","row":3,"line":4,"id":"ratio.exclusive_max","field":"ratio","severity":"error","value":"1","message":"ratio must be below 1"}
  {"input":"data/bounds.csv","row":3,"line":4,"id":"price.min","field":"price","severity":"error","value":"0.009","message":"price must be at least 0.01"}
  {"input":"data/bounds.csv","row":4,"line":5,"id":"price.max","field":"price","severity":"error","value":"99.990000000000000001","message":"price must be at most 99.99"}
  {"input":"data/bounds.csv","row":4,"line":5,"id":"day.min","field":"day","severity":"error","value":"2023-12-31","message":"day must be at least 2024-01-01"}
  {"input":"data/bounds.csv","row":4,"line":5,"id":"at.exclusive_max","field":"at","severity":"error","value":"22:00","message":"at must be below 22:00"}
  {"input":"data/bounds.csv","row":5,"line":6,"id":"day.max","field":"day","severity":"error","value":"2025-01-01","message":"day must be at most 2024-12-31"}
  {"input":"data/bounds.csv","row":5,"line":6,"id":"at.min","field":"at","severity":"error","value":"05:59:59","message":"at must be at least 06:00"}
  {"summary":{"passed":false,"rows":{"total":5,"valid":1,"invalid":4,"warned":0},"checks_failed":8}}
[1]

# exclusive bounds on ints and dates, at and around each bound, with the evaluated counts
$ printf 'fields:\n  n: {type: int, exclusive_min: -2, exclusive_max: 3}\n  d: {type: date, exclusive_min: 2024-01-01, exclusive_max: 2024-01-03}\n' > $T/x.yaml &&
> printf 'n,d\n-3,2024-01-02\n-2,2024-01-01\n-1,2024-01-02\n2,2024-01-03\n3,2024-01-02\n9223372036854775807,\n' > $T/x.csv &&
> rvalid validate -q -r $T/x.yaml $T/x.csv -f json | python3 -c '
> import json, sys
> for c in json.load(sys.stdin)["checks"]:
>     if c["id"][0] in "nd": print(c["id"], c["evaluated"], c["failed"], [s["row"] for s in c["samples"]])'
  n.type 6 0 []
  n.exclusive_min 6 2 [1, 2]
  n.exclusive_max 6 2 [5, 6]
  d.type 5 0 []
  d.exclusive_min 5 1 [2]
  d.exclusive_max 5 1 [4]

# ---- min_length / max_length count code points, not bytes

$ rvalid validate -q -r data/rules/lengths.yaml data/lengths.csv --errors -
  {"input":"data/lengths.csv","row":2,"line":3,"id":"word.min_length","field":"word","severity":"error","value":"é","message":"word must be at least 2 characters long"}
  {"input":"data/lengths.csv","row":5,"line":6,"id":"word.max_length","field":"word","severity":"error","value":"日本語です","message":"word must be at most 4 characters long"}
  {"input":"data/lengths.csv","row":6,"line":7,"id":"word.max_length","field":"word","severity":"error","value":"abcde","message":"word must be at most 4 characters long"}
  {"summary":{"passed":false,"rows":{"total":6,"valid":3,"invalid":3,"warned":0},"checks_failed":2}}
[1]

# ---- pattern matches the whole cell; 'a|ab' takes "ab" (anchored by the engine,
# not by wrapping in ^...$) and refuses "xab"

$ rvalid validate -q -r data/rules/pattern.yaml data/pattern.csv --errors -
  {"input":"data/pattern.csv","row":2,"line":3,"id":"code.pattern","field":"code","severity":"error","value":"ABCD","message":"code must match the pattern [A-Z]{3}"}
  {"input":"data/pattern.csv","row":3,"line":4,"id":"code.pattern","field":"code","severity":"error","value":"xABC","message":"code must match the pattern [A-Z]{3}"}
  {"input":"data/pattern.csv","row":4,"line":5,"id":"alt.pattern","field":"alt","severity":"error","value":"abc","message":"alt must match the pattern a|ab"}
  {"input":"data/pattern.csv","row":5,"line":6,"id":"alt.pattern","field":"alt","severity":"error","value":"xab","message":"alt must match the pattern a|ab"}
  {"summary":{"passed":false,"rows":{"total":5,"valid":1,"invalid":4,"warned":0},"checks_failed":2}}
[1]

# ---- format: every string format, valid then one failure each

$ rvalid validate -q -r data/rules/formats.yaml data/formats_ok.csv --errors -
  {"summary":{"passed":true,"rows":{"total":3,"valid":3,"invalid":0,"warned":0},"checks_failed":0}}

$ rvalid validate -q -r data/rules/formats.yaml data/formats_bad.csv --errors -
  {"input":"data/formats_bad.csv","row":1,"line":2,"id":"email.format","field":"email","severity":"error","value":"ann.example.com","message":"email must be a valid email"}
  {"input":"data/formats_bad.csv","row":2,"line":3,"id":"uri.format","field":"uri","severity":"error","value":"/relative/path","message":"uri must be a valid uri"}
  {"input":"data/formats_bad.csv","row":3,"line":4,"id":"uuid.format","field":"uuid","severity":"error","value":"123e4567e89b12d3a456426614174000","message":"uuid must be a valid uuid"}
  {"input":"data/formats_bad.csv","row":4,"line":5,"id":"ipv4.format","field":"ipv4","severity":"error","value":"10.0.0.01","message":"ipv4 must be a valid ipv4"}
  {"input":"data/formats_bad.csv","row":5,"line":6,"id":"ipv6.format","field":"ipv6","severity":"error","value":"1:2:3:4:5:6:7:8:9","message":"ipv6 must be a valid ipv6"}
  {"input":"data/formats_bad.csv","row":6,"line":7,"id":"hex.format","field":"hex","severity":"error","value":"fg","message":"hex must be a valid hex"}
  {"input":"data/formats_bad.csv","row":7,"line":8,"id":"base64.format","field":"base64","severity":"error","value":"aGk","message":"base64 must be a valid base64"}
  {"summary":{"passed":false,"rows":{"total":7,"valid":0,"invalid":7,"warned":0},"checks_failed":7}}
[1]

# ---- enum and not_in compare typed values (01 is the int 1, 0 is the bool false)

$ rvalid validate -q -r data/rules/enum.yaml data/enum.csv --errors -
  {"input":"data/enum.csv","row":2,"line":3,"id":"color.enum","field":"color","severity":"error","value":"Red","message":"color must be one of 'red', 'green'"}
  {"input":"data/enum.csv","row":3,"line":4,"id":"tag.not_in","field":"tag","severity":"error","value":"test","message":"tag must not be one of 'test', 'dummy'"}
  {"input":"data/enum.csv","row":4,"line":5,"id":"color.enum","field":"color","severity":"error","value":"blue","message":"color must be one of 'red', 'green'"}
  {"input":"data/enum.csv","row":4,"line":5,"id":"level.enum","field":"level","severity":"error","value":"4","message":"level must be one of 1, 2, 3"}
  {"input":"data/enum.csv","row":4,"line":5,"id":"flag.not_in","field":"flag","severity":"error","value":"0","message":"flag must not be one of false"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":1,"invalid":3,"warned":0},"checks_failed":4}}
[1]

# ---- ignore_case: enum, not_in and pattern

$ rvalid validate -q -r data/rules/ignore_case.yaml data/ignore_case.csv --errors -
  {"input":"data/ignore_case.csv","row":2,"line":3,"id":"tag.not_in","field":"tag","severity":"error","value":"TEST","message":"tag must not be one of 'test'"}
  {"input":"data/ignore_case.csv","row":3,"line":4,"id":"shade.enum","field":"shade","severity":"error","value":"Dim","message":"shade must be one of 'Light', 'Dark'"}
  {"input":"data/ignore_case.csv","row":3,"line":4,"id":"tag.not_in","field":"tag","severity":"error","value":"Test","message":"tag must not be one of 'test'"}
  {"input":"data/ignore_case.csv","row":3,"line":4,"id":"code.pattern","field":"code","severity":"error","value":"Ab1","message":"code must match the pattern [a-z]+"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":3}}
[1]

# ---- date, datetime and time formats: %Y %m %d %H %M %S %f %z %j %b

$ rvalid validate -q -r data/rules/date_formats.yaml data/date_formats_ok.csv --errors -
  {"summary":{"passed":true,"rows":{"total":3,"valid":3,"invalid":0,"warned":0},"checks_failed":0}}

$ rvalid validate -q -r data/rules/date_formats.yaml data/date_formats_bad.csv --errors -
  {"input":"data/date_formats_bad.csv","row":1,"line":2,"id":"dmy.type","field":"dmy","severity":"error","value":"2024-02-29","message":"dmy must be a date in the format '%d/%m/%Y'"}
  {"input":"data/date_formats_bad.csv","row":2,"line":3,"id":"dmy.type","field":"dmy","severity":"error","value":"29/02/2023","message":"dmy must be a date in the format '%d/%m/%Y'"}
  {"input":"data/date_formats_bad.csv","row":3,"line":4,"id":"ord.type","field":"ord","severity":"error","value":"2023366","message":"ord must be a date in the format '%Y%j'"}
  {"input":"data/date_formats_bad.csv","row":4,"line":5,"id":"mon.type","field":"mon","severity":"error","value":"1 Jan 2024","message":"mon must be a date in the format '%d %b %Y'"}
  {"input":"data/date_formats_bad.csv","row":5,"line":6,"id":"stamp.type","field":"stamp","severity":"error","value":"2024-06-01 12:30:45Z","message":"stamp must be a datetime in the format '%Y-%m-%d %H:%M:%S.%f%z'"}
  {"input":"data/date_formats_bad.csv","row":6,"line":7,"id":"stamp.type","field":"stamp","severity":"error","value":"2024-06-01 12:30:45.1+2","message":"stamp must be a datetime in the format '%Y-%m-%d %H:%M:%S.%f%z'"}
  {"input":"data/date_formats_bad.csv","row":7,"line":8,"id":"hhmm.type","field":"hhmm","severity":"error","value":"12:00","message":"hhmm must be a time in the format '%H%M'"}
  {"input":"data/date_formats_bad.csv","row":8,"line":9,"id":"hhmm.type","field":"hhmm","severity":"error","value":"2400","message":"hhmm must be a time in the format '%H%M'"}
  {"summary":{"passed":false,"rows":{"total":8,"valid":0,"invalid":8,"warned":0},"checks_failed":5}}
[1]

# ---- missing values: null_values (NA, -), a quoted "" is missing; a missing cell
# that is not required passes every other check and is not counted as evaluated

$ rvalid validate -q -r data/rules/missing.yaml data/missing.csv --errors -
  {"input":"data/missing.csv","row":4,"line":5,"id":"id.required","field":"id","severity":"error","value":"NA","message":"id is required"}
  {"input":"data/missing.csv","row":5,"line":6,"id":"id.required","field":"id","severity":"error","value":"","message":"id is required"}
  {"input":"data/missing.csv","row":6,"line":7,"id":"id.required","field":"id","severity":"error","value":"-","message":"id is required"}
  {"summary":{"passed":false,"rows":{"total":6,"valid":3,"invalid":3,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -q -r data/rules/missing.yaml data/missing.csv -o $T/missing.json; python3 -c '
> import json, sys
> d = json.load(open(sys.argv[1]))
> for c in d["checks"]:
>     if "field" in c: print(c["id"], c["evaluated"], c["failed"], c["skipped"])
> print({k: v["missing"] for k, v in d["fields"].items()})' $T/missing.json
  id.required 6 3 0
  id.type 3 0 0
  age.type 3 0 0
  age.min 3 0 0
  code.min_length 4 0 0
  code.pattern 4 0 0
  {'id': 3, 'age': 3, 'code': 2}

# ---- a cell that fails its type fails only type: the field's other checks skip it

$ rvalid validate -q -r data/rules/people.yaml data/type_skips.csv --errors -
  {"input":"data/type_skips.csv","row":1,"line":2,"id":"age.type","field":"age","severity":"error","value":"abc","message":"age must be an int"}
  {"input":"data/type_skips.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"15","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people.yaml data/type_skips.csv -o $T/skips.json; python3 -c '
> import json, sys
> d = json.load(open(sys.argv[1]))
> for c in d["checks"]:
>     if c["id"].startswith("age."): print(c["id"], c["evaluated"], c["failed"], c["skipped"])
> print(d["fields"]["age"])' $T/skips.json
  age.type 3 1 0
  age.min 2 1 1
  age.max 2 0 1
  {'missing': 1, 'invalid': 1, 'min': 15, 'max': 40}
