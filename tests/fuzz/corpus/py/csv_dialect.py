import rvalid
from rvalid import (Schema, Field as F,)
from . import *

schema = Schema(fields={'a': Field(str)}, version=1, name="dialect", description='''every
csv key''',
    csv={'delimiter': ';', 'quote': "'", 'escape': '\\', 'comment': '#', 'header': False,
         'null_values': ['', 'NA', u'null', r'-'], 'encoding': 'latin-1', 'skip_lines': 2},
    columns='ordered', max_invalid='5%')
