"""The notice fan-out in the background (design.md principle 6).

`fan_out` resolves the audience, plans each recipient's first channel and sends;
deliveries waiting for a retry are sent by `dispatch_due`, enqueued to run when the
earliest is due; `push_broadcasts` hands the loudspeaker broadcasts to their controllers
shortly before their slots (loudspeakers.py). They can be killed at any point and run
again (see delivery.py).
Only the actions queue these, once their transaction commits.
"""

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from langso.notices import delivery, loudspeakers
from langso.notices.models import Delivery, Notice


@task()
def fan_out(notice_id):
    notice = Notice.objects.select_related("unit").get(pk=notice_id)
    if notice.status == Notice.Status.DRAFT:
        return 0
    delivery.start(notice)
    count = delivery.resolve_recipients(notice)
    delivery.plan_deliveries(notice)
    delivery.mark_sent(notice)
    _dispatch(notice)
    return count


@task()
def dispatch_due(notice_id):
    _dispatch(Notice.objects.select_related("unit").get(pk=notice_id))


def _dispatch(notice):
    later = delivery.dispatch(notice)
    if later is not None:
        dispatch_due.using(run_after=max(later, timezone.now())).enqueue(notice.pk)


def resume_interrupted(**_signal_kwargs):
    """Queue again the fan-out of every notice whose sending a stopped worker cut off.

    Run when a worker starts (`worker_starting`), before it takes tasks: no delivery is
    really being sent then, so those marked "sending" were cut off. Sent again they carry
    the same request id, which the SMS gateway refuses to deliver twice. Returns what it
    did, in a sentence for the worker's log.
    """
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
    return (
        f"{count} notice(s) queued to finish sending; {released} interrupted deliveries "
        "put back in the queue."
    )


@task()
def push_broadcasts(notice_id):
    """Push the notice's broadcasts that are due to the loudspeaker controllers; run
    again when the next one is due (a slot later, or a retry)."""
    notice = Notice.objects.select_related("unit").get(pk=notice_id)
    later = loudspeakers.dispatch(notice)
    if later is not None:
        push_broadcasts.using(run_after=max(later, timezone.now())).enqueue(notice.pk)
