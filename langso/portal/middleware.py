"""Two small pieces of request handling the public site and the whole site need."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

RESUMED = "resumed"


class CommuneHostMiddleware:
    """A host name mapped to a commune (its `Site.host`, or `LANGSO_COMMUNE_HOSTS`
    "host=code,…") opens that commune's public home at `/`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/":
            code = self.commune_code(request.get_host().split(":")[0].lower())
            if code:
                return HttpResponseRedirect(reverse("portal:home", args=[code]))
        return self.get_response(request)

    @staticmethod
    def commune_code(host):
        mapped = getattr(settings, "LANGSO_COMMUNE_HOSTS", {})
        if host in mapped:
            return mapped[host]
        from langso.portal.models import Site

        site = Site.objects.filter(host=host).select_related("commune").first()
        return site.commune.code if site else ""


class ResumeAfterLoginMiddleware:
    """A session that expired while a form was being filled: the POST is sent to the
    login page, which says so, and after logging in the user is back at the same form
    with a message (what was typed could not be kept: the request carried no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and RESUMED in request.GET
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            messages.warning(
                request,
                _(
                    "You were logged out while filling in this form. Here it is again: "
                    "please enter what you typed and send it once more."
                ),
            )
            query = request.GET.copy()
            query.pop(RESUMED)
            clean = request.path + (f"?{query.urlencode()}" if query else "")
            return HttpResponseRedirect(clean)
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 302
            and not request.user.is_authenticated
        ):
            login = resolve_url(settings.LOGIN_URL)
            parts = urlsplit(response["Location"])
            if parts.path == login:
                query = dict(parse_qsl(parts.query))
                target = urlsplit(query.get("next", request.path))
                resumed = dict(parse_qsl(target.query)) | {RESUMED: "1"}
                query["next"] = urlunsplit(("", "", target.path, urlencode(resumed), ""))
                query["expired"] = "1"
                response["Location"] = urlunsplit(("", "", login, urlencode(query), ""))
        return response
