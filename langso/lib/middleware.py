import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

from langso.lib.vietnamese import strip_controls

logger = logging.getLogger(__name__)


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


def is_busy_database(error: BaseException | None) -> bool:
    """Whether `error` says the database was busy, not broken: SQLite's write lock held
    past the connection's timeout, or PostgreSQL's lock_timeout."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == "55P03":  # lock_not_available
        return True
    return "database is locked" in str(error) or "database table is locked" in str(error)


def busy_page(request: HttpRequest) -> HttpResponse:
    """503 with "busy, try again", in the site's layout, asking the browser to retry."""
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    context = {
        "status": 503,
        "title": _("The site is busy"),
        "message": _(
            "Someone is saving a large import and the database is busy for a moment. "
            "Nothing you entered was saved: wait a few seconds and try again."
        ),
    }
    # Rendered without the request's context processors, which may need the database.
    response = HttpResponse(render_to_string("errors/error.html", context), status=503)
    response["Retry-After"] = str(settings.LANGSO_BUSY_RETRY_SECONDS)
    return response


class BusyDatabaseMiddleware:
    """A view that found the database busy answers "busy, try again" (503), not 500.

    The wait itself is bounded by the connection (SQLite's `timeout`, PostgreSQL's
    `lock_timeout`); errors raised outside views reach the 500 handler, which does the
    same (portal/errors.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy_database(exception):
            return None
        logger.warning("Database busy: %s %s answered 503", request.method, request.path)
        return busy_page(request)
