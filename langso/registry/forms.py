from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from langso.lib.files import is_active_content
from langso.lib.forms import DateField, DayField, NameField, PhoneField, parse_day
from langso.lib.versions import VersionField
from langso.lib.vietnamese import (
    ETHNIC_GROUPS,
    clean_digits,
    is_old_id_card_number,
    match_ethnicity,
)
from langso.places.forms import UnitChoiceField
from langso.registry import actions
from langso.registry.figures import TO_DO_KEYS, to_do_label
from langso.registry.models import Benefit, Immunisation, Person

RELATIONSHIPS = [
    "Chủ hộ", "Vợ", "Chồng", "Con", "Con dâu", "Con rể", "Cháu", "Bố", "Mẹ", "Ông", "Bà",
    "Anh", "Chị", "Em", "Anh rể", "Chị dâu", "Em rể", "Em dâu", "Bố vợ", "Mẹ vợ", "Bố chồng",
    "Mẹ chồng", "Người ở nhờ",
]  # fmt: skip
NAME_PARTS = ("family_name", "middle_name", "given_name")
RELIGIONS = ["Không", "Phật giáo", "Công giáo", "Tin Lành", "Cao Đài", "Hòa Hảo", "Hồi giáo"]


class ListInput(forms.TextInput):
    """A text box offering a list of usual answers while accepting any other."""

    template_name = "registry/widgets/list_input.html"

    def __init__(self, options, attrs=None):
        super().__init__(attrs)
        self.options = options

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options"] = self.options
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-options"
        return context


# Nobody living was born earlier; a year such as 1800 is a typing error.
EARLIEST_BIRTH_YEAR = 1900
# A birth is registered within 60 days (Law on Civil Status 2014, art. 15); an older child
# joins a household by registration or moving in, not as a newborn.
NEWBORN_MAX_AGE_DAYS = 366


