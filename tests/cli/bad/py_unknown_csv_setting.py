from rvalid import Schema, Field

schema = Schema({
    'email': Field(str),
}, csv={'delimiter': ';', 'null_value': ['', 'NA']})
