"""No POST by a read-only role or an outsider changes anything (issue 12, item 12;
docs/foundation.md, "Access").

The test walks the project's URL list, so a new endpoint is covered the day it is added.
Each pattern is filled with real objects of the test world (a sent notice with its
in-person list and relay, a party meeting, a document, an import and an export…) and
POSTed to by the commune viewer and by the outsider (a commune official of another
commune). Nothing in the database may change, and the answer is a refusal (400, 403,
404, 405) or a redirect to the login page. A page that only shows (a list, a detail) may
answer a POST as it answers a GET, provided nothing changed: such pages are named in
`READ_ONLY`, so every other endpoint must refuse.
"""

import io
import itertools
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from langso.accounts.models import AuditEntry, RoleAssignment
from langso.associations import actions as association_actions
from langso.associations.tests.worlds import AssociationWorld
from langso.campaigns import actions as campaign_actions
from langso.campaigns.models import UnmatchedLine
from langso.feedback import actions as feedback_actions
from langso.feedback.defaults import ensure_defaults as ensure_feedback_defaults
from langso.feedback.models import Category as FeedbackCategory
from langso.notices import actions as notice_actions
from langso.notices import delivery
from langso.notices.models import Audience, Recipient, Relay
from langso.party import actions as party_actions
from langso.party.models import Meeting
from langso.portal import actions as portal_actions
from langso.registry import actions as registry_actions
from langso.registry.models import Person
from langso.reports import actions as report_actions
from langso.reports.models import Election, PollingArea
from langso.test import FIXED_DAY, vietnam_time


def _jpeg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG")
    return out.getvalue()


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    """Today is `FIXED_DAY`, 09:00 in Vietnam, the clock ticking: what these tests date
    (retention ages, meetings to come, uploads) never drifts with the real date."""
    time_machine.move_to(vietnam_time(FIXED_DAY), tick=True)


# Pages that only show: a POST is answered like a GET (or refused), and changes nothing.
READ_ONLY = {
    "home",
    "accounts:user-list",
    "accounts:user-detail",
    "units:unit-detail",
    "registry:person-list",
    "registry:person-export",
    "registry:person-detail",
    "registry:household-detail",
    "registry:import-detail",
    "registry:duplicate-list",
    "reports:list",
    "reports:export",
    "reports:indicators",
    "reports:elections",
    "reports:polling-area",
    "party:home",
    "party:organisation-detail",
    "party:admission",
    "party:ratings",
    "party:fees",
    "party:statistics",
    "party:usage",
    "party:member-detail",
    "party:meeting-detail",
    "party:meeting-minutes",
    "party:document-list",
    "party:document-detail",
    "party:document-file",
    "notices:notice-list",
    "notices:inbox",
    "notices:relay-list",
    "notices:notice-detail",
    "notices:in-person",
    "notices:attachment",
    "public:public-notices",
    "portal:article-list",
    "campaigns:campaign-list",
    "campaigns:campaign-detail",
    "campaigns:balance",
    "campaigns:pledge-detail",
    "campaigns:household-detail",
    "campaigns:entry-document",
    "campaigns:receipt",
    "public:public-campaigns",
    "public:public-campaign",
    "public:public-campaign-pdf",
    "public:public-campaign-xlsx",
    "public:public-campaign-document",
    "public:public-campaign-photo",
    "feedback:report-list",
    "feedback:report-mine",
    "feedback:report-detail",
    "feedback:photo",
    "feedback:dashboard",
    "feedback:summary",
    "public:feedback-answers",
    "public:feedback-lookup",
    "public:feedback-track",
    "public:feedback-tracked-photo",
    "public:feedback-photo",
    # One's own password: the form answers a POST that is not valid by showing it again.
    "accounts:password-change",
    "accounts:password-reset",
    "accounts:password-reset-confirm",
    # One's own second factor: a wrong code shows the form again (and counts a failure).
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "associations:home",
    "associations:mine",
    "associations:organisation-detail",
    "associations:branch-detail",
    "associations:member-detail",
    "associations:activity-detail",
    "associations:photo",
    "associations:fund-detail",
    "associations:loan-detail",
    "associations:dues",
    "associations:dues-export",
    "associations:branch-export",
    "associations:loan-export",
}
# Values for path parameters that are not primary keys.
WORDS = {
    ("registry:person-event", "kind"): ["death", "move-out", "absence", "return"],
    ("reports:list", "kind"): ["voters"],
    ("party:rating-record", "kind"): ["member", "organisation"],
    ("public:public-notices", "code"): ["04000"],
    ("portal:article-image", "ext"): ["jpg"],
    ("portal:banner", "ext"): ["jpg"],
    ("portal:procedure", "slug"): ["dang-ky-khai-sinh"],
    ("feedback:summary", "format"): ["xlsx"],
    ("feedback:summary", "year"): [2026],
    ("feedback:summary", "month"): [6],
    ("open311:service", "service_code"): ["roads"],
    ("associations:dues-export", "fmt"): ["xlsx"],
    ("associations:branch-export", "fmt"): ["xlsx"],
    ("associations:loan-export", "fmt"): ["xlsx"],
    ("accounts:password-reset-confirm", "uidb64"): ["MQ"],
    ("accounts:password-reset-confirm", "token"): ["set-password"],
    ("poverty:export", "what"): ["posting"],
    ("poverty:export", "fmt"): ["xlsx"],
    ("portal:news-month", "year"): [2026],
    ("portal:news-month", "month"): [6],
}
for _name in (
    "public-campaigns",
    "public-campaign",
    "public-campaign-pdf",
    "public-campaign-xlsx",
    "public-campaign-document",
    "public-campaign-photo",
):
    WORDS["public:" + _name, "code"] = ["04000"]
