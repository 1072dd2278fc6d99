"""What the demo draws from: names, places, work, schooling, benefits and vaccines.

The tables hold relative weights; at the end they become `_Picker`s, ready for the
generator in `population.py` to draw from with one `random()` each.
"""

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from langso.registry.models import Immunisation, Person

# (name, local type, naming, share of the commune's households). Bình Chiến is the
# hamlet the test personas and the docs speak of.
DEMO_HAMLETS = [
    ("Bình Chiến", "thôn", "kinh", 0.22),
    ("Tân Lập", "thôn", "kinh", 0.20),
    ("Quyết Thắng", "thôn", "kinh", 0.20),
    ("Thành Công", "thôn", "kinh", 0.20),
    ("Nà Hạ", "bản", "thai", 0.18),
]

# Provinces where the hamlets of a big build are a mix of Kinh thôn and Thái or Mông bản
# (Sơn La, Điện Biên, Lai Châu, Lào Cai, Tuyên Quang); elsewhere they are Kinh. The
# demo's province comes first, then its neighbours.
MOUNTAIN_PROVINCES = ["14", "11", "12", "15", "08"]

# --- Name data ---------------------------------------------------------------------------
#
# Weights are relative. Where a row has three weights they apply to people born before
# 1970, from 1970 to 1994, and from 1995 on: "Văn" and "Thị" fade, modern names rise.
# Both tone placements occur ("Thủy"/"Thuỷ", "Hòa"/"Hoà", "Thúy"/"Thuý") because the
# registry must find either from the other (domain.md §3).

KINH_FAMILY = [
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 4.6),
    ("Huỳnh", 0.4), ("Phan", 4.5), ("Vũ", 3.5), ("Võ", 0.4), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.6),
    ("Trịnh", 0.5), ("Đào", 0.5), ("Mai", 0.4), ("Cao", 0.4), ("Lưu", 0.3), ("Tạ", 0.3),
    ("Lương", 0.3), ("Chu", 0.3), ("Phùng", 0.3), ("Đoàn", 0.4), ("Hà", 0.3), ("Tô", 0.2),
    ("Kiều", 0.2), ("Triệu", 0.2), ("Khuất", 0.1), ("Quách", 0.15), ("Vương", 0.15),
    ("Lại", 0.15), ("Nghiêm", 0.1),
]  # fmt: skip

KINH_MIDDLE_MALE = [
    ("Văn", 75, 55, 28), ("Đức", 5, 8, 10), ("Minh", 2, 6, 12), ("Quang", 3, 5, 7),
    ("Hữu", 4, 5, 4), ("Công", 3, 4, 4), ("Thanh", 2, 4, 5), ("Xuân", 3, 4, 3),
    ("Ngọc", 2, 3, 4), ("Đình", 4, 4, 3), ("Tiến", 1, 2, 3), ("Mạnh", 1, 2, 3),
    ("Hoàng", 0.5, 2, 5), ("Trung", 1, 2, 2), ("Gia", 0, 0.5, 6), ("Bảo", 0, 0.5, 5),
    ("Anh", 0, 1, 4),
]  # fmt: skip

KINH_MIDDLE_FEMALE = [
    ("Thị", 85, 60, 28), ("Thu", 2, 6, 6), ("Ngọc", 2, 5, 10), ("Thanh", 3, 5, 5),
    ("Minh", 0.5, 2, 8), ("Kim", 2, 3, 3), ("Hồng", 2, 4, 3), ("Phương", 1, 3, 5),
    ("Thúy", 1, 2, 2), ("Thuý", 0.3, 1, 1), ("Thùy", 0.5, 2, 4), ("Thuỳ", 0.2, 0.5, 1),
    ("Khánh", 0, 1, 5), ("Bảo", 0, 0.5, 5), ("Hà", 0.5, 1, 2), ("Mai", 0.5, 1, 2),
    ("Diệu", 0, 0.5, 2), ("Quỳnh", 0, 0.5, 2), ("Hoài", 0.5, 1, 1), ("Tuệ", 0, 0, 1.5),
]  # fmt: skip

# The first of two middle words in a modern name ("Nguyễn Ngọc Bảo Anh"); the second
# comes from the era's middle names.
KINH_DOUBLE_MIDDLE = {
    "m": [("Minh", 3), ("Gia", 3), ("Bảo", 2), ("Đức", 2), ("Hoàng", 2), ("Quang", 1)],
    "f": [("Ngọc", 3), ("Bảo", 3), ("Minh", 2), ("Khánh", 2), ("Thu", 1), ("Phương", 1)],
}

