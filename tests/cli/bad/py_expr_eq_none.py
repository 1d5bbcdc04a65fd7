from rvalid import Schema, Field, Rule

schema = Schema({'email': Field(str), 'status': Field(str)})

rules = [
    Rule('email_or_closed', check="email != None or status == 'closed'"),
]
