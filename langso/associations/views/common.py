from datetime import date

from django.http import Http404
from django.utils import timezone

from langso.lib.forms import parse_day


def day_param(request) -> date:
    """The day a list is drawn for (?on=dd/mm/yyyy), today by default."""
    return parse_day(request.GET.get("on", "")) or timezone.localdate()


def form_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


def require(condition: bool) -> None:
    if not condition:
        raise Http404
