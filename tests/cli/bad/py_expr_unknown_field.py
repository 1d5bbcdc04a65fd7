from rvalid import Schema, Field, Rule

schema = Schema({'status': Field(str), 'balance': Field(float)})

rules = [
    Rule('closed_accounts_are_empty', when="satus == 'closed'", check='balance == 0'),
]
