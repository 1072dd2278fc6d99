"""Who sees what (issue 16, item 6): the leader their own organisation, a branch head their
branch, commune officials and the party committee read all, a member their own
membership and loans; the leader of another organisation, the head of another branch and
an outsider get 404, exactly like a missing page."""

from datetime import date

import pytest
from django.urls import reverse

from langso.accounts.roles import Role
from langso.associations import actions
from langso.registry.models import Person
from langso.test import make_user


@pytest.fixture
def scene(assoc):
    hung = Person.objects.get(full_name="Lê Văn Hùng")
    assoc.other_member = actions.add_member(
        assoc.women, hung, acting_user=None, joined_on=date(2020, 1, 1), branch=assoc.other_branch
    )
    assoc.fund = actions.create_fund(
        assoc.farmers,
        acting_user=None,
        name="Quỹ chăn nuôi bò",
        source="Quỹ Hỗ trợ nông dân tỉnh",
        amount=300_000_000,
        received_on=date(2025, 1, 10),
    )
    assoc.loan = actions.make_loan(
        assoc.fund,
        assoc.thuy_person,
        acting_user=None,
        amount=20_000_000,
        purpose="Mua bò giống",
        lent_on=date(2025, 2, 1),
        term_months=24,
    )
    return assoc


def url(name, obj):
    return reverse(f"associations:{name}", args=[obj.pk])


def test_the_leader_manages_her_own_organisation_and_not_another(client, scene):
    client.force_login(scene.leader)
    page = client.get(url("organisation-detail", scene.women))
    assert "Chi hội Bình Chiến" in page.content.decode()
    assert "Chi hội Đồng Tâm" in page.content.decode()
    assert client.get(url("organisation-detail", scene.farmers)).status_code == 404
    assert client.get(url("fund-detail", scene.fund)).status_code == 404
    assert client.get(url("loan-detail", scene.loan)).status_code == 404
    assert client.get(url("member-add", scene.other_branch)).status_code == 200


def test_a_branch_head_reaches_her_branch_only(client, scene):
    client.force_login(scene.branch_head)
    page = client.get(url("branch-detail", scene.branch)).content.decode()
    assert "Trần Thị Thuỷ" in page
    assert client.get(url("branch-detail", scene.other_branch)).status_code == 404
    assert client.get(url("member-detail", scene.other_member)).status_code == 404
    assert client.get(url("member-add", scene.other_branch)).status_code == 404
    # The organisation's page shows her only her branch, and no commune figures.
    page = client.get(url("organisation-detail", scene.women)).content.decode()
    assert "Chi hội Bình Chiến" in page and "Chi hội Đồng Tâm" not in page
    assert 'id="rates"' not in page
    assert client.get(url("dues", scene.women)).status_code == 404


def test_a_branch_head_of_another_hamlet_gets_404(client, scene):
    other_head = make_user("chihoi2", "Lê Thị Hằng", Role.BRANCH_HEAD, scene.world.other_hamlet)
    # Appointed to Bình Chiến's branch, but her role is held in Đồng Tâm: it does not reach.
    actions.appoint_officer(
        other_head, acting_user=None, organisation=scene.women, branch=scene.branch
    )
    client.force_login(other_head)
    assert client.get(url("branch-detail", scene.branch)).status_code == 404


def test_commune_officials_and_the_party_committee_read_everything(client, scene):
    committee = make_user("danguy", "Lê Văn Thắng", Role.PARTY_COMMITTEE, scene.world.commune)
    for user in (scene.world.official, committee):
        client.force_login(user)
        assert (
            "Quỹ chăn nuôi bò"
            in client.get(url("organisation-detail", scene.farmers)).content.decode()
        )
        assert client.get(url("loan-detail", scene.loan)).status_code == 200
        # Reading is not managing.
        assert client.get(url("member-add", scene.branch)).status_code == 404


def test_a_member_sees_her_own_membership_and_loan(client, scene):
    client.force_login(scene.thuy_user)
    mine = client.get(reverse("associations:mine")).content.decode()
    assert "Hội LHPN xã Tân Lập" in mine and "Quỹ chăn nuôi bò" in mine
    assert "PN-001" in client.get(url("member-detail", scene.thuy)).content.decode()
    assert "20000000" in client.get(url("loan-detail", scene.loan)).content.decode()
    assert client.get(url("member-detail", scene.other_member)).status_code == 404
    assert client.get(url("organisation-detail", scene.women)).status_code == 404
    assert client.get(url("fund-detail", scene.fund)).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "viewer", "hamlet_head"])
def test_an_outsider_gets_404_everywhere(client, scene, persona):
    client.force_login(getattr(scene.world, persona))
    for name, obj in [
        ("organisation-detail", scene.women),
        ("branch-detail", scene.branch),
        ("member-detail", scene.thuy),
        ("fund-detail", scene.fund),
        ("loan-detail", scene.loan),
        ("dues", scene.women),
    ]:
        assert client.get(url(name, obj)).status_code == 404, name
    home = client.get(reverse("associations:home"))
    # The outsider reads the associations of his own commune: none of Tân Lập's.
    assert home.status_code == 404 or "Hội LHPN xã Tân Lập" not in home.content.decode()
    assert (home.status_code == 200) == (persona == "outsider")


def test_another_communes_leader_gets_404(client, scene):
    client.force_login(scene.far_leader)
    assert client.get(url("organisation-detail", scene.women)).status_code == 404
    assert client.get(url("branch-detail", scene.branch)).status_code == 404
