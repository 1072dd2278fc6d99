"""The site's error pages (400, 403 with the CSRF failure, 404, 500): in the site's
layout and the user's language, each with a way home. Wired in `langso/urls.py`
(handler400…) and `CSRF_FAILURE_VIEW`."""

import sys

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from langso.lib.middleware import busy_page, is_busy_database


def _page(request, status, title, message, *, with_request=True):
    context = {"status": status, "title": title, "message": message}
    # The 500 page renders without the request's context processors: whatever broke
    # (the database, a context processor) must not break the error page too.
    body = render_to_string("errors/error.html", context, request if with_request else None)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _page(
        request, 400, _("The request could not be understood"),
        _("Something in the address or the form was not right. Go back and try again."),
    )  # fmt: skip


def permission_denied(request, exception=None):
    return _page(
        request, 403, _("You may not open this page"),
        _(
            "Your account does not allow this. If you think it should, ask the commune's "
            "administrator."
        ),
    )  # fmt: skip


def page_not_found(request, exception=None):
    return _page(
        request, 404, _("Page not found"),
        _(
            "The page does not exist or is not yours to see. Check the address, or start "
            "again from the home page."
        ),
    )  # fmt: skip


def server_error(request):
    # An error raised outside a view (a session or an audit row written by a middleware)
    # comes here with the database busy: say so, as BusyDatabaseMiddleware does for views.
    if is_busy_database(sys.exc_info()[1]):
        return busy_page(request)
    return _page(
        request, 500, _("Something went wrong on our side"),
        _("The error has been recorded. Try again in a few minutes."),
        with_request=False,
    )  # fmt: skip


def csrf_failure(request, reason=""):
    return _page(
        request, 403, _("The form has expired"),
        _(
            "The page was open too long or cookies are blocked. Go back, reload the page "
            "and send the form again."
        ),
    )  # fmt: skip
