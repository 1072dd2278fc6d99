from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.accounts.roles import Role
from langso.lib.files import MAX_UPLOAD_DOCUMENT_BYTES, kind_of
from langso.lib.forms import MomentField, NameField, PhoneField
from langso.lib.tts import VOICES
from langso.notices.loudspeakers import parse_slot
from langso.notices.models import Channel, Notice
from langso.places.forms import UnitChoiceField, UnitMultipleChoiceField
from langso.places.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(AttachmentsField, self).clean(upload, initial) for upload in files]
        for upload in cleaned:
            if upload.size > MAX_UPLOAD_DOCUMENT_BYTES:
                raise ValidationError(_("An attachment is larger than 20 MB."))
            if not kind_of(upload):
                raise ValidationError(
                    _("Attach PDF, Word (DOCX), Excel (XLSX), JPEG or PNG files only.")
                )
        return cleaned


class NoticeForm(forms.Form):
    title = NameField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Notice.Urgency.choices, initial=Notice.Urgency.NORMAL
    )
    unit = UnitChoiceField(label=_("Issued by"), queryset=Unit.objects.none(), required=False)
    sender = forms.ChoiceField(
        label=_("In the name of"),
        required=False,
        help_text=_("Only those who manage it see the notice and its delivery."),
    )
    units = UnitMultipleChoiceField(
        label=_("Residents of"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Everyone living in each unit chosen and the units under it."),
    )
    groups = UnitMultipleChoiceField(
        label=_("Residents of self-managed groups"),
        queryset=Unit.objects.none(),
        required=False,
    )
    relay_units = UnitMultipleChoiceField(
        label=_("For the hamlet heads to relay"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Each hamlet head forwards it to their residents, with a note if they wish."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Holders of these roles in the issuing unit"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("These people"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False)
    send_at = MomentField(
        label=_("Send at"), required=False, help_text=_("Leave empty to send when you confirm.")
    )
    expires_at = MomentField(label=_("Expires at"), required=False)
    is_public = forms.BooleanField(label=_("Show on the commune's public page"), required=False)
    loudspeaker = forms.BooleanField(
        label=_("Read on the loudspeakers"),
        required=False,
        help_text=_("On the loudspeakers of the hamlets (or the commune) chosen above."),
    )
    speech_text = forms.CharField(
        label=_("Text to read aloud"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to read the title and the text."),
    )

    def __init__(self, *args, issuers, units, hamlets, targets, people, **kwargs):
        """`targets`: {kind key: (label, queryset)} of the registered targets the user
        manages (langso.notices.audiences)."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = issuers
        self.fields["units"].queryset = units.exclude(kind=Unit.Kind.GROUP)
        self.fields["groups"].queryset = units.filter(kind=Unit.Kind.GROUP)
        self.fields["relay_units"].queryset = hamlets
        self.fields["people"].queryset = people
        self.target_names = []
        senders = []
        for key, (label, queryset) in targets.items():
            found = list(queryset)
            if not found:
                continue
            name = f"audience_{key}"
            self.fields[name] = forms.ModelMultipleChoiceField(
                label=label,
                queryset=queryset,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.target_names.append(name)
            senders += [(f"{key}:{target.pk}", str(target)) for target in found]
        if senders:
            self.fields["sender"].choices = [("", _("The issuing unit")), *senders]
        else:
            del self.fields["sender"]
        if not issuers.exists():
            del self.fields["unit"]

    def target_fields(self):
        return [self[name] for name in self.target_names]

    def clean_sender(self):
        """("", None) for the issuing unit, else (kind key, target id)."""
        value = self.cleaned_data.get("sender") or ""
        key, _sep, pk = value.partition(":")
        return (key, int(pk)) if value else ("", None)

    def clean(self):
        data = super().clean()
        chosen = [
            data.get(name)
            for name in ("units", "groups", "relay_units", *self.target_names, "roles", "people")
            if name in self.fields
        ]
        if not any(chosen):
            raise ValidationError(_("Choose who the notice is for."))
        if not data.get("unit") and not (data.get("sender") or ("",))[0]:
            raise ValidationError(_("Choose the unit or the organisation that issues it."))
        send_at, expires_at = data.get("send_at"), data.get("expires_at")
        if send_at and send_at < timezone.now():
            self.add_error("send_at", _("The time to send has already passed."))
        if expires_at and expires_at <= (send_at or timezone.now()):
            self.add_error("expires_at", _("The notice must expire after it is sent."))
        return data


class RelayForm(forms.Form):
    local_note = forms.CharField(
        label=_("Note for the hamlet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example where and when to gather."),
    )
    loudspeaker = forms.BooleanField(
        label=_("Read on the hamlet's loudspeakers"),
        required=False,
        help_text=_("At the next broadcast slot; an urgent notice at once."),
    )
    speech_text = forms.CharField(
        label=_("Text to read aloud"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to read the note, the title and the text."),
    )


class ReachForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Preferred channels, in this order"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    zalo_phone = PhoneField(label=_("Zalo phone number"), required=False)
    sms_phone = PhoneField(label=_("Phone number for SMS"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    no_phone = forms.BooleanField(
        label=_("Cannot be reached by phone: tell in person"), required=False
    )


def _slots(value):
    slots = []
    for part in value.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            slots.append(parse_slot(part).strftime("%H:%M"))
        except ValueError:
            raise ValidationError(
                _("Write each slot as a time of day, such as 06:00 or 17:00.")
            ) from None
    return sorted(set(slots))


class LoudspeakerSystemForm(forms.Form):
    slots = forms.CharField(
        label=_("Broadcast slots"),
        max_length=200,
        help_text=_("Times of day, separated by commas, such as 06:00, 17:00."),
    )
    repeat = forms.IntegerField(
        label=_("Times each notice is played"), min_value=1, max_value=10, initial=2
    )
    voice = forms.ChoiceField(label=_("Voice"), required=False)
    push_url = forms.URLField(
        label=_("Controller address"),
        assume_scheme="https",
        required=False,
        help_text=_("Empty: the MP3 is downloaded and played by hand."),
    )
    push_token = forms.CharField(
        label=_("Controller token"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the token saved."),
    )
    tts_url = forms.URLField(
        label=_("Speech service address"), required=False, assume_scheme="https"
    )
    tts_token = forms.CharField(
        label=_("Speech service token"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the token saved."),
    )
    tts_voice = forms.CharField(label=_("Speech service voice"), required=False, max_length=60)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, region_voice, **kwargs):
        super().__init__(*args, **kwargs)
        names = {
            "vi": _("Northern"),
            "vi-vn-x-central": _("Central"),
            "vi-vn-x-south": _("Southern"),
        }
        self.fields["voice"].choices = [
            ("", _("The region's voice (%(voice)s)") % {"voice": names[region_voice]}),
            *((key, names[key]) for key in VOICES),
        ]

    def clean_slots(self):
        slots = _slots(self.cleaned_data["slots"])
        if not slots:
            raise ValidationError(_("Give at least one broadcast slot."))
        return slots


class RecordingForm(forms.Form):
    recording = forms.FileField(label=_("Your recording"))

    def clean_recording(self):
        upload = self.cleaned_data["recording"]
        if upload.size > MAX_UPLOAD_DOCUMENT_BYTES:
            raise ValidationError(_("The recording is larger than 20 MB."))
        return upload
