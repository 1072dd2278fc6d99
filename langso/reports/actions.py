"""Findings the commune records about people for its lists; each is audited."""

from datetime import date
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import ModelForm

from langso.accounts import sensitive
from langso.accounts.access import can
from langso.accounts.models import AuditEntry, User
from langso.accounts.roles import Capability
from langso.places.models import Unit
from langso.registry.models import Person
from langso.registry.signals import announce_change
from langso.reports.models import (
    Election,
    ExportJob,
    MilitaryStatus,
    PollingArea,
    VoterExclusion,
)
from langso.reports.tasks import export_list


@transaction.atomic
def record_military_status(
    person: Person, *, acting_user: User, year: int, status: str, note: str = ""
) -> MilitaryStatus:
    """The year's finding of the military-service review for `person` (one per year)."""
    record, _created = MilitaryStatus.objects.update_or_create(
        person=person,
        year=year,
        defaults={"status": status, "note": note, "recorded_by": acting_user},
    )
    unit = person.household.unit if person.household else None
    announce_change(unit)  # the call-up pool's figures kept elsewhere
    AuditEntry.objects.record(
        acting_user,
        "reports.military_status",
        target=person,
        unit=unit,
        changes={"military_status": [None, f"{year}: {status}"]},
    )
    return record


@transaction.atomic
def exclude_voter(
    person: Person,
    *,
    acting_user: User,
    reason: str,
    since: date,
    until: date | None = None,
    note: str = "",
) -> VoterExclusion:
    """Leave `person` off voter lists from `since` (until `until`), for a legal reason."""
    record = VoterExclusion.objects.create(
        person=person, reason=reason, since=since, until=until, note=note, recorded_by=acting_user
    )
    unit = person.household.unit if person.household else None
    announce_change(unit)  # the voters' figures kept elsewhere
    AuditEntry.objects.record(
        acting_user,
        "reports.voter_exclusion",
        target=person,
        unit=unit,
        changes={"voter_exclusion": [None, reason]},
    )
    return record


@transaction.atomic
def create_election(form: "ModelForm[Election]", *, acting_user: User) -> Election:
    """Save a valid ElectionForm: an election whose voter lists communes then draw."""
    election = form.save()
    AuditEntry.objects.record(
        acting_user, "reports.election", target=election,
        changes={"election": [None, str(election)]},
    )  # fmt: skip
    return election


@transaction.atomic
def create_polling_area(
    form: "ModelForm[PollingArea]", *, election: Election, commune: Unit, acting_user: User
) -> PollingArea:
    """Save a valid AreaForm as a polling area of `commune` for `election`: only someone
    who manages the commune's units draws its polling areas."""
    if not can(acting_user, Capability.MANAGE_UNITS, commune):
        raise PermissionDenied
    area = form.save(commit=False)
    area.election, area.commune = election, commune
    area.save()
    form.save_m2m()
    AuditEntry.objects.record(acting_user, "reports.polling_area", target=area, unit=commune)
    return area


@transaction.atomic
def create_export_job(
    *,
    acting_user: User,
    kind: str,
    unit: Unit,
    area: PollingArea | None,
    day: date,
    format: str,
    show_ids: bool,
) -> ExportJob:
    """A big list to be written in the background, queued once the transaction commits."""
    job = ExportJob.objects.create(
        created_by=acting_user, kind=kind, unit=unit, area=area, day=day, format=format,
        show_ids=show_ids,
    )  # fmt: skip
    transaction.on_commit(partial(export_list.enqueue, job.pk))
    return job


def log_export(
    acting_user: User,
    *,
    kind: str,
    unit: Unit,
    day: date,
    format: str,
    rows: int,
    query: str = "",
    unmasked: bool = False,
) -> None:
    """Who exported which list of which unit as of which day, how many rows (it holds
    personal data: domain.md §11)."""
    sensitive.log_export(
        acting_user, f"reports.{kind}", unit=unit, rows=rows, format=format,
        query=query or f"day={day.isoformat()}", unmasked=unmasked,
    )  # fmt: skip
