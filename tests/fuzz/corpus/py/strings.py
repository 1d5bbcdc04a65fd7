schema = Schema({
    'code': Field(str, pattern=r'[A-Z]{3}\d+', ignore_case=True, min_length=4, max_length=10),
    'mail': Field(str, format='email', unique=True, severity='warn', message="bad mail"),
    'site': Field(str, format='uri'),
    'id': Field(str, format='uuid'),
    'ip4': Field(str, format='ipv4'),
    'ip6': Field(str, format='ipv6'),
    'hx': Field(str, format='hex'),
    'b64': Field(str, format='base64', mostly=0.95),
    'cc': Field(str, enum=['US', 'GB', 'NO', ''], not_in=['XX'], ignore_case=True),
    'ref': Field(str, references={'file': 'countries.csv', 'column': 'code'}),
    'esc': Field(str, enum=['\x41\u00e9\U0001F600\n\t\0', "it's", """tri"ple""", 'a' 'b']),
})
