"""Helpers the party views share."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from langso.lib.dates import month_start
from langso.lib.search import search_text
from langso.party import access
from langso.party.forms import MonthField


def rating_year(today):
    """The year being rated: ratings are made at the year's end, so from July it is this
    year, before July the last."""
    return today.year if today.month >= 7 else today.year - 1


def require_party_user(request):
    if not access.has_party_access(request.user):
        raise Http404


def form_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


def month_param(request, default=None):
    raw = request.GET.get("month", "")
    try:
        return MonthField(required=False).clean(raw) or default or month_start(timezone.localdate())
    except ValidationError:
        return default or month_start(timezone.localdate())


def top_organisations(organisations):
    ids = {org.pk for org in organisations}
    return [org for org in organisations if org.parent_id not in ids]


def people_search(request, organisation):
    query = search_text(request.GET.get("q"))
    people = access.people_for_admission(request.user, organisation)
    return query, people.best_matches(query) if query else people.none()
