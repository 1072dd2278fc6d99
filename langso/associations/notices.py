"""Associations and their branches as audiences of notices (langso.notices.audiences).

A notice to an organisation reaches its current members; to a branch, the current members
of the branch and of its small groups. Those who lead them (langso.associations.access)
address them and send in their name; a member no channel reaches is told in person by
the keeper of the branch addressed (its branch head), not by the hamlet head.
"""

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from langso.notices import audiences
from langso.registry.models import Person

ORGANISATION = "association"  # notices keep keys of at most 15 characters
BRANCH = "assoc_branch"


def _organisation(target_id: int):
    from langso.associations.models import Organisation

    return Organisation.objects.select_related("unit").filter(pk=target_id).first()


def _branch(target_id: int):
    from langso.associations.models import Branch

    return Branch.objects.select_related("unit").filter(pk=target_id).first()


def _organisation_people(target_id: int):
    return Person.objects.filter(
        association_members__organisation_id=target_id,
        association_members__left_on__isnull=True,
    ).distinct()


def _branch_people(target_id: int):
    return Person.objects.filter(
        Q(association_members__branch_id=target_id)
        | Q(association_members__branch__parent_id=target_id),
        association_members__left_on__isnull=True,
    ).distinct()


def _branch_tellers(person_ids: Iterable[int]) -> dict[int, int]:
    from langso.associations.models import Member

    rows = (
        Member.objects.filter(person_id__in=list(person_ids), left_on__isnull=True)
        .exclude(branch=None)
        .values_list("person_id", "branch_id", "branch__parent_id")
        .order_by()
    )
    return {person: parent or branch for person, branch, parent in rows}


def register() -> None:
    from langso.associations.access import managed_branches, managed_organisations

    audiences.register(
        ORGANISATION,
        audiences.AudienceKind(
            label=_("Members of an association"),
            targets=managed_organisations,
            get=_organisation,
            people=_organisation_people,
        ),
    )
    audiences.register(
        BRANCH,
        audiences.AudienceKind(
            label=_("Members of an association branch"),
            targets=managed_branches,
            get=_branch,
            people=_branch_people,
            tellers=_branch_tellers,
        ),
    )
