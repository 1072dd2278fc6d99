from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "langso.lib"
    label = "lib"
    verbose_name = "Làng Số"
