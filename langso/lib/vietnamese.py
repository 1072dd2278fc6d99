"""Vietnamese text rules: search folding, name parts and official dates (domain.md §2–§3)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text):
    """The search form of `text`: no tones or marks, đ as d, case-folded, spaces collapsed.

    Both tone placements ("Thuỷ" / "Thủy", "hoà" / "hòa") fold alike, because the
    marks are dropped wherever they sit; NFD alone keeps đ, so it is mapped by hand.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def normalize_name(full_name):
    """A name as written, in composed form with single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", full_name or "")).strip()


def split_name(full_name):
    """(family, middle, given) of a full name; the caller may correct the split.

    Vietnamese names run family – middle(s) – given. A single word is taken as the
    given name; some minority names have no middle name ("Giàng Dệnh") and then
    the middle part is empty.
    """
    words = normalize_name(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def official_date(day):
    """`day` as official documents write it: "ngày 05 tháng 02 năm 2025".

    Days under 10 and the months January and February take a leading zero
    (Decree 30/2020/NĐ-CP, appendix I), so that nobody can add a digit later.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