# What a POST might carry if it were let through: enough for the common forms to be valid.
PAYLOAD = {
    "told": "1",
    "response": "confirmed",
    "local_note": "Ghi chú",
    "name": "Tổ 9",
    "title": "Tiêu đề",
    "body": "Nội dung",
    "reason": "Lý do",
    "on": "01/03/2026",
    "held_on": "01/03/2026",
    "place": "Hà Nội",
    "note": "Ghi chú",
}


def project_patterns(patterns=None, prefix="", namespace=None):
    """(route, "namespace:name", parameter converters) of every URL of the project's apps."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from project_patterns(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith("langso."):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry.pattern.converters


# Figures kept for speed, computed by whoever first looks at a unit: a page may fill them.
CACHES = {"reports.UnitSummary"}


def snapshot():
    """Every row of every model of the project, to compare before and after a POST."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model.__module__.startswith("langso.") and model._meta.label not in CACHES
    }


class Scene:
    """The test world with one of everything a POST could reach, all in Tân Lập."""

    def __init__(self, world, party_world):
        self.world, self.pw = world, party_world
        official = world.official
        notice = notice_actions.create_notice(
            acting_user=official,
            unit=world.commune,
            title="Phòng chống bão số 5",
            body="Các hộ chằng chống mái tôn.",
            audiences=[
                Audience(kind=Audience.Kind.UNIT, unit=world.hamlet),
                Audience(kind=Audience.Kind.RELAY, unit=world.hamlet),
            ],
            attachments=[SimpleUploadedFile("bao.pdf", b"%PDF-1.4 bao")],
        )
        notice_actions.send_notice(notice, acting_user=official)
        delivery.resolve_recipients(notice)
        delivery.plan_deliveries(notice)
        delivery.mark_sent(notice)
        self.notice = notice
        self.recipient = Recipient.objects.filter(
            notice=notice, status=Recipient.Status.IN_PERSON
        ).first()
        assert self.recipient is not None
        self.relay = Relay.objects.get(notice=notice)
        self.draft = notice_actions.create_notice(
            acting_user=official,
            unit=world.commune,
            title="Bản nháp",
            body="Chưa gửi.",
            audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
        )
        self.meeting = party_actions.schedule_meeting(
            party_world.cell,
            acting_user=None,
            kind=Meeting.Kind.REGULAR,
            title="Sinh hoạt tháng",
            starts_at=timezone.now() + timedelta(days=3),
            place="Nhà văn hoá",
        )
        self.person = Person.objects.get(full_name="Nguyễn Văn An")
        self.import_job = registry_actions.create_import_job(
            acting_user=world.hamlet_head,
            unit=world.hamlet,
            upload=SimpleUploadedFile("ho.csv", b"Ho ten\nNguyen Van A\n"),
        )
        self.election = Election.objects.create(name="Bầu cử", day=date(2026, 3, 15))
        self.area = PollingArea.objects.create(
            election=self.election, commune=world.commune, number=1, name="Khu vực 1"
        )
        self.export_job = report_actions.create_export_job(
            acting_user=official,
            kind="voters",
            unit=world.commune,
            area=None,
            day=date(2026, 3, 15),
            format="pdf",
            show_ids=False,
        )
        self.role = RoleAssignment.objects.get(user=world.hamlet_head)
        self.article = portal_actions.save_article(
            None, acting_user=None, commune=world.commune, title="Tin xã", body="Nội dung"
        )
        portal_actions.publish_article(self.article, acting_user=None)
        self.campaign = campaign_actions.create_campaign(
            world.hamlet,
            acting_user=None,
            name="Xây cầu",
            starts_on=date(2026, 1, 5),
            target_money=170_000_000,
            bank_bin="970405",
            bank_account="3600205123456",
        )
        self.pledge = campaign_actions.pledge(
            self.campaign, acting_user=None, household=world.household, amount=2_000_000
        )
        self.entry = campaign_actions.record_contribution(
            self.campaign,
            acting_user=None,
            kind="cash",
            on=date(2026, 6, 1),
            amount=500_000,
            pledge=self.pledge,
        )
        self.statement = campaign_actions.upload_statement(
            self.campaign, acting_user=None, upload=SimpleUploadedFile("s.csv", b"a,b\n1,2\n")
        )
        self.unmatched = UnmatchedLine.objects.create(
            campaign=self.campaign, on=date(2026, 6, 1), amount=1, bank_transaction="FT1"
        )
        ensure_feedback_defaults()
        self.feedback = feedback_actions.submit_report(
            acting_user=None,
            hamlet=world.hamlet,
            category=FeedbackCategory.objects.get(code="roads"),
            text="Cống vỡ.",
            channel="web",
            reporter_phone="0912345678",
            photos=[feedback_actions.Upload("a.jpg", io.BytesIO(_jpeg()))],
        )
        self.associations = AssociationWorld(world)
        a = self.associations
        a.activity = association_actions.schedule_activity(
            a.women,
            acting_user=None,
            branch=a.branch,
            title="Sinh hoạt chi hội",
            starts_at=timezone.now() + timedelta(days=3),
            place="Nhà văn hoá",
            notify=False,
        )
        a.photo = a.activity.photos.create(
            file=SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0 anh"), caption="Ảnh"
        )
        a.fund = association_actions.create_fund(
            a.women,
            acting_user=None,
            name="Quỹ",
            source="Tỉnh",
            amount=10_000_000,
            received_on=date(2025, 1, 1),
        )
        a.loan = association_actions.make_loan(
            a.fund,
            a.thuy_person,
            acting_user=None,
            amount=5_000_000,
            purpose="Chăn nuôi",
            lent_on=date(2025, 2, 1),
            term_months=12,
        )
        a.movement = association_actions.create_movement(
            a.women,
            acting_user=None,
            name="Nhà sạch, vườn xanh",
            started_on=date(2026, 1, 1),
            measure="hộ",
        )
        a.officer = a.branch_head.association_offices.get()

    def values(self, name, parameter):
        """The real objects of Tân Lập a parameter of `name` is filled with."""
        w, pw = self.world, self.pw
        if (name, parameter) in WORDS:
            return WORDS[name, parameter]
        if name.startswith("public:feedback"):
            return {
                "code": ["04000"],
                "tracking": [self.feedback.code],
                "pk": [self.feedback.photos.get().pk],
            }[parameter]
        by_prefix = {
            "accounts:user": [w.hamlet_head.pk],
            "accounts:role": [self.role.pk],
            "units:": [w.hamlet.pk, w.group.pk],
            "registry:household": [w.household.pk],
            "registry:birth": [w.household.pk],
            "registry:move-in": [w.household.pk],
            "registry:change-head": [w.household.pk],
            "registry:split": [w.household.pk],
            "registry:import": [self.import_job.pk],
            "registry:": [self.person.pk],
            "reports:export": [self.export_job.pk],
            "reports:indicators": [w.hamlet.pk],
            "reports:polling-area": [self.area.pk],
            "reports:": [self.person.pk],
            "party:meeting": [self.meeting.pk],
            "party:member": [pw.member.pk],
            "party:self-assessment": [pw.member.pk],
            "party:": [pw.cell.pk],
            "notices:told": [self.recipient.pk],
            "notices:relay": [self.relay.pk],
            "notices:attachment": [self.notice.attachments.get().pk],
            "notices:reach": [self.person.pk],
            "notices:": [self.notice.pk, self.draft.pk],
            "portal:": [self.article.pk],
            "campaigns:pledge": [self.pledge.pk],
            "campaigns:entry": [self.entry.pk],
            "campaigns:statement-preview": [self.statement.pk],
            "campaigns:unmatched": [self.unmatched.pk],
            "campaigns:": [self.campaign.pk],
            "public:public-campaign": [self.campaign.pk],
            "feedback:photo": [self.feedback.photos.get().pk],
            "feedback:dashboard": [w.commune.pk],
            "feedback:summary": [w.commune.pk],
            "feedback:": [self.feedback.pk],
            "open311:": [self.feedback.code],
            "associations:branch": [self.associations.branch.pk],
            "associations:member": [self.associations.thuy.pk],
            "associations:dues-pay": [self.associations.thuy.pk],
            "associations:activit": [self.associations.activity.pk],
            "associations:attendance": [self.associations.activity.pk],
            "associations:photo": [self.associations.activity.pk],
            "associations:fund": [self.associations.fund.pk],
            "associations:loan": [self.associations.loan.pk],
            "associations:": [self.associations.women.pk],
        }
        special = {
            ("registry:household-create", "unit_pk"): [w.hamlet.pk],
            ("reports:polling-areas", "election_pk"): [self.election.pk],
            ("reports:polling-areas", "commune_pk"): [w.commune.pk],
            ("party:rating-record", "subject_pk"): [pw.member.pk, pw.other_cell.pk],
            ("portal:article-create", "commune_pk"): [w.commune.pk],
            ("portal:article-preview", "commune_pk"): [w.commune.pk],
            ("portal:site-edit", "commune_pk"): [w.commune.pk],
            ("campaigns:household-detail", "household_pk"): [w.household.pk],
            ("public:public-campaign-document", "entry_pk"): [self.entry.pk],
            ("public:public-campaign-photo", "photo_pk"): [self.entry.pk],
            ("associations:photo", "photo_pk"): [self.associations.photo.pk],
            ("associations:activity-create", "pk"): [self.associations.women.pk],
            ("associations:branch-activity-create", "pk"): [self.associations.branch.pk],
            ("associations:member-add", "pk"): [self.associations.branch.pk],
            ("associations:loan-create", "pk"): [self.associations.fund.pk],
            ("associations:branch-create", "pk"): [self.associations.women.pk],
            ("associations:fund-create", "pk"): [self.associations.women.pk],
            ("associations:movement-create", "pk"): [self.associations.women.pk],
            ("associations:movement-detail", "pk"): [self.associations.movement.pk],
            ("associations:officer-end", "pk"): [self.associations.officer.pk],
            ("poverty:meeting", "hamlet_pk"): [w.hamlet.pk],
            ("poverty:surveyor-assign", "hamlet_pk"): [w.hamlet.pk],
        }
        if parameter == "code":
            return ["04000"]
        if (name, parameter) in special:
            return special[name, parameter]
        for prefix, values in by_prefix.items():
            if name.startswith(prefix):
                return values
        # A new endpoint nobody mapped yet: every object of the world is tried.
        return sorted({pk for rows in snapshot().values() for pk, *_ in rows[:3]})

    def urls(self):
        for name, converters in project_patterns():
            names = list(converters)
            for combination in itertools.product(*(self.values(name, p) for p in names)):
                kwargs = dict(zip(names, combination, strict=True))
                yield name, reverse(name, kwargs=kwargs), bool(names)


