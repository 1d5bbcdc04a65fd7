from rvalid import Schema, Field, Rule

schema = Schema({
    'user_id': Field(str, max_lenght=6),
    'age': Field(int, min=18, max='abc'),
    'email': Field(str, required='yes'),
}, columns='strict')

rules = [
    Rule('adult', check='agee >= 18', severity='warning'),
]
