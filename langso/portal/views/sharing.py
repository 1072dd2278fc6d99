"""What makes the public site travel well: feeds, sitemap, robots.txt, the web manifest
and the service worker that keeps the last pages read for reading offline."""

import json

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from langso.notices.access import public_notices
from langso.places.models import Unit
from langso.places.public import commune_or_404
from langso.portal import access
from langso.portal.addresses import absolute
from langso.portal.models import Article, Site

FEED_ITEMS = 20
SITEMAP_LIMIT = 50_000


class NewsFeed(Feed):
    def get_object(self, request, code):
        return commune_or_404(code)

    def title(self, commune):
        return _("News of %(commune)s") % {"commune": commune}

    def link(self, commune):
        return reverse("portal:news", args=[commune.code])

    def description(self, commune):
        return self.title(commune)

    def items(self, commune):
        return access.published_articles(commune).select_related("commune")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body_html

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class NoticesFeed(Feed):
    def get_object(self, request, code):
        return commune_or_404(code)

    def title(self, commune):
        return _("Notices of %(commune)s") % {"commune": commune}

    def link(self, commune):
        return reverse("public:public-notices", args=[commune.code])

    def description(self, commune):
        return self.title(commune)

    def items(self, commune):
        self._commune = commune
        return public_notices(commune).order_by("-sent_at")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return reverse("public:public-notices", args=[self._commune.code]) + f"#notice-{item.pk}"

    def item_pubdate(self, item):
        return item.sent_at


class NoticesAtomFeed(NoticesFeed):
    feed_type = Atom1Feed
    subtitle = NoticesFeed.description


def _communes_with_sites():
    with_site = Site.objects.values("commune_id")
    with_news = Article.objects.published().order_by().values("commune_id")
    return (
        Unit.objects.current()
        .filter(kind=Unit.Kind.COMMUNE)
        .filter(Q(pk__in=with_site) | Q(pk__in=with_news))
    )


@require_GET
def sitemap(request):
    urls = []
    procedures = list(access.public_procedures())
    for commune in _communes_with_sites().order_by("code"):
        code = commune.code
        urls.append((reverse("portal:home", args=[code]), None))
        urls.append((reverse("portal:news", args=[code]), None))
        urls.append((reverse("public:public-notices", args=[code]), None))
        urls.append((reverse("portal:procedures", args=[code]), None))
        for item in procedures:
            urls.append((reverse("portal:procedure", args=[code, item.slug]), item.updated_at))
        for article in access.published_articles(commune).only("pk", "updated_at"):
            urls.append((reverse("portal:article", args=[code, article.pk]), article.updated_at))
        if len(urls) >= SITEMAP_LIMIT:
            break
    body = render_to_string(
        "portal/sitemap.xml",
        {"urls": [(absolute(request, path), when) for path, when in urls[:SITEMAP_LIMIT]]},
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@require_GET
def robots(request):
    lines = [
        "User-agent: *",
        "Allow: /public/",
        "Allow: /static/",
        "Disallow: /",
        f"Sitemap: {absolute(request, reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def manifest(request, code):
    commune = commune_or_404(code)
    home = reverse("portal:home", args=[code])
    data = {
        "name": str(commune),
        "short_name": commune.name[:12],
        "lang": "vi",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#f6f7f8",
        "theme_color": "#b3261e",
        "icons": [
            {"src": static("portal/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("portal/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("portal/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request, code):
    commune = commune_or_404(code)
    home = reverse("portal:home", args=[code])
    body = render_to_string(
        "portal/sw.js",
        {
            "scope": home,
            "offline": reverse("portal:offline", args=[code]),
            "static": [static("css/langso.css"), static("portal/portal.css")],
            "commune": commune,
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # A new worker must be found at once after a release.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = home
    return response


def _get_only(feed_class):
    @require_GET
    def view(request, code):
        # A feed object per request: the notices' feed keeps its commune while it runs.
        return feed_class()(request, code=code)

    return view


news_rss = _get_only(NewsFeed)
news_atom = _get_only(NewsAtomFeed)
notices_rss = _get_only(NoticesFeed)
notices_atom = _get_only(NoticesAtomFeed)
