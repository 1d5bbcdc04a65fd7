from rvalid import Schema, Field

schema = Schema({
    'code': Field(str, min_length=3, max_length=2),
})
