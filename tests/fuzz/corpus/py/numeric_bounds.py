schema = Schema({
    'age': Field(int, min=18, max=120, required=True),
    'score': Field(type=float, exclusive_min=0, exclusive_max=1.5e3, mostly=0.99),
    'price': Field(decimal, min='0.00', max=99_999.99, not_in=[13.13]),
    'flag': Field(bool, enum=[True]),
    'neg': Field(int, min=-5, max=+5, enum=(1, 2, 3,)),
}, columns='any')
