"""The migrations that took the party out of notices keep what was there: an audience's
party organisation, who tells a recipient in person, and a member without a smartphone
(notices 0002–0003, party 0004–0005)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.usefixtures("fixed_day")


BEFORE = [("notices", "0001_initial"), ("party", "0003_member_probation_reminded_on")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in ("notices", "party")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_keep_their_organisation_and_members_their_phone(party_world):
    pw = party_world
    old = migrate(BEFORE)
    Notice = old.get_model("notices", "Notice")
    Audience = old.get_model("notices", "Audience")
    Recipient = old.get_model("notices", "Recipient")
    Member = old.get_model("party", "Member")
    Reach = old.get_model("notices", "Reach")
    Reach.objects.all().delete()
    Member.objects.filter(pk=pw.no_phone.pk).update(has_smartphone=False)
    notice = Notice.objects.create(
        title="Họp chi bộ",
        body="Tối thứ Năm",
        unit_id=pw.world.hamlet.pk,
        status="sent",
        created_at=timezone.now(),
    )
    Audience.objects.create(notice=notice, kind="organisation", organisation_id=pw.cell.pk)
    Audience.objects.create(notice=notice, kind="unit", unit_id=pw.world.hamlet.pk)
    Recipient.objects.create(
        notice=notice,
        person_id=pw.no_phone.person_id,
        organisation_id=pw.cell.pk,
        status="in_person",
    )
    Recipient.objects.create(notice=notice, person_id=pw.member.person_id, status="reached")

    new = migrate(latest())
    Audience = new.get_model("notices", "Audience")
    Recipient = new.get_model("notices", "Recipient")
    Reach = new.get_model("notices", "Reach")
    assert sorted(Audience.objects.values_list("kind", "target_id", "unit_id")) == [
        ("organisation", pw.cell.pk, None),
        ("unit", None, pw.world.hamlet.pk),
    ]
    assert dict(Recipient.objects.values_list("person_id", "teller_kind")) == {
        pw.no_phone.person_id: "organisation",
        pw.member.person_id: "",
    }
    assert Recipient.objects.get(person_id=pw.no_phone.person_id).teller_id == pw.cell.pk
    assert list(Reach.objects.filter(no_phone=True).values_list("person_id", flat=True)) == [
        pw.no_phone.person_id
    ]
