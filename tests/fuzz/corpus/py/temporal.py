schema = Schema({
    'born': Field(date, min='1900-01-01', max='2100-12-31', format='%d/%m/%Y'),
    'seen': Field(datetime, exclusive_min='2020-01-01T00:00:00Z', format='%Y-%m-%dT%H:%M:%S.%f%z'),
    'at': Field(time, min='08:00', max='17:30:00', format='%H:%M'),
    'doy': Field(date, format='%Y-%j'),
    'mon': Field(date, format="%d %b %Y %%"),
})
