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


def test_a_new_head_whose_id_number_contradicts_the_record_is_warned_not_refused(client, world):
    """domain.md §2: digit 4 and digits 5–6 give sex and birth year; a mismatch is flagged."""
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:household-create", args=[world.group.pk]),
        {
            "unit": world.group.pk,
            "full_name": "Bùi Văn Lực",
            "birth": "12/12/1988",
            "sex": "m",
            "ethnicity": "Kinh",
            "on": "15/10/2026",
            "status": "permanent",
            "id_number": "003 189 012 348",  # no province 003; says a woman born in 1989
        },
        follow=True,
    )

    page = response.content.decode()
    head = Person.objects.get(full_name="Bùi Văn Lực")
    assert head.id_number == "003189012348" and head.household.head == head
    assert "Số định danh bắt đầu bằng 003, không phải mã tỉnh nào." in page
    assert "Theo số định danh, năm sinh là 1989; hồ sơ ghi 1988." in page
    assert "Theo số định danh, người mang số này là nữ." in page


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


def test_the_whole_household_moves_away_and_its_page_says_it_is_closed(client, world):
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:household-move-out", args=[world.household.pk]),
        {"on": "01/11/2026", "place": "Xã Mường Bú, Sơn La"},
        follow=True,
    )

    page = response.content.decode()
    world.household.refresh_from_db()
    assert world.household.closed_on == date(2026, 11, 1)
    assert not world.household.members.registered().exists()
    assert "Đã đóng hộ từ ngày 01/11/2026: không còn ai cư trú trong hộ." in page
    assert "Hộ này chưa có chủ hộ" not in page and "Cả hộ chuyển đi</a>" not in page


def test_the_birth_form_asks_no_old_id_card_number_and_takes_the_id_number_in_threes(client, world):
    client.force_login(world.hamlet_head)
    url = reverse("registry:birth", args=[world.household.pk])

    form = client.get(url).content.decode()
    client.post(
        url,
        {"full_name": "Nguyễn Gia Huy", "birth": "03/11/2026", "sex": "m", "relationship": "Con",
         "ethnicity": "Kinh", "id_number": "014 226 000 111"},
    )  # fmt: skip

    assert 'name="old_id_number"' not in form and 'name="id_number"' in form
    assert Person.objects.get(full_name="Nguyễn Gia Huy").id_number == "014226000111"


def test_a_birth_date_typed_on_the_numeric_keypad_is_read(client, world):
    """A phone's numeric keypad has no slash: 03112026 is 03/11/2026."""
    client.force_login(world.hamlet_head)

    client.post(
        reverse("registry:birth", args=[world.household.pk]),
        {"full_name": "Nguyễn Gia Huy", "birth": "03112026", "sex": "m", "relationship": "Con",
         "ethnicity": "Kinh"},
    )  # fmt: skip

    assert Person.objects.get(full_name="Nguyễn Gia Huy").birth_date == date(2026, 11, 3)


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
