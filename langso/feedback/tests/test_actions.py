"""Receiving, handling, merging, reopening and escalating reports (issue 14, items 1–4, 7)."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from langso.feedback import access, actions
from langso.feedback.actions import Upload
from langso.feedback.models import Note, Report
from langso.feedback.tests.conftest import gps_exif, jpeg_bytes
from langso.notices import delivery
from langso.notices.models import Audience, Channel, Delivery, Notice
from langso.test import vietnam_time

pytestmark = pytest.mark.django_db


def told(**audience):
    """The notices titles addressed to this audience."""
    return list(
        Notice.objects.filter(**{f"audiences__{k}": v for k, v in audience.items()})
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_a_report_gets_an_unambiguous_code_and_its_reporter_is_told(report):
    assert len(report.code) == 8
    assert not set(report.code) & set("01OIL")
    assert report.state == Report.State.RECEIVED
    assert report.assigned_unit.name == "Bình Chiến"  # roads: the hamlet by default
    assert told(contact_phone="0912345678") == [f"Đã nhận phản ánh: {report.tracking_display}"] or (
        told(contact_phone="0912345678")
        and report.tracking_display in told(contact_phone="0912345678")[0]
    )


def test_a_phone_only_reporter_is_reached_by_sms(report, settings):
    """Notices reach someone known only by a phone number (the generic contact audience)."""
    settings.LANGSO_SMS_URL = "http://127.0.0.1:9/sms"
    notice = Notice.objects.get(audiences__contact_phone="0912345678")
    delivery.resolve_recipients(notice)
    delivery.plan_deliveries(notice)
    sms = Delivery.objects.get(notice=notice)
    assert (sms.channel, sms.address) == (Channel.SMS, "0912345678")
    # Resolving again adds nobody twice.
    delivery.resolve_recipients(notice)
    assert notice.recipients.count() == 1


def test_the_commune_assigns_to_the_hamlet_head_who_is_told(world, report):
    actions.assign_report(report, acting_user=world.official, user=world.hamlet_head)
    report.refresh_from_db()
    assert report.state == Report.State.ASSIGNED
    assert report.assigned_user == world.hamlet_head
    assert any(report.tracking_display in t for t in told(user=world.hamlet_head))


def test_a_viewer_and_an_outsider_cannot_handle(world, report):
    for user in (world.viewer, world.outsider, world.party_member):
        with pytest.raises(PermissionDenied):
            actions.assign_report(report, acting_user=user, unit=world.commune)
    assert Report.objects.get(pk=report.pk).state == Report.State.RECEIVED


def test_the_answer_with_a_photo_tells_the_reporter_and_counts_on_time(world, report):
    actions.start_work(report, acting_user=world.hamlet_head)
    actions.add_note(report, acting_user=world.hamlet_head, text="Đã báo đội thanh niên.")
    actions.answer_report(
        report,
        acting_user=world.hamlet_head,
        text="Thôn đã thay ống cống mới.",
        photos=[Upload("da-sua.jpg", io.BytesIO(jpeg_bytes()))],
    )
    report.refresh_from_db()
    assert report.state == Report.State.ANSWERED
    assert report.answered_on_time is True and report.days_to_answer == 0
    assert report.photos.filter(kind="answer").count() == 1
    assert any("trả lời" in t for t in told(contact_phone="0912345678"))
    assert Note.objects.filter(report=report).count() == 1


def test_exif_gps_is_gone_from_a_stored_photo_unless_shared(world, roads):
    raw = jpeg_bytes(size=(3000, 2000), exif=gps_exif())
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the phone's GPS is there

    kept_private = actions.submit_report(
        acting_user=None,
        hamlet=world.hamlet,
        category=roads,
        text="Ổ gà lớn giữa đường.",
        channel=Report.Channel.WEB,
        photos=[Upload("IMG_0001.jpg", io.BytesIO(raw))],
    )
    stored = kept_private.photos.get()
    with stored.image.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
    assert not image.getexif()  # no EXIF at all: no GPS, no camera model
    assert max(image.size) == 2048
    assert kept_private.latitude is None

    shared = actions.submit_report(
        acting_user=None,
        hamlet=world.hamlet,
        category=roads,
        text="Ổ gà lớn giữa đường.",
        channel=Report.Channel.WEB,
        share_location=True,
        photos=[Upload("IMG_0002.jpg", io.BytesIO(raw))],
    )
    shared.refresh_from_db()
    assert (round(float(shared.latitude), 4), round(float(shared.longitude), 4)) == (
        21.0417,
        105.8375,
    )
    with shared.photos.get().image.open("rb") as f:
        assert not Image.open(io.BytesIO(f.read())).getexif()  # only the fields keep it


def test_a_renamed_program_and_a_30_mb_photo_are_refused_by_name(world, roads):
    def submit(name, content):
        return actions.submit_report(
            acting_user=None,
            hamlet=world.hamlet,
            category=roads,
            text="Ảnh kèm theo.",
            channel=Report.Channel.WEB,
            photos=[Upload(name, io.BytesIO(content))],
        )

    with pytest.raises(ValidationError) as refused:
        submit("anh-cong.jpg", b"MZ\x90\x00" + b"\x00" * 4000)
    assert "anh-cong.jpg" in str(refused.value) and "JPEG, PNG" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        submit("to-qua.jpg", jpeg_bytes() + b"\x00" * (30 * 1024 * 1024))
    assert "to-qua.jpg" in str(refused.value) and "10 MB" in str(refused.value)
    assert Report.objects.count() == 0


def test_anonymous_reports_are_limited_per_ip_and_per_phone(world, roads, settings):
    settings.LANGSO_FEEDBACK_REPORTS_PER_HOUR = 2

    def submit(ip, phone=""):
        return actions.submit_report(
            acting_user=None,
            hamlet=world.hamlet,
            category=roads,
            text="Đèn đường hỏng.",
            channel=Report.Channel.WEB,
            reporter_phone=phone,
            source_ip=ip,
        )

    submit("10.0.0.9")
    submit("10.0.0.9")
    with pytest.raises(ValidationError) as refused:
        submit("10.0.0.9")
    assert "giờ" in str(refused.value)  # "in the last hour", in Vietnamese
    submit("10.0.0.10", "0987000111")
    submit("10.0.0.11", "0987000111")
    with pytest.raises(ValidationError):
        submit("10.0.0.12", "0987000111")
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        submit("10.0.0.9")  # an hour later it is accepted again
    assert Report.objects.count() == 5


def test_a_duplicate_is_merged_and_both_reporters_are_told(world, report, roads):
    second = actions.submit_report(
        acting_user=None,
        hamlet=world.hamlet,
        category=roads,
        text="Cống đầu thôn vỡ.",
        channel=Report.Channel.WEB,
        reporter_phone="0977111222",
    )
    actions.decline_report(
        second,
        acting_user=world.official,
        reason=Report.Decline.DUPLICATE,
        duplicate_of=report,
    )
    second.refresh_from_db()
    assert (second.state, second.duplicate_of) == (Report.State.DECLINED, report)
    assert any("gộp" in t for t in told(contact_phone="0977111222"))
    assert any("cùng" in t for t in told(contact_phone="0912345678"))
    # The original's answer then reaches both.
    actions.answer_report(report, acting_user=world.official, text="Đã sửa xong.")
    answered = Notice.objects.filter(title__contains="trả lời").get()
    phones = set(answered.audiences.values_list("contact_phone", flat=True))
    assert phones == {"0912345678", "0977111222"}


def test_decline_needs_a_reason(world, report):
    with pytest.raises(ValidationError):
        actions.decline_report(report, acting_user=world.official, reason="out_of_scope")
    actions.decline_report(
        report, acting_user=world.official, reason="out_of_scope", note="Việc của điện lực."
    )
    assert Report.objects.get(pk=report.pk).decline_reason == "out_of_scope"


def test_a_resident_reopens_once_within_seven_days_and_rates(world, report):
    with time_machine.travel(vietnam_time(date(2026, 6, 10))):
        actions.answer_report(report, acting_user=world.official, text="Đã sửa.")
    with time_machine.travel(vietnam_time(date(2026, 6, 12))):
        actions.reopen_report(report, acting_user=None, reason="Vẫn còn ngập.")
        assert report.state == Report.State.IN_PROGRESS
        actions.answer_report(report, acting_user=world.official, text="Đã nạo vét thêm.")
        with pytest.raises(ValidationError):
            actions.reopen_report(report, acting_user=None, reason="Lại ngập.")
        actions.rate_report(report, acting_user=None, rating="satisfied")
    assert Report.objects.get(pk=report.pk).rating == "satisfied"


def test_reopening_after_seven_days_is_refused(world, report):
    with time_machine.travel(vietnam_time(date(2026, 6, 10))):
        actions.answer_report(report, acting_user=world.official, text="Đã sửa.")
    with time_machine.travel(vietnam_time(date(2026, 6, 18))), pytest.raises(ValidationError):
        actions.reopen_report(report, acting_user=None, reason="Vẫn hỏng.")


def test_an_overdue_report_is_escalated_once_to_the_commune(world, roads):
    with time_machine.travel(vietnam_time(date(2026, 6, 1))):  # a Monday
        report = actions.submit_report(
            acting_user=None,
            hamlet=world.hamlet,
            category=roads,
            text="Cầu tràn hỏng.",
            channel=Report.Channel.WEB,
        )
        actions.assign_report(report, acting_user=world.official, unit=world.hamlet)
    assert report.due_on == date(2026, 6, 15)
    with time_machine.travel(vietnam_time(date(2026, 6, 15))):
        assert actions.escalate_overdue() == 0
    with time_machine.travel(vietnam_time(date(2026, 6, 16))):
        assert Report.objects.overdue().get() == report
        assert actions.escalate_overdue() == 1
        assert actions.escalate_overdue() == 0
    escalation = Notice.objects.get(title__contains="quá hạn")
    audience = escalation.audiences.get()
    assert (audience.kind, audience.role, audience.unit) == (
        Audience.Kind.ROLE,
        "commune_official",
        world.commune,
    )


def test_hamlet_heads_see_only_their_hamlet_and_residents_only_theirs(world, report, roads):
    other = actions.submit_report(
        acting_user=world.hamlet_head,
        hamlet=world.other_hamlet,
        category=roads,
        text="x",
        channel=Report.Channel.WEB,
    )
    assert set(access.handled_reports(world.hamlet_head)) == {report}
    assert set(access.handled_reports(world.official)) == {report, other}
    assert set(access.handled_reports(world.outsider)) == set()
    assert set(access.handled_reports(world.viewer)) == set()
    # A hamlet head cannot enter a report on behalf of another hamlet's resident.
    with pytest.raises(PermissionDenied):
        actions.submit_report(
            acting_user=world.hamlet_head,
            hamlet=world.other_hamlet,
            category=roads,
            text="Báo qua điện thoại.",
            channel=Report.Channel.PHONE,
        )
    zalo = actions.submit_report(
        acting_user=world.hamlet_head,
        hamlet=world.hamlet,
        category=roads,
        text="Bà con báo trong nhóm Zalo thôn: cống tắc.",
        channel=Report.Channel.ZALO,
        reporter_name="Bà Tư",
    )
    assert (zalo.channel, zalo.entered_by) == ("zalo", world.hamlet_head)


def test_the_escalation_command_reports_its_count(world, roads):
    from django.core.management import call_command

    with time_machine.travel(vietnam_time(date(2026, 6, 1))):
        actions.submit_report(
            acting_user=None, hamlet=world.hamlet, category=roads, text="Cầu.", channel="web"
        )
    out = io.StringIO()
    with time_machine.travel(vietnam_time(date(2026, 7, 1))):
        call_command("feedback_escalate", stdout=out)
    assert out.getvalue().splitlines()[0] == "1 overdue report(s) escalated."
    assert Report.objects.get().escalated_at is not None
