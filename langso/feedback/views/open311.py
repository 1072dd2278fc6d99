"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), JSON only.

- `jurisdiction_id` is the commune's official code (required);
- services are the feedback categories; each has one required attribute, `hamlet`, whose
  values (the commune's hamlets) the service definition lists;
- `service_request_id` is the report's tracking code;
- a POST goes through the same action, checks and limits as the public form (rate limit
  per IP address and phone, text length, photos by content: one file in `media`);
- nothing about the reporter is ever returned; the description and the answer
  (`status_notes`) only for reports whose reporter let them be published.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from langso.feedback import actions
from langso.feedback.actions import Upload
from langso.feedback.forms import clean_phone
from langso.feedback.models import Category, Report, normal_code
from langso.feedback.views.public import client_ip
from langso.places.models import Unit

MAX_LIST = 1000
DEFAULT_DAYS = 90


def _error(status: int, code: int | str, description: str) -> JsonResponse:
    return JsonResponse([{"code": code, "description": description}], status=status, safe=False)


def _commune(request):
    code = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if not code.isdigit() or len(code) > 10:
        return None
    return Unit.objects.current().filter(kind=Unit.Kind.COMMUNE, code=code).first()


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": category.get_handler_kind_display(),
    }


@require_GET
def services(request):
    if _commune(request) is None:
        return _error(400, 400, "jurisdiction_id: give the commune's official code.")
    return JsonResponse([_service(c) for c in Category.objects.filter(active=True)], safe=False)


@require_GET
def service_definition(request, service_code):
    commune = _commune(request)
    if commune is None:
        return _error(400, 400, "jurisdiction_id: give the commune's official code.")
    category = Category.objects.filter(code=service_code, active=True).first()
    if category is None:
        return _error(404, 404, "No such service_code.")
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
                    "datatype_description": "The hamlet where the problem is.",
                    "order": 1,
                    "description": "Hamlet",
                    "values": [{"key": str(h.pk), "name": h.name} for h in hamlets],
                }
            ],
        }
    )


def _status(report: Report) -> str:
    return "open" if report.is_open else "closed"


def _as_json(report: Report) -> dict:
    updated = report.closed_at or report.answered_at or report.assigned_at or report.received_at
    public = report.is_public
    return {
        "service_request_id": report.code,
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
        "media_url": "",
    }


def _list(request, commune):
    reports = Report.objects.filter(commune=commune).select_related(
        "category", "hamlet", "commune", "assigned_unit"
    )
    ids = request.GET.get("service_request_id", "")
    if ids:
        codes = [normal_code(part) for part in ids.split(",")][:MAX_LIST]
        reports = reports.filter(code__in=codes)
    else:
        start = parse_datetime(request.GET.get("start_date", "") or "")
        end = parse_datetime(request.GET.get("end_date", "") or "")
        if (request.GET.get("start_date") and start is None) or (
            request.GET.get("end_date") and end is None
        ):
            return _error(400, 400, "start_date and end_date are w3 datetimes.")
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
            return _error(400, 400, "status is open or closed.")
    rows = [_as_json(r) for r in reports.order_by("-received_at", "-pk")[:MAX_LIST]]
    return JsonResponse(rows, safe=False)


def _create(request, commune):
    data = request.POST
    category = Category.objects.filter(code=data.get("service_code", ""), active=True).first()
    if category is None:
        return _error(400, 400, "service_code: no such service.")
    hamlet_id = data.get("attribute[hamlet]", "")
    hamlet = (
        Unit.objects.current().filter(parent=commune, kind=Unit.Kind.HAMLET, pk=hamlet_id).first()
        if hamlet_id.isdigit()
        else None
    )
    if hamlet is None:
        return _error(400, 400, "attribute[hamlet]: choose a hamlet of the jurisdiction.")
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
        )
    except (ValueError, KeyError):
        return _error(400, 400, "lat and long are decimal degrees.")
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
def requests(request):
    commune = _commune(request)
    if commune is None:
        return _error(400, 400, "jurisdiction_id: give the commune's official code.")
    if request.method == "POST":
        return _create(request, commune)
    return _list(request, commune)


@require_GET
def request_detail(request, request_id):
    commune = _commune(request)
    if commune is None:
        return _error(400, 400, "jurisdiction_id: give the commune's official code.")
    report = (
        Report.objects.filter(commune=commune, code=normal_code(request_id))
        .select_related("category", "hamlet", "commune", "assigned_unit")
        .first()
    )
    if report is None:
        return _error(404, 404, "No such service_request_id.")
    return JsonResponse([_as_json(report)], safe=False)
