"""Notices that reach everyone (design.md principle 7).

A `Notice` is addressed to `Audience` rows (units with their subtrees, role
holders, hand-picked people, and the targets other apps register in
`langso.notices.audiences`, such as a party organisation). When it is sent, the audience
is resolved once into `Recipient` rows (one per person or account), and each
recipient gets `Delivery` rows, one per channel tried, in the order of the
person's preferences. A recipient no channel can reach is to be told in person
by the hamlet head (or the keeper of a registered target, such as the cell
secretary), who ticks them off.

A notice addressed to hamlets for relay gets a `Relay` row per hamlet; the
hamlet head forwards it to the hamlet's residents as a child notice with an
optional local note.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.notices import audiences


class Channel(models.TextChoices):
    APP = "app", _("In the app")
    ZALO = "zalo", _("Zalo")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


DEFAULT_CHANNELS = [Channel.APP, Channel.ZALO, Channel.SMS, Channel.EMAIL]


class NoticeQuerySet(models.QuerySet):
    def public(self, on=None):
        now = on or timezone.now()
        return self.filter(is_public=True, status=Notice.Status.SENT, sent_at__lte=now).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Notice(models.Model):
    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    unit = models.ForeignKey(
        "places.Unit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the commune's public page.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("relayed from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed_as",
    )
    local_note = models.TextField(_("local note"), blank=True)
    sender_kind = models.CharField(
        _("sent in the name of (kind)"),
        max_length=15,
        blank=True,
        help_text=_("A registered audience kind; empty when the issuing unit sends it."),
    )
    sender_id = models.PositiveBigIntegerField(_("sent in the name of"), null=True, blank=True)
    loudspeaker = models.BooleanField(
        _("read on the loudspeakers"),
        default=False,
        help_text=_("Broadcast on the loudspeakers of the hamlets it is addressed to."),
    )
    speech_text = models.TextField(
        _("text to read aloud"),
        blank=True,
        help_text=_("What the loudspeakers say; empty: the title and the text."),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["is_public", "status", "sent_at"], name="notice_public_idx")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:notice-detail", args=[self.pk])

    def delivery_counts(self):
        """{channel: {delivery status: n}} of the deliveries made so far."""
        counts = {}
        for channel, status, n in (
            self.deliveries.values_list("channel", "status")
            .annotate(n=models.Count("pk"))
            .order_by()
        ):
            counts.setdefault(channel, {})[status] = n
        return counts

    def recipient_counts(self):
        """{recipient status: n}, every status present."""
        found = dict(
            self.recipients.values_list("status").annotate(n=models.Count("pk")).order_by()
        )
        return {status: found.get(status, 0) for status in Recipient.Status.values}

    @property
    def sender(self):
        """The registered target the notice is sent in the name of, or None."""
        kind = audiences.get(self.sender_kind)
        return kind.get(self.sender_id) if kind and self.sender_id else None

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def text_to_read(self):
        """What the loudspeakers read: the text set for it, else the note, title and text."""
        if self.speech_text.strip():
            return self.speech_text.strip()
        parts = [self.title, self.local_note, self.body]
        return "\n".join(part.strip().rstrip(".") + "." for part in parts if part.strip())


class Attachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="notices/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Audience(models.Model):
    """One part of a notice's audience; the parts are united when the notice is sent."""

    class Kind(models.TextChoices):
        """Notices' own kinds; other apps register theirs (langso.notices.audiences)."""

        UNIT = "unit", _("Residents of a unit")
        RELAY = "relay", _("A hamlet, for its head to relay")
        ROLE = "role", _("Holders of a role")
        PERSON = "person", _("A person")
        ACCOUNT = "account", _("An account")
        CONTACT = "contact", _("A phone number or e-mail only")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="audiences")
    kind = models.CharField(_("kind"), max_length=15)
    unit = models.ForeignKey(
        "places.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(
        _("target"), null=True, blank=True, help_text=_("The registered target's id.")
    )
    role = models.CharField(_("role"), max_length=30, blank=True)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An account (kind "account"), or someone known only by a phone number or an e-mail
    # address (kind "contact"), such as a resident who wrote in without an account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self):
        return f"{self.kind_label}: {self.target or self.role}"

    @property
    def kind_label(self):
        if self.kind in self.Kind.values:
            return self.Kind(self.kind).label
        registered = audiences.get(self.kind)
        return registered.label if registered else self.kind

    @property
    def target(self):
        """What this part of the audience names: a unit, a person or a registered target."""
        if self.unit_id:
            return self.unit
        if self.person_id:
            return self.person
        if self.user_id:
            return self.user
        if self.kind == self.Kind.CONTACT:
            return self.contact_phone or self.contact_email
        registered = audiences.get(self.kind)
        return registered.get(self.target_id) if registered and self.target_id else None


