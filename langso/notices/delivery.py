"""The delivery pipeline the background worker runs (tasks.py): from a sent notice to a
message per person, with retries, fall-back and receipts.

Sending is resumable at every step, so a worker killed in the middle loses and
duplicates nothing when it starts again:

1. `resolve_recipients` writes the audience's people as `Recipient` rows in
   batches, each batch in its own transaction, skipping those already written.
2. `plan_deliveries` gives each recipient without a delivery their first channel
   (an in-app delivery is delivered at once), or puts them on the in-person list.
3. `dispatch` sends the queued deliveries one by one: a delivery is claimed
   (queued → sending, with a lease) in one transaction and its outcome written in
   the next. A lease that ran out (the worker died while sending) puts it back in
   the queue; it is then sent again with the same tracking id, which the SMS
   gateway refuses to send twice. Failures are retried with backoff, or fall back
   to the person's next channel, or end on the in-person list.
4. `record_receipt` applies a provider's delivery report.

The notice's own status moves through `status.py`. Nothing here queues background
work or imports the actions: the tasks call in here, the actions queue the tasks.
"""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from langso.accounts.models import RoleAssignment, User
from langso.lib.bulk import insert_rows
from langso.notices import audiences as audience_kinds
from langso.notices import status
from langso.notices.channels import ADAPTERS, Contact, Outcome, chain, enabled_channels
from langso.notices.models import Audience, Channel, Delivery, Notice, Reach, Recipient
from langso.registry.models import Person

BATCH = 2000
LEASE = timedelta(minutes=2)

# A recipient to be: ("p", person id), ("u", user id) or ("c", phone or e-mail) →
# (person id, user id, unit id, teller kind, teller id, contact phone, contact e-mail).
Key = tuple[str, int | str]
Row = tuple[int | None, int | None, int | None, str, int | None, str, str]


# The audience as people ----------------------------------------------------------


def audience_rows(notice: Notice) -> dict[Key, Row]:
    """{key: (person id, user id, unit id, teller kind, teller id, phone, e-mail)} of everyone
    the notice is for.

    The key is ("p", person id) or ("u", user id) for an account with no resident, so
    that a person named by two parts of the audience is one recipient. The teller is
    who tells the person in person if no channel reaches them: ("", None) for the
    hamlet head, else a registered target's keeper (the target addressed, or the one
    the notice is sent in the name of, or the one its kind's `tellers` names).
    """
    rows: dict[Key, Row] = {}
    default_teller: tuple[str, int | None] = (
        (notice.sender_kind, notice.sender_id) if notice.sender_kind else ("", None)
    )

    def add_people(
        queryset: QuerySet[Person], teller: tuple[str, int | None] = default_teller
    ) -> None:
        for person_id, unit_id in queryset.values_list("pk", "household__unit_id"):
            rows.setdefault(("p", person_id), (person_id, None, unit_id, *teller, "", ""))

    def add_account(user_id: int, person_id: int | None, unit_id: int | None) -> None:
        if person_id:
            rows.setdefault(
                ("p", person_id), (person_id, user_id, unit_id, *default_teller, "", "")
            )
        else:
            rows.setdefault(("u", user_id), (None, user_id, unit_id, *default_teller, "", ""))

    for audience in notice.audiences.select_related("unit"):
        kind = audience.kind
        if kind == Audience.Kind.UNIT:
            add_people(Person.objects.within(audience.unit).registered())
        elif kind == Audience.Kind.ROLE:
            if audience.unit is None:
                raise ValueError(f"The role audience {audience.pk} names no unit.")
            holders = RoleAssignment.objects.filter(
                role=audience.role, unit__path__within=audience.unit.path
            ).values_list("user_id", "user__person_id", "unit_id")
            for user_id, person_id, unit_id in holders:
                add_account(user_id, person_id, unit_id)
        elif kind == Audience.Kind.ACCOUNT and audience.user_id:
            for user_id, person_id in User.objects.filter(pk=audience.user_id).values_list(
                "pk", "person_id"
            ):
                add_account(user_id, person_id, None)
        elif kind == Audience.Kind.CONTACT:
            phone, email = audience.contact_phone, audience.contact_email
            if phone or email:
                rows.setdefault(
                    ("c", f"{phone}|{email}"), (None, None, None, *default_teller, phone, email)
                )
        elif kind == Audience.Kind.PERSON:
            add_people(
                Person.objects.living().filter(pk=audience.person_id, household__isnull=False)
            )
        elif (registered := audience_kinds.get(kind)) is not None and audience.target_id:
            add_people(registered.people(audience.target_id), (kind, audience.target_id))
    return _with_tellers(rows)


