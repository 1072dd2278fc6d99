"""Who may address whom, and who sees which notice (design.md principle 2).

- Residents, role holders and hand-picked people are addressed by holders of the
  send-notices capability (commune officials and administrators, hamlet heads),
  inside their units only: a hamlet head cannot address another hamlet.
- Members of a party organisation are addressed by those who manage it
  (langso.party.access).
- A notice's status is seen in the units where it was issued; a relay by the
  head of the hamlet it is for; the in-person list of a hamlet by its head, of a
  cell by its secretary; an inbox by its owner alone.
"""

from django.db.models import Q
from django.http import Http404

from langso.accounts.access import can, paths_with, scope_q
from langso.accounts.roles import Capability
from langso.notices.models import Attachment, Audience, Notice, Recipient, Relay
from langso.party import access as party_access
from langso.places.models import Unit

SEND = Capability.SEND_NOTICES


def sending_units(user):
    """Units a notice may be issued from and addressed to: the user's scope."""
    return Unit.objects.filter(scope_q(user, SEND)).current()


def may_send(user):
    return user.is_authenticated and (
        user.is_superuser or bool(paths_with(user, SEND)) or party_access.manages_any(user)
    )


def can_address(user, audience):
    """Whether `user` may put `audience` (an unsaved Audience) on a notice."""
    kind = audience.kind
    if kind in (Audience.Kind.UNIT, Audience.Kind.ROLE):
        return audience.unit is not None and can(user, SEND, audience.unit)
    if kind == Audience.Kind.RELAY:
        return (
            audience.unit is not None
            and audience.unit.kind == Unit.Kind.HAMLET
            and can(user, SEND, audience.unit)
        )
    if kind == Audience.Kind.ORGANISATION:
        return audience.organisation is not None and party_access.can_manage(
            user, audience.organisation
        )
    if kind == Audience.Kind.PERSON:
        person = audience.person
        return (
            person is not None
            and person.household_id is not None
            and can(user, SEND, person.household.unit)
        )
    return False


def notices_for_user(user):
    """Notices issued in the user's units, and the user's own."""
    if user.is_superuser:
        return Notice.objects.all()
    return Notice.objects.filter(scope_q(user, SEND, field="unit__path") | Q(author=user))


def get_notice_for_user(user, pk):
    try:
        return notices_for_user(user).select_related("unit", "author", "parent").get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def relays_for_user(user):
    return Relay.objects.filter(scope_q(user, SEND, field="unit__path")).select_related(
        "notice__unit", "unit", "relayed_as"
    )


def get_relay_for_user(user, pk):
    try:
        return relays_for_user(user).get(pk=pk)
    except (Relay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def in_person_for_user(user):
    """Recipients to be told in person whom the user is the one to tell."""
    q = scope_q(user, Capability.VIEW_RESIDENTS, field="unit__path") & Q(organisation__isnull=True)
    if party_access.manages_any(user):
        q |= Q(organisation__in=party_access.managed_organisations(user).values("pk"))
    return Recipient.objects.filter(
        q, status__in=[Recipient.Status.IN_PERSON, Recipient.Status.TOLD]
    )


def get_in_person_recipient_for_user(user, pk):
    try:
        return in_person_for_user(user).select_related("notice", "person").get(pk=pk)
    except (Recipient.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def inbox_for_user(user):
    """The user's own received notices (in-app deliveries), newest first."""
    q = Q(user=user)
    if user.person_id:
        q |= Q(person_id=user.person_id)
    return Recipient.objects.filter(q, deliveries__channel="app").select_related("notice__unit")


def get_received_notice(user, pk):
    """A notice the user received in the app, or 404."""
    recipient = inbox_for_user(user).filter(notice_id=pk).first()
    if recipient is None:
        raise Http404
    return recipient


def get_attachment_for_user(user, pk):
    """An attachment of a public notice (for anyone), or of a notice the user sent or
    received; 404 otherwise."""
    try:
        attachment = Attachment.objects.select_related("notice").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if Notice.objects.public().filter(pk=attachment.notice_id).exists():
        return attachment
    if not user.is_authenticated:
        raise Http404
    if not notices_for_user(user).filter(pk=attachment.notice_id).exists():
        get_received_notice(user, attachment.notice_id)
    return attachment


def public_notices(commune):
    """Public notices issued in the commune or any unit under it."""
    return Notice.objects.public().filter(unit__path__within=commune.path)


def unread_count(user):
    """In-app notices the user has not opened yet (the menu's badge)."""
    from langso.notices.models import Delivery

    q = Q(recipient__user=user)
    if user.person_id:
        q |= Q(recipient__person_id=user.person_id)
    return Delivery.objects.filter(q, channel="app", read_at__isnull=True).count()
