from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "langso.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Decides at each login what the session must do for its second factor.
        from langso.accounts import two_factor  # noqa: F401
