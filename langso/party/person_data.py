"""What the party handbook holds about a person, for the resident's data report."""

from django.utils.translation import gettext_lazy as _

from langso.party.models import Member
from langso.registry.person_data import PersonDataSection, register


def facts(person):
    member = Member.objects.filter(person=person).select_related("organisation").first()
    if member is None:
        return []
    return [
        (_("party cell"), member.organisation),
        (_("party card number"), member.card_number or "—"),
        (_("admitted on"), member.admitted_on),
        (_("full member since"), member.full_member_on or "—"),
        (_("status"), member.get_status_display()),
        (_("position"), member.get_position_display()),
    ]


def register_section() -> None:
    register(PersonDataSection(key="party", title=_("Party membership"), order=30, facts=facts))
