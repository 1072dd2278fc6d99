from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "langso.associations"
    label = "associations"
    verbose_name = _("Associations")

    def ready(self):
        # Notices knows no associations: they add their organisations as audiences.
        from langso.associations import actions, notices
        from langso.registry.signals import person_died

        notices.register()
        person_died.connect(actions.on_person_died, dispatch_uid="associations.person_died")