def _with_tellers(rows: dict[Key, Row]) -> dict[Key, Row]:
    """Each registered kind names the target whose keeper tells each of its people."""
    by_kind: dict[str, list[Key]] = {}
    for key, row in rows.items():
        if row[0] is not None and row[3]:
            by_kind.setdefault(row[3], []).append(key)
    for kind_key, keys in by_kind.items():
        registered = audience_kinds.get(kind_key)
        if registered is None or registered.tellers is None:
            continue
        # Only people carry a teller: their keys are ("p", person id).
        tellers = registered.tellers([key[1] for key in keys if isinstance(key[1], int)])
        for key in keys:
            if key[1] in tellers:
                rows[key] = (*rows[key][:4], tellers[key[1]], *rows[key][5:])
    return rows


def contacts(recipients: "Sequence[Recipient]") -> dict[int, Contact]:
    """{recipient id: Contact} for recipients, read in a few queries."""
    person_ids = [r.person_id for r in recipients if r.person_id]
    # Keyed by id or None: an account with no resident looks up None and finds nothing.
    people: dict[int | None, tuple[str, str]] = {
        pk: (phone, email)
        for pk, phone, email in Person.objects.filter(pk__in=person_ids).values_list(
            "pk", "phone", "email"
        )
    }
    reaches: dict[int | None, Reach] = {
        reach.person_id: reach for reach in Reach.objects.filter(person_id__in=person_ids)
    }
    accounts: dict[int | None, int] = dict(
        User.objects.filter(person_id__in=person_ids, is_active=True).values_list("person_id", "pk")
    )
    user_ids = {r.user_id for r in recipients if r.user_id} | set(accounts.values())
    emails: dict[int | None, str] = dict(
        User.objects.filter(pk__in=user_ids).values_list("pk", "email")
    )
    found: dict[int, Contact] = {}
    for recipient in recipients:
        phone, email = people.get(recipient.person_id, ("", ""))
        account = accounts.get(recipient.person_id)
        reach = reaches.get(recipient.person_id)
        # The row `plan_deliveries` reads joined, so that one function makes the Contact.
        found[recipient.pk] = _pending_contact(
            (
                recipient.pk, recipient.person_id, recipient.user_id, recipient.contact_phone,
                recipient.contact_email, phone, email, emails.get(recipient.user_id),
                account, account is not None, emails.get(account),
                *(
                    (None,) * 6 if reach is None
                    else (reach.pk, reach.email, reach.zalo_phone, reach.sms_phone,
                          reach.no_phone, reach.channels)
                ),
            )
        )  # fmt: skip
    return found


def preview(notice: Notice) -> dict[str, int]:
    """{"people": n, channel: n, "in_person": n}: whom the notice will reach, by first channel."""
    rows = audience_rows(notice)
    recipients = [
        Recipient(
            pk=index,
            person_id=row[0],
            user_id=row[1],
            contact_phone=row[5],
            contact_email=row[6],
        )
        for index, row in enumerate(rows.values())
    ]
    counts = {"people": len(recipients), "in_person": 0, **dict.fromkeys(Channel.values, 0)}
    for contact in contacts(recipients).values():
        ways = chain(contact)
        counts[ways[0][0] if ways else "in_person"] += 1
    return counts


# The fan-out -----------------------------------------------------------------------


