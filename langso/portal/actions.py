"""What editors and administrators do to the public site; every write is audited."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.access import can
from langso.accounts.models import AuditEntry, User
from langso.accounts.roles import Capability
from langso.lib.files import MAX_UPLOAD_DOCUMENT_BYTES, kind_of
from langso.places.models import Unit
from langso.portal.images import prepare_photo
from langso.portal.models import Article, ArticleAttachment, Category, Site
from langso.portal.text import render_markdown

ARTICLE_FIELDS = ("title", "summary", "body", "category", "image_alt")
SITE_FIELDS = ("tagline", "address", "phone", "email", "office_hours", "contacts", "banner_alt")


def _audit(
    acting_user: User | None, verb: str, target: object, unit: Unit, changes: dict | None = None
) -> None:
    AuditEntry.objects.record(
        acting_user, f"portal.{verb}", target=target, unit=unit, changes=changes
    )


def _check(acting_user: User | None, capability: Capability, commune: Unit) -> None:
    # acting_user None is the system (demo builder, data loads).
    if acting_user is not None and not can(acting_user, capability, commune):
        raise PermissionDenied


def _store_photo(article: Article, photo: UploadedFile) -> None:
    prepared = prepare_photo(photo)
    stem = f"{timezone.now():%Y%m%d%H%M%S}"
    article.image.save(f"{stem}.jpg", ContentFile(prepared.jpeg), save=False)
    article.image_webp.save(f"{stem}.webp", ContentFile(prepared.webp), save=False)
    article.image_width, article.image_height = prepared.width, prepared.height


def _add_attachments(article: Article, attachments: Sequence[UploadedFile]) -> None:
    for upload in attachments:
        if upload.size and upload.size > MAX_UPLOAD_DOCUMENT_BYTES:
            raise ValidationError(_("An attachment is too large (at most 20 MB)."))
        if not kind_of(upload):
            raise ValidationError(
                _("%(name)s is not a PDF, Word, Excel or image file.") % {"name": upload.name}
            )
        ArticleAttachment.objects.create(
            article=article, file=upload, name=(upload.name or "file")[:200]
        )


@transaction.atomic
def save_article(
    article: Article | None,
    *,
    acting_user: User | None,
    commune: Unit,
    title: str,
    body: str,
    summary: str = "",
    category: Category | None = None,
    image_alt: str = "",
    photo: UploadedFile | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Article:
    """Create (article None) or change an article; its HTML is rendered and sanitised here."""
    _check(acting_user, Capability.PUBLISH_NEWS, commune)
    if category is not None and category.commune_id != commune.pk:
        raise ValidationError(_("This category belongs to another commune."))
    creating = article is None
    if article is None:
        article = Article(commune=commune, author=acting_user)
    elif article.commune_id != commune.pk:
        raise PermissionDenied
    new = {
        "title": title.strip(),
        "summary": summary.strip(),
        "body": body,
        "category": category,
        "image_alt": image_alt.strip(),
    }
    changes = {
        field: [str(getattr(article, field) or ""), str(value or "")]
        for field, value in new.items()
        if creating or getattr(article, field) != value
    }
    for field, value in new.items():
        setattr(article, field, value)
    article.body_html = render_markdown(body)
    article.refold()
    if photo is not None:
        _store_photo(article, photo)
        changes["photo"] = ["", photo.name or ""]
    article.save()
    _add_attachments(article, attachments)
    _audit(acting_user, "create_article" if creating else "edit_article", article, commune, changes)
    return article


@transaction.atomic
def publish_article(
    article: Article, *, acting_user: User | None, at: datetime | None = None
) -> Article:
    """Publish now, or at `at` (a scheduled article appears by itself at that time)."""
    _check(acting_user, Capability.PUBLISH_NEWS, article.commune)
    when = at or timezone.now()
    old = article.publish_at
    article.publish_at, article.withdrawn = when, False
    article.save(update_fields=["publish_at", "withdrawn", "updated_at"])
    _audit(
        acting_user,
        "publish_article",
        article,
        article.commune,
        {"publish_at": [old.isoformat() if old else "", when.isoformat()]},
    )
    return article


@transaction.atomic
def unpublish_article(article: Article, *, acting_user: User | None) -> Article:
    """Take the article off the site (it stays, withdrawn, and can be published again)."""
    _check(acting_user, Capability.PUBLISH_NEWS, article.commune)
    article.withdrawn = True
    article.save(update_fields=["withdrawn", "updated_at"])
    _audit(acting_user, "unpublish_article", article, article.commune)
    return article


@transaction.atomic
def remove_attachment(item: ArticleAttachment, *, acting_user: User | None) -> None:
    article = item.article
    _check(acting_user, Capability.PUBLISH_NEWS, article.commune)
    _audit(acting_user, "remove_attachment", article, article.commune, {"file": [item.name, ""]})
    item.file.delete(save=False)
    item.delete()


@transaction.atomic
def add_category(commune: Unit, *, acting_user: User | None, name: str) -> Category:
    _check(acting_user, Capability.PUBLISH_NEWS, commune)
    category, created = Category.objects.get_or_create(commune=commune, name=name.strip())
    if created:
        _audit(acting_user, "add_category", category, commune)
    return category


@transaction.atomic
def save_site(
    site: Site, *, acting_user: User | None, banner: UploadedFile | None = None, **fields: str
) -> Site:
    """Change a commune's contacts, office hours and banner (its administrator's work)."""
    _check(acting_user, Capability.GRANT_ROLES, site.commune)
    changes = {}
    for field in SITE_FIELDS:
        if field in fields and getattr(site, field) != fields[field]:
            changes[field] = [getattr(site, field), fields[field]]
            setattr(site, field, fields[field])
    if banner is not None:
        prepared = prepare_photo(banner, width=1600)
        site.banner.save("banner.jpg", ContentFile(prepared.jpeg), save=False)
        site.banner_webp.save("banner.webp", ContentFile(prepared.webp), save=False)
        changes["banner"] = ["", banner.name or ""]
    site.save()
    _audit(acting_user, "edit_site", site, site.commune, changes)
    return site
