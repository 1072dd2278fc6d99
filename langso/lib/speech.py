"""Speech text: a notice as the words a reader would say on the loudspeakers (domain.md §10).

`normalise(text, region=...)` rewrites what a speech engine would misread into plain
Vietnamese words, in this order (each step sees the output of the one before):

1. phone numbers, digit by digit, grouped as written ("0912 345 678");
2. dates: "15/03/2026" → "ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi sáu",
   "15/3" → "ngày mười lăm tháng ba", "3/2026" → "tháng ba năm …" (no "ngày ngày"
   when the text already says it);
3. ranges: "7h-11h", "15-20" → "… đến …";
4. times: "19h30", "19:30", "7h" → "mười chín giờ ba mươi phút";
5. money: "170.000.000 đ", "50.000đ", "2 triệu đồng", "VNĐ" → "… đồng";
6. percentages, and numbers with units (km, m², kg, ha, °C …);
7. weekdays "thứ 4" → "thứ tư";
8. abbreviations, from the table `ABBREVIATIONS` (UBND, HĐND, MTTQ, CCCD, BHYT …),
   matched as whole upper-case words;
9. every other number, with the Vietnamese reading rules of `read_number`.

Numbers (domain.md §10): 21 "hai mươi mốt", 15 "mười lăm", 25 "hai mươi lăm",
24 "hai mươi tư", 105 "một trăm linh năm" in the North ("lẻ" in the South), groups of
three read nghìn (South: ngàn), triệu, tỷ, and a group after the first that is under a
hundred says its hundreds: 2026 "hai nghìn không trăm hai mươi sáu". Vietnamese writes
thousands with dots and decimals with a comma ("1,5 triệu" → "một phẩy năm triệu").
"""

import re
import unicodedata
from typing import Literal

Region = Literal["north", "central", "south"]
REGIONS: tuple[Region, ...] = ("north", "central", "south")

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

# What the commune's notices abbreviate, as a reader says it. Data, not code: add a line.
ABBREVIATIONS: dict[str, str] = {
    "UBND": "ủy ban nhân dân",
    "HĐND": "hội đồng nhân dân",
    "UBMTTQ": "ủy ban mặt trận tổ quốc",
    "MTTQVN": "mặt trận tổ quốc Việt Nam",
    "MTTQ": "mặt trận tổ quốc",
    "CCCD": "căn cước công dân",
    "CMND": "chứng minh nhân dân",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "TH": "tiểu học",
    "MN": "mầm non",
    "TP.HCM": "thành phố Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "TP": "thành phố",
    "TX": "thị xã",
    "TT": "thị trấn",
    "VN": "Việt Nam",
    "CHXHCN": "cộng hòa xã hội chủ nghĩa",
    "HLHPN": "hội liên hiệp phụ nữ",
    "LHPN": "liên hiệp phụ nữ",
    "HND": "hội nông dân",
    "HCCB": "hội cựu chiến binh",
    "CCB": "cựu chiến binh",
    "ĐTN": "đoàn thanh niên",
    "TNCS": "thanh niên cộng sản",
    "BCH": "ban chấp hành",
    "BCĐ": "ban chỉ đạo",
    "BQL": "ban quản lý",
    "TYT": "trạm y tế",
    "TTYT": "trung tâm y tế",
    "PCCC": "phòng cháy chữa cháy",
    "PCTT": "phòng chống thiên tai",
    "ATGT": "an toàn giao thông",
    "ATTP": "an toàn thực phẩm",
    "GPMB": "giải phóng mặt bằng",
    "QL": "quốc lộ",
    "ĐT": "đường tỉnh",
    "QĐ": "quyết định",
    "NĐ": "nghị định",
    "NQ": "nghị quyết",
    "TB": "thông báo",
    "KH": "kế hoạch",
    "CV": "công văn",
    "CP": "chính phủ",
    "TW": "trung ương",
    "ĐU": "đảng ủy",
    "CA": "công an",
    "SĐT": "số điện thoại",
    "ĐKKD": "đăng ký kinh doanh",
    "HTX": "hợp tác xã",
    "NTM": "nông thôn mới",
}

