"""Accounts and roles. Granting is bounded by the granter's own subtree."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from langso.accounts import lockout, two_factor
from langso.accounts.access import can, forget_roles, users_for_user
from langso.accounts.models import AuditEntry, RoleAssignment, User
from langso.accounts.roles import ROLE_UNIT_KINDS, Capability, Role
from langso.places.models import Unit


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    acting_user: User | None,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    role: str | None = None,
    unit: Unit | None = None,
    is_demo: bool = False,
) -> User:
    """Create an account, and give it its first role when `role` and `unit` are given.

    An account an administrator creates must change the password they chose at its first
    login; accounts created with no acting user (the demo, set-up scripts) keep theirs.
    """
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        email=email,
        is_demo=is_demo,
        must_change_password=acting_user is not None,
    )
    user.set_password(password)
    user.save()
    AuditEntry.objects.record(acting_user, "user.create", target=user, unit=unit)
    if role:
        if unit is None:
            raise ValueError("A role is granted at a unit: give `unit` with `role`.")
        grant_role(user, role=role, unit=unit, acting_user=acting_user)
    return user


@transaction.atomic
def grant_role(user: User, *, role: str, unit: Unit, acting_user: User | None) -> RoleAssignment:
    """Give `user` `role` at `unit`; the acting user must administer `unit`."""
    if acting_user is not None and not can(acting_user, Capability.GRANT_ROLES, unit):
        raise PermissionDenied(_("You can only grant roles inside your own unit."))
    role = Role(role)
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        raise ValidationError(
            _("The role “%(role)s” cannot be held at a %(kind)s.")
            % {"role": role.label, "kind": unit.get_kind_display().lower()}
        )
    if not unit.is_current():
        raise ValidationError(_("%(unit)s is no longer in force.") % {"unit": unit})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": acting_user}
    )
    if created:
        AuditEntry.objects.record(
            acting_user, "role.grant", target=user, unit=unit, changes={"role": [None, role]}
        )
        forget_roles(user)
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, acting_user: User) -> None:
    if not can(acting_user, Capability.GRANT_ROLES, assignment.unit):
        raise PermissionDenied(_("You can only revoke roles inside your own unit."))
    AuditEntry.objects.record(
        acting_user,
        "role.revoke",
        target=assignment.user,
        unit=assignment.unit,
        changes={"role": [assignment.role, None]},
    )
    assignment.delete()
    forget_roles(assignment.user)


def _check_administers(acting_user: User, account: User) -> None:
    if not users_for_user(acting_user).filter(pk=account.pk).exists():
        raise PermissionDenied(_("You can only manage accounts inside your own unit."))


@transaction.atomic
def unlock_account(account: User, *, acting_user: User) -> int:
    """Lift `account`'s lockout after failed logins, from every address."""
    _check_administers(acting_user, account)
    attempts = lockout.unlock(account)
    AuditEntry.objects.record(
        acting_user, "user.unlock", target=account, changes={"failed_attempts": [attempts, 0]}
    )
    return attempts


# Letters and digits that cannot be mistaken for one another when read out or copied.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """A one-time password to read to someone: three groups of four, about 59 bits."""
    groups = ("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


@transaction.atomic
def reset_password(account: User, *, acting_user: User) -> str:
    """Give `account` a temporary password, to be changed at its next login; return it.

    The account's lockout is lifted too, so that the temporary password works at once.
    """
    _check_administers(acting_user, account)
    password = temporary_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    lockout.unlock(account)
    AuditEntry.objects.record(acting_user, "user.password_reset", target=account)
    return password


@transaction.atomic
def set_own_password(user: User, password: str, *, how: str) -> None:
    """`user` chose a new password (`how`: "change" or "email"): the temporary one is gone."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    AuditEntry.objects.record(user, f"user.password_{how}", target=user)


@transaction.atomic
def enrol_two_factor(user: User, *, key: str, last_t: int) -> list[str]:
    """Store `user`'s authenticator (the secret they scanned and confirmed with a code at
    time step `last_t`) and new backup codes; return the codes, to be shown once."""
    two_factor.reset(user)
    TOTPDevice.objects.create(
        user=user, name="authenticator", key=key, confirmed=True, last_t=last_t
    )
    codes = two_factor.new_backup_codes(user)
    AuditEntry.objects.record(user, "user.two_factor_on", target=user)
    return codes


@transaction.atomic
def renew_backup_codes(user: User) -> list[str]:
    """New backup codes for `user` (the old ones stop working); return them."""
    codes = two_factor.new_backup_codes(user)
    AuditEntry.objects.record(user, "user.backup_codes", target=user)
    return codes


@transaction.atomic
def reset_two_factor(account: User, *, acting_user: User) -> None:
    """A commune administrator forgets `account`'s authenticator (a lost phone): at the
    next login they enrol again, and no remembered browser skips the code any more."""
    _check_administers(acting_user, account)
    if account.pk == acting_user.pk:
        raise PermissionDenied(_("Ask another administrator to reset your own two factors."))
    two_factor.reset(account)
    AuditEntry.objects.record(acting_user, "user.two_factor_reset", target=account)
