from rvalid import Schema, Field

schema = Schema({
    'email': Field(str, required=True),
    'age': Field(int, min=18,
})
