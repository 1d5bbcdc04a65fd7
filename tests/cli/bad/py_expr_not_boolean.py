from rvalid import Schema, Field, Rule

schema = Schema({'note': Field(str)})

rules = [
    Rule('has_note', check='len(note)'),
]
