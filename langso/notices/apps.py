from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "langso.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from langso.lib.jobs import worker_starting
        from langso.notices import person_data, public
        from langso.notices.tasks import resume_interrupted

        public.register_section()
        person_data.register_section()
        # A worker that starts first finishes the sending a dead one cut off.
        worker_starting.connect(resume_interrupted, dispatch_uid="notices.resume_interrupted")
