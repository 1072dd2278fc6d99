"""Forms of the campaign pages; the rules themselves are checked by the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from langso.campaigns.models import Campaign, CommitteeMember, Entry, Exemption
from langso.lib import vietqr
from langso.lib.forms import DayField
from langso.lib.vietnamese import fold


class MoneyField(forms.IntegerField):
    """Whole đồng, also as people type it: "2.000.000", "2,000,000", "2 000 000"."""

    # A text box: a number box refuses the "." that Vietnamese put between thousands.
    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace(".", "").replace(",", "").removesuffix("đ")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric"})
        return attrs


class CampaignForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Hamlet or commune"))
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)
    starts_on = DayField(label=_("Starts on"))
    ends_on = DayField(label=_("Ends on"), required=False)
    target_money = MoneyField(label=_("Money target (đồng)"), min_value=0, initial=0)
    target_labour_days = forms.DecimalField(
        label=_("Labour target (days)"), min_value=0, decimal_places=1, initial=0
    )
    target_land_m2 = forms.DecimalField(
        label=_("Land target (m²)"), min_value=0, decimal_places=1, initial=0
    )
    asks = forms.ChoiceField(label=_("Suggested amount is"), choices=Campaign.Asks.choices)
    suggested_amount = MoneyField(label=_("Suggested amount (đồng)"), min_value=0, initial=0)
    exempt_poor = forms.BooleanField(
        label=_("Poor households are exempt"), required=False, initial=True
    )
    bank_bin = forms.ChoiceField(
        label=_("Bank"), choices=[("", "—"), *vietqr.bank_choices()], required=False
    )
    bank_account = forms.CharField(label=_("Account number"), max_length=19, required=False)
    account_name = forms.CharField(label=_("Account holder"), max_length=100, required=False)
    is_public = forms.BooleanField(
        label=_("Shown on the public pages"), required=False, initial=True
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class GiverForm(forms.Form):
    """Who pledges or gives: a household of the campaign, or an outside donor."""

    household = forms.ModelChoiceField(queryset=None, label=_("Household"), required=False)
    giver_name = forms.CharField(
        label=_("Or the name of an organisation or donor"), max_length=200, required=False
    )
    organisation = forms.BooleanField(label=_("It is an organisation"), required=False)
    anonymous = forms.BooleanField(label=_("Anonymous (“nhà hảo tâm”)"), required=False)
    unnamed = forms.BooleanField(
        label=_("Do not show the name in public (counted in the totals only)"), required=False
    )

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households

    def giver(self):
        data = self.cleaned_data
        return {
            "household": data.get("household"),
            "giver_name": data.get("giver_name", ""),
            "organisation": data.get("organisation", False),
            "anonymous": data.get("anonymous", False),
            "unnamed": data.get("unnamed", False),
        }


class PledgeForm(GiverForm):
    amount = MoneyField(label=_("Money (đồng)"), min_value=0, required=False)
    labour_days = forms.DecimalField(
        label=_("Labour (days)"), min_value=0, decimal_places=1, required=False
    )
    land_m2 = forms.DecimalField(
        label=_("Land (m²)"), min_value=0, decimal_places=1, required=False
    )
    plot = forms.CharField(label=_("Plot (sheet, parcel)"), max_length=200, required=False)


class OwnPledgeForm(forms.Form):
    """A resident pledging for their own household."""

    amount = MoneyField(label=_("Money (đồng)"), min_value=0, required=False)
    labour_days = forms.DecimalField(
        label=_("Labour (days)"), min_value=0, decimal_places=1, required=False
    )
    unnamed = forms.BooleanField(
        label=_("Do not show our name in public (counted in the totals only)"), required=False
    )


class ContributionForm(GiverForm):
    kind = forms.ChoiceField(
        label=_("What was given"),
        choices=[c for c in Entry.Kind.choices if c[0] != Entry.Kind.EXPENSE],
    )
    on = DayField(label=_("Date"))
    amount = MoneyField(label=_("Amount or value (đồng)"), min_value=0, required=False)
    labour_days = forms.DecimalField(
        label=_("Labour (days)"), min_value=0, decimal_places=1, required=False
    )
    worker = forms.CharField(label=_("Who worked"), max_length=200, required=False)
    land_m2 = forms.DecimalField(
        label=_("Land (m²)"), min_value=0, decimal_places=1, required=False
    )
    plot = forms.CharField(label=_("Plot (sheet, parcel)"), max_length=200, required=False)
    minutes_number = forms.CharField(label=_("Minutes no."), max_length=40, required=False)
    signed_by_household = forms.BooleanField(
        label=_("Minutes signed by the household"), required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    pledge = forms.CharField(label=_("Pledge reference code"), max_length=12, required=False)


class ExpenseForm(forms.Form):
    on = DayField(label=_("Date"))
    amount = MoneyField(label=_("Amount (đồng)"), min_value=1)
    description = forms.CharField(label=_("Spent on"), max_length=300)
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    document = forms.FileField(label=_("Invoice (PDF or photo)"), required=False)


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo (JPEG or PNG)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    taken_on = DayField(label=_("Taken on"), required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=300)


class CampaignEditForm(CampaignForm):
    """The campaign's own fields, and whether it is still running; its unit stays."""

    status = forms.ChoiceField(label=_("Status"), choices=Campaign.Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, units=None, **kwargs)
        del self.fields["unit"]


