"""The party tree of the test world, and people to admit into it.

`party` adds to `world` (langso/test.py) the commune committee of Tân Lập with the
cells of Bình Chiến and Đồng Tâm, and the committee and cell of the other commune.
Everything is built with the project's own actions.
"""

from datetime import date

import pytest

from langso.party import actions
from langso.party.models import Organisation
from langso.registry import actions as registry
from langso.test import make_party_tree, make_user

PASSWORD = "mat-khau-dang-vien-2026"


class Party:
    def __init__(self, world):
        self.world = world
        self.committee, self.cell, self.other_cell = make_party_tree(world)
        self.far_committee = actions.create_organisation(
            acting_user=None,
            name="Đảng bộ xã Chiềng Hặc",
            kind=Organisation.Kind.COMMITTEE,
            unit=world.other_commune,
        )
        self.far_cell = actions.create_organisation(
            acting_user=None,
            name="Chi bộ bản Hụm",
            kind=Organisation.Kind.CELL,
            unit=world.far_hamlet,
            parent=self.far_committee,
        )

    def household_of(self, cell):
        """A household living where `cell` is, for its members to come from."""
        return {
            self.cell.pk: self.world.household,
            self.other_cell.pk: self.world.other_household,
            self.far_cell.pk: self.world.far_household,
        }[cell.pk]

    def person(self, full_name, born, *, cell=None, sex="m"):
        """A resident registered through the registry, living where `cell` is."""
        household = self.household_of(cell or self.cell)
        return registry.register_person(
            household,
            acting_user=None,
            on=max(date(2010, 1, 1), born),
            relationship="Con",
            full_name=full_name,
            sex=sex,
            birth_date=born,
        )

    def member(
        self,
        full_name,
        *,
        cell=None,
        born=date(1985, 6, 15),
        admitted_on=date(2015, 9, 2),
        no_phone=False,
    ):
        """A probationary member admitted through `admit_member`."""
        cell = cell or self.cell
        return actions.admit_member(
            self.person(full_name, born, cell=cell),
            acting_user=None,
            organisation=cell,
            admitted_on=admitted_on,
            no_phone=no_phone,
        )

    def member_with_account(self, full_name, username, **kwargs):
        """A member holding the phone account `create_member_account` gives."""
        member = self.member(full_name, **kwargs)
        actions.create_member_account(
            member, acting_user=None, username=username, password=PASSWORD
        )
        member.refresh_from_db()
        return member

    def user(self, username, full_name, role=None, unit=None):
        return make_user(username, full_name, role, unit)


@pytest.fixture
def party(world):
    return Party(world)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a throwaway folder, not the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
