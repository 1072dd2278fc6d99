"""The commune's public pages: anyone reads them, without logging in."""

import calendar
from datetime import datetime

from django.conf import settings
from django.core.paginator import Paginator
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
from langso.portal import access
from langso.portal.caching import last_modified, public_page
from langso.portal.models import article_search_q

LATEST = 4
PER_PAGE = 10


def sections_for(commune, request):
    """(section, its HTML) for every registered section that has something to show."""
    shown = []
    for section in public_sections.sections():
        context = section.context(commune, request)
        if context is None:
            continue
        html = render_to_string(
            section.template, {**context, "commune": commune, "section": section}, request
        )
        more = reverse(section.url_name, args=[commune.code]) if section.url_name else ""
        shown.append({"section": section, "html": mark_safe(html), "more": more})
    return shown


@require_GET
@public_page
def home(request, code):
    commune = commune_or_404(code)
    articles = list(access.published_articles(commune).select_related("category")[:LATEST])
    site = access.site_of(commune)
    return render(
        request,
        "portal/home.html",
        {
            "commune": commune,
            "site": site,
            "articles": articles,
            "sections": sections_for(commune, request),
            "og": {"title": str(commune), "description": site.tagline if site else ""},
        },
    )


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
