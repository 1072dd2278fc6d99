"""Unit pickers show each unit's path, grouped by hamlet, with a filter when long."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from langso.places.forms import UnitChoiceField
from langso.places.models import Unit
from langso.reports.models import Election
from langso.test import make_unit


def pages(world):
    election = Election.objects.create(name="Bầu cử", day=date(2026, 3, 15))
    return {
        "new household": (
            world.official,
            reverse("registry:household-create", args=[world.hamlet.pk]),
        ),
        # A commune's search narrows by hamlet only; a hamlet head's by group too.
        "search": (world.hamlet_head, reverse("registry:person-list")),
        "import": (world.official, reverse("registry:import-create")),
        "list": (world.official, reverse("reports:list", args=["voters"])),
        "polling areas": (
            world.official,
            reverse("reports:polling-areas", args=[election.pk, world.commune.pk]),
        ),
        "notice": (world.official, reverse("notices:notice-create")),
        "grant role": (world.admin, reverse("accounts:user-detail", args=[world.viewer.pk])),
    }  # fmt: skip


def test_the_field_labels_a_group_with_its_hamlet_and_groups_by_hamlet(world):
    field = UnitChoiceField(queryset=Unit.objects.within(world.commune))

    choices = list(field.choices)

    assert choices[1][1] == "Xã Tân Lập"
    groups = {label: [text for _value, text in options] for label, options in choices[2:]}
    assert groups == {
        "Thôn Bình Chiến": ["Thôn Bình Chiến", "Thôn Bình Chiến › Tổ 1"],
        "Thôn Đồng Tâm": ["Thôn Đồng Tâm"],
    }
    assert field.clean(str(world.group.pk)) == world.group


@pytest.mark.parametrize(
    "page", ["new household", "search", "import", "list", "polling areas", "notice", "grant role"]
)
def test_every_unit_picker_shows_the_hamlet_of_each_group(client, world, page):
    user, url = pages(world)[page]
    client.force_login(user)

    with translation.override("vi"):
        html = client.get(url).content.decode()

    assert "Thôn Bình Chiến › Tổ 1" in html, page
    assert re.search(r'<optgroup label="Thôn Bình Chiến">|<label>Thôn Bình Chiến</label>', html), (
        page
    )
    assert "data-unit-filter" not in html  # a short list needs no filter


def test_a_long_picker_gets_a_filter(client, world):
    for number in range(2, 16):
        make_unit(world.hamlet, Unit.Kind.GROUP, f"g{number:02d}", f"Tổ {number}", "tổ")
    client.force_login(world.hamlet_head)

    with translation.override("vi"):
        html = client.get(reverse("registry:person-list")).content.decode()

    assert "Thôn Bình Chiến › Tổ 15" in html
    assert re.search(r'<select name="unit"[^>]*data-unit-filter="[^"]+"', html)
    assert "js/unit-filter.js" in html
