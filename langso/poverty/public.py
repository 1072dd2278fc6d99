"""The preliminary list on the commune's public page while it is posted (the
`places.public` hook): names and classification only, never incomes or scores, and
nothing once the posting has ended."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.places.models import Unit
from langso.places.public import PublicSection
from langso.places.public import register as register_section
from langso.poverty.models import Result, Review

SHOWN = 10


def posted_review(commune: Unit, day: date) -> Review | None:
    """The review whose list is posted in `commune` on `day`, if any."""
    return (
        Review.objects.filter(
            commune=commune,
            stage=Review.Stage.POSTING,
            posting_from__lte=day,
            posting_until__gte=day,
        )
        .order_by("-posting_from")
        .first()
    )


def posting_context(review: Review, hamlet: Unit | None = None, limit: int | None = None) -> dict:
    """The posted rows: head of household, hamlet, proposed classification. Only these
    (the first `limit` of them when given)."""
    labels = dict(Result.choices)
    rows = []
    entries = review.entries.select_related("household__head", "hamlet")
    if hamlet is not None:
        entries = entries.filter(hamlet=hamlet)
    entries = entries.order_by("hamlet__path", "household__head__sort_key", "pk")
    if limit is not None:
        entries = entries[:limit]
    for entry in entries:
        head = entry.household.head
        result = entry.final or entry.agreed
        rows.append(
            {
                "name": head.full_name if head else "",
                "hamlet": entry.hamlet.display_name,
                "classification": labels.get(result, ""),
            }
        )
    return {"rows": rows}


def section_context(commune: Unit, request) -> dict | None:
    review = posted_review(commune, timezone.localdate())
    if review is None:
        return None
    # The first rows and a count: the home page never reads the whole list.
    context = posting_context(review, limit=SHOWN)
    return {"review": review, "commune": commune, "rows": context["rows"],
            "total": review.entries.count()}  # fmt: skip


def register() -> None:
    register_section(
        PublicSection(
            key="poverty",
            title=_("Preliminary list of poor and near-poor households"),
            order=40,
            template="poverty/_public_section.html",
            context=section_context,
            url_name="public:public-poverty",
        )
    )
