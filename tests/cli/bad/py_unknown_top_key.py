from rvalid import Schema, Field

schema = Schema({
    'email': Field(str),
}, name='users', descripton='Customer accounts export')