class BirthDateField(forms.CharField):
    """A birth date as dd/mm/yyyy, or the year alone: cleans to (date, precision)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("dd/mm/yyyy, or the year alone when the day is not known.")
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, tuple):
            day, precision = value
            return str(day.year) if precision == Person.BirthPrecision.YEAR else f"{day:%d/%m/%Y}"
        if hasattr(value, "strftime"):
            return f"{value:%d/%m/%Y}"
        return value

    def clean(self, value):
        from langso.lib.excel import parse_date

        value = super().clean(value)
        if not value:
            return None
        # As a phone's numeric keypad lets it be typed (17051970, 17 05 1970) first.
        day, precision = parse_day(value), Person.BirthPrecision.DAY
        if day is None:
            try:
                day, precision = parse_date(value)
            except ValueError as error:
                raise ValidationError(str(error.args[0])) from error
        if day > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if day.year < EARLIEST_BIRTH_YEAR:
            raise ValidationError(
                _("A date of birth before %(year)s cannot be right.")
                % {"year": EARLIEST_BIRTH_YEAR}
            )
        return day, precision


class PersonForm(forms.ModelForm):
    """A person's facts as the ID card and the household record give them."""

    birth = BirthDateField(label=_("Date of birth"), required=False)
    # Longer than the 12 and 9 digits they keep: people type them in threes, with
    # spaces or dots ("036 090 012 348"); the clean methods keep the digits.
    id_number = forms.CharField(
        label=capfirst(Person._meta.get_field("id_number").verbose_name),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    old_id_number = forms.CharField(
        label=capfirst(Person._meta.get_field("old_id_number").verbose_name),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Person
        fields = [
            "full_name", "sex", "ethnicity", "religion", "id_number", "old_id_number", "phone",
            "email", "occupation", "employment", "education", "health_insurance_number",
            "health_insurance_expiry", "disability",
        ]  # fmt: skip
        field_classes = {
            "phone": PhoneField,
            "health_insurance_expiry": DateField,
            "full_name": NameField,
            "occupation": NameField,
        }
        widgets = {
            "ethnicity": ListInput(ETHNIC_GROUPS),
            "religion": ListInput(RELIGIONS),
            "sex": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    field_order = ["full_name", "birth", "sex"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate_of = None
        if self.instance.pk and self.instance.birth_date:
            self.initial["birth"] = (self.instance.birth_date, self.instance.birth_precision)
        self.fields["sex"].choices = Person.Sex.choices

    def clean(self):
        cleaned = super().clean()
        split_changed = any(name in self.changed_data for name in NAME_PARTS)
        parts = " ".join(cleaned.get(name) or "" for name in NAME_PARTS if name in self.fields)
        # A corrected split must use the words of the name as written on the ID card.
        if split_changed and sorted(parts.split()) != sorted(cleaned.get("full_name", "").split()):
            self.add_error(
                "given_name",
                _("Family, middle and given name must use the words of the full name."),
            )
        return cleaned

    def clean_ethnicity(self):
        value = self.cleaned_data.get("ethnicity")
        if not value:
            return value
        official = match_ethnicity(value)
        if official is None:
            raise ValidationError(_("Choose one of the 54 ethnic groups of Viet Nam."))
        return official

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        if not value:
            return None
        try:
            return actions.clean_id_number(value, person=self.instance)
        except actions.DuplicateIdNumber as error:
            self.duplicate_of = error.existing
            raise

    def clean_old_id_number(self):
        value = self.cleaned_data.get("old_id_number")
        if value and not is_old_id_card_number(value):
            raise ValidationError(_("An old ID card (CMND) number has 9 digits."))
        return clean_digits(value)

    def person_fields(self):
        """The cleaned facts, as the registry actions take them."""
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        # The split is the user's only when they changed it; otherwise it follows the name.
        for name in NAME_PARTS:
            data.pop(name, None)
        if any(name in self.changed_data for name in NAME_PARTS):
            data.update({name: self.cleaned_data.get(name) or "" for name in NAME_PARTS})
        data["id_number"] = data.get("id_number") or None
        birth = self.cleaned_data.get("birth")
        if birth:
            data["birth_date"], data["birth_precision"] = birth
        elif "birth" in self.changed_data:
            data["birth_date"] = None
        for name, value in list(data.items()):
            if value is None and name not in ("id_number", "birth_date", "health_insurance_expiry"):
                data[name] = ""
        return data

    def warnings(self):
        """ID-number digits that contradict the birth year or sex (domain.md §2)."""
        number, birth = self.cleaned_data.get("id_number"), self.cleaned_data.get("birth")
        if not number:
            return []
        person = Person(
            id_number=number,
            sex=self.cleaned_data.get("sex") or "",
            birth_date=birth[0] if birth else None,
        )
        return actions.id_number_warnings(person)


class NewcomerForm(PersonForm):
    """Someone joining a household: their facts, and how they join it."""

    relationship = NameField(
        label=_("Relationship to the head"),
        max_length=40,
        widget=ListInput(RELATIONSHIPS),
    )
    on = DayField(label=_("From"), initial=timezone.localdate)
    status = forms.ChoiceField(
        label=_("Residence"),
        choices=[
            (Person.Residence.PERMANENT, Person.Residence.PERMANENT.label),
            (Person.Residence.TEMPORARY, Person.Residence.TEMPORARY.label),
        ],
        initial=Person.Residence.PERMANENT,
    )
    place = NameField(
        label=_("Moved in from"),
        max_length=200,
        required=False,
        help_text=_("The commune and province they came from; empty if already living here."),
    )

    field_order = ["full_name", "birth", "sex", "relationship", "on", "status", "place"]


class BirthForm(PersonForm):
    """A newborn: the few facts a hamlet head has on the day."""

    birth = BirthDateField(label=_("Date of birth"))
    relationship = NameField(
        label=_("Relationship to the head"),
        max_length=40,
        initial="Con",
        widget=ListInput(RELATIONSHIPS),
    )

    old_id_number = None  # a newborn never had a CMND

    class Meta(PersonForm.Meta):
        fields = ["full_name", "sex", "ethnicity", "id_number", "health_insurance_number"]

    field_order = ["full_name", "birth", "sex", "relationship"]

    def clean_birth(self):
        birth = self.cleaned_data["birth"]
        if birth and birth[1] != Person.BirthPrecision.DAY:
            raise ValidationError(_("Give the full date of birth of a newborn."))
        if birth and (timezone.localdate() - birth[0]).days > NEWBORN_MAX_AGE_DAYS:
            raise ValidationError(
                _(
                    "A newborn was born within the last year. Register an older child as a "
                    "member of the household instead."
                )
            )
        return birth


class EventForm(forms.Form):
    on = DayField(label=_("Date"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeathForm(EventForm):
    """A death: recorded only once the user confirms it, since it ends the person's stay
    and benefits (it can still be withdrawn from the person's page)."""

    confirm = forms.BooleanField(
        label=_("I have checked: this person has died on this day."),
        help_text=_(
            "Their stay in the household and their benefits end on this day. A death "
            "recorded by mistake can be withdrawn from the person's page."
        ),
    )


class PlaceEventForm(EventForm):
    place = NameField(
        label=_("Where to"),
        max_length=200,
        help_text=_("The commune and province, or the workplace or school."),
    )

    field_order = ["on", "place", "note"]


class ChangeHeadForm(forms.Form):
    new_head = forms.ModelChoiceField(label=_("New head"), queryset=Person.objects.none())
    old_head_relationship = NameField(
        label=_("The former head is now the new head's"),
        max_length=40,
        required=False,
        widget=ListInput(RELATIONSHIPS),
        help_text=_("Leave empty if the former head died or moved away."),
    )
    on = DayField(label=_("From"), initial=timezone.localdate)

    version = VersionField()

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = household.version
        self.fields["new_head"].queryset = (
            household.members.registered().exclude(pk=household.head_id).order_by("birth_date")
        )


class SplitForm(forms.Form):
    head = forms.ModelChoiceField(label=_("Head of the new household"), queryset=None)
    members = forms.ModelMultipleChoiceField(
        label=_("Who else goes with them"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    house_number = NameField(label=_("House number"), max_length=20, required=False)
    address = NameField(label=_("Address"), max_length=200, required=False)
    on = DayField(label=_("From"), initial=timezone.localdate)

    version = VersionField()

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = household.version
        members = household.members.registered().order_by("birth_date")
        self.fields["head"].queryset = members
        self.fields["members"].queryset = members


class HouseholdForm(forms.Form):
    unit = UnitChoiceField(label=_("Hamlet or group"), queryset=None)
    house_number = NameField(label=_("House number"), max_length=20, required=False)
    address = NameField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120)
    unit = UnitChoiceField(label=_("Hamlet or group"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Residence"),
        required=False,
        choices=[("", _("Everyone registered")), *Person.Residence.choices],
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", _("Both")), *Person.Sex.choices]
    )
    as_of = DateField(
        label=_("As of"),
        required=False,
        help_text=_("Show the registry as it stood on that day."),
    )
    todo = forms.ChoiceField(
        label=_("What needs doing"),
        required=False,
        choices=[("", "—")] + [(key, to_do_label(key)) for key in TO_DO_KEYS],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV, one row per person."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv,.txt"}),
    )
    unit = UnitChoiceField(label=_("Into"), queryset=None)
    sheet = forms.CharField(
        label=_("Sheet"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to read the first sheet."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.LANGSO_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "The file is %(size)s; files up to %(limit)s can be imported. Split it, or "
                    "remove pictures and unused sheets."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if is_active_content(upload):
            raise ValidationError(
                _("This is not a spreadsheet: web pages and programs are refused.")
            )
        return upload


class CorrectionForm(PersonForm):
    """The whole record, with the split of the name into its parts open to correction,
    and the version it was opened with (a save over someone else's is refused)."""

    version = VersionField()

    class Meta(PersonForm.Meta):
        fields = ["full_name", *NAME_PARTS, *PersonForm.Meta.fields[1:]]

    field_order = ["full_name", *NAME_PARTS, "birth", "sex"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version


class ImmunisationForm(forms.ModelForm):
    class Meta:
        model = Immunisation
        fields = ["vaccine", "dose", "given_on"]
        field_classes = {"given_on": DateField}


class BenefitForm(forms.ModelForm):
    class Meta:
        model = Benefit
        fields = ["kind", "since", "until", "note"]
        field_classes = {"since": DateField, "until": DateField}
