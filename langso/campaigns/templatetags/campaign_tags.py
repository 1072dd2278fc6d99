from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def dong(value):
    """2000000 → "2.000.000 đ", the way Vietnamese write money."""
    if value in (None, ""):
        return ""
    return f"{int(value):,}".replace(",", ".") + " đ"


@register.filter
def number(value):
    """12.5 → "12,5"; 12.0 → "12"."""
    if value in (None, ""):
        return ""
    value = Decimal(str(value))
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    return text.replace(".", ",")
