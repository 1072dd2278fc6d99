from django.core.management.base import BaseCommand, CommandError

from langso.notices.models import Channel, Delivery, Notice, Recipient


class Command(BaseCommand):
    help = (
        "Print a notice's delivery: for each channel the deliveries by status (queued, "
        "sending, sent, delivered, read, failed), then its recipients by status (being "
        "sent, reached, to tell in person, told in person), and the hamlets that have or "
        "have not relayed it."
    )

    def add_arguments(self, parser):
        parser.add_argument("notice_id", type=int)

    def handle(self, *args, notice_id, **options):
        notice = Notice.objects.filter(pk=notice_id).select_related("unit").first()
        if notice is None:
            raise CommandError(f"There is no notice {notice_id}.")
        self.stdout.write(f"Notice {notice.pk}: {notice.title} ({notice.unit}), {notice.status}")
        counts = notice.delivery_counts()
        statuses = Delivery.Status.values
        self.stdout.write("channel  " + "  ".join(f"{s:>9}" for s in statuses))
        for channel in Channel.values:
            if channel in counts:
                row = "  ".join(f"{counts[channel].get(s, 0):>9}" for s in statuses)
                self.stdout.write(f"{channel:<7}  {row}")
        people = notice.recipient_counts()
        self.stdout.write(
            "recipients: "
            + ", ".join(f"{s} {people.get(s, 0)}" for s in Recipient.Status.values)
            + f", total {sum(people.values())}"
        )
        for relay in notice.relays.select_related("unit").order_by("unit__path"):
            when = f"{relay.relayed_at:%d/%m/%Y %H:%M}" if relay.relayed_at else "not yet"
            self.stdout.write(f"relay {relay.unit}: {when}")
