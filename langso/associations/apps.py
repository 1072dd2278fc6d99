from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "langso.associations"
    label = "associations"
    verbose_name = _("Associations")

    def ready(self):
        # Notices knows no associations: they add their organisations as audiences.
        from langso.associations import actions, counts, notices
        from langso.registry.signals import death_withdrawn, person_died, registry_changed

        notices.register()
        person_died.connect(actions.on_person_died, dispatch_uid="associations.person_died")
        death_withdrawn.connect(
            actions.on_death_withdrawn, dispatch_uid="associations.death_withdrawn"
        )
        # The kept counts behind the rates (counts.py) are counted again where it changed.
        registry_changed.connect(
            counts.on_registry_changed, dispatch_uid="associations.registry_changed"
        )
