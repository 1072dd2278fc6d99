import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from langso.feedback.actions import ANSWER_MAX, ON_BEHALF, TEXT_MAX
from langso.feedback.models import Category, Report
from langso.feedback.photos import MAX_PHOTOS
from langso.places.models import Unit


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three files; what each really is, is checked when it is stored."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/heic,image/heif"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most 3 photos."))
        return [super(PhotosField, self).clean(upload, initial) for upload in files]


def clean_phone(value: str) -> str:
    """A Vietnamese phone number as 0xxxxxxxxx, or a ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid Vietnamese phone number."))
    return "0" + str(number.national_number)


class ReportForm(forms.Form):
    """The resident's report: what, where, photos, and how to be told the answer."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(active=True),
        empty_label=None,
    )
    hamlet = forms.ModelChoiceField(label=_("Hamlet"), queryset=Unit.objects.none())
    text = forms.CharField(
        label=_("What is wrong?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
    )
    landmark = forms.CharField(
        label=_("Where exactly? (a landmark)"),
        max_length=200,
        required=False,
        help_text=_("For example: the culvert next to the cultural house."),
    )
    share_location = forms.BooleanField(
        label=_("Share my phone's location for this report"), required=False
    )
    latitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput,
        min_value=-180,
        max_value=180,
    )
    photos = PhotosField(
        label=_("Photos (up to 3)"),
        help_text=_("JPEG, PNG or HEIC from the phone, up to 10 MB each."),
    )
    phone = forms.CharField(
        label=_("Phone number for the answer (optional)"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to stay anonymous; follow the report with its code."),
    )
    is_public = forms.BooleanField(
        label=_("The answer and my photos may be shown on the public page (never my name)"),
        required=False,
        initial=True,
    )
    # A field people never see: a form that fills it was filled by a program.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, commune, with_phone=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = (
            Unit.objects.current().filter(parent=commune, kind=Unit.Kind.HAMLET).order_by("name")
        )
        if not with_phone:
            del self.fields["phone"]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This report could not be accepted."))
        return ""


class OnBehalfForm(ReportForm):
    """A report received in person, by phone, at a meeting or in a Zalo group."""

    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[(c.value, c.label) for c in Report.Channel if c in ON_BEHALF],
    )
    reporter_name = forms.CharField(label=_("Resident's name"), max_length=150, required=False)
    field_order = ["channel", "reporter_name", "phone"]


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("To the unit"), queryset=Unit.objects.none(), required=False
    )
    user = forms.ModelChoiceField(label=_("To the person"), queryset=None, required=False)

    def __init__(self, *args, report, handlers, **kwargs):
        from langso.accounts.models import User

        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=[report.hamlet_id, report.commune_id]
        )
        self.fields["user"].queryset = User.objects.filter(pk__in=[u.pk for u in handlers])

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("user"):
            raise ValidationError(_("Choose a unit or a person."))
        return data


class NoteForm(forms.Form):
    # Several forms share a page: their ids must not collide.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label=_("Internal note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    # Several forms share a page: their ids must not collide.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "answer_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label=_("Answer to the resident (public)"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photos = PhotosField(label=_("Photos of the fix (up to 3)"))


class DeclineForm(forms.Form):
    # Several forms share a page: their ids must not collide.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decline_%s")
        super().__init__(*args, **kwargs)

    reason = forms.ChoiceField(label=_("Why"), choices=Report.Decline.choices)
    note = forms.CharField(label=_("Reason given to the resident"), max_length=500, required=False)
    original = forms.CharField(
        label=_("Code of the original report"), max_length=20, required=False
    )


class ReopenForm(forms.Form):
    # Several forms share a page: their ids must not collide.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reopen_%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label=_("Why is the problem not solved?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandlerReopenForm(forms.Form):
    # Several forms share a page: their ids must not collide.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "handler_reopen_%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label=_("Why is the report reopened? (the resident is told)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RateForm(forms.Form):
    # Several forms share a page: their ids must not collide.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "rate_%s")
        super().__init__(*args, **kwargs)

    rating = forms.ChoiceField(
        label=_("Are you satisfied with the answer?"), choices=Report.Rating.choices
    )
