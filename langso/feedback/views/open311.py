"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), JSON only.

- `jurisdiction_id` is the commune's official code (required);
- services are the feedback categories; each has one required attribute, `hamlet`, whose
  values (the commune's hamlets) the service definition lists;
- a POST goes through the same action, checks and limits as the public form (rate limit
  per IP address and phone, text length, photos by content in `media`); a `media_url` is
  kept as a link for the handlers, never fetched (docs/feedback.md);
- the tracking code is the resident's key to the report's page (where they rate and
  reopen): a POST answers it as `service_request_id`, and whoever holds it may ask for
  the request by it; lists give every other request its public id `LS-<number>`
  instead, so that no list hands out the keys of other residents' reports;
- nothing about the reporter is ever returned; the description and the answer
  (`status_notes`) only for reports whose reporter let them be published;
- descriptions and errors are in Vietnamese, or in English with `locale=en` (or an
  `Accept-Language` that prefers English).
"""

import functools
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from langso.feedback import actions
from langso.feedback.actions import Upload
from langso.feedback.defaults import category_description
from langso.feedback.forms import clean_phone
from langso.feedback.models import Category, Report, normal_code
from langso.feedback.views.public import client_ip
from langso.places.models import Unit

MAX_LIST = 1000
DEFAULT_DAYS = 90
PUBLIC_ID = "LS-"  # L is not in the tracking codes' alphabet: the two never collide


def _language(request) -> str:
    asked = (request.GET.get("locale") or request.POST.get("locale") or "").lower()[:5]
    if not asked:
        asked = translation.get_language_from_request(request)
    return "en" if asked.startswith("en") else "vi"


def speaking(view):
    """The view answers in the language the caller asked for (Vietnamese by default)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(_language(request)):
            return view(request, *args, **kwargs)

    return wrapped


def _error(status: int, code: int | str, description: str) -> JsonResponse:
    return JsonResponse([{"code": code, "description": description}], status=status, safe=False)


def _no_jurisdiction() -> JsonResponse:
    return _error(400, 400, _("jurisdiction_id: give the commune's official code."))


def _commune(request):
    code = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if not code.isdigit() or len(code) > 10:
        return None
    return Unit.objects.current().filter(kind=Unit.Kind.COMMUNE, code=code).first()


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category_description(category.code) or category.name,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": category.get_handler_kind_display(),
    }


@require_GET
@speaking
def services(request):
    if _commune(request) is None:
        return _no_jurisdiction()
    return JsonResponse([_service(c) for c in Category.objects.filter(active=True)], safe=False)


@require_GET
@speaking
def service_definition(request, service_code):
    commune = _commune(request)
    if commune is None:
        return _no_jurisdiction()
    category = Category.objects.filter(code=service_code, active=True).first()
    if category is None:
        return _error(404, 404, _("No such service_code."))
    hamlets = Unit.objects.current().filter(parent=commune, kind=Unit.Kind.HAMLET).order_by("name")
    return JsonResponse(
        {
            "service_code": category.code,
            "attributes": [
                {
                    "variable": True,
                    "code": "hamlet",
                    "datatype": "singlevaluelist",
                    "required": True,
                    "datatype_description": _("The hamlet where the problem is."),
                    "order": 1,
                    "description": _("Hamlet"),
                    "values": [{"key": str(h.pk), "name": h.name} for h in hamlets],
                }
            ],
        }
    )


def _status(report: Report) -> str:
    return "open" if report.is_open else "closed"


def public_id(report: Report) -> str:
    return f"{PUBLIC_ID}{report.pk}"


def _media_url(request, report: Report) -> str:
    """A photo anyone may see: the first of a published answer's, or the link the
    resident gave; empty otherwise."""
    if not report.is_public:
        return ""
    if report.state in (Report.State.ANSWERED, Report.State.CLOSED) and report.answer:
        photo = report.photos.order_by("pk").first()
        if photo is not None:
            return request.build_absolute_uri(
                reverse("public:feedback-photo", args=[report.commune.code, photo.pk])
            )
    return report.media_url


def _as_json(request, report: Report, request_id: str) -> dict:
    updated = report.closed_at or report.answered_at or report.assigned_at or report.received_at
    public = report.is_public
    return {
        "service_request_id": request_id,
        "status": _status(report),
        "status_notes": report.answer if public else "",
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.text if public else "",
        "agency_responsible": str(report.assigned_unit or report.commune),
        "service_notice": "",
        "requested_datetime": report.received_at.isoformat(),
        "updated_datetime": updated.isoformat(),
        "expected_datetime": timezone.make_aware(
            datetime.combine(report.due_on, datetime.min.time())
        ).isoformat(),
        "address": f"{report.hamlet.name}, {report.commune.name}"
        + (f" ({report.landmark})" if public and report.landmark else ""),
        "address_id": str(report.hamlet_id),
        "zipcode": "",
        "lat": float(report.latitude) if public and report.latitude is not None else None,
        "long": float(report.longitude) if public and report.longitude is not None else None,
        "media_url": _media_url(request, report),
    }


