from rvalid import Schema, Field

def adult(age):
    return age >= 18

schema = Schema({'age': Field(int)})
