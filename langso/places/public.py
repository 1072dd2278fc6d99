"""The commune's public pages: a hook that apps fill with what they publish.

Apps above `places` register a `PublicSection` at start-up (in their AppConfig.ready);
the public site (`portal`) shows each registered section that has something to show.
A lower app never imports the portal; the portal reads this registry. Public URLs live
under `/public/<commune code>/<app>/…` and find their commune with `commune_or_404`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from langso.places.models import Unit


@dataclass(frozen=True)
class PublicSection:
    """What one app shows on a commune's public home page.

    `context(commune, request)` returns the template's context, or None when the app
    has nothing public for that commune right now (the section is then left out).
    `url_name` names the app's own public page for the section's "more" link; it takes
    the commune's code as its one argument. The context may hold `UNTIL`: an aware
    datetime at which the section shows something else by time alone (a notice that
    ends, a posting's last day); the site keeps neither the section nor the page longer.
    """

    key: str
    title: Any  # a lazy translation
    order: int
    template: str
    context: Callable[[Unit, HttpRequest], dict | None]
    url_name: str = ""


# The context's key for the time the section changes by itself (see PublicSection).
UNTIL = "public_until"

_sections: dict[str, PublicSection] = {}


def register(section: PublicSection) -> None:
    """Add (or replace, on a reload) the section published under `section.key`."""
    _sections[section.key] = section


def sections() -> list[PublicSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def communes(code: str) -> QuerySet[Unit]:
    """The current commune with this official code (none for anything else), as a
    queryset that a page may join to what it reads with the commune."""
    if not code.isdigit() or len(code) > 10:
        return Unit.objects.none()
    # `exclude(code="")` repeats the condition of the partial index on (kind, code), so
    # that SQLite uses it instead of reading every unit.
    return Unit.objects.current().filter(kind=Unit.Kind.COMMUNE, code=code).exclude(code="")


def commune_or_404(code: str) -> Unit:
    """The current commune with this official code; 404 for anything else."""
    commune = communes(code).first()
    if commune is None:
        raise Http404
    return commune
