from rvalid import Schema, Field, Rule

schema = Schema({'age': Field(int)})

rules = [
    Rule('plausible_age', check='age >= 0'),
    Rule('plausible_age', check='age <= 150'),
]
