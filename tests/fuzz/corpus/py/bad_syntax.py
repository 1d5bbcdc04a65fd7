from rvalid import Schema
schema = Schema({'a': Field(str)
rules = [Rule('x', check='a'
