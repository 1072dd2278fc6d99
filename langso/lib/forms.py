"""Form fields every app uses the same way.

Dates and times are typed on phones: their boxes bring up the numeric keypad
(`inputmode`), and they accept what that keypad and people's habits produce: a date as
dd/mm/yyyy with slashes, dots, dashes or spaces, or its eight digits alone (17051970);
a time as 19:30, 19h30, 19g30, 19.30, 19 30, 1930 or 19h. An error says which format
is wanted, with an example.
"""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.vietnamese import normalize_name, normalize_phone

_DAY = re.compile(r"(\d{1,2})[/.\-\s]+(\d{1,2})[/.\-\s]+(\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CLOCK = re.compile(r"(\d{1,2})(?:\s*[:hg.\s]\s*(\d{2})?)?", re.IGNORECASE)


def parse_day(text: str) -> date | None:
    """The date in `text` typed as dd/mm/yyyy (any of / . - or spaces between the
    parts, or the eight digits alone), or yyyy-mm-dd; None when it reads as no date."""
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:2]}/{text[2:4]}/{text[4:]}"
    if match := _DAY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DAY.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_clock(text: str) -> time | None:
    """The time of day in `text`: 19:30, 19h30, 19g30, 19.30, 19 30, 1930, 19h or 19;
    None when it reads as no time."""
    text = text.strip()
    if re.fullmatch(r"\d{3,4}", text):
        text = f"{text[:-2]}:{text[-2:]}"
    match = _CLOCK.fullmatch(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class PhoneDateInput(forms.DateInput):
    """A date box that brings up the numeric keypad on a phone."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class PhoneTimeInput(forms.TimeInput):
    """A time box that brings up the numeric keypad on a phone."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": "hh:mm", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy, past or future."""

    widget = PhoneDateInput
    default_error_messages = {
        "invalid": _("Type the date as dd/mm/yyyy, for example 05/02/2026."),
    }

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        day = parse_day(str(value))
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class DayField(DateField):
    """A date typed as dd/mm/yyyy that cannot be in the future."""

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))


class ClockField(forms.TimeField):
    """A time of day typed as 19:30 or 19h30 (or 1930, 19.30, 19h)."""

    widget = PhoneTimeInput
    default_error_messages = {
        "invalid": _("Type the time as hh:mm, for example 19:30 or 19h30."),
    }

    def to_python(self, value: Any) -> time | None:
        if value in self.empty_values:
            return None
        if isinstance(value, time):
            return value
        clock = parse_clock(str(value))
        if clock is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return clock


class MomentWidget(forms.MultiWidget):
    """A date box and a time box, both with the numeric keypad.

    It also reads the two typed in one box under the field's own name
    ("20/11/2026 19h30"), as older pages and scripts post them.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([PhoneDateInput(), PhoneTimeInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return [value.date(), value.time().replace(second=0, microsecond=0)]
        return [None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        if name in data:
            typed = str(data[name]).strip()
            if parse_day(typed):
                return [typed, ""]
            day, _space, clock = typed.rpartition(" ")
            return [day, clock] if day else [clock, ""]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


class MomentField(forms.MultiValueField):
    """A day and a time of day, as an aware datetime; the time may be left out (00:00)."""

    widget = MomentWidget
    default_error_messages = {
        "incomplete": _("Type the date as dd/mm/yyyy, for example 05/02/2026."),
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = (DateField(), ClockField(required=False))
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.fields[0].required = True

    def compress(self, data_list: list[Any]) -> datetime | None:
        if not data_list or data_list[0] is None:
            return None
        day, clock = data_list[0], data_list[1] if len(data_list) > 1 else None
        return timezone.make_aware(datetime.combine(day, clock or time(0, 0)))


class NameField(forms.CharField):
    """A name or a line of text typed in: composed, with single spaces and no edges.

    Names are searched, sorted and compared as typed; a doubled space would make
    "Tổ  1" a second group beside "Tổ 1".
    """

    def to_python(self, value: Any) -> str:
        return normalize_name(super().to_python(value))


class PhoneField(forms.CharField):
    """A Vietnamese or international phone number, kept as `normalize_phone` writes it."""

    default_error_messages = {
        "invalid": _(
            "Enter a phone number: 10 digits starting with 0 (0912 345 678), or an "
            "international number starting with + (+84 912 345 678)."
        )
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if text in self.empty_values:
            return ""
        phone = normalize_phone(text)
        if phone is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return phone