def _by_id(reports, ids: list[str]):
    """The requests named by public ids (`LS-12`) or tracking codes, with the id each was
    asked by: {report pk: id}."""
    pks, codes = [], []
    for asked in ids:
        text = asked.strip().upper()
        if text.startswith(PUBLIC_ID) and text[len(PUBLIC_ID) :].isdigit():
            pks.append(int(text[len(PUBLIC_ID) :]))
        elif normal_code(text):
            codes.append(normal_code(text))
    found = reports.filter(Q(pk__in=pks) | Q(code__in=codes))
    return [(r, r.code if r.code in codes else public_id(r)) for r in found]


def _list(request, commune):
    reports = Report.objects.filter(commune=commune).select_related(
        "category", "hamlet", "commune", "assigned_unit"
    )
    ids = request.GET.get("service_request_id", "")
    if ids:
        found = _by_id(reports, ids.split(",")[:MAX_LIST])
        found.sort(key=lambda pair: (pair[0].received_at, pair[0].pk), reverse=True)
        return JsonResponse([_as_json(request, r, rid) for r, rid in found], safe=False)
    else:
        start = parse_datetime(request.GET.get("start_date", "") or "")
        end = parse_datetime(request.GET.get("end_date", "") or "")
        if (request.GET.get("start_date") and start is None) or (
            request.GET.get("end_date") and end is None
        ):
            return _error(400, 400, _("start_date and end_date are w3 datetimes."))
        end = end or timezone.now()
        start = start or end - timedelta(days=DEFAULT_DAYS)
        reports = reports.filter(received_at__gte=start, received_at__lte=end)
        codes = [c for c in request.GET.get("service_code", "").split(",") if c]
        if codes:
            reports = reports.filter(category__code__in=codes)
        status = request.GET.get("status", "")
        if status == "open":
            reports = reports.filter(state__in=Report.OPEN)
        elif status == "closed":
            reports = reports.exclude(state__in=Report.OPEN)
        elif status:
            return _error(400, 400, _("status is open or closed."))
    reports = reports.prefetch_related("photos").order_by("-received_at", "-pk")[:MAX_LIST]
    rows = [_as_json(request, r, public_id(r)) for r in reports]
    return JsonResponse(rows, safe=False)


def _create(request, commune):
    data = request.POST
    category = Category.objects.filter(code=data.get("service_code", ""), active=True).first()
    if category is None:
        return _error(400, 400, _("service_code: no such service."))
    hamlet_id = data.get("attribute[hamlet]", "")
    hamlet = (
        Unit.objects.current().filter(parent=commune, kind=Unit.Kind.HAMLET, pk=hamlet_id).first()
        if hamlet_id.isdigit()
        else None
    )
    if hamlet is None:
        return _error(400, 400, _("attribute[hamlet]: choose a hamlet of the jurisdiction."))
    media_url = data.get("media_url", "").strip()
    if media_url:
        try:
            if len(media_url) > 500 or not media_url.lower().startswith(("https://", "http://")):
                raise ValidationError("scheme")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            return _error(400, 400, _("media_url: give the http(s) address of a photo."))
    try:
        phone = clean_phone(data.get("phone", ""))
        latitude = longitude = None
        if data.get("lat") or data.get("long"):
            latitude, longitude = round(float(data["lat"]), 6), round(float(data["long"]), 6)
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise ValueError
        media = request.FILES.getlist("media")
        report = actions.submit_report(
            acting_user=None,
            hamlet=hamlet,
            category=category,
            text=data.get("description", ""),
            channel=Report.Channel.OPEN311,
            landmark=data.get("address_string", ""),
            latitude=None if latitude is None else _decimal(latitude),
            longitude=None if longitude is None else _decimal(longitude),
            share_location=latitude is not None,
            photos=[Upload(m.name or "", m) for m in media],
            reporter_phone=phone,
            reporter_email=data.get("email", "")[:254] if "@" in data.get("email", "") else "",
            source_ip=client_ip(request),
            media_url=media_url,
        )
    except (ValueError, KeyError):
        return _error(400, 400, _("lat and long are decimal degrees."))
    except ValidationError as error:
        status = 429 if getattr(error, "code", "") == "rate_limit" else 400
        return _error(status, status, " ".join(error.messages))
    return JsonResponse(
        [{"service_request_id": report.code, "service_notice": "", "account_id": None}],
        status=201,
        safe=False,
    )


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@speaking
def requests(request):
    commune = _commune(request)
    if commune is None:
        return _no_jurisdiction()
    if request.method == "POST":
        return _create(request, commune)
    return _list(request, commune)


@require_GET
@speaking
def request_detail(request, request_id):
    commune = _commune(request)
    if commune is None:
        return _no_jurisdiction()
    reports = Report.objects.filter(commune=commune).select_related(
        "category", "hamlet", "commune", "assigned_unit"
    )
    found = _by_id(reports, [request_id])
    if not found:
        return _error(404, 404, _("No such service_request_id."))
    report, asked_by = found[0]
    return JsonResponse([_as_json(request, report, asked_by)], safe=False)
