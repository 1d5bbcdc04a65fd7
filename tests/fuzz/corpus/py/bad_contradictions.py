schema = Schema({
    'name': Field(str, min=3),
    'n': Field(int, min=10, max=5, exclusive_min=1),
    's': Field(min_length=9, max_length=2, maxlen=4),
    'd': Field(date, min='2023-02-30'),
    'x': Field(nosuchtype),
    'y': Field(str, type=int),
}, columnz='strict')
