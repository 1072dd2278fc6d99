"""Duplicates: the same ID number is refused; likely duplicates are flagged and merged."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from langso.registry import actions
from langso.registry.models import DuplicateFlag, LifeEvent, Membership, Person


def add(world, name, born, **fields):
    return actions.register_person(
        world.household,
        acting_user=world.hamlet_head,
        on=date(2020, 1, 1),
        relationship="Con",
        full_name=name,
        sex=fields.pop("sex", "f"),
        birth_date=born,
        **fields,
    )


def test_the_same_id_number_twice_is_refused_naming_the_holder(world):
    first = add(world, "Trần Thị Mai", date(1990, 1, 1), id_number="001190000123")

    with pytest.raises(actions.DuplicateIdNumber) as error:
        add(world, "Trần Thị Mai Anh", date(1991, 1, 1), id_number="001 190 000 123")

    assert error.value.existing == first
    assert Person.objects.filter(full_name="Trần Thị Mai Anh").count() == 0


def test_the_database_itself_refuses_a_second_holder_of_an_id_number(world):
    """The last line, below the actions' check: a unique constraint, many people without."""
    add(world, "Trần Thị Mai", date(1990, 1, 1), id_number="001190000123")
    add(world, "Trần Văn Nam", date(1992, 1, 1), sex="m")
    add(world, "Trần Văn Bắc", date(1993, 1, 1), sex="m")  # two people without a number
    twin = Person(full_name="Trần Thị Mai", sex="f", id_number="001190000123")

    with pytest.raises(ValidationError) as error:
        twin.validate_constraints()

    assert error.value.messages == ["Số định danh này đã được đăng ký."]
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_form_links_to_the_person_already_holding_the_id_number(client, world):
    holder = add(world, "Trần Thị Mai", date(1990, 1, 1), id_number="001190000123")
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:move-in", args=[world.household.pk]),
        {
            "full_name": "Phạm Thị Nga",
            "birth": "02/02/1990",
            "sex": "f",
            "ethnicity": "Kinh",
            "id_number": "001190000123",
            "relationship": "Con dâu",
            "on": "01/11/2026",
            "status": "permanent",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert holder.get_absolute_url() in page
    assert 'value="Phạm Thị Nga"' in page  # what was typed is kept
    assert not Person.objects.filter(full_name="Phạm Thị Nga").exists()


def test_tone_placement_variants_with_the_same_birth_date_are_flagged(world):
    first = add(world, "Lê Thị Thủy", date(1990, 5, 5))
    second = add(world, "Lê Thị Thuỷ", date(1990, 5, 5))
    add(world, "Lê Thị Thủy", date(1990, 5, 6))  # another day: another person

    flag = DuplicateFlag.objects.get()
    assert {flag.first, flag.second} == {first, second}
    assert flag.status == DuplicateFlag.Status.OPEN


def test_merging_keeps_both_histories_on_one_person(client, world):
    first = add(world, "Lê Thị Thủy", date(1990, 5, 5), phone="0912000111")
    second = add(world, "Lê Thị Thuỷ", date(1990, 5, 5), id_number="001190000999")
    actions.start_absence(second, acting_user=world.hamlet_head, on=date(2024, 1, 1), place="Huế")
    flag = DuplicateFlag.objects.get()
    client.force_login(world.hamlet_head)

    page = client.get(reverse("registry:duplicate-list"))
    response = client.post(
        reverse("registry:duplicate-resolve", args=[flag.pk]), {"keep": first.pk}
    )

    assert "Lê Thị Thuỷ" in page.content.decode()
    assert response.status_code == 302
    assert not Person.objects.filter(pk=second.pk).exists()
    first.refresh_from_db()
    assert first.id_number == "001190000999" and first.phone == "0912000111"
    kinds = set(first.events.values_list("kind", flat=True))
    assert {LifeEvent.Kind.REGISTRATION, LifeEvent.Kind.ABSENCE, LifeEvent.Kind.MERGE} <= kinds
    assert Membership.objects.filter(person=first, end__isnull=True).count() == 1
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.MERGED


def test_two_different_people_can_be_told_apart(client, world):
    add(world, "Lê Thị Thủy", date(1990, 5, 5))
    add(world, "Lê Thị Thuỷ", date(1990, 5, 5))
    flag = DuplicateFlag.objects.get()
    client.force_login(world.hamlet_head)

    client.post(reverse("registry:duplicate-resolve", args=[flag.pk]), {"keep": ""})

    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.DISMISSED
    assert Person.objects.filter(folded_name="le thi thuy").count() == 2


def test_the_outsider_cannot_see_or_resolve_the_flags(client, world):
    add(world, "Lê Thị Thủy", date(1990, 5, 5))
    add(world, "Lê Thị Thuỷ", date(1990, 5, 5))
    flag = DuplicateFlag.objects.get()
    client.force_login(world.outsider)

    assert "Thuỷ" not in client.get(reverse("registry:duplicate-list")).content.decode()
    assert client.post(reverse("registry:duplicate-resolve", args=[flag.pk])).status_code == 404


def test_a_merge_never_counts_the_person_twice_on_any_day(world):
    from langso.registry.models import Membership

    keep = add(world, "Lê Thị Thủy", date(1990, 5, 5))  # in the household since 2020
    actions.split_household(world.household, head=keep, members=[], acting_user=None,
                            on=date(2023, 1, 1))  # fmt: skip
    drop = actions.register_person(
        world.other_household, acting_user=None, on=date(2021, 6, 1), relationship="Con",
        full_name="Lê Thị Thuỷ", sex="f", birth_date=date(1990, 5, 5),
    )  # fmt: skip

    actions.merge_people(keep, drop, acting_user=world.hamlet_head)

    for day in (date(2020, 6, 1), date(2022, 1, 1), date(2024, 1, 1), date(2026, 11, 1)):
        assert Membership.objects.as_of(day).filter(person=keep).count() == 1, day
    assert Membership.objects.as_of(date(2019, 1, 1)).filter(person=keep).count() == 0
