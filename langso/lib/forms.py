"""Form fields every app uses the same way."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.vietnamese import normalize_name


class DayField(forms.DateField):
    """A date typed as dd/mm/yyyy that cannot be in the future."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
        super().__init__(**kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))


class NameField(forms.CharField):
    """A name or a line of text typed in: composed, with single spaces and no edges.

    Names are searched, sorted and compared as typed; a doubled space would make
    "Tổ  1" a second group beside "Tổ 1".
    """

    def to_python(self, value: Any) -> str:
        return normalize_name(super().to_python(value))
