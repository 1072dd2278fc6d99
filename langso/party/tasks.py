"""Background work of the party handbook: e-mailing meeting invitations, and the daily
reminders (design.md principle 6: reminders are tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from langso.party.models import Invitation


@task()
def email_invitations(meeting_id):
    """E-mail the invitation to every invited member with an address, once each.

    Each invitation is stamped right after its own message goes out, so a rerun
    after a crash sends only the ones not yet stamped.
    """
    invitations = Invitation.objects.filter(
        meeting_id=meeting_id, emailed_at__isnull=True
    ).select_related("meeting__organisation", "member__person", "member__user")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for invitation in invitations:
            address = invitation.member.person.email or (
                invitation.member.user.email if invitation.member.user else ""
            )
            if not address:
                continue
            meeting = invitation.meeting
            body = render_to_string(
                "party/meeting_invitation_email.txt",
                {"meeting": meeting, "member": invitation.member},
            )
            subject = _("Meeting invitation: %(title)s") % {"title": meeting.title}
            send_mail(subject, body, None, [address])
            invitation.emailed_at = timezone.now()
            invitation.save(update_fields=["emailed_at"])
            sent += 1
    return sent


REMINDER_HOUR = 7


@task()
def daily_reminders():
    """Send the day's reminders, then queue tomorrow's run."""
    from langso.party.actions import remind_probations

    with translation.override(settings.LANGUAGE_CODE):
        count = remind_probations(timezone.localdate())
    schedule_reminders()
    return count


def schedule_reminders():
    """Queue the next run at 07:00, unless one is queued already. Returns its time."""
    from datetime import datetime, time, timedelta

    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        status="READY", task_path__endswith="party.tasks.daily_reminders"
    ).first()
    if queued is not None:
        return queued.run_after
    now = timezone.localtime()
    at = timezone.make_aware(datetime.combine(now.date(), time(REMINDER_HOUR)))
    if at <= now:
        at += timedelta(days=1)
    daily_reminders.using(run_after=at).enqueue()
    return at
