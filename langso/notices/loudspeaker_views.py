"""The loudspeaker pages: a notice's audio (listen, download, replace with a recording),
the loudspeaker systems of the user's hamlets, and the controllers' reports."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from langso.lib import tts
from langso.lib.files import file_response
from langso.notices import access, actions, loudspeakers
from langso.notices.forms import LoudspeakerSystemForm, RecordingForm
from langso.notices.models import Broadcast, NoticeAudio


def loudspeaker_context(user, notice):
    """What the notice page shows of the loudspeakers to those who manage the notice."""
    broadcasts = list(notice.broadcasts.select_related("system__unit"))
    _systems, without = loudspeakers.systems_of(notice)
    audio = NoticeAudio.objects.filter(notice=notice).first()
    return {
        "loudspeaker": notice.loudspeaker,
        "broadcasts": broadcasts,
        "without_system": without if notice.loudspeaker else [],
        "audio": audio,
        "may_record": access.can_manage_notice(user, notice)
        and not any(b.status != Broadcast.Status.QUEUED for b in broadcasts),
        "recording_form": RecordingForm(),
    }


@login_required
@require_GET
def notice_audio(request, pk):
    """The notice's loudspeaker MP3, made now if it has none yet."""
    notice = access.get_notice_for_user(request.user, pk)
    try:
        audio = loudspeakers.ensure_audio(notice)
    except tts.SpeechError:
        return HttpResponse(_("The audio could not be made now. Try again later."), status=503)
    download = request.GET.get("download") == "1"
    return file_response(
        audio.file.open("rb"), filename=f"thong-bao-{notice.pk}.mp3", as_attachment=download
    )


@login_required
@require_POST
def notice_recording(request, pk):
    """Replace the notice's speech with the user's own recording (from the browser)."""
    notice = access.get_notice_for_user(request.user, pk)
    if not access.can_manage_notice(request.user, notice):
        raise PermissionDenied
    form = RecordingForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect(notice)
    try:
        actions.replace_audio(
            notice, form.cleaned_data["recording"].read(), acting_user=request.user
        )
    except tts.SpeechError:
        messages.error(request, _("The file is not a sound recording we can play."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your recording will be played on the loudspeakers."))
    if request.headers.get("HX-Request") or request.POST.get("ajax"):
        return HttpResponse(status=204, headers={"HX-Redirect": notice.get_absolute_url()})
    return redirect(notice)


@login_required
@require_POST
def notice_speak(request, pk):
    """Make the speech from the text again (dropping a recording)."""
    notice = access.get_notice_for_user(request.user, pk)
    if not access.can_manage_notice(request.user, notice):
        raise PermissionDenied
    try:
        actions.speak_again(notice, acting_user=request.user)
    except tts.SpeechError:
        messages.error(request, _("The audio could not be made now. Try again later."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The speech was made again from the text."))
    return redirect(notice)


@login_required
def loudspeaker_list(request):
    units = access.loudspeaker_units_for_user(request.user).order_by("path")
    if not units.exists():
        raise Http404
    systems = {s.unit_id: s for s in loudspeakers.LoudspeakerSystem.objects.filter(unit__in=units)}
    rows = [(unit, systems.get(unit.pk)) for unit in units[:300]]
    return render(request, "notices/loudspeaker_list.html", {"rows": rows})


@login_required
def loudspeaker_edit(request, pk):
    unit = access.get_loudspeaker_unit_for_user(request.user, pk)
    system = access.get_loudspeaker_system_for_user(request.user, unit)
    region_voice = loudspeakers.voice_for(unit)
    initial = {"slots": "06:00, 17:00", "repeat": 2, "is_active": True}
    if system is not None:
        initial = {
            "slots": ", ".join(system.slots),
            "repeat": system.repeat,
            "voice": system.voice,
            "push_url": system.push_url,
            "tts_url": system.tts_url,
            "tts_voice": system.tts_voice,
            "is_active": system.is_active,
        }
    form = LoudspeakerSystemForm(request.POST or None, initial=initial, region_voice=region_voice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "slots",
                "repeat",
                "voice",
                "push_url",
                "tts_url",
                "tts_voice",
                "is_active",
            )
        }
        if data["tts_token"]:
            fields["tts_token"] = data["tts_token"]
        try:
            actions.save_loudspeaker_system(
                unit, acting_user=request.user, token=data["push_token"] or None, **fields
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The loudspeaker system was saved."))
            return redirect(reverse("notices:loudspeaker-list"))
    return render(
        request,
        "notices/loudspeaker_form.html",
        {"unit": unit, "system": system, "form": form},
    )


@csrf_exempt
@require_POST
def loudspeaker_report(request):
    """A controller reports a broadcast played (or not): `{"id": …, "status": "played" |
    "failed", "error": …}` with the system's token as `Authorization: Bearer …`."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    try:
        report = json.loads(request.body.decode())
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest()
    if not isinstance(report, dict) or report.get("status") not in ("played", "failed"):
        return HttpResponseBadRequest()
    done = actions.record_broadcast_report(
        str(report.get("id", "")),
        token,
        played=report["status"] == "played",
        error=str(report.get("error", "")),
    )
    if not done:
        raise Http404
    return HttpResponse("OK")
