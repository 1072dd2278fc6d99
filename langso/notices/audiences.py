"""Audiences that apps above notices add (design.md, layers: notices knows none of them).

Notices itself addresses units, hamlets for relay, role holders and hand-picked
people. An app above it (the party handbook, later the associations) adds a kind
of target at start-up, in its `AppConfig.ready()`::

    from langso.notices import audiences

    audiences.register("organisation", audiences.AudienceKind(
        label=_("Members of the party organisations"),
        targets=managed_organisations,   # user -> queryset of the targets they manage
        get=_get,                        # target id -> the target, or None
        people=_people,                  # target id -> Person queryset to tell
        tellers=_cells,                  # person ids -> {person id: target id}
    ))

(langso/party/notices.py, called from PartyConfig.ready().)

A notice may be addressed to such a target (an `Audience` with the kind's key and
the target's id) and sent in its name (`Notice.sender_kind`/`sender_id`). Then:

- the notice form offers the targets the user manages (`targets(user)`), and only
  those may be addressed or sent in the name of;
- sending resolves a target to people (`people(target_id)`);
- those who manage a target see the notices sent to it or in its name; a notice sent
  in a target's name, or addressed to a target, is not seen by the holders of the
  issuing unit's roles (only by its author and its recipients besides);
- a recipient no channel reaches is told in person by the keeper of a target of the
  kind (`tellers` maps each person to that target; by default the target addressed,
  or the one the notice is sent in the name of), not by the hamlet head.

A target is any object whose `str()` names it and whose `unit` is the places unit
it belongs to (a notice sent in its name is issued from that unit).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

Tellers = Callable[[Iterable[int]], dict[int, int]]


@dataclass(frozen=True)
class AudienceKind:
    label: Any
    """How the notice form names this part of the audience (translatable)."""
    targets: Callable[[Any], QuerySet]
    """The targets a user manages: may address, send in the name of, and tell in person."""
    get: Callable[[int], Any]
    """The target with this id, or None."""
    people: Callable[[int], QuerySet]
    """The registry people a target stands for."""
    tellers: Tellers | None = None
    """{person id: target id} of the targets whose keepers tell these people in person."""

    def managed_ids(self, user) -> QuerySet:
        """The ids of the targets the user manages, as a subquery."""
        return self.targets(user).values("pk")

    def manages(self, user, target_id: int | None) -> bool:
        return target_id is not None and self.targets(user).filter(pk=target_id).exists()


_kinds: dict[str, AudienceKind] = {}


def register(key: str, kind: AudienceKind) -> None:
    """Add a kind of audience; `key` is stored on audiences, notices and recipients."""
    if key in BUILT_IN:
        raise ValueError(f"{key!r} is one of notices' own audiences.")
    _kinds[key] = kind


def get(key: str) -> AudienceKind | None:
    return _kinds.get(key)


def registered() -> dict[str, AudienceKind]:
    """The kinds other apps registered, by key, in the order they were registered."""
    return dict(_kinds)


# Keys of the audiences notices resolves itself (Audience.Kind).
BUILT_IN = frozenset({"unit", "relay", "role", "person"})
