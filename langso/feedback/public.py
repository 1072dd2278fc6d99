"""What feedback publishes on a commune's public home page (the `places.public` hook)."""

from django.utils.translation import gettext_lazy as _

from langso.feedback.figures import headline
from langso.feedback.models import Report
from langso.places.public import PublicSection, register

SHOWN = 3


def section_context(commune, request):
    answered = list(
        Report.objects.answered_publicly()
        .filter(commune=commune)
        .select_related("category", "hamlet")
        .order_by("-answered_at", "-pk")[:SHOWN]
    )
    # The totals of the answers page and the dashboards, from the same tallies.
    figures = headline(commune)
    return {"commune": commune, "answered": answered, "figures": figures}


def register_section() -> None:
    register(
        PublicSection(
            key="feedback",
            title=_("Residents' feedback"),
            order=30,
            template="feedback/_public_section.html",
            context=section_context,
            url_name="public:feedback-answers",
        )
    )
