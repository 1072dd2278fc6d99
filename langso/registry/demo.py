"""The demo commune, and a province-scale population for benchmarks.

`build()` lays out hamlets and self-managed groups, lets `Population` invent
households and people for them, and writes the rows with `_Writer`. The same
code path serves the demo commune of 2,000 households and a benchmark of a
million people: rows are plain tuples inserted with `executemany`, primary keys
are assigned here (so a household's head is known before its people are
written), and nothing builds a model instance per person.

Everything is drawn from one `random.Random(seed)`, never from the database, so
the same seed on the same day (`as_of`) gives the same people, names, birth
dates and ID numbers, and the same work, schooling, health insurance cards,
immunisations and policy benefits: enough for the labour, health insurance,
immunisation, elderly, beneficiary and military-service lists to have something
believable to draw.
"""

import math
import random
import time
import unicodedata
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain

from django.contrib.auth.password_validation import validate_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from langso.accounts.actions import create_user, grant_role
from langso.accounts.models import User
from langso.accounts.roles import Role
from langso.lib.paths import SEPARATOR
from langso.lib.vietnamese import fold, name_sort_key
from langso.places.actions import create_unit
from langso.places.models import Unit
from langso.registry.models import (
    Benefit,
    Household,
    Immunisation,
    Membership,
    Person,
    SearchKey,
)

# Xã Mai Sơn, Sơn La: Kinh villages along the national road and Thái bản around them.
DEMO_COMMUNE_CODE = "04105"
DEMO_PASSWORD = "langso-demo-2025"
DEFAULT_HOUSEHOLDS = 2000
DEFAULT_SEED = 2025
# Past this a commune would be implausibly big; the households spread over more communes.
HOUSEHOLDS_PER_COMMUNE = 5000
# A hamlet of the northern uplands has a few hundred households.
HOUSEHOLDS_PER_HAMLET = 400
BATCH_HOUSEHOLDS = 10_000
# SQLite's page cache during a build, in KiB (see `_page_cache`).
BUILD_CACHE_KIB = 512 * 1024
ROWS_PER_STATEMENT = 100

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

DEMO_USERS = [
    # (username, full name, role, where: the demo commune or Bình Chiến)
    ("quantri", "Đỗ Minh Tuấn", Role.COMMUNE_ADMIN, "commune"),
    ("canbo", "Nguyễn Thị Thu Hà", Role.COMMUNE_OFFICIAL, "commune"),
    ("danguy", "Lê Văn Thắng", Role.PARTY_COMMITTEE, "commune"),
    ("hoi", "Phạm Thị Hòa", Role.ASSOCIATION_LEADER, "commune"),
    ("xem", "Trần Đức Anh", Role.VIEWER, "commune"),
    ("truongthon", "Nguyễn Văn Bình", Role.HAMLET_HEAD, "hamlet"),
    ("bithu", "Hoàng Văn Sơn", Role.CELL_SECRETARY, "hamlet"),
    ("dangvien", "Vũ Thị Lan", Role.PARTY_MEMBER, "hamlet"),
]
SUPERUSER = ("admin", "Quản trị hệ thống")


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
    # SKIPPED_GENERATION.
    "kinh": (14, 17, 40, 7, 14, 8, 1.5),
    "thai": (9, 13, 42, 6, 20, 10, 1.5),
    "mong": (4, 8, 46, 5, 25, 12, 1),
}
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
HEPATITIS_B_BIRTH = "Viêm gan B sơ sinh"
FIVE_IN_ONE = "DPT-VGB-Hib"
EPI_VISITS = [
    (61, 28, ((FIVE_IN_ONE, 1), ("bOPV", 1))),
    (91, 28, ((FIVE_IN_ONE, 2), ("bOPV", 2))),
    (122, 28, ((FIVE_IN_ONE, 3), ("bOPV", 3))),
    (152, 28, (("IPV", 1),)),
    (274, 28, (("Sởi", 1), ("IPV", 2))),
    (365, 28, (("Viêm não Nhật Bản", 1),)),
    (379, 7, (("Viêm não Nhật Bản", 2),)),
    (548, 28, (("Sởi-Rubella", 1), ("DPT", 4))),
    (730, 28, (("Viêm não Nhật Bản", 3),)),
]
# The dose that must come first, where it is not the one before in the same vaccine.
EPI_PREREQUISITES = {("DPT", 4): (FIVE_IN_ONE, 3)}
# Per naming: a birth dose of hepatitis B within 24 hours (home births in the bản miss
# it), BCG in the first month, the child reached by the programme at all, each later
# visit kept, and the longest usual delay in days.
EPI_BIRTH_DOSE = {"kinh": 0.9, "thai": 0.75, "mong": 0.55}
EPI_BCG = {"kinh": 0.97, "thai": 0.93, "mong": 0.85}
EPI_REACHED = {"kinh": 0.985, "thai": 0.965, "mong": 0.93}
EPI_VISIT_KEPT = {"kinh": 0.985, "thai": 0.965, "mong": 0.94}
EPI_DELAY = {"kinh": 40, "thai": 60, "mong": 90}
# Td (tetanus-diphtheria) at school, from the age of 7.
TD_VACCINE, TD_AGE_DAYS = "Td", 2557
TD_SHARE = {"kinh": 0.93, "thai": 0.88, "mong": 0.8}

DAYS_PER_YEAR = 365.2425
_DISABILITY_ALLOWANCE_FROM = DISABILITY_ALLOWANCE_FROM.toordinal()
# Recognitions of people with meritorious services (many for Agent Orange) since 2000,
# of martyrs' relatives since 1975.
_MERITORIOUS_FROM = date(2000, 1, 1).toordinal()
_MARTYR_FAMILY_FROM = date(1975, 5, 1).toordinal()


def _six_years_old(birth):
    """When a child's free card ends: at 72 months, or on 30 September of that year if
    school has not yet begun (Law on Health Insurance, art. 16)."""
    day = 28 if (birth.month, birth.day) == (2, 29) else birth.day
    sixth = date(birth.year + 6, birth.month, day)
    school = date(birth.year + 6, 9, 30)
    return school if sixth <= school else sixth


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


@dataclass(frozen=True)
class Slot:
    """A self-managed group to fill: where its households live and who they are."""

    unit_id: int
    hamlet_id: int
    address: str
    folk: str  # a key of NAMINGS
    birth_code: str  # 3-digit birth-registration code of people born here
    households: int