@pytest.fixture
def scene(world, party_world):
    return Scene(world, party_world)


def refused(response):
    if response.status_code in (400, 403, 404, 405):
        return True
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_no_post_by_a_viewer_or_an_outsider_changes_anything(client, scene, persona):
    client.force_login(getattr(scene.world, persona))
    before, audit = snapshot(), AuditEntry.objects.count()
    let_through, tried = [], 0
    for name, url, about_an_object in scene.urls():
        tried += 1
        response = client.post(url, PAYLOAD)
        after = snapshot()
        changed = [label for label, rows in after.items() if rows != before[label]]
        # The outsider may open a blank form of their own commune ("new notice"); what
        # belongs to Tân Lập they may not even find.
        must_refuse = persona == "viewer" or about_an_object
        if changed or (must_refuse and not (refused(response) or name in READ_ONLY)):
            let_through.append((url, response.status_code, changed))
            before = after
    assert let_through == [], "\n".join(map(str, let_through))
    assert AuditEntry.objects.count() == audit
    assert tried > 80  # the walk reached every app's endpoints


def test_the_viewer_neither_opens_nor_ticks_the_in_person_list(client, scene):
    """Telling people in person is the hamlet head's work (docs/notices.md): the viewer,
    who may read the commune's figures, gets neither the list nor the tick, even through
    the action itself."""
    from django.core.exceptions import PermissionDenied

    world, recipient = scene.world, scene.recipient
    in_person = reverse("notices:in-person", args=[scene.notice.pk])
    client.force_login(world.viewer)
    assert client.get(in_person).status_code == 404
    assert (
        client.post(reverse("notices:told", args=[recipient.pk]), {"told": "1"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        notice_actions.mark_told(recipient, acting_user=world.viewer)
    recipient.refresh_from_db()
    assert recipient.status == Recipient.Status.IN_PERSON and recipient.told_by is None

    client.force_login(world.hamlet_head)
    assert recipient.person.full_name in client.get(in_person).content.decode()
    client.post(reverse("notices:told", args=[recipient.pk]), {"told": "1"})
    recipient.refresh_from_db()
    assert (recipient.status, recipient.told_by) == (Recipient.Status.TOLD, world.hamlet_head)


def test_only_who_manages_the_communes_units_draws_its_polling_areas(client, scene):
    world = scene.world
    url = reverse("reports:polling-areas", args=[scene.election.pk, world.commune.pk])
    data = {"number": 2, "name": "Khu vực 2", "units": [world.other_hamlet.pk]}
    client.force_login(world.viewer)
    assert "Khu vực 1" in client.get(url).content.decode()  # the viewer still reads them
    assert client.post(url, data).status_code == 403
    assert PollingArea.objects.count() == 1
    client.force_login(world.official)
    client.post(url, data)
    assert PollingArea.objects.filter(name="Khu vực 2").exists()
