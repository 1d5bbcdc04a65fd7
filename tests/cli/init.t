# rvalid init: the starter rule files, rules inferred from samples, and their properties:
# every file init writes compiles, YAML and Python-like outputs are twins, inferred rules
# pass on their sample and catch planted violations in data of the same shape.

# ---- the starter ----

$ rvalid init
  # A starter rule file for rvalid, written by `rvalid init`. Describe your columns
  # under `fields`, then compile the file with `rvalid check FILE` and check data with
  # `rvalid validate -r FILE DATA.csv`. `rvalid init --from DATA.csv` proposes rules
  # from a sample instead. The commented lines show every kind of rule: uncomment
  # and adapt what you need. The whole language: rvalid-rules(5).
  version: 1
  name: starter
  description: Replace the two example fields with your columns
  
  # The CSV dialect. Every key is optional; these are the defaults.
  csv:
    delimiter: ","
    quote: '"'
    header: true
    null_values: [""]           # cell texts that mean missing, e.g. ["", NA]
    # escape: "\\"              # a backslash makes the next character literal
    # comment: "#"              # lines starting with this are skipped
    # skip_lines: 1             # lines to skip before the header
    # encoding: latin-1         # utf-8 (the default), latin-1, cp1252 or utf-16
  
  # Which columns the header may have. Any: extra columns are allowed; strict:
  # exactly the fields, in any order; ordered: exactly the fields, in this order.
  columns: any
  
  fields:
    # Types: str (the default), int, float, decimal, bool, date, datetime, time.
    # Required: the cell must not be missing. Unique: no value occurs twice.
    id:         {type: int, required: true, min: 1, unique: true}
    name:       {type: str, required: true, max_length: 100}
    # start_date: {type: date}
    # end_date:   {type: date}
    # Bounds for numbers, dates and times: min, max, exclusive_min, exclusive_max.
    # price:      {type: decimal, min: 0, exclusive_max: 100000}
    # born:       {type: date, min: 1900-01-01, max: 2100-12-31}
    # Lengths in characters (Unicode code points): min_length, max_length.
    # A pattern is a PCRE2 regex that must match the whole cell (no ^ or $ needed).
    # code:       {type: str, min_length: 8, max_length: 8, pattern: '[A-Z]{3}-\d{4}'}
    # Allowed and forbidden values; ignore_case makes text comparisons ignore case.
    # status:     {type: str, enum: [active, suspended, closed]}
    # level:      {type: int, enum: [1, 2, 3]}
    # nickname:   {type: str, not_in: [test, dummy], ignore_case: true}
    # Text formats: email, uri, uuid, ipv4, ipv6, hex, base64.
    # email:      {type: str, format: email}
    # Date and time formats: %Y %m %d %H %M %S %f %z %j %b %%.
    # signup:     {type: date, format: '%d/%m/%Y'}
    # References: the value must occur in a column of another CSV (a path
    # relative to this file).
    # country:    {type: str, references: {file: countries.csv, column: code}}
    # Severity (error, the default, or warn), your own message, and mostly: the
    # field's checks pass when at least this share of its cells passes.
    # ratio:      {type: float, min: 0, max: 1, severity: warn, message: out of range, mostly: 0.99}
  
  # Row rules: relations between the fields of one record, in Python syntax.
  # rules:
  #   - name: ends_after_start
  #     when: end_date is not None
  #     check: end_date >= start_date
  #     severity: warn
  #     message: the end date comes before the start date
  
  # Table checks, over the whole input.
  table:
    rows: {min: 1}               # at least one record; a maximum too: {min: 1, max: 1000}
    # max_invalid: 1%            # pass while at most 1% (or a count: 10) of records fail
    # unique: [name, born]       # composite keys
    # aggregates:                # min, max, mean, sum, stddev, missing, distinct
    #   price: {mean: {min: 1, max: 5000}, sum: {max: 1000000000}}
    #   email: {missing: {max: 5%}, distinct: {min: 1}}

