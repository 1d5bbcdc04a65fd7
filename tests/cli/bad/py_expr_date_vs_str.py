from rvalid import Schema, Field, Rule

schema = Schema({'start_date': Field(date), 'end_date': Field(date)})

rules = [
    Rule('ends_after_start', check="end_date >= '2024-01-01'"),
]
