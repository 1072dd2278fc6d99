"""Vietnamese text rules of domain.md §2–§3."""

from datetime import date

import pytest

from langso.lib.vietnamese import fold, official_date, split_name


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn Phụng", "nguyen van phung"),
        ("Đặng Thị Đào", "dang thi dao"),  # NFD keeps đ: it is mapped by hand (§3)
        ("Thủy", "thuy"),
        ("Thuỷ", "thuy"),  # both tone placements fold alike (§3)
        ("hoà", "hoa"),
        ("hòa", "hoa"),
        ("  LÒ   Văn  Oai ", "lo van oai"),
        ("", ""),
    ],
)
def test_fold_drops_tones_marks_and_case(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Văn Phụng", ("Nguyễn", "Văn", "Phụng")),
        ("Nguyễn Ngọc Bảo Anh", ("Nguyễn", "Ngọc Bảo", "Anh")),
        ("Giàng A Dệnh", ("Giàng", "A", "Dệnh")),  # minority name, domain.md §2
        ("Giàng Dệnh", ("Giàng", "", "Dệnh")),
        ("Oai", ("", "", "Oai")),
    ],
)
def test_split_name_gives_family_middle_and_given(full_name, parts):
    assert split_name(full_name) == parts


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),  # days < 10 and months 1–2 padded (§3)
        (date(2025, 1, 15), "ngày 15 tháng 01 năm 2025"),
        (date(2025, 7, 1), "ngày 01 tháng 7 năm 2025"),
        (date(2026, 11, 21), "ngày 21 tháng 11 năm 2026"),
    ],
)
def test_official_date_pads_days_under_ten_and_the_first_two_months(day, written):
    assert official_date(day) == written
