from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from langso.accounts import chain


class Command(DjangoFlush):
    help = (
        f"{DjangoFlush.help} The audit log is emptied too: its append-only triggers are "
        "lifted for the flush and put back after it. Only for development and tests."
    )

    def handle(self, **options):
        connection = connections[options["database"]]
        chain.remove_guard(connection)
        try:
            super().handle(**options)
        finally:
            chain.install_guard(connection)
