from django import template

from langso.lib import vietnamese
from langso.lib.masking import mask_id

register = template.Library()


register.filter("mask_id", mask_id)


@register.filter
def official_date(value):
    """ "ngày 05 tháng 02 năm 2025", as official documents date themselves."""
    return vietnamese.official_date(value) if value else ""


@register.filter
def age_on(person, day):
    """Completed years of `person` on `day`."""
    return person.age_on(day)


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: for per-row figures kept in a dict beside a list."""
    return mapping.get(key) if mapping else None
