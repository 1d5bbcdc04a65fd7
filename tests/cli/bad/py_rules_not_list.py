from rvalid import Schema, Field, Rule

schema = Schema({'age': Field(int)})
rules = Rule('adult', check='age >= 18')
