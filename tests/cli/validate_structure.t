# rvalid validate: structural checks (csv.*), line ends, BOM, quoted newlines,
# and several inputs read as one dataset. File-level problems have row null, line 1.

# ---- csv.header

# a blank name (column 3, not declared: still a header problem)
$ rvalid validate -q -r data/rules/people.yaml data/header_blank.csv --errors -
  {"input":"data/header_blank.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"column 3 has a blank name"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":2,"invalid":0,"warned":0},"checks_failed":1}}
[1]

# a duplicate name: that field's checks are skipped, the others still run
$ rvalid validate -q -r data/rules/people.yaml data/header_duplicate.csv --errors -
  {"input":"data/header_duplicate.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"column name 'name' appears 2 times (columns 2, 3)"}
  {"input":"data/header_duplicate.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

# a declared field missing from the header, with a did-you-mean
$ rvalid validate -q -r data/rules/people.yaml data/header_missing.csv --errors -
  {"input":"data/header_missing.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'name' is not in the header (did you mean 'nmae'?)"}
  {"input":"data/header_missing.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

# no suggestion when the only near names already belong to other fields
# ('age' is the field age: renaming it to 'name' would not help)
$ rvalid validate -q -r data/rules/people.yaml data/header_no_name.csv --errors -
  {"input":"data/header_no_name.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'name' is not in the header"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":2,"invalid":0,"warned":0},"checks_failed":1}}
[1]

# two problems in one header: both are samples, but one header failed once
$ rvalid validate -r data/rules/people.yaml data/header_two_problems.csv
  FAILED  1 record: 1 valid, 0 invalid (rules data/rules/people.yaml)
  errors:
    csv.header                   1 of 1 failed: the header must name every declared field once, with no blank or duplicate names
        line 1 (column 2 has a blank name)
        line 1 (declared field 'name' is not in the header (did you mean 'nmae'?))
[1]

$ rvalid validate -q -r data/rules/people.yaml data/header_two_problems.csv -o $T/two.json; python3 -c '
> import json, sys
> c = json.load(open(sys.argv[1]))["checks"][0]
> print(c["id"], c["evaluated"], c["failed"], c["failed_ratio"], len(c["samples"]))' $T/two.json
  csv.header 1 1 1 2

# columns: any (the default) allows an extra column and any order
$ rvalid validate -q -r data/rules/people.yaml data/extra_column.csv data/wrong_order.csv --errors -
  {"input":"data/extra_column.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"data/wrong_order.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"the header differs from the header of data/extra_column.csv"}
  {"input":"data/wrong_order.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people.yaml data/wrong_order.csv --only 'csv.*'

# columns: strict forbids the extra column, not the order
$ rvalid validate -q -r data/rules/people_strict.yaml data/extra_column.csv --errors -
  {"input":"data/extra_column.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"unexpected column 'city' (columns: strict)"}
  {"input":"data/extra_column.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people_strict.yaml data/wrong_order.csv --only 'csv.*'

# columns: ordered forbids both
$ rvalid validate -q -r data/rules/people_ordered.yaml data/wrong_order.csv --errors -
  {"input":"data/wrong_order.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"column 'name' is out of order (columns: ordered; expected the order of the fields in the rules)"}
  {"input":"data/wrong_order.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people_ordered.yaml data/extra_column.csv --only 'csv.*' --errors -
  {"input":"data/extra_column.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"unexpected column 'city' (columns: ordered)"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":2,"invalid":0,"warned":0},"checks_failed":1}}
[1]

# ---- csv.ragged: too few, too many cells; the record's field checks are skipped

$ rvalid validate -q -r data/rules/people.yaml data/ragged.csv --errors -
  {"input":"data/ragged.csv","row":2,"line":3,"id":"csv.ragged","severity":"error","value":null,"message":"2 cells, the header has 3"}
  {"input":"data/ragged.csv","row":3,"line":4,"id":"csv.ragged","severity":"error","value":null,"message":"4 cells, the header has 3"}
  {"input":"data/ragged.csv","row":4,"line":5,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":1,"invalid":3,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people.yaml data/ragged.csv -o $T/ragged.json; python3 -c '
> import json, sys
> for c in json.load(open(sys.argv[1]))["checks"]:
>     if c["id"] in ("csv.ragged", "age.min"): print(c["id"], c["evaluated"], c["failed"], c["skipped"])' $T/ragged.json
  csv.ragged 4 2 0
  age.min 2 1 2

# ---- csv.quote: an unterminated quote runs to the end of the input
$ rvalid validate -q -r data/rules/people.yaml data/unterminated_quote.csv --errors -
  {"input":"data/unterminated_quote.csv","row":2,"line":3,"id":"csv.quote","severity":"error","value":"Bob,17\n3,Cy,50\n","message":"unterminated quoted field"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# that record has 2 cells for 3 columns: its field checks are skipped (no cell is read for age)
$ rvalid validate -q -r data/rules/people.yaml data/unterminated_quote.csv -f json | python3 -c '
> import json, sys
> for c in json.load(sys.stdin)["checks"]:
>     if c["id"] in ("csv.ragged", "id.type", "age.min"): print(c["id"], c["evaluated"], c["failed"], c["skipped"])'
  csv.ragged 2 0 0
  id.type 1 0 1
  age.min 1 0 1

# text after a closing quote fails; a lone " inside an unquoted cell is text (row 3)
$ rvalid validate -q -r data/rules/people.yaml data/text_after_quote.csv --errors -
  {"input":"data/text_after_quote.csv","row":1,"line":2,"id":"csv.quote","severity":"error","value":"Annie","message":"text after a closing quote"}
  {"input":"data/text_after_quote.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# ---- csv.encoding: invalid UTF-8 is shown as U+FFFD; that cell's other checks skip it
$ rvalid validate -q -r data/rules/people.yaml data/invalid_utf8.csv --errors -
  {"input":"data/invalid_utf8.csv","row":2,"line":3,"id":"csv.encoding","severity":"error","value":"B�b","message":"cells must be valid UTF-8 (or declare the file's encoding)"}
  {"input":"data/invalid_utf8.csv","row":3,"line":4,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -r data/rules/people.yaml data/invalid_utf8.csv | head -4
  FAILED  3 records: 1 valid, 2 invalid (rules data/rules/people.yaml)
  errors:
    csv.encoding                 1 of 9 failed: cells must be valid UTF-8 (or declare the file's encoding)
        row 2 (line 3): 'B�b'

$ rvalid validate -q -r data/rules/people.yaml data/invalid_utf8.csv -o $T/utf8.json; python3 -c '
> import json, sys
> for c in json.load(open(sys.argv[1]))["checks"]:
>     if c["id"] in ("csv.encoding", "name.required"): print(c["id"], c["evaluated"], c["failed"], c["skipped"], [s["value"] for s in c["samples"]])' $T/utf8.json
  csv.encoding 9 1 0 ['B�b']
  name.required 2 0 1 []

# ---- csv.blank: ",," and an empty line are blank records
$ rvalid validate -q -r data/rules/people.yaml data/blank_records.csv --errors -
  {"input":"data/blank_records.csv","row":2,"line":3,"id":"csv.blank","severity":"error","value":null,"message":"a record must not be blank"}
  {"input":"data/blank_records.csv","row":3,"line":4,"id":"csv.blank","severity":"error","value":null,"message":"a record must not be blank"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":1}}
[1]

# in a one-column file an empty line is a record with a missing cell
$ rvalid validate -q -r data/rules/one_column.yaml data/one_column.csv --errors -
  {"input":"data/one_column.csv","row":2,"line":3,"id":"code.required","field":"code","severity":"error","value":"","message":"code is required"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":2,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- csv.field_size: --max-field-size
$ rvalid validate -q -r data/rules/people.yaml data/long_cell.csv --max-field-size 10 --errors -
  {"input":"data/long_cell.csv","row":2,"line":3,"id":"csv.field_size","severity":"error","value":"Bartholomew","message":"cell larger than 10 bytes"}
  {"input":"data/long_cell.csv","row":3,"line":4,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people.yaml data/long_cell.csv --max-field-size 11 --only csv.field_size

$ rvalid validate -r data/rules/people.yaml data/long_cell.csv --max-field-size 0
! rvalid validate: --max-field-size takes a size from 1 to 1G, like 1048576 or 16M, not '0'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

$ rvalid validate -r data/rules/people.yaml data/long_cell.csv --max-field-size 2G
! rvalid validate: --max-field-size takes a size from 1 to 1G, like 1048576 or 16M, not '2G'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

# ---- an empty (0-byte) file fails csv.header; a header alone is 0 records and passes

$ rvalid validate -q -r data/rules/people.yaml data/empty.csv --errors -
  {"input":"data/empty.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"the input is empty: no header"}
  {"summary":{"passed":false,"rows":{"total":0,"valid":0,"invalid":0,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -r data/rules/people.yaml data/header_only.csv
  PASSED  0 records: 0 valid, 0 invalid (rules data/rules/people.yaml)

# ---- CRLF line ends (no \r in the last cell), a UTF-8 BOM (skipped)

$ rvalid validate -q -r data/rules/people.yaml data/crlf.csv --errors -
  {"input":"data/crlf.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -q -r data/rules/people_strict.yaml data/bom.csv --errors -
  {"input":"data/bom.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- quoted newlines: `line` counts the line ends inside quotes, `row` counts records
$ rvalid validate -q -r data/rules/names.yaml data/quoted_newlines.csv --errors -
  {"input":"data/quoted_newlines.csv","row":1,"line":2,"id":"name.max_length","field":"name","severity":"error","value":"Ann\nMarie","message":"name must be at most 5 characters long"}
  {"input":"data/quoted_newlines.csv","row":2,"line":4,"id":"name.max_length","field":"name","severity":"error","value":"Bob \"B\"\nJr\n","message":"name must be at most 5 characters long"}
  {"input":"data/quoted_newlines.csv","row":2,"line":4,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/people.yaml data/quoted_newlines.csv --errors -
  {"input":"data/quoted_newlines.csv","row":2,"line":4,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"data/quoted_newlines.csv","row":3,"line":7,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# ---- several inputs are one dataset: counts cover all, rows restart per input,
# every sample names its input

$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part2.csv --errors -
  {"input":"data/part1.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"data/part2.csv","row":1,"line":2,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"input":"data/part2.csv","row":3,"line":4,"id":"age.min","field":"age","severity":"error","value":"16","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":5,"valid":2,"invalid":3,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -r data/rules/people.yaml data/part1.csv data/part2.csv
  FAILED  5 records: 2 valid, 3 invalid (rules data/rules/people.yaml)
  errors:
    age.min                      2 of 5 failed: age must be at least 18
        data/part1.csv row 2 (line 3): '17'
        data/part2.csv row 3 (line 4): '16'
    age.max                      1 of 5 failed: age must be at most 120
        data/part2.csv row 1 (line 2): '121'
[1]

$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part2.csv -o $T/parts.json; python3 -c '
> import json, sys
> d = json.load(open(sys.argv[1]))
> print(d["inputs"], d["rows"])
> for c in d["checks"]:
>     if c["id"] == "age.min": print(c["samples"])' $T/parts.json
  ['data/part1.csv', 'data/part2.csv'] {'total': 5, 'valid': 2, 'invalid': 3, 'warned': 0}
  [{'input': 'data/part1.csv', 'row': 2, 'line': 3, 'value': '17'}, {'input': 'data/part2.csv', 'row': 3, 'line': 4, 'value': '16'}]

# a second input with another header fails csv.header
$ rvalid validate -q -r data/rules/people.yaml data/part1.csv data/part_other_header.csv --errors -
  {"input":"data/part1.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"data/part_other_header.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"the header differs from the header of data/part1.csv"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":2,"invalid":1,"warned":0},"checks_failed":2}}
[1]
