"""Caching of the public pages: for phones on weak networks, and for many readers at once.

Every public page carries an ETag (and a Last-Modified where the page knows its last
change), so a phone that read it already gets "304 Not Modified" and no body.

A page a reader without a session opens is marked `public` (a proxy may keep it) and kept
in the process's cache, under a key holding the *change stamp*: a counter (`PublicChange`)
that goes up after every saved change to what the public pages show — an article, the
site, a public notice, a feedback answer, a campaign, a posted poverty list, a unit's
name (`WATCHED`). A change made in this process is seen at once; other processes read the
counter at most once a second (`STAMP_SECONDS`). What changes by time alone (a scheduled
article, a posting that ends, a bulk update that sends no signal) shows within
`LANGSO_PUBLIC_CACHE_SECONDS`, but a scheduled article and the end of a public notice
show at their time exactly: a page is kept no longer than until the next one.

`PublicPageCacheMiddleware` answers a cached page before the session, language, CSRF,
authentication and message middleware run; the `public_page` decorator renders and marks
the pages that may be kept. A signed-in user's page (it shows their menu) is `private`
and never kept.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

View = Callable[..., HttpResponse]

STAMP_SECONDS = 1.0
# Parameters that share links carry and that change nothing on the page.
TRACKING = {"fbclid", "gclid", "zarsrc", "_hsenc", "_hsmi"}
TRACKING_PREFIXES = ("utm_",)
# What the public pages show, model by model, for the apps that publish a lot of rows
# nobody reads publicly (the deliveries of a notice, the surveys of a review…). Any other
# app that registers a public section is watched whole.
WATCHED = {
    "portal": None,  # every model
    "places": {"unit"},
    "notices": {"notice", "attachment"},
    "feedback": None,
    "campaigns": {"campaign", "giver", "exemption", "photo", "committeemember"},
    "poverty": {"review", "entry"},
}
SHARED = "portal_shared"
KEEP_SECONDS = "portal_keep_seconds"
# Set by a view on its response: the time (seconds since the epoch) until which the page
# may be kept, computed from its parts instead of `keep_seconds`.
KEEP_UNTIL = "portal_keep_until"


def seconds() -> int:
    return int(getattr(settings, "LANGSO_PUBLIC_CACHE_SECONDS", 60))


# The change stamp ---------------------------------------------------------------------


class _Stamp(threading.local):
    value: int | None = None
    topics: dict[str, int] = {}
    read_at = 0.0


_stamp = _Stamp()
_local_changes = 0  # changes seen by this process: the stamp moves here at once
_local_topics: Counter[str] = Counter()  # the same, by topic (the app whose row changed)
_local_all = 0  # every part forgotten in this process (`forget_pages()`)
# In `PublicChange.topics`: how many of the counter's steps said what changed. The steps
# that did not (an older process, a bulk update counted by hand) make every part stale.
ATTRIBUTED = "*"


def _read_stamp() -> None:
    from langso.portal.models import PublicChange

    now = time.monotonic()
    if _stamp.value is None or now - _stamp.read_at > STAMP_SECONDS:
        row = PublicChange.objects.filter(pk=1).values_list("counter", "topics").first()
        _stamp.value, _stamp.topics = (row[0], row[1] or {}) if row else (0, {})
        _stamp.read_at = now


def stamp() -> str:
    """The current change stamp: the database's counter and this process's changes."""
    _read_stamp()
    return f"{_stamp.value}.{_local_changes}"


def topic_stamp(topic: str) -> str:
    """The change stamp of one topic (an app label): it moves when a row of that app
    changes, or when the counter moves without saying what changed."""
    _read_stamp()
    topics = _stamp.topics
    unattributed = (_stamp.value or 0) - topics.get(ATTRIBUTED, 0)
    return f"{topics.get(topic, 0)}.{unattributed}.{_local_topics[topic]}.{_local_all}"


def changed(topic: str = "") -> None:
    """Something the public pages show changed: every cached page is stale, and the
    parts (`fragment`) that show `topic` (an app label; empty: unknown, every part)."""
    global _local_changes, _local_all
    _local_changes += 1
    if topic:
        _local_topics[topic] += 1
    else:
        _local_all += 1
    connection = transaction.get_connection()
    pending = getattr(connection, "portal_pending_change", None)
    callbacks = connection.run_on_commit
    if (
        connection.in_atomic_block
        and pending is not None
        and pending[0] < len(callbacks)
        and callbacks[pending[0]] is pending[1]
    ):
        # Counted once when this transaction commits (a demo saves thousands).
        pending[2].add(topic)
        return
    topics = {topic}
    # robust: a failure to count is logged and never fails the change itself.
    transaction.on_commit(lambda: _count_change(topics), robust=True)
    if connection.in_atomic_block:
        connection.portal_pending_change = (
            len(connection.run_on_commit) - 1,
            connection.run_on_commit[-1],
            topics,
        )


def forget_pages(topics: Iterable[str] | None = None) -> None:
    """Forget this process's kept pages (the next read of each renders it again), and
    the kept parts showing `topics` (None: every part); other processes and the apps'
    own caches are not touched."""
    global _local_changes, _local_all
    _local_changes += 1
    if topics is None:
        _local_all += 1
    else:
        _local_topics.update(topics)


def _count_change(topics: set[str]) -> None:
    """One step of the counter, and of each topic that changed (every topic, when one
    change did not say what it was: `ATTRIBUTED` is then not moved)."""
    from langso.portal.models import PublicChange

    global _local_changes
    with transaction.atomic():
        row = PublicChange.objects.select_for_update().filter(pk=1).first()
        if row is None:
            row = PublicChange(pk=1)
        row.counter += 1
        row.topics = dict(row.topics or {})
        if "" not in topics:
            row.topics[ATTRIBUTED] = row.topics.get(ATTRIBUTED, 0) + 1
            for topic in topics:
                row.topics[topic] = row.topics.get(topic, 0) + 1
        row.save()
    _local_changes += 1
    _stamp.value = None


def _watched(model: type) -> bool:
    if model.__module__ == "__fake__":  # a migration's historical model
        return False
    meta = model._meta
    if meta.label_lower == "portal.publicchange":
        return False
    if meta.app_label in WATCHED:
        names = WATCHED[meta.app_label]
        return names is None or meta.model_name in names
    return meta.app_label in _section_apps()


_section_app_labels: set[str] | None = None


def _section_apps() -> set[str]:
    """The apps that register a public section (and are not in WATCHED)."""
    global _section_app_labels
    if _section_app_labels is None:
        from langso.places import public

        labels = set()
        for section in public.sections():
            config = apps.get_containing_app_config(section.context.__module__)
            if config is not None:
                labels.add(config.label)
        _section_app_labels = labels
    return _section_app_labels


def _on_change(sender: type, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    if _watched(sender):
        changed(sender._meta.app_label)


def _on_m2m_change(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and _watched(type(instance)):
        changed(type(instance)._meta.app_label)


def connect() -> None:
    """Listen for saved changes (called once, from the portal's AppConfig.ready)."""
    post_save.connect(_on_change, dispatch_uid="portal-public-change-save")
    post_delete.connect(_on_change, dispatch_uid="portal-public-change-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="portal-public-change-m2m")


# The pages ----------------------------------------------------------------------------


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return not signed_in and not _personal(request)


def _personal(request: HttpRequest) -> bool:
    # A session or a pending message makes the page someone's own: never shared.
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES


def page_key(request: HttpRequest) -> str | None:
    """The cache key of a public page a reader without a session asks for, or None."""
    if request.method != "GET" or not request.path.startswith("/public/"):
        return None
    if _personal(request):
        return None
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    query = request.META.get("QUERY_STRING", "")
    if query:
        pairs = [
            (name, value)
            for name, value in parse_qsl(query, keep_blank_values=True)
            if name not in TRACKING and not name.startswith(TRACKING_PREFIXES)
        ]
        query = urlencode(pairs)
    return f"portal:page:{stamp()}:{language}:{request.get_host()}:{request.path}?{query}"


def _finish(
    request: HttpRequest, response: HttpResponse, shared: bool, keep: int | None = None
) -> HttpResponse:
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    if shared:
        patch_cache_control(response, public=True, max_age=seconds() if keep is None else keep)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return conditional(request, response)


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """304 when the reader's copy (If-None-Match / If-Modified-Since) is still this one."""
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=_parse(response.get("Last-Modified")),
        response=response,
    )


def _parse(value: str | None) -> int | None:
    return parse_http_date_safe(value) if value else None


def keep_seconds(code: str) -> int:
    """How long a page of the commune may be kept: no longer than until its next
    scheduled article or the end of one of its public notices."""
    from langso.notices.models import Notice
    from langso.portal.models import Article

    now = timezone.now()
    upcoming = [
        Article.objects.filter(commune__code=code, withdrawn=False, publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first(),
        Notice.objects.public(now)
        .filter(expires_at__gt=now)
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first(),
    ]
    keep = seconds()
    for when in upcoming:
        if when is not None:
            keep = max(0, min(keep, int((when - now).total_seconds())))
    return keep


def part(
    request: HttpRequest,
    name: str,
    topics: Iterable[str],
    build: Callable[[], tuple[str | None, datetime | None]],
) -> tuple[str | None, float]:
    """A part of a public page (a section of the home): `build()` gives its HTML (None:
    the part is left out) and the time it shows something else by time alone (None if
    never). For a reader without a session the part is kept under the stamps of `topics`
    (the apps whose rows it shows), so that a change elsewhere reuses it; never longer
    than `seconds()` nor past its time. Returns the HTML and when it must be built again
    (seconds since the epoch): the page that holds it is kept no longer.
    """
    now = time.time()
    key = None
    if _anonymous(request):
        stamps = ":".join(topic_stamp(topic) for topic in topics)
        language = translation.get_language()
        key = f"portal:part:{name}:{stamps}:{language}:{request.get_host()}"
        stored = cache.get(key)
        if stored is not None and stored[1] > now:
            return stored
    html, until = build()
    expires = now + seconds()
    if until is not None:
        expires = min(expires, until.timestamp())
    if key is not None and expires > now:
        cache.set(key, (html, expires), expires - now)
    return html, expires


def public_page(view: View) -> View:
    """Cache-Control, ETag and conditional GET for a public page; marks a page a reader
    without a session may share with others (kept by `PublicPageCacheMiddleware`)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        shared = _anonymous(request) and request.method in ("GET", "HEAD")
        if not shared or response.status_code != 200:
            return _finish(request, response, False)
        if hasattr(response, "render"):
            response.render()
        until = getattr(response, KEEP_UNTIL, None)
        if until is None:
            keep = keep_seconds(kwargs.get("code", ""))
        else:
            keep = max(0, min(seconds(), int(until - time.time())))
        setattr(response, SHARED, keep > 0)
        setattr(response, KEEP_SECONDS, keep)
        return _finish(request, response, True, keep)

    return wrapper


class PublicPageCacheMiddleware:
    """Answer a public page from the cache before the rest of the middleware runs.

    Placed right after the security and static-file middleware: a hit costs a cache
    lookup, the change stamp (a query at most once a second) and the conditional check.
    A miss runs the whole stack and the view; the page is kept when the view marked it
    shareable and nothing personal was added on the way out (no cookie set). Other apps'
    public pages (they cannot use the portal's decorator) get an ETag and 304 here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return conditional(request, response)
        response = self.get_response(request)
        if (
            getattr(response, SHARED, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            cache.set(
                key, (response.content, dict(response.items())), getattr(response, KEEP_SECONDS)
            )
        elif response.status_code == 200 and not response.streaming:
            # Another app's public page (notices, feedback answers, campaigns…): an ETag
            # and 304 too, so that a phone does not download it again.
            if not response.has_header("ETag"):
                set_response_etag(response)
            return conditional(request, response)
        return response


def last_modified(response: HttpResponse, when: datetime | None) -> HttpResponse:
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())
    return response
