from rvalid import Schema, Field

schema = Schema({
    'email': Field(str, required=True),
    'age': Feild(int, min=18),
})
