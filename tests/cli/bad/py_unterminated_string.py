from rvalid import Schema, Field

schema = Schema({
    'email': Field(str, format='email),
})
