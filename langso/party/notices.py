"""The party organisation as an audience of notices (langso.notices.audiences).

A notice to an organisation reaches the current members of it and of the cells
under it; those who manage the organisation (langso.party.access) address it,
send in its name and see its notices; a member no channel reaches is told in person
by the secretary of their own cell, not by the hamlet head.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from langso.notices import audiences
from langso.party.access import managed_organisations
from langso.party.models import Member, Organisation
from langso.registry.models import Person

KIND = "organisation"


def _get(target_id: int) -> Organisation | None:
    return Organisation.objects.select_related("unit").filter(pk=target_id).first()


def _people(target_id: int):
    organisation = Organisation.objects.get(pk=target_id)
    return Person.objects.filter(
        party_member__organisation__path__within=organisation.path,
        party_member__status__in=Member.CURRENT,
    )


def _cells(person_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Member.objects.filter(person_id__in=list(person_ids), status__in=Member.CURRENT)
        .values_list("person_id", "organisation_id")
        .order_by()
    )


def register() -> None:
    audiences.register(
        KIND,
        audiences.AudienceKind(
            label=_("Members of the party organisations"),
            targets=managed_organisations,
            get=_get,
            people=_people,
            tellers=_cells,
        ),
    )