# Units after a number, longest first in the pattern so that "km²" wins over "km".
UNITS: dict[str, str] = {
    "km/h": "ki lô mét một giờ",
    "km²": "ki lô mét vuông",
    "km2": "ki lô mét vuông",
    "m²": "mét vuông",
    "m2": "mét vuông",
    "m³": "mét khối",
    "m3": "mét khối",
    "km": "ki lô mét",
    "cm": "xăng ti mét",
    "mm": "mi li mét",
    "kg": "ki lô gam",
    "ha": "héc ta",
    "ml": "mi li lít",
    "kWh": "ki lô oát giờ",
    "kW": "ki lô oát",
    "°C": "độ C",
    "tr": "triệu",
    "k": "nghìn",
    "m": "mét",
    "g": "gam",
}

_MONEY = r"(?:đồng|đ|VNĐ|VND|vnđ|vnd)"
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


def _thousand(region: Region) -> str:
    return "ngàn" if region == "south" else "nghìn"


def _zero_tens(region: Region) -> str:
    return "lẻ" if region == "south" else "linh"


def _below_thousand(n: int, *, full: bool, region: Region) -> list[str]:
    """0 < n < 1000; `full`: a higher group was read, so the hundreds are said even if 0."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append(_zero_tens(region))
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _below_billion(n: int, *, full: bool, region: Region) -> list[str]:
    words: list[str] = []
    for size, name in ((10**6, "triệu"), (10**3, _thousand(region)), (1, "")):
        group, n = divmod(n, size)
        if group:
            words += _below_thousand(group, full=full, region=region)
            if name:
                words.append(name)
            full = True
    return words


def _read(n: int, *, full: bool, region: Region) -> list[str]:
    if n >= 10**9:
        high, low = divmod(n, 10**9)
        words = [*_read(high, full=full, region=region), "tỷ"]
        if low:
            words += _below_billion(low, full=True, region=region)
        return words
    return _below_billion(n, full=full, region=region)


def read_number(n: int, region: Region = "north") -> str:
    """A whole number in words: 21 → "hai mươi mốt", 105 → "một trăm linh năm"."""
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + read_number(-n, region)
    return " ".join(_read(n, full=False, region=region))


def read_digits(digits: str) -> str:
    """Digit by digit: "0912" → "không chín một hai"."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def read_decimal(written: str, region: Region = "north") -> str:
    """A number as Vietnamese writes it: "1.500" (thousands), "2,5" (decimal comma)."""
    whole, _, fraction = written.partition(",")
    whole = whole.replace(".", "")
    if (len(whole) > 1 and whole.startswith("0")) or len(whole) > 15:
        words = read_digits(whole)
    else:
        words = read_number(int(whole), region)
    if fraction:
        zeros = len(fraction) - len(fraction.lstrip("0"))
        rest = fraction.lstrip("0")
        tail = ["không"] * zeros + ([read_number(int(rest), region)] if rest else [])
        words += " phẩy " + " ".join(tail)
    return words


def _month(m: int, region: Region) -> str:
    return "tư" if m == 4 else read_number(m, region)


def _phone(match: re.Match[str]) -> str:
    written = match.group(0)
    if written.startswith("+84"):
        written = "0" + written[3:].lstrip(" .-")
    groups = [g for g in re.split(r"[\s.\-]", written) if g]
    if len(groups) == 1:
        digits = groups[0]
        groups = [digits[:4], digits[4:7], digits[7:]]
    return " " + ", ".join(read_digits(g) for g in groups if g) + " "


def _said_before(text: str, start: int, word: str) -> bool:
    return text[:start].rstrip().casefold().endswith(word)


