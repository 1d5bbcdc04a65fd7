schema = Schema({'a': Field(int), 'd': Field(date)}, rules=[],
                table={'max_invalid': '150%', 'rows': {'min': -1, 'mix': 2},
                       'aggregates': {'a': {'median': {'min': 1}}, 'zz': {'mean': {'low': 0}}}},
                max_invalid=3)
rules = [
    Rule('bad_cmp', check="d == 'x'"),
    Rule('unknown', check='aa > 1'),
    Rule('nocheck'),
    Rule(check='a / 0 > 1', when='a'),
    Rule('badfn', check="foo(a) and today() > date('2024-13-01')"),
    Rule('re', check="matches(row['c'], '(')"),
    Rule('re', 'dup', check=1),
    Fild(int),
    Rule('neg', check='--a > -1'),
]
