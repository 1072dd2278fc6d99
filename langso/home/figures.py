"""The figures of the home page's unit panels, kept in the shared cache.

A hamlet head opens the home page many times a day, and so do fifty officials at once on
a busy morning; counting a panel's figures (households and residents per group, the
to-do items, the indicators behind the age pyramid and the coverage chart) reads every
stay of the hamlet, some 100 ms of CPU, while the figures change only when the registry
does. So each panel's figures are kept in the `figures` cache (settings.CACHES: the
database by default, shared by every worker and every app server) under the unit and
the day, together with the *tokens* they were counted under.

Tokens are random values, replaced when the registry changes (`registry_changed`, sent
once the change is committed: a birth, a move, a correction, an import, a merge; the
reports' findings and an immunisation send it too). A change announced for unit U can
alter the figures of U, of every unit above it, and of every unit below it (an import
or a merge announced for a hamlet fills its groups). So each unit has two tokens:

- *below*: replaced for U and every unit above it: something under this unit changed;
- *whole*: replaced for U alone: everything under this unit may have changed.

A panel of unit X holds X's *below* token and the *whole* tokens of X and of every unit
above it: a change at U reaches it if U is under X (X's *below* moved) or above X or X
itself (a *whole* moved), and a change in a sibling branch leaves it alone. A reader
fetches the entry and its tokens in one cache read and uses the entry only when

- it was counted under the current tokens: nothing changed that touches the unit;
- it is today's: ages, voters' and military ages, insurance still valid and the to-do
  items depend on the day, so a new day counts anew (the day is in the key);
- it covers the unit's current children (a group created or retired since).

Otherwise the reader counts with the same functions as every other page (one truth per
figure) and stores the result. The tokens are read *before* counting, so a change that
commits while a reader counts leaves that reader's entry under old tokens, unused.
A token lost from the cache (culled) is made anew: the entries counted under the old one
are then unused too.

Commune and province charts read the reports' stored summaries (cheap, and refreshed in
the background after the change, so they are read each time rather than kept here).
"""

import logging
import uuid
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection, transaction

from langso.lib.paths import ancestors_of
from langso.places.models import Unit
from langso.registry.figures import to_do_counts, unit_figures
from langso.reports.charts import dashboard_figures

logger = logging.getLogger(__name__)

CACHE = "figures"
# Part of every entry's key: a release that changes what an entry holds bumps it, so that
# it never reads an entry an earlier release left.
ENTRY_FORMAT = 2
LIVE_KINDS = (Unit.Kind.HAMLET, Unit.Kind.GROUP)  # counted from the stays, not summaries


def _cache() -> BaseCache:
    return caches[CACHE]


def _guarded() -> AbstractContextManager:
    """Around a use of the cache that may fail: inside a transaction, a savepoint, so that
    a failing cache query (the database cache) does not abort the transaction."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _below_key(path: str) -> str:
    return f"home:below:{path}"


def _whole_key(path: str) -> str:
    return f"home:whole:{path}"


def _token_keys(unit: Unit) -> list[str]:
    """The keys of the tokens a panel of `unit` depends on (see the module's notes)."""
    return [_below_key(unit.path), *(_whole_key(path) for path in ancestors_of(unit.path))]


def _entry_key(unit: Unit, day: date, with_charts: bool) -> str:
    return f"home:panel:{ENTRY_FORMAT}:{unit.pk}:{day.isoformat()}:{int(with_charts)}"


def _tokens(found: dict[str, Any], keys: list[str]) -> list[str]:
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            # None kept yet (or culled): make one; if another reader just did, take theirs.
            token = uuid.uuid4().hex
            if not _cache().add(key, token, timeout=None):
                token = _cache().get(key) or token
        tokens.append(token)
    return tokens


def count_panel(unit: Unit, children: list[Unit], day: date, with_charts: bool) -> dict:
    """The panel's figures counted now: {"figures": {unit id: counts} of `unit_figures`,
    "to_do": `to_do_counts` (hamlets and groups), "charts": `dashboard_figures` (when
    `with_charts`, hamlets and groups only: a commune's come from its summaries)}."""
    counted: dict[str, Any] = {"figures": unit_figures(unit, children)}
    if unit.kind in LIVE_KINDS:
        counted["to_do"] = to_do_counts(unit, day)
        if with_charts:
            counted["charts"] = dashboard_figures(unit, children, day)
    return counted


def panel(unit: Unit, children: list[Unit], day: date, *, with_charts: bool) -> dict:
    """`count_panel`'s figures of `unit` on `day` (today), from the cache while no change
    touched the unit that day; counted and kept otherwise."""
    token_keys, entry_key = _token_keys(unit), _entry_key(unit, day, with_charts)
    child_ids = [child.pk for child in children]
    try:
        with _guarded():
            found = _cache().get_many([*token_keys, entry_key])
            tokens = _tokens(found, token_keys)
    except Exception:
        # The cache is a shortcut, never a reason for a page to fail: counted instead.
        logger.exception("The home figures' cache could not be read; counting instead.")
        return count_panel(unit, children, day, with_charts)
    entry = found.get(entry_key)
    if (
        isinstance(entry, dict)
        and entry.get("tokens") == tokens
        and entry.get("children") == child_ids
    ):
        return entry["counted"]
    counted = count_panel(unit, children, day, with_charts)
    try:
        with _guarded():
            _cache().set(entry_key, {"tokens": tokens, "children": child_ids, "counted": counted})
    except Exception:
        logger.exception("The home figures' cache could not be written.")
    return counted


def unit_changed(unit: Unit) -> None:
    """The registry changed in `unit` (anywhere under it): every panel of it, of the
    units above it and of the units below it is counted again when next read."""
    replaced = {_below_key(path): uuid.uuid4().hex for path in ancestors_of(unit.path)}
    replaced[_whole_key(unit.path)] = uuid.uuid4().hex
    _cache().set_many(replaced, timeout=None)


def on_registry_changed(sender: object, *, unit: Unit, **kwargs: object) -> None:
    """Receiver of `registry.signals.registry_changed` (sent after the commit): the
    change is saved by then, so a cache that fails is logged, never raised to the user
    (the figures it holds for the unit end with the day at the latest)."""
    try:
        with _guarded():
            unit_changed(unit)
    except Exception:
        logger.exception("The home figures of %s could not be marked stale.", unit.path)
