# rvalid validate: row rules, severity, mostly, max_invalid and table checks.

# ---- row rules (data/rules/orders.yaml), with today() fixed by RVALID_TODAY:
# row 2: open without qty; row 3: total / 0 fails with a message;
# row 4: placed after today, qty 60 out of 0 <= qty <= 50; row 5: status not
# in (...), 2.50 / 5 <= 1, code fails the functions; row 6: missing status and
# placed skip the rules that compare them; row 7: qty 'x' fails its type, is
# not None, and skips every rule it would reach through an operator.

$ RVALID_TODAY=2024-06-01 rvalid validate -q -r data/rules/orders.yaml data/orders.csv --errors -
  {"input":"data/orders.csv","row":2,"line":3,"id":"rules.open_orders_have_qty","severity":"error","value":null,"message":"rule open_orders_have_qty failed: (qty is not None)"}
  {"input":"data/orders.csv","row":3,"line":4,"id":"rules.unit_price_over_one","severity":"error","value":null,"message":"division by zero"}
  {"input":"data/orders.csv","row":4,"line":5,"id":"rules.not_in_future","severity":"error","value":null,"message":"rule not_in_future failed: (placed <= today())"}
  {"input":"data/orders.csv","row":4,"line":5,"id":"rules.qty_in_range","severity":"error","value":null,"message":"rule qty_in_range failed: (0 <= qty <= 50)"}
  {"input":"data/orders.csv","row":5,"line":6,"id":"rules.unit_price_over_one","severity":"error","value":null,"message":"rule unit_price_over_one failed: ((total / qty) > 1)"}
  {"input":"data/orders.csv","row":5,"line":6,"id":"rules.known_status","severity":"error","value":null,"message":"rule known_status failed: (status in ('open', 'closed', 'void'))"}
  {"input":"data/orders.csv","row":5,"line":6,"id":"rules.code_shape","severity":"error","value":null,"message":"code must be three capitals starting with A"}
  {"input":"data/orders.csv","row":6,"line":7,"id":"rules.unit_price_over_one","severity":"error","value":null,"message":"rule unit_price_over_one failed: ((total / qty) > 1)"}
  {"input":"data/orders.csv","row":6,"line":7,"id":"rules.code_shape","severity":"error","value":null,"message":"code must be three capitals starting with A"}
  {"input":"data/orders.csv","row":7,"line":8,"id":"qty.type","field":"qty","severity":"error","value":"x","message":"qty must be an int"}
  {"summary":{"passed":false,"rows":{"total":7,"valid":1,"invalid":6,"warned":0},"checks_failed":7}}
[1]

# a false `when` is not counted; a missing or ill-typed value reaching an
# operator skips the rule (open_orders_have_qty: rows 1, 2, 7 evaluated, row 6 skipped)
$ RVALID_TODAY=2024-06-01 rvalid validate -q -r data/rules/orders.yaml data/orders.csv -o $T/orders.json; python3 -c '
> import json, sys
> for c in json.load(open(sys.argv[1]))["checks"]:
>     if c["id"].startswith("rules."): print(c["id"], c["evaluated"], c["failed"], c["skipped"])' $T/orders.json
  rules.open_orders_have_qty 3 1 1
  rules.qty_small 5 0 2
  rules.unit_price_over_one 5 3 2
  rules.not_in_future 6 1 1
  rules.qty_in_range 5 1 2
  rules.known_status 6 1 1
  rules.code_shape 7 2 0

# today() moves with RVALID_TODAY: on 2024-06-02 nothing is in the future
$ RVALID_TODAY=2024-06-02 rvalid validate -q -r data/rules/orders.yaml data/orders.csv --only rules.not_in_future --errors -
  {"summary":{"passed":true,"rows":{"total":7,"valid":7,"invalid":0,"warned":0},"checks_failed":0}}

# the text summary: errors by failed count, a record's own message beside its sample
$ RVALID_TODAY=2024-06-01 rvalid validate -r data/rules/orders.yaml data/orders.csv | head -6
  FAILED  7 records: 1 valid, 6 invalid (rules data/rules/orders.yaml)
  errors:
    rules.unit_price_over_one    3 of 5 failed: rule unit_price_over_one failed: ((total / qty) > 1)
        row 3 (line 4) (division by zero)
        row 5 (line 6)
        row 6 (line 7)

