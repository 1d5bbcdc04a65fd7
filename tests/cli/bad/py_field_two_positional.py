from rvalid import Schema, Field

schema = Schema({
    'age': Field(int, float, min=0),
})
