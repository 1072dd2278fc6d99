"""Caching of the public pages: for phones on weak networks, and for many readers at once.

Every public page carries an ETag (and a Last-Modified where the page knows its last
change), so a phone that read it already gets "304 Not Modified" and no body. A page a
reader without a session opens is kept in the process's cache for a short while
(`LANGSO_PUBLIC_CACHE_SECONDS`) and marked `public` so that a proxy may keep it too; a
signed-in user's page (it shows their menu) is `private` and never kept.
"""

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.translation import get_language

View = Callable[..., HttpResponse]


def seconds() -> int:
    return int(getattr(settings, "LANGSO_PUBLIC_CACHE_SECONDS", 60))


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # A session or a pending message makes the page someone's own: never shared.
    personal = settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    return not signed_in and not personal


def _finish(request: HttpRequest, response: HttpResponse, shared: bool) -> HttpResponse:
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    if shared:
        patch_cache_control(response, public=True, max_age=seconds())
    else:
        patch_cache_control(response, private=True, no_cache=True)
    conditional = get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=_parse(response.get("Last-Modified")),
        response=response,
    )
    return conditional


def _parse(value: str | None) -> int | None:
    from django.utils.http import parse_http_date_safe

    return parse_http_date_safe(value) if value else None


def public_page(view: View) -> View:
    """Cache-Control, ETag and conditional GET for a public page; a short shared cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shared = _anonymous(request) and request.method in ("GET", "HEAD")
        if not shared:
            return _finish(request, view(request, *args, **kwargs), False)
        key = f"portal:{get_language()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.cookies or response.streaming:
                return _finish(request, response, False)
            set_response_etag(response)
            stored = (response.content, dict(response.items()))
            cache.set(key, stored, seconds())
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return _finish(request, response, True)

    return wrapper


def last_modified(response: HttpResponse, when: datetime | None) -> HttpResponse:
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())
    return response