# Python semantics, one failing rule per row: -8 % 3 is 1, 2 / 4 is 0.5, min(6, 5)
# is 5, 0.2 * 3 is not 0.3, 'Bye' is not 'hi there', ' xyz' is not stripped;
# row 1 passes them all (-7 % 3 is 2, 0.1 + 0.1 + 0.1 is exactly 0.3)
$ rvalid validate -q -r data/rules/expressions.yaml data/expressions.csv --errors -
  {"input":"data/expressions.csv","row":2,"line":3,"id":"rules.floored_mod","severity":"error","value":null,"message":"rule floored_mod failed: ((m % 3) == 2)"}
  {"input":"data/expressions.csv","row":3,"line":4,"id":"rules.true_division","severity":"error","value":null,"message":"rule true_division failed: ((q / 4) == 0.25)"}
  {"input":"data/expressions.csv","row":4,"line":5,"id":"rules.abs_min_max","severity":"error","value":null,"message":"rule abs_min_max failed: ((abs(x) <= max(x, y)) and (min(x, y) == x))"}
  {"input":"data/expressions.csv","row":5,"line":6,"id":"rules.exact_decimal","severity":"error","value":null,"message":"rule exact_decimal failed: (((d + d) + d) == 0.3)"}
  {"input":"data/expressions.csv","row":6,"line":7,"id":"rules.free_text","severity":"error","value":null,"message":"rule free_text failed: ((row['free text'] is None) or (lower(row['free text']) == 'hi there'))"}
  {"input":"data/expressions.csv","row":7,"line":8,"id":"rules.suffix","severity":"error","value":null,"message":"rule suffix failed: (endswith(s, 'z') and (strip(s) == s))"}
  {"summary":{"passed":false,"rows":{"total":7,"valid":1,"invalid":6,"warned":0},"checks_failed":6}}
[1]

# ---- severity warn: counted as warned, the run passes (exit 0)

$ rvalid validate -q -r data/rules/severity.yaml data/severity.csv --errors -
  {"input":"data/severity.csv","row":2,"line":3,"id":"status.enum","field":"status","severity":"warn","value":"pending","message":"status must be one of 'active', 'closed'"}
  {"input":"data/severity.csv","row":4,"line":5,"id":"score.max","field":"score","severity":"warn","value":"101","message":"score must be at most 100"}
  {"input":"data/severity.csv","row":4,"line":5,"id":"rules.closed_has_no_score","severity":"warn","value":null,"message":"a closed account keeps no score"}
  {"input":"data/severity.csv","row":5,"line":6,"id":"score.type","field":"score","severity":"warn","value":"x","message":"score must be an int"}
  {"summary":{"passed":true,"rows":{"total":5,"valid":5,"invalid":0,"warned":3},"checks_failed":4}}

$ rvalid validate -r data/rules/severity.yaml data/severity.csv | head -2
  PASSED  5 records: 5 valid, 0 invalid, 3 warned (rules data/rules/severity.yaml)
  warnings:

# --fail-on warn: warnings count as errors everywhere (exit 1)
$ rvalid validate -r data/rules/severity.yaml data/severity.csv --fail-on warn
  FAILED  5 records: 2 valid, 3 invalid (rules data/rules/severity.yaml)
  errors:
    status.enum                  1 of 5 failed: status must be one of 'active', 'closed'
        row 2 (line 3): 'pending'
    score.type                   1 of 4 failed: score must be an int
        row 5 (line 6): 'x'
    score.max                    1 of 3 failed: score must be at most 100
        row 4 (line 5): '101'
    rules.closed_has_no_score    1 of 2 failed: a closed account keeps no score
        row 4 (line 5)
[1]

# quarantine: warned records are invalid only under --fail-on warn
$ rvalid validate -q -r data/rules/severity.yaml data/severity.csv --invalid-rows -
  id,status,score

$ rvalid validate -q -r data/rules/severity.yaml data/severity.csv --invalid-rows - --fail-on warn
  id,status,score
  2,pending,50
  4,closed,101
  5,active,x
[1]

# ---- mostly, compared as exact fractions

# 3 of 4 pass: 0.75 >= 0.75, the check passes and no record is invalid
$ rvalid validate -r data/rules/mostly.yaml data/mostly_3of4.csv
  PASSED  4 records: 4 valid, 0 invalid (rules data/rules/mostly.yaml)
  errors:
    code.pattern                 1 of 4 failed (within mostly): code must match the pattern [A-Z]+
        row 4 (line 5): 'gh'

# 2 of 4 pass: 0.5 < 0.75
$ rvalid validate -q -r data/rules/mostly.yaml data/mostly_2of4.csv --errors -
  {"input":"data/mostly_2of4.csv","row":3,"line":4,"id":"code.pattern","field":"code","severity":"error","value":"ef","message":"code must match the pattern [A-Z]+"}
  {"input":"data/mostly_2of4.csv","row":4,"line":5,"id":"code.pattern","field":"code","severity":"error","value":"gh","message":"code must match the pattern [A-Z]+"}
  {"summary":{"passed":false,"rows":{"total":4,"valid":2,"invalid":2,"warned":0},"checks_failed":1}}
[1]

