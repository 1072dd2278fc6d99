from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "langso.campaigns"
    label = "campaigns"
    verbose_name = _("Community campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The public site knows no campaigns: they register their public section.
        from langso.campaigns import public

        public.register_section()
