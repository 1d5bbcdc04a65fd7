# rvalid validate: the CSV dialect on the command line and in the rule file,
# compressed input, standard input. data/rules/names.yaml allows names of at
# most 5 characters, so a failing name shows how the dialect cut the cell.

# ---- --delimiter

# read with the default comma, the semicolon file is one column
$ rvalid validate -q -r data/rules/names.yaml data/semicolon.csv --errors -
  {"input":"data/semicolon.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'id' is not in the header"}
  {"input":"data/semicolon.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'name' is not in the header"}
  {"input":"data/semicolon.csv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'age' is not in the header"}
  {"input":"data/semicolon.csv","row":1,"line":2,"id":"csv.ragged","severity":"error","value":null,"message":"2 cells, the header has 1"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/names.yaml --delimiter ';' data/semicolon.csv --errors -
  {"input":"data/semicolon.csv","row":1,"line":2,"id":"name.max_length","field":"name","severity":"error","value":"Ann, the first","message":"name must be at most 5 characters long"}
  {"input":"data/semicolon.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":0,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# .tsv defaults to a tab delimiter
$ rvalid validate -q -r data/rules/names.yaml data/people.tsv --errors -
  {"input":"data/people.tsv","row":1,"line":2,"id":"name.max_length","field":"name","severity":"error","value":"Ann, A","message":"name must be at most 5 characters long"}
  {"input":"data/people.tsv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":0,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# a tab on the command line, written as \t
$ rvalid validate -q -r data/rules/names.yaml --delimiter '\t' data/semicolon.tsv --errors -
  {"input":"data/semicolon.tsv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'id' is not in the header"}
  {"input":"data/semicolon.tsv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'name' is not in the header"}
  {"input":"data/semicolon.tsv","row":null,"line":1,"id":"csv.header","severity":"error","value":null,"message":"declared field 'age' is not in the header"}
  {"input":"data/semicolon.tsv","row":1,"line":2,"id":"csv.ragged","severity":"error","value":null,"message":"2 cells, the header has 1"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

# ---- --quote: a doubled quote character is one quote
$ rvalid validate -q -r data/rules/names.yaml --quote "'" data/single_quote.csv --errors -
  {"input":"data/single_quote.csv","row":1,"line":2,"id":"name.max_length","field":"name","severity":"error","value":"Ann, A","message":"name must be at most 5 characters long"}
  {"input":"data/single_quote.csv","row":2,"line":3,"id":"name.max_length","field":"name","severity":"error","value":"Bob 'B'","message":"name must be at most 5 characters long"}
  {"input":"data/single_quote.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":0,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# ---- --escape: backslash escapes, inside quotes and out; without it \" ends the quote
$ rvalid validate -q -r data/rules/names.yaml --escape '\' data/backslash_escape.csv --errors -
  {"input":"data/backslash_escape.csv","row":1,"line":2,"id":"name.max_length","field":"name","severity":"error","value":"Ann \"A\"","message":"name must be at most 5 characters long"}
  {"input":"data/backslash_escape.csv","row":2,"line":3,"id":"name.max_length","field":"name","severity":"error","value":"Bob,Jr","message":"name must be at most 5 characters long"}
  {"input":"data/backslash_escape.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":0,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/names.yaml data/backslash_escape.csv --errors - --only 'csv.*'
  {"input":"data/backslash_escape.csv","row":1,"line":2,"id":"csv.quote","severity":"error","value":"Ann \\A\\\"\"","message":"text after a closing quote"}
  {"input":"data/backslash_escape.csv","row":2,"line":3,"id":"csv.ragged","severity":"error","value":null,"message":"4 cells, the header has 3"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":0,"invalid":2,"warned":0},"checks_failed":2}}
[1]

# ---- --no-header: fields bind to columns in declaration order; row 1 is line 1
$ rvalid validate -q -r data/rules/names.yaml --no-header data/no_header.csv --errors -
  {"input":"data/no_header.csv","row":2,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- --null: NA is not missing by default
$ rvalid validate -q -r data/rules/names.yaml data/na_values.csv --errors -
  {"input":"data/na_values.csv","row":1,"line":2,"id":"age.type","field":"age","severity":"error","value":"NA","message":"age must be an int"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -q -r data/rules/names.yaml --null NA data/na_values.csv --errors -
  {"input":"data/na_values.csv","row":2,"line":3,"id":"name.required","field":"name","severity":"error","value":"NA","message":"name is required"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- --encoding: latin-1 and utf-16 are converted to UTF-8 (Björnar is 7 characters)
$ rvalid validate -q -r data/rules/names.yaml data/latin1.csv --errors - --only 'csv.*'
  {"input":"data/latin1.csv","row":1,"line":2,"id":"csv.encoding","severity":"error","value":"Ren�e","message":"cells must be valid UTF-8 (or declare the file's encoding)"}
  {"input":"data/latin1.csv","row":2,"line":3,"id":"csv.encoding","severity":"error","value":"Bj�rnar","message":"cells must be valid UTF-8 (or declare the file's encoding)"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":0,"invalid":2,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -q -r data/rules/names.yaml --encoding latin-1 data/latin1.csv --errors -
  {"input":"data/latin1.csv","row":2,"line":3,"id":"name.max_length","field":"name","severity":"error","value":"Björnar","message":"name must be at most 5 characters long"}
  {"input":"data/latin1.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/names.yaml --encoding utf-16 data/utf16.csv --errors -
  {"input":"data/utf16.csv","row":2,"line":3,"id":"name.max_length","field":"name","severity":"error","value":"Björnar","message":"name must be at most 5 characters long"}
  {"input":"data/utf16.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

# ---- --skip-lines and --comment: lines are still counted physically
$ rvalid validate -q -r data/rules/names.yaml --skip-lines 2 data/preamble.csv --errors -
  {"input":"data/preamble.csv","row":2,"line":5,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -q -r data/rules/names.yaml --comment '#' data/comments.csv --errors -
  {"input":"data/comments.csv","row":2,"line":5,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- the same settings in the rule file

# delimiter, quote, escape, null_values, skip_lines and comment at once
$ rvalid validate -q -r data/rules/names_dialect.yaml data/dialect_all.csv --errors -
  {"input":"data/dialect_all.csv","row":1,"line":4,"id":"name.max_length","field":"name","severity":"error","value":"Ann; A","message":"name must be at most 5 characters long"}
  {"input":"data/dialect_all.csv","row":3,"line":6,"id":"name.required","field":"name","severity":"error","value":"NA","message":"name is required"}
  {"input":"data/dialect_all.csv","row":3,"line":6,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":1,"invalid":2,"warned":0},"checks_failed":3}}
[1]

$ rvalid validate -q -r data/rules/names_semicolon.yaml data/semicolon.csv --errors -
  {"input":"data/semicolon.csv","row":1,"line":2,"id":"name.max_length","field":"name","severity":"error","value":"Ann, the first","message":"name must be at most 5 characters long"}
  {"input":"data/semicolon.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":0,"invalid":2,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/names_no_header.yaml data/no_header.csv --errors -
  {"input":"data/no_header.csv","row":2,"line":2,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

$ rvalid validate -q -r data/rules/names_latin1.yaml data/latin1.csv --errors -
  {"input":"data/latin1.csv","row":2,"line":3,"id":"name.max_length","field":"name","severity":"error","value":"Björnar","message":"name must be at most 5 characters long"}
  {"input":"data/latin1.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

$ rvalid validate -q -r data/rules/names_utf16.yaml data/utf16.csv --errors -
  {"input":"data/utf16.csv","row":2,"line":3,"id":"name.max_length","field":"name","severity":"error","value":"Björnar","message":"name must be at most 5 characters long"}
  {"input":"data/utf16.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":2}}
[1]

# ---- the command line wins over the rule file, the rule file over the extension

$ rvalid validate -q -r data/rules/names_semicolon.yaml --delimiter , data/clean.csv

# the rule file's ';' beats .tsv's tab: "Ann<TAB>B" is one 5-character name
$ rvalid validate -q -r data/rules/names_semicolon.yaml data/semicolon.tsv --errors -
  {"input":"data/semicolon.tsv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# every setting of names_dialect.yaml overridden: --null replaces its null_values,
# so NA is text again (an int failure for age, a name of 2 characters)
$ rvalid validate -q -r data/rules/names_dialect.yaml --delimiter , --quote '"' --skip-lines 0 --comment % --null - data/na_values.csv --errors -
  {"input":"data/na_values.csv","row":1,"line":2,"id":"age.type","field":"age","severity":"error","value":"NA","message":"age must be an int"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# ---- gzip input, detected by magic bytes as well as by .gz; multi-member too

$ gzip -c data/part1.csv > $T/part1.csv.gz && rvalid validate -q -r data/rules/people.yaml $T/part1.csv.gz --errors - | sed "s|$T|T|"
  {"input":"T/part1.csv.gz","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}

$ gzip -c data/part1.csv > $T/gzipped.csv && rvalid validate -q -r data/rules/people.yaml $T/gzipped.csv --errors - | sed "s|$T|T|"
  {"input":"T/gzipped.csv","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}

$ tail -n +2 data/part2.csv | gzip -c > $T/rest.gz && cat $T/part1.csv.gz $T/rest.gz > $T/multi.csv.gz && rvalid validate -q -r data/rules/people.yaml $T/multi.csv.gz --errors - | sed "s|$T|T|"
  {"input":"T/multi.csv.gz","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"input":"T/multi.csv.gz","row":3,"line":4,"id":"age.max","field":"age","severity":"error","value":"121","message":"age must be at most 120"}
  {"input":"T/multi.csv.gz","row":5,"line":6,"id":"age.min","field":"age","severity":"error","value":"16","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":5,"valid":2,"invalid":3,"warned":0},"checks_failed":2}}

$ rvalid validate -r data/rules/people.yaml $T/multi.csv.gz
  FAILED  5 records: 2 valid, 3 invalid (rules data/rules/people.yaml)
  errors:
    age.min                      2 of 5 failed: age must be at least 18
        row 2 (line 3): '17'
        row 5 (line 6): '16'
    age.max                      1 of 5 failed: age must be at most 120
        row 3 (line 4): '121'
[1]

# corrupt gzip: exit 3, the message names the file, no report
$ head -c 30 $T/part1.csv.gz > $T/truncated.csv.gz && rvalid validate -r data/rules/people.yaml $T/truncated.csv.gz 2>&1 | sed "s|$T|T|"
  rvalid: T/truncated.csv.gz: corrupt gzip data: unexpected end of file

$ rvalid validate -r data/rules/people.yaml $T/truncated.csv.gz -o $T/truncated.json 2>/dev/null
[3]

$ test -e $T/truncated.json
[1]

$ printf '\037\213\010\000garbage, not deflate' > $T/bad.gz && rvalid validate -q -r data/rules/people.yaml $T/bad.gz 2>/dev/null
[3]

# ---- standard input: '-', named "-" in samples; gzip is detected there too

$ rvalid validate -q -r data/rules/people.yaml - --errors $T/stdin.ndjson < data/part1.csv; echo "[$?]"; cat $T/stdin.ndjson
  [1]
  {"input":"-","row":2,"line":3,"id":"age.min","field":"age","severity":"error","value":"17","message":"age must be at least 18"}
  {"summary":{"passed":false,"rows":{"total":2,"valid":1,"invalid":1,"warned":0},"checks_failed":1}}

$ rvalid validate -r data/rules/people.yaml - < $T/part1.csv.gz
  FAILED  2 records: 1 valid, 1 invalid (rules data/rules/people.yaml)
  errors:
    age.min                      1 of 2 failed: age must be at least 18
        row 2 (line 3): '17'
[1]

$ rvalid validate -r data/rules/people.yaml - - < data/part1.csv
! rvalid validate: standard input ('-') can be read only once
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]
