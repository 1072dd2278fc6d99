"""What campaigns publish on a commune's public pages (the `places.public` hook)."""

from django.utils.translation import gettext_lazy as _

from langso.places.public import PublicSection, register


def public_campaigns(commune):
    from langso.campaigns.models import Campaign

    return Campaign.objects.filter(is_public=True, unit__path__within=commune.path).select_related(
        "unit"
    )


def section_context(commune, request):
    from langso.campaigns.ledger import progress

    campaigns = list(public_campaigns(commune).filter(status="running")[:3])
    if not campaigns:
        return None
    return {
        "commune": commune,
        "campaigns": [(campaign, progress(campaign)) for campaign in campaigns],
    }


def register_section() -> None:
    register(
        PublicSection(
            key="campaigns",
            title=_("Community campaigns"),
            order=40,
            template="campaigns/_public_section.html",
            context=section_context,
            url_name="public:public-campaigns",
        )
    )
