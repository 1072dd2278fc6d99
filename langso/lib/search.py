"""What a search box may ask: one helper for every search the site builds.

A search becomes one SQL condition per word; a thousand typed (or pasted) words made
"Expression tree is too large" on SQLite, and a NUL byte is refused by PostgreSQL. Every
view that builds a search from what was typed passes it through `search_text` first.
"""

from langso.lib.vietnamese import strip_controls

MAX_SEARCH_WORDS = 8
MAX_SEARCH_LENGTH = 100


def search_text(value: object) -> str:
    """`value` as a search: no control characters, single spaces, at most
    `MAX_SEARCH_WORDS` words and `MAX_SEARCH_LENGTH` characters ("" for nothing)."""
    text = strip_controls(str(value or ""))
    words = text.split()[:MAX_SEARCH_WORDS]
    return " ".join(words)[:MAX_SEARCH_LENGTH].rstrip()
