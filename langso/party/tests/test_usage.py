"""Usage and meeting figures the committees report upwards (Regulation 339-QĐ/TW, domain.md §7:
installation rate, monthly use, study points per member; a regular meeting every month)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from langso.party import actions
from langso.party.models import (
    Activity,
    Answer,
    Document,
    Invitation,
    Meeting,
    Member,
    Question,
    Reading,
)
from langso.party.statistics import meeting_statistics, usage_report

MARCH = date(2026, 3, 1)
Attendance = Invitation.Attendance


def local(*args):
    """An aware moment in the commune's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime(*args))


def meeting(cell, *, for_month=MARCH, kind=Meeting.Kind.REGULAR, day=date(2026, 3, 5)):
    return actions.schedule_meeting(
        cell,
        acting_user=None,
        kind=kind,
        title=f"Sinh hoạt chi bộ tháng {for_month:%m/%Y}",
        starts_at=local(day.year, day.month, day.day, 8, 0),
        place="Nhà văn hoá thôn",
        for_month=for_month,
    )


def hold(meeting, held_on, attendance=()):
    invitations = {inv.member_id: inv.pk for inv in meeting.invitations.all()}
    return actions.record_meeting(
        meeting,
        acting_user=None,
        held_on=held_on,
        attendance={invitations[member.pk]: value for member, value in attendance},
    )


@pytest.fixture
def month(party):
    """Five members in Tân Lập's two cells and one in the other commune, with what each did
    around March 2026."""
    p = party
    p.a1 = p.member_with_account("Lò Văn Một", "lovanmot")
    p.a2 = p.member_with_account("Lò Văn Hai", "lovanhai")
    p.a3 = p.member("Lò Văn Ba")
    p.b1 = p.member_with_account("Quàng Văn Bốn", "quangvanbon", cell=p.other_cell)
    p.b2 = p.member("Quàng Văn Năm", cell=p.other_cell)
    p.far = p.member_with_account("Lò Văn Oai", "lovanoai", cell=p.far_cell)

    document = Document.objects.create(
        kind=Document.Kind.RESOLUTION,
        title="Nghị quyết Đại hội XIV",
        issuing_body="Ban Chấp hành Trung ương",
        issued_on=date(2026, 1, 23),
        file="party/documents/2026/nq-dai-hoi-xiv.pdf",
    )
    document.organisations.set([p.committee, p.far_committee])
    question = Question.objects.create(
        document=document, text="Đại hội XIV họp năm nào?", choices=["2025", "2026"], correct=2
    )

    def answer(member, at, right=True):
        Answer.objects.create(
            question=question,
            member=member,
            choice=2 if right else 1,
            is_correct=right,
            points=10 if right else 0,
            answered_at=at,
        )

    # a1 reads, answers and responds to an invitation: one active member, not three.
    Reading.objects.create(document=document, member=p.a1, read_at=local(2026, 3, 10, 20, 0))
    answer(p.a1, local(2026, 3, 10, 20, 5))
    march_meeting = meeting(p.cell)
    invitation = march_meeting.invitations.get(member=p.a1)
    actions.respond_to_invitation(
        invitation, acting_user=p.a1.user, response=Invitation.Response.CONFIRMED
    )
    # The answer came on 4 March; the action stamps the present moment.
    Invitation.objects.filter(pk=invitation.pk).update(responded_at=local(2026, 3, 4, 7, 0))
    # a2 read the night before the month began and answered just after it ended.
    Reading.objects.create(document=document, member=p.a2, read_at=local(2026, 2, 28, 23, 30))
    answer(p.a2, local(2026, 4, 1, 0, 10))
    # a3 read just after midnight on the 1st, local time (still 28 February in UTC).
    Reading.objects.create(document=document, member=p.a3, read_at=local(2026, 3, 1, 0, 5))
    # b1 answered in the month's last minutes.
    answer(p.b1, local(2026, 3, 31, 23, 50))
    # Someone in the other commune was busy too.
    Reading.objects.create(document=document, member=p.far, read_at=local(2026, 3, 15, 9, 0))
    answer(p.far, local(2026, 3, 15, 9, 5))

    hold(march_meeting, date(2026, 3, 20), [(p.a1, Attendance.PRESENT)])
    hold(meeting(p.other_cell), date(2026, 4, 2))
    # The rows above were written directly with their past times, as a bulk load would:
    # recount the monthly activity the report reads.
    Activity.rebuild(Member.objects.all())
    return p


def figures(rows):
    return {org.name: (depth, data) for org, depth, data in rows}


def pick(data, *names):
    return tuple(data[name] for name in names)


FIGURES = ("members", "with_account", "active", "meetings", "documents_read", "points")


def test_each_cells_figures_count_its_own_members(month):
    rows = figures(usage_report(month.world.commune, MARCH))

    depth, bình_chiến = rows["Chi bộ thôn Bình Chiến"]
    assert depth == 1
    assert pick(bình_chiến, *FIGURES) == (3, 2, 2, 1, 2, 10)
    depth, đồng_tâm = rows["Chi bộ thôn Đồng Tâm"]
    assert depth == 1
    assert pick(đồng_tâm, *FIGURES) == (2, 1, 1, 0, 0, 10)