def resolve_recipients(notice: Notice, progress: Callable[[int, int], object] | None = None) -> int:
    """Write the recipients not yet written, a batch per transaction."""
    rows = list(audience_rows(notice).values())
    have_people = set(
        notice.recipients.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    have_users = set(
        notice.recipients.filter(person__isnull=True, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    have_contacts = set(
        notice.recipients.filter(person__isnull=True, user__isnull=True).values_list(
            "contact_phone", "contact_email"
        )
    )
    missing = [
        (notice.pk, *row, Recipient.Status.PENDING)
        for row in rows
        if (row[0] is not None and row[0] not in have_people)
        or (row[0] is None and row[1] is not None and row[1] not in have_users)
        or (row[0] is None and row[1] is None and (row[5], row[6]) not in have_contacts)
    ]
    fields = (
        "notice",
        "person",
        "user",
        "unit",
        "teller_kind",
        "teller_id",
        "contact_phone",
        "contact_email",
        "status",
    )
    for start in range(0, len(missing), BATCH):
        with transaction.atomic():
            # Plain rows, not model instances: 10,000 recipients in well under a second.
            insert_rows(Recipient, fields, missing[start : start + BATCH], skip_duplicates=True)
        if progress:
            progress(start + BATCH, len(missing))
    return len(rows)


# What `plan_deliveries` reads of each pending recipient, in one query with what
# `contacts` reads in four: lists of thousands of ids cost Django more to pass than the
# joins cost the database.
_PENDING_COLUMNS = (
    "pk",
    "person_id",
    "user_id",
    "contact_phone",
    "contact_email",
    "person__phone",
    "person__email",
    "user__email",
    "person__account__id",
    "person__account__is_active",
    "person__account__email",
    "person__reach__id",
    "person__reach__email",
    "person__reach__zalo_phone",
    "person__reach__sms_phone",
    "person__reach__no_phone",
    "person__reach__channels",
)


def _pending_contact(row: tuple) -> Contact:
    """A recipient's Contact from its `_PENDING_COLUMNS` row (read joined by
    `plan_deliveries`, made from `contacts`' queries there): a registered person's phone
    and e-mail, the e-mail of the account that receives (the recipient's, else the
    person's own active one), and the person's Reach when there is one."""
    (
        _pk, person_id, user_id, contact_phone, contact_email, phone, email, user_email,
        account_id, account_active, account_email, reach_id, *reach,
    ) = row  # fmt: skip
    if person_id is None and user_id is None:
        # Known only by a phone number or an e-mail address.
        return Contact(phone=contact_phone, email=contact_email)
    if person_id is not None and user_id is None and account_id is not None and account_active:
        # The person's own account receives.
        user_id, user_email = account_id, account_email
    user_email = user_email or ""
    if reach_id is None:
        return Contact(user_id=user_id, email=email or user_email, phone=phone or "")
    reach_email, zalo_phone, sms_phone, no_phone, channels = reach
    return Contact(
        user_id=user_id,
        email=reach_email or email or user_email,
        phone=phone or "",
        zalo_phone=zalo_phone,
        sms_phone=sms_phone,
        no_phone=no_phone,
        channels=channels,
    )


def plan_deliveries(notice: Notice) -> None:
    """Each pending recipient without a delivery gets their first channel, or the in-person list.

    Recipients are read in primary-key order a batch at a time; those that already have
    a delivery (a run cut off half-way) are skipped.
    """
    pending = notice.recipients.filter(status=Recipient.Status.PENDING).order_by("pk")
    last = 0
    fields = ("recipient", "notice", "channel", "address", "status", "attempts", "sent_at")
    while True:
        batch = list(pending.filter(pk__gt=last).values_list(*_PENDING_COLUMNS)[:BATCH])
        if not batch:
            return
        first, last = batch[0][0], batch[-1][0]
        started = set(
            Delivery.objects.filter(
                notice=notice, recipient_id__gte=first, recipient_id__lte=last
            ).values_list("recipient_id", flat=True)
        )
        deliveries: list[tuple[object, ...]] = []
        reached: list[int] = []
        in_person: list[int] = []
        now = timezone.now()
        enabled = enabled_channels()
        for row in batch:
            pk = row[0]
            if pk in started:
                continue
            ways = chain(_pending_contact(row), enabled)
            if not ways:
                in_person.append(pk)
                continue
            channel, address = ways[0]
            if channel == Channel.APP:
                reached.append(pk)
                deliveries.append((pk, notice.pk, channel, address, "delivered", 1, now))
            else:
                deliveries.append((pk, notice.pk, channel, address, "queued", 0, None))
        with transaction.atomic():
            insert_rows(
                Delivery, fields, deliveries, blanks=("error", "external_id"), skip_duplicates=True
            )
            if reached:
                Recipient.objects.filter(_among(reached)).update(status=Recipient.Status.REACHED)
            if in_person:
                Recipient.objects.filter(_among(in_person)).update(
                    status=Recipient.Status.IN_PERSON
                )


RUNS = 20


def _among(ids: list[int]) -> Q:
    """pk in `ids` (ascending), with up to `RUNS` runs of consecutive ids as ranges: a
    batch's recipients were mostly written one after the other, and a list of thousands
    of ids costs Django more to pass than the rows cost the database."""
    ranges: list[tuple[int, int]] = []
    single: list[int] = []
    start = 0
    for index in range(1, len(ids) + 1):
        if index < len(ids) and ids[index] == ids[index - 1] + 1:
            continue
        if index - start >= 3 and len(ranges) < RUNS:
            ranges.append((ids[start], ids[index - 1]))
        else:
            single += ids[start:index]
        start = index
    among = Q(pk__in=single) if single else Q()
    for low, high in ranges:
        among |= Q(pk__gte=low, pk__lte=high)
    return among


def start(notice: Notice) -> None:
    """The fan-out begins: a scheduled notice is being sent."""
    if notice.status == Notice.Status.SCHEDULED:
        status.move(notice, Notice.Status.SENDING)


def mark_sent(notice: Notice) -> None:
    """Every recipient has a first channel or a place on the in-person list."""
    status.move(notice, Notice.Status.SENT, again_ok=True)


def _backoff(attempts: int) -> timedelta:
    base = getattr(settings, "LANGSO_NOTICE_RETRY_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim(delivery_id: int) -> int:
    """queued → sending, once: a delivery another worker claimed is left alone."""
    with transaction.atomic():
        return Delivery.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()),
            pk=delivery_id,
            status=Delivery.Status.QUEUED,
        ).update(status=Delivery.Status.SENDING, next_attempt_at=timezone.now() + LEASE)


def _fall_back(delivery: Delivery) -> None:
    """Try the recipient's next channel, or put them on the in-person list."""
    recipient = delivery.recipient
    tried = set(recipient.deliveries.values_list("channel", flat=True))
    ways = [way for way in chain(contacts([recipient])[recipient.pk]) if way[0] not in tried]
    if ways:
        channel, address = ways[0]
        Delivery.objects.create(
            recipient=recipient, notice_id=delivery.notice_id, channel=channel, address=address
        )
        return
    recipient.status = Recipient.Status.IN_PERSON
    recipient.save(update_fields=["status"])


def _finish(delivery: Delivery, outcome: Outcome) -> None:
    max_attempts = getattr(settings, "LANGSO_NOTICE_MAX_ATTEMPTS", 5)
    with transaction.atomic():
        delivery.attempts += 1
        delivery.error = outcome.error
        if outcome.external_id:
            delivery.external_id = outcome.external_id
        if outcome.retry and delivery.attempts < max_attempts:
            delivery.status = Delivery.Status.QUEUED
            delivery.next_attempt_at = timezone.now() + _backoff(delivery.attempts)
        elif outcome.retry or outcome.fall_back or outcome.status == Delivery.Status.FAILED:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = outcome.status
            delivery.sent_at = timezone.now()
            delivery.next_attempt_at = None
        delivery.save(
            update_fields=[
                "attempts",
                "error",
                "external_id",
                "status",
                "next_attempt_at",
                "sent_at",
            ]
        )
        if delivery.status == Delivery.Status.FAILED:
            _fall_back(delivery)
        elif delivery.status in (Delivery.Status.SENT, Delivery.Status.DELIVERED):
            Recipient.objects.filter(pk=delivery.recipient_id).update(
                status=Recipient.Status.REACHED
            )


def release_stale(notice: Notice) -> int:
    """Deliveries left "sending" by a worker that died go back to the queue."""
    return Delivery.objects.filter(
        notice=notice, status=Delivery.Status.SENDING, next_attempt_at__lt=timezone.now()
    ).update(status=Delivery.Status.QUEUED, next_attempt_at=None)


def dispatch(notice: Notice) -> datetime | None:
    """Send every queued delivery that is due; returns when the next one is due (or None)."""
    release_stale(notice)
    while True:
        due = list(
            Delivery.objects.filter(notice=notice, status=Delivery.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
            .values_list("pk", flat=True)[:200]
        )
        if not due:
            break
        for delivery_id in due:
            if not _claim(delivery_id):
                continue
            delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
            outcome = ADAPTERS[delivery.channel].send(delivery, notice)
            _finish(delivery, outcome)
    later = (
        Delivery.objects.filter(
            notice=notice, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
        )
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return later


# Receipts -----------------------------------------------------------------------------


def record_receipt(tracking_id: str, *, delivered: bool) -> Delivery | None:
    """A provider's delivery report for one of our messages (matched by its tracking id).

    Delivered: sent → delivered. Not delivered: the message failed after all, and the
    person is tried on their next channel (or goes on the in-person list); the caller
    (actions.receive_receipt) queues the dispatch of that next delivery.
    """
    prefix, _, rest = tracking_id.partition("-")
    notice_id, _, delivery_id = rest.partition("-")
    if prefix != "langso" or not notice_id.isdigit() or not delivery_id.isdigit():
        return None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=int(delivery_id), notice_id=int(notice_id), status=Delivery.Status.SENT)
            .first()
        )
        if delivery is None:
            return None
        if delivered:
            delivery.status = Delivery.Status.DELIVERED
            delivery.save(update_fields=["status"])
        else:
            delivery.status = Delivery.Status.FAILED
            delivery.error = "The provider reported the message was not delivered."
            delivery.save(update_fields=["status", "error"])
            Recipient.objects.filter(pk=delivery.recipient_id).update(
                status=Recipient.Status.PENDING
            )
            delivery.recipient.refresh_from_db()
            _fall_back(delivery)
    return delivery
