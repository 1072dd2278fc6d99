"""VietQR: the EMVCo merchant-presented QR that Vietnamese banking apps scan (domain.md §9).

Pure helpers, no models: campaigns (pledges), associations (dues) and party fees build a
payload for a bank account, an amount and a short reference code, and render it as SVG.

The payload is a string of TLV fields (two-digit tag, two-digit length, value) in the
NAPAS VietQR layout:

- 00 payload format "01"; 01 point of initiation "12" with an amount ("11" without);
- 38 merchant account: 00 GUID "A000000727", 01 beneficiary (00 the bank's 6-digit BIN,
  01 the account number), 02 service "QRIBFTTA" (transfer to an account);
- 53 currency "704" (đồng); 54 amount; 58 country "VN";
- 62 additional data: 08 purpose of transaction (the reference code);
- 63 CRC-16/CCITT-FALSE over everything up to and including "6304", 4 upper-case hex.
"""

import re
import unicodedata
from dataclasses import dataclass

import segno

GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
STATIC = "11"
DYNAMIC = "12"


class VietQRError(ValueError):
    """A payload that cannot be built (bad BIN, account, amount or purpose)."""


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str


# Banks and their 6-digit NAPAS BIN, as confirmed by the sources cited in docs/campaigns.md
# (only BINs found in at least two independent listings are shipped).
BANKS: tuple[Bank, ...] = (
    Bank("970400", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    Bank("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    Bank("970405", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    Bank("970406", "DongA Bank", "Ngân hàng TMCP Đông Á"),
    Bank("970407", "Techcombank", "Ngân hàng TMCP Kỹ Thương Việt Nam"),
    Bank("970408", "GPBank", "Ngân hàng TM TNHH MTV Dầu Khí Toàn Cầu"),
    Bank("970409", "Bac A Bank", "Ngân hàng TMCP Bắc Á"),
    Bank("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    Bank("970414", "OceanBank", "Ngân hàng TM TNHH MTV Đại Dương"),
    Bank("970415", "VietinBank", "Ngân hàng TMCP Công Thương Việt Nam"),
    Bank("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    Bank("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    Bank("970419", "NCB", "Ngân hàng TMCP Quốc Dân"),
    Bank("970422", "MB", "Ngân hàng TMCP Quân Đội"),
    Bank("970423", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    Bank("970424", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    Bank("970425", "ABBANK", "Ngân hàng TMCP An Bình"),
    Bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    Bank("970427", "VietABank", "Ngân hàng TMCP Việt Á"),
    Bank("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    Bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn"),
    Bank("970430", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    Bank("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    Bank("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    Bank("970436", "Vietcombank", "Ngân hàng TMCP Ngoại Thương Việt Nam"),
    Bank("970437", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    Bank("970438", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt"),
    Bank("970439", "Public Bank", "Ngân hàng TNHH MTV Public Việt Nam"),
    Bank("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    Bank("970442", "Hong Leong", "Ngân hàng TNHH MTV Hong Leong Việt Nam"),
    Bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội"),
    Bank("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    Bank("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    Bank("970452", "KienlongBank", "Ngân hàng TMCP Kiên Long"),
)
BANKS_BY_BIN: dict[str, Bank] = {bank.bin: bank for bank in BANKS}


def bank_choices() -> list[tuple[str, str]]:
    """(BIN, "short name — name") for a form's select, by short name."""
    ordered = sorted(BANKS, key=lambda bank: bank.short_name.lower())
    return [(bank.bin, f"{bank.short_name} — {bank.name}") for bank in ordered]


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no xor-out."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


_PURPOSE_ALLOWED = re.compile(r"[^A-Za-z0-9 .,\-/]")


def plain_purpose(text: str) -> str:
    """The purpose text without diacritics or symbols a bank app might refuse (đ → d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_PURPOSE_ALLOWED.sub(" ", text).split())


def payload(*, bin: str, account: str, amount: int | None = None, purpose: str = "") -> str:
    """The VietQR payload for a transfer to `account` at the bank `bin`.

    `amount` in whole đồng (None: a static QR, the payer types the amount); `purpose` is
    the text the payer's app fills in as the transfer's content (the reference code).
    """
    if not re.fullmatch(r"\d{6}", bin or ""):
        raise VietQRError("the bank BIN must be 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account or ""):
        raise VietQRError("the account number must be 1 to 19 letters or digits")
    if amount is not None and (amount <= 0 or amount >= 10**13):
        raise VietQRError("the amount must be a positive whole number of đồng")
    purpose = plain_purpose(purpose)
    if len(purpose) > 50:
        raise VietQRError("the purpose is longer than 50 characters")
    beneficiary = tlv("00", bin) + tlv("01", account)
    merchant = tlv("00", GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_ACCOUNT)
    parts = [
        tlv("00", "01"),
        tlv("01", STATIC if amount is None else DYNAMIC),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", str(amount)))
    parts.append(tlv("58", COUNTRY))
    if purpose:
        parts.append(tlv("62", tlv("08", purpose)))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse(text: str) -> dict[str, str]:
    """The top-level TLV fields of a payload, tag → value (for tests and checks)."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        tag, length = text[position : position + 2], text[position + 2 : position + 4]
        if len(tag) < 2 or not length.isdigit():
            raise VietQRError(f"malformed field at {position}")
        value = text[position + 4 : position + 4 + int(length)]
        if len(value) != int(length):
            raise VietQRError(f"field {tag} is cut short")
        fields[tag] = value
        position += 4 + int(length)
    return fields


def is_valid(text: str) -> bool:
    """Whether the payload's CRC (tag 63, last) matches its content."""
    if len(text) < 8 or text[-8:-4] != "6304":
        return False
    return f"{crc16_ccitt_false(text[:-4].encode('ascii')):04X}" == text[-4:]


def qr(text: str) -> segno.QRCode:
    # A full QR (never Micro QR, which banking apps do not read), medium error correction.
    return segno.make_qr(text, error="m")


def svg(text: str, *, scale: int = 4, title: str = "") -> str:
    """The QR of `text` as an inline SVG element (no XML declaration), for templates."""
    return qr(text).svg_inline(scale=scale, border=4, title=title or None, svgclass="vietqr")


def png(text: str, *, scale: int = 6) -> bytes:
    """The QR of `text` as PNG bytes (for PDFs, which embed raster images simply)."""
    import io

    buffer = io.BytesIO()
    qr(text).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
