"""The commune's public site: its contacts and banner, news articles, and procedures.

What other apps publish is not stored here: they register `PublicSection`s with
`langso.places.public` and the home page shows them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.vietnamese import fold

NATIONAL_PORTAL = "https://dichvucong.gov.vn"


class Site(models.Model):
    """A commune's public face: banner, welcome line and how to reach its office."""

    commune = models.OneToOneField(
        "places.Unit", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    tagline = models.CharField(_("welcome line"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.TextField(
        _("office hours"),
        blank=True,
        help_text=_("When the one-stop desk receives residents, one line per period."),
    )
    contacts = models.TextField(
        _("other contacts"),
        blank=True,
        help_text=_("One line per person or office: name, position, phone."),
    )
    banner = models.ImageField(_("banner photo"), upload_to="portal/banner/", blank=True)
    banner_webp = models.FileField(upload_to="portal/banner/", blank=True, editable=False)
    banner_alt = models.CharField(_("banner description"), max_length=200, blank=True)
    host = models.CharField(
        _("host name"),
        max_length=200,
        blank=True,
        help_text=_("A host name that opens this commune's site, e.g. xa-tanlap.example.vn."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commune site")
        verbose_name_plural = _("commune sites")

    def __str__(self):
        return str(self.commune)

    def contact_lines(self):
        return [line.strip() for line in self.contacts.splitlines() if line.strip()]

    def office_hour_lines(self):
        return [line.strip() for line in self.office_hours.splitlines() if line.strip()]


class Category(models.Model):
    commune = models.ForeignKey(
        "places.Unit", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="portal_category_unique")
        ]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self, on=None):
        """Articles readers see at `on` (now): publication time reached, not withdrawn."""
        now = on or timezone.now()
        return self.filter(publish_at__isnull=False, publish_at__lte=now, withdrawn=False)


class Article(models.Model):
    commune = models.ForeignKey(
        "places.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(
        _("text"), help_text=_("Markdown: **bold**, lists, [links](https://…).")
    )
    body_html = models.TextField(editable=False, blank=True)
    folded = models.TextField(editable=False, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    image = models.ImageField(_("photo"), upload_to="portal/news/%Y/%m/", blank=True)
    image_webp = models.FileField(upload_to="portal/news/%Y/%m/", blank=True, editable=False)
    image_width = models.PositiveIntegerField(default=0, editable=False)
    image_height = models.PositiveIntegerField(default=0, editable=False)
    image_alt = models.CharField(_("photo description"), max_length=200, blank=True)
    publish_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty: a draft. A time in the future: published then."),
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["commune", "publish_at"], name="portal_article_pub_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:article", args=[self.commune.code, self.pk])

    def status(self, on=None):
        now = on or timezone.now()
        if self.withdrawn:
            return _("withdrawn")
        if self.publish_at is None:
            return _("draft")
        if self.publish_at > now:
            return _("scheduled")
        return _("published")

    def is_published(self, on=None):
        now = on or timezone.now()
        return not self.withdrawn and self.publish_at is not None and self.publish_at <= now

    def refold(self):
        self.folded = fold(" ".join([self.title, self.summary, self.body]))


class ArticleAttachment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="portal/files/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Procedure(models.Model):
    """An administrative procedure residents do at the commune, shown to everyone.

    The same everywhere (the national rules), so not per commune; the commune's own
    office hours come from its `Site`. Edited by the site administrator.
    """

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    slug = models.SlugField(_("short name"), unique=True)
    title = models.CharField(_("name"), max_length=200)
    field = models.CharField(_("field"), max_length=100)
    office = models.CharField(_("where"), max_length=200)
    summary = models.TextField(_("who needs it"), blank=True)
    steps = models.TextField(_("steps"), help_text=_("One step per line."))
    documents = models.TextField(_("documents to bring"), help_text=_("One document per line."))
    fee = models.TextField(_("fee"))
    processing_time = models.CharField(_("processing time"), max_length=300)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    national_url = models.URLField(
        _("on the national public service portal"),
        default=NATIONAL_PORTAL,
        help_text=_("The procedure's own page there when known; the portal's home page otherwise."),
    )
    national_code = models.CharField(
        _("code of the procedure"),
        max_length=20,
        blank=True,
        help_text=_(
            "Its code in the national database of administrative procedures, e.g. 1.001193."
        ),
    )
    folded = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.folded = fold(f"{self.title} {self.field} {self.summary}")
        super().save(*args, **kwargs)

    def has_own_national_page(self):
        """Whether `national_url` is this procedure's page, not the portal's home."""
        return self.national_url.rstrip("/") != NATIONAL_PORTAL

    def step_lines(self):
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    def document_lines(self):
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


def article_search_q(query: str) -> Q:
    """Every word of the query, folded, in the article's folded text."""
    q = Q()
    for word in fold(query).split():
        q &= Q(folded__contains=word)
    return q


class PublicChange(models.Model):
    """One row counting the changes to what the public pages show (`portal/caching.py`).

    Every process keys its cached public pages by this counter, so a change saved in one
    process reaches the readers of every other process within a second. `topics` counts
    them by app (the app label of the changed row), so that the parts of a page showing
    another app's rows (the home's sections) are kept.
    """

    counter = models.PositiveBigIntegerField(default=0)
    topics = models.JSONField(default=dict, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("change of the public pages")
        verbose_name_plural = _("changes of the public pages")

    def __str__(self):
        return str(self.counter)
