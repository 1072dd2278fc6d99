"""Setting an organisation up on its pages (docs/associations.md, "Pages"): the commune's
administrator creates organisations and appoints their leaders, the leader edits her
organisation's rule (domain.md §8: local practice varies), creates branches, small groups
and funds, appoints branch heads and ends them after a confirmation; movements and their
results; ending a membership asks first. A wrong form comes back with what was typed;
the viewer and the outsider get 404 on every write."""

from datetime import date

import pytest
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.accounts.roles import Role
from langso.associations import actions
from langso.associations.models import (
    Branch,
    Fund,
    Member,
    Movement,
    MovementResult,
    Officer,
    Organisation,
)
from langso.test import make_user

pytestmark = pytest.mark.usefixtures("fixed_day")


def test_the_administrator_creates_an_organisation_with_its_kinds_rule(client, assoc):
    client.force_login(assoc.world.admin)
    home = client.get(reverse("associations:home")).content.decode()
    assert reverse("associations:organisation-create") in home
    url = reverse("associations:organisation-create")
    # No name: the form comes back with the kind chosen.
    page = client.post(url, {"name": "  ", "kind": "youth", "unit": assoc.world.commune.pk})
    assert page.status_code == 200
    assert 'value="youth" selected' in page.content.decode()
    assert not Organisation.objects.filter(kind="youth").exists()
    client.post(
        url, {"name": "Đoàn TNCS Hồ Chí Minh xã Tân Lập", "kind": "youth",
              "unit": assoc.world.commune.pk},
    )  # fmt: skip
    youth = Organisation.objects.get(kind="youth")
    assert (youth.min_age, youth.max_age, youth.unit) == (16, 30, assoc.world.commune)
    assert AuditEntry.objects.filter(verb="associations.organisation_created").exists()
    # An association leader does not create organisations.
    client.force_login(assoc.leader)
    assert client.get(url).status_code == 404


def test_the_leader_gives_her_organisation_its_own_rule(client, assoc):
    client.force_login(assoc.leader)
    url = reverse("associations:organisation-edit", args=[assoc.women.pk])
    form = {"name": "Hội LHPN xã Tân Lập", "min_age": "20", "max_age": "18", "sex": "f",
            "rule_source": "Nghị quyết của chi hội"}  # fmt: skip
    page = client.post(url, form)
    assert "Tuổi tối thiểu cao hơn tuổi tối đa." in page.content.decode()
    assert "Nghị quyết của chi hội" in page.content.decode()
    client.post(url, {**form, "min_age": "17", "max_age": ""})
    assoc.women.refresh_from_db()
    assert (assoc.women.min_age, assoc.women.max_age) == (17, None)
    assert assoc.women.rule_source == "Nghị quyết của chi hội"
    # The Farmers' Association is not hers.
    client.post(reverse("associations:organisation-edit", args=[assoc.farmers.pk]), form)
    assoc.farmers.refresh_from_db()
    assert assoc.farmers.min_age == 18


def test_branches_small_groups_and_a_fund(client, assoc):
    client.force_login(assoc.leader)
    page = client.get(reverse("associations:branch-create", args=[assoc.women.pk]))
    assert "Bình Chiến" in page.content.decode() and "Bản Hụm" not in page.content.decode()
    client.post(
        reverse("associations:branch-create", args=[assoc.women.pk]),
        {"name": "Chi hội Đồng Tâm 2", "unit": assoc.world.other_hamlet.pk},
    )
    assert Branch.objects.filter(name="Chi hội Đồng Tâm 2", unit=assoc.world.other_hamlet).exists()
    # A hamlet of another commune is not offered, and not taken.
    page = client.post(
        reverse("associations:branch-create", args=[assoc.women.pk]),
        {"name": "Chi hội Bản Hụm", "unit": assoc.world.far_hamlet.pk},
    )
    assert page.status_code == 200 and not Branch.objects.filter(name="Chi hội Bản Hụm").exists()
    # The branch head makes a small group of her branch, in one of its groups.
    client.force_login(assoc.branch_head)
    client.post(
        reverse("associations:small-group-create", args=[assoc.branch.pk]),
        {"name": "Tổ phụ nữ số 1", "unit": assoc.world.group.pk},
    )
    group = Branch.objects.get(name="Tổ phụ nữ số 1")
    assert (group.parent, group.organisation, group.unit) == (
        assoc.branch, assoc.women, assoc.world.group,
    )  # fmt: skip
    assert "Tổ phụ nữ số 1" in client.get(assoc.branch.get_absolute_url()).content.decode()
    # …but not of Đồng Tâm's branch.
    response = client.post(
        reverse("associations:small-group-create", args=[assoc.other_branch.pk]),
        {"name": "Tổ Đồng Tâm", "unit": assoc.world.other_hamlet.pk},
    )
    assert response.status_code == 404
    client.post(reverse("associations:branch-edit", args=[assoc.branch.pk]), {"name": "Chi hội 1"})
    assoc.branch.refresh_from_db()
    assert assoc.branch.name == "Chi hội 1"
    # The leader opens a revolving fund; a wrong amount keeps the name typed.
    client.force_login(assoc.leader)
    url = reverse("associations:fund-create", args=[assoc.women.pk])
    form = {"name": "Quỹ tín dụng phụ nữ", "source": "Hội LHPN huyện", "amount": "0",
            "received_on": "01/06/2026"}  # fmt: skip
    page = client.post(url, form)
    assert 'value="Quỹ tín dụng phụ nữ"' in page.content.decode()
    client.post(url, {**form, "amount": "50000000"})
    fund = Fund.objects.get(name="Quỹ tín dụng phụ nữ")
    assert fund.balance_on(date(2026, 6, 10)) == 50_000_000