# A member before names and dates are drawn: relationship, sex, age in years, family
# name, mother's family name (for a double middle name), married in (so maybe born
# elsewhere), residence status.
_REL, _SEX, _AGE, _FAMILY, _MOTHER, _MARRIED_IN, _STATUS = range(7)


class _Members(list):
    """The members of a household being invented, head first."""

    def __init__(self, status, kind):
        super().__init__()
        self.status = status
        self.kind = kind

    def add(self, rel, sex, age, family, mother=None, married_in=False):
        member = [rel, sex, age, family, mother, married_in, self.status]
        self.append(member)
        return member


class Population:
    """Invents households and their people, deterministically for a random state and a day.

    `household()` returns plain tuples in the order of `HOUSEHOLD_FIELDS` and
    `PERSON_FIELDS`; the caller assigns the primary keys. The people's immunisations
    and benefits gather in `immunisations` and `benefits` (tuples in the order of
    `IMMUNISATION_FIELDS` and `BENEFIT_FIELDS`) until the caller takes them.
    """

    def __init__(self, rng, *, as_of, created_at, taken_id_numbers=()):
        self.rng = rng
        self.as_of = as_of
        self.as_of_ordinal = as_of.toordinal()
        self.created_at = created_at
        self.id_numbers = set(taken_id_numbers)
        self.old_id_numbers = set()
        self.social_insurance_numbers = set()
        self.immunisations = []
        self.benefits = []
        # State-paid health insurance cards run to the end of the year; from October
        # some have been renewed for the next.
        self.year_end = date(as_of.year, 12, 31)
        self.next_year_end = date(as_of.year + 1, 12, 31)
        self.renewed_share = max(0, as_of.month - 9) / 10
        self.house_numbers = {}
        self._folded = {}
        self._sort_keys = {}
        self._folded_addresses = {}

    # --- Households -------------------------------------------------------------------

    def household(self, slot, household_id, first_person_id):
        """(household row, person rows) of one new household in `slot`, head first."""
        rng = self.rng
        temporary = rng.random() < TEMPORARY_HOUSEHOLD_SHARE
        members = self._members(slot.folk, temporary)
        number = self.house_numbers.get(slot.hamlet_id, 0) + 1 + int(rng.random() * 3)
        self.house_numbers[slot.hamlet_id] = number
        rows = self._people(slot, members, household_id, first_person_id, temporary)
        household = (
            household_id, slot.unit_id, str(number), slot.address,
            self._folded_address(number, slot.address), first_person_id, self.created_at, True,
        )  # fmt: skip
        return household, rows

    def _folded_address(self, number, address):
        folded = self._folded_addresses.get(address)
        if folded is None:
            folded = self._folded_addresses[address] = fold(address)
        return f"{number} {folded}"

    def stays(self, person):
        """Membership rows of a person tuple: when they came, and when they left or died.

        Natives have lived in their household since birth; temporary residents came
        within the last five years; the temporarily absent left within the last three,
        and were permanent residents before that.
        """
        rng = self.rng
        pid, household, rel, status = (
            person[_P["id"]],
            person[_P["household"]],
            person[_P["relationship"]],
            person[_P["residence_status"]],
        )
        born, died = person[_P["birth_date"]], person[_P["died_on"]]
        # A stay ends when its person dies, so the move is dated before the death.
        last = died.toordinal() if died else self.as_of_ordinal
        if status == "temporary":
            came = date.fromordinal(last - int(rng.random() * 5 * 365) - 1)
            return [(pid, household, rel, status, max(came, born), died)]
        if status == "absent":
            left = date.fromordinal(last - int(rng.random() * 3 * 365) - 1)
            left = max(left, date.fromordinal(born.toordinal() + 1))
            return [
                (pid, household, rel, "permanent", born, left),
                (pid, household, rel, status, left, died),
            ]
        return [(pid, household, rel, status, born, died)]

    def _members(self, folk, temporary):
        rng = self.rng
        random_ = rng.random
        tri = rng.triangular
        family = NAMINGS[folk].family
        if temporary:
            # Workers, teachers and traders renting here: young and small households.
            kind = (SINGLE, SINGLE, COUPLE, NUCLEAR)[int(random_() * 4)]
        else:
            kind = _HOUSEHOLD_KIND_PICKERS[folk](rng)
        members = _Members("temporary" if temporary else "permanent", kind)

        if kind == SINGLE:
            if temporary or random_() < 0.45:
                sex = "m" if random_() < 0.65 else "f"
                members.add("Chủ hộ", sex, tri(19, 50, 27), family(rng))
            else:
                sex = "f" if random_() < 0.7 else "m"
                members.add("Chủ hộ", sex, tri(60, 97, 74), family(rng))
            return members

        if kind == SINGLE_PARENT:
            sex = "f" if random_() < 0.8 else "m"
            head = members.add("Chủ hộ", sex, tri(26, 62, 42), family(rng))
            if sex == "f":
                mother_age, father_age = head[_AGE], None
                father_family, mother_family = family(rng), head[_FAMILY]
            else:
                mother_age, father_age = None, head[_AGE]
                father_family, mother_family = head[_FAMILY], None
            count = max(1, _CHILDREN_PICKERS[folk](rng))
            self._add_children(
                members, folk, mother_age, father_age, count, father_family, mother_family
            )
            return members

        if kind == WITH_MARRIED_CHILD:
            self._with_married_child(members, folk, family)
            return members

        if kind == SKIPPED_GENERATION:
            self._skipped_generation(members, family)
            return members

        # A couple, with or without children and the head's parents.
        if kind == COUPLE:
            young = temporary or random_() < 0.4
            head_age = tri(21, 36, 26) if young else tri(50, 88, 62)
        elif kind == NUCLEAR:
            head_age = tri(23, 45, 33) if temporary else tri(24, 66, 44)
        else:
            head_age = tri(25, 55, 36)
        husband_age = head_age
        wife_age = max(18.0, husband_age - tri(-2, 9, 2.5))
        husband_family, wife_family = family(rng), family(rng)
        if random_() < 0.85:
            head = members.add("Chủ hộ", "m", husband_age, husband_family)
            members.add("Vợ", "f", wife_age, wife_family, married_in=True)
        else:
            head = members.add("Chủ hộ", "f", wife_age, wife_family)
            members.add("Chồng", "m", husband_age, husband_family, married_in=True)
        if kind in (NUCLEAR, WITH_PARENTS):
            count = _CHILDREN_PICKERS[folk](rng)
            self._add_children(
                members, folk, wife_age, husband_age, count, husband_family, wife_family
            )
        if kind == WITH_PARENTS:
            self._add_parents(members, head, family)
        if not temporary and head_age < 55 and random_() < 0.04:
            self._add_sibling(members, head)
        return members

    def _add_children(
        self, members, folk, mother_age, father_age, count, family, mother_family, rel="Con"
    ):
        """Add the children still at home, each 18–42 years younger than each parent."""
        rng = self.rng
        random_ = rng.random
        ages = [a for a in (mother_age, father_age) if a is not None]
        oldest, youngest = min(ages) - 18, max(ages) - 42
        # The mother's age at each birth; a lone father's children are dated from him.
        reference = mother_age if mother_age is not None else father_age - 3
        born_at = rng.triangular(19, 33, 23 if folk == "kinh" else 20)
        for _ in range(count):
            age = reference - born_at
            if age < 0 or age < youngest:
                break
            born_at += 1.5 + random_() * 4.5
            if age > oldest:
                continue
            # Grown children mostly marry and leave; a few stay on.
            if age > 20 and random_() < (age - 20) / 12:
                continue
            sex = "m" if random_() < 0.525 else "f"
            members.add(rel, sex, age, family, mother_family)

    def _with_married_child(self, members, folk, family):
        """Parents, a married child with a spouse, grandchildren, perhaps a younger child."""
        rng = self.rng
        random_ = rng.random
        tri = rng.triangular
        elder = tri(48, 88, 60)
        husband_family, wife_family = family(rng), family(rng)
        if random_() < 0.7:
            husband_age, wife_age = elder, max(44.0, elder - tri(-2, 8, 2.5))
            if random_() < 0.88:
                members.add("Chủ hộ", "m", husband_age, husband_family)
                members.add("Vợ", "f", wife_age, wife_family, married_in=True)
            else:
                members.add("Chủ hộ", "f", wife_age, wife_family)
                members.add("Chồng", "m", husband_age, husband_family, married_in=True)
            parents = (husband_age, wife_age)
        elif random_() < 0.75:
            members.add("Chủ hộ", "f", elder, wife_family)
            parents = (elder,)
        else:
            members.add("Chủ hộ", "m", elder, husband_family)
            parents = (elder,)

        # The married child: 20 or older, 19–42 years younger than each parent.
        low, high = max(20.0, max(parents) - 42), min(parents) - 19
        child_age = max(low, min(high, min(parents) - tri(19, 40, 25)))
        if random_() < SON_IN_LAW_SHARE[folk]:
            child = members.add("Con", "f", child_age, husband_family, wife_family)
            partner_age = max(18.0, child_age + tri(-2, 8, 2))
            partner = members.add("Con rể", "m", partner_age, family(rng), married_in=True)
            young_mother, young_father = child_age, partner_age
            grand_family, grand_mother_family = partner[_FAMILY], husband_family
        else:
            child = members.add("Con", "m", child_age, husband_family, wife_family)
            partner_age = max(18.0, child_age - tri(-2, 8, 2))
            partner = members.add("Con dâu", "f", partner_age, family(rng), married_in=True)
            young_mother, young_father = partner_age, child_age
            grand_family, grand_mother_family = husband_family, partner[_FAMILY]
        if random_() < YOUNG_COUPLE_AWAY_SHARE:
            # Working in the industrial zones; the grandparents raise the children.
            child[_STATUS] = partner[_STATUS] = "absent"
        elif partner[_REL] == "Con dâu" and random_() < 0.12:
            # Married in recently; her residence is still registered at her parents'.
            partner[_STATUS] = "temporary"
        count = _GRANDCHILDREN_PICKERS[folk](rng)
        self._add_children(
            members, folk, young_mother, young_father, count, grand_family, grand_mother_family,
            rel="Cháu",
        )  # fmt: skip
        if random_() < 0.3:
            age = child_age - tri(2, 14, 5)
            if 0 <= age <= 35 and max(parents) - age <= 42:
                sex = "m" if random_() < 0.5 else "f"
                members.add("Con", sex, age, husband_family, wife_family)

    def _skipped_generation(self, members, family):
        """A grandparent or two and one to three grandchildren under 18."""
        rng = self.rng
        random_ = rng.random
        sex = "f" if random_() < 0.7 else "m"
        head = members.add("Chủ hộ", sex, rng.triangular(50, 82, 63), family(rng))
        if random_() < 0.55:
            gap = rng.triangular(0, 7, 2.5)
            if sex == "f":
                members.add("Chồng", "m", head[_AGE] + gap, family(rng), married_in=True)
            else:
                members.add("Vợ", "f", max(45.0, head[_AGE] - gap), family(rng), married_in=True)
        # A grandfather's son's children carry his family name; the others their father's.
        grand_family = head[_FAMILY] if sex == "m" and random_() < 0.6 else family(rng)
        oldest = min(17.9, head[_AGE] - 38)
        for _ in range(1 + int(random_() * 3)):
            sex = "m" if random_() < 0.52 else "f"
            members.add("Cháu", sex, random_() * oldest, grand_family)

    def _add_parents(self, members, head, family):
        rng = self.rng
        tri = rng.triangular
        mother_age = head[_AGE] + tri(19, 40, 25)
        father_age = min(head[_AGE] + 42, max(head[_AGE] + 18, mother_age + tri(-2, 9, 3)))
        has_mother = mother_age < 96 and rng.random() < 0.85
        has_father = father_age < 94 and (rng.random() < 0.45 or not has_mother)
        if has_father:
            members.add("Bố", "m", father_age, head[_FAMILY])
        if has_mother:
            members.add("Mẹ", "f", mother_age, family(rng))

    def _add_sibling(self, members, head):
        rng = self.rng
        age = max(16.0, head[_AGE] + rng.uniform(-12, 12))
        sex = "m" if rng.random() < 0.5 else "f"
        # Siblings are named by seniority: an older brother or sister, or a younger one.
        older = "Anh" if sex == "m" else "Chị"
        rel = older if age >= head[_AGE] else "Em"
        members.add(rel, sex, age, head[_FAMILY])

    # --- People -----------------------------------------------------------------------

    def _people(self, slot, members, household_id, first_person_id, temporary):
        rng = self.rng
        random_ = rng.random
        naming = NAMINGS[slot.folk]
        ethnicity = naming.ethnicity
        as_of_ordinal = self.as_of_ordinal
        ids = self.id_numbers
        folded = self._folded
        sort_keys = self._sort_keys
        home_code = slot.birth_code
        elsewhere = _DELTA if slot.folk == "kinh" else _MOUNTAIN
        as_of_day = (self.as_of.month, self.as_of.day)
        as_of_year = self.as_of.year
        details = self._details
        # What the members share: where their cards are issued, the household's poverty
        # standing and its religion.
        poor, near_poor = POVERTY_SHARE[slot.folk]
        draw = random_()
        standing = POOR if draw < poor else (NEAR_POOR if draw < poor + near_poor else 0)
        religion = _RELIGION[slot.folk](rng)
        home = (slot.folk, slot.birth_code[1:], standing, temporary, members.kind, len(members))
        rows = []
        person_id = first_person_id
        for member in members:
            rel, sex, age, family, mother, married_in, status = member
            born_ordinal = as_of_ordinal - int(age * DAYS_PER_YEAR)
            birth = date.fromordinal(born_ordinal)
            year = birth.year
            era = 0 if year < 1970 else (1 if year < 1995 else 2)

            middle = naming.middle[sex][era](rng)
            if naming.double_middle is not None and year >= 2000 and random_() < 0.12:
                first = mother if (mother and random_() < 0.35) else naming.double_middle[sex](rng)
                if first != middle and middle not in ("Văn", "Thị"):
                    middle = f"{first} {middle}"
            given = naming.given[sex][era](rng)
            full = f"{family} {middle} {given}" if middle else f"{family} {given}"
            folded_name = folded.get(full)
            if folded_name is None:
                folded_name = folded[full] = fold(full)
            sort_key = sort_keys.get(full)
            if sort_key is None:
                sort_key = sort_keys[full] = name_sort_key(full, (family, middle, given))

            precision = "day"
            if age >= 65 and random_() < 0.03 + (age - 65) * 0.005:
                birth = date(year, 1, 1)
                precision = "year"

            # Where the birth was registered: older Kinh often came from the delta.
            if temporary:
                code = elsewhere(rng)
            else:
                if slot.folk == "kinh":
                    away_share = 0.35 if year < 1980 else (0.12 if year < 2000 else 0.03)
                else:
                    away_share = 0.02
                if married_in:
                    away_share += 0.15
                code = elsewhere(rng) if random_() < away_share else home_code

            if random_() < NO_ID_NUMBER_SHARE:
                id_number = None
            else:
                prefix = f"{code}{(year // 100 - 19) * 2 + (sex == 'f')}{year % 100:02d}"
                id_number = f"{prefix}{int(random_() * 1_000_000):06d}"
                while id_number in ids:
                    id_number = f"{prefix}{int(random_() * 1_000_000):06d}"
                ids.add(id_number)

            died_on = None
            if rel != "Chủ hộ":
                if age >= 60 and random_() < DEATH_SHARE_OF_OLD_MEMBERS:
                    died_on = date.fromordinal(as_of_ordinal - 10 - int(random_() * 3 * 365))
                elif (
                    status == "permanent"
                    and 18 <= age <= 40
                    and random_() < ABSENT_SHARE_OF_YOUNG_ADULTS
                ):
                    # Working in the industrial zones of the delta, registered as away.
                    status = "absent"

            phone = ""
            if age >= 18 and died_on is None:
                share = 0.78 if age < 60 else (0.5 if age < 75 else 0.2)
                if random_() < share:
                    phone = f"0{9 if random_() < 0.6 else 3}{int(random_() * 100_000_000):08d}"

            years = as_of_year - birth.year - (as_of_day < (birth.month, birth.day))
            rows.append((
                person_id, full, family, middle, given, folded_name, sort_key,
                birth, precision, sex, ethnicity, id_number, phone, household_id, rel, status,
                died_on, self.created_at, True, religion,
                *details(person_id, years, birth, sex, rel, status, died_on, code, home),
            ))  # fmt: skip
            person_id += 1
        return rows

    def _details(self, pid, years, birth, sex, rel, status, died_on, code, home):
        """(old ID, occupation, employment, education, card number, card expiry, disability)
        of one person aged `years`; their benefits and immunisations join the pending rows.
        """
        rng = self.rng
        random_ = rng.random
        folk, province, standing, temporary, kind, size = home
        born = birth.toordinal()
        as_of = self.as_of_ordinal
        end = died_on.toordinal() if died_on else as_of

        disability = ""
        share = 0.004 if years < 15 else 0.01 if years < 60 else 0.03 if years < 80 else 0.07
        if random_() < share:
            disability = _DISABILITY_DEGREE(rng)

        # Work. Shares fall with age where school or college ends.
        if years < 15:
            occupation, employment = (PUPIL if years >= 6 else ""), ""
        elif status == "absent":
            if years <= 22 and random_() < STUDYING_AWAY_SHARE:
                occupation, employment = UNIVERSITY_STUDENT, STUDENT
            else:
                occupation, employment = _AWAY_WORK(rng)
        elif disability in SEVERE and random_() < 0.8:
            occupation, employment = "", UNABLE
        elif years < 18:
            if random_() < SCHOOL_SHARE[folk] - (years - 15) * 0.06:
                occupation, employment = PUPIL, STUDENT
            else:
                occupation, employment = _FARMING[sex][folk][0](rng)
        elif years <= 22 and random_() < HIGHER_EDUCATION_SHARE[folk] * (1 - (years - 18) / 6):
            occupation, employment = UNIVERSITY_STUDENT, STUDENT
        elif years >= (60 if sex == "m" else 55) and random_() < RETIRED_SHARE[folk]:
            occupation, employment = "Hưu trí", RETIRED
        elif years >= 60:
            if random_() < (years - 62) / 25:
                occupation, employment = "", UNABLE
            else:
                occupation, employment = _FARMING[sex][folk][1](rng)
        elif temporary:
            occupation, employment = _TEMPORARY_WORK(rng)
        elif random_() < UNEMPLOYED_SHARE:
            occupation, employment = "", UNEMPLOYED
        else:
            occupation, employment = _WORK[sex][folk][years >= 40](rng)
        if years < 22 and occupation in STATE_JOBS:
            # Teachers, officials and health workers qualify first; the young work in
            # the factories.
            occupation, employment = "Công nhân", EMPLOYED

        # Schooling: the level reached, or being attended by the young.
        if years < 6:
            education = ""
        elif years < 11:
            education = "primary"
        elif years < 15:
            education = "lower_secondary"
        elif years < 18 or employment == STUDENT:
            education = "upper_secondary" if employment == STUDENT else "lower_secondary"
        elif occupation in STATE_JOBS:
            education = _PROFESSIONAL_EDUCATION(rng)
        elif employment == RETIRED:
            education = _RETIREE_EDUCATION(rng)
        else:
            year = birth.year
            era = 0 if year < 1950 else (1 if year < 1970 else (2 if year < 1990 else 3))
            education = _EDUCATION[folk][sex][era](rng)
            if years < 22 and education in DEGREES:
                education = "upper_secondary"

        # Policy benefits, which also decide the health insurance group.
        benefits = self.benefits
        merit = social = False
        if disability in SEVERE and random_() < 0.9:
            start = max(born + 3 * 365, _DISABILITY_ALLOWANCE_FROM)
            if start < end:
                since = date.fromordinal(start + int(random_() * (end - start)))
                benefits.append((pid, Benefit.Kind.DISABILITY_ALLOWANCE.value, since, died_on, ""))
                social = True
        if years >= 45:
            merit, social = self._old_benefits(
                pid, years, birth, sex, employment, folk, end, died_on, standing, size, social
            )
        elif (
            kind == SKIPPED_GENERATION
            and rel == "Cháu"
            and years < 16
            and random_() < ORPHAN_SHARE_OF_SKIPPED_GENERATION
        ):
            since = date.fromordinal(born + int(random_() * (as_of - born)))
            benefits.append((pid, Benefit.Kind.ORPHAN.value, since, None, "Mồ côi cả cha và mẹ"))
            social = True

        # Health insurance: the first group that applies, as the Law on Health Insurance
        # orders them (employer-paid, then pension-paid, state-paid, state-supported,
        # household).
        if status == "absent":
            card = "DN4" if random_() < AWAY_CARD_SHARE else ""
        elif years < 6:
            card = "TE1" if random_() < 0.97 else ""
        elif employment == EMPLOYED and occupation in STATE_JOBS:
            card = "HC4"
        elif employment == EMPLOYED and occupation in FIRM_JOBS:
            card = "DN4"
        elif employment == RETIRED:
            card = "HT3"
        elif merit:
            card = "CC1"
        elif social:
            card = "BT2"
        elif standing == POOR:
            card = "HN2"
        elif folk != "kinh" and random_() < MINORITY_CARD_SHARE[folk]:
            card = "DT2"
        elif standing == NEAR_POOR:
            card = "CN3"
        elif occupation == PUPIL:
            card = "HS4" if random_() < 0.96 else ""
        elif occupation == UNIVERSITY_STUDENT:
            card = "SV4" if random_() < 0.9 else ""
        else:
            card = "GD4" if random_() < HOUSEHOLD_CARD_SHARE[folk] else ""
        card_number, expiry = "", None
        if card:
            numbers = self.social_insurance_numbers
            number = f"{code[1:]}{int(random_() * 100_000_000):08d}"
            while number in numbers:
                number = f"{code[1:]}{int(random_() * 100_000_000):08d}"
            numbers.add(number)
            card_number = f"{card}{province}{number}"
            if died_on is not None:
                expiry = date.fromordinal(end + int(random_() * 365))
            elif card == "TE1":
                expiry = _six_years_old(birth)
            elif card in YEAR_CARDS:
                expiry = self.next_year_end if random_() < self.renewed_share else self.year_end
            elif random_() < LAPSED_SHARE.get(card, OTHER_LAPSED_SHARE):
                expiry = date.fromordinal(as_of - 1 - int(random_() * 300))
            else:
                expiry = date.fromordinal(as_of + 1 + int(random_() * 365))

        old_id = ""
        if years >= 18 and birth.year < 2000 and random_() < OLD_ID_SHARE:
            prefix = CMND_PREFIX.get(code) or code[1:]
            taken = self.old_id_numbers
            old_id = f"{prefix}{int(random_() * 10_000_000):07d}"
            while old_id in taken:
                old_id = f"{prefix}{int(random_() * 10_000_000):07d}"
            taken.add(old_id)

        if years < 6:
            self._immunise(pid, born, folk)
        elif 7 <= years < 15 and random_() < TD_SHARE[folk]:
            given = born + TD_AGE_DAYS + int(random_() * 240)
            if given < as_of:
                self.immunisations.append((pid, TD_VACCINE, 1, date.fromordinal(given)))

        return old_id, occupation, employment, education, card_number, expiry, disability

    def _old_benefits(
        self, pid, years, birth, sex, employment, folk, end, died_on, standing, size, social
    ):
        """Benefits of people aged 45 or more: war invalids, people with meritorious
        services, martyrs' relatives, the social pension. Returns (merit, social)."""
        rng = self.rng
        random_ = rng.random
        kinds = Benefit.Kind
        rows = []
        born = birth.toordinal()
        year = birth.year
        if sex == "m" and 1935 <= year <= 1962 and random_() < WAR_INVALID_SHARE[folk]:
            since = born + int((22 + random_() * 18) * DAYS_PER_YEAR)
            rows.append((kinds.WAR_INVALID, since, _WAR_INVALID_NOTE(rng)))
        if year <= 1960 and random_() < MERITORIOUS_SHARE[folk]:
            since = _MERITORIOUS_FROM + int(random_() * 15 * 365)
            rows.append((kinds.MERITORIOUS, since, _MERITORIOUS_NOTE(rng)))
        if year <= 1979 and random_() < MARTYR_FAMILY_SHARE[folk]:
            widow = sex == "f" and year <= 1955 and random_() < 0.4
            since = max(_MARTYR_FAMILY_FROM, born + 1) + int(random_() * 20 * 365)
            rows.append((kinds.MARTYR_FAMILY, since, "Vợ liệt sĩ" if widow else "Con liệt sĩ"))
        if years >= SOCIAL_PENSION_AGE:
            if employment != RETIRED and random_() < 0.95:
                since = born + int(SOCIAL_PENSION_AGE * DAYS_PER_YEAR) + 30 + int(random_() * 90)
                rows.append((kinds.ELDERLY_ALLOWANCE, since, ""))
        elif years >= 60 and size == 1 and standing == POOR:
            since = max(born + int(60 * DAYS_PER_YEAR), end - int(random_() * 8 * 365))
            note = "Người cao tuổi thuộc hộ nghèo, không có người phụng dưỡng"
            rows.append((kinds.SOCIAL_ALLOWANCE, since, note))
        merit = False
        for kind, since, note in rows:
            # Nothing begins after the person's death (or after `as_of`).
            if since < end:
                self.benefits.append((pid, kind.value, date.fromordinal(since), died_on, note))
                merit = merit or kind in (kinds.WAR_INVALID, kinds.MERITORIOUS)
                social = social or kind in (kinds.ELDERLY_ALLOWANCE, kinds.SOCIAL_ALLOWANCE)
        return merit, social

    def _immunise(self, pid, born, folk):
        """The child's doses of the expanded programme that were due and given by `as_of`."""
        rng = self.rng
        random_ = rng.random
        as_of = self.as_of_ordinal
        out = self.immunisations
        fromordinal = date.fromordinal
        # One draw decides both whether a dose was given and, scaled, how late.
        share = EPI_BIRTH_DOSE[folk]
        draw = random_()
        if draw < share:
            day = born + (draw < share * 0.2)
            if day < as_of:
                out.append((pid, HEPATITIS_B_BIRTH, 1, fromordinal(day)))
        share = EPI_BCG[folk]
        draw = random_()
        if draw < share:
            day = born + int((draw / share) ** 2 * 30)
            if day < as_of:
                out.append((pid, "BCG", 1, fromordinal(day)))
        if random_() >= EPI_REACHED[folk]:
            return
        kept, longest = EPI_VISIT_KEPT[folk], EPI_DELAY[folk]
        last = {}
        previous = born
        for due, gap, doses in _EPI:
            due += born
            if due >= as_of:
                break
            draw = random_()
            if draw >= kept:
                for vaccine, *_ in doses:
                    last[vaccine] = -1
                continue
            day = max(due + int((draw / kept) ** 3 * longest), previous + gap)
            if day >= as_of:
                break
            given_on = None
            for vaccine, dose, needed, needed_dose in doses:
                if needed_dose and last.get(needed) != needed_dose:
                    continue
                if given_on is None:
                    given_on = fromordinal(day)
                out.append((pid, vaccine, dose, given_on))
                last[vaccine] = dose
            if given_on is not None:
                previous = day


