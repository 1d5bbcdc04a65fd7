# Rule file errors: each bad/ file holds one mistake (unless it is about several);
# rvalid check reports it at its line and column and exits 2.

# ---- YAML: keys and settings

$ rvalid check bad/unknown_constraint.yaml
! rvalid: bad/unknown_constraint.yaml:5:22: unknown constraint 'maxlen' (did you mean 'max_length'?)
[2]

$ rvalid check bad/unknown_top_key.yaml
! rvalid: bad/unknown_top_key.yaml:3:1: unknown key 'descripton' (did you mean 'description'?)
[2]

$ rvalid check bad/unknown_csv_setting.yaml
! rvalid: bad/unknown_csv_setting.yaml:2:3: unknown csv setting 'delimeter' (did you mean 'delimiter'?)
[2]

$ rvalid check bad/unknown_type.yaml
! rvalid: bad/unknown_type.yaml:3:19: unknown type 'integer' (did you mean 'int'?)
[2]

$ rvalid check bad/unknown_rule_key.yaml
! rvalid: bad/unknown_rule_key.yaml:5:5: unknown rule key 'chek' (did you mean 'check'?)
[2]

$ rvalid check bad/field_not_mapping.yaml
! rvalid: bad/field_not_mapping.yaml:3:8: field 'age' must be a mapping, not a scalar
[2]

# ---- YAML: contradictions and values typed by the field

$ rvalid check bad/min_on_str.yaml
! rvalid: bad/min_on_str.yaml:3:24: 'min' does not apply to a str field (use min_length/max_length for text)
[2]

$ rvalid check bad/min_above_max.yaml
! rvalid: bad/min_above_max.yaml:5:10: field 'age': min (120) is above max (18): no value can pass
[2]

$ rvalid check bad/min_and_exclusive_min.yaml
! rvalid: bad/min_and_exclusive_min.yaml:5:20: field 'balance' has both min and exclusive_min
[2]

$ rvalid check bad/min_length_above_max_length.yaml
! rvalid: bad/min_length_above_max_length.yaml:5:17: field 'user_id': min_length (8) is above max_length (6)
[2]

$ rvalid check bad/enum_not_int.yaml
! rvalid: bad/enum_not_int.yaml:3:36: enum value: 'abc' is not a valid int
[2]

$ rvalid check bad/bad_date_bound.yaml
! rvalid: bad/bad_date_bound.yaml:4:10: min: '2023-02-30' is not a valid date
[2]

$ rvalid check bad/bad_pattern.yaml
! rvalid: bad/bad_pattern.yaml:4:21: invalid pattern: unmatched closing parenthesis (at offset 6)
[2]

$ rvalid check bad/unknown_format.yaml
! rvalid: bad/unknown_format.yaml:3:30: unknown format 'emial' (did you mean 'email'?)
[2]

$ rvalid check bad/unknown_date_directive.yaml
! rvalid: bad/unknown_date_directive.yaml:4:13: unknown directive '%y' in format (use %Y %m %d %H %M %S %f %z %j %b %%)
[2]

$ rvalid check bad/mostly_above_one.yaml
! rvalid: bad/mostly_above_one.yaml:5:13: mostly must be a number above 0 and at most 1, not '1.5'
[2]

$ rvalid check bad/mostly_zero.yaml
! rvalid: bad/mostly_zero.yaml:3:45: mostly must be a number above 0 and at most 1, not '0'
[2]

$ rvalid check bad/required_yes.yaml
! rvalid: bad/required_yes.yaml:4:15: required must be true or false, not 'yes'
[2]

$ rvalid check bad/required_quoted_true.yaml
! rvalid: bad/required_quoted_true.yaml:4:15: required must be true or false, not the string 'true' (remove the quotes)
[2]

$ rvalid check bad/severity_warning.yaml
! rvalid: bad/severity_warning.yaml:3:57: unknown severity 'warning' (did you mean 'warn'?)
[2]

$ rvalid check bad/columns_typo.yaml
! rvalid: bad/columns_typo.yaml:1:10: unknown columns mode 'strcit' (did you mean 'strict'?)
[2]

$ rvalid check bad/max_invalid_garbage.yaml
! rvalid: bad/max_invalid_garbage.yaml:4:16: max_invalid must be a count like 10 or a share like '1%', not 'lots'
[2]

$ rvalid check bad/aggregate_on_str.yaml
! rvalid: bad/aggregate_on_str.yaml:7:15: aggregate 'mean' needs a numeric field; 'country' is str
[2]

# ---- YAML: syntax

