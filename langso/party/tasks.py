"""Background work of the party handbook: e-mailing meeting invitations."""

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
