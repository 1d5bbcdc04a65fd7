from rvalid import Schema, Field

schema = Schema({
    'country': Field(str, enum=['US', 'GB', '']),
})
