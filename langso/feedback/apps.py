from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "langso.feedback"
    label = "feedback"
    verbose_name = _("Residents' feedback")

    def ready(self):
        from langso.feedback import public
        from langso.feedback.tasks import on_worker_starting
        from langso.lib.jobs import worker_starting

        public.register_section()
        # The worker queues the daily escalation of overdue reports as it starts.
        worker_starting.connect(on_worker_starting, dispatch_uid="feedback.schedule_escalation")
