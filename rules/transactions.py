# transactions: card transactions with dates, decimals and row rules.
# Its twin is transactions.yaml; `rvalid check --explain` prints the same graph for both.
from rvalid import Schema, Field, Rule

schema = Schema({
    'txn_id': Field(str, required=True, pattern=r'T[0-9]{10}', unique=True),
    'account_id': Field(int, required=True, min=1),
    'posted_at': Field(datetime, required=True, min='2020-01-01T00:00:00Z'),
    'value_date': Field(date, required=True),
    'settled_on': Field(date),
    'amount': Field(decimal, required=True, exclusive_min=-1000000, max=1000000),
    'currency': Field(str, required=True, enum=['EUR', 'USD', 'GBP', 'NOK'], ignore_case=True),
    'kind': Field(str, required=True, enum=['purchase', 'refund', 'fee']),
    'merchant': Field(str, max_length=80),
}, version=1, name='transactions', description='Card transactions export',
   csv={'null_values': ['', 'NULL']}, columns='ordered',
   table={'rows': {'min': 1}, 'max_invalid': '0.5%'})

rules = [
    Rule('settles_after_value_date', when='settled_on is not None',
         check='settled_on >= value_date'),
    Rule('refunds_are_negative', when="kind == 'refund'", check='amount < 0'),
    Rule('fees_are_small', when="kind == 'fee'", check='-100 <= amount <= 0',
         severity='warn', message='fees should be between -100 and 0'),
    Rule('purchases_name_a_merchant', when="kind == 'purchase'",
         check='merchant is not None and len(strip(merchant)) > 0'),
]