def normalise(text: str, region: Region = "north") -> str:
    """`text` as words a speech engine reads the way a Vietnamese reader would."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r", "")
    text = re.sub(r"\n\s*\n+|\n", ". ", text)

    text = re.sub(
        r"(?<![\d+])(?:\+84[ .\-]?|0)\d{2,3}(?:[ .\-]?\d){6,8}(?![\d,])",
        _phone,
        text,
    )
    text = re.sub(
        r"(?<!\d)(1800|1900)[ .]?(\d{4}(?:\d{2})?)(?!\d)",
        lambda m: f" {read_digits(m.group(1))}, {read_digits(m.group(2))} ",
        text,
    )

    def full_date(m: re.Match[str]) -> str:
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        lead = "" if _said_before(m.string, m.start(), "ngày") else "ngày "
        return (
            f" {lead}{read_number(day, region)} tháng {_month(month, region)}"
            f" năm {read_number(year, region)} "
        )

    text = re.sub(r"(?<![\d.,/])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?![\d/])", full_date, text)

    def month_year(m: re.Match[str]) -> str:
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return m.group(0)
        lead = "" if _said_before(m.string, m.start(), "tháng") else "tháng "
        return f" {lead}{_month(month, region)} năm {read_number(year, region)} "

    text = re.sub(r"(?<![\d/])(\d{1,2})/(\d{4})(?![\d/])", month_year, text)

    def day_month(m: re.Match[str]) -> str:
        day, month = int(m.group(1)), int(m.group(2))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        lead = "" if _said_before(m.string, m.start(), "ngày") else "ngày "
        return f" {lead}{read_number(day, region)} tháng {_month(month, region)} "

    text = re.sub(r"(?<![\d/.,])(\d{1,2})/(\d{1,2})(?![\d/])", day_month, text)

    text = re.sub(r"(\d[h']?)\s*[–—-]\s*(?=\d)", r"\1 đến ", text)

    def clock(m: re.Match[str]) -> str:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if hour > 24 or minute > 59:
            return m.group(0)
        said = f" {read_number(hour, region)} giờ"
        if minute:
            said += f" {read_number(minute, region)} phút"
        return said + " "

    text = re.sub(r"(?<![\d.,])(\d{1,2})[hH](\d{2})?(?:'|p\b|phút)?(?!\w)", clock, text)
    text = re.sub(r"(?<![\d.,:])(\d{1,2}):(\d{2})(?![\d:])", clock, text)

    text = re.sub(
        rf"({_NUMBER})\s*(triệu|nghìn|ngàn|tỷ)?\s*{_MONEY}(?!\w)",
        lambda m: (
            f" {read_decimal(m.group(1), region)} "
            + (f"{m.group(2)} " if m.group(2) else "")
            + "đồng "
        ),
        text,
    )
    text = re.sub(rf"(?<=\s)(triệu|nghìn|ngàn|tỷ)\s+{_MONEY}(?!\w)", r"\1 đồng", text)
    text = re.sub(
        rf"({_NUMBER})\s*%",
        lambda m: f" {read_decimal(m.group(1), region)} phần trăm ",
        text,
    )
    units = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    text = re.sub(
        rf"({_NUMBER})\s*({units})(?![\w/²³])",
        lambda m: f" {read_decimal(m.group(1), region)} {UNITS[m.group(2)]} ",
        text,
    )

    def weekday(m: re.Match[str]) -> str:
        n = int(m.group(2))
        said = {1: "nhất", 4: "tư"}.get(n, read_number(n, region))
        return f"{m.group(1)} {said}"

    text = re.sub(r"(?<!\w)([Tt]hứ)\s+([1-7])(?!\d)", weekday, text)

    keys = "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    text = re.sub(rf"(?<!\w)({keys})(?!\w)", lambda m: f" {ABBREVIATIONS[m.group(1)]} ", text)
    text = text.replace("v.v.", "vân vân").replace("&", " và ")

    text = re.sub(_NUMBER, lambda m: f" {read_decimal(m.group(0), region)} ", text)

    # Slashes and hyphens left between words ("QĐ-UBND", "30/2020/NĐ-CP") are not said.
    text = re.sub(r"(?<=\w)\s*[/\-]\s*(?=\w)", " ", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,;:!?)])", r"\1", text)
    text = re.sub(r"([(])\s+", r"\1", text)
    return re.sub(r"\.(\s*\.)+", ".", text).strip()
