from rvalid import Schema, Field, Rule

schema = Schema({'balance': Field(float)})

rules = [
    Rule('not_negative', check='balance >= 0', severity='warning'),
]
