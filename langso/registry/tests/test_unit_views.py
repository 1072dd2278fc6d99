"""The unit pages: a hamlet at a glance, and the commune managing its hamlets in the UI."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from langso.places.models import Unit


@pytest.fixture(autouse=True)
def mid_2026():
    """Merges in these tests are dated early in 2026: in the past, whatever the clock says."""
    with time_machine.travel(date(2026, 6, 15)):
        yield


def url(name, unit):
    return reverse(f"units:{name}", args=[unit.pk])


def test_the_hamlet_head_sees_their_hamlet_with_figures_and_households(client, world):
    client.force_login(world.hamlet_head)

    response = client.get(url("unit-detail", world.hamlet))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thôn Bình Chiến" in page
    assert "Nguyễn Văn Phụng" in page  # head of the household in Tổ 1
    assert response.context["figures"]["households"] == 1
    assert response.context["figures"]["residents"] == 3
    assert "Rename" not in page and "Đổi tên" not in page  # a hamlet head does not manage units


def test_the_hamlet_head_cannot_see_another_hamlet(client, world):
    client.force_login(world.hamlet_head)

    assert client.get(url("unit-detail", world.other_hamlet)).status_code == 404
    assert client.get(url("unit-detail", world.commune)).status_code == 404


def test_the_commune_page_compares_its_hamlets(client, world):
    client.force_login(world.official)

    response = client.get(url("unit-detail", world.commune))

    children = {child.name: child.figures for child in response.context["children"]}
    assert children["Bình Chiến"]["residents"] == 3
    assert children["Đồng Tâm"]["households"] == 1
    assert response.context["figures"]["households"] == 2


def test_an_official_creates_a_hamlet(client, world):
    client.force_login(world.official)

    response = client.post(
        url("unit-create", world.commune), {"name": "Đồng Sơn", "type_name": "thôn"}
    )

    hamlet = Unit.objects.get(name="Đồng Sơn")
    assert response.status_code == 302
    assert response.url == hamlet.get_absolute_url()
    assert hamlet.parent == world.commune
    assert hamlet.kind == Unit.Kind.HAMLET


def test_a_wrong_form_keeps_what_the_user_typed(client, world):
    client.force_login(world.official)

    response = client.post(
        url("unit-create", world.commune), {"name": "Bình Chiến", "type_name": "thôn"}
    )

    assert response.status_code == 200
    assert 'value="Bình Chiến"' in response.content.decode()
    assert Unit.objects.filter(name="Bình Chiến").count() == 1


def test_an_official_renames_a_group(client, world):
    client.force_login(world.official)

    client.post(url("unit-rename", world.group), {"name": "Tổ Đoàn Kết", "type_name": "tổ"})

    world.group.refresh_from_db()
    assert world.group.name == "Tổ Đoàn Kết"


def test_an_official_merges_a_hamlet_and_the_old_one_shows_its_history(client, world):
    client.force_login(world.official)

    response = client.post(
        url("unit-merge", world.other_hamlet), {"into": world.hamlet.pk, "on": "01/01/2026"}
    )

    assert response.status_code == 302
    world.other_hamlet.refresh_from_db()
    assert world.other_hamlet.successor == world.hamlet
    commune_page = client.get(url("unit-detail", world.commune))
    assert world.other_hamlet in commune_page.context["former_children"]
    old_page = client.get(url("unit-detail", world.other_hamlet)).content.decode()
    assert "01/01/2026" in old_page


def test_retiring_a_hamlet_with_households_points_to_merging(client, world):
    client.force_login(world.official)

    page = client.get(url("unit-retire", world.other_hamlet))

    assert page.context["blockers"]
    assert url("unit-merge", world.other_hamlet) in page.content.decode()


def test_retire_asks_for_confirmation_then_retires(client, world):
    client.force_login(world.official)
    empty = Unit.objects.create(
        kind=Unit.Kind.HAMLET,
        type_name="thôn",
        name="Trống",
        parent=world.commune,
        path=world.commune.path + "/h09",
    )

    confirm = client.get(url("unit-retire", empty))
    response = client.post(url("unit-retire", empty), {"on": "01/12/2026"})

    assert confirm.status_code == 200 and not confirm.context["blockers"]
    assert response.status_code == 302
    empty.refresh_from_db()
    assert empty.valid_to.isoformat() == "2026-12-01"


@pytest.mark.parametrize("name", ["unit-create", "unit-rename", "unit-merge", "unit-retire"])
def test_a_hamlet_head_and_a_viewer_cannot_manage_units(client, world, name):
    for user in (world.hamlet_head, world.viewer):
        client.force_login(user)
        assert client.get(url(name, world.group)).status_code == 404


def test_dates_are_day_first_in_both_languages_and_forms_take_dd_mm_yyyy(client, world):
    """domain.md §3: dates are written dd/mm/yyyy; forms accept that input."""
    client.force_login(world.official)
    client.post(
        url("unit-merge", world.other_hamlet), {"into": world.hamlet.pk, "on": "05/02/2026"}
    )

    vietnamese = client.get(url("unit-detail", world.other_hamlet)).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(url("unit-detail", world.other_hamlet)).content.decode()

    assert "05/02/2026" in vietnamese and "Không còn hiệu lực" in vietnamese
    assert "05/02/2026" in english and "No longer in force since 05/02/2026" in english
