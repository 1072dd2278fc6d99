"""The signed-in home page: each role starts at the units it reaches, at a glance."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from langso.accounts.models import User

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def mid_june():
    with time_machine.travel(TODAY):
        yield


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_outsider_sees_their_own_commune_only(client, world):
    client.force_login(world.outsider)

    home = client.get(reverse("home")).content.decode()

    assert "Chiềng Hặc" in home
    assert "Tân Lập" not in home


def test_the_hamlet_head_sees_their_hamlet_figures_to_do_and_charts(client, world):
    client.force_login(world.hamlet_head)

    response = client.get(reverse("home"))

    page = response.content.decode()
    [panel] = response.context["panels"]
    assert panel["unit"] == world.hamlet
    assert panel["figures"]["households"] == 1
    assert panel["figures"]["residents"] == 3
    assert [child for child, _figures in panel["children"]] == [world.group]
    assert "Việc cần làm" in page
    # Nguyễn Văn An, born 2009, is a man who turns 17 this year.
    turning_17 = panel["to_do"][2]
    assert turning_17["count"] == 1
    assert page.count("<svg") >= 2  # the age pyramid and the groups' insurance coverage
    assert reverse("reports:indicators", args=[world.hamlet.pk]) in page


def test_the_official_compares_the_hamlets_of_the_commune(client, world):
    client.force_login(world.official)

    response = client.get(reverse("home"))

    [panel] = response.context["panels"]
    children = {child.name: figures for child, figures in panel["children"]}
    assert panel["figures"]["households"] == 2
    assert children["Bình Chiến"]["residents"] == 3
    assert children["Đồng Tâm"]["households"] == 1
    assert "to_do" not in panel  # a commune has no hamlet head's list


def test_a_party_member_sees_no_resident_figures(client, world):
    client.force_login(world.party_member)

    response = client.get(reverse("home"))

    assert response.context["panels"] == []
    assert "Nguyễn Văn Phụng" not in response.content.decode()
    assert "Đảng viên — Thôn Bình Chiến" in response.content.decode()  # their role, listed


def test_an_account_without_a_role_is_told_whom_to_ask(client, db):
    user = User.objects.create_user("moi", password="x", full_name="Người Mới")
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    assert "Tài khoản của bạn chưa có vai trò" in page
    assert "Xin chào, Người Mới" in page


def test_the_menu_shows_only_what_the_roles_allow(client, world):
    client.force_login(world.hamlet_head)
    head = client.get(reverse("home")).content.decode()
    client.force_login(world.admin)
    admin = client.get(reverse("home")).content.decode()

    users = reverse("accounts:user-list")
    assert reverse("registry:person-list") in head
    assert users not in head
    assert users in admin


def test_the_menu_leads_to_campaigns_and_to_a_members_own_party_fee(client, world, party_world):
    client.force_login(world.hamlet_head)
    head = client.get(reverse("home")).content.decode()
    client.force_login(party_world.member.user)
    member = client.get(reverse("home")).content.decode()

    assert reverse("campaigns:campaign-list") in head
    assert reverse("campaigns:my-fee") not in head
    assert reverse("campaigns:my-fee") in member
