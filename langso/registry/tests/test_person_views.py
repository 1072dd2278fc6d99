"""The resident pages: the list and its search, a person's record and timeline, events."""

from datetime import date

from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.registry import actions
from langso.registry.models import Benefit, LifeEvent, Person


def test_the_list_shows_the_scope_in_official_name_order(client, world):
    client.force_login(world.official)

    page = client.get(reverse("registry:person-list"))

    names = [person.full_name for person in page.context["page"]]
    # Given names first (An < Hùng < Phụng < Thuỷ); Lò Văn Oai lives in another commune.
    assert names == ["Nguyễn Văn An", "Lê Văn Hùng", "Nguyễn Văn Phụng", "Trần Thị Thuỷ"]


def test_pages_follow_official_order_across_the_page_break(client, world):
    """A page is cut on the keys, then read whole: the order must survive both steps."""
    given = ["Yến", "Ánh", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Khánh", "Linh"]
    for i in range(52):
        actions.register_person(
            world.household, acting_user=world.hamlet_head, on=date(2020, 1, 1),
            relationship="Con", full_name=f"Phạm Thị {given[i % 10]}", sex="f",
            birth_date=date(1990, 1, 1 + i % 28),
        )  # fmt: skip
    client.force_login(world.hamlet_head)
    expected = list(
        Person.objects.within(world.hamlet)
        .registered()
        .order_by("sort_key", "birth_date", "pk")
        .values_list("pk", flat=True)
    )

    first = client.get(reverse("registry:person-list"))
    second = client.get(reverse("registry:person-list"), {"page": 2})

    shown = [p.pk for p in first.context["page"]] + [p.pk for p in second.context["page"]]
    assert shown == expected and len(expected) == 55
    assert isinstance(first.context["page"][0], Person)  # read whole, not its key


def test_the_hamlet_head_lists_only_their_hamlet(client, world):
    client.force_login(world.hamlet_head)

    page = client.get(reverse("registry:person-list"))

    assert "Lê Văn Hùng" not in page.content.decode()
    assert page.context["page"].paginator.count == 3


def test_typing_without_diacritics_finds_the_person_and_htmx_gets_only_the_rows(client, world):
    client.force_login(world.hamlet_head)

    page = client.get(
        reverse("registry:person-list"), {"q": "tran thi thuy"}, HTTP_HX_REQUEST="true"
    )

    html = page.content.decode()
    assert "Trần Thị Thuỷ" in html and "<html" not in html


def test_the_list_reads_as_of_a_past_day(client, world):
    client.force_login(world.official)

    page = client.get(reverse("registry:person-list"), {"as_of": "01/01/2009"})

    assert page.context["page"].paginator.count == 0  # everyone came in 2010
    page = client.get(reverse("registry:person-list"), {"as_of": "01/01/2011"})
    assert page.context["page"].paginator.count == 4


def test_a_person_page_masks_the_id_number_for_a_viewer(client, world):
    head = world.household.head
    head.id_number = "014070001234"
    head.save(update_fields=["id_number"])
    client.force_login(world.viewer)

    page = client.get(head.get_absolute_url()).content.decode()

    assert "014070001234" not in page and "*********234" in page
    assert not AuditEntry.objects.filter(verb="read.person.id_numbers").exists()


def test_the_hamlet_head_sees_the_id_number_and_the_view_is_logged(client, world):
    head = world.household.head
    head.id_number = "014070001234"
    head.save(update_fields=["id_number"])
    client.force_login(world.hamlet_head)

    page = client.get(head.get_absolute_url()).content.decode()

    assert "014070001234" in page
    assert AuditEntry.objects.filter(
        verb="read.person.id_numbers", actor=world.hamlet_head
    ).exists()


def test_an_id_number_that_contradicts_the_record_shows_a_warning(client, world):
    head = world.household.head  # born 1970, male
    head.id_number = "014185001234"  # says: woman born 1985
    head.save(update_fields=["id_number"])
    client.force_login(world.hamlet_head)

    page = client.get(head.get_absolute_url()).content.decode()

    assert "1985" in page


def test_an_id_number_typed_in_threes_with_spaces_or_dots_is_kept_as_its_digits(client, world):
    person = world.household.head  # born 1970, male
    client.force_login(world.hamlet_head)
    data = {
        "full_name": person.full_name, "family_name": person.family_name,
        "middle_name": person.middle_name, "given_name": person.given_name,
        "birth": "17/05/1970", "sex": "m", "ethnicity": "Kinh", "old_id_number": "012.345.678",
    }  # fmt: skip

    response = client.post(
        reverse("registry:person-edit", args=[person.pk]), {**data, "id_number": "036 070 012 348"}
    )

    person.refresh_from_db()
    assert response.status_code == 302, response.context["form"].errors
    assert (person.id_number, person.old_id_number) == ("036070012348", "012345678")


def test_a_correction_keeps_what_was_typed_when_wrong_and_records_the_change(client, world):
    person = world.household.head
    client.force_login(world.hamlet_head)
    # As the form posts it: the name parts come prefilled with the old split.
    data = {
        "full_name": "Nguyễn Văn Phùng", "family_name": "Nguyễn", "middle_name": "Văn",
        "given_name": "Phụng", "birth": "31/02/1970", "sex": "m", "ethnicity": "Kinh",
    }  # fmt: skip

    wrong = client.post(reverse("registry:person-edit", args=[person.pk]), data)
    right = client.post(
        reverse("registry:person-edit", args=[person.pk]), {**data, "birth": "17/05/1970"}
    )

    assert wrong.status_code == 200 and 'value="31/02/1970"' in wrong.content.decode()
    assert right.status_code == 302
    event = LifeEvent.objects.get(person=person, kind=LifeEvent.Kind.CORRECTION)
    assert event.changes == {
        "full_name": ["Nguyễn Văn Phụng", "Nguyễn Văn Phùng"],
        "given_name": ["Phụng", "Phùng"],
    }
    timeline = client.get(person.get_absolute_url()).content.decode()
    assert "Nguyễn Văn Phụng → Nguyễn Văn Phùng" in timeline


def test_recording_a_death_from_the_person_page(client, world):
    person = world.household.members.get(full_name="Trần Thị Thuỷ")
    client.force_login(world.hamlet_head)

    actions.add_benefit(person, acting_user=world.hamlet_head, kind=Benefit.Kind.ELDERLY_ALLOWANCE)
    url = reverse("registry:person-event", args=[person.pk, "death"])

    unconfirmed = client.post(url, {"on": "02/11/2026"})
    assert Person.objects.get(pk=person.pk).died_on is None
    assert "Tôi đã kiểm tra: người này đã mất vào ngày trên." in unconfirmed.content.decode()
    response = client.post(url, {"on": "02/11/2026", "confirm": "on"}, follow=True)

    person.refresh_from_db()
    assert person.died_on == date(2026, 11, 2)
    page = response.content.decode()
    assert f"Đã chấm dứt từ ngày 02/11/2026: {person.benefits.get()}." in page
    assert "Hủy ghi nhận khai tử (ghi nhầm)" in page


def test_a_death_is_withdrawn_from_the_person_page(client, world):
    person = world.household.members.get(full_name="Trần Thị Thuỷ")
    actions.record_death(person, acting_user=world.hamlet_head, on=date(2026, 11, 2))
    client.force_login(world.hamlet_head)

    client.post(reverse("registry:withdraw-death", args=[person.pk]))

    person.refresh_from_db()
    assert person.died_on is None and person.memberships.get(end=None)


def test_a_viewer_cannot_record_events(client, world):
    person = world.household.head
    client.force_login(world.viewer)

    url = reverse("registry:person-event", args=[person.pk, "death"])
    assert client.post(url, {"on": "02/11/2026"}).status_code == 404
    assert Person.objects.get(pk=person.pk).died_on is None


def test_the_outsider_gets_404_on_people_and_the_list_shows_nothing_of_them(client, world):
    person = world.household.head
    client.force_login(world.outsider)

    assert client.get(person.get_absolute_url()).status_code == 404
    assert "Phụng" not in client.get(reverse("registry:person-list")).content.decode()


def test_the_split_of_a_name_can_be_corrected_with_the_same_words(client, world):
    person = world.household.head
    client.force_login(world.hamlet_head)
    data = {"full_name": "Nguyễn Văn Phụng", "birth": "17/05/1970", "sex": "m", "ethnicity": "Kinh"}

    wrong = client.post(
        reverse("registry:person-edit", args=[person.pk]),
        {**data, "family_name": "Nguyễn", "middle_name": "", "given_name": "Phong"},
    )
    right = client.post(
        reverse("registry:person-edit", args=[person.pk]),
        {**data, "family_name": "Nguyễn", "middle_name": "", "given_name": "Văn Phụng"},
    )

    assert wrong.status_code == 200
    assert right.status_code == 302
    person.refresh_from_db()
    assert (person.family_name, person.middle_name, person.given_name) == (
        "Nguyễn",
        "",
        "Văn Phụng",
    )


def test_an_immunisation_and_a_policy_group_are_recorded_from_the_person_page(client, world):
    child = world.household.members.get(full_name="Nguyễn Văn An")
    client.force_login(world.hamlet_head)

    client.post(
        reverse("registry:immunisation-add", args=[child.pk]),
        {"vaccine": "measles", "dose": 1, "given_on": "01/06/2010"},
    )
    client.post(reverse("registry:benefit-add", args=[child.pk]), {"kind": "orphan"})

    page = client.get(child.get_absolute_url()).content.decode()
    assert child.immunisations.get().vaccine == "measles"
    assert child.benefits.get().kind == "orphan"
    assert "Sởi" in page


def test_an_immunisation_whose_date_is_not_known_is_recorded_without_one(client, world):
    child = world.household.members.get(full_name="Nguyễn Văn An")
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:immunisation-add", args=[child.pk]), {"vaccine": "measles", "dose": 2}
    )

    assert response.url == child.get_absolute_url()
    shot = child.immunisations.get()
    assert (shot.vaccine, shot.dose, shot.given_on) == ("measles", 2, None)
    assert AuditEntry.objects.get(verb="registry.immunisation").changes == {
        "immunisation": [None, "Sởi (2)"]
    }
    assert "Sởi" in client.get(child.get_absolute_url()).content.decode()


def test_the_list_of_a_past_day_follows_where_people_lived_then(client, world):
    from langso.registry import actions

    son = world.household.members.get(full_name="Nguyễn Văn An")
    actions.split_household(
        world.household, head=son, members=[], acting_user=None, on=date(2026, 1, 1),
        unit=world.other_hamlet,
    )  # fmt: skip
    client.force_login(world.official)

    before = client.get(
        reverse("registry:person-list"), {"as_of": "01/06/2025", "unit": world.hamlet.pk}
    )
    after = client.get(
        reverse("registry:person-list"), {"as_of": "01/06/2026", "unit": world.hamlet.pk}
    )

    assert "Nguyễn Văn An" in before.content.decode()
    assert "Nguyễn Văn An" not in after.content.decode()
