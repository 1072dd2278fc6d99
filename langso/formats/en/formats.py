# English pages keep day-first dates: the lists they print are the same documents.
from langso.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
