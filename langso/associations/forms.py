from django import forms
from django.utils.translation import gettext_lazy as _

from langso.associations import rules
from langso.associations.models import Activity, Branch, DuesRate, Member
from langso.lib import vietqr
from langso.lib.forms import DateField, DayField, MomentField, NameField


class PersonChoiceForm(forms.Form):
    """A resident found by a name search in the registry."""

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


class AddMemberForm(PersonChoiceForm):
    joined_on = DayField(label=_("Joined on"))
    branch = forms.ModelChoiceField(label=_("Branch or small group"), queryset=None)
    card_number = forms.CharField(label=_("Card number"), max_length=30, required=False)
    position = forms.ChoiceField(
        label=_("Position"), choices=Member.Position.choices, required=False
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class EndMembershipForm(forms.Form):
    on = DayField(label=_("Date"))
    ending = forms.ChoiceField(label=_("Reason"), choices=Member.Ending.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MoveMemberForm(forms.Form):
    to_branch = forms.ModelChoiceField(label=_("New branch"), queryset=Branch.objects.none())
    on = DayField(label=_("Date"))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Position"), choices=Member.Position.choices, required=False
    )
    on = DayField(label=_("Date"))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = NameField(label=_("Title"), max_length=200)
    starts_at = MomentField(label=_("Day and time"))
    place = NameField(label=_("Place"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), widget=forms.CheckboxSelectMultiple, required=False
    )
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(r.member_id), r.member.person.full_name) for r in rows
        ]


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rate = forms.IntegerField(label=_("Target rate (%)"), min_value=0, max_value=100)


class DuesRateForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=DuesRate.Period.choices)
    amount = forms.IntegerField(label=_("Amount (đ)"), min_value=0)
    valid_from = DateField(label=_("From"))


class DuesAccountForm(forms.Form):
    """The account members pay their dues into by bank QR; both empty: cash only."""

    bank_bin = forms.ChoiceField(label=_("Bank"), required=False)
    bank_account = forms.RegexField(
        label=_("Account number"),
        regex=r"^[0-9A-Za-z]{1,19}$",
        required=False,
        error_messages={"invalid": _("Up to 19 letters and digits, without spaces.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].choices = [("", _("— cash only —")), *vietqr.bank_choices()]

    def clean(self):
        data = super().clean()
        if bool(data.get("bank_bin")) != bool(data.get("bank_account")):
            raise forms.ValidationError(
                _("Choose the bank and type the account number, or neither.")
            )
        return data


class DuesPaymentForm(forms.Form):
    period = DateField(label=_("For the period beginning"))
    amount = forms.IntegerField(label=_("Amount (đ)"), min_value=1)
    paid_on = DayField(label=_("Paid on"))


class LoanForm(PersonChoiceForm):
    amount = forms.IntegerField(label=_("Amount (đ)"), min_value=1)
    purpose = NameField(label=_("Purpose"), max_length=200)
    lent_on = DayField(label=_("Lent on"))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=240)
    instalments = forms.IntegerField(label=_("Number of instalments"), min_value=1, max_value=240)
    interest_rate = forms.DecimalField(
        label=_("Interest (% a year)"), min_value=0, max_value=100, decimal_places=2, initial=0
    )


class RepaymentForm(forms.Form):
    paid_on = DayField(label=_("Paid on"))
    principal = forms.IntegerField(label=_("Principal (đ)"), min_value=0)
    interest = forms.IntegerField(label=_("Interest (đ)"), min_value=0, initial=0)


class OrganisationForm(forms.Form):
    """A new organisation of a commune: its kind brings its membership rule (rules.py)."""

    name = NameField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=rules.KIND_CHOICES)
    unit = forms.ModelChoiceField(label=_("Commune"), queryset=None, empty_label=None)
    parent = forms.ModelChoiceField(
        label=_("Run by"),
        queryset=None,
        required=False,
        help_text=_("For a local group: the organisation that runs it."),
    )

    def __init__(self, *args, communes, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes
        self.fields["parent"].queryset = parents

    def clean(self):
        data = super().clean()
        parent, unit = data.get("parent"), data.get("unit")
        if parent is not None and unit is not None and parent.unit_id != unit.pk:
            self.add_error("parent", _("Choose an organisation of the same commune."))
        return data


class OrganisationEditForm(forms.Form):
    name = NameField(label=_("Name"), max_length=150)
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(
        label=_("Members' sex"),
        choices=[("", _("Anyone")), ("f", _("Women only")), ("m", _("Men only"))],
        required=False,
    )
    rule_source = forms.CharField(label=_("Source of the rule"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The minimum age is above the maximum age."))
        return data


class BranchForm(forms.Form):
    name = NameField(label=_("Name"), max_length=150)
    unit = forms.ModelChoiceField(label=_("Hamlet"), queryset=None, empty_label=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BranchEditForm(forms.Form):
    name = NameField(label=_("Name"), max_length=150)


class FundForm(forms.Form):
    name = NameField(label=_("Name"), max_length=200)
    source = NameField(label=_("Source"), max_length=200)
    amount = forms.IntegerField(label=_("Amount (đ)"), min_value=1)
    received_on = DayField(label=_("Received on"))


class OfficerForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Account"), queryset=None)
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=None,
        required=False,
        help_text=_("Empty: the organisation's leader; a branch: its branch head."),
    )

    def __init__(self, *args, users, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.username})"
        self.fields["branch"].queryset = branches


class MovementForm(forms.Form):
    name = NameField(label=_("Name"), max_length=200)
    measure = NameField(label=_("What is counted"), max_length=150)
    goal = forms.IntegerField(label=_("Goal"), min_value=1, required=False)
    started_on = DateField(label=_("From"))
    ended_on = DateField(label=_("Until"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end comes before the start."))
        return data


class MovementResultForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None, required=False)
    on = DayField(label=_("Date"))
    count = forms.IntegerField(label=_("Count"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
