"""Dues paid by bank QR (issue 16 item 4; VietQR, domain.md §9): the organisation sets the
account, the member sees a QR for what they owe on their own page."""

from datetime import date

import time_machine
from django.urls import reverse

from langso.associations import actions
from langso.associations.models import DuesRate
from langso.lib import vietqr
from langso.test import vietnam_time


def set_account(client, user, assoc, **data):
    client.force_login(user)
    return client.post(reverse("associations:dues-account-set", args=[assoc.women.pk]), data)


def test_the_leader_sets_the_account_and_the_member_sees_a_qr_for_what_she_owes(client, assoc):
    actions.set_dues_rate(
        assoc.women, acting_user=None, period=DuesRate.Period.YEARLY, amount=24_000,
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    set_account(client, assoc.leader, assoc, bank_bin="970405", bank_account="3600205123456")

    with time_machine.travel(vietnam_time(date(2026, 6, 10))):
        client.force_login(assoc.thuy_user)
        page = client.get(reverse("associations:mine")).content.decode()

    assoc.women.refresh_from_db()
    assert (assoc.women.bank_bin, assoc.women.bank_account) == ("970405", "3600205123456")
    assert "24000" in page or "24.000" in page
    # The QR on the page is the one of the account, the amount owed, and a reference
    # naming the membership and the year (the QR encoding itself is read back with zbarimg
    # in lib/tests/test_vietqr.py).
    expected = vietqr.payload(
        bin="970405", account="3600205123456", amount=24_000, purpose=f"HP {assoc.thuy.pk} 2026"
    )
    fields = vietqr.parse(expected)
    assert fields["54"] == "24000"
    assert f"HP {assoc.thuy.pk} 2026" in expected
    assert vietqr.svg(expected, title=str(assoc.women)) in page


def test_paid_dues_show_no_qr(client, assoc):
    actions.set_dues_rate(
        assoc.women, acting_user=None, period=DuesRate.Period.YEARLY, amount=24_000,
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    actions.set_dues_account(
        assoc.women, acting_user=None, bank_bin="970405", bank_account="3600205123456"
    )
    actions.record_dues(
        assoc.thuy, acting_user=None, period=date(2026, 1, 1), amount=24_000,
        paid_on=date(2026, 1, 15),
    )  # fmt: skip

    with time_machine.travel(vietnam_time(date(2026, 6, 10))):
        client.force_login(assoc.thuy_user)
        page = client.get(reverse("associations:mine")).content.decode()

    assert "<svg" not in page


def test_a_bank_without_an_account_is_refused_and_nothing_changes(client, assoc):
    response = set_account(client, assoc.leader, assoc, bank_bin="970405", bank_account="")

    assoc.women.refresh_from_db()
    assert response.status_code == 302
    assert assoc.women.bank_bin == "" and assoc.women.bank_account == ""


def test_only_those_who_manage_the_organisation_set_its_account(client, world, assoc):
    for user in (world.viewer, assoc.branch_head, assoc.far_leader):
        response = set_account(client, user, assoc, bank_bin="970405", bank_account="3600205123456")
        assert response.status_code in (403, 404)
    assoc.women.refresh_from_db()
    assert assoc.women.bank_account == ""
