from rvalid import Schema, Field, Rule

schema = Schema({
    'age': Field(int),
    'adult': Rule('adult', check='age >= 18'),
})
