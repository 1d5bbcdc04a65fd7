from rvalid import Schema, Field, Rule

schema = Schema({'balance': Field(float)})

rules = [
    Rule(check='balance >= 0'),
]
