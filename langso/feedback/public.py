"""What feedback publishes on a commune's public home page (the `places.public` hook)."""

from django.utils.translation import gettext_lazy as _

from langso.feedback.figures import feedback_figures
from langso.feedback.models import Report
from langso.places.public import PublicSection, register

SHOWN = 3


def section_context(commune, request):
    answered = list(
        Report.objects.answered_publicly()
        .filter(commune=commune)
        .select_related("category", "hamlet")
        .order_by("-answered_at")[:SHOWN]
    )
    figures = feedback_figures(commune)
    return {"commune": commune, "answered": answered, "total": figures.total}


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
