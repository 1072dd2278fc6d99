"""Who each kind of organisation admits, as data (domain.md §8; sources in docs/associations.md).

A rule is what the organisation's charter says; local practice varies (a Youth Union
branch keeps a 31-year-old secretary, a Women's Union admits a 17-year-old mother), so
a person outside the rule is a *warning* with its reason, never a refusal. An
organisation copies its kind's rule when it is created and may be given its own.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    min_age: int | None = None
    max_age: int | None = None
    sex: str = ""  # "f" or "m" as registry.Person.Sex; "" for anyone
    source: str = ""


FRONT = "front"
FARMERS = "farmers"
WOMEN = "women"
YOUTH = "youth"
VETERANS = "veterans"
ELDERLY = "elderly"
RED_CROSS = "red_cross"
LOCAL = "local"

KIND_CHOICES = [
    (FRONT, _("Fatherland Front committee")),
    (FARMERS, _("Farmers' Association")),
    (WOMEN, _("Women's Union")),
    (YOUTH, _("Ho Chi Minh Communist Youth Union")),
    (VETERANS, _("Veterans' Association")),
    (ELDERLY, _("Elderly Association")),
    (RED_CROSS, _("Red Cross")),
    (LOCAL, _("Local group")),
]

RULES: dict[str, Rule] = {
    FRONT: Rule(source="Luật Mặt trận Tổ quốc Việt Nam 2015 (sửa đổi 2025)"),
    FARMERS: Rule(
        min_age=18,
        source="Điều lệ Hội Nông dân Việt Nam, chương Hội viên (nông dân từ 18 tuổi)",
    ),
    WOMEN: Rule(
        min_age=18,
        sex="f",
        source="Điều lệ Hội LHPN Việt Nam, chương Hội viên (phụ nữ Việt Nam từ 18 tuổi)",
    ),
    YOUTH: Rule(
        min_age=16,
        max_age=30,
        source="Điều lệ Đoàn TNCS Hồ Chí Minh, Điều 1 (thanh niên 16–30 tuổi)",
    ),
    VETERANS: Rule(source="Điều lệ Hội Cựu chiến binh Việt Nam, chương Hội viên (cựu chiến binh)"),
    ELDERLY: Rule(min_age=60, source="Luật Người cao tuổi 39/2009/QH12, Điều 2 (từ đủ 60 tuổi)"),
    RED_CROSS: Rule(min_age=18, source="Điều lệ Hội Chữ thập đỏ Việt Nam, chương Hội viên"),
    LOCAL: Rule(),
}
