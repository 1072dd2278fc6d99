from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "langso.party"
    label = "party"
    verbose_name = _("Party handbook")

    def ready(self):
        # Notices knows no party: the party adds its organisations as an audience.
        from langso.party import notices, person_data

        notices.register()
        person_data.register_section()
