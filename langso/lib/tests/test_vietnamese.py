"""Vietnamese text rules of domain.md §2–§3."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from langso.lib.vietnamese import (
    BIRTH_PROVINCE_CODES,
    ETHNIC_GROUPS,
    canonical_tones,
    fold,
    id_number_warnings,
    is_old_id_card_number,
    match_ethnicity,
    name_sort_key,
    official_date,
    parse_id_number,
    split_name,
)


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


def by_official_order(names):
    return sorted(names, key=name_sort_key)


def test_official_order_compares_given_names_first():
    """domain.md §3: whole-string collation puts "Thú An" before "Thu Hà" — by parts too,
    but for the right reason: the given names An < Hà; then family, then middle name."""
    assert by_official_order(["Thu Hà", "Thú An"]) == ["Thú An", "Thu Hà"]
    assert by_official_order(["Nguyễn Văn An", "Lê Văn An", "Lê Thị Bình", "Lê Anh An"]) == [
        "Lê Anh An",
        "Lê Văn An",
        "Nguyễn Văn An",
        "Lê Thị Bình",
    ]


def test_official_order_follows_the_vietnamese_alphabet_not_code_points():
    """domain.md §3: Đ comes after D (not after Z), accented initials stay in their letter."""
    given = ["Zung", "Đào", "Dũng", "Ánh", "Anh", "Ân", "Ăn", "Bình", "Ơn", "Ông", "Ôn", "Oanh"]
    assert [n.split()[-1] for n in by_official_order([f"Lê {g}" for g in given])] == [
        "Anh",
        "Ánh",
        "Ăn",
        "Ân",
        "Bình",
        "Dũng",
        "Đào",
        "Oanh",
        "Ôn",
        "Ông",
        "Ơn",
        "Zung",
    ]


def test_tones_order_none_huyen_hoi_nga_sac_nang():
    """domain.md §3: none < huyền < hỏi < ngã < sắc < nặng."""
    syllables = ["Thụ", "Thú", "Thũ", "Thủ", "Thù", "Thu"]
    assert [n.split()[-1] for n in by_official_order([f"Lê {s}" for s in syllables])] == [
        "Thu",
        "Thù",
        "Thủ",
        "Thũ",
        "Thú",
        "Thụ",
    ]


def test_both_tone_placements_sort_alike():
    assert name_sort_key("Trần Thị Thuỷ") == name_sort_key("Trần Thị Thủy")
    assert name_sort_key("Lê Hoà") == name_sort_key("Lê Hòa")
    assert canonical_tones("Thủy") == canonical_tones("Thuỷ")


def test_a_corrected_split_changes_the_key():
    # Minority names may put parts in another order (domain.md §2); the split can be fixed.
    assert name_sort_key("Lò Văn Oai", ("Lò", "Văn", "Oai")) == name_sort_key("Lò Văn Oai")
    assert name_sort_key("Lò Văn Oai", ("Văn", "Oai", "Lò")) != name_sort_key("Lò Văn Oai")


@pytest.mark.parametrize(
    ("number", "year", "sex", "province"),
    [
        ("001070001234", 1970, "m", "001"),  # 1900s male: 0
        ("038185123456", 1985, "f", "038"),  # 1900s female: 1
        ("001203012345", 2003, "m", "001"),  # 2000s male: 2
        ("096325000001", 2025, "f", "096"),  # 2000s female: 3
        ("014 099 000 111", 1999, "m", "014"),  # spaces people type are ignored
    ],
)
def test_id_numbers_give_birth_year_and_sex(number, year, sex, province):
    """domain.md §2: birth year = 1900 + 100·⌊d4/2⌋ + yy, sex = d4 mod 2."""
    parsed = parse_id_number(number)
    assert (parsed.birth_year, parsed.sex, parsed.province_code) == (year, sex, province)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("00107000123", "wrong_length"),
        ("0010700012345", "wrong_length"),
        ("00107000123A", "not_digits"),
        ("", "not_digits"),
        ("097070001234", "bad_province"),
        ("000070001234", "bad_province"),
    ],
)
def test_malformed_id_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as error:
        parse_id_number(number)
    assert error.value.code == code


def test_an_id_number_that_contradicts_the_record_is_flagged():
    parsed = parse_id_number("038185123456")
    assert parsed.disagreements(birth_year=1985, sex="f") == []
    assert parsed.disagreements(birth_year=1986, sex="m") == ["birth_year", "sex"]


def test_old_nine_digit_cmnd_numbers_are_recognised():
    assert is_old_id_card_number("012 345 678")
    assert not is_old_id_card_number("001070001234")


def test_there_are_54_ethnic_groups():
    assert len(set(ETHNIC_GROUPS)) == 54
    assert ETHNIC_GROUPS[0] == "Kinh"


@pytest.mark.parametrize(
    ("written", "official"),
    [("kinh", "Kinh"), ("Ê-đê", "Ê Đê"), ("H'Mông", "Mông"), ("bru van kieu", "Bru - Vân Kiều"),
     ("Khơ mú", "Khơ Mú"), ("Klingon", None)],
)  # fmt: skip
def test_ethnic_groups_are_recognised_however_they_are_written(written, official):
    assert match_ethnicity(written) == official


@pytest.mark.parametrize("typed", ["036 090 012 348", "036.090.012.348", " 036090012348 "])
def test_an_id_number_typed_in_threes_is_read_as_its_digits(typed):
    assert parse_id_number(typed).value == "036090012348"


def test_the_birth_province_codes_are_the_63_of_the_old_numbering():
    """domain.md §2: digits 1–3 are a code of the old 63 provinces (Circular 59/2021/TT-BCA)."""
    assert len(BIRTH_PROVINCE_CODES) == 63
    assert BIRTH_PROVINCE_CODES["001"] == "Hà Nội" and BIRTH_PROVINCE_CODES["096"] == "Cà Mau"
    assert "003" not in BIRTH_PROVINCE_CODES


def test_id_number_warnings_name_a_province_code_never_issued_and_each_contradiction():
    """domain.md §2: an unknown province code, birth year or sex is flagged, not refused."""
    assert id_number_warnings("036090012348", birth_year=1990, sex="m") == []
    assert id_number_warnings("003090012348", birth_year=1990, sex="m") == [
        "Số định danh bắt đầu bằng 003, không phải mã tỉnh nào."
    ]
    assert id_number_warnings("036190012348", birth_year=1991, sex="m") == [
        "Theo số định danh, năm sinh là 1990; hồ sơ ghi 1991.",
        "Theo số định danh, người mang số này là nữ.",
    ]
    # Without a recorded year or sex there is nothing to contradict.
    assert id_number_warnings("036190012348") == []
