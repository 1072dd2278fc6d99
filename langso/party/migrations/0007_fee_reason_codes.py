"""Fee months stored their reason as words in the language of whoever opened the month;
store the code of `Member.fee_for` instead, worded on display in the reader's language."""

import re
from decimal import Decimal

from django.db import migrations

EXEMPTIONS = {
    "Poor or near-poor household": "poor_household",
    "Hộ nghèo, hộ cận nghèo": "poor_household",
    "Serious illness": "serious_illness",
    "Bệnh nặng": "serious_illness",
    "Receives a social pension": "social_pension",
    "Hưởng trợ cấp xã hội hằng tháng": "social_pension",
}
CUT = re.compile(
    r"^(?P<base>.*), (?:cut by (?P<en>\d+) % for hardship|giảm (?P<vi>\d+) % do khó khăn)$"
)
RATE = re.compile(
    r"^(?P<rate>[\d,.]+) % (?:(?P<salary>of the insured salary|tiền lương đóng bảo hiểm xã hội)"
    r"|(?:of the pension|lương hưu))$"
)


def _per_mille(rate):
    return int(Decimal(rate.replace(",", ".")) * 10)


def _base_code(text):
    if text in ("Standard rate", "Mức chung"):
        return "standard"
    if text in ("Student rate", "Mức học sinh, sinh viên"):
        return "student"
    if text in ("Exempt: 50 years of membership", "Miễn: đủ 50 năm tuổi Đảng"):
        return "exempt:50_years"
    for prefix in ("Exempt: ", "Miễn: "):
        if text.startswith(prefix) and text[len(prefix) :] in EXEMPTIONS:
            return f"exempt:{EXEMPTIONS[text[len(prefix) :]]}"
    if match := RATE.match(text):
        kind = "salaried" if match["salary"] else "pension"
        return f"{kind}:{_per_mille(match['rate'])}"
    return None


def to_code(text):
    """The code for a stored reason, or None for text this migration does not know."""
    cut = ""
    if match := CUT.match(text):
        text, cut = match["base"], f";cut:{match['en'] or match['vi']}"
    base = _base_code(text)
    return f"{base}{cut}" if base else None


def forwards(apps, schema_editor):
    FeeMonth = apps.get_model("party", "FeeMonth")
    for text in FeeMonth.objects.exclude(reason="").values_list("reason", flat=True).distinct():
        code = to_code(text)
        if code and code != text:
            FeeMonth.objects.filter(reason=text).update(reason=code)


class Migration(migrations.Migration):
    dependencies = [("party", "0006_member_admission_age_approval")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
