# columns count characters, not bytes
schema = Schema({
    'prénom': Field(str), 'âge': Field(int, pattern='[0-9]+)'),
})
