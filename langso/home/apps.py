from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "langso.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from langso.home.figures import on_registry_changed
        from langso.registry.signals import registry_changed

        registry_changed.connect(on_registry_changed, dispatch_uid="home.registry_changed")
