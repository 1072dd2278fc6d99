"""The campaigns of `manage.py demo` (issue 15, item 9): what the demo logins find."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from langso.campaigns import ledger
from langso.campaigns.models import Campaign, Entry, UnmatchedLine

AS_OF = date(2026, 3, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        out = StringIO()
        call_command("load_units", stdout=out)
        call_command("demo", households=1500, as_of=AS_OF, stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, stdout=StringIO())


def test_the_bridge_is_finished_with_money_labour_land_and_expenses(demo, db):
    bridge = Campaign.objects.get(name__startswith="Xây cầu")
    figure = ledger.figures(bridge)
    assert bridge.status == Campaign.Status.FINISHED
    assert figure["money"] >= 170_000_000
    assert figure["labour"] > 0 and figure["land"] > 0
    assert figure["expenses"] > 100_000_000 and figure["balance"] >= 0
    assert bridge.pledges.filter(household__isnull=False).count() >= 250
    numbers = list(
        bridge.entries.exclude(receipt_number=None).values_list("receipt_number", flat=True)
    )
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert bridge.photos.exists()
    assert bridge.entries.filter(kind=Entry.Kind.EXPENSE).exclude(document="").exists()


def test_the_road_has_qr_pledges_and_a_statement_with_unmatched_lines(demo, db):
    road = Campaign.objects.get(name__startswith="Bê tông")
    assert road.status == Campaign.Status.RUNNING and road.takes_transfers
    assert road.entries.filter(kind=Entry.Kind.TRANSFER).count() >= 30
    assert UnmatchedLine.objects.filter(campaign=road).count() == 3
    assert road.pledges.filter(giver_kind="organisation", amount=20_000_000).exists()
    cancelled = road.pledges.exclude(cancelled_at=None).get()
    assert "Bình Dương" in cancelled.cancelled_reason
    assert road.exemptions.get().reason == "other"
    assert "statement lines to match by hand" in demo
