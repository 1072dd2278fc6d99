"""How notices reach a person, for the resident's data report."""

from django.utils.translation import gettext_lazy as _

from langso.notices.models import Reach
from langso.registry.person_data import PersonDataSection, register


def facts(person):
    reach = Reach.objects.filter(person=person).first()
    if reach is None:
        return []
    return [
        (_("channels"), ", ".join(reach.channels) or "—"),
        (_("Zalo phone number"), reach.zalo_phone or "—"),
        (_("phone number for SMS"), reach.sms_phone or "—"),
        (_("e-mail"), reach.email or "—"),
    ]


def register_section() -> None:
    register(PersonDataSection(key="notices", title=_("How to reach"), order=40, facts=facts))
