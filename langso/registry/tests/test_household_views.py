"""Household pages: births, newcomers, a new household, change of head, split."""

from datetime import date

from django.urls import reverse

from langso.registry.models import Household, LifeEvent, Person


def test_the_hamlet_head_registers_a_birth(client, world):
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:birth", args=[world.household.pk]),
        {
            "full_name": "Nguyễn Gia Huy",
            "birth": "03/11/2026",
            "sex": "m",
            "relationship": "Cháu",
            "ethnicity": "Kinh",
        },
    )

    baby = Person.objects.get(full_name="Nguyễn Gia Huy")
    assert response.status_code == 302
    assert (baby.household, baby.relationship, baby.birth_date) == (
        world.household,
        "Cháu",
        date(2026, 11, 3),
    )
    assert baby.events.get().kind == LifeEvent.Kind.BIRTH


def test_a_birth_needs_the_full_date_and_keeps_the_typed_values(client, world):
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:birth", args=[world.household.pk]),
        {"full_name": "Nguyễn Gia Huy", "birth": "2026", "sex": "m", "relationship": "Con"},
    )

    assert response.status_code == 200
    assert 'value="Nguyễn Gia Huy"' in response.content.decode()
    assert not Person.objects.filter(full_name="Nguyễn Gia Huy").exists()


def test_someone_moves_in_as_a_temporary_resident(client, world):
    client.force_login(world.hamlet_head)

    client.post(
        reverse("registry:move-in", args=[world.household.pk]),
        {
            "full_name": "Lò Thị Ún",
            "birth": "1998",
            "sex": "f",
            "ethnicity": "Thái",
            "relationship": "Con dâu",
            "on": "01/10/2026",
            "status": "temporary",
            "place": "Xã Chiềng Mung, Sơn La",
        },
    )

    person = Person.objects.get(full_name="Lò Thị Ún")
    assert person.residence_status == "temporary" and person.birth_precision == "year"
    assert person.events.get().place == "Xã Chiềng Mung, Sơn La"


def test_a_new_household_is_created_with_its_head(client, world):
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:household-create", args=[world.group.pk]),
        {
            "unit": world.group.pk,
            "house_number": "27",
            "address": "Tổ 1, thôn Bình Chiến",
            "full_name": "Bùi Văn Lực",
            "birth": "12/12/1988",
            "sex": "m",
            "ethnicity": "Kinh",
            "on": "15/10/2026",
            "status": "permanent",
            "place": "",
        },
    )

    household = Household.objects.get(head__full_name="Bùi Văn Lực")
    assert response.status_code == 302
    assert household.unit == world.group and household.head.relationship == "Chủ hộ"


def test_a_hamlet_head_cannot_create_a_household_in_another_hamlet(client, world):
    client.force_login(world.hamlet_head)

    url = reverse("registry:household-create", args=[world.other_hamlet.pk])
    assert client.get(url).status_code == 404


def test_changing_the_head_from_the_household_page(client, world):
    wife = world.household.members.get(full_name="Trần Thị Thuỷ")
    client.force_login(world.hamlet_head)

    client.post(
        reverse("registry:change-head", args=[world.household.pk]),
        {"new_head": wife.pk, "old_head_relationship": "Chồng", "on": "01/11/2026"},
    )

    world.household.refresh_from_db()
    assert world.household.head == wife


def test_splitting_off_a_household_from_the_household_page(client, world):
    son = world.household.members.get(full_name="Nguyễn Văn An")
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:split", args=[world.household.pk]),
        {"head": son.pk, "on": "01/11/2026", "house_number": "5"},
    )

    son.refresh_from_db()
    assert response.status_code == 302
    assert son.household != world.household and son.household.head == son


def test_names_and_addresses_typed_with_extra_spaces_are_stored_with_single_spaces(client, world):
    """What is typed is searched, sorted and printed: doubled spaces would split one name."""
    client.force_login(world.hamlet_head)

    client.post(
        reverse("registry:household-create", args=[world.group.pk]),
        {
            "unit": world.group.pk,
            "house_number": " 27 ",
            "address": "Tổ 1,  thôn   Bình Chiến",
            "full_name": "Bùi  Văn   Lực",
            "birth": "12/12/1988",
            "sex": "m",
            "ethnicity": "Kinh",
            "on": "15/10/2026",
            "status": "permanent",
            "place": "Xã  Chiềng Mung",
        },
    )

    household = Household.objects.get(head__full_name="Bùi Văn Lực")
    assert (household.house_number, household.address) == ("27", "Tổ 1, thôn Bình Chiến")
    assert household.head.events.get().place == "Xã Chiềng Mung"