class PersonNameForm(forms.Form):
    """A resident of the campaign's area, found by full name (and year of birth when two
    people share the name): a commune holds too many people for a list to choose from."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_year = forms.IntegerField(
        label=_("Year of birth (when two people share the name)"),
        min_value=1900,
        max_value=2100,
        required=False,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people

    def clean(self):
        data = super().clean()
        name = data.get("full_name")
        if not name:
            return data
        found = self.people.filter(folded_name=fold(name))
        if data.get("birth_year"):
            found = found.filter(birth_date__year=data["birth_year"])
        found = list(found.select_related("household__head")[:2])
        if not found:
            raise forms.ValidationError(_("Nobody of this name lives in the campaign's area."))
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several people have this name: give the year of birth too.")
            )
        data["person"] = found[0]
        return data


class CommitteeForm(PersonNameForm):
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeMember.Role.choices)


class ExemptionForm(PersonNameForm):
    """A household exempted by hand, named by one of its members (usually the head)."""

    full_name = forms.CharField(label=_("Name of a member of the household"), max_length=120)
    reason = forms.ChoiceField(label=_("Reason"), choices=Exemption.Reason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AmountForm(forms.Form):
    amount = MoneyField(label=_("Amount to pay now (đồng)"), min_value=1)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the pledge cancelled?"), max_length=300)


class DonorPledgeForm(forms.Form):
    """An outside donor (not a resident) pledging on the public page."""

    giver_name = forms.CharField(
        label=_("Your name or your organisation's"), max_length=200, required=False
    )
    organisation = forms.BooleanField(label=_("It is an organisation"), required=False)
    anonymous = forms.BooleanField(
        label=_("Show me as “nhà hảo tâm” (my name is not published)"), required=False
    )
    amount = MoneyField(label=_("Money (đồng)"), min_value=10_000, max_value=10_000_000_000)
    # A field people do not see: a form that fills it was filled by a robot.
    website = forms.CharField(required=False, widget=forms.HiddenInput)


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Statement (Excel or CSV) exported from the bank"))


class MappingForm(forms.Form):
    """Which heading holds each field, for an account whose headers were not recognised."""

    date = forms.ChoiceField(label=_("Date of the transaction"))
    credit = forms.ChoiceField(label=_("Credit amount (or the signed amount)"))
    description = forms.ChoiceField(label=_("Description / content"))
    transaction = forms.ChoiceField(label=_("Transaction number"), required=False)

    def __init__(self, *args, headings, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(h, h) for h in headings]
        for field in self.fields.values():
            field.choices = choices


class MatchForm(forms.Form):
    reference = forms.CharField(label=_("Pledge reference code"), max_length=12)
