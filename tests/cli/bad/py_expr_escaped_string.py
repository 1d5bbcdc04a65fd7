from rvalid import Schema, Field, Rule

schema = Schema({'status': Field(str), 'balance': Field(float)})

rules = [
    Rule('closed_is_empty', check="status != \"closed\" or balanse == 0"),
]