def test_the_committees_row_rolls_up_its_cells(month):
    rows = usage_report(month.world.commune, MARCH)

    assert [(org, depth) for org, depth, _data in rows] == [
        (month.committee, 0),
        (month.cell, 1),
        (month.other_cell, 1),
    ]
    committee = rows[0][2]
    assert pick(committee, *FIGURES) == (5, 3, 3, 1, 2, 20)
    assert (committee["account_share"], committee["active_share"]) == (60, 60)


def test_a_member_who_read_answered_and_responded_is_active_once(month):
    rows = figures(usage_report(month.world.hamlet, MARCH))

    _depth, bình_chiến = rows["Chi bộ thôn Bình Chiến"]
    # a1 did all three, a3 read once; a2 did nothing inside March.
    assert bình_chiến["active"] == 2
    assert bình_chiến["active_share"] == 67


def test_activity_outside_the_month_counts_in_its_own_month(month):
    february = figures(usage_report(month.world.hamlet, date(2026, 2, 1)))
    april = figures(usage_report(month.world.hamlet, date(2026, 4, 1)))

    _depth, feb = february["Chi bộ thôn Bình Chiến"]
    _depth, apr = april["Chi bộ thôn Bình Chiến"]
    assert pick(feb, "active", "documents_read", "points") == (1, 1, 0)
    assert pick(apr, "active", "documents_read", "points") == (1, 0, 10)


def test_a_report_for_a_hamlet_shows_only_its_cell(month):
    rows = usage_report(month.world.hamlet, MARCH)

    assert [(org, depth) for org, depth, _data in rows] == [(month.cell, 0)]


def test_the_province_report_keeps_each_communes_figures_apart(month):
    rows = figures(usage_report(month.world.province, MARCH))

    assert pick(rows["Đảng bộ xã Tân Lập"][1], "members", "active", "points") == (5, 3, 20)
    assert pick(rows["Đảng bộ xã Chiềng Hặc"][1], "members", "active", "points") == (1, 1, 10)
    assert rows["Đảng bộ xã Chiềng Hặc"][0] == 0


def test_members_who_left_are_not_counted(month):
    actions.end_membership(
        month.a3, acting_user=None, status=month.a3.Status.REMOVED, on=date(2026, 4, 1)
    )

    _depth, bình_chiến = figures(usage_report(month.world.hamlet, MARCH))["Chi bộ thôn Bình Chiến"]
    assert pick(bình_chiến, "members", "active") == (2, 1)


def test_an_organisation_with_no_members_shows_zero_shares(party):
    rows = usage_report(party.world.commune, MARCH)

    for _org, _depth, data in rows:
        assert pick(data, "members", "account_share", "active_share") == (0, 0, 0)


# Meetings ------------------------------------------------------------------------------


def test_a_regular_meeting_held_in_its_month_is_on_time(month):
    """domain.md §7: a regular meeting every month."""
    rows = {row["organisation"]: row for row in meeting_statistics([month.cell], MARCH)}

    row = rows[month.cell]
    assert (row["held"], row["on_time"]) == (1, True)
    assert (row["invited"], row["present"], row["rate"]) == (3, 1, 33)


def test_a_meeting_held_after_its_month_is_late(month):
    rows = {row["organisation"]: row for row in meeting_statistics([month.other_cell], MARCH)}

    row = rows[month.other_cell]
    assert (row["held"], row["on_time"]) == (1, False)
    assert not Meeting.objects.get(organisation=month.other_cell).held_on_time


def test_a_cell_without_a_meeting_held_shows_none_and_no_rate(month):
    planned = meeting(month.far_cell)

    (row,) = meeting_statistics([month.far_cell], MARCH)

    assert planned.status == Meeting.Status.PLANNED
    assert (row["held"], row["on_time"], row["invited"], row["rate"]) == (0, False, 0, None)


def test_a_thematic_meeting_does_not_stand_in_for_the_regular_one(month):
    thematic = meeting(month.far_cell, kind=Meeting.Kind.THEMATIC)
    hold(thematic, date(2026, 3, 25), [(month.far, Attendance.PRESENT)])

    (row,) = meeting_statistics([month.far_cell], MARCH)

    assert (row["held"], row["on_time"], row["rate"]) == (1, False, 100)


def test_meetings_are_counted_for_the_month_they_are_for(month):
    april = meeting(month.cell, for_month=date(2026, 4, 1), day=date(2026, 4, 8))
    hold(april, date(2026, 4, 8), [(month.a1, Attendance.PRESENT), (month.a2, Attendance.PRESENT)])

    (march_row,) = meeting_statistics([month.cell], MARCH)
    (april_row,) = meeting_statistics([month.cell], date(2026, 4, 1))

    assert (march_row["held"], march_row["present"]) == (1, 1)
    assert (april_row["held"], april_row["on_time"], april_row["present"]) == (1, True, 2)
