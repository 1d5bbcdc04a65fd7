from rvalid import Schema, Field

schema = Schema({
    'created': Field('datetme'),
})
