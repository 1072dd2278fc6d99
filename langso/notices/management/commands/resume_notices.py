from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from langso.notices.models import Delivery, Notice
from langso.notices.tasks import fan_out


class Command(BaseCommand):
    help = (
        "Queue the fan-out again for every notice whose sending was cut off: notices "
        "scheduled or being sent, and notices with deliveries still queued or left "
        "'sending' by a worker that died. The fan-out skips whatever was already done, so "
        "nothing is lost and nothing is sent twice. Run it while no worker is running: "
        "`make run` runs it before starting the worker; run it yourself before `db_worker` "
        "after a crash. Prints how many notices were queued."
    )

    def handle(self, *args, **options):
        # No worker runs yet, so no delivery is really being sent: those marked "sending"
        # were cut off. Sent again, they carry the same request id, which the SMS gateway
        # refuses to deliver twice.
        released = Delivery.objects.filter(status=Delivery.Status.SENDING).update(
            status=Delivery.Status.QUEUED, next_attempt_at=None
        )
        unfinished = Delivery.objects.filter(
            status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
        ).values("notice_id")
        notices = Notice.objects.filter(
            Q(status__in=[Notice.Status.SCHEDULED, Notice.Status.SENDING]) | Q(pk__in=unfinished)
        )
        count = 0
        for notice in notices:
            if notice.send_at and notice.send_at > timezone.now():
                fan_out.using(run_after=notice.send_at).enqueue(notice.pk)
            else:
                fan_out.enqueue(notice.pk)
            count += 1
        self.stdout.write(
            f"{count} notice(s) queued to finish sending; {released} interrupted deliveries "
            "put back in the queue."
        )