$ rvalid init --syntax py
  # A starter rule file for rvalid, written by `rvalid init`. Describe your columns
  # in the Schema, then compile the file with `rvalid check FILE` and check data with
  # `rvalid validate -r FILE DATA.csv`. `rvalid init --from DATA.csv` proposes rules
  # from a sample instead. The commented lines show every kind of rule: uncomment
  # and adapt what you need. The whole language: rvalid-rules(5).
  from rvalid import Schema, Field, Rule
  
  schema = Schema(
      {
          # Types: str (the default), int, float, decimal, bool, date, datetime, time.
          # Required: the cell must not be missing. Unique: no value occurs twice.
          'id': Field(int, required=True, min=1, unique=True),
          'name': Field(str, required=True, max_length=100),
          # 'start_date': Field(date),
          # 'end_date': Field(date),
          # Bounds for numbers, dates and times: min, max, exclusive_min, exclusive_max.
          # 'price': Field(decimal, min=0, exclusive_max=100000),
          # 'born': Field(date, min='1900-01-01', max='2100-12-31'),
          # Lengths in characters (Unicode code points): min_length, max_length.
          # A pattern is a PCRE2 regex that must match the whole cell (no ^ or $ needed).
          # 'code': Field(str, min_length=8, max_length=8, pattern=r'[A-Z]{3}-\d{4}'),
          # Allowed and forbidden values; ignore_case makes text comparisons ignore case.
          # 'status': Field(str, enum=['active', 'suspended', 'closed']),
          # 'level': Field(int, enum=[1, 2, 3]),
          # 'nickname': Field(str, not_in=['test', 'dummy'], ignore_case=True),
          # Text formats: email, uri, uuid, ipv4, ipv6, hex, base64.
          # 'email': Field(str, format='email'),
          # Date and time formats: %Y %m %d %H %M %S %f %z %j %b %%.
          # 'signup': Field(date, format='%d/%m/%Y'),
          # References: the value must occur in a column of another CSV (a path
          # relative to this file).
          # 'country': Field(str, references={'file': 'countries.csv', 'column': 'code'}),
          # Severity (error, the default, or warn), your own message, and mostly: the
          # field's checks pass when at least this share of its cells passes.
          # 'ratio': Field(float, min=0, max=1, severity='warn', message='out of range',
          #                mostly=0.99),
      },
      version=1,
      name='starter',
      description='Replace the two example fields with your columns',
      # The CSV dialect. Every key is optional; these are the defaults.
      csv={
          'delimiter': ',',
          'quote': '"',
          'header': True,
          'null_values': [''],  # cell texts that mean missing, e.g. ['', 'NA']
          # 'escape': '\\',  # a backslash makes the next character literal
          # 'comment': '#',  # lines starting with this are skipped
          # 'skip_lines': 1,  # lines to skip before the header
          # 'encoding': 'latin-1',  # utf-8 (the default), latin-1, cp1252 or utf-16
      },
      # Which columns the header may have. Any: extra columns are allowed; strict:
      # exactly the fields, in any order; ordered: exactly the fields, in this order.
      columns='any',
      # Table checks, over the whole input.
      table={
          'rows': {'min': 1},  # at least one record; a maximum too: {'min': 1, 'max': 1000}
          # 'max_invalid': '1%',  # pass while at most 1% (or a count: 10) of records fail
          # 'unique': ['name', 'born'],  # composite keys
          # 'aggregates': {  # min, max, mean, sum, stddev, missing, distinct
          #     'price': {'mean': {'min': 1, 'max': 5000}, 'sum': {'max': 1000000000}},
          #     'email': {'missing': {'max': '5%'}, 'distinct': {'min': 1}},
          # },
      },
  )
  
  # Row rules: relations between the fields of one record, in Python syntax.
  # rules = [
  #     Rule('ends_after_start', when='end_date is not None', check='end_date >= start_date',
  #          severity='warn', message='the end date comes before the start date'),
  # ]

# both compile, and they are twins
$ cd $T && rvalid init > s.yaml && rvalid init --syntax py > s.py && rvalid check s.yaml s.py
  s.yaml: ok: 2 fields, 0 rules, 13 checks
  s.py: ok: 2 fields, 0 rules, 13 checks

$ rvalid check --explain $T/s.yaml > $T/a && rvalid check --explain $T/s.py > $T/b && cmp $T/a $T/b && echo twins
  twins

