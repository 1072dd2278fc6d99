"""`manage.py party_usage` prints the month's usage per organisation (domain.md §7)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from langso.lib.dates import month_start
from langso.party import actions
from langso.party.models import Document, Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]


def run(*args):
    out = StringIO()
    call_command("party_usage", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_the_committee_and_each_cell_with_their_figures(party_world):
    pw = party_world
    now = timezone.now()
    meeting = actions.schedule_meeting(
        pw.cell,
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt tháng",
        starts_at=now + timedelta(hours=1),
        place="Nhà văn hoá",
    )
    invitation = meeting.invitations.get(member=pw.member)
    actions.respond_to_invitation(invitation, acting_user=None, response="confirmed")
    document = Document.objects.create(
        kind=Document.Kind.RESOLUTION,
        title="Nghị quyết",
        issuing_body="Đảng uỷ xã",
        issued_on=now.date(),
        file="party/documents/x.pdf",
    )
    actions.record_reading(document, pw.secretary)
    month = month_start(timezone.localdate())
    lines = run("--unit", "04000", "--month", f"{month:%Y-%m}")
    assert lines[0] == f"Party handbook usage, {month:%m/%Y}, {pw.world.commune}"
    assert lines[1].split()[:2] == ["Organisation", "Members"]
    committee, cell, other = lines[2], lines[3], lines[4]
    # 4 members, 2 with an account (bithu, dangvien), 2 active (a read, an answer).
    assert committee.split()[-8:] == ["4", "2", "50", "2", "50", "0", "1", "0"]
    assert cell.startswith("  Chi bộ thôn Bình Chiến")
    assert cell.split()[-8:] == ["3", "2", "67", "2", "67", "0", "1", "0"]
    assert other.split()[-8:] == ["1", "0", "0", "0", "0", "0", "0", "0"]


def test_last_months_activity_does_not_count_this_month(party_world):
    month = month_start(timezone.localdate())
    earlier = month - timedelta(days=40)
    lines = run("--unit", "04000", "--month", f"{earlier:%Y-%m}")
    assert lines[2].split()[-4:-2] == ["0", "0"]


def test_it_refuses_an_unknown_unit_and_a_bad_month(party_world):
    with pytest.raises(CommandError, match="No unit"):
        run("--unit", "99999", "--month", "2026-01")
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("--unit", "04000", "--month", "01/2026")
