"""Optimistic locking: an edit carries the version of the record it started from.

Two people open the same record; the first saves; the second's save would silently put
back what the first changed (issue 18, item 7: a phone changed by the hamlet head was
lost when a commune official saved an occupation). A model with a `version` field adds
one on every save (`bump`); a form carries the version it was shown (`VersionField`); the
action locks the row and refuses a save that did not start from the stored version
(`check_version`), so nothing is overwritten and the page can show both values.
"""

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


class StaleEdit(ValidationError):
    """The record changed since the form was opened; `current` is the stored record."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(
            _(
                "Someone else saved this record after you opened it; nothing of yours was "
                "saved. Check the record as it is now, then save again."
            ),
            code="stale",
        )
        self.current = current


def bump(instance: models.Model, kwargs: dict[str, Any]) -> None:
    """In a model's save(): one more version for a record already stored."""
    if instance._state.adding:
        return
    instance.version = (instance.version or 0) + 1  # type: ignore[attr-defined]
    if kwargs.get("update_fields") is not None:
        kwargs["update_fields"] = {*kwargs["update_fields"], "version"}


def check_version(instance: M, expected: int | None) -> M:
    """The stored row of `instance`, locked until the transaction ends; StaleEdit if its
    version is not `expected`. None (a caller that shows no form) skips the check."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected is not None and current.version != expected:  # type: ignore[attr-defined]
        raise StaleEdit(current)
    return current


class VersionField(forms.IntegerField):
    """The hidden version a form was shown with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