# every commented example is right: uncommented, both files compile to the same graph
$ cd $T && mkdir all && printf 'code,name\nUS,United States\n' > all/countries.csv &&
> sed -E 's/^( *)# ( *(- )?[a-z_]+:( |$))/\1\2/' s.yaml > all/s.yaml &&
> sed -E "s/^( *)# ( *('|Rule\(|rules = |\]|\}|[a-z_]+=))/\1\2/" s.py > all/s.py &&
> rvalid check all/s.yaml all/s.py && grep -c '^ *#' all/s.yaml all/s.py
  all/s.yaml: ok: 14 fields, 1 rule, 41 checks
  all/s.py: ok: 14 fields, 1 rule, 41 checks
  all/s.yaml:22
  all/s.py:22

$ rvalid check --explain $T/all/s.yaml > $T/a && rvalid check --explain $T/all/s.py > $T/b && cmp $T/a $T/b && echo twins
  twins

# ---- writing a file ----

$ rvalid init -o $T/rules.yaml && head -1 $T/rules.yaml
  # A starter rule file for rvalid, written by `rvalid init`. Describe your columns

$ cd $T && rvalid init -o rules.yaml --syntax yaml
! rvalid: rules.yaml already exists (use --force to overwrite it)
[2]

$ cd $T && echo mine > keep.yaml && rvalid init -o keep.yaml; echo "exit $?"; cat keep.yaml
  exit 2
  mine
! rvalid: keep.yaml already exists (use --force to overwrite it)

$ rvalid init --force -o $T/rules.yaml && cmp $T/rules.yaml $T/s.yaml && echo overwritten
  overwritten

# the language follows the name, unless --syntax says otherwise
$ rvalid init -o $T/rules.py && cmp $T/rules.py $T/s.py && echo py
  py

$ cd $T && rvalid init --syntax yaml -o other.py
! rvalid init: --syntax yaml does not fit the name 'other.py'
! usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]
! try 'rvalid init --help' for more
[2]

$ cd $T && rvalid init -o no/such/folder/rules.yaml
! rvalid: no/such/folder/rules.yaml: No such file or directory
[3]

$ rvalid init -o - | head -1
  # A starter rule file for rvalid, written by `rvalid init`. Describe your columns

# ---- inferring from a sample ----

# types, bounds, patterns of fixed-shape codes, formats, enums, unique
$ rvalid init --from data/init_shapes.csv
  # Rules inferred by `rvalid init --from data/init_shapes.csv` from 12 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  version: 1
  name: init_shapes
  description: 'Inferred from data/init_shapes.csv'
  csv:
    delimiter: ","
    header: true
  columns: strict
  fields:
    # 12 values, none missing, all distinct
    id:      {type: int, required: true, min: 1, unique: true}
    # 12 values, none missing, all distinct
    sku:     {type: str, required: true, pattern: '[A-Z]{3}-\d{4}', unique: true}
    # 12 values, none missing, all distinct
    zip:     {type: str, required: true, pattern: '\d{5}', unique: true}
    # 12 values, none missing, 4 distinct
    active:  {type: bool, required: true}
    # 12 values, none missing, all distinct
    ratio:   {type: float, required: true, min: 0.001, max: 0.887}
    # 12 values, none missing, 3 distinct
    size:    {type: str, required: true, enum: [L, M, S]}
    # 12 values, none missing, all distinct
    created: {type: datetime, required: true, min: '2024-01-17T06:02:05Z',
              max: '2024-09-23T02:36:03Z'}
    # 12 values, none missing, 10 distinct
    opens:   {type: time, required: true, min: '06:15:00', max: '10:30:00'}
    # 12 values, none missing, all distinct
    ip:      {type: str, required: true, format: ipv4, unique: true}
    # 12 values, none missing, all distinct
    token:   {type: str, required: true, format: uuid, unique: true}
    # 11 values, 1 missing, 4 distinct
    city:    {type: str, enum: [Bergen, Oslo, Trondheim, Stavanger]}

$ rvalid init --from data/init_shapes.csv -o $T/shapes.yaml && rvalid validate -q -r $T/shapes.yaml data/init_shapes.csv && echo passes
  passes

