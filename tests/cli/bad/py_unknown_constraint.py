from rvalid import Schema, Field

schema = Schema({
    'email': Field(str, required=True),
    'note': Field(str, maxlen=200),
})
