from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "langso.feedback"
    label = "feedback"
    verbose_name = _("Residents' feedback")

    def ready(self):
        from langso.feedback import public

        public.register_section()
