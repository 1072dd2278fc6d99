from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "langso.portal"
    label = "portal"
    verbose_name = _("Public site")

    def ready(self):
        from langso.portal import caching

        caching.connect()