KINH_GIVEN_MALE = [
    ("An", 1, 2, 4), ("Anh", 1, 4, 8), ("Bảo", 0, 1, 4), ("Bình", 4, 3, 1), ("Cường", 3, 4, 2),
    ("Chiến", 4, 3, 1), ("Công", 2, 2, 1), ("Dũng", 3, 5, 3), ("Duy", 0.5, 3, 5),
    ("Dương", 1, 2, 3), ("Đạt", 0.5, 3, 6), ("Đức", 3, 4, 5), ("Đông", 2, 2, 1),
    ("Giang", 1, 2, 2), ("Hải", 3, 5, 4), ("Hậu", 2, 2, 1), ("Hiếu", 1, 3, 4), ("Hiệp", 2, 2, 1),
    ("Hòa", 3, 2, 1), ("Hoà", 1, 1, 0.5), ("Hoàng", 1, 3, 4), ("Huy", 0.5, 4, 7),
    ("Hùng", 5, 5, 3), ("Hưng", 3, 4, 3), ("Khang", 0, 0.5, 5), ("Khánh", 0.5, 2, 4),
    ("Khoa", 0.5, 2, 4), ("Kiên", 1, 3, 3), ("Lâm", 2, 3, 3), ("Long", 3, 4, 5), ("Lộc", 2, 2, 2),
    ("Lợi", 3, 2, 1), ("Mạnh", 3, 4, 3), ("Minh", 3, 5, 7), ("Nam", 3, 5, 6), ("Nghĩa", 3, 3, 2),
    ("Nhân", 1, 2, 3), ("Phong", 2, 3, 4), ("Phúc", 1, 2, 5), ("Phụng", 2, 1, 0.3),
    ("Phương", 2, 3, 2), ("Quang", 3, 3, 3), ("Quân", 1, 3, 6), ("Quý", 3, 2, 1),
    ("Quyết", 3, 2, 1), ("Sơn", 4, 5, 3), ("Tài", 2, 3, 3), ("Tâm", 2, 3, 3), ("Thắng", 4, 5, 3),
    ("Thành", 4, 5, 4), ("Thanh", 4, 3, 2), ("Thịnh", 2, 3, 3), ("Thọ", 3, 1, 0.5),
    ("Thuận", 3, 2, 1), ("Thụy", 1, 0.5, 0.3), ("Thuỵ", 0.3, 0.3, 0.2), ("Tiến", 3, 4, 3),
    ("Toàn", 2, 3, 3), ("Trung", 3, 4, 4), ("Trường", 2, 3, 4), ("Tú", 1, 3, 4), ("Tuấn", 2, 6, 5),
    ("Tùng", 1, 4, 4), ("Việt", 1, 3, 5), ("Vinh", 3, 3, 2), ("Vũ", 0.5, 2, 4), ("Xuân", 3, 2, 1),
    ("Ngọc", 2, 1, 0.5), ("Khải", 1, 1, 2), ("Lực", 2, 1, 0.5), ("Bách", 0, 0.5, 3),
    ("Nguyên", 1, 2, 4), ("Khôi", 0, 0.5, 4), ("Phát", 0, 1, 3), ("Kiệt", 0, 0.5, 3),
    ("Hào", 1, 1, 2), ("Sáng", 2, 1, 0.3), ("Tuyến", 2, 1, 0.3), ("Điệp", 1, 1, 0.5),
]  # fmt: skip

KINH_GIVEN_FEMALE = [
    ("An", 1, 2, 5), ("Anh", 1, 4, 8), ("Ánh", 2, 3, 3), ("Bích", 3, 2, 1), ("Chi", 0.5, 2, 6),
    ("Cúc", 4, 1, 0.2), ("Dung", 3, 4, 2), ("Duyên", 2, 3, 3), ("Diệp", 1, 1, 2),
    ("Đào", 3, 1, 0.3), ("Giang", 1, 3, 4), ("Hà", 3, 5, 5), ("Hạnh", 3, 4, 2), ("Hằng", 2, 5, 3),
    ("Hiền", 3, 4, 3), ("Hoa", 5, 4, 2), ("Hòa", 3, 2, 1), ("Hoà", 1, 1, 0.5), ("Hồng", 4, 3, 1),
    ("Huệ", 4, 2, 0.5), ("Huyền", 2, 4, 4), ("Hương", 5, 6, 4), ("Hường", 3, 2, 0.5),
    ("Lan", 5, 4, 2), ("Liên", 4, 3, 1), ("Linh", 0.5, 4, 8), ("Loan", 3, 3, 1), ("Ly", 0.5, 2, 4),
    ("Lụa", 3, 1, 0.2), ("Mai", 4, 4, 4), ("Mến", 3, 1, 0.2), ("My", 0, 1, 5), ("Nga", 4, 4, 2),
    ("Ngân", 1, 3, 5), ("Ngọc", 2, 3, 4), ("Nguyệt", 2, 3, 2), ("Nhàn", 3, 2, 0.5),
    ("Nhung", 2, 4, 2), ("Nhi", 0, 1, 6), ("Oanh", 2, 3, 2), ("Phương", 2, 4, 4),
    ("Quyên", 1, 2, 3), ("Quỳnh", 1, 3, 4), ("Sen", 4, 1, 0.3), ("Tâm", 2, 2, 3),
    ("Thảo", 1, 5, 6), ("Thanh", 3, 3, 2), ("Thắm", 3, 2, 0.5), ("Thơm", 3, 1, 0.2),
    ("Thu", 3, 3, 2), ("Thủy", 5, 4, 2), ("Thuỷ", 2, 2, 1), ("Thúy", 3, 3, 2), ("Thuý", 1, 1, 0.5),
    ("Trang", 1, 5, 6), ("Trâm", 0, 1, 4), ("Tuyết", 3, 3, 1), ("Uyên", 0, 1, 5), ("Vân", 3, 4, 3),
    ("Vy", 0, 1, 6), ("Xuân", 3, 2, 1), ("Yến", 3, 4, 3), ("Hậu", 2, 2, 1), ("Khánh", 0, 1, 4),
    ("Ngà", 2, 2, 1), ("Hoài", 2, 2, 2), ("Diệu", 0, 0.5, 2), ("Thư", 0.5, 2, 5),
    ("Hân", 0, 0.5, 4),
]  # fmt: skip