$ rvalid check bad/anchor_alias.yaml
! rvalid: bad/anchor_alias.yaml:2:10: anchors and aliases are not supported
! rvalid: bad/anchor_alias.yaml:3:9: anchors and aliases are not supported
[2]

$ rvalid check bad/duplicate_key.yaml
! rvalid: bad/duplicate_key.yaml:4:3: duplicate key 'email' (first at line 2)
[2]

$ rvalid check bad/yaml_mapping_value.yaml
! rvalid: bad/yaml_mapping_value.yaml:3:14: mapping values are not allowed in this context
[2]

$ rvalid check bad/yaml_unclosed_flow.yaml
! rvalid: bad/yaml_unclosed_flow.yaml:3:6: did not find expected ',' or '}' (while parsing a flow mapping that starts at line 2)
[2]

$ rvalid check bad/yaml_tab.yaml
! rvalid: bad/yaml_tab.yaml:3:1: tabs cannot indent YAML (use spaces)
[2]

$ rvalid check bad/empty.yaml
! rvalid: bad/empty.yaml:1:1: the rule file is empty: it needs at least 'fields'
[2]

$ rvalid check bad/unicode_columns.yaml
! rvalid: bad/unicode_columns.yaml:4:32: unknown constraint 'maxi' (did you mean 'max'?)
[2]

# ---- YAML: row rules and their expressions (columns point inside the string)

$ rvalid check bad/expr_date_vs_str.yaml
! rvalid: bad/expr_date_vs_str.yaml:5:24: cannot compare date with str
[2]

$ rvalid check bad/expr_unknown_field.yaml
! rvalid: bad/expr_unknown_field.yaml:7:12: unknown field 'balanse' (did you mean 'balance'?)
[2]

$ rvalid check bad/expr_unknown_function.yaml
! rvalid: bad/expr_unknown_function.yaml:5:12: unknown function 'lenght' (did you mean 'len'?)
[2]

$ rvalid check bad/expr_not_boolean.yaml
! rvalid: bad/expr_not_boolean.yaml:5:12: a check must be a boolean expression, not int
[2]

$ rvalid check bad/expr_when_not_boolean.yaml
! rvalid: bad/expr_when_not_boolean.yaml:6:11: when must be a boolean expression, not str
[2]

$ rvalid check bad/expr_eq_none.yaml
! rvalid: bad/expr_eq_none.yaml:7:23: compare with None using 'is None' or 'is not None'
[2]

$ rvalid check bad/expr_syntax.yaml
! rvalid: bad/expr_syntax.yaml:5:27: unexpected 'and'
[2]

$ rvalid check bad/expr_trailing_string.yaml
! rvalid: bad/expr_trailing_string.yaml:5:44: unexpected string after the expression
[2]

$ rvalid check bad/rule_without_name.yaml
! rvalid: bad/rule_without_name.yaml:4:5: a rule needs a name
[2]

$ rvalid check bad/duplicate_rule_name.yaml
! rvalid: bad/duplicate_rule_name.yaml:6:11: duplicate rule name 'plausible_age' (first at line 4)
[2]

# ---- YAML: several mistakes, all reported in one run

$ rvalid check bad/several_errors.yaml
! rvalid: bad/several_errors.yaml:3:24: unknown constraint 'max_lenght' (did you mean 'max_length'?)
! rvalid: bad/several_errors.yaml:4:38: max: 'abc' is not a valid int
! rvalid: bad/several_errors.yaml:5:34: required must be true or false, not 'yes'
! rvalid: bad/several_errors.yaml:8:12: unknown field 'agee' (did you mean 'age'?)
! rvalid: bad/several_errors.yaml:9:15: unknown severity 'warning' (did you mean 'warn'?)
[2]

# ---- Python-like: statements

$ rvalid check bad/py_def.py
! rvalid: bad/py_def.py:3:1: 'def' is not supported in rule files
[2]

$ rvalid check bad/py_assign_other.py
! rvalid: bad/py_assign_other.py:3:1: only 'schema' and 'rules' may be assigned, not 'email'
[2]

$ rvalid check bad/py_indent.py
! rvalid: bad/py_indent.py:4:3: unexpected indent
[2]

$ rvalid check bad/py_unknown_name.py
! rvalid: bad/py_unknown_name.py:4:34: unknown name 'true' (did you mean 'True'?)
[2]

$ rvalid check bad/py_unknown_call.py
! rvalid: bad/py_unknown_call.py:5:12: unknown function 'Feild' (did you mean 'Field'?)
[2]

$ rvalid check bad/py_unterminated_string.py
! rvalid: bad/py_unterminated_string.py:4:32: unterminated string
[2]

