from rvalid import Schema, Field

schema = Schema({
    'signup_date': Field(date, max='2024-13-01'),
})
