from rvalid import Schema, Field

schema = Schema({
    'rating': Field(int, enum=[1, 2, 'abc']),
})
