"""Reads and exports of personal data, written to the audit log (domain.md §11).

Law 91/2025 on personal data and Decree 13/2023 ask who saw or took a person's data.
Every screen that shows unmasked ID numbers and every export of people goes through
here, so that a resident's data report (`registry`) and the administrator's audit pages
find them: the unit the data belongs to, how many rows, the filter and the format.
"""

from langso.accounts.models import AuditEntry, User
from langso.lib.paths import SEPARATOR
from langso.places.models import Unit

# The verbs a data report reads as "someone saw or took this person's data".
READ_PREFIX = "read."
EXPORT_PREFIX = "export."
# A filter is kept for the record, not replayed: long ones are cut.
FILTER_LENGTH = 300


def log_read(
    user: User, what: str, *, unit: Unit | None, target=None, rows: int | None = None
) -> AuditEntry:
    """`user` was shown personal data (ID numbers unmasked, a survey…) of `unit`'s people."""
    changes = {} if rows is None else {"rows": [None, rows]}
    return AuditEntry.objects.record(
        user, READ_PREFIX + what, target=target, unit=unit, changes=changes
    )


def log_export(
    user: User,
    what: str,
    *,
    unit: Unit | None,
    rows: int,
    format: str,
    query: str = "",
    unmasked: bool = False,
    target=None,
) -> AuditEntry:
    """`user` took a list of `rows` people of `unit` away as a file."""
    changes: dict[str, list] = {"rows": [None, rows], "format": [None, format]}
    if query:
        changes["filter"] = [None, query[:FILTER_LENGTH]]
    if unmasked:
        changes["id_numbers"] = [None, "unmasked"]
    return AuditEntry.objects.record(
        user, EXPORT_PREFIX + what, target=target, unit=unit, changes=changes
    )


def common_unit(units) -> Unit | None:
    """The lowest unit that holds all of `units` (None when there are none)."""
    paths = [unit.path.split(SEPARATOR) for unit in units if unit is not None]
    if not paths:
        return None
    shared: list[str] = []
    for parts in zip(*paths, strict=False):
        if len(set(parts)) > 1:
            break
        shared.append(parts[0])
    if not shared:
        return None
    return Unit.objects.filter(path=SEPARATOR.join(shared)).first()
