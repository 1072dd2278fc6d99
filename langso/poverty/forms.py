"""Forms of the poverty review, typed on phones: amounts in whole đồng, dates dd/mm/yyyy."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from langso.lib.forms import DateField
from langso.poverty.models import Entry, Indicator, Reason, Result, Support, Survey


class MoneyField(forms.IntegerField):
    """Đồng typed with or without thousands separators (1.500.000, 1 500 000)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(".", "").replace(",", "").replace(" ", "").replace("đ", "")
        return super().to_python(value)


class SurveyForm(forms.Form):
    """B2 (or B1): a row per member on the day, pre-filled from the registry, and the
    indicators, the one concerning health insurance pre-ticked when a card is missing."""

    form = forms.ChoiceField(label=_("form"), choices=Survey.Form.choices, initial="B2")
    on = DateField(label=_("surveyed on"))
    income_total = MoneyField(
        label=_("household income (đồng/month)"),
        required=False,
        help_text=_("B1 only: the household's whole income per month."),
    )
    floor_area = forms.DecimalField(
        label=_("floor area (m²)"), required=False, max_digits=7, decimal_places=1
    )
    lacking = forms.MultipleChoiceField(
        label=_("indicators lacking"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reasons = forms.MultipleChoiceField(
        label=_("reasons for poverty"),
        required=False,
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, rows: list[dict], indicators: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["lacking"].choices = [(i.code, i.name) for i in indicators]
        for row in rows:
            person = row["person"]
            self.fields[f"income_{person.pk}"] = MoneyField(
                label=_("Income of %(name)s (đồng/month)") % {"name": person.full_name},
                required=False,
                initial=row["income"],
            )
            self.fields[f"insured_{person.pk}"] = forms.BooleanField(
                label=_("has a health insurance card"), required=False, initial=row["insured"]
            )

    def member_fields(self):
        for row in self.rows:
            pk = row["person"].pk
            yield row, self[f"income_{pk}"], self[f"insured_{pk}"]

    def incomes(self) -> dict[int, int]:
        return {
            row["person"].pk: self.cleaned_data.get(f"income_{row['person'].pk}") or 0
            for row in self.rows
        }

    def insured(self) -> dict[int, bool]:
        return {
            row["person"].pk: bool(self.cleaned_data.get(f"insured_{row['person'].pk}"))
            for row in self.rows
        }

    def apply(self, error: ValidationError) -> None:
        """Put an action's refusal on the fields it names."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                field = name if name in self.fields else None
                for message in messages:
                    self.add_error(field, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class EntryForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    source = forms.ChoiceField(
        label=_("why listed"),
        choices=[(Entry.Source.APPLIED, Entry.Source.APPLIED.label),
                 (Entry.Source.PROPOSED, Entry.Source.PROPOSED.label)],
    )  # fmt: skip
    applied_on = DateField(label=_("applied on"), required=False)
    proposed_by = forms.CharField(label=_("proposed by"), required=False, max_length=120)


class AdhocForm(forms.Form):
    source = forms.ChoiceField(
        label=_("why listed"),
        choices=[(Entry.Source.APPLIED, Entry.Source.APPLIED.label),
                 (Entry.Source.PROPOSED, Entry.Source.PROPOSED.label)],
    )  # fmt: skip
    applied_on = DateField(label=_("applied on"), required=False)
    proposed_by = forms.CharField(label=_("proposed by"), required=False, max_length=120)


class MeetingForm(forms.Form):
    held_on = DateField(label=_("held on"))
    chaired_by = forms.CharField(label=_("chaired by"), required=False, max_length=120)
    attendance = forms.IntegerField(label=_("attendance"), min_value=1)
    households_represented = forms.IntegerField(
        label=_("households represented"), required=False, min_value=0
    )
    minutes = forms.CharField(
        label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, entries: list[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            initial = entry.agreed or (entry.survey.result if entry.survey else "")
            self.fields[f"agreed_{entry.pk}"] = forms.ChoiceField(
                label=str(entry.household), choices=Result.choices, initial=initial
            )
            self.fields[f"for_{entry.pk}"] = forms.IntegerField(
                label=_("votes in favour"), min_value=0, initial=entry.votes_for
            )
            self.fields[f"cast_{entry.pk}"] = forms.IntegerField(
                label=_("votes cast"), min_value=1, initial=entry.votes_cast
            )

    def entry_fields(self):
        for entry in self.entries:
            yield (
                entry,
                self[f"agreed_{entry.pk}"],
                self[f"for_{entry.pk}"],
                self[f"cast_{entry.pk}"],
            )

    def results(self) -> dict[int, tuple[str, int, int]]:
        data = self.cleaned_data
        return {
            e.pk: (data[f"agreed_{e.pk}"], data[f"for_{e.pk}"], data[f"cast_{e.pk}"])
            for e in self.entries
        }


class PostingForm(forms.Form):
    starts_on = DateField(label=_("posted from"))


class ComplaintForm(forms.Form):
    received_on = DateField(label=_("received on"))
    complainant = forms.CharField(label=_("from"), max_length=120)
    text = forms.CharField(label=_("complaint"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolved_on = DateField(label=_("resolved on"))
    resolution = forms.CharField(
        label=_("result of the re-check"), widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.ChoiceField(label=_("result"), choices=Result.choices)


class RecogniseForm(forms.Form):
    number = forms.CharField(label=_("decision number"), max_length=40)
    on = DateField(label=_("decision dated"))


class OpenReviewForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2022, max_value=2100)
    posting_days = forms.IntegerField(
        label=_("working days of posting"), min_value=1, max_value=30, initial=3
    )


class SupportForm(forms.ModelForm):
    given_on = DateField(label=_("given on"))
    due_on = DateField(label=_("due on"), required=False)

    class Meta:
        model = Support
        fields = [
            "programme", "description", "given_on", "amount", "term_months", "balance",
            "due_on", "overdue", "state_share", "family_share",
        ]  # fmt: skip


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2022, max_value=2100)
    poor = forms.IntegerField(label=_("poor households"), required=False, min_value=0)
    near_poor = forms.IntegerField(label=_("near-poor households"), required=False, min_value=0)
    rate = forms.DecimalField(
        label=_("poverty rate (%)"), required=False, max_digits=5, decimal_places=2
    )


class StandardForm(forms.Form):
    """A standard's figures, as the commune administrator corrects them from the decree."""

    name = forms.CharField(label=_("name"), max_length=120)
    legal_basis = forms.CharField(label=_("legal basis"), max_length=300)
    valid_from = DateField(label=_("in force from"))
    valid_to = DateField(
        label=_("in force until"), required=False, help_text=_("The first day it is no more.")
    )
    rural_line = MoneyField(label=_("income line, rural (đồng/person/month)"), min_value=1)
    urban_line = MoneyField(label=_("income line, urban (đồng/person/month)"), min_value=1)
    rural_middle_line = MoneyField(
        label=_("middle-income upper line, rural"), required=False, min_value=1
    )
    urban_middle_line = MoneyField(
        label=_("middle-income upper line, urban"), required=False, min_value=1
    )
    poor_min_lacking = forms.IntegerField(
        label=_("indicators lacking for poor (at least)"), min_value=1, max_value=50
    )
    indicators_provisional = forms.BooleanField(
        label=_("indicator list provisional"),
        required=False,
        help_text=_("The indicator list is not yet confirmed by the implementing circular."),
    )
    source = forms.CharField(
        label=_("source of the figures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("indicator"), max_length=120)
    dimension = forms.ChoiceField(label=_("dimension"), choices=Indicator.Dimension.choices)
    definition = forms.CharField(
        label=_("lacking when"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NewIndicatorForm(IndicatorForm):
    code = forms.CharField(
        label=_("code"),
        max_length=30,
        help_text=_("Letters a–z, digits and _, e.g. clean_water."),
    )


class AreaForm(forms.Form):
    urban = forms.TypedChoiceField(
        label=_("area for the income line"),
        choices=[("0", _("rural")), ("1", _("urban"))],
        coerce=lambda value: value == "1",
    )


class AnnounceForm(forms.Form):
    """The notice telling residents about the review's posting (editable before sending)."""

    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 6}))
    listed_only = forms.BooleanField(
        label=_("Only the households on the list (not the whole commune)"),
        required=False,
    )
    hamlets_relay = forms.BooleanField(
        label=_("Ask each hamlet head to relay it (read out at the hamlet, loudspeaker)"),
        required=False,
        initial=True,
    )
