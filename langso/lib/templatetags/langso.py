from django import template

from langso.lib import vietnamese

register = template.Library()


@register.filter
def mask_id(value):
    """An ID number with all but its last three digits hidden: "*********123"."""
    if not value:
        return ""
    return "*" * (len(value) - 3) + value[-3:]


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
