from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

from langso.lib.vietnamese import strip_controls


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many
    commune office PCs run an English Windows: their users would get English pages
    they never asked for. Only the cookie the switch sets decides here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class StripControlsMiddleware:
    """Drop control, bidirectional and invisible format characters from every submitted
    value (GET and POST), before any form or view reads it.

    One place for every text field of every app: an RTL override (U+202E) printed a name
    backwards in a PDF, and a NUL byte is refused by PostgreSQL. Line breaks and tabs
    stay; passwords are left as typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        # Webhooks (CSRF-exempt, called by gateways) read and sign their raw body: leave it.
        if getattr(view_func, "csrf_exempt", False):
            return
        request.GET = _cleaned(request.GET)  # type: ignore[assignment]
        if request.method == "POST" and (request.content_type or "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            request.POST = _cleaned(request.POST)  # type: ignore[assignment]


def _cleaned(data: QueryDict) -> QueryDict:
    if all(strip_controls(value) == value for _key, values in data.lists() for value in values):
        return data
    cleaned = data.copy()
    for key, values in data.lists():
        if "password" not in key:
            cleaned.setlist(key, [strip_controls(value) for value in values])
    cleaned._mutable = False
    return cleaned


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set (issue 18, item 14).

    - `Cache-Control: private, no-store` on every response that chose no caching of its
      own: pages and downloads hold personal data unless they say otherwise, and neither
      a proxy nor the browser's disk may keep them. The public site (portal/caching.py),
      its service worker and images, and static files set their own.
    - `Permissions-Policy`: the browser features pages may use (settings).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions = getattr(settings, "LANGSO_PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
