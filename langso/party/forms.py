from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.forms import ClockField, DateField, DayField, NameField
from langso.party.models import (
    HARDSHIP_CUTS,
    Candidate,
    Document,
    Invitation,
    Meeting,
    Member,
    Organisation,
)


class MonthField(forms.CharField):
    """A month typed as mm/yyyy; cleans to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "mm/yyyy"}))
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return f"{value:%m/%Y}" if isinstance(value, date) else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return datetime.strptime(value.strip(), "%m/%Y").date()
        except ValueError:
            raise ValidationError(_("Type the month as mm/yyyy, for example 03/2026.")) from None


# A date typed as dd/mm/yyyy, future days allowed.
PlainDateField = DateField


class PersonChoiceForm(forms.Form):
    """Choosing a resident of the organisation's unit found by a name search."""

    person = forms.ModelChoiceField(
        label=_("Person"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.full_name} ({person.birth_date:%Y})"
            if person.birth_date
            else person.full_name
        )


class AdmitForm(PersonChoiceForm):
    admitted_on = DayField(label=_("Date of the admission ceremony"))
    considered_on = DayField(
        label=_("Date the cell considered the admission"),
        required=False,
        help_text=_("The age is counted on this day; leave empty if it is the ceremony's."),
    )
    age_approval_number = forms.CharField(
        label=_("Over 60: number of the provincial committee's written approval"),
        max_length=50,
        required=False,
    )
    age_approval_on = DayField(label=_("Approval dated"), required=False)
    age_approval_by = forms.CharField(label=_("Approval issued by"), max_length=200, required=False)
    card_number = forms.CharField(label=_("Party card number"), max_length=30, required=False)
    no_phone = forms.BooleanField(
        label=_("Cannot be reached by phone: tell in person"), required=False
    )


class CandidateForm(PersonChoiceForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AdvanceCandidateForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[
            (stage, label) for stage, label in Candidate.Stage.choices if stage != "outstanding"
        ],
    )
    on = DayField(label=_("Date"))


class MemberForm(forms.ModelForm):
    hardship_cut = forms.TypedChoiceField(
        label=_("Hardship reduction"),
        choices=[(0, _("None"))] + [(cut, f"{cut} %") for cut in HARDSHIP_CUTS],
        coerce=int,
    )
    hardship_until = PlainDateField(label=_("Hardship reduction until"), required=False)
    no_phone = forms.BooleanField(
        label=_("Cannot be reached by phone: tell in person"), required=False
    )

    class Meta:
        model = Member
        fields = [
            "card_number",
            "position",
            "fee_basis",
            "fee_base",
            "exemption",
            "hardship_cut",
            "hardship_until",
        ]


class TransferForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("To the cell"), queryset=Organisation.objects.none(), required=False
    )
    elsewhere = NameField(
        label=_("Or to an organisation elsewhere"), max_length=200, required=False
    )
    on = DayField(label=_("Date"))

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = cells


class EndMembershipForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (Member.Status.REMOVED, _("Removed from the Party")),
            (Member.Status.DECEASED, _("Deceased")),
        ],
    )
    on = DayField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConfirmForm(forms.Form):
    on = DayField(label=_("Full member from"))


class AccountForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("Password"), min_length=10, widget=forms.PasswordInput(render_value=True)
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = NameField(label=_("Title"), max_length=200)
    day = PlainDateField(label=_("Day"))
    time = ClockField(label=_("Time"))
    place = NameField(label=_("Place"), max_length=200)
    for_month = MonthField(
        label=_("Regular meeting of the month"),
        required=False,
        help_text=_("mm/yyyy; leave empty for the month of the meeting."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def starts_at(self):
        moment = datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        return timezone.make_aware(moment)


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        choices=[(value, label) for value, label in Invitation.Response.choices if value]
    )
    excuse = forms.CharField(label=_("Reason for absence"), max_length=300, required=False)


class RecordMeetingForm(forms.Form):
    held_on = DayField(label=_("Held on"))
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    minutes_file = forms.FileField(label=_("Minutes file (PDF or DOCX)"), required=False)

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        choices = [(value, label) for value, label in Invitation.Attendance.choices if value]
        for invitation in invitations:
            initial = invitation.attendance or (
                Invitation.Attendance.EXCUSED
                if invitation.response == Invitation.Response.EXCUSED
                else Invitation.Attendance.PRESENT
            )
            self.fields[f"attendance_{invitation.pk}"] = forms.ChoiceField(
                label=invitation.member.person.full_name,
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect,
            )

    def attendance(self):
        return {
            invitation.pk: self.cleaned_data[f"attendance_{invitation.pk}"]
            for invitation in self.invitations
        }

    def attendance_fields(self):
        return [self[f"attendance_{invitation.pk}"] for invitation in self.invitations]


class DocumentForm(forms.ModelForm):
    issued_on = PlainDateField(label=_("Issued on"))
    organisations = forms.ModelMultipleChoiceField(
        label=_("For"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each organisation chosen and every organisation under it."),
    )

    class Meta:
        model = Document
        fields = [
            "kind",
            "number",
            "title",
            "issuing_body",
            "issued_on",
            "tags",
            "summary",
            "file",
            "organisations",
        ]
        field_classes = {"number": NameField, "title": NameField, "issuing_body": NameField}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    choices = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One choice per line."),
    )
    correct = forms.IntegerField(label=_("Number of the correct choice"), min_value=1)
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100, initial=10)

    def choice_list(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class AnswerForm(forms.Form):
    """One radio group per unanswered question."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(i, text) for i, text in enumerate(question.choices, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self):
        return [(question, self.cleaned_data[f"q{question.pk}"]) for question in self.questions]


class TargetForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=20, initial="2025–2030")
    starts_on = PlainDateField(label=_("From"))
    ends_on = PlainDateField(label=_("Until"))
    target = forms.IntegerField(label=_("Admissions planned"), min_value=1)


class RatingForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score (of 100)"), min_value=0, max_value=100, decimal_places=1
    )
    tasks_exceeded = forms.BooleanField(
        label=_("Every task done, 30 per cent or more exceeded"), required=False
    )
    comment = forms.CharField(
        label=_("Self-assessment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Paid (đồng)"), min_value=0)
    paid_on = DayField(label=_("Paid on"))


class UsageForm(forms.Form):
    month = MonthField(label=_("Month"))
