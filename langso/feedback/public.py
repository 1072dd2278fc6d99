"""What feedback publishes on a commune's public home page (the `places.public` hook)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

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
    # Three counts in one query: the public home page is read far more than it changes.
    figures = Report.objects.filter(commune=commune).aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        open=Count("pk", filter=Q(state__in=Report.OPEN)),
    )
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
