"""How the fan-out plans each recipient's first channel (delivery.plan_deliveries): what
it reads of them, a batch at a time, must be what the preview and the fall-back read."""

import random

import pytest

from langso.notices import actions
from langso.notices import delivery as pipeline
from langso.notices.models import Audience, Notice, Recipient
from langso.registry.models import Person

pytestmark = pytest.mark.django_db

THUY, PHUNG, AN = "Trần Thị Thuỷ", "Nguyễn Văn Phụng", "Nguyễn Văn An"


def person(name):
    return Person.objects.get(full_name=name)


def give_email(name, email):
    found = person(name)
    found.email = email
    found.save(update_fields=["email"])


def test_each_kind_of_recipient_gets_the_first_channel_its_contact_allows(world):
    """The fan-out reads each recipient's contact in one query with its batch; it finds what
    `contacts` (the preview's and the fall-back's) finds: the account of a resident only
    while it is active, the reach's e-mail before the person's and the account's."""
    from langso.accounts.models import User
    from langso.notices.channels import chain
    from langso.notices.models import Reach

    def account(name, username, email, active=True):
        return User.objects.create(
            username=username, email=email, is_active=active, person=person(name)
        )

    phung = account(PHUNG, "phung", "phung-tk@example.invalid")
    account(THUY, "thuy", "thuy-tk@example.invalid", active=False)
    account(AN, "an", "an-tk@example.invalid")
    give_email(AN, "an@example.invalid")
    Reach.objects.create(person=person(AN), channels=["email", "app"], email="an-r@example.invalid")
    hung = "Lê Văn Hùng"
    account(hung, "hung", "hung-tk@example.invalid")
    Reach.objects.create(person=person(hung), channels=["email"])
    world.viewer.email = "xem@example.invalid"
    world.viewer.save(update_fields=["email"])
    notice = actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Lịch tiêm phòng",
        body="Mời các gia đình đưa trẻ đến trạm y tế xã.",
        audiences=[
            *(
                Audience(kind=Audience.Kind.PERSON, person=person(name))
                for name in (PHUNG, THUY, AN, hung)
            ),
            Audience(kind=Audience.Kind.ACCOUNT, user=world.viewer),
            Audience(kind=Audience.Kind.CONTACT, contact_email="ban@example.invalid"),
        ],
    )
    notice.status = notice.Status.SENDING
    notice.save(update_fields=["status"])
    pipeline.resolve_recipients(notice)
    recipients = list(notice.recipients.select_related("person", "user").order_by("pk"))
    pipeline.plan_deliveries(notice)

    def planned(recipient):
        first = recipient.deliveries.first()
        return (first.channel, first.address) if first else None

    def name(recipient):
        if recipient.person:
            return recipient.person.full_name
        return recipient.user.username if recipient.user else recipient.contact_email

    found = {name(recipient): planned(recipient) for recipient in recipients}
    assert found == {
        PHUNG: ("app", str(phung.pk)),
        THUY: None,  # the account is closed, and no channel has an address
        AN: ("email", "an-r@example.invalid"),
        hung: ("email", "hung-tk@example.invalid"),
        "xem": ("app", str(world.viewer.pk)),
        "ban@example.invalid": ("email", "ban@example.invalid"),
    }
    looked_up = pipeline.contacts(recipients)
    for recipient in recipients:
        ways = chain(looked_up[recipient.pk])
        assert planned(recipient) == (ways[0] if ways else None)


@pytest.mark.parametrize("runs", [20, 1])
def test_the_recipients_marked_are_exactly_those_planned(world, monkeypatch, runs):
    """Runs of consecutive ids go to the database as ranges (at most `RUNS`), the rest
    as a list: any set of ids marks those recipients and no others."""
    monkeypatch.setattr(pipeline, "RUNS", runs)
    notice = Notice.objects.create(title="Thông báo", body="Nội dung", unit=world.commune)
    Recipient.objects.bulk_create(
        Recipient(notice=notice, contact_email=f"nguoi{number}@example.invalid")
        for number in range(60)
    )
    ids = list(notice.recipients.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(11)
    chosen = [
        ids,
        ids[:1],
        ids[5:8],
        ids[5:7] + ids[9:12] + ids[20:21] + ids[30:45] + ids[59:],
        *(sorted(rng.sample(ids, rng.randint(1, 59))) for _ in range(20)),
    ]
    for subset in chosen:
        found = set(Recipient.objects.filter(pipeline._among(subset)).values_list("pk", flat=True))
        assert found == set(subset)
