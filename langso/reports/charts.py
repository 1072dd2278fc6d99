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


def dashboard_charts(unit, children, day):
    """A dashboard's charts: the age pyramid, and how the child units compare."""
    if unit.kind == Unit.Kind.PROVINCE:
        figures = roll_up_summaries(unit, children)
    elif unit.kind == Unit.Kind.COMMUNE:
        figures, _summary = commune_indicators(unit, children)
    else:
        figures = unit_indicators(unit, children, day)
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