THAI_FAMILY = [
    ("Lò", 22), ("Lường", 14), ("Quàng", 10), ("Cầm", 10), ("Tòng", 7), ("Vì", 7), ("Hà", 8),
    ("Lừ", 4), ("Điêu", 5), ("Bạc", 4), ("Mè", 2),
]  # fmt: skip
# Thái names keep "Văn" / "Thị"; younger people increasingly carry Kinh given names.
THAI_MIDDLE_MALE = [("Văn", 95, 90, 75), ("Minh", 0, 3, 8), ("Đức", 0, 2, 6), ("Thanh", 5, 5, 6)]
THAI_MIDDLE_FEMALE = [("Thị", 97, 92, 75), ("Thu", 0, 3, 8), ("Ngọc", 0, 2, 8), ("Hồng", 3, 3, 4)]
THAI_GIVEN_MALE = [
    ("Oai", 4, 3, 1), ("Pọm", 4, 2, 0.5), ("Xuân", 3, 3, 2), ("Panh", 3, 2, 0.5), ("Khằm", 3, 2, 1),
    ("Chăn", 3, 2, 1), ("Sương", 3, 2, 1), ("Bun", 3, 2, 0.5), ("Phiêng", 2, 2, 1),
    ("Hặc", 3, 2, 0.5), ("Inh", 3, 2, 1), ("Thoong", 2, 1, 0.5), ("Lả", 3, 2, 0.5),
    ("Nọi", 2, 2, 1), ("Xiêng", 2, 2, 1), ("Ngoan", 2, 2, 1), ("Tiến", 1, 3, 3), ("Sơn", 1, 3, 3),
    ("Hùng", 1, 3, 3), ("Chiến", 1, 3, 2), ("Dương", 0.5, 2, 3), ("Cương", 1, 2, 2),
    ("Thanh", 1, 2, 2), ("Lực", 1, 2, 2), ("Thương", 0.5, 2, 3), ("Huy", 0, 1, 4), ("Nam", 0, 1, 4),
    ("Đạt", 0, 1, 4), ("Toàn", 0.5, 2, 3),
]  # fmt: skip
THAI_GIVEN_FEMALE = [
    ("Ẻn", 4, 3, 1), ("Ún", 4, 3, 1), ("Xuân", 3, 3, 2), ("Hom", 3, 2, 0.5), ("Xiêm", 3, 2, 1),
    ("Thoa", 2, 3, 2), ("Ánh", 1, 2, 3), ("Hoa", 2, 3, 2), ("Mai", 2, 3, 3), ("Hương", 1, 3, 3),
    ("Pánh", 3, 2, 0.5), ("Ín", 3, 2, 0.5), ("Piếng", 3, 2, 0.5), ("Chăm", 2, 2, 1),
    ("Hiên", 2, 2, 1), ("Ngân", 0.5, 2, 3), ("Phương", 0.5, 2, 3), ("Thủy", 1, 2, 2),
    ("Thuỷ", 0.5, 1, 1), ("Tươi", 2, 2, 1), ("Hoài", 1, 2, 2), ("Dung", 1, 2, 2), ("Linh", 0, 1, 4),
    ("Trang", 0, 1, 4), ("Vy", 0, 0.5, 3),
]  # fmt: skip

MONG_FAMILY = [
    ("Giàng", 16), ("Sùng", 14), ("Vàng", 14), ("Thào", 12), ("Lý", 8), ("Mùa", 8), ("Hờ", 5),
    ("Cứ", 5), ("Lầu", 5), ("Hạng", 4), ("Tráng", 3), ("Vừ", 4), ("Sình", 2),
]  # fmt: skip
# "Giàng A Dệnh", "Giàng Seo Phử", "Sùng Thị Mai"; some older people have no middle name.
MONG_MIDDLE_MALE = [("A", 60, 62, 60), ("Seo", 22, 22, 20), ("Văn", 3, 8, 15), ("", 15, 8, 5)]
MONG_MIDDLE_FEMALE = [("Thị", 80, 90, 95), ("", 20, 10, 5)]
MONG_GIVEN_MALE = [
    ("Dệnh", 3, 3, 2), ("Páo", 3, 3, 2), ("Chư", 3, 2, 2), ("Chứ", 3, 3, 2), ("Sử", 3, 3, 2),
    ("Tủa", 3, 3, 2), ("Lử", 3, 2, 1), ("Pó", 3, 2, 1), ("Dế", 3, 2, 1), ("Lềnh", 2, 2, 1),
    ("Dình", 2, 2, 2), ("Sính", 2, 2, 2), ("Chinh", 1, 2, 3), ("Nhà", 3, 2, 1), ("Phử", 2, 2, 2),
    ("Vư", 2, 2, 1), ("Cở", 2, 2, 1), ("Thề", 2, 2, 1), ("Tồng", 2, 2, 1), ("Dua", 2, 2, 2),
]  # fmt: skip
MONG_GIVEN_FEMALE = [
    ("Mai", 2, 3, 4), ("Dợ", 3, 3, 2), ("Mỷ", 3, 3, 2), ("Súa", 3, 3, 2), ("Pà", 3, 2, 1),
    ("Dở", 3, 2, 1), ("Chá", 3, 2, 1), ("Xúa", 3, 2, 1), ("Di", 2, 2, 2), ("Say", 2, 2, 2),
    ("Ly", 1, 2, 3), ("Lan", 1, 2, 3), ("Máy", 2, 2, 1), ("Mua", 2, 2, 2), ("Chi", 0.5, 2, 3),
]  # fmt: skip

