"""Migration party 0007 turns the fee reasons stored as words (in English or Vietnamese,
depending on who opened the month) into codes worded on display."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from langso.party.models import FeeMonth

BEFORE = [("party", "0006_member_admission_age_approval")]
AFTER = [("party", "0007_fee_reason_codes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_reasons_become_codes_and_read_in_the_readers_language(party_world):
    pw = party_world
    members = [pw.member, pw.secretary, pw.no_phone]
    stored = [
        "Standard rate",
        "0,5 % lương hưu, giảm 30 % do khó khăn",
        "Exempt: Serious illness",
        "Miễn: đủ 50 năm tuổi Đảng",
        "1 % of the insured salary",
        "set by hand",
    ]
    old = migrate(BEFORE)
    OldFeeMonth = old.get_model("party", "FeeMonth")
    OldFeeMonth.objects.all().delete()
    for number, reason in enumerate(stored, 1):
        OldFeeMonth.objects.create(
            member_id=members[number % 3].pk, month=date(2025, number, 1), due=0, reason=reason
        )

    migrate(AFTER)

    reasons = list(FeeMonth.objects.order_by("month").values_list("reason", flat=True))
    assert reasons == [
        "standard",
        "pension:5;cut:30",
        "exempt:serious_illness",
        "exempt:50_years",
        "salaried:10",
        "set by hand",
    ]
    with translation.override("vi"):
        labels = [fee.reason_label for fee in FeeMonth.objects.order_by("month")]
    assert labels == [
        "Mức chung",
        "0,5 % lương hưu, giảm 30 % do khó khăn",
        "Miễn: Bệnh nặng",
        "Miễn: đủ 50 năm tuổi Đảng",
        "1 % tiền lương đóng bảo hiểm xã hội",
        "set by hand",
    ]
