"""The in-person list as the hamlet head walks it (issue 12, item 13): by household, in
group and house-number order, the eldest first, children under 14 only when named, one
tap for a whole household, a page at a time on screen and one line per household to print."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from langso.notices import actions, delivery
from langso.notices.models import Audience, Recipient
from langso.registry import actions as registry
from langso.registry.models import Person
from langso.test import make_unit

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


def household(unit, number, head, born, members=()):
    made = registry.create_household(
        unit,
        acting_user=None,
        on=date(2010, 1, 1),
        house_number=number,
        address="đường Bản Mạ",
        head_fields={"full_name": head, "sex": "m", "birth_date": born},
    )
    for name, member_born in members:
        registry.register_person(
            made,
            acting_user=None,
            on=max(date(2010, 1, 1), member_born),
            relationship="Con",
            full_name=name,
            sex="f",
            birth_date=member_born,
        )
    return made


def send(world, audiences):
    """A notice to the hamlet, resolved and planned the way the background fan-out does."""
    notice = actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Lịch tiêm phòng dại cho chó, mèo",
        body="Sáng thứ Bảy, 8 giờ.",
        audiences=audiences,
    )
    delivery.resolve_recipients(notice)
    delivery.plan_deliveries(notice)
    return notice


@pytest.fixture
def walk(world):
    """Bình Chiến with two groups: numbers 12 and 3 in Tổ 1 (besides the world's own
    household), number 5 in Tổ 2, a family with a child of 6."""
    group2 = make_unit(world.hamlet, "group", "g02", "Tổ 2", "tổ")
    twelve = household(
        world.group, "12", "Hà Văn Mười", date(1980, 1, 1), [("Hà Thị Bà", date(1940, 5, 5))]
    )
    three = household(
        world.group, "3", "Lò Văn Ba", date(1990, 1, 1), [("Lò Thị Bé", date(2019, 6, 1))]
    )
    five = household(group2, "5", "Quàng Văn Năm", date(1975, 1, 1))
    return twelve, three, five


def test_the_list_is_by_household_in_group_and_house_number_order_eldest_first(client, world, walk):
    twelve, three, five = walk
    notice = send(world, [Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)])
    client.force_login(world.hamlet_head)

    with time_machine.travel(TODAY):
        page = client.get(reverse("notices:in-person", args=[notice.pk]))

    visits = page.context["visits"]
    in_group1 = [v.household for v in visits if v.unit == world.group]
    assert in_group1.index(three) < in_group1.index(twelve)  # 3 before 12, not "12" < "3"
    assert visits[-1].household == five  # Tổ 2 after Tổ 1
    by_household = {v.household: [r.person.full_name for r in v.recipients] for v in visits}
    assert by_household[twelve] == ["Hà Thị Bà", "Hà Văn Mười"]  # born 1940 before 1980
    assert by_household[world.household] == ["Nguyễn Văn Phụng", "Trần Thị Thuỷ", "Nguyễn Văn An"]
    text = page.content.decode()
    assert text.count('id="visit-') == len(visits) == 4  # one line per household


def test_children_under_14_are_left_out_unless_the_notice_names_them(client, world, walk):
    child = Person.objects.get(full_name="Lò Thị Bé")
    client.force_login(world.hamlet_head)
    to_all = send(world, [Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)])
    to_child = send(world, [Audience(kind=Audience.Kind.PERSON, person=child)])

    with time_machine.travel(TODAY):
        everyone = client.get(reverse("notices:in-person", args=[to_all.pk]))
        named = client.get(reverse("notices:in-person", args=[to_child.pk]))

    assert "Lò Thị Bé" not in everyone.content.decode()
    assert "Lò Văn Ba" in everyone.content.decode()
    assert "Lò Thị Bé" in named.content.decode()


def test_one_tap_ticks_the_whole_household(client, world, walk):
    twelve, _three, _five = walk
    notice = send(world, [Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)])
    client.force_login(world.hamlet_head)

    with time_machine.travel(TODAY):
        response = client.post(
            reverse("notices:household-told", args=[notice.pk, f"h{twelve.pk}"]),
            {"told": "1", "n": "2"},
            headers={"HX-Request": "true"},
        )

    told = Recipient.objects.filter(notice=notice, status=Recipient.Status.TOLD)
    assert sorted(told.values_list("person__full_name", flat=True)) == [
        "Hà Thị Bà",
        "Hà Văn Mười",
    ]
    assert {r.told_by for r in told} == {world.hamlet_head}
    text = response.content.decode()
    assert "☑" in text and "2/7" in text  # "Đã thông báo 2/7 người."


def test_another_hamlets_household_cannot_be_ticked(client, world, walk):
    notice = send(world, [Audience(kind=Audience.Kind.UNIT, unit=world.commune)])
    client.force_login(world.hamlet_head)
    url = reverse("notices:household-told", args=[notice.pk, f"h{world.other_household.pk}"])

    assert client.post(url, {"told": "1"}).status_code == 404
    assert not Recipient.objects.filter(status=Recipient.Status.TOLD).exists()


def test_the_screen_shows_a_page_of_households_and_the_print_view_all(client, world):
    for number in range(1, 36):
        household(world.group, str(number), f"Lò Văn Số {number}", date(1970, 1, 1))
    notice = send(world, [Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)])
    client.force_login(world.hamlet_head)
    url = reverse("notices:in-person", args=[notice.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})
    printed = client.get(url, {"all": "1"})

    assert len(first.context["visits"]) == 30
    assert len(second.context["visits"]) == 36 - 30
    assert printed.content.decode().count('id="visit-') == 36