KINH_HAMLET_NAMES = [
    "Tân Lập", "Quyết Thắng", "Thành Công", "Đoàn Kết", "Thống Nhất", "Hoà Bình", "Bình Minh",
    "Tiền Phong", "Quyết Tiến", "Tân Tiến", "Hợp Thành", "Đồng Tâm", "Tân Sơn", "Hưng Thịnh",
    "Thanh Xuân", "Tiến Thắng", "Tân Hợp", "Thắng Lợi", "Trung Tâm", "Tân Hương",
    "Đồng Tiến", "Phú Cường", "Minh Khai",
]  # fmt: skip
BAN_NAME_FIRST = [
    "Nà", "Huổi", "Pá", "Co", "Hua", "Nong", "Phiêng", "Bó", "Tà", "Pú", "Nậm", "Hát", "Kéo",
    "Púng", "Noong",
]  # fmt: skip
BAN_NAME_SECOND = [
    "Sản", "Hạ", "Lốm", "Pát", "Lứa", "Mòn", "Cang", "Hịa", "Tấu", "Lạn", "Ngùa", "Khoang", "Cọ",
    "Cuông", "Lẹ", "Ẳng", "Muông", "Sàng", "Tra", "Xôm", "Nghè", "Phày",
]  # fmt: skip

# Old 63-province birth-registration codes (domain.md §2) for people born elsewhere:
# Kinh settlers from the Red River delta and the north-central coast, and minority
# people from the neighbouring mountain provinces.
DELTA_BIRTH_CODES = [
    ("034", 8), ("036", 6), ("035", 4), ("033", 4), ("030", 4), ("001", 5), ("025", 4),
    ("038", 4), ("040", 3), ("037", 3), ("026", 2), ("027", 2), ("017", 3), ("031", 2),
]  # fmt: skip
MOUNTAIN_BIRTH_CODES = [("011", 4), ("012", 3), ("015", 3), ("010", 2), ("017", 3), ("038", 1)]

# Kinds of household and how often each occurs, per naming. Minority households are
# larger: more children, more generations under one roof.
SINGLE, COUPLE, NUCLEAR, SINGLE_PARENT, WITH_MARRIED_CHILD, WITH_PARENTS = range(6)
# Grandparents raising grandchildren whose parents work away or have died.
SKIPPED_GENERATION = 6
HOUSEHOLD_KINDS = {
    # Weights of SINGLE, COUPLE, NUCLEAR, SINGLE_PARENT, WITH_MARRIED_CHILD, WITH_PARENTS,
    # SKIPPED_GENERATION: about 3.5 people a household, as the 2019 census found in the
    # northern midlands and mountains.
    "kinh": (8, 12, 42, 6, 20, 10, 2),
    "thai": (5, 9, 42, 5, 26, 12, 1.5),
    "mong": (2, 5, 44, 4, 30, 14, 1),
}
# Boys among births: about 111 boys per 100 girls (GSO, 2019–2024).
BOY_SHARE_AT_BIRTH = 111 / 211
# Children ever born to a couple.
CHILDREN_BORN = {
    "kinh": [(0, 4), (1, 22), (2, 50), (3, 18), (4, 5), (5, 1)],
    "thai": [(0, 3), (1, 15), (2, 45), (3, 26), (4, 8), (5, 3)],
    "mong": [(0, 2), (1, 7), (2, 20), (3, 28), (4, 22), (5, 13), (6, 8)],
}
GRANDCHILDREN_BORN = {
    "kinh": [(0, 15), (1, 33), (2, 40), (3, 12)],
    "thai": [(0, 12), (1, 30), (2, 40), (3, 18)],
    "mong": [(0, 8), (1, 20), (2, 32), (3, 25), (4, 15)],
}
# Sons-in-law living with the bride's parents (ở rể) are a Thái custom; rarer elsewhere.
SON_IN_LAW_SHARE = {"kinh": 0.15, "thai": 0.35, "mong": 0.08}

TEMPORARY_HOUSEHOLD_SHARE = 0.06
ABSENT_SHARE_OF_YOUNG_ADULTS = 0.08
YOUNG_COUPLE_AWAY_SHARE = 0.15
DEATH_SHARE_OF_OLD_MEMBERS = 0.08
NO_ID_NUMBER_SHARE = 0.02

# --- Work, schooling, faith ---------------------------------------------------------------

EMPLOYED = Person.Employment.EMPLOYED.value
SELF_EMPLOYED = Person.Employment.SELF_EMPLOYED.value
UNEMPLOYED = Person.Employment.UNEMPLOYED.value
STUDENT = Person.Employment.STUDENT.value
RETIRED = Person.Employment.RETIRED.value
HOMEMAKER = Person.Employment.HOMEMAKER.value
UNABLE = Person.Employment.UNABLE.value

