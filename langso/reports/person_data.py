"""What the lists hold about a person (military review, voter exclusions), for the
resident's data report."""

from django.utils.translation import gettext_lazy as _

from langso.registry.person_data import PersonDataSection, register
from langso.reports.models import MilitaryStatus, VoterExclusion


def facts(person):
    found = [
        (_("Military service review %(year)s") % {"year": status.year}, status.get_status_display())
        for status in MilitaryStatus.objects.filter(person=person).order_by("year")
    ]
    for exclusion in VoterExclusion.objects.filter(person=person).order_by("since"):
        until = f" – {exclusion.until:%d/%m/%Y}" if exclusion.until else ""
        found.append(
            (
                _("Not on voter lists"),
                f"{exclusion.get_reason_display()}, {exclusion.since:%d/%m/%Y}{until}",
            )
        )
    return found


def register_section() -> None:
    register(PersonDataSection(key="reports", title=_("Lists"), order=20, facts=facts))
