"""Two people editing one record (issue 18, item 7): the hamlet head changed a phone, then
a commune official, whose form was opened before, saved an occupation — and the phone
went back to the old one. Edits now carry the version they started from; a stale save is
refused with both values shown, nothing is overwritten, and what was typed is kept."""

import re

import pytest
from django.urls import reverse

from langso.lib.versions import StaleEdit
from langso.registry import actions
from langso.registry.models import LifeEvent, Person


def opened_form(client, person):
    """What the correction form posts when saved unchanged, as the page shows it."""
    page = client.get(reverse("registry:person-edit", args=[person.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    return {
        "full_name": person.full_name, "family_name": person.family_name,
        "middle_name": person.middle_name, "given_name": person.given_name,
        "birth": person.birth_date.strftime("%d/%m/%Y"), "sex": person.sex,
        "ethnicity": person.ethnicity, "phone": person.phone,
        "occupation": person.occupation, "version": version,
    }  # fmt: skip


def test_a_stale_correction_is_refused_with_both_values_and_keeps_what_was_typed(client, world):
    person = world.household.head
    url = reverse("registry:person-edit", args=[person.pk])
    client.force_login(world.hamlet_head)
    hamlet_heads_form = opened_form(client, person)
    client.force_login(world.official)
    officials_form = opened_form(client, person)

    client.force_login(world.hamlet_head)
    saved = client.post(url, {**hamlet_heads_form, "phone": "0912 345 678"})
    assert saved.status_code == 302
    client.force_login(world.official)
    refused = client.post(url, {**officials_form, "occupation": "Làm ruộng"})

    person.refresh_from_db()
    assert person.phone == "0912345678" and person.occupation == ""
    assert LifeEvent.objects.filter(person=person, kind=LifeEvent.Kind.CORRECTION).count() == 1
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Người khác đã sửa hồ sơ này trong lúc bạn đang sửa" in page
    assert "Đặng Văn Bình" in page  # who saved in between
    # Both values of the phone, side by side; the occupation they typed is still there.
    row = re.search(r"<tr><th scope=\"row\">Điện thoại</th><td>(.*?)</td><td>(.*?)</td>", page)
    assert row and row.groups() == ("0912345678", "—")
    assert 'value="Làm ruộng"' in page

    # Saved again from the stored version, knowingly: the phone stays, the job is added.
    again = client.post(
        url,
        {
            **officials_form,
            "occupation": "Làm ruộng",
            "phone": "0912345678",
            "version": re.search(r'name="version" value="(\d+)"', page).group(1),
        },
    )
    person.refresh_from_db()
    assert again.status_code == 302
    assert (person.phone, person.occupation) == ("0912345678", "Làm ruộng")


def test_the_action_refuses_a_correction_from_an_older_version(world):
    person = world.household.head
    opened_at = person.version
    actions.correct_person(person, acting_user=world.hamlet_head, phone="0912345678")
    assert Person.objects.get(pk=person.pk).version == opened_at + 1

    stale = Person.objects.get(pk=person.pk)
    with pytest.raises(StaleEdit) as refused:
        actions.correct_person(
            stale, acting_user=world.official, version=opened_at, occupation="Làm ruộng"
        )

    assert refused.value.current.phone == "0912345678"
    assert Person.objects.get(pk=person.pk).occupation == ""


def test_a_stale_change_of_head_is_refused_and_the_first_one_stands(client, world):
    household = world.household
    wife, son = (p for p in household.members.all() if p.pk != household.head_id)
    url = reverse("registry:change-head", args=[household.pk])
    client.force_login(world.hamlet_head)
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    first = {"new_head": wife.pk, "old_head_relationship": "Chồng", "on": "01/03/2024"}

    assert client.post(url, {**first, "version": version}).status_code == 302
    client.force_login(world.official)
    refused = client.post(
        url,
        {
            "new_head": son.pk,
            "old_head_relationship": "Cha",
            "on": "01/03/2024",
            "version": version,
        },
    )

    household.refresh_from_db()
    assert household.head == wife
    assert "Người khác đã sửa hồ sơ này sau khi bạn mở nó" in refused.content.decode()
    assert (
        LifeEvent.objects.filter(household=household, kind=LifeEvent.Kind.HEAD_CHANGE).count() == 1
    )