PUPIL, UNIVERSITY_STUDENT = "Học sinh", "Sinh viên"
# Jobs with an employer who pays the health insurance: the state, or a firm.
STATE_JOBS = {"Giáo viên", "Cán bộ, công chức", "Nhân viên y tế"}
FIRM_JOBS = {"Công nhân", "Lái xe"}
FARM_WORK = {
    "Làm ruộng", "Làm nương", "Trồng cà phê", "Trồng ngô", "Trồng mía", "Trồng cây ăn quả",
    "Trồng chè", "Chăn nuôi",
}  # fmt: skip

# Occupations of adults of working age living at home: (occupation, employment, weight
# for Kinh aged 15–39, Kinh 40+, Thái 15–39, Thái 40+, Mông 15–39, Mông 40+). Farming
# fills the bản (wet rice for the Thái, upland fields and maize for the Mông); the Kinh
# thôn along the road also trade, build and work in the sugar mill and the factories.
OCCUPATIONS_MALE = [
    ("Làm ruộng", SELF_EMPLOYED, 14, 24, 30, 40, 8, 10),
    ("Làm nương", SELF_EMPLOYED, 0, 0, 6, 8, 30, 38),
    ("Trồng cà phê", SELF_EMPLOYED, 6, 9, 6, 7, 2, 2),
    ("Trồng ngô", SELF_EMPLOYED, 4, 6, 8, 10, 18, 20),
    ("Trồng mía", SELF_EMPLOYED, 4, 6, 2, 2, 0, 0),
    ("Trồng cây ăn quả", SELF_EMPLOYED, 6, 9, 3, 4, 3, 3),
    ("Trồng chè", SELF_EMPLOYED, 1, 1, 1, 1, 5, 5),
    ("Chăn nuôi", SELF_EMPLOYED, 4, 5, 4, 5, 6, 6),
    ("Công nhân", EMPLOYED, 14, 6, 8, 3, 5, 1),
    ("Làm thuê", EMPLOYED, 6, 4, 10, 6, 10, 6),
    ("Buôn bán", SELF_EMPLOYED, 7, 7, 2, 2, 1, 1),
    ("Thợ xây", EMPLOYED, 8, 6, 4, 3, 2, 1),
    ("Lái xe", EMPLOYED, 4, 3, 1, 1, 0.5, 0.3),
    ("Sửa chữa xe máy", SELF_EMPLOYED, 2, 2, 1, 0.5, 0.3, 0.2),
    ("Thợ mộc", SELF_EMPLOYED, 1.5, 2, 1, 1, 0.5, 0.5),
    ("Giáo viên", EMPLOYED, 2, 2, 2, 2, 1, 0.5),
    ("Cán bộ, công chức", EMPLOYED, 3, 4, 2, 3, 1, 1),
    ("Nhân viên y tế", EMPLOYED, 0.7, 0.7, 0.4, 0.4, 0.2, 0.1),
]
OCCUPATIONS_FEMALE = [
    ("Làm ruộng", SELF_EMPLOYED, 14, 24, 32, 40, 8, 10),
    ("Làm nương", SELF_EMPLOYED, 0, 0, 6, 8, 30, 38),
    ("Trồng cà phê", SELF_EMPLOYED, 5, 8, 5, 6, 2, 2),
    ("Trồng ngô", SELF_EMPLOYED, 3, 5, 8, 10, 18, 20),
    ("Trồng mía", SELF_EMPLOYED, 3, 5, 2, 2, 0, 0),
    ("Trồng cây ăn quả", SELF_EMPLOYED, 5, 8, 3, 4, 3, 3),
    ("Trồng chè", SELF_EMPLOYED, 1, 1, 1, 1, 5, 5),
    ("Chăn nuôi", SELF_EMPLOYED, 4, 5, 4, 5, 6, 6),
    ("Công nhân", EMPLOYED, 16, 5, 9, 2, 5, 1),
    ("Làm thuê", EMPLOYED, 4, 3, 8, 5, 8, 5),
    ("Buôn bán", SELF_EMPLOYED, 10, 11, 3, 3, 1, 1),
    ("Thợ may", SELF_EMPLOYED, 4, 4, 1, 1, 0.5, 0.5),
    ("Dệt thổ cẩm", SELF_EMPLOYED, 0, 0, 2, 3, 3, 4),
    ("Giáo viên", EMPLOYED, 4, 4, 3, 3, 1, 0.5),
    ("Cán bộ, công chức", EMPLOYED, 2.5, 3, 1.5, 2, 0.5, 0.5),
    ("Nhân viên y tế", EMPLOYED, 1.5, 1.5, 0.8, 0.8, 0.3, 0.2),
    ("Nội trợ", HOMEMAKER, 5, 7, 2, 3, 2, 3),
]
# Adults of households renting here, and people registered as temporarily absent (most
# of them in the industrial zones of the delta).
TEMPORARY_OCCUPATIONS = [
    (("Công nhân", EMPLOYED), 40), (("Buôn bán", SELF_EMPLOYED), 20),
    (("Giáo viên", EMPLOYED), 12), (("Cán bộ, công chức", EMPLOYED), 8),
    (("Thợ xây", EMPLOYED), 8), (("Làm thuê", EMPLOYED), 8), (("Nhân viên y tế", EMPLOYED), 4),
]  # fmt: skip
AWAY_OCCUPATIONS = [
    (("Công nhân", EMPLOYED), 68), (("Làm thuê", EMPLOYED), 14), (("Thợ xây", EMPLOYED), 8),
    (("Buôn bán", SELF_EMPLOYED), 5), (("Lái xe", EMPLOYED), 3), (("", UNEMPLOYED), 2),
]  # fmt: skip
# Share of 15-year-olds still at school (falling by 6 points a year to 17), of
# 18-year-olds in college or university (falling to 22), and of the old who draw a
# pension (former officials, teachers, soldiers and factory workers).
SCHOOL_SHARE = {"kinh": 0.94, "thai": 0.84, "mong": 0.66}
HIGHER_EDUCATION_SHARE = {"kinh": 0.32, "thai": 0.14, "mong": 0.06}
RETIRED_SHARE = {"kinh": 0.22, "thai": 0.08, "mong": 0.02}
UNEMPLOYED_SHARE = 0.03
STUDYING_AWAY_SHARE = 0.3

