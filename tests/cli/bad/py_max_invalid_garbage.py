from rvalid import Schema, Field

schema = Schema({
    'email': Field(str),
}, max_invalid='1 percent')
