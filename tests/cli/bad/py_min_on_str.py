from rvalid import Schema, Field

schema = Schema({
    'user_id': Field(str, min=100000),
})
