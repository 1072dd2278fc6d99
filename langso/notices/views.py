import contextlib
import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from langso.accounts.roles import Capability
from langso.lib.files import file_response
from langso.lib.search import search_text
from langso.notices import access, actions, delivery
from langso.notices import audiences as audience_kinds
from langso.notices import in_person as households
from langso.notices.forms import NoticeForm, ReachForm, RelayForm
from langso.notices.loudspeaker_views import loudspeaker_context
from langso.notices.models import Audience, Channel, Delivery, Recipient
from langso.places.models import Unit
from langso.places.public import commune_or_404
from langso.registry.access import get_person_for_user, people_for_user


def _require_sender(request):
    if not access.may_send(request.user):
        raise Http404


@login_required
def notice_list(request):
    _require_sender(request)
    notices = (
        access.notices_for_user(request.user)
        .select_related("unit")
        .annotate(
            people=Count("recipients", distinct=True),
            in_person=Count(
                "recipients",
                filter=Q(recipients__status=Recipient.Status.IN_PERSON),
                distinct=True,
            ),
        )
        .order_by("-created_at")[:100]
    )
    return render(request, "notices/notice_list.html", {"notices": notices})


def _people_choices(request):
    query = search_text(request.GET.get("q")) or search_text(request.POST.get("q"))
    people = people_for_user(request.user, Capability.SEND_NOTICES)
    if query:
        return query, people.best_matches(query)
    return query, people.filter(pk__in=request.POST.getlist("people"))