$ rvalid check bad/py_unclosed_bracket.py
! rvalid: bad/py_unclosed_bracket.py:6:1: expected ')' to close '(' at line 5, found '}'
[2]

$ rvalid check bad/py_missing_schema.py
! rvalid: bad/py_missing_schema.py:1:1: the file assigns no 'schema = Schema(...)'
[2]

$ rvalid check bad/py_empty.py
! rvalid: bad/py_empty.py:1:1: the file assigns no 'schema = Schema(...)'
[2]

$ rvalid check bad/py_rules_not_list.py
! rvalid: bad/py_rules_not_list.py:4:9: 'rules' must be a list of Rule(...)
[2]

$ rvalid check bad/py_field_two_positional.py
! rvalid: bad/py_field_two_positional.py:4:23: Field() takes at most one positional argument
[2]

$ rvalid check bad/py_rule_as_field.py
! rvalid: bad/py_rule_as_field.py:5:14: field 'adult' must be Field(...), not Rule(...)
[2]

$ rvalid check bad/py_duplicate_dict_key.py
! rvalid: bad/py_duplicate_dict_key.py:6:5: duplicate key 'email' (first at line 4)
[2]

$ rvalid check bad/py_unicode_columns.py
! rvalid: bad/py_unicode_columns.py:3:60: invalid pattern: unmatched closing parenthesis (at offset 6)
[2]

# ---- Python-like: keys, settings and contradictions

$ rvalid check bad/py_unknown_constraint.py
! rvalid: bad/py_unknown_constraint.py:5:24: unknown constraint 'maxlen' (did you mean 'max_length'?)
[2]

$ rvalid check bad/py_unknown_top_key.py
! rvalid: bad/py_unknown_top_key.py:5:18: unknown key 'descripton' (did you mean 'description'?)
[2]

$ rvalid check bad/py_unknown_csv_setting.py
! rvalid: bad/py_unknown_csv_setting.py:5:27: unknown csv setting 'null_value' (did you mean 'null_values'?)
[2]

$ rvalid check bad/py_unknown_type.py
! rvalid: bad/py_unknown_type.py:4:22: unknown type 'datetme' (did you mean 'datetime'?)
[2]

$ rvalid check bad/py_min_on_str.py
! rvalid: bad/py_min_on_str.py:4:27: 'min' does not apply to a str field (use min_length/max_length for text)
[2]

$ rvalid check bad/py_min_above_max.py
! rvalid: bad/py_min_above_max.py:4:44: field 'price': min (10.50) is above max (9.99): no value can pass
[2]

$ rvalid check bad/py_exclusive_max.py
! rvalid: bad/py_exclusive_max.py:4:48: field 'ratio' has both max and exclusive_max
[2]

$ rvalid check bad/py_min_length_above_max_length.py
! rvalid: bad/py_min_length_above_max_length.py:4:49: field 'code': min_length (3) is above max_length (2)
[2]

$ rvalid check bad/py_enum_not_int.py
! rvalid: bad/py_enum_not_int.py:4:38: enum value must be an int, not a string
[2]

$ rvalid check bad/py_bad_date_bound.py
! rvalid: bad/py_bad_date_bound.py:4:36: max: '2024-13-01' is not a valid date
[2]

$ rvalid check bad/py_bad_pattern.py
! rvalid: bad/py_bad_pattern.py:4:46: invalid pattern: missing terminating ] for character class (at offset 12)
[2]

$ rvalid check bad/py_date_directive.py
! rvalid: bad/py_date_directive.py:4:39: unknown directive '%e' in format (use %Y %m %d %H %M %S %f %z %j %b %%)
[2]

$ rvalid check bad/py_mostly.py
! rvalid: bad/py_mostly.py:4:48: mostly must be a number above 0 and at most 1, not '99'
[2]

$ rvalid check bad/py_required_string.py
! rvalid: bad/py_required_string.py:4:34: required must be True or False, not the string 'True' (remove the quotes)
[2]

$ rvalid check bad/py_severity_warning.py
! rvalid: bad/py_severity_warning.py:6:57: unknown severity 'warning' (did you mean 'warn'?)
[2]

$ rvalid check bad/py_columns_typo.py
! rvalid: bad/py_columns_typo.py:5:12: unknown columns mode 'orderd' (did you mean 'ordered'?)
[2]

$ rvalid check bad/py_max_invalid_garbage.py
! rvalid: bad/py_max_invalid_garbage.py:5:16: max_invalid must be a count like 10 or a share like '1%', not '1 percent'
[2]