def test_the_leader_appoints_a_branch_head_and_ends_the_office_after_confirming(client, assoc):
    head = make_user("chihoi2", "Lê Thị Hạnh", Role.BRANCH_HEAD, assoc.world.other_hamlet)
    stranger = make_user("khach", "Vi Văn Khách")
    client.force_login(assoc.leader)
    url = reverse("associations:officers", args=[assoc.women.pk])
    page = client.get(url).content.decode()
    assert "Lê Thị Hạnh" in page and "Vi Văn Khách" not in page
    # Heading Bình Chiến needs the role there: refused with the reason, choices kept.
    page = client.post(url, {"user": head.pk, "branch": assoc.branch.pk}).content.decode()
    assert "chưa giữ vai trò" in page
    assert not Officer.objects.filter(user=head).exists()
    client.post(url, {"user": head.pk, "branch": assoc.other_branch.pk})
    officer = Officer.objects.get(user=head)
    assert officer.branch == assoc.other_branch
    # The leader of the organisation is appointed by the administrator only.
    page = client.post(url, {"user": head.pk, "branch": ""}).content.decode()
    assert "Chỉ quản trị viên của xã" in page
    assert client.post(url, {"user": stranger.pk, "branch": ""}).status_code == 200
    # Ending asks first, and nothing changes until confirmed.
    end = reverse("associations:officer-end", args=[officer.pk])
    confirm = client.get(end).content.decode()
    assert "Lê Thị Hạnh" in confirm and "Kết thúc nhiệm vụ" in confirm
    assert Officer.objects.filter(pk=officer.pk).exists()
    client.post(end)
    assert not Officer.objects.filter(pk=officer.pk).exists()
    # The branch head cannot end the leader's office.
    client.force_login(assoc.branch_head)
    leader_office = Officer.objects.get(user=assoc.leader)
    end = reverse("associations:officer-end", args=[leader_office.pk])
    assert client.post(end).status_code == 404
    assert Officer.objects.filter(pk=leader_office.pk).exists()


def test_the_administrator_appoints_the_leader(client, assoc):
    new_leader = make_user("hoi2", "Đinh Thị Nga", Role.ASSOCIATION_LEADER, assoc.world.commune)
    client.force_login(assoc.world.admin)
    client.post(
        reverse("associations:officers", args=[assoc.farmers.pk]),
        {"user": new_leader.pk, "branch": ""},
    )
    assert Officer.objects.filter(user=new_leader, organisation=assoc.farmers, branch=None).exists()
    client.force_login(new_leader)
    page = client.get(assoc.farmers.get_absolute_url()).content.decode()
    assert reverse("associations:branch-create", args=[assoc.farmers.pk]) in page


def test_a_movement_and_its_results_per_branch(client, assoc):
    client.force_login(assoc.leader)
    client.post(
        reverse("associations:movement-create", args=[assoc.women.pk]),
        {"name": "Nhà sạch, vườn xanh", "measure": "hộ đăng ký", "goal": "100",
         "started_on": "01/01/2026", "ended_on": ""},
    )  # fmt: skip
    movement = Movement.objects.get(name="Nhà sạch, vườn xanh")
    url = reverse("associations:movement-detail", args=[movement.pk])
    client.force_login(assoc.branch_head)
    # Without her branch: refused, the count kept.
    page = client.post(url, {"branch": "", "on": "05/06/2026", "count": "23"}).content.decode()
    assert "Chọn chi hội của mình." in page and 'value="23"' in page
    client.post(url, {"branch": assoc.branch.pk, "on": "05/06/2026", "count": "23"})
    # Not Đồng Tâm's branch.
    client.post(url, {"branch": assoc.other_branch.pk, "on": "05/06/2026", "count": "9"})
    assert list(MovementResult.objects.values_list("branch", "count")) == [(assoc.branch.pk, 23)]
    client.force_login(assoc.world.official)
    page = client.get(url).content.decode()
    assert "23" in page and "Nhà sạch, vườn xanh" in page
    assert "Ghi kết quả" not in page  # a reader records nothing