$ rvalid init --from data/init_shapes.csv --syntax py -o $T/shapes.py && rvalid check --explain $T/shapes.yaml > $T/a && rvalid check --explain $T/shapes.py > $T/b && cmp $T/a $T/b && echo twins
  twins

$ rvalid init --from data/init_shapes.csv --syntax py
  # Rules inferred by `rvalid init --from data/init_shapes.csv` from 12 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  from rvalid import Schema, Field
  
  schema = Schema(
      {
          # 12 values, none missing, all distinct
          'id': Field(int, required=True, min=1, unique=True),
          # 12 values, none missing, all distinct
          'sku': Field(str, required=True, pattern=r'[A-Z]{3}-\d{4}', unique=True),
          # 12 values, none missing, all distinct
          'zip': Field(str, required=True, pattern=r'\d{5}', unique=True),
          # 12 values, none missing, 4 distinct
          'active': Field(bool, required=True),
          # 12 values, none missing, all distinct
          'ratio': Field(float, required=True, min=0.001, max=0.887),
          # 12 values, none missing, 3 distinct
          'size': Field(str, required=True, enum=['L', 'M', 'S']),
          # 12 values, none missing, all distinct
          'created': Field(datetime, required=True, min='2024-01-17T06:02:05Z',
                           max='2024-09-23T02:36:03Z'),
          # 12 values, none missing, 10 distinct
          'opens': Field(time, required=True, min='06:15:00', max='10:30:00'),
          # 12 values, none missing, all distinct
          'ip': Field(str, required=True, format='ipv4', unique=True),
          # 12 values, none missing, all distinct
          'token': Field(str, required=True, format='uuid', unique=True),
          # 11 values, 1 missing, 4 distinct
          'city': Field(str, enum=['Bergen', 'Oslo', 'Trondheim', 'Stavanger']),
      },
      version=1,
      name='init_shapes',
      description='Inferred from data/init_shapes.csv',
      csv={'delimiter': ',', 'header': True},
      columns='strict',
  )

# names and values that need quoting in either language; --null
$ rvalid init --from data/init_quoting.csv --null NA
  # Rules inferred by `rvalid init --from data/init_quoting.csv` from 12 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  version: 1
  name: init_quoting
  description: 'Inferred from data/init_quoting.csv'
  csv:
    delimiter: ","
    header: true
    null_values: ["", NA]
  columns: strict
  fields:
    # 12 values, none missing, 2 distinct
    'free text': {type: str, required: true, enum: ['a b', c]}
    # 12 values, none missing, 2 distinct
    'it''s': {type: str, required: true, enum: ['''q''', '-1']}
    # 12 values, none missing, 2 distinct
    'ünï': {type: str, required: true, enum: ['é', 'ü']}
    # 12 values, none missing, 2 distinct
    'a: b': {type: str, required: true, enum: ["line\nbreak", 'x"y']}
    # 0 values, 12 missing
    '-x': {type: str}
    # 12 values, none missing, 2 distinct
    true: {type: str, required: true, enum: ["\x01ctl", "tab\there"]}

$ rvalid init --from data/init_quoting.csv --null NA -o $T/q.yaml && rvalid init --from data/init_quoting.csv --null NA -o $T/q.py &&
> rvalid validate -q -r $T/q.yaml data/init_quoting.csv && rvalid validate -q -r $T/q.py data/init_quoting.csv &&
> rvalid check --explain $T/q.yaml > $T/a && rvalid check --explain $T/q.py > $T/b && cmp $T/a $T/b && echo twins
  twins

# .tsv means a tab; a column of 0 and 1 is int, not bool
$ rvalid init --from data/init_people.tsv
  # Rules inferred by `rvalid init --from data/init_people.tsv` from 4 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  version: 1
  name: init_people
  description: 'Inferred from data/init_people.tsv'
  csv:
    delimiter: "\t"
    header: true
  columns: strict
  fields:
    # 4 values, none missing, all distinct
    name:  {type: str, required: true, max_length: 4}
    # 4 values, none missing, 2 distinct
    level: {type: int, required: true, min: 0, max: 1}
    # 3 values, 1 missing, all distinct
    score: {type: decimal, min: 0.5, max: 2}

