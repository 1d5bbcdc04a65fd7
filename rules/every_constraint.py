# every_constraint: one use of every key of the rule language, as a reference.
# Its twin is every_constraint.yaml; `rvalid check --explain` prints the same graph for both.
from rvalid import Schema, Field, Rule

schema = Schema(
    {
        'id': Field(int, required=True, min=1, unique=True),
        'code': Field(str, required=True, pattern=r'[A-Z]{3}-\d{4}', min_length=8, max_length=8),
        'name': Field(str, not_in=['test', 'dummy'], ignore_case=True,
                      message='name is a placeholder'),
        'email': Field(str, format='email'),
        'homepage': Field(str, format='uri'),
        'token': Field(str, format='uuid'),
        'ip': Field(str, format='ipv4'),
        'ip6': Field(str, format='ipv6'),
        'digest': Field(str, format='hex', min_length=64, max_length=64),
        'blob': Field(str, format='base64'),
        'ratio': Field(float, exclusive_min=0, exclusive_max=1, mostly=0.99),
        'price': Field(decimal, min=0.01, max=99999.99),
        'active': Field(bool, required=True),
        'level': Field(int, enum=[1, 2, 3]),
        'born': Field(date, format='%d/%m/%Y', min='1900-01-01'),
        'seen': Field(datetime, max='2100-01-01T00:00:00Z'),
        'opens': Field(time, min='06:00', max='22:00'),
        'day': Field(date, format='%Y%j'),
        'stamp': Field(datetime, format='%d %b %Y %H:%M:%S.%f%z'),
        'country': Field(str, references={'file': 'countries.csv', 'column': 'code'},
                         severity='warn'),
        'comment': Field(str),
    },
    version=1,
    name='every_constraint',
    description='Every constraint, type, format and table check at least once',
    csv={
        'delimiter': ';',
        'quote': "'",
        'escape': '\\',
        'header': True,
        'null_values': ['', 'n/a'],
        'encoding': 'utf-8',
        'skip_lines': 1,
        'comment': '#',
    },
    columns='any',
    max_invalid=10,
    table={
        'rows': {'min': 1, 'max': 1000000},
        'unique': ['code', 'country'],
        'aggregates': {
            'price': {'mean': {'min': 1, 'max': 5000}, 'sum': {'max': 1e9},
                      'stddev': {'max': 10000}, 'min': {'min': 0.01}, 'max': {'max': 99999.99}},
            'email': {'missing': {'max': '5%'}, 'distinct': {'min': 1}},
        },
    },
)

rules = [
    Rule('cheap_items_have_codes', when='price is not None and price < 10',
         check="startswith(code, 'LOW') or matches(code, '[A-Z]{3}-0\\d{3}')"),
    Rule('level_matches_ratio', check='level is None or ratio is None or ratio * 3 <= level + 0.5',
         severity='warn'),
    Rule('seen_after_birth', when='born is not None and seen is not None',
         check="seen >= datetime('1900-01-01T00:00:00Z') and born <= today()"),
    Rule('note_column', check="row['free text'] is None or len(row['free text']) <= 500"),
]
