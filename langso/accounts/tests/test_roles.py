"""An administrator grants roles only inside their own subtree."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from langso.accounts import actions
from langso.accounts.models import AuditEntry, RoleAssignment, User
from langso.accounts.roles import Role


def test_the_admin_grants_a_role_inside_the_commune(world):
    actions.grant_role(
        world.viewer, role=Role.HAMLET_HEAD, unit=world.other_hamlet, acting_user=world.admin
    )

    assert RoleAssignment.objects.filter(
        user=world.viewer, role=Role.HAMLET_HEAD, unit=world.other_hamlet
    ).exists()
    assert AuditEntry.objects.filter(verb="role.grant", actor=world.admin).exists()


def test_the_admin_cannot_grant_outside_the_commune(world):
    with pytest.raises(PermissionDenied):
        actions.grant_role(
            world.viewer, role=Role.VIEWER, unit=world.other_commune, acting_user=world.admin
        )


def test_an_official_without_the_admin_role_cannot_grant(world):
    with pytest.raises(PermissionDenied):
        actions.grant_role(
            world.viewer, role=Role.VIEWER, unit=world.hamlet, acting_user=world.official
        )


def test_a_role_is_refused_at_a_unit_of_the_wrong_kind(world):
    with pytest.raises(ValidationError):
        actions.grant_role(
            world.viewer, role=Role.HAMLET_HEAD, unit=world.commune, acting_user=world.admin
        )


def test_the_grant_form_offers_only_units_of_the_admins_commune(client, world):
    client.force_login(world.admin)

    page = client.get(reverse("accounts:user-create"))

    offered = set(page.context["role_form"].fields["unit"].queryset)
    assert world.hamlet in offered and world.commune in offered
    assert world.far_hamlet not in offered and world.other_commune not in offered


def test_the_admin_creates_an_account_with_its_first_role(client, world):
    client.force_login(world.admin)

    response = client.post(
        reverse("accounts:user-create"),
        {
            "username": "truongthon2",
            "full_name": "Lê Thị Mai",
            "password": "mot-mat-khau-dai-2025",
            "role": Role.HAMLET_HEAD,
            "unit": world.other_hamlet.pk,
        },
    )

    user = User.objects.get(username="truongthon2")
    assert response.status_code == 302
    assert user.check_password("mot-mat-khau-dai-2025")
    assert user.role_assignments.get().unit == world.other_hamlet


def test_a_forged_unit_outside_the_subtree_is_refused_and_nothing_is_created(client, world):
    client.force_login(world.admin)

    response = client.post(
        reverse("accounts:user-create"),
        {
            "username": "gian",
            "full_name": "Kẻ Gian",
            "password": "mot-mat-khau-dai-2025",
            "role": Role.VIEWER,
            "unit": world.other_commune.pk,
        },
    )

    assert response.status_code == 200
    assert 'value="gian"' in response.content.decode()
    assert not User.objects.filter(username="gian").exists()


def test_the_admin_revokes_a_role_after_confirming(client, world):
    client.force_login(world.admin)
    assignment = world.hamlet_head.role_assignments.get()

    assert client.get(reverse("accounts:role-revoke", args=[assignment.pk])).status_code == 405
    client.post(reverse("accounts:role-revoke", args=[assignment.pk]))

    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_outsider_cannot_revoke_a_role_of_another_commune(client, world):
    client.force_login(world.outsider)
    assignment = world.hamlet_head.role_assignments.get()

    assert client.post(reverse("accounts:role-revoke", args=[assignment.pk])).status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_user_list_shows_only_accounts_of_the_admins_units(client, world):
    client.force_login(world.admin)

    users = set(client.get(reverse("accounts:user-list")).context["users"])

    assert world.hamlet_head in users and world.viewer in users
    assert world.outsider not in users


def test_a_hamlet_head_has_no_account_pages(client, world):
    client.force_login(world.hamlet_head)

    assert client.get(reverse("accounts:user-list")).status_code == 403
