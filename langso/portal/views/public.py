"""The commune's public pages: anyone reads them, without logging in."""

import calendar
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Subquery
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from langso.lib.files import file_response
from langso.places import public as public_sections
from langso.places.public import commune_or_404
from langso.portal import access, caching
from langso.portal.caching import last_modified, public_page
from langso.portal.models import Article, article_search_q

LATEST = 4
PER_PAGE = 10


def sections_for(commune, request):
    """(section, its HTML) for every registered section that has something to show, and
    when the first of them must be built again (seconds since the epoch).

    Each section is a part of the page (`caching.part`) kept under the change stamp of
    its own app and of the units: a new notice builds the notices' section again and
    reuses the others."""
    shown = []
    expires = []
    for section in public_sections.sections():
        html, until = caching.part(
            request,
            f"{section.key}:{commune.pk}",
            (section_topic(section), "places"),
            lambda section=section: render_section(section, commune, request),
        )
        expires.append(until)
        if html is None:
            continue
        more = reverse(section.url_name, args=[commune.code]) if section.url_name else ""
        shown.append({"section": section, "html": mark_safe(html), "more": more})
    return shown, min(expires, default=None)


def section_topic(section):
    """The app whose rows a section shows: its stamp keeps the section."""
    config = apps.get_containing_app_config(section.context.__module__)
    return config.label if config is not None else ""


def render_section(section, commune, request):
    context = section.context(commune, request)
    if context is None:
        return None, None
    html = render_to_string(
        section.template, {**context, "commune": commune, "section": section}, request
    )
    return html, context.get(public_sections.UNTIL)


def latest_news(commune, request):
    """The home's latest news and the time of the next scheduled article (it appears
    then by itself), read together."""
    now = timezone.now()
    upcoming = (
        Article.objects.filter(commune=commune, withdrawn=False, publish_at__gt=now)
        .order_by("publish_at")
        .values("publish_at")[:1]
    )
    articles = list(
        access.published_articles(commune, now)
        .select_related("category")
        .annotate(upcoming=Subquery(upcoming))[:LATEST]
    )
    if articles:
        until = articles[0].upcoming
    else:
        until = upcoming.values_list("publish_at", flat=True).first()
    html = render_to_string(
        "portal/_home_news.html", {"commune": commune, "articles": articles}, request
    )
    return html, until


@require_GET
@public_page
def home(request, code):
    site = access.site_by_code(code)
    commune = site.commune if site is not None else commune_or_404(code)
    news, news_until = caching.part(
        request, f"news:{commune.pk}", ("portal", "places"), lambda: latest_news(commune, request)
    )
    sections, sections_until = sections_for(commune, request)
    response = render(
        request,
        "portal/home.html",
        {
            "commune": commune,
            "site": site,
            "news": mark_safe(news),
            "sections": sections,
            "og": {"title": str(commune), "description": site.tagline if site else ""},
        },
    )
    # Kept no longer than its first part: a scheduled article, a notice that ends.
    setattr(response, caching.KEEP_UNTIL, min(news_until, sections_until or news_until))
    return response


@require_GET
@public_page
def news_list(request, code, year=None, month=None):
    commune = commune_or_404(code)
    articles = access.published_articles(commune).select_related("category")
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    heading_month = None
    if year is not None:
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise Http404
        start = timezone.make_aware(datetime(year, month, 1))
        end_day = calendar.monthrange(year, month)[1]
        end = timezone.make_aware(datetime(year, month, end_day, 23, 59, 59, 999999))
        articles = articles.filter(publish_at__range=(start, end))
        heading_month = start
    if query:
        articles = articles.filter(article_search_q(query))
    if category.isdigit():
        articles = articles.filter(category_id=int(category))
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    months = (
        access.published_articles(commune)
        .annotate(month=TruncMonth("publish_at"))
        .values_list("month", flat=True)
        .order_by("-month")
        .distinct()
    )
    return render(
        request,
        "portal/news_list.html",
        {
            "commune": commune,
            "page": page,
            "query": query,
            "months": list(months)[:24],
            "heading_month": heading_month,
            "categories": access.categories_for(commune),
            "category": category,
            "og": {"title": str(commune)},
        },
    )


@require_GET
@public_page
def article(request, code, pk):
    commune = commune_or_404(code)
    item = access.get_public_article(commune, pk)
    response = render(
        request,
        "portal/article.html",
        {
            "commune": commune,
            "article": item,
            "attachments": item.attachments.all(),
            "og": {
                "title": item.title,
                "description": item.summary,
                "image": reverse("portal:article-image", args=[code, item.pk, "jpg"])
                if item.image
                else "",
                "type": "article",
            },
        },
    )
    return last_modified(response, item.updated_at)


@require_GET
def article_image(request, code, pk, ext):
    commune = commune_or_404(code)
    item = access.get_public_article(commune, pk)
    stored = item.image_webp if ext == "webp" else item.image
    if not stored:
        raise Http404
    response = file_response(stored.open("rb"), filename=f"{item.pk}.{ext}")
    response["Cache-Control"] = "public, max-age=86400"
    return last_modified(response, item.updated_at)


@require_GET
def banner(request, code, ext):
    commune = commune_or_404(code)
    site = access.site_of(commune)
    stored = (site.banner_webp if ext == "webp" else site.banner) if site else None
    if not stored:
        raise Http404
    response = file_response(stored.open("rb"), filename=f"banner.{ext}")
    response["Cache-Control"] = "public, max-age=86400"
    return last_modified(response, site.updated_at)


@require_GET
def attachment(request, code, pk):
    commune = commune_or_404(code)
    item = access.get_public_attachment(commune, pk)
    return file_response(item.file.open("rb"), filename=item.name)


@require_GET
@public_page
def procedure_list(request, code):
    commune = commune_or_404(code)
    return render(
        request,
        "portal/procedure_list.html",
        {
            "commune": commune,
            "procedures": access.public_procedures(),
            "site": access.site_of(commune),
            "og": {"title": str(commune)},
        },
    )


@require_GET
@public_page
def procedure(request, code, slug):
    commune = commune_or_404(code)
    item = access.get_public_procedure(slug)
    response = render(
        request,
        "portal/procedure_detail.html",
        {
            "commune": commune,
            "procedure": item,
            "site": access.site_of(commune),
            "og": {"title": item.title, "description": item.summary},
        },
    )
    return last_modified(response, item.updated_at)


@require_GET
@public_page
def offline(request, code):
    commune = commune_or_404(code)
    return render(request, "portal/offline.html", {"commune": commune})


@require_GET
def language(request):
    """Switch the language by a plain link (public pages carry no form token, so that
    they can be cached and shared); only a cookie changes."""
    chosen = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if chosen in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
