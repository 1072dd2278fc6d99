"""Forms of the reports pages: elections and their polling areas."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.forms import NameField
from langso.lib.paths import is_within
from langso.places.forms import UnitMultipleChoiceField
from langso.places.models import Unit
from langso.reports.models import Election, PollingArea


class ElectionForm(forms.ModelForm):
    """An election the commune prepares lists for: its name and its day."""

    class Meta:
        model = Election
        fields = ["name", "day"]
        field_classes = {"name": NameField}
        widgets = {
            "name": forms.TextInput(
                attrs={"placeholder": _("Election of deputies to the 16th National Assembly")}
            ),
            "day": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        }

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The election day cannot be in the past."))
        return day


class AreaForm(forms.ModelForm):
    """A polling area: its number, where people vote, and the hamlets or groups it holds."""

    class Meta:
        model = PollingArea
        fields = ["number", "name", "units"]
        field_classes = {"name": NameField, "units": UnitMultipleChoiceField}
        labels = {"name": _("Polling place")}
        help_texts = {"name": _("Where people vote, e.g. the hamlet's cultural house.")}

    def __init__(self, *args, commune, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune, self.election = commune, election
        self.fields["units"].queryset = (
            Unit.objects.within(commune).current().exclude(pk=commune.pk).order_by("path")
        )

    def clean_units(self):
        """A person is on one list only (domain.md §4): areas may not share a place."""
        units = self.cleaned_data["units"]
        taken = PollingArea.objects.filter(election=self.election, commune=self.commune)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        paths = [u.path for area in taken.prefetch_related("units") for u in area.units.all()]
        for unit in units:
            if any(is_within(unit.path, p) or is_within(p, unit.path) for p in paths):
                raise forms.ValidationError(
                    _("%(unit)s already belongs to another polling area.") % {"unit": unit}
                )
        return units

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = PollingArea.objects.filter(
            election=self.election, commune=self.commune, number=number
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another polling area has this number."))
        return number