# --no-header names the columns; --delimiter; standard input
$ rvalid init --from - --delimiter ';' --no-header < data/init_noheader.csv
  # Rules inferred by `rvalid init --from -` from 3 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  version: 1
  name: sample
  description: 'Inferred from standard input'
  csv:
    delimiter: ";"
    header: false
  fields:
    # 3 values, none missing, all distinct
    column_1: {type: int, required: true, min: 1, max: 3}
    # 3 values, none missing, 2 distinct
    column_2: {type: str, required: true, max_length: 1}

$ rvalid init --from - --delimiter ';' --no-header -o $T/nh.yaml < data/init_noheader.csv && rvalid validate -q -r $T/nh.yaml data/init_noheader.csv && echo passes
  passes

# gzip is detected; .tsv.gz is still a tab
$ gzip -c data/init_people.tsv > $T/people.tsv.gz && rvalid init --from $T/people.tsv.gz | sed -n '/^csv:/,/^columns/p'
  csv:
    delimiter: "\t"
    header: true
  columns: strict

# what the sample holds that rules cannot describe is left out, with warnings
$ rvalid init --from data/init_flawed.csv
  # Rules inferred by `rvalid init --from data/init_flawed.csv` from 2 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  # 3 records were left out: blank, ragged or badly quoted.
  version: 1
  name: init_flawed
  description: 'Inferred from data/init_flawed.csv'
  csv:
    delimiter: ","
    header: true
  columns: any
  fields:
    # 2 values, none missing, all distinct
    a: {type: int, required: true, min: 1, max: 7}
    # 2 values, none missing, all distinct
    b: {type: int, required: true, min: 2, max: 8}
    # column 3 repeats the name of column 1: no rule
    # column 4 has a blank name: no rule
! rvalid: data/init_flawed.csv: warning: column 3 repeats the name of column 1: it gets no rule
! rvalid: data/init_flawed.csv: warning: column 4 has a blank name: it gets no rule
! rvalid: data/init_flawed.csv: warning: 3 records are blank, ragged or badly quoted: left out

# a header alone: the fields are only named
$ cd $T && printf 'id,name\n' > header_only.csv && rvalid init --from header_only.csv
  # Rules inferred by `rvalid init --from header_only.csv` from 0 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  # The sample has no records: the fields are only named.
  version: 1
  name: header_only
  description: 'Inferred from header_only.csv'
  csv:
    delimiter: ","
    header: true
  columns: strict
  fields:
    id:   {type: str}
    name: {type: str}

# one column: an empty line is a missing cell, not a blank record
$ printf 'n\n1\n\n2\n' | rvalid init --from - | tail -2
    # 2 values, 1 missing, all distinct
    n: {type: int, min: 1, max: 2}

# ---- errors ----

$ rvalid init --from no/such/sample.csv
! rvalid: no/such/sample.csv: No such file or directory
[3]

$ cd $T && : > empty.csv && rvalid init --from empty.csv
! rvalid: empty.csv: the sample is empty (no header)
[3]

$ cd $T && rvalid init --from empty.csv --no-header
! rvalid: empty.csv: the sample is empty (no records)
[3]

$ cd $T && printf '\037\213garbage' > bad.csv.gz && rvalid init --from bad.csv.gz
! rvalid: bad.csv.gz: corrupt gzip data: unknown compression method
[3]

$ rvalid init --bogus
! rvalid init: unknown option '--bogus'
! usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]
! try 'rvalid init --help' for more
[2]

$ rvalid init --syntax toml
! rvalid init: --syntax takes yaml or py, not 'toml'
! usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]
! try 'rvalid init --help' for more
[2]

$ rvalid init --no-header
! rvalid init: --no-header describes the sample: use it with --from
! usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]
! try 'rvalid init --help' for more
[2]

$ rvalid init --from data/init_people.tsv --delimiter ab
! rvalid init: --delimiter takes one character, not 'ab'
! usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]
! try 'rvalid init --help' for more
[2]

