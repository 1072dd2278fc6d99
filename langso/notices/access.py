"""Who may address whom, and who sees which notice (design.md principle 2).

- Residents, role holders and hand-picked people are addressed by holders of the
  send-notices capability (commune officials and administrators, hamlet heads),
  inside their units only: a hamlet head cannot address another hamlet.
- The targets other apps register (langso.notices.audiences), such as a party
  organisation, are addressed by those who manage them, and only they send
  notices in a target's name.
- A notice's status is seen in the units where it was issued, unless it is sent
  in a registered target's name or addressed to a registered target (a party
  organisation): then only by those who manage the target, its author and its
  recipients (issue 12, item 10; docs/party.md). Those who manage a target see the
  notices addressed to it. A relay is seen by the
  head of the hamlet it is for; the in-person list of a hamlet by its head (those who
  may send notices there: a viewer, who may only read, neither sees nor ticks it), of a
  registered target (a cell) by its keeper (the secretary); an inbox by its owner
  alone.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, can, paths_with, scope_q
from langso.accounts.models import User
from langso.accounts.roles import Capability
from langso.notices import audiences
from langso.notices.models import (
    Attachment,
    Audience,
    Delivery,
    LoudspeakerSystem,
    Notice,
    Recipient,
    Relay,
)
from langso.places.models import Unit

SEND = Capability.SEND_NOTICES


def sending_units(user: User) -> QuerySet[Unit]:
    """Units a notice may be issued from and addressed to: the user's scope."""
    return Unit.objects.filter(scope_q(user, SEND)).current()


def may_send(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or paths_with(user, SEND):
        return True
    return any(kind.targets(user).exists() for kind in audiences.registered().values())


def can_send_as(user: User, kind: str, target_id: int | None) -> bool:
    """Whether `user` may send a notice in the name of a registered target."""
    registered = audiences.get(kind)
    return registered is not None and registered.manages(user, target_id)


def can_address(user: User, audience: Audience) -> bool:
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
    if kind == Audience.Kind.PERSON:
        person = audience.person
        return (
            person is not None
            and person.household is not None
            and can(user, SEND, person.household.unit)
        )
    return can_send_as(user, kind, audience.target_id)


def notices_for_user(user: User) -> QuerySet[Notice]:
    """Notices issued in the user's units (neither in a registered target's name nor
    addressed to one), the user's own, and those sent to or in the name of a target the
    user manages."""
    if user.is_superuser:
        return Notice.objects.all()
    registered = audiences.registered()
    to_targets = Audience.objects.filter(kind__in=list(registered)).values("notice_id")
    in_units = scope_q(user, SEND, field="unit__path") & Q(sender_kind="")
    q = (in_units & ~Q(pk__in=to_targets)) | Q(author=user)
    for key, kind in registered.items():
        managed = kind.managed_ids(user)
        q |= Q(sender_kind=key, sender_id__in=managed)
        q |= Q(pk__in=Audience.objects.filter(kind=key, target_id__in=managed).values("notice_id"))
    return Notice.objects.filter(q)


def get_notice_for_user(user: User, pk: int | str) -> Notice:
    try:
        return notices_for_user(user).select_related("unit", "author", "parent").get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def relays_for_user(user: User) -> QuerySet[Relay]:
    return Relay.objects.filter(scope_q(user, SEND, field="unit__path")).select_related(
        "notice__unit", "unit", "relayed_as"
    )


def waiting_relays(user: User) -> QuerySet[Relay]:
    """Relays the user has still to forward to their residents (the menu's count and the
    home page's list).

    Only the holders of the sending capability relay (`relays_for_user` is their scope),
    so that is all this asks: not `may_send`, whose audiences a page's menu has asked
    already (one query each)."""
    if not user.is_authenticated or not (user.is_superuser or paths_with(user, SEND)):
        return Relay.objects.none()
    return relays_for_user(user).filter(relayed_at__isnull=True)


def unread_urgent(user: User) -> QuerySet[Recipient]:
    """Urgent notices the user received in the app and has not opened yet."""
    return (
        inbox_for_user(user)
        .filter(
            notice__urgency=Notice.Urgency.URGENT,
            deliveries__channel="app",
            deliveries__read_at__isnull=True,
        )
        .distinct()
    )


def get_relay_for_user(user: User, pk: int | str) -> Relay:
    try:
        return relays_for_user(user).get(pk=pk)
    except (Relay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def in_person_for_user(user: User) -> QuerySet[Recipient]:
    """Recipients to be told in person whom the user is the one to tell: the hamlet head
    (or whoever may send notices there) those of their hamlets, the keeper of a
    registered target those it tells. Telling is work, not reading: a viewer is none of
    these."""
    q = scope_q(user, SEND, field="unit__path") & Q(teller_kind="")
    for key, kind in audiences.registered().items():
        q |= Q(teller_kind=key, teller_id__in=kind.managed_ids(user))
    return Recipient.objects.filter(
        q, status__in=[Recipient.Status.IN_PERSON, Recipient.Status.TOLD]
    )


def get_in_person_recipient_for_user(user: User, pk: int | str) -> Recipient:
    try:
        return in_person_for_user(user).select_related("notice", "person").get(pk=pk)
    except (Recipient.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def inbox_for_user(user: User) -> QuerySet[Recipient]:
    """The user's own received notices (in-app deliveries), newest first."""
    q = Q(user=user)
    if user.person_id:
        q |= Q(person_id=user.person_id)
    return Recipient.objects.filter(q, deliveries__channel="app").select_related("notice__unit")


def get_received_notice(user: User, pk: int | str) -> Recipient:
    """A notice the user received in the app, or 404."""
    recipient = inbox_for_user(user).filter(notice_id=pk).first()
    if recipient is None:
        raise Http404
    return recipient


def get_attachment_for_user(user: AnyUser, pk: int | str) -> Attachment:
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


def public_notices(commune: Unit) -> QuerySet[Notice]:
    """Public notices issued in the commune or any unit under it."""
    return Notice.objects.public().filter(unit__path__within=commune.path)


def unread_count(user: User) -> int:
    """In-app notices the user has not opened yet (the menu's badge)."""
    q = Q(recipient__user=user)
    if user.person_id:
        q |= Q(recipient__person_id=user.person_id)
    return Delivery.objects.filter(q, channel="app", read_at__isnull=True).count()


# The loudspeakers --------------------------------------------------------------------


def can_manage_notice(user: AnyUser, notice: Notice) -> bool:
    """Whether `user` may change what a notice plays on the loudspeakers: whoever may send
    notices in the unit that issued it."""
    return can(user, SEND, notice.unit)


def can_manage_loudspeakers(user: AnyUser, unit: Unit) -> bool:
    """Whether `user` may set up the loudspeaker system of a hamlet or commune."""
    return (
        user.is_authenticated
        and unit.kind in (Unit.Kind.HAMLET, Unit.Kind.COMMUNE)
        and can(user, SEND, unit)
    )


def loudspeaker_units_for_user(user: User) -> QuerySet[Unit]:
    """The hamlets and communes whose loudspeakers the user may set up."""
    return sending_units(user).filter(kind__in=[Unit.Kind.HAMLET, Unit.Kind.COMMUNE])


def get_loudspeaker_unit_for_user(user: User, pk: int | str) -> Unit:
    try:
        return loudspeaker_units_for_user(user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_loudspeaker_system_for_user(user: User, unit: Unit) -> LoudspeakerSystem | None:
    """The unit's system (the unit comes from `get_loudspeaker_unit_for_user`), or None."""
    return LoudspeakerSystem.objects.filter(unit=unit).select_related("unit").first()
