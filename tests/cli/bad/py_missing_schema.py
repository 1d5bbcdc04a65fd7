from rvalid import Rule

rules = [
    Rule('adult', check='age >= 18'),
]