# 2/3 is below 0.66666666666666667, though both round to the same double
$ rvalid validate -q -r data/rules/mostly_two_thirds.yaml data/mostly_2of3.csv --errors -
  {"input":"data/mostly_2of3.csv","row":3,"line":4,"id":"code.pattern","field":"code","severity":"error","value":"ef","message":"code must match the pattern [A-Z]+"}
  {"summary":{"passed":false,"rows":{"total":3,"valid":2,"invalid":1,"warned":0},"checks_failed":1}}
[1]

# any number of decimals is exact: 0.666666666666666666666 is just below 2/3
$ rvalid validate -r data/rules/mostly_long.yaml data/mostly_2of3.csv | head -1
  PASSED  3 records: 3 valid, 0 invalid (rules data/rules/mostly_long.yaml)

# ---- max_invalid: a count and a share in the rule file; --max-invalid overrides

$ rvalid validate -r data/rules/max_invalid.yaml data/two_invalid.csv | head -1
  PASSED  4 records: 2 valid, 2 invalid (rules data/rules/max_invalid.yaml)

$ rvalid validate -r data/rules/max_invalid.yaml data/three_invalid.csv
  FAILED  4 records: 1 valid, 3 invalid (rules data/rules/max_invalid.yaml)
  errors:
    n.type                       3 of 4 failed: n must be an int
        row 2 (line 3): 'x'
        row 3 (line 4): 'y'
        row 4 (line 5): 'z'
  table:
    table.max_invalid            FAILED: observed 3, expected <= 2
[1]

# 50% of 4 records is 2
$ rvalid validate -r data/rules/max_invalid_pct.yaml data/two_invalid.csv | head -1
  PASSED  4 records: 2 valid, 2 invalid (rules data/rules/max_invalid_pct.yaml)

$ rvalid validate -q -r data/rules/max_invalid_pct.yaml data/three_invalid.csv
[1]

$ rvalid validate -r data/rules/max_invalid.yaml data/two_invalid.csv --max-invalid 1 | tail -2
  table:
    table.max_invalid            FAILED: observed 2, expected <= 1

$ rvalid validate -q -r data/rules/max_invalid.yaml data/two_invalid.csv --max-invalid 1
[1]

$ rvalid validate -r data/rules/max_invalid_pct.yaml data/two_invalid.csv --max-invalid 25% | tail -1
    table.max_invalid            FAILED: observed 2, expected <= 25%

$ rvalid validate -r data/rules/max_invalid.yaml data/three_invalid.csv --max-invalid 75% | tail -1
    table.max_invalid            passed: observed 3, expected <= 75%

$ rvalid validate -q -r data/rules/max_invalid.yaml data/three_invalid.csv --max-invalid 75%

# without max_invalid one invalid record fails the run
$ rvalid validate -q -r data/rules/int.yaml data/two_invalid.csv
[1]

$ rvalid validate -q -r data/rules/int.yaml data/two_invalid.csv --max-invalid 2

# ---- table rows: {min: 2, max: 3}

$ rvalid validate -r data/rules/table_rows.yaml data/one_row.csv
  FAILED  1 record: 1 valid, 0 invalid (rules data/rules/table_rows.yaml)
  table:
    table.rows.min               FAILED: observed 1, expected >= 2
    table.rows.max               passed: observed 1, expected <= 3
[1]

$ rvalid validate -r data/rules/table_rows.yaml data/three_rows.csv
  PASSED  3 records: 3 valid, 0 invalid (rules data/rules/table_rows.yaml)
  table:
    table.rows.min               passed: observed 3, expected >= 2
    table.rows.max               passed: observed 3, expected <= 3

$ rvalid validate -r data/rules/table_rows.yaml data/four_rows.csv
  FAILED  4 records: 4 valid, 0 invalid (rules data/rules/table_rows.yaml)
  table:
    table.rows.min               passed: observed 4, expected >= 2
    table.rows.max               FAILED: observed 4, expected <= 3
[1]

$ rvalid validate -q -r data/rules/table_rows.yaml data/four_rows.csv -o $T/rows.json; python3 -c '
> import json, sys
> d = json.load(open(sys.argv[1]))
> print(d["passed"], d["table"])' $T/rows.json
  False [{'id': 'table.rows.min', 'passed': True, 'observed': 4, 'expected': '>= 2'}, {'id': 'table.rows.max', 'passed': False, 'observed': 4, 'expected': '<= 3'}]

# rows count the whole dataset: two inputs of one record are 2, of 3 and 1 are 4
$ rvalid validate -q -r data/rules/table_rows.yaml data/one_row.csv data/one_row.csv

$ rvalid validate -r data/rules/table_rows.yaml data/three_rows.csv data/one_row.csv | tail -1
    table.rows.max               FAILED: observed 4, expected <= 3