$ rvalid check bad/py_aggregate_on_date.py
! rvalid: bad/py_aggregate_on_date.py:5:42: aggregate 'sum' needs a numeric field; 'signup_date' is date
[2]

# ---- Python-like: row rules and their expressions

$ rvalid check bad/py_expr_date_vs_str.py
! rvalid: bad/py_expr_date_vs_str.py:6:46: cannot compare date with str
[2]

$ rvalid check bad/py_expr_unknown_field.py
! rvalid: bad/py_expr_unknown_field.py:6:45: unknown field 'satus' (did you mean 'status'?)
[2]

$ rvalid check bad/py_expr_unknown_function.py
! rvalid: bad/py_expr_unknown_function.py:6:45: unknown function 'lowercase' (did you mean 'lower'?)
[2]

$ rvalid check bad/py_expr_not_boolean.py
! rvalid: bad/py_expr_not_boolean.py:6:28: a check must be a boolean expression, not int
[2]

$ rvalid check bad/py_expr_eq_none.py
! rvalid: bad/py_expr_eq_none.py:6:42: compare with None using 'is None' or 'is not None'
[2]

$ rvalid check bad/py_expr_syntax.py
! rvalid: bad/py_expr_syntax.py:6:58: expected ')', found end of expression
[2]

$ rvalid check bad/py_expr_escaped_string.py
! rvalid: bad/py_expr_escaped_string.py:6:35: unknown field 'balanse' (did you mean 'balance'?)
[2]

$ rvalid check bad/py_rule_without_name.py
! rvalid: bad/py_rule_without_name.py:6:5: a rule needs a name
[2]

$ rvalid check bad/py_duplicate_rule_name.py
! rvalid: bad/py_duplicate_rule_name.py:7:10: duplicate rule name 'plausible_age' (first at line 6)
[2]

# ---- Python-like: several mistakes, all reported in one run

$ rvalid check bad/py_several_errors.py
! rvalid: bad/py_several_errors.py:4:27: unknown constraint 'max_lenght' (did you mean 'max_length'?)
! rvalid: bad/py_several_errors.py:5:35: max must be an int, not a string
! rvalid: bad/py_several_errors.py:6:34: required must be True or False, not 'yes'
! rvalid: bad/py_several_errors.py:10:26: unknown field 'agee' (did you mean 'age'?)
! rvalid: bad/py_several_errors.py:10:48: unknown severity 'warning' (did you mean 'warn'?)
[2]

# ---- warnings: "" in an enum can never match; the file still compiles

$ rvalid check bad/enum_empty_string.yaml
  bad/enum_empty_string.yaml: ok: 1 field, 0 rules, 7 checks, 1 warning
! rvalid: bad/enum_empty_string.yaml:3:31: warning: '' in enum can never match: such a cell is missing

$ rvalid check bad/py_enum_empty_string.py
  bad/py_enum_empty_string.py: ok: 1 field, 0 rules, 7 checks, 1 warning
! rvalid: bad/py_enum_empty_string.py:4:45: warning: '' in enum can never match: such a cell is missing

# ---- the example rule files compile

$ rvalid check ../../rules/every_constraint.py
  ../../rules/every_constraint.py: ok: 21 fields, 4 rules, 59 checks

$ rvalid check ../../rules/every_constraint.yaml
  ../../rules/every_constraint.yaml: ok: 21 fields, 4 rules, 59 checks

$ rvalid check ../../rules/transactions.py
  ../../rules/transactions.py: ok: 9 fields, 4 rules, 33 checks

$ rvalid check ../../rules/transactions.yaml
  ../../rules/transactions.yaml: ok: 9 fields, 4 rules, 33 checks

$ rvalid check ../../rules/users.py
  ../../rules/users.py: ok: 8 fields, 1 rule, 24 checks

$ rvalid check ../../rules/users.yaml
  ../../rules/users.yaml: ok: 8 fields, 1 rule, 24 checks

# every rule file shipped in rules/ (new ones too) compiles without a message
$ for f in ../../rules/*.yaml ../../rules/*.yml ../../rules/*.py ../../rules/*.rv; do
>   [ -e "$f" ] || continue; rvalid check -q "$f" 2>&1 || echo "FAIL $f"
> done

# one bad file among good ones: the good ones still print their ok line
$ rvalid check ../../rules/users.yaml bad/unknown_format.yaml ../../rules/users.py
  ../../rules/users.yaml: ok: 8 fields, 1 rule, 24 checks
  ../../rules/users.py: ok: 8 fields, 1 rule, 24 checks
! rvalid: bad/unknown_format.yaml:3:30: unknown format 'emial' (did you mean 'email'?)
[2]
