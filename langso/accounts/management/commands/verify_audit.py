from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from langso.accounts import chain
from langso.accounts.models import AuditEntry

REASONS = {
    "previous": "it does not follow the row before it (a row was removed, inserted or "
    "rewritten before it)",
    "content": "its content does not match its hash (the row was changed)",
}


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain in order and report the first broken link. "
        "Exits with an error if the chain is broken."
    )

    def handle(self, **options):
        rows = (
            AuditEntry.objects.order_by("pk")
            .values_list("pk", "prev_hash", "row_hash", *chain.CHAINED)
            .iterator(chunk_size=5000)
        )
        checked, broken = chain.verify(rows)
        if broken:
            at = timezone.localtime(broken.at).strftime("%d/%m/%Y %H:%M:%S")
            raise CommandError(
                f"Broken link at audit row #{broken.pk} ({at}, {broken.verb}): "
                f"{REASONS[broken.reason]}. {checked} rows before it are intact."
            )
        self.stdout.write(f"The audit log's chain is whole: {checked} rows checked.")
