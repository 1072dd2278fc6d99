from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.forms import DateField, NameField
from langso.places.forms import UnitChoiceField
from langso.places.models import Unit

HAMLET_TYPES = ["thôn", "ấp", "bản", "xóm", "làng", "tổ dân phố", "khu phố", "khu dân cư"]
GROUP_TYPES = ["tổ", "tổ tự quản", "tổ liên gia", "tổ nhân dân"]


def _type_choices(kind):
    names = HAMLET_TYPES if kind == Unit.Kind.HAMLET else GROUP_TYPES
    return [(name, name) for name in names]


class UnitNameForm(forms.Form):
    """Name and local type of a hamlet or group; the type list follows the kind."""

    type_name = forms.ChoiceField(label=_("Local type"))
    name = NameField(label=_("Name"), max_length=120)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type_name"].choices = _type_choices(kind)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class EndDateForm(forms.Form):
    on = DateField(
        label=_("From"),
        help_text=_("The first day the unit is no longer in force (dd/mm/yyyy)."),
        initial=timezone.localdate,
    )


class MergeForm(EndDateForm):
    into = UnitChoiceField(label=_("Merge into"), queryset=Unit.objects.none())

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Unit.objects.current()
            .filter(parent=source.parent_id, kind=source.kind)
            .exclude(pk=source.pk)
        )
