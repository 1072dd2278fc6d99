from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "langso.reports"
    label = "reports"
    verbose_name = _("Lists and reports")

    def ready(self):
        from langso.registry.signals import registry_changed
        from langso.reports import person_data
        from langso.reports.tasks import refresh_after_change

        person_data.register_section()
        registry_changed.connect(refresh_after_change, dispatch_uid="reports.refresh_after_change")
