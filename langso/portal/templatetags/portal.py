"""Tags of the public pages: the link previews (Open Graph, Twitter card) and photos."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from langso.portal.addresses import absolute

register = template.Library()


@register.simple_tag(takes_context=True)
def share_tags(context):
    """Open Graph and Twitter card tags with absolute addresses, for Zalo and Facebook."""
    request = context.get("request")
    commune = context.get("commune")
    og = context.get("og") or {}
    if request is None:
        return ""
    title = og.get("title") or str(commune or "")
    description = og.get("description") or ""
    image = absolute(request, og.get("image") or static("portal/share.png"))
    url = absolute(request, request.path)
    pairs = [
        ("property", "og:type", og.get("type", "website")),
        ("property", "og:site_name", str(commune or "")),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:image", image),
        ("property", "og:locale", "vi_VN"),
        ("name", "twitter:card", "summary_large_image" if og.get("image") else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
        ("name", "description", description),
    ]
    tags = format_html_join(
        "\n  ", '<meta {}="{}" content="{}">', ((a, n, v) for a, n, v in pairs if v)
    )
    return tags + format_html('\n  <link rel="canonical" href="{}">', url)
