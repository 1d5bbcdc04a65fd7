from rvalid import Schema, Field

schema = Schema({
    'ratio': Field(float, max=1, exclusive_max=1),
})
