"""The charts of a unit's indicators, drawn on the server, for any page that shows them."""

from django.utils.translation import gettext as _

from langso.lib import charts
from langso.places.models import Unit
from langso.reports.indicators import (
    commune_indicators,
    pyramid,
    roll_up_summaries,
    unit_indicators,
)


def pyramid_chart(figures):
    return charts.age_pyramid(
        pyramid(figures),
        title=_("Age pyramid"),
        male_label=_("Male"),
        female_label=_("Female"),
    )


def dashboard_figures(unit, children, day):
    """{unit id: figures} behind a dashboard's charts: counted live for a hamlet or group
    (`unit_indicators`), read from the stored summaries for a commune or above."""
    if unit.kind == Unit.Kind.PROVINCE:
        return roll_up_summaries(unit, children)
    if unit.kind == Unit.Kind.COMMUNE:
        figures, _summary = commune_indicators(unit, children)
        return figures
    return unit_indicators(unit, children, day)


def dashboard_charts(unit, children, day, figures=None):
    """A dashboard's charts: the age pyramid, and how the child units compare.

    `figures`: `dashboard_figures(unit, children, day)` kept from earlier (the home
    page's cache)."""
    if figures is None:
        figures = dashboard_figures(unit, children, day)
    mine = figures[unit.pk]
    drawn = [pyramid_chart(mine)]
    if children:
        drawn.append(
            charts.bar_chart(
                [
                    (child.name, figures.get(child.pk, {}).get("insured_percent", 0))
                    for child in children
                ],
                title=_("Health insurance coverage"),
                percent=True,
            )
        )
    return drawn