EDUCATION_LEVELS = (
    "none", "primary", "lower_secondary", "upper_secondary", "vocational", "college",
    "university", "postgraduate",
)  # fmt: skip
DEGREES = {"college", "university", "postgraduate"}
# Weights of EDUCATION_LEVELS for adults born before 1950, in 1950–1969, 1970–1989 and
# from 1990 on. Older Thái and Mông women often never went to school.
EDUCATION = {
    "kinh": {
        "m": [(10, 40, 32, 10, 4, 2, 2, 0), (2, 20, 42, 22, 7, 3, 4, 0),
              (1, 8, 33, 33, 11, 5, 9, 0.3), (0.5, 3, 18, 40, 13, 8, 16, 1.5)],
        "f": [(20, 42, 26, 7, 2, 1.5, 1.5, 0), (4, 25, 42, 18, 5, 3, 3, 0),
              (1, 9, 34, 31, 9, 6, 9, 0.3), (0.5, 3, 17, 40, 11, 9, 18, 1.5)],
    },
    "thai": {
        "m": [(45, 35, 14, 4, 1, 0.5, 0.5, 0), (15, 40, 30, 9, 3, 1.5, 1.5, 0),
              (5, 25, 38, 20, 6, 3, 3, 0), (2, 10, 38, 32, 8, 5, 5, 0.2)],
        "f": [(75, 18, 5, 1.5, 0.3, 0.1, 0.1, 0), (35, 38, 20, 5, 1, 0.5, 0.5, 0),
              (12, 30, 35, 15, 4, 2, 2, 0), (3, 12, 38, 30, 7, 5, 5, 0.2)],
    },
    "mong": {
        "m": [(80, 15, 4, 1, 0, 0, 0, 0), (50, 32, 13, 4, 1, 0, 0, 0),
              (25, 38, 25, 9, 2, 0.5, 0.5, 0), (6, 25, 38, 22, 5, 2, 2, 0)],
        "f": [(96, 3, 1, 0, 0, 0, 0, 0), (80, 14, 5, 1, 0, 0, 0, 0),
              (55, 28, 13, 3, 1, 0, 0, 0), (15, 30, 33, 17, 3, 1, 1, 0)],
    },
}  # fmt: skip
PROFESSIONAL_EDUCATION = [
    ("vocational", 8),
    ("college", 30),
    ("university", 57),
    ("postgraduate", 5),
]
RETIREE_EDUCATION = [
    ("primary", 5), ("lower_secondary", 15), ("upper_secondary", 25), ("vocational", 20),
    ("college", 15), ("university", 19), ("postgraduate", 1),
]  # fmt: skip

# Religion is the household's. Many records leave it blank; "Không" is the usual entry.
RELIGION = {
    "kinh": [("", 30), ("Không", 63), ("Phật giáo", 4.5), ("Công giáo", 2.5)],
    "thai": [("", 30), ("Không", 68.5), ("Phật giáo", 1), ("Công giáo", 0.5)],
    "mong": [("", 20), ("Không", 50), ("Tin Lành", 30)],
}
# Shares of poor and near-poor households. The demo records no poverty review; the
# standing only decides who carries a poor (HN) or near-poor (CN) health insurance card.
POOR, NEAR_POOR = 1, 2
POVERTY_SHARE = {"kinh": (0.03, 0.05), "thai": (0.12, 0.12), "mong": (0.30, 0.15)}

# --- Health insurance, disability, benefits -----------------------------------------------

# Card number: group code, benefit level, 2-digit province, 10-digit social insurance
# number. Codes and levels after Decision 1351/QĐ-BHXH (1: 100 % without ceiling, 2:
# 100 %, 3: 95 %, 4: 80 %): TE children under 6, CC people with meritorious services,
# BT social protection, HN poor households, DT ethnic minorities in difficult areas, HT
# pensioners, CN near-poor households, DN firm workers, HC state employees, HS pupils,
# SV students, GD household-based. Minority shares with a DT card, and shares of other
# adults who buy a household card, are assumptions.
MINORITY_CARD_SHARE = {"kinh": 0.0, "thai": 0.75, "mong": 0.9}
HOUSEHOLD_CARD_SHARE = {"kinh": 0.8, "thai": 0.85, "mong": 0.85}
AWAY_CARD_SHARE = 0.25
# Share of cards left to expire: household cards are often not renewed on time.
LAPSED_SHARE = {"GD4": 0.12}
OTHER_LAPSED_SHARE = 0.03
# Cards paid by the state run to the end of the year.
YEAR_CARDS = {"CC1", "BT2", "HN2", "DT2", "HT3", "CN3"}

