"""Names and phones (issue 18, item 13): no invisible controls in what is stored, phones
that are phone numbers, and newborns born lately."""

from django.urls import reverse
from django.utils import timezone

from langso.lib.vietnamese import normalize_phone
from langso.registry.models import Person

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"


def edit(client, person, **changes):
    data = {
        "full_name": person.full_name, "family_name": person.family_name,
        "middle_name": person.middle_name, "given_name": person.given_name,
        "birth": "17/05/1970", "sex": "m", "ethnicity": "Kinh", **changes,
    }  # fmt: skip
    return client.post(reverse("registry:person-edit", args=[person.pk]), data)


def test_bidirectional_and_control_characters_never_reach_a_stored_name(client, world):
    person = world.household.head
    client.force_login(world.hamlet_head)

    edit(
        client, person, full_name=f"{RLO}Nguyễn Văn\x00 Phụng{PDI}",
        occupation=f"{LRI}Làm\u200b ruộng\x1b{PDI}",
    )  # fmt: skip

    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Phụng"
    assert person.occupation == "Làm ruộng"


def test_a_formula_is_not_a_phone_number(client, world):
    person = world.household.head
    client.force_login(world.hamlet_head)

    response = edit(client, person, phone="=HYPERLINK(1)")

    assert response.status_code == 200
    assert "Nhập số điện thoại" in response.content.decode()
    person.refresh_from_db()
    assert person.phone == ""


def test_vietnamese_and_international_phones_are_kept_in_one_form(client, world):
    person = world.household.head
    client.force_login(world.hamlet_head)

    edit(client, person, phone="+84 912 345 678")
    person.refresh_from_db()

    assert person.phone == "0912345678"
    assert normalize_phone("0212 3822 123") == "02123822123"
    assert normalize_phone("+33 6 12 34 56 78") == "+33612345678"
    assert normalize_phone("12345") is None and normalize_phone("0912abc678") is None


def test_a_newborn_cannot_be_born_in_1800_nor_years_ago(client, world):
    client.force_login(world.hamlet_head)
    url = reverse("registry:birth", args=[world.household.pk])
    baby = {"full_name": "Nguyễn Gia Huy", "sex": "m", "relationship": "Con"}

    old = client.post(url, {**baby, "birth": "01/01/1800"})
    years_ago = client.post(url, {**baby, "birth": f"01/01/{timezone.localdate().year - 3}"})

    assert "trước năm 1900" in old.content.decode()
    assert "trong vòng một năm" in years_ago.content.decode()
    assert not Person.objects.filter(full_name="Nguyễn Gia Huy").exists()