$ rvalid init data/init_people.tsv
! rvalid init: unexpected argument 'data/init_people.tsv' (a sample is given with --from)
! usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]
! try 'rvalid init --help' for more
[2]

$ rvalid init --from
! rvalid init: --from needs a value
! usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]
! try 'rvalid init --help' for more
[2]

$ rvalid help init | head -1
  usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]

$ rvalid init --help | head -1
  usage: rvalid init [--syntax yaml|py] [--from SAMPLE] [-o FILE] [--force]

# ---- properties: inferred rules pass on their sample and catch planted violations ----

# 2000 clean records of a known shape; the rules inferred from them
$ cd $T && python3 $OLDPWD/init_gen.py gen 2000 1 > orders.csv && rvalid init --from orders.csv -o orders.yaml && cat orders.yaml
  # Rules inferred by `rvalid init --from orders.csv` from 2000 records.
  # They describe the sample: review every bound, enum and pattern before you
  # rely on them. rvalid(1) says how each rule is chosen.
  version: 1
  name: orders
  description: 'Inferred from orders.csv'
  csv:
    delimiter: ","
    header: true
  columns: strict
  fields:
    # 2000 values, none missing, all distinct
    order_id:   {type: int, required: true, min: 1000, unique: true}
    # 2000 values, none missing, all distinct
    sku:        {type: str, required: true, pattern: '[A-Z]{3}-\d{4}', unique: true}
    # 2000 values, none missing
    zip:        {type: str, required: true, pattern: '\d{5}'}
    # 2000 values, none missing
    email:      {type: str, required: true, format: email, max_length: 26}
    # 2000 values, none missing, all distinct
    token:      {type: str, required: true, format: uuid, unique: true}
    # 2000 values, none missing, 50 distinct
    qty:        {type: int, required: true, min: 1, max: 50}
    # 2000 values, none missing
    price:      {type: decimal, required: true, min: 0.15, max: 998.78}
    # 2000 values, none missing
    weight:     {type: float, required: true, min: 0.067, max: 30}
    # 2000 values, none missing, 2 distinct
    paid:       {type: bool, required: true}
    # 2000 values, none missing, 4 distinct
    status:     {type: str, required: true, enum: [paid, shipped, cancelled, returned]}
    # 2000 values, none missing
    ship_date:  {type: date, required: true, min: 2023-01-01, max: 2024-12-29}
    # 2000 values, none missing, all distinct
    ordered_at: {type: datetime, required: true, min: '2023-01-01T01:16:37Z',
                 max: '2024-12-30T22:51:29Z'}
    # 1223 values, 777 missing
    note:       {type: str, max_length: 120}

$ cd $T && rvalid validate -r orders.yaml orders.csv
  PASSED  2000 records: 2000 valid, 0 invalid (rules orders.yaml)

# 2000 other records, one in eight with one planted violation: each is caught by its check
$ python3 init_gen.py gen 2000 2 --plant $T/truth.txt > $T/planted.csv &&
> rvalid validate -q -r $T/orders.yaml --errors $T/errors.ndjson $T/planted.csv; echo "exit $?" &&
> python3 init_gen.py check $T/truth.txt $T/errors.ndjson
  exit 1
  email_bad: 14 of 14 caught by email.format
  id_repeated: 17 of 17 caught by order_id.unique
  note_long: 20 of 20 caught by note.max_length
  ordered_at_bad: 14 of 14 caught by ordered_at.type
  paid_word: 14 of 14 caught by paid.type
  price_comma: 11 of 11 caught by price.type
  price_negative: 14 of 14 caught by price.min
  qty_high: 16 of 16 caught by qty.max
  qty_low: 13 of 13 caught by qty.min
  qty_text: 12 of 12 caught by qty.type
  ship_date_invalid: 10 of 10 caught by ship_date.type
  ship_date_late: 13 of 13 caught by ship_date.max
  sku_missing: 13 of 13 caught by sku.required
  sku_shape: 16 of 16 caught by sku.pattern
  status_unknown: 17 of 17 caught by status.enum
  token_bad: 16 of 16 caught by token.format
  weight_text: 8 of 8 caught by weight.type
  zip_short: 14 of 14 caught by zip.pattern
  false alarm: row 55: ship_date.max
  false alarm: row 205: ship_date.max
  false alarm: row 440: ship_date.max
  false alarm: row 812: ship_date.max
  false alarm: row 881: ship_date.max
  false alarm: row 1226: price.max
  false alarm: row 1548: price.max
  false alarm: row 1618: price.max
  false alarm: row 1798: ship_date.max
  false alarm: row 1844: price.max
  false alarm: row 1985: price.max

