from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyConfig(AppConfig):
    name = "langso.poverty"
    label = "poverty"
    verbose_name = _("Poverty review")

    def ready(self):
        # The registry knows no poverty: poverty answers its question at start-up, and
        # the public page shows the preliminary list while it is posted.
        from langso.poverty import notices, public
        from langso.poverty.status import classification_lookup
        from langso.registry.hooks import provide_poverty_status

        provide_poverty_status(classification_lookup)
        public.register()
        notices.register()
