"""What notices publish on a commune's public home page (the `places.public` hook)."""

from django.utils.translation import gettext_lazy as _

from langso.notices import access
from langso.places.public import UNTIL, PublicSection, register

SHOWN = 5


def section_context(commune, request):
    notices = list(
        access.public_notices(commune).select_related("unit").order_by("-sent_at")[:SHOWN]
    )
    if not notices:
        return None
    # The first of these to end leaves the section then (a notice not shown that ends
    # changes nothing here).
    ends = [notice.expires_at for notice in notices if notice.expires_at is not None]
    return {"notices": notices, UNTIL: min(ends, default=None)}


def register_section() -> None:
    register(
        PublicSection(
            key="notices",
            title=_("Notices"),
            order=20,
            template="notices/_public_section.html",
            context=section_context,
            url_name="public:public-notices",
        )
    )