# The 9-digit CMND on old records: its first two digits named the issuing province
# (unconfirmed; this maps the old birth-registration codes the demo uses).
OLD_ID_SHARE = 0.4
CMND_PREFIX = {
    "001": "01", "031": "03", "011": "04", "012": "04", "014": "05", "010": "06", "015": "06",
    "008": "07", "017": "11", "027": "12", "025": "13", "026": "13", "030": "14", "033": "14",
    "034": "15", "035": "16", "036": "16", "037": "16", "038": "17", "040": "18",
}  # fmt: skip

# Disability (Law on Persons with Disabilities 2010): share by age, and the degree.
DISABILITY_SHARE = ((15, 0.004), (60, 0.01), (80, 0.03), (200, 0.07))
DISABILITY_DEGREES = [("mild", 50), ("severe", 38), ("especially_severe", 12)]
SEVERE = {"severe", "especially_severe"}
# Monthly allowances for severe disability began under Decree 28/2012.
DISABILITY_ALLOWANCE_FROM = date(2012, 6, 1)
# Old-age social pension for people without a pension, from this age (Decree 20/2021).
SOCIAL_PENSION_AGE = 80
WAR_INVALID_SHARE = {"kinh": 0.035, "thai": 0.02, "mong": 0.01}
MERITORIOUS_SHARE = {"kinh": 0.025, "thai": 0.012, "mong": 0.006}
MARTYR_FAMILY_SHARE = {"kinh": 0.015, "thai": 0.008, "mong": 0.004}
ORPHAN_SHARE_OF_SKIPPED_GENERATION = 0.1
WAR_INVALID_NOTES = [
    ("Thương binh hạng 1/4", 1), ("Thương binh hạng 2/4", 3), ("Thương binh hạng 3/4", 5),
    ("Thương binh hạng 4/4", 6), ("Bệnh binh", 3),
]  # fmt: skip
MERITORIOUS_NOTES = [
    ("Người hoạt động kháng chiến bị nhiễm chất độc hoá học", 4),
    ("Người hoạt động kháng chiến", 3),
    ("Người có công giúp đỡ cách mạng", 1),
]

# --- Immunisation -------------------------------------------------------------------------

# Vietnam's Expanded Programme on Immunization as a commune health station runs it:
# (age in days when due, fewest days after the previous visit, doses). A dose is given
# only after the dose before it of the same series (the DPT booster after the third
# 5-in-1); a missed visit ends the series it carries.
# Vaccines are recorded by their code in the registry's one table, as the form does.
_V = Immunisation.Vaccine
HEPATITIS_B_BIRTH = _V.HEPATITIS_B_BIRTH.value
BCG = _V.BCG.value
FIVE_IN_ONE = _V.FIVE_IN_ONE.value
EPI_VISITS = [
    (61, 28, ((FIVE_IN_ONE, 1), (_V.BOPV.value, 1))),
    (91, 28, ((FIVE_IN_ONE, 2), (_V.BOPV.value, 2))),
    (122, 28, ((FIVE_IN_ONE, 3), (_V.BOPV.value, 3))),
    (152, 28, ((_V.IPV.value, 1),)),
    (274, 28, ((_V.MEASLES.value, 1), (_V.IPV.value, 2))),
    (365, 28, ((_V.JAPANESE_ENCEPHALITIS.value, 1),)),
    (379, 7, ((_V.JAPANESE_ENCEPHALITIS.value, 2),)),
    (548, 28, ((_V.MEASLES_RUBELLA.value, 1), (_V.DTP.value, 4))),
    (730, 28, ((_V.JAPANESE_ENCEPHALITIS.value, 3),)),
]
# The dose that must come first, where it is not the one before in the same vaccine.
EPI_PREREQUISITES = {(_V.DTP.value, 4): (FIVE_IN_ONE, 3)}
# Per naming: a birth dose of hepatitis B within 24 hours (home births in the bản miss
# it), BCG in the first month, the child reached by the programme at all, each later
# visit kept, and the longest usual delay in days.
EPI_BIRTH_DOSE = {"kinh": 0.9, "thai": 0.75, "mong": 0.55}
EPI_BCG = {"kinh": 0.97, "thai": 0.93, "mong": 0.85}
EPI_REACHED = {"kinh": 0.985, "thai": 0.965, "mong": 0.93}
EPI_VISIT_KEPT = {"kinh": 0.985, "thai": 0.965, "mong": 0.94}
EPI_DELAY = {"kinh": 40, "thai": 60, "mong": 90}
# Td (tetanus-diphtheria) at school, from the age of 7.
TD_VACCINE, TD_AGE_DAYS = _V.TD.value, 2557
TD_SHARE = {"kinh": 0.93, "thai": 0.88, "mong": 0.8}


# --- Ready to draw from ------------------------------------------------------------------


def _nfc(text):
    return unicodedata.normalize("NFC", text)


