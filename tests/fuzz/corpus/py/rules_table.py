schema = Schema({
    'start_date': Field(date),
    'end_date': Field(date),
    'balance': Field(float),
    'status': Field(str),
    'age': Field(int),
}, table={
    'rows': {'min': 1, 'max': 1000000},
    'max_invalid': 10,
    'unique': [['status', 'age'], ['balance']],
    'aggregates': {
        'balance': {'mean': {'min': 0, 'max': 1e6}, 'sum': {'max': 1e9}, 'stddev': {'max': 100},
                    'min': {'min': 0}, 'max': {'max': 5}},
        'age': {'missing': {'max': '5%'}, 'distinct': {'min': 2}},
    },
})

rules = [
    Rule('ordered_dates', check='end_date >= start_date'),
    Rule(name='adult', when="status in ('active', 'suspended') and balance is not None",
         check="18 <= age <= 120 or row['age'] is None", severity='warn', message='too young'),
    Rule('funcs', check="len(lower(strip(status))) > 0 and matches(status, '[a-z]+') and "
                        "not startswith(upper(status), 'X') and endswith(status, 'd')"),
    Rule('today', check='end_date <= today() and abs(min(balance, 1, 2.5)) >= max(age, 0) % 7'),
]
