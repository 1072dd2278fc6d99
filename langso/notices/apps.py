from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "langso.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from langso.notices import person_data, public

        public.register_section()
        person_data.register_section()
