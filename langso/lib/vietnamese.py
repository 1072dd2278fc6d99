"""Vietnamese text rules: search folding, name parts and official dates (domain.md §2–§3)."""

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")


# Bidirectional controls (an RTL override prints a name backwards), zero-width and other
# invisible format characters, and the C0/C1 controls; line breaks and tabs are kept by
# `strip_controls` for text that has lines.
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def strip_controls(text: str) -> str:
    """`text` without control, bidirectional and invisible format characters (keeps
    line breaks and tabs)."""
    return _INVISIBLE.sub("", text) if text else text


@lru_cache(maxsize=200_000)
def fold(text: str | None) -> str:
    """The search form of `text`: no tones or marks, đ as d, case-folded, spaces collapsed.

    Both tone placements ("Thuỷ" / "Thủy", "hoà" / "hòa") fold alike, because the
    marks are dropped wherever they sit; NFD alone keeps đ, so it is mapped by hand.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def normalize_name(full_name: str | None) -> str:
    """A name (or any line typed in) as written, in composed form with single spaces.

    Every name stored (units, people, addresses, places) goes through this, so that
    "Xã  Bắc Đông Quan" from the official list and "Xã Bắc Đông Quan" typed in are one.
    """
    text = strip_controls(unicodedata.normalize("NFC", full_name or ""))
    return _SPACES.sub(" ", text).strip()


def split_name(full_name: str | None) -> tuple[str, str, str]:
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


def official_date(day: date) -> str:
    """`day` as official documents write it: "ngày 05 tháng 02 năm 2025".

    Days under 10 and the months January and February take a leading zero
    (Decree 30/2020/NĐ-CP, appendix I), so that nobody can add a digit later.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# --- Sorting (domain.md §3) -------------------------------------------------------------

_TONE_MARKS = {
    "\u0300",  # huyền
    "\u0309",  # hỏi
    "\u0303",  # ngã
    "\u0301",  # sắc
    "\u0323",  # nặng
}
_VOWELS = set("aeiouyAEIOUY")
_collator: Any = None  # an icu.Collator; PyICU ships no type information


def _vi_collator() -> Any:
    """ICU's Vietnamese collation, created on first use (PyICU is a compiled extension)."""
    global _collator
    if _collator is None:
        import icu

        _collator = icu.Collator.createInstance(icu.Locale("vi"))
    return _collator


def canonical_tones(text: str) -> str:
    """`text` with each word's tone mark on its last vowel, so that "Thuỷ" equals "Thủy".

    Both placements are in use (domain.md §3). They must sort alike, so the key is
    computed from one canonical placement; the name itself stays as written.
    """
    words = []
    for word in unicodedata.normalize("NFD", text).split(" "):
        tones = [ch for ch in word if ch in _TONE_MARKS]
        if not tones:
            words.append(word)
            continue
        bare = [ch for ch in word if ch not in _TONE_MARKS]
        last_vowel = max((i for i, ch in enumerate(bare) if ch in _VOWELS), default=None)
        if last_vowel is None:
            words.append(word)
            continue
        # The tone goes after the vowel and any of its own marks (circumflex, breve, horn).
        at = last_vowel + 1
        while at < len(bare) and unicodedata.combining(bare[at]):
            at += 1
        words.append("".join(bare[:at]) + tones[0] + "".join(bare[at:]))
    return unicodedata.normalize("NFC", " ".join(words))


@lru_cache(maxsize=65536)
def collation_key(text: str) -> bytes:
    """ICU `vi` sort key of `text` as bytes: compared bytewise it gives Vietnamese order."""
    return bytes(_vi_collator().getSortKey(canonical_tones(normalize_name(text))))


def name_sort_key(full_name: str, parts: tuple[str, str, str] | None = None) -> str:
    """The key for official alphabetical order: given name, then family, then middle name.

    Whole-string collation puts "Thú An" before "Thu Hà"; official lists compare the
    given names first (domain.md §3). `parts` is (family, middle, given) when the split
    was corrected by hand; otherwise it is derived. Ties on the whole key are broken by
    the earlier birth date, which the caller orders by next. Returned as hex text, so it
    orders the same in any database column.
    """
    family, middle, given = parts or split_name(full_name)
    # ICU keys end in a 0x00 byte and contain none before it, so joining the parts'
    # keys on 0x00 compares part by part: a shorter given name sorts before a longer one.
    key = b"".join(collation_key(part) for part in (given, family, middle))
    return key.hex()


# --- Personal ID numbers (domain.md §2) --------------------------------------------------

# The first three digits of a personal ID number: the province where the birth was
# registered, in the old 63-province numbering (Circular 59/2021/TT-BCA, art. 7 and its
# appendix, which take the province codes of Decision 124/2004/QĐ-TTg with a leading
# zero). Merged provinces kept one old code each (domain.md §1), so these stay the only
# real ones; a code between 001 and 096 missing here (003, 005, …) was never issued.
BIRTH_PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Thành phố Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip


