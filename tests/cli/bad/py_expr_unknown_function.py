from rvalid import Schema, Field, Rule

schema = Schema({'email': Field(str)})

rules = [
    Rule('lowercase_email', check='email == lowercase(email)'),
]
