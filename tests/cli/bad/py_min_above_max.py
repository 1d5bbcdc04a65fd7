from rvalid import Schema, Field

schema = Schema({
    'price': Field(decimal, min=10.50, max=9.99),
})