class Relay(models.Model):
    """A hamlet's duty to forward a notice, and when its head did."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="relays")
    unit = models.ForeignKey("places.Unit", on_delete=models.PROTECT, related_name="+")
    relayed_as = models.OneToOneField(
        Notice, on_delete=models.SET_NULL, null=True, blank=True, related_name="relay_of"
    )
    relayed_at = models.DateTimeField(_("relayed at"), null=True, blank=True)
    relayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("relay")
        verbose_name_plural = _("relays")
        constraints = [models.UniqueConstraint(fields=["notice", "unit"], name="relay_once")]

    def __str__(self):
        return f"{self.notice} → {self.unit}"


class Reach(models.Model):
    """How a person can be reached, in the order they prefer."""

    person = models.OneToOneField("registry.Person", on_delete=models.CASCADE, related_name="reach")
    channels = models.JSONField(
        _("preferred channels"),
        default=list,
        help_text=_("In order of preference; empty means the usual order."),
    )
    zalo_phone = models.CharField(_("Zalo phone number"), max_length=20, blank=True)
    sms_phone = models.CharField(_("phone number for SMS"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    no_phone = models.BooleanField(
        _("cannot be reached by phone"),
        default=False,
        help_text=_("Tell this person in person (for example an elderly resident)."),
    )

    class Meta:
        verbose_name = _("reachability")
        verbose_name_plural = _("reachability")

    def __str__(self):
        return str(self.person)


class Recipient(models.Model):
    """One person (or account) a sent notice is for."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being sent")
        REACHED = "reached", _("Reached")
        IN_PERSON = "in_person", _("To tell in person")
        TOLD = "told", _("Told in person")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "places.Unit",
        verbose_name=_("hamlet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the person lives: whose in-person list they are on."),
    )
    teller_kind = models.CharField(
        _("told in person by (kind)"),
        max_length=15,
        blank=True,
        help_text=_("Empty: the hamlet head; else the keeper of a registered target."),
    )
    teller_id = models.PositiveBigIntegerField(_("told in person by"), null=True, blank=True)
    # Someone with neither a resident's record nor an account: only how to reach them.
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    told_at = models.DateTimeField(_("told at"), null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "person"],
                condition=Q(person__isnull=False),
                name="recipient_person_once",
            ),
            models.UniqueConstraint(
                fields=["notice", "user"],
                condition=Q(person__isnull=True),
                name="recipient_account_once",
            ),
        ]
        indexes = [
            models.Index(fields=["notice", "status"], name="recipient_status_idx"),
            models.Index(fields=["user", "notice"], name="recipient_user_idx"),
        ]

    def __str__(self):
        return str(self.person or self.user or self.contact_phone or self.contact_email)