def test_ending_a_membership_asks_first(client, assoc):
    client.force_login(assoc.branch_head)
    url = reverse("associations:member-end", args=[assoc.thuy.pk])
    form = {"on": "05/06/2026", "ending": "left", "note": "Chuyển đi làm ăn xa"}
    page = client.post(url, form).content.decode()
    assert "Trần Thị Thuỷ" in page and "05/06/2026" in page
    assoc.thuy.refresh_from_db()
    assert assoc.thuy.left_on is None
    # A wrong date comes back on the member's page with the note kept.
    page = client.post(url, {**form, "on": "31/02/2026"}).content.decode()
    assert "Chuyển đi làm ăn xa" in page
    client.post(url, {**form, "confirmed": "1"})
    assoc.thuy.refresh_from_db()
    assert (assoc.thuy.left_on, assoc.thuy.ending) == (date(2026, 6, 5), Member.Ending.LEFT)


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_the_viewer_and_the_outsider_change_nothing(client, assoc, who):
    movement = actions.create_movement(
        assoc.women, acting_user=None, name="Phong trào", started_on=date(2026, 1, 1),
        measure="hộ",
    )  # fmt: skip
    officer = Officer.objects.get(user=assoc.branch_head)
    client.force_login(getattr(assoc.world, who))
    posts = {
        reverse("associations:organisation-create"): {"name": "X", "kind": "youth",
                                                       "unit": assoc.world.commune.pk},
        reverse("associations:organisation-edit", args=[assoc.women.pk]): {"name": "X"},
        reverse("associations:branch-create", args=[assoc.women.pk]): {
            "name": "X", "unit": assoc.world.hamlet.pk},
        reverse("associations:small-group-create", args=[assoc.branch.pk]): {
            "name": "X", "unit": assoc.world.hamlet.pk},
        reverse("associations:branch-edit", args=[assoc.branch.pk]): {"name": "X"},
        reverse("associations:fund-create", args=[assoc.women.pk]): {
            "name": "X", "source": "X", "amount": "1", "received_on": "01/06/2026"},
        reverse("associations:officers", args=[assoc.women.pk]): {"user": assoc.leader.pk},
        reverse("associations:officer-end", args=[officer.pk]): {},
        reverse("associations:movement-create", args=[assoc.women.pk]): {
            "name": "X", "measure": "X", "started_on": "01/01/2026"},
        reverse("associations:movement-detail", args=[movement.pk]): {
            "on": "01/06/2026", "count": "1"},
    }  # fmt: skip
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert not Organisation.objects.filter(name="X").exists()
    assert not Branch.objects.filter(name="X").exists()
    assert not Fund.objects.exists() and not MovementResult.objects.exists()
    assert Officer.objects.filter(pk=officer.pk).exists()


def test_the_leader_changes_a_members_position_with_a_dated_event(client, assoc):
    """A member's position (domain of issue 16: chair, deputy, branch head, member) changes
    on her page; a branch head of another hamlet and the viewer cannot change it."""
    url = reverse("associations:member-position", args=[assoc.thuy.pk])
    for who in (assoc.world.viewer, assoc.world.outsider):
        client.force_login(who)
        assert client.post(url, {"position": "deputy", "on": "05/06/2026"}).status_code == 404
    assoc.thuy.refresh_from_db()
    assert assoc.thuy.position == Member.Position.MEMBER

    client.force_login(assoc.leader)
    page = client.get(assoc.thuy.get_absolute_url()).content.decode()
    assert "Thay đổi chức vụ" in page
    # A wrong date changes nothing and says why.
    page = client.post(url, {"position": "deputy", "on": "31/02/2026"}, follow=True)
    assert "Hãy chọn chức vụ và ngày." in page.content.decode()
    assoc.thuy.refresh_from_db()
    assert assoc.thuy.position == Member.Position.MEMBER
    page = client.post(url, {"position": "deputy", "on": "05/06/2026"}, follow=True)
    assert "Đã thay đổi chức vụ." in page.content.decode()
    assoc.thuy.refresh_from_db()
    assert assoc.thuy.position == Member.Position.DEPUTY
    event = assoc.thuy.events.last()
    assert event.on == date(2026, 6, 5) and "Phó" in event.note
    assert AuditEntry.objects.filter(verb__contains="member_position").exists()
