"""VietQR payloads and their QR (domain.md §9): CRC, fields, and the picture read back."""

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageDraw

from langso.lib import vietqr
from langso.lib.vietqr import VietQRError, crc16_ccitt_false


def test_crc_of_the_published_check_string_is_29b1():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_crc_agrees_with_a_payload_published_with_its_crc():
    # A VietQR payload printed in a library's documentation (see docs/campaigns.md),
    # whose last four characters are the CRC over everything before them.
    published = (
        "00020101021138540010A00000072701240006970407011003865776720208QRIBFTTA"
        "5303704540710000005802VN62160812henry an cut6304A322"
    )
    assert f"{crc16_ccitt_false(published[:-4].encode()):04X}" == "A322"
    assert vietqr.is_valid(published)
    assert not vietqr.is_valid(published[:-1] + "3")


def test_a_payload_holds_every_field_of_the_napas_layout():
    text = vietqr.payload(
        bin="970405", account="3600205123456", amount=2_000_000, purpose="LS 7K3QX"
    )
    fields = vietqr.parse(text)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    merchant = vietqr.parse(fields["38"])
    assert merchant == {"00": "A000000727", "01": merchant["01"], "02": "QRIBFTTA"}
    assert vietqr.parse(merchant["01"]) == {"00": "970405", "01": "3600205123456"}
    assert fields["53"] == "704"
    assert fields["54"] == "2000000"
    assert fields["58"] == "VN"
    assert vietqr.parse(fields["62"]) == {"08": "LS 7K3QX"}
    assert re.fullmatch(r"[0-9A-F]{4}", fields["63"])
    assert text.endswith("6304" + fields["63"])
    assert vietqr.is_valid(text)
    # The exact string, so that a change of order or length is seen.
    assert text.startswith(
        "000201010212"
        "38570010A000000727012700069704050113360020512345602"
        "08QRIBFTTA"
        "5303704"
        "54072000000"
        "5802VN"
        "6212"
        "0808LS 7K3QX"
        "6304"
    )


def test_without_an_amount_the_qr_is_static_and_has_no_amount_field():
    fields = vietqr.parse(vietqr.payload(bin="970436", account="0011004", purpose=""))
    assert fields["01"] == "11"
    assert "54" not in fields and "62" not in fields


def test_the_purpose_loses_its_diacritics():
    fields = vietqr.parse(
        vietqr.payload(bin="970436", account="1", amount=5, purpose="Đóng góp cầu: LS 12")
    )
    assert vietqr.parse(fields["62"])["08"] == "Dong gop cau LS 12"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bin": "97040", "account": "1", "amount": 1},
        {"bin": "970405", "account": "", "amount": 1},
        {"bin": "970405", "account": "12-34", "amount": 1},
        {"bin": "970405", "account": "1", "amount": 0},
        {"bin": "970405", "account": "1", "amount": -5},
        {"bin": "970405", "account": "1", "amount": 1, "purpose": "x" * 51},
    ],
)
def test_it_refuses_what_a_bank_would_not_read(kwargs):
    with pytest.raises(VietQRError):
        vietqr.payload(**kwargs)


def test_every_bank_has_a_six_digit_bin_once():
    bins = [bank.bin for bank in vietqr.BANKS]
    assert len(bins) == len(set(bins)) >= 30
    assert all(re.fullmatch(r"9704\d\d", b) for b in bins)
    assert vietqr.BANKS_BY_BIN["970436"].short_name == "Vietcombank"
    assert vietqr.BANKS_BY_BIN["970405"].short_name == "Agribank"


def _raster(svg_text, path):
    """Draw segno's SVG path (moves and horizontal strokes) onto a PNG, as a browser would."""
    root = ET.fromstring(svg_text)
    width, height = int(root.get("width")), int(root.get("height"))
    line = next(element for element in root.iter() if element.tag.endswith("path"))
    scale = float(re.search(r"scale\(([\d.]+)\)", line.get("transform")).group(1))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHhVv])(-?[\d.]+)(?:\s(-?[\d.]+))?", line.get("d")):
        if command in "Mm":
            dx, dy = float(a), float(b)
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
        elif command in "hH":
            end = float(a) + (x if command == "h" else 0)
            draw.rectangle(
                [x * scale, (y - 0.5) * scale, end * scale - 1, (y + 0.5) * scale - 1], fill=0
            )
            x = end
        else:
            raise AssertionError(f"unexpected path command {command}")
    image.save(path)


def _zbar(path):
    done = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().rstrip("\n")


def test_the_svg_read_back_by_a_scanner_is_the_payload(tmp_path):
    text = vietqr.payload(bin="970418", account="21510001234567", amount=170_000, purpose="LS AB12")
    svg = vietqr.svg(text, scale=6, title="VietQR")
    assert svg.startswith("<svg") and "<title>VietQR</title>" in svg
    _raster(svg, tmp_path / "qr.png")
    assert _zbar(tmp_path / "qr.png") == text


def test_the_png_read_back_by_a_scanner_is_the_payload(tmp_path):
    text = vietqr.payload(bin="970436", account="1234567890", amount=50_000, purpose="DP 2026-03")
    (tmp_path / "qr.png").write_bytes(vietqr.png(text))
    assert _zbar(tmp_path / "qr.png") == text
