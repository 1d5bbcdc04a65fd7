from rvalid import Schema, Field

schema = Schema({
    'signup_date': Field(date),
}, table={'aggregates': {'signup_date': {'sum': {'max': 10}}}})
