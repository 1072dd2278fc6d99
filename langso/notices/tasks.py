"""The notice fan-out in the background (design.md principle 6).

`fan_out` resolves the audience, plans each recipient's first channel and sends;
deliveries waiting for a retry are sent by `dispatch_due`, enqueued to run when the
earliest is due. Both can be killed at any point and run again (see actions.py).
"""

from django.utils import timezone
from django_tasks import task

from langso.notices import actions
from langso.notices.models import Notice


@task()
def fan_out(notice_id):
    notice = Notice.objects.select_related("unit").get(pk=notice_id)
    if notice.status == Notice.Status.DRAFT:
        return 0
    if notice.status == Notice.Status.SCHEDULED:
        notice.status = Notice.Status.SENDING
        notice.save(update_fields=["status"])
    count = actions.resolve_recipients(notice)
    actions.plan_deliveries(notice)
    actions.mark_sent(notice)
    _dispatch(notice)
    return count


@task()
def dispatch_due(notice_id):
    _dispatch(Notice.objects.select_related("unit").get(pk=notice_id))


def _dispatch(notice):
    later = actions.dispatch(notice)
    if later is not None:
        dispatch_due.using(run_after=max(later, timezone.now())).enqueue(notice.pk)
