from django.conf import settings
from django.http import HttpRequest


def absolute(request: HttpRequest, path: str) -> str:
    """`path` as a full address: the configured site address, else the request's host."""
    if settings.LANGSO_SITE_URL:
        return settings.LANGSO_SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)
