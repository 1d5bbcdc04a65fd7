from rvalid import Schema, Field

schema = Schema({
    'signup_date': Field(date, format='%Y-%m-%e'),
})
