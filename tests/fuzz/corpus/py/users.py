# users: the example of rvalid-rules(5); its twin is users.yaml.
from rvalid import Schema, Field, Rule        # import lines are accepted and ignored

schema = Schema({
    'user_id': Field(str, required=True, pattern=r'^\d{6}$', unique=True),
    'email': Field(str, required=True, format='email'),
    'age': Field(int, min=18, max=120),
    'balance': Field(float, min=0),
    'country': Field(str, enum=['US', 'GB', 'DE', 'FR', 'NO']),
    'signup_date': Field(date),
    'status': Field(str, required=True, enum=['active', 'suspended', 'closed'], severity='warn'),
    'note': Field(str, max_length=200),
}, version=1, name='users', description='Customer accounts export',
   csv={'delimiter': ',', 'quote': '"', 'header': True, 'null_values': ['', 'NA']},
   columns='strict', table={'rows': {'min': 1}, 'max_invalid': '1%'})

rules = [
    Rule('closed_accounts_are_empty', when="status == 'closed'", check="balance == 0",
         severity='warn', message='closed accounts must have a zero balance'),
]
