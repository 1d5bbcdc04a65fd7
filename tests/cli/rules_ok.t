# The shipped rule files compile, and each YAML/Python-like pair are twins:
# `check --explain` prints the same graph for both (SPEC section 2).

$ rvalid check ../../rules/users.yaml ../../rules/users.py
  ../../rules/users.yaml: ok: 8 fields, 1 rule, 24 checks
  ../../rules/users.py: ok: 8 fields, 1 rule, 24 checks

$ rvalid check ../../rules/transactions.yaml ../../rules/transactions.py
  ../../rules/transactions.yaml: ok: 9 fields, 4 rules, 33 checks
  ../../rules/transactions.py: ok: 9 fields, 4 rules, 33 checks

$ rvalid check ../../rules/every_constraint.yaml ../../rules/every_constraint.py
  ../../rules/every_constraint.yaml: ok: 21 fields, 4 rules, 59 checks
  ../../rules/every_constraint.py: ok: 21 fields, 4 rules, 59 checks

$ for t in users transactions every_constraint; do
>   rvalid check --explain ../../rules/$t.yaml > $T/a && rvalid check --explain ../../rules/$t.py > $T/b &&
>   cmp -s $T/a $T/b && echo "$t: twins" || { echo "$t: differ"; diff $T/a $T/b; }
> done
  users: twins
  transactions: twins
  every_constraint: twins

# every rule file in rules/ has a twin
$ cd ../../rules && for f in *.yaml; do [ -f "${f%.yaml}.py" ] || echo "no twin: $f"; done; for f in *.py; do [ -f "${f%.py}.yaml" ] || echo "no twin: $f"; done

# the benchmark rule set (beside the checkout) is a pair of twins too
$ b=../../../shared/bench; rvalid check --explain $b/users.yaml > $T/a && rvalid check --explain $b/users.py > $T/b && cmp $T/a $T/b && echo twins
  twins

# the graph of a small rule set, exactly
$ printf 'fields:\n  age: {type: int, required: true, max: 120}\n  name:\nrules:\n  - {name: adult, check: age >= 18}\n' > $T/small.yaml
> rvalid check --explain $T/small.yaml
  rule graph: 2 fields, 1 rule, 10 checks, 16 nodes, 15 edges
  nodes:
    n0    read records: delimiter ',' quote '"' escape none comment none header true null_values [''] encoding utf-8 skip_lines 0 columns any
    n1    check csv.header
    n2    check csv.ragged
    n3    check csv.quote
    n4    check csv.encoding
    n5    check csv.blank
    n6    check csv.field_size
    n7    cell 'age'
    n8    missing 'age'
    n9    check age.required [error]
    n10   parse 'age' as int check age.type [error]
    n11   check age.max <= 120 [error]
    n12   cell 'name'
    n13   missing 'name'
    n14   parse 'name' as str
    n15   rule rules.adult check (age >= 18) [error]
  edges:
    n0 -> n1
    n0 -> n2
    n0 -> n3
    n0 -> n4
    n0 -> n5
    n0 -> n6
    n0 -> n7
    n7 -> n8
    n8 -> n9
    n8 -> n10
    n10 -> n11
    n0 -> n12
    n12 -> n13
    n13 -> n14
    n10 -> n15
  order: n0 n1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11 n12 n13 n14 n15

$ rvalid check --format dot $T/small.yaml | head -5
  digraph rvalid {
    rankdir=LR;
    node [fontname="monospace"];
    n0 [shape=house, label="read records: delimiter ',' quote '\"' escape none comment none header true null_values [''] encoding utf-8 skip_lines 0 columns any"];
    n1 [shape=diamond, label="check csv.header"];