class Delivery(models.Model):
    """One channel's attempt to reach one recipient."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="deliveries")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "channel"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["notice", "channel", "status"], name="delivery_status_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.get_channel_display()} · {self.get_status_display()}"

    @property
    def tracking_id(self):
        """Stable across retries: gateways refuse a second message with the same id."""
        return f"langso-{self.notice_id}-{self.pk}"


class ZaloToken(models.Model):
    """The Official Account's current tokens; refreshed when the access token expires."""

    access_token = models.TextField()
    refresh_token = models.TextField()
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Zalo token until {self.expires_at:%d/%m/%Y %H:%M}"


class ChannelQuota(models.Model):
    """Messages sent per channel per day, against the provider's daily quota."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)
    exhausted = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "day"], name="quota_once")]

    def __str__(self):
        return f"{self.channel} {self.day}: {self.used}"


class LoudspeakerSystem(models.Model):
    """A hamlet's (or the commune's) loudspeakers: when they play and how to reach them.

    The controller is reached by the push protocol of docs/notices.md (`push_url`,
    `push_token`); a system without a push URL is played by hand from the MP3.
    """

    unit = models.OneToOneField(
        "places.Unit",
        verbose_name=_("hamlet or commune"),
        on_delete=models.PROTECT,
        related_name="loudspeaker_system",
    )
    slots = models.JSONField(
        _("broadcast slots"),
        default=list,
        help_text=_("Times of day the loudspeakers play, such as 06:00 and 17:00."),
    )
    repeat = models.PositiveSmallIntegerField(
        _("times each notice is played"),
        default=2,
        help_text=_("At this many slots in a row (an urgent notice at once, then the next)."),
    )
    voice = models.CharField(
        _("voice"),
        max_length=30,
        blank=True,
        help_text=_("Empty: the voice of the commune's region."),
    )
    push_url = models.URLField(_("controller address"), blank=True)
    push_token = models.CharField(_("controller token"), max_length=200, blank=True)
    tts_url = models.URLField(
        _("speech service address"),
        blank=True,
        help_text=_("A subscribed voice service; empty: the voice made on the server."),
    )
    tts_token = models.CharField(_("speech service token"), max_length=200, blank=True)
    tts_voice = models.CharField(_("speech service voice"), max_length=60, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("loudspeaker system")
        verbose_name_plural = _("loudspeaker systems")

    def __str__(self):
        return str(self.unit)

    @property
    def token_hint(self):
        """The controller token as shown back: its last four characters only."""
        return f"••••{self.push_token[-4:]}" if len(self.push_token) > 8 else "••••"


class NoticeAudio(models.Model):
    """What the loudspeakers play for a notice: its speech, or a recording made for it."""

    class Source(models.TextChoices):
        SPEECH = "speech", _("Speech made from the text")
        RECORDING = "recording", _("Recorded by a person")

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="audio")
    file = models.FileField(_("audio"), upload_to="notices/audio/%Y/%m/")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    spoken_text = models.TextField(_("text spoken"), blank=True)
    voice = models.CharField(_("voice"), max_length=60, blank=True)
    duration = models.FloatField(_("duration (seconds)"), default=0)
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notice audio")
        verbose_name_plural = _("notice audio")

    def __str__(self):
        return f"{self.notice} ({self.get_source_display()})"


class Broadcast(models.Model):
    """One play of a notice on one hamlet's loudspeakers: the loudspeaker channel's delivery."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        PLAYED = "played", _("Played")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Not played: expired")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="broadcasts")
    system = models.ForeignKey(
        LoudspeakerSystem, on_delete=models.CASCADE, related_name="broadcasts"
    )
    play_at = models.DateTimeField(_("plays at"))
    repetition = models.PositiveSmallIntegerField(_("play"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    played_at = models.DateTimeField(_("played at"), null=True, blank=True)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["play_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "system", "repetition"], name="broadcast_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="broadcast_due_idx")]

    def __str__(self):
        return f"{self.notice} · {self.system} · {self.play_at:%d/%m/%Y %H:%M}"

    @property
    def tracking_id(self):
        return f"langso-b{self.pk}"