# --- Writing ------------------------------------------------------------------------------

# The fields in the order of `Population.household()`'s tuples.
HOUSEHOLD_FIELDS = (
    "id", "unit", "house_number", "address", "folded_address", "head", "created_at", "is_demo",
)  # fmt: skip
PERSON_FIELDS = (
    "id", "full_name", "family_name", "middle_name", "given_name", "folded_name", "sort_key",
    "birth_date", "birth_precision", "sex", "ethnicity", "id_number", "phone", "household",
    "relationship", "residence_status", "died_on", "created_at", "is_demo", "religion",
    "old_id_number", "occupation", "employment", "education", "health_insurance_number",
    "health_insurance_expiry", "disability",
)  # fmt: skip
# Text columns the demo leaves empty; NOT NULL without a database default, so written as "".
PERSON_BLANKS = ("email",)
MEMBERSHIP_FIELDS = ("person", "household", "relationship", "residence_status", "start", "end")
SEARCH_KEY_FIELDS = ("person", "key")
IMMUNISATION_FIELDS = ("person", "vaccine", "dose", "given_on")
BENEFIT_FIELDS = ("person", "kind", "since", "until", "note")
_P = {name: i for i, name in enumerate(PERSON_FIELDS)}


class _Insert:
    """A multi-row INSERT of `fields`, run with executemany over many rows at a time.

    Several rows per statement, because Django's psycopg cursor binds values on the
    client, so each statement reaches PostgreSQL as new text to parse and plan; SQLite
    gains too. The rows per statement stay under the backend's parameter limit.
    """

    def __init__(self, model, fields, blanks=()):
        quote = connection.ops.quote_name
        columns = ", ".join(
            quote(model._meta.get_field(name).column) for name in (*fields, *blanks)
        )
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        self.row = "(" + ", ".join(["%s"] * len(fields) + ["''"] * len(blanks)) + ")"
        limit = connection.features.max_query_params
        self.per_statement = min(ROWS_PER_STATEMENT, limit // len(fields) if limit else 10**9)
        self.full_sql = self.sql(self.per_statement)

    def sql(self, rows):
        return self.head + ", ".join([self.row] * rows)

    def run(self, cursor, rows):
        size = self.per_statement
        whole = len(rows) - len(rows) % size
        if whole:
            flat = chain.from_iterable
            cursor.executemany(
                self.full_sql, [list(flat(rows[i : i + size])) for i in range(0, whole, size)]
            )
        if rest := rows[whole:]:
            cursor.execute(self.sql(len(rest)), list(chain.from_iterable(rest)))


_FOLDED, _ID, _OLD_ID, _PHONE = (
    _P[name] for name in ("folded_name", "id_number", "old_id_number", "phone")
)


def _search_keys(person):
    """`SearchKey.keys_for` of a person tuple (its phone is digits already)."""
    return SearchKey.keys_of(person[_FOLDED], person[_ID], person[_OLD_ID], person[_PHONE])


def _next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class _Writer:
    """Fills slots through `Population` and inserts the rows in batches with executemany.

    Primary keys continue after the current maximum, so a household row can name its
    head before the people are written; the foreign keys are checked at commit.
    """

    def __init__(self, population, total, log):
        self.population = population
        self.total = total
        self.log = log
        self.next_household_id = _next_id(Household)
        self.next_person_id = _next_id(Person)
        self.insert_households = _Insert(Household, HOUSEHOLD_FIELDS)
        self.insert_people = _Insert(Person, PERSON_FIELDS, PERSON_BLANKS)
        self.insert_memberships = _Insert(Membership, MEMBERSHIP_FIELDS)
        self.insert_search_keys = _Insert(SearchKey, SEARCH_KEY_FIELDS)
        self.insert_immunisations = _Insert(Immunisation, IMMUNISATION_FIELDS)
        self.insert_benefits = _Insert(Benefit, BENEFIT_FIELDS)
        self.households, self.people = [], []
        self.household_count = self.person_count = 0
        self.started = time.perf_counter()

    def fill(self, slot):
        make = self.population.household
        households, people = self.households, self.people
        for _ in range(slot.households):
            household, members = make(slot, self.next_household_id, self.next_person_id)
            households.append(household)
            people.extend(members)
            self.next_household_id += 1
            self.next_person_id += len(members)
            if len(households) >= BATCH_HOUSEHOLDS:
                self.flush()
                households, people = self.households, self.people

    def flush(self):
        if not self.households:
            return
        population = self.population
        stays = population.stays
        memberships = [row for person in self.people for row in stays(person)]
        keys = [(person[0], key) for person in self.people for key in _search_keys(person)]
        immunisations, population.immunisations = population.immunisations, []
        benefits, population.benefits = population.benefits, []
        with connection.cursor() as cursor:
            self.insert_households.run(cursor, self.households)
            self.insert_people.run(cursor, self.people)
            self.insert_memberships.run(cursor, memberships)
            self.insert_search_keys.run(cursor, keys)
            self.insert_immunisations.run(cursor, immunisations)
            self.insert_benefits.run(cursor, benefits)
        self.household_count += len(self.households)
        self.person_count += len(self.people)
        self.households, self.people = [], []
        self.log(
            f"Wrote {self.household_count:,} of {self.total:,} households and "
            f"{self.person_count:,} people ({time.perf_counter() - self.started:.1f} s)."
        )


# --- Layout -------------------------------------------------------------------------------


def _split(total, weights):
    """`total` in whole parts proportional to `weights` (largest remainders get the rest)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _group_sizes(count, rng):
    """Sizes of the self-managed groups of a hamlet: 20–40 households each where possible."""
    if count <= 0:
        return []
    groups = max(1, round(count / 30))
    while groups > 1 and count / groups < 20:
        groups -= 1
    while count / groups > 40:
        groups += 1
    sizes, left = [], count
    for remaining in range(groups, 1, -1):
        low = max(20, left - 40 * (remaining - 1))
        high = min(40, left - 20 * (remaining - 1))
        mean = left / remaining
        size = rng.randint(max(low, math.floor(mean) - 6), min(high, math.ceil(mean) + 6))
        sizes.append(size)
        left -= size
    sizes.append(left)
    return sizes


def _birth_code(commune):
    # Merged provinces kept one of their old codes (domain.md §1), so the province code
    # is a valid old 63-province birth-registration code as it stands.
    return f"{int(commune.path.split(SEPARATOR)[0]):03d}"


def _address(group_name, hamlet):
    shown = hamlet.display_name
    return f"{group_name}, {shown[:1].lower()}{shown[1:]}"


def _lay_out_demo_commune(commune, households, rng):
    """The five hamlets of the demo commune and their groups, through `create_unit`."""
    slots, units = [], []
    code = _birth_code(commune)
    shares = _split(households, [share for *_, share in DEMO_HAMLETS])
    for (name, type_name, folk, _share), count in zip(DEMO_HAMLETS, shares, strict=True):
        hamlet = create_unit(
            commune, name=name, type_name=type_name, acting_user=None, is_demo=True
        )
        units.append(hamlet)
        for number, size in enumerate(_group_sizes(count, rng), 1):
            group = create_unit(
                hamlet, name=f"Tổ {number}", type_name="tổ", acting_user=None, is_demo=True
            )
            units.append(group)
            slots.append(Slot(group.pk, hamlet.pk, _address(group.name, hamlet), folk, code, size))
    return slots, units


def _hamlet_names(commune, count, taken, rng):
    """(name, local type, naming) of `count` new hamlets, unique within the commune."""
    mountain = commune.path.split(SEPARATOR)[0] in MOUNTAIN_PROVINCES
    urban = commune.type_name != "xã"
    if urban:
        folks = [("kinh", 8), ("thai", 2)] if mountain else [("kinh", 1)]
    else:
        folks = [("kinh", 45), ("thai", 35), ("mong", 20)] if mountain else [("kinh", 1)]
    pick_folk = _Picker(folks)
    thon_names = rng.sample(KINH_HAMLET_NAMES, len(KINH_HAMLET_NAMES))
    names = []
    for number in range(1, count + 1):
        folk = pick_folk(rng)
        if urban:
            name, type_name = f"Tổ dân phố {number}", "tổ dân phố"
        elif folk == "kinh":
            type_name = "thôn"
            name = thon_names.pop() if thon_names else f"Thôn {number}"
        else:
            type_name = "bản"
            name = f"{rng.choice(BAN_NAME_FIRST)} {rng.choice(BAN_NAME_SECOND)}"
        if name.casefold() in taken:
            name = f"{type_name.capitalize()} {number}"
        if name.casefold() in taken:
            name = f"{type_name.capitalize()} {number}-{commune.code}"
        taken.add(name.casefold())
        names.append((name, type_name, folk))
    return names


def _lay_out_more_communes(communes, counts, rng):
    """Hamlets and groups of the other communes of a big build, written in bulk.

    Paths follow `create_unit`'s scheme (commune/h01, hamlet/g01); primary keys are
    assigned here so the groups can name their hamlet before anything is written.
    No audit rows: this is generated data, not anybody's act.
    """
    existing = {}
    for parent_id, path, name in Unit.objects.filter(parent__in=communes).values_list(
        "parent_id", "path", "name"
    ):
        segments, names = existing.setdefault(parent_id, (set(), set()))
        segments.add(path.rsplit(SEPARATOR, 1)[-1])
        names.add(name.casefold())
    next_id = _next_id(Unit)
    today = timezone.localdate()
    units, slots = [], []
    for commune, count in zip(communes, counts, strict=True):
        segments, taken = existing.get(commune.pk, (set(), set()))
        code = _birth_code(commune)
        hamlet_count = max(1, round(count / HOUSEHOLDS_PER_HAMLET))
        shares = _split(count, [rng.uniform(0.7, 1.3) for _ in range(hamlet_count)])
        names = _hamlet_names(commune, hamlet_count, taken, rng)
        number = 0
        for (name, type_name, folk), share in zip(names, shares, strict=True):
            number += 1
            while f"h{number:02d}" in segments:
                number += 1
            hamlet = Unit(
                pk=next_id,
                kind=Unit.Kind.HAMLET,
                type_name=type_name,
                name=name,
                parent=commune,
                path=f"{commune.path}{SEPARATOR}h{number:02d}",
                valid_from=today,
                is_demo=True,
            )
            next_id += 1
            units.append(hamlet)
            for group_number, size in enumerate(_group_sizes(share, rng), 1):
                group = Unit(
                    pk=next_id,
                    kind=Unit.Kind.GROUP,
                    type_name="tổ",
                    name=f"Tổ {group_number}",
                    parent_id=hamlet.pk,
                    path=f"{hamlet.path}{SEPARATOR}g{group_number:02d}",
                    valid_from=today,
                    is_demo=True,
                )
                next_id += 1
                units.append(group)
                slots.append(
                    Slot(group.pk, hamlet.pk, _address(group.name, hamlet), folk, code, size)
                )
    Unit.objects.bulk_create(units, batch_size=2000)
    return slots, units


def _communes(demo_commune, households):
    """The demo commune, then as many more as `households` needs: its province's first."""
    needed = max(1, math.ceil(households / HOUSEHOLDS_PER_COMMUNE))
    if needed == 1:
        return [demo_commune]
    rank = {code: i for i, code in enumerate(MOUNTAIN_PROVINCES)}
    others = sorted(
        Unit.objects.current()
        .filter(kind=Unit.Kind.COMMUNE)
        .exclude(pk=demo_commune.pk)
        .only("pk", "path", "code", "name", "type_name", "kind"),
        key=lambda unit: (rank.get(unit.path.split(SEPARATOR)[0], len(rank)), unit.path),
    )
    if len(others) + 1 < needed:
        raise DemoError(
            f"{households:,} households would need {needed:,} communes of at most "
            f"{HOUSEHOLDS_PER_COMMUNE:,} households, but the database has "
            f"{len(others) + 1:,}. Load the units or ask for fewer households."
        )
    return [demo_commune, *others[: needed - 1]]


# --- The build ----------------------------------------------------------------------------


class DemoError(Exception):
    """The demo cannot be built on this database; the message says why."""


@dataclass(frozen=True)
class BuildResult:
    communes: int
    hamlets: int
    groups: int
    households: int
    people: int
    users: int
    seconds: float


def demo_exists():
    return any(
        model.objects.filter(is_demo=True).exists() for model in (Unit, Household, Person, User)
    )


def build(*, households=DEFAULT_HOUSEHOLDS, seed=DEFAULT_SEED, as_of=None, log=None):
    """Create the demo commune, its people and logins; more communes for big builds.

    Refuses (DemoError) when demo data already exists, when the official units are
    not loaded, or when a demo username is taken. All or nothing: one transaction.
    """
    log = log or (lambda message: None)
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    if households < 1:
        raise DemoError("The demo needs at least one household.")
    if demo_exists():
        raise DemoError("Demo data already exists in this database.")
    usernames = [username for username, *_ in DEMO_USERS] + [SUPERUSER[0]]
    if taken := sorted(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    ):
        raise DemoError(f"These usernames are already taken: {', '.join(taken)}.")
    try:
        demo_commune = Unit.objects.get(kind=Unit.Kind.COMMUNE, code=DEMO_COMMUNE_CODE)
    except Unit.DoesNotExist:
        raise DemoError(
            f"The commune {DEMO_COMMUNE_CODE} is not in the database. Run load_units first."
        ) from None
    validate_password(DEMO_PASSWORD)

    rng = random.Random(seed)
    with transaction.atomic():
        communes = _communes(demo_commune, households)
        counts = _split(households, [1] * len(communes))
        slots, units = _lay_out_demo_commune(demo_commune, counts[0], rng)
        if len(communes) > 1:
            more_slots, more_units = _lay_out_more_communes(communes[1:], counts[1:], rng)
            slots += more_slots
            units += more_units
        hamlets = sum(unit.kind == Unit.Kind.HAMLET for unit in units)
        log(
            f"Laid out {len(communes):,} commune(s) with {hamlets:,} hamlets and "
            f"{len(units) - hamlets:,} groups ({time.perf_counter() - started:.1f} s)."
        )

        taken_ids = Person.objects.exclude(id_number=None).values_list("id_number", flat=True)
        population = Population(
            rng,
            as_of=as_of,
            taken_id_numbers=taken_ids,
            created_at=connection.ops.adapt_datetimefield_value(timezone.now()),
        )
        writer = _Writer(population, households, log)
        with _page_cache(BUILD_CACHE_KIB):
            for slot in slots:
                writer.fill(slot)
            writer.flush()
        _reset_sequences()

        binh_chien = Unit.objects.get(parent=demo_commune, name=DEMO_HAMLETS[0][0])
        users = _create_users(demo_commune, binh_chien)
    return BuildResult(
        communes=len(communes),
        hamlets=hamlets,
        groups=len(units) - hamlets,
        households=writer.household_count,
        people=writer.person_count,
        users=users,
        seconds=time.perf_counter() - started,
    )


@contextmanager
def _page_cache(kib):
    """A bigger SQLite page cache for this connection while the block runs.

    The indexes of a million people (names, sort keys, ID numbers, search keys) far
    outgrow SQLite's default 2 MB cache; in one long transaction every miss is a read
    back from the WAL and every eviction a write to it. SQLite takes the memory only
    as pages are used, and the old size comes back afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _reset_sequences():
    # Rows inserted with explicit keys leave PostgreSQL's sequences behind; SQLite
    # needs nothing (the statement list is empty there).
    statements = connection.ops.sequence_reset_sql(no_style(), [Unit, Household, Person])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _create_users(commune, hamlet):
    places = {"commune": commune, "hamlet": hamlet}
    for username, full_name, role, where in DEMO_USERS:
        user = create_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            acting_user=None,
            is_demo=True,
        )
        grant_role(user, role=role, unit=places[where], acting_user=None)
    username, full_name = SUPERUSER
    admin = create_user(
        username=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
        acting_user=None,
        is_demo=True,
    )
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return len(DEMO_USERS) + 1


def demo_logins():
    """(username, role, unit, password) for each demo login, in the order they were made."""
    rows = []
    users = (
        User.objects.filter(is_demo=True).prefetch_related("role_assignments__unit").order_by("pk")
    )
    for user in users:
        if user.is_superuser:
            rows.append((user.username, "Superuser (Django admin)", "–", DEMO_PASSWORD))
        for assignment in user.role_assignments.all():
            rows.append(
                (
                    user.username,
                    str(Role(assignment.role).label),
                    assignment.unit.display_name,
                    DEMO_PASSWORD,
                )
            )
    return rows