@login_required
def notice_create(request):
    _require_sender(request)
    user = request.user
    units = access.sending_units(user).order_by("path")
    issuers = units.exclude(kind=Unit.Kind.GROUP)
    targets = {
        key: (kind.label, kind.targets(user)) for key, kind in audience_kinds.registered().items()
    }
    query, people = _people_choices(request)
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        issuers=issuers,
        units=units,
        hamlets=units.filter(kind=Unit.Kind.HAMLET),
        targets=targets,
        people=people,
        initial={"unit": issuers.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sender_kind, sender_id = data.get("sender") or ("", None)
        issuing = data.get("unit")
        if sender_kind:
            # A notice in a target's name is issued from the target's own unit.
            issuing = audience_kinds.get(sender_kind).get(sender_id).unit
        audiences = [
            Audience(kind=Audience.Kind.UNIT, unit=unit)
            for unit in [*data["units"], *data["groups"]]
        ]
        audiences += [Audience(kind=Audience.Kind.RELAY, unit=u) for u in data["relay_units"]]
        for key in targets:
            audiences += [
                Audience(kind=key, target_id=target.pk)
                for target in data.get(f"audience_{key}") or []
            ]
        audiences += [
            Audience(kind=Audience.Kind.ROLE, role=role, unit=issuing) for role in data["roles"]
        ]
        audiences += [Audience(kind=Audience.Kind.PERSON, person=p) for p in data["people"]]
        refused = [a for a in audiences if not access.can_address(user, a)]
        if sender_kind and not access.can_send_as(user, sender_kind, sender_id):
            raise Http404
        if refused:
            form.add_error(None, _("You may only address people inside your own units."))
        else:
            try:
                notice = actions.create_notice(
                    acting_user=user,
                    unit=issuing,
                    sender_kind=sender_kind,
                    sender_id=sender_id,
                    title=data["title"],
                    body=data["body"],
                    audiences=audiences,
                    urgency=data["urgency"],
                    send_at=data["send_at"],
                    expires_at=data["expires_at"],
                    is_public=data["is_public"],
                    attachments=data["attachments"],
                    loudspeaker=data["loudspeaker"],
                    speech_text=data["speech_text"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return redirect(notice)
    return render(
        request, "notices/notice_form.html", {"form": form, "query": query, "people": people}
    )


@login_required
def notice_detail(request, pk):
    """The notice as its recipient reads it, and its status for those who sent it."""
    user = request.user
    received = None
    with contextlib.suppress(Http404):
        received = access.get_received_notice(user, pk)
    try:
        notice = access.get_notice_for_user(user, pk)
    except Http404:
        if received is None:
            raise
        notice = received.notice
        manages = False
    else:
        manages = True
    context = {"notice": notice, "manages": manages, "received": received}
    if received is not None:
        actions.mark_read(received)
    if manages:
        if notice.status == notice.Status.DRAFT:
            context["preview"] = delivery.preview(notice)
        else:
            context["status"] = status_counts(notice)
        context["relays"] = notice.relays.select_related("unit", "relayed_by", "relayed_as")
        context["audiences"] = notice.audiences.select_related("unit", "person")
        context.update(loudspeaker_context(request.user, notice))
    return render(request, "notices/notice_detail.html", context)


def status_counts(notice):
    """The notice's counts with their labels in the reader's language."""
    by_channel = notice.delivery_counts()
    recipients = notice.recipient_counts()
    return {
        "channels": [
            (label, {Delivery.Status(s).label: n for s, n in by_channel[value].items()})
            for value, label in Channel.choices
            if value in by_channel
        ],
        "recipients": {label: recipients[value] for value, label in Recipient.Status.choices},
        "total": sum(recipients.values()),
    }


@login_required
@require_POST
def notice_send(request, pk):
    notice = access.get_notice_for_user(request.user, pk)
    try:
        actions.send_notice(notice, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if notice.send_at:
            messages.success(request, _("The notice will be sent at the set time."))
        else:
            messages.success(request, _("The notice is being sent."))
    return redirect(notice)


def attachment(request, pk):
    """A public notice's attachment is for anyone; another's for its senders and recipients."""
    item = access.get_attachment_for_user(request.user, pk)
    return file_response(item.file.open("rb"), filename=item.name)


@login_required
def relay_list(request):
    _require_sender(request)
    relays = access.relays_for_user(request.user).order_by("relayed_at", "-notice__sent_at")
    return render(request, "notices/relay_list.html", {"relays": relays[:200]})


@login_required
def relay(request, pk):
    item = access.get_relay_for_user(request.user, pk)
    form = RelayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = actions.relay_notice(
                item,
                acting_user=request.user,
                local_note=form.cleaned_data["local_note"],
                loudspeaker=form.cleaned_data["loudspeaker"],
                speech_text=form.cleaned_data["speech_text"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The notice is being relayed to your residents."))
            return redirect(child)
    return render(request, "notices/relay_form.html", {"relay": item, "form": form})


HOUSEHOLDS_PER_PAGE = 30


def _in_person_visits(user, pk):
    """The user's in-person list of notice `pk` by household, or 404."""
    listed = access.in_person_for_user(user).filter(notice_id=pk)
    first = listed.select_related("notice").first()
    if first is None:
        raise Http404
    notice = first.notice
    recipients = households.to_tell(listed, notice, timezone.localdate())
    return notice, recipients, households.visits(recipients)


def _told_counts(recipients):
    return {
        "told": sum(r.status == Recipient.Status.TOLD for r in recipients),
        "total": len(recipients),
    }


@login_required
def in_person(request, pk):
    """The printable list of households to visit, with a tick box per household.

    Grouped by household (address, head, the members to tell, eldest first), in group
    and house-number order; children under 14 only when the notice names them. The
    screen shows a page of households; `?all=1` gives the whole list to print, one line
    per household."""
    notice, recipients, visits = _in_person_visits(request.user, pk)
    show_all = request.GET.get("all") == "1"
    per_page = (len(visits) or 1) if show_all else HOUSEHOLDS_PER_PAGE
    page = Paginator(visits, per_page).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/in_person.html",
        {
            "notice": notice,
            "page": page,
            "visits": page.object_list,
            "recipients": [r for visit in page.object_list for r in visit.recipients],
            "show_all": show_all,
            "counts": _told_counts(recipients),
            "households": len(visits),
        },
    )


@login_required
@require_POST
def household_told(request, pk, key):
    """Tick off (or undo) everyone listed in one household in one tap."""
    notice, recipients, visits = _in_person_visits(request.user, pk)
    visit = next((v for v in visits if v.key == key), None)
    if visit is None:
        raise Http404
    actions.mark_household_told(
        visit.recipients, acting_user=request.user, told=request.POST.get("told") == "1"
    )
    if request.htmx:
        return render(
            request,
            "notices/_household_row.html",
            {
                "notice": notice,
                "visit": visit,
                "counts": _told_counts(recipients),
                "number": request.POST.get("n", "")[:6],
                "swapped": True,
            },
        )
    return redirect("notices:in-person", pk)


@login_required
@require_POST
def told(request, pk):
    recipient = access.get_in_person_recipient_for_user(request.user, pk)
    actions.mark_told(recipient, acting_user=request.user, told=request.POST.get("told") == "1")
    if request.htmx:
        listed = access.in_person_for_user(request.user).filter(notice_id=recipient.notice_id)
        return render(
            request,
            "notices/_told.html",
            {
                "recipient": recipient,
                "counts": {
                    "told": listed.filter(status=Recipient.Status.TOLD).count(),
                    "total": listed.count(),
                },
            },
        )
    return redirect("notices:in-person", recipient.notice_id)


@login_required
def inbox(request):
    received = access.inbox_for_user(request.user).order_by("-notice__sent_at")[:100]
    read = set(
        Delivery.objects.filter(
            recipient__in=[r.pk for r in received], channel=Channel.APP, read_at__isnull=False
        ).values_list("recipient_id", flat=True)
    )
    return render(request, "notices/inbox.html", {"received": received, "read": read})


def public_notices(request, code):
    """A commune's public notices: anyone may read them, without logging in."""
    commune = commune_or_404(code)
    notices = (
        access.public_notices(commune)
        .select_related("unit")
        .prefetch_related("attachments")
        .order_by("-sent_at")[:50]
    )
    return render(request, "notices/public.html", {"commune": commune, "notices": notices})


@login_required
def reach_edit(request, pk):
    person = get_person_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    reach = getattr(person, "reach", None)
    initial = {}
    if reach is not None:
        initial = {
            "channels": reach.channels,
            "zalo_phone": reach.zalo_phone,
            "sms_phone": reach.sms_phone,
            "email": reach.email,
            "no_phone": reach.no_phone,
        }
    form = ReachForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.set_reach(person, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("How to reach %(name)s was saved.") % {"name": person})
        return redirect(person)
    return render(request, "notices/reach_form.html", {"person": person, "form": form})


@csrf_exempt
@require_GET
def sms_receipt(request):
    """The SMS gateway's delivery report (a GET to the CallbackUrl we sent with the message).

    SendStatus 5 is done (SendSuccess counts the parts delivered), 4 is rejected; the
    others are interim. The token in the URL is the shared secret.
    """
    token = getattr(settings, "LANGSO_SMS_CALLBACK_TOKEN", "")
    if not token or not hmac.compare_digest(request.GET.get("token", ""), token):
        raise Http404
    status = request.GET.get("SendStatus", "")
    if status in ("4", "5"):
        delivered = status == "5" and request.GET.get("SendSuccess", "1") not in ("", "0")
        actions.receive_receipt(request.GET.get("RequestId", ""), delivered=delivered)
    return HttpResponse("OK")


@csrf_exempt
@require_POST
def zalo_receipt(request):
    """Zalo's `user_received_message` event for a ZNS message, signed by the OA secret."""
    from langso.notices.channels import zalo_signature_valid

    body = request.body.decode()
    try:
        event = json.loads(body)
    except ValueError:
        return HttpResponseBadRequest()
    if not zalo_signature_valid(
        body, str(event.get("timestamp", "")), request.headers.get("X-ZEvent-Signature")
    ):
        raise Http404
    if event.get("event_name") == "user_received_message":
        tracking_id = (event.get("message") or {}).get("tracking_id", "")
        actions.receive_receipt(tracking_id, delivered=True)
    return HttpResponse("OK")