# the shared benchmark generator: infer from the valid records of one run, then check another
$ b=../../../shared/bench; python3 $b/gen_users.py 2000 --seed 11 > $T/u1.csv &&
> rvalid validate -q -r $b/users.yaml --valid-rows $T/valid.csv $T/u1.csv; rvalid init --from $T/valid.csv -o $T/users.yaml &&
> rvalid validate -q -r $T/users.yaml $T/valid.csv && echo "inferred rules pass on their sample"
  inferred rules pass on their sample

$ b=../../../shared/bench; python3 $b/gen_users.py 2000 --seed 12 > $T/u2.csv &&
> rvalid validate -r $T/users.yaml -f json $T/u2.csv | python3 -c 'import json, sys
> r = json.load(sys.stdin)
> for c in r["checks"]:
>     if c["failed"]:
>         print(c["id"], c["failed"])'
  user_id.required 1
  user_id.type 4
  user_id.min 1
  user_id.max 4
  email.required 2
  email.max_length 3
  email.format 1
  age.type 4
  age.min 3
  age.max 1
  balance.min 3
  country.enum 1
  signup_date.type 3
  status.enum 5
  note.max_length 1

# ---- the README's tour, command for command ----

$ e=$PWD/../../examples; mkdir $T/tour && cd $T/tour && cp -r $e . && rvalid init --from examples/orders.csv -o rules.yaml && sed -n '1p;/^fields:/,$p' rules.yaml
  # Rules inferred by `rvalid init --from examples/orders.csv` from 12 records.
  fields:
    # 12 values, none missing, all distinct
    order_id:   {type: int, required: true, min: 5001, unique: true}
    # 12 values, none missing, 5 distinct
    sku:        {type: str, required: true, pattern: '[A-Z]{3}-\d{4}'}
    # 12 values, none missing, all distinct
    email:      {type: str, required: true, format: email, max_length: 16, unique: true}
    # 12 values, none missing, 7 distinct
    qty:        {type: int, required: true, min: 1, max: 12}
    # 12 values, none missing, 11 distinct
    price:      {type: decimal, required: true, min: 5.00, max: 240.00}
    # 12 values, none missing, 3 distinct
    status:     {type: str, required: true, enum: [shipped, paid, cancelled]}
    # 7 values, 5 missing, 5 distinct
    shipped_on: {type: date, min: 2024-03-01, max: 2024-03-07}

$ cd $T/tour && rvalid check rules.yaml
  rules.yaml: ok: 7 fields, 0 rules, 29 checks

$ cd $T/tour && rvalid validate -r rules.yaml examples/orders.csv
  PASSED  12 records: 12 valid, 0 invalid (rules rules.yaml)

$ cd $T/tour && rvalid validate -r rules.yaml examples/orders_new.csv
  FAILED  5 records: 1 valid, 4 invalid (rules rules.yaml)
  errors:
    order_id.unique              1 of 5 failed: order_id must be unique
        row 5 (line 6): '5013' (duplicate of row 1)
    sku.pattern                  1 of 5 failed: sku must match the pattern [A-Z]{3}-\d{4}
        row 2 (line 3): 'ABC1004'
    email.format                 1 of 5 failed: email must be a valid email
        row 3 (line 4): 'oz.example.com'
    qty.max                      1 of 5 failed: qty must be at most 12
        row 4 (line 5): '30'
    price.max                    1 of 5 failed: price must be at most 240.00
        row 4 (line 5): '2970.00'
    status.enum                  1 of 5 failed: status must be one of 'shipped', 'paid', 'cancelled'
        row 4 (line 5): 'refunded'
    shipped_on.type              1 of 4 failed: shipped_on must be a date
        row 5 (line 6): '2024-02-30'
[1]
