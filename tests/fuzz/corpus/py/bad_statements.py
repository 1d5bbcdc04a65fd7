x = 5
def f(): pass
  schema = Schema({'a': Field(str)})
schema = Schema({'a': Field(str)}) + 1
schema = Schema({1: Field(str), 'a': Field(str), 'a': Field(int)})
rules = Rule('r', check='True')
for i in range(3): pass
schema.x = 1
a = \
 2
