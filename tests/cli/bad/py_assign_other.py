from rvalid import Schema, Field

email = Field(str, required=True)
schema = Schema({'email': Field(str)})
