"""The starting data of feedback: the nine categories of issue 14 with their default handler
and deadline, and the public holidays of `lib.workdays.OFFICIAL_DAYS`. Written by migration
0002 and again by `ensure_defaults` wherever a database may have been emptied (a flush)."""

from django.utils.translation import gettext_lazy as _

from langso.lib.workdays import OFFICIAL_DAYS

# What each default category is about, as a translatable description (Open311's
# `description`): the names above are the commune's data, these follow the language asked.
DESCRIPTIONS = {
    "roads": _("Roads, bridges and culverts"),
    "electricity": _("Electricity and public lighting"),
    "water": _("Clean water and drainage"),
    "environment": _("Environment and waste"),
    "security": _("Security and public order"),
    "land": _("Land and construction"),
    "social": _("Social policy and poverty review"),
    "procedures": _("Administrative procedures"),
    "other": _("Other problems"),
}


def category_description(code: str) -> str:
    """What a default category is about, in the active language ("" for others)."""
    return str(DESCRIPTIONS[code]) if code in DESCRIPTIONS else ""


# (code, name, handled by default by, deadline in working days)
CATEGORIES = [
    ("roads", "Đường giao thông, cầu cống", "hamlet", 10),
    ("electricity", "Điện, chiếu sáng", "hamlet", 5),
    ("water", "Nước sạch, thoát nước", "hamlet", 7),
    ("environment", "Môi trường, rác thải", "hamlet", 7),
    ("security", "An ninh, trật tự", "hamlet", 3),
    ("land", "Đất đai, xây dựng", "commune", 15),
    ("social", "Chính sách xã hội, rà soát hộ nghèo", "commune", 15),
    ("procedures", "Thủ tục hành chính", "commune", 10),
    ("other", "Khác", "commune", 10),
]


def ensure_defaults(category_model=None, holiday_model=None) -> None:
    """Add the categories and holidays that are missing; edited ones are left alone."""
    if category_model is None or holiday_model is None:
        from langso.feedback.models import Category, Holiday

        category_model, holiday_model = Category, Holiday
    for order, (code, name, handler, days) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "handler_kind": handler, "deadline_days": days, "order": order},
        )
    for day, name, worked in OFFICIAL_DAYS:
        holiday_model.objects.get_or_create(
            day=day, defaults={"name": name, "is_working_day": worked}
        )
