"""Findings the commune records about people for its lists; each is audited."""

from django.db import transaction

from langso.accounts.models import AuditEntry
from langso.reports.models import MilitaryStatus, VoterExclusion


@transaction.atomic
def record_military_status(person, *, acting_user, year, status, note=""):
    """The year's finding of the military-service review for `person` (one per year)."""
    record, _created = MilitaryStatus.objects.update_or_create(
        person=person,
        year=year,
        defaults={"status": status, "note": note, "recorded_by": acting_user},
    )
    AuditEntry.objects.record(
        acting_user,
        "reports.military_status",
        target=person,
        unit=person.household.unit,
        changes={"military_status": [None, f"{year}: {status}"]},
    )
    return record


@transaction.atomic
def exclude_voter(person, *, acting_user, reason, since, until=None, note=""):
    """Leave `person` off voter lists from `since` (until `until`), for a legal reason."""
    record = VoterExclusion.objects.create(
        person=person, reason=reason, since=since, until=until, note=note, recorded_by=acting_user
    )
    AuditEntry.objects.record(
        acting_user,
        "reports.voter_exclusion",
        target=person,
        unit=person.household.unit,
        changes={"voter_exclusion": [None, reason]},
    )
    return record
