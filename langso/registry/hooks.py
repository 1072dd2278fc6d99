"""Facts about households that an app above the registry knows and others may ask for.

The poverty review knows which households are poor or near-poor; campaigns (which
exempt poor households) and associations may ask, but they are siblings of poverty and
may not import it. So poverty provides the answer here at start-up, and anyone asks
here. With no provider installed the answer is None: callers fall back to what they
keep themselves (a hand-set flag).
"""

from collections.abc import Callable, Iterable
from datetime import date

POOR = "poor"
NEAR_POOR = "near_poor"

# (household ids, day) -> {household id: POOR | NEAR_POOR} for those classified so.
PovertyLookup = Callable[[Iterable[int], date], dict[int, str]]

_poverty_lookup: PovertyLookup | None = None


def provide_poverty_status(lookup: PovertyLookup) -> None:
    global _poverty_lookup
    _poverty_lookup = lookup


def poverty_status(household_ids: Iterable[int], on: date) -> dict[int, str] | None:
    """Which of these households were poor or near-poor on `on`; None if nobody knows."""
    if _poverty_lookup is None:
        return None
    return _poverty_lookup(household_ids, on)