class _Picker:
    """A weighted choice: one `random()` and a bisection over precomputed cumulative weights."""

    __slots__ = ("cumulative", "items", "last", "total")

    def __init__(self, weighted):
        self.items, self.cumulative, total = [], [], 0.0
        for item, weight in weighted:
            if weight > 0:
                total += weight
                if isinstance(item, str):
                    item = _nfc(item)
                elif isinstance(item, tuple):
                    item = tuple(_nfc(x) if isinstance(x, str) else x for x in item)
                self.items.append(item)
                self.cumulative.append(total)
        self.total = total
        self.last = len(self.items) - 1

    def __call__(self, rng):
        # `hi=last` keeps a product rounded up to the total inside the list.
        return self.items[bisect_right(self.cumulative, rng.random() * self.total, 0, self.last)]


def _by_era(rows):
    """Three pickers from rows of (name, weight before 1970, 1970–1994, from 1995)."""
    return [_Picker((row[0], row[1 + era]) for row in rows) for era in range(3)]


@dataclass(frozen=True)
class _Naming:
    ethnicity: str
    family: _Picker
    middle: dict
    given: dict
    double_middle: dict | None = None


NAMINGS = {
    "kinh": _Naming(
        ethnicity="Kinh",
        family=_Picker(KINH_FAMILY),
        middle={"m": _by_era(KINH_MIDDLE_MALE), "f": _by_era(KINH_MIDDLE_FEMALE)},
        given={"m": _by_era(KINH_GIVEN_MALE), "f": _by_era(KINH_GIVEN_FEMALE)},
        double_middle={sex: _Picker(rows) for sex, rows in KINH_DOUBLE_MIDDLE.items()},
    ),
    "thai": _Naming(
        ethnicity="Thái",
        family=_Picker(THAI_FAMILY),
        middle={"m": _by_era(THAI_MIDDLE_MALE), "f": _by_era(THAI_MIDDLE_FEMALE)},
        given={"m": _by_era(THAI_GIVEN_MALE), "f": _by_era(THAI_GIVEN_FEMALE)},
    ),
    "mong": _Naming(
        ethnicity="Mông",
        family=_Picker(MONG_FAMILY),
        middle={"m": _by_era(MONG_MIDDLE_MALE), "f": _by_era(MONG_MIDDLE_FEMALE)},
        given={"m": _by_era(MONG_GIVEN_MALE), "f": _by_era(MONG_GIVEN_FEMALE)},
    ),
}
_HOUSEHOLD_KIND_PICKERS = {
    folk: _Picker(enumerate(weights)) for folk, weights in HOUSEHOLD_KINDS.items()
}
_CHILDREN_PICKERS = {folk: _Picker(rows) for folk, rows in CHILDREN_BORN.items()}
_GRANDCHILDREN_PICKERS = {folk: _Picker(rows) for folk, rows in GRANDCHILDREN_BORN.items()}
_DELTA = _Picker(DELTA_BIRTH_CODES)
_MOUNTAIN = _Picker(MOUNTAIN_BIRTH_CODES)
FOLKS = ("kinh", "thai", "mong")


def _by_folk_and_age(rows, keep=lambda row: True):
    """{folk: [picker for ages 15–39, picker for 40+]} of (occupation, employment)."""
    return {
        folk: [_Picker((row[:2], row[2 + 2 * i + band]) for row in rows if keep(row))
               for band in (0, 1)]
        for i, folk in enumerate(FOLKS)
    }  # fmt: skip


def _farming(row):
    return row[0] in FARM_WORK or row[1] == HOMEMAKER


_WORK = {"m": _by_folk_and_age(OCCUPATIONS_MALE), "f": _by_folk_and_age(OCCUPATIONS_FEMALE)}
# The old, and teenagers who left school, work the family's land (or keep house).
_FARMING = {
    "m": _by_folk_and_age(OCCUPATIONS_MALE, _farming),
    "f": _by_folk_and_age(OCCUPATIONS_FEMALE, _farming),
}
_TEMPORARY_WORK = _Picker(TEMPORARY_OCCUPATIONS)
_AWAY_WORK = _Picker(AWAY_OCCUPATIONS)
_EDUCATION = {
    folk: {sex: [_Picker(zip(EDUCATION_LEVELS, weights, strict=True)) for weights in eras]
           for sex, eras in by_sex.items()}
    for folk, by_sex in EDUCATION.items()
}  # fmt: skip
_PROFESSIONAL_EDUCATION = _Picker(PROFESSIONAL_EDUCATION)
_RETIREE_EDUCATION = _Picker(RETIREE_EDUCATION)
_RELIGION = {folk: _Picker(rows) for folk, rows in RELIGION.items()}
_DISABILITY_DEGREE = _Picker(DISABILITY_DEGREES)
_WAR_INVALID_NOTE = _Picker(WAR_INVALID_NOTES)
_MERITORIOUS_NOTE = _Picker(MERITORIOUS_NOTES)


def _epi_visits():
    """EPI_VISITS with each dose's prerequisite: (vaccine, dose, needed vaccine, its dose)."""
    visits = []
    for due, gap, doses in EPI_VISITS:
        entries = []
        for vaccine, dose in doses:
            needed, needed_dose = EPI_PREREQUISITES.get((vaccine, dose), (vaccine, dose - 1))
            entries.append((_nfc(vaccine), dose, _nfc(needed), needed_dose))
        visits.append((due, gap, tuple(entries)))
    return visits


_EPI = _epi_visits()