class IdNumber:
    """A 12-digit personal ID number and what its digits say about its holder."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.province_code = value[:3]
        century_sex = int(value[3])
        self.birth_year = 1900 + 100 * (century_sex // 2) + int(value[4:6])
        self.sex = "f" if century_sex % 2 else "m"

    @property
    def province_known(self) -> bool:
        """Whether digits 1–3 are a province code that was ever issued."""
        return self.province_code in BIRTH_PROVINCE_CODES

    def disagreements(self, *, birth_year: int | None = None, sex: str | None = None) -> list[str]:
        """Which of the recorded birth year and sex the number contradicts: ["birth_year", …]."""
        found = []
        if birth_year is not None and birth_year != self.birth_year:
            found.append("birth_year")
        if sex and sex != self.sex:
            found.append("sex")
        return found


def clean_digits(value: object) -> str:
    """The digits of `value`, with spaces, dots and dashes people type removed."""
    text = str(value or "")
    if not text or (text.isascii() and text.isdigit()):
        return text  # the usual cases, without the regular expression
    return re.sub(r"[\s.\-]", "", text)


def parse_id_number(value: object) -> IdNumber:
    """An `IdNumber`, or ValidationError saying in a sentence what is wrong.

    12 digits, no check digit, typed with or without spaces and dots ("036 090 012
    348", "036.090.012.348"); digits 1–3 are a province code of the old numbering
    (001–096), digit 4 gives century and sex, digits 5–6 the year of birth.
    """
    digits = clean_digits(value)
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(_("An ID number has digits only."), code="not_digits")
    if len(digits) != 12:
        raise ValidationError(
            _("An ID number has 12 digits; this one has %(count)d.") % {"count": len(digits)},
            code="wrong_length",
        )
    if not 1 <= int(digits[:3]) <= 96:
        raise ValidationError(
            _("An ID number starts with a province code from 001 to 096."), code="bad_province"
        )
    return IdNumber(digits)


def id_number_warnings(
    value: object, *, birth_year: int | None = None, sex: str | None = None
) -> list[str]:
    """What a well-formed ID number's digits contradict, as sentences to show (domain.md §2).

    The one check behind the person page and form, the household form and the import
    preview: a province code never issued, a birth year or a sex ("m"/"f") other than
    the record's. These are warnings, not refusals: the card or the record may be the
    one that is wrong. A malformed number raises ValidationError (`parse_id_number`).
    `value` may be an `IdNumber` already parsed (an import checks thousands).
    """
    parsed = value if isinstance(value, IdNumber) else parse_id_number(value)
    messages = []
    if not parsed.province_known:
        messages.append(
            _("The ID number starts with %(code)s, which is no province's code.")
            % {"code": parsed.province_code}
        )
    found = parsed.disagreements(birth_year=birth_year, sex=sex)
    if "birth_year" in found:
        messages.append(
            _("The ID number says born in %(year)s, the record says %(recorded)s.")
            % {"year": parsed.birth_year, "recorded": birth_year}
        )
    if "sex" in found:
        messages.append(
            _("The ID number says the holder is a woman.")
            if parsed.sex == "f"
            else _("The ID number says the holder is a man.")
        )
    return messages


def is_old_id_card_number(value: object) -> bool:
    """Whether `value` is a 9-digit CMND number (void since 31/12/2024, still on old records)."""
    return bool(re.fullmatch(r"[0-9]{9}", clean_digits(value)))


# The 54 ethnic groups of Viet Nam (General Statistics Office list, Decision 121-TCTK/PPCĐ).
ETHNIC_GROUPS = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai",
    "Mnông", "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
    "Giẻ - Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng",
    "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao",
    "Bố Y", "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
]  # fmt: skip


def _ethnic_key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


_ETHNIC_BY_FOLD = {_ethnic_key(name): name for name in ETHNIC_GROUPS}
# Names in common use beside the official list (the Mông are often written H'Mông or Mèo).
_ETHNIC_BY_FOLD.update(
    {"h'mong": "Mông", "hmong": "Mông", "meo": "Mông", "thai den": "Thái", "thai trang": "Thái",
     "kho me": "Khmer", "ede": "Ê Đê"}
)  # fmt: skip


def match_ethnicity(text: str) -> str | None:
    """The official name of the ethnic group `text` names, or None.

    "kinh", "KINH", "Ê-đê", "H'Mông", "bru van kieu" all find their group among the 54.
    """
    key = _ethnic_key(text)
    return _ETHNIC_BY_FOLD.get(key) or _ETHNIC_BY_FOLD.get(key.replace(" ", ""))


def normalize_phone(text: str | None) -> str | None:
    """A phone number as stored: a Vietnamese one as its 10 national digits
    ("0912 345 678", "+84 912 345 678" → "0912345678"), another country's in E.164
    ("+33 6 12 34 56 78" → "+33612345678"); None when `text` is not a possible, valid
    number (letters, a formula such as "=HYPERLINK(1)", too few digits)."""
    text = strip_controls(text or "").strip()
    if not text or re.search(r"[^\d\s+().\-/]", text):
        return None
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 84:
        return "0" + phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
