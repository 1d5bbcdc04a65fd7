from rvalid import Schema, Field

schema = Schema({
    'code': Field(str, pattern=r'[A-Z]{2}[0-9'),
})
