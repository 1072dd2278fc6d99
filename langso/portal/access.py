"""Who reaches which article and site (design.md principle 2): editors with PUBLISH_NEWS
at the commune write its news; the commune administrator (GRANT_ROLES) edits its
contacts. Readers reach only what is published. Missing and out of scope are both 404."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, can, scope_q
from langso.accounts.roles import Capability
from langso.places.models import Unit
from langso.places.public import communes
from langso.portal.models import Article, ArticleAttachment, Category, Procedure, Site


def published_articles(commune: Unit, on: datetime | None = None) -> QuerySet[Article]:
    """The commune's articles readers see at `on` (now)."""
    return Article.objects.published(on).filter(commune=commune)


def get_public_article(commune: Unit, pk: int | str) -> Article:
    article = published_articles(commune).select_related("category").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def get_public_attachment(commune: Unit, pk: int | str) -> ArticleAttachment:
    item = (
        ArticleAttachment.objects.filter(article__in=published_articles(commune), pk=pk)
        .select_related("article")
        .first()
    )
    if item is None:
        raise Http404
    return item


def news_communes_for_user(user: AnyUser) -> QuerySet[Unit]:
    """The communes whose news the user writes."""
    return Unit.objects.current().filter(
        scope_q(user, Capability.PUBLISH_NEWS), kind=Unit.Kind.COMMUNE
    )


def articles_for_user(user: AnyUser) -> QuerySet[Article]:
    return Article.objects.filter(
        scope_q(user, Capability.PUBLISH_NEWS, "commune__path")
    ).select_related("commune", "category")


def get_article_for_user(user: AnyUser, pk: int | str) -> Article:
    article = articles_for_user(user).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def get_attachment_for_user(user: AnyUser, pk: int | str) -> ArticleAttachment:
    item = (
        ArticleAttachment.objects.filter(article__in=articles_for_user(user), pk=pk)
        .select_related("article__commune")
        .first()
    )
    if item is None:
        raise Http404
    return item


def categories_for(commune: Unit) -> QuerySet[Category]:
    return Category.objects.filter(commune=commune)


def get_commune_for_news(user: AnyUser, pk: int | str) -> Unit:
    commune = news_communes_for_user(user).filter(pk=pk).first()
    if commune is None:
        raise Http404
    return commune


def get_site_for_user(user: AnyUser, commune_pk: int | str) -> Site:
    """The commune's site for its administrator (GRANT_ROLES there); unsaved at first."""
    commune = Unit.objects.current().filter(kind=Unit.Kind.COMMUNE, pk=commune_pk).first()
    if commune is None or not can(user, Capability.GRANT_ROLES, commune):
        raise Http404
    return Site.objects.filter(commune=commune).first() or Site(commune=commune)


def site_of(commune: Unit) -> Site | None:
    return Site.objects.filter(commune=commune).first()


def site_by_code(code: str) -> Site | None:
    """The site of the current commune with this official code, read with its commune in
    one query; None when there is no such commune or it has no site."""
    return Site.objects.filter(commune__in=communes(code)).select_related("commune").first()


def public_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.all()


def get_public_procedure(slug: str) -> Procedure:
    procedure = Procedure.objects.filter(slug=slug).first()
    if procedure is None:
        raise Http404
    return procedure
