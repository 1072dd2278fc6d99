"""Speech text for the loudspeakers: the reading rules of domain.md §10, as a table."""

import pytest

from langso.lib.speech import ABBREVIATIONS, normalise, read_number

NUMBERS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),  # "một" after mười, "mốt" only after the tens from 20 (§10)
    (14, "mười bốn"),
    (15, "mười lăm"),  # §10
    (20, "hai mươi"),
    (21, "hai mươi mốt"),  # §10
    (24, "hai mươi tư"),  # §10
    (25, "hai mươi lăm"),  # §10
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),  # §10, North
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (124, "một trăm hai mươi tư"),
    (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"),
    (1015, "một nghìn không trăm mười lăm"),
    (2026, "hai nghìn không trăm hai mươi sáu"),
    (10000, "mười nghìn"),
    (21000, "hai mươi mốt nghìn"),
    (250000, "hai trăm năm mươi nghìn"),
    (1000000, "một triệu"),
    (1000050, "một triệu không trăm năm mươi"),
    (1500000, "một triệu năm trăm nghìn"),
    (170000000, "một trăm bảy mươi triệu"),
    (1000000000, "một tỷ"),
    (2005000000, "hai tỷ không trăm linh năm triệu"),
    (-3, "âm ba"),
]


@pytest.mark.parametrize(("n", "said"), NUMBERS)
def test_numbers_are_read_the_vietnamese_way(n, said):
    assert read_number(n) == said


@pytest.mark.parametrize(
    ("n", "said"),
    [(105, "một trăm lẻ năm"), (2001, "hai ngàn không trăm lẻ một"), (21, "hai mươi mốt")],
)
def test_the_south_says_le_and_ngan(n, said):
    assert read_number(n, "south") == said


TEXTS = [
    # Dates (§10: "ngày 15 tháng 3 năm 2026").
    (
        "15/03/2026",
        "ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi sáu",
    ),
    (
        "ngày 15/03/2026",
        "ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi sáu",
    ),
    ("Ngày 1/4/2025", "Ngày một tháng tư năm hai nghìn không trăm hai mươi lăm"),
    ("05-02-2026", "ngày năm tháng hai năm hai nghìn không trăm hai mươi sáu"),
    ("từ 15/3 đến 20/3", "từ ngày mười lăm tháng ba đến ngày hai mươi tháng ba"),
    ("trong tháng 3/2026", "trong tháng ba năm hai nghìn không trăm hai mươi sáu"),
    ("hạn 12/2026", "hạn tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
    (
        "32/13/2026 không phải ngày",
        "ba mươi hai mười ba hai nghìn không trăm hai mươi sáu không phải ngày",
    ),
    # Times.
    ("19h30", "mười chín giờ ba mươi phút"),
    ("19:30", "mười chín giờ ba mươi phút"),
    ("lúc 7h", "lúc bảy giờ"),
    ("7h05", "bảy giờ năm phút"),
    ("14H00", "mười bốn giờ"),
    ("từ 7h-11h", "từ bảy giờ đến mười một giờ"),
    ("7h30' sáng", "bảy giờ ba mươi phút sáng"),
    # Money (§10: "170 triệu đồng").
    ("170.000.000 đ", "một trăm bảy mươi triệu đồng"),
    ("170.000.000đ", "một trăm bảy mươi triệu đồng"),
    ("50.000 đồng", "năm mươi nghìn đồng"),
    ("300.000 VNĐ", "ba trăm nghìn đồng"),
    ("1.250.000 VND", "một triệu hai trăm năm mươi nghìn đồng"),
    ("2 triệu đ", "hai triệu đồng"),
    ("1,5 tỷ đồng", "một phẩy năm tỷ đồng"),
    ("170 triệu đồng", "một trăm bảy mươi triệu đồng"),
    # Plain numbers, thousands with dots, decimals with a comma.
    ("có 105 hộ", "có một trăm linh năm hộ"),
    ("1.005 người", "một nghìn không trăm linh năm người"),
    ("21 tổ", "hai mươi mốt tổ"),
    ("24 thôn", "hai mươi tư thôn"),
    ("2,05", "hai phẩy không năm"),
    ("0,25", "không phẩy hai mươi lăm"),
    ("15-20 người", "mười lăm đến hai mươi người"),
    # Percentages.
    ("2,5%", "hai phẩy năm phần trăm"),
    ("giảm 15 %", "giảm mười lăm phần trăm"),
    ("100%", "một trăm phần trăm"),
    # Phone numbers, digit by digit in the groups written.
    ("0912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("0912.345.678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("0912345678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("+84 912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("024.3825.1234", "không hai bốn, ba tám hai năm, một hai ba bốn"),
    ("1900 1234", "một chín không không, một hai ba bốn"),
    # Abbreviations (data: ABBREVIATIONS).
    ("UBND xã", "ủy ban nhân dân xã"),
    ("HĐND huyện", "hội đồng nhân dân huyện"),
    ("Ban công tác MTTQ", "Ban công tác mặt trận tổ quốc"),
    ("mang CCCD", "mang căn cước công dân"),
    ("thẻ BHYT", "thẻ bảo hiểm y tế"),
    ("trường THCS", "trường trung học cơ sở"),
    ("TP Hà Nội", "thành phố Hà Nội"),
    ("TP.HCM", "thành phố Hồ Chí Minh"),
    ("số 12/QĐ-UBND", "số mười hai quyết định ủy ban nhân dân"),
    ("BHXH, BHYT", "bảo hiểm xã hội, bảo hiểm y tế"),
    ("công tác PCCC", "công tác phòng cháy chữa cháy"),
    ("ca sáng", "ca sáng"),  # only the upper-case word is an abbreviation
    # Units.
    ("1,2km", "một phẩy hai ki lô mét"),
    ("250m²", "hai trăm năm mươi mét vuông"),
    ("250 m2", "hai trăm năm mươi mét vuông"),
    ("50kg gạo", "năm mươi ki lô gam gạo"),
    ("3 ha lúa", "ba héc ta lúa"),
    ("60 km/h", "sáu mươi ki lô mét một giờ"),
    ("nhiệt độ 12°C", "nhiệt độ mười hai độ C"),
    ("30 m³ nước", "ba mươi mét khối nước"),
    ("5 m", "năm mét"),
    # Weekdays.
    ("thứ 4", "thứ tư"),
    ("Thứ 2", "Thứ hai"),
    # Text around.
    ("Họp\nlúc 8h", "Họp. lúc tám giờ"),
    ("không có số", "không có số"),
    (
        "Họp lúc 19h30 ngày 15/03/2026 tại nhà văn hóa thôn.",
        "Họp lúc mười chín giờ ba mươi phút ngày mười lăm tháng ba năm hai nghìn không trăm"
        " hai mươi sáu tại nhà văn hóa thôn.",
    ),
]


@pytest.mark.parametrize(("text", "said"), TEXTS)
def test_notice_text_is_read_as_words(text, said):
    assert normalise(text) == said


def test_the_table_is_large_enough():
    assert len(NUMBERS) + len(TEXTS) >= 60


def test_the_south_reads_the_notice_its_way():
    assert normalise("105 hộ, 2.000 người", "south") == "một trăm lẻ năm hộ, hai ngàn người"


def test_every_abbreviation_is_said_in_words():
    for short, said in ABBREVIATIONS.items():
        assert normalise(f"Ông {short} nói") == f"Ông {said} nói"
