"""The unit picker every form uses: each unit named by its path, grouped by hamlet.

"Tổ 1" exists in every hamlet; a flat list of names cannot tell them apart. A group is
shown as "Thôn Bình Chiến › Tổ 1" inside its hamlet's group of options, and a long list
gets a text filter (static/js/unit-filter.js, no dependency).
"""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from langso.places.models import Unit

# Lists longer than this get a text filter above them.
FILTER_FROM = 12
PATH_SEPARATOR = " › "


def unit_path_label(unit: Unit, *, with_commune: bool = False) -> str:
    """ "Thôn Bình Chiến › Tổ 1": a group with its hamlet; above hamlets, the unit alone."""
    parts = [unit.display_name]
    if unit.kind == Unit.Kind.GROUP and unit.parent_id:
        parts.insert(0, unit.parent.display_name)
    if with_commune and unit.kind in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
        hamlet = unit.parent if unit.kind == Unit.Kind.GROUP else unit
        if hamlet is not None and hamlet.parent_id:
            parts.insert(0, hamlet.parent.display_name)
    return PATH_SEPARATOR.join(parts)


class UnitChoiceIterator(forms.models.ModelChoiceIterator):
    """Units above hamlets first, each alone; then one group of options per hamlet."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        if not queryset.query.is_sliced:
            queryset = queryset.select_related("parent__parent")
        units = sorted(queryset, key=lambda unit: unit.path)
        communes = {
            unit.path.split("/")[:2][-1]
            for unit in units
            if unit.kind in (Unit.Kind.HAMLET, Unit.Kind.GROUP)
        }
        with_commune = len(communes) > 1
        hamlets: dict[str, tuple[str, list[Any]]] = {}
        for unit in units:
            if unit.kind in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
                hamlet = unit if unit.kind == Unit.Kind.HAMLET else unit.parent
                if hamlet.path not in hamlets:
                    label = unit_path_label(hamlet, with_commune=with_commune)
                    hamlets[hamlet.path] = (label, [])
                label = unit_path_label(unit, with_commune=with_commune)
                hamlets[hamlet.path][1].append((self._value(unit), label))
            else:
                yield self.choice(unit)
        yield from hamlets.values()

    def _value(self, unit: Unit) -> forms.models.ModelChoiceIteratorValue:
        return forms.models.ModelChoiceIteratorValue(self.field.prepare_value(unit), unit)


class _FilteredWhenLong:
    """Marks a long list for the text filter; the mark carries the filter's placeholder."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        options = [
            option
            for _group, group_options, _index in context["widget"]["optgroups"]
            for option in group_options
            if option["value"] not in ("", None)
        ]
        if len(options) > FILTER_FROM:
            mark = {"data-unit-filter": str(_("Type to filter the units"))}
            context["widget"]["attrs"].update(mark)
            if self.option_inherits_attrs:  # type: ignore[attr-defined]
                # Checkboxes render each option's own attributes, not the widget's.
                for option in options:
                    option["attrs"].update(mark)
        return context


class UnitSelect(_FilteredWhenLong, forms.Select):
    pass


class UnitCheckboxes(_FilteredWhenLong, forms.CheckboxSelectMultiple):
    pass


class UnitChoiceField(forms.ModelChoiceField):
    """Choose one hamlet, group or commune, seen by its path and grouped by hamlet."""

    iterator = UnitChoiceIterator
    widget = UnitSelect

    def label_from_instance(self, obj: Unit) -> str:
        return unit_path_label(obj)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choose several units, as UnitChoiceField shows them (checkboxes by default)."""

    iterator = UnitChoiceIterator
    widget = UnitCheckboxes

    def label_from_instance(self, obj: Unit) -> str:
        return unit_path_label(obj)
