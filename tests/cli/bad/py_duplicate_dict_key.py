from rvalid import Schema, Field

schema = Schema({
    'email': Field(str),
    'age': Field(int),
    'email': Field(str, required=True),
})
