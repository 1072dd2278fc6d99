"""Charts drawn on the server as SVG: no script, readable on a phone, printable.

Each function returns an SVG string with a viewBox (it scales to its container), a
<title> for screen readers, escaped text, and numbers written the Vietnamese way.
"""

from xml.sax.saxutils import escape, quoteattr

WIDTH = 360
ROW = 22
FONT = 'font-family="DejaVu Sans, sans-serif"'
MALE, FEMALE, BAR, MUTED = "#2f6db5", "#c2410c", "#b3261e", "#5b6770"


def number(value, decimals=0):
    """1234567.5 → "1.234.567,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _svg(height, title, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" {FONT} font-size="11"><title>{escape(title)}</title>'
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>'
        f"{body}</svg>"
    )


def _text(x, y, content, anchor="start", **attributes):
    extra = "".join(
        f" {name.replace('_', '-')}={quoteattr(str(v))}" for name, v in attributes.items()
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(str(content))}</text>'
    )


def _short(label, limit=18):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _empty(title):
    return _svg(50, title, _text(0, 40, "—", fill=MUTED))


def age_pyramid(groups, *, title="", male_label="Nam", female_label="Nữ"):
    """(label, men, women) per age group, youngest first; drawn youngest at the bottom."""
    groups = list(groups)
    largest = max((max(m, w) for _label, m, w in groups), default=0)
    if not largest:
        return _empty(title)
    centre, half = WIDTH / 2, WIDTH / 2 - 48
    top = 40
    body = [
        _text(centre - 20, 30, male_label, "end", fill=MALE, font_weight="bold"),
        _text(centre + 20, 30, female_label, "start", fill=FEMALE, font_weight="bold"),
    ]
    for index, (label, men, women) in enumerate(reversed(groups)):
        y = top + index * (ROW - 8)
        male_width = half * men / largest
        female_width = half * women / largest
        body.append(
            f'<rect x="{centre - 18 - male_width:.1f}" y="{y:.1f}" width="{male_width:.1f}" '
            f'height="{ROW - 10}" fill="{MALE}"/>'
        )
        body.append(
            f'<rect x="{centre + 18:.1f}" y="{y:.1f}" width="{female_width:.1f}" '
            f'height="{ROW - 10}" fill="{FEMALE}"/>'
        )
        body.append(_text(centre, y + 10, label, "middle", font_size="9"))
        body.append(_text(centre - 20 - male_width, y + 10, number(men), "end", font_size="9"))
        body.append(_text(centre + 20 + female_width, y + 10, number(women), font_size="9"))
    return _svg(top + len(groups) * (ROW - 8) + 6, title, "".join(body))


def bar_chart(items, *, title="", unit="", max_value=None, percent=False):
    """Horizontal bars, [(label, value)], each value written at the end of its bar."""
    items = list(items)
    if not items:
        return _empty(title)
    largest = max_value or max((value for _label, value in items), default=0) or 1
    label_width, left = 120, 124
    span = WIDTH - left - 60
    body = []
    for index, (label, value) in enumerate(items):
        y = 26 + index * ROW
        width = span * max(0, value) / largest
        shown = (
            f"{number(value, 1)} %" if percent else f"{number(value)}{(' ' + unit) if unit else ''}"
        )
        body.append(_text(label_width, y + 13, _short(label), "end"))
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{width:.1f}" height="{ROW - 8}" fill="{BAR}"/>'
        )
        body.append(_text(left + width + 4, y + 14, shown))
    return _svg(30 + len(items) * ROW, title, "".join(body))


def grouped_bars(categories, series, *, title=""):
    """For each category, one bar per series: [(series name, [values…])]."""
    categories, series = list(categories), list(series)
    if not categories or not series:
        return _empty(title)
    colours = [BAR, MALE, FEMALE, "#1e6b34", MUTED]
    largest = max((v for _name, values in series for v in values), default=0) or 1
    left, span = 124, WIDTH - 124 - 50
    band = ROW * len(series) + 6
    body = [
        _text(
            left + i * 90, 30, _short(name, 12), fill=colours[i % len(colours)], font_weight="bold"
        )
        for i, (name, _values) in enumerate(series)
    ]
    for c, category in enumerate(categories):
        y0 = 40 + c * band
        body.append(_text(120, y0 + band / 2, _short(category), "end"))
        for s, (_name, values) in enumerate(series):
            value = values[c] if c < len(values) else 0
            width = span * max(0, value) / largest
            y = y0 + s * ROW
            body.append(
                f'<rect x="{left}" y="{y + 2}" width="{width:.1f}" height="{ROW - 6}" '
                f'fill="{colours[s % len(colours)]}"/>'
            )
            body.append(_text(left + width + 4, y + 14, number(value)))
    return _svg(44 + len(categories) * band, title, "".join(body))


def line_chart(points, *, title="", unit=""):
    """Change over time: [(label, value)] left to right, the last value written out."""
    points = list(points)
    if not points:
        return _empty(title)
    values = [value for _label, value in points]
    low, high = min(values), max(values)
    if high == low:
        high = low + 1
    left, right, top, bottom = 40, WIDTH - 50, 30, 150
    step = (right - left) / max(1, len(points) - 1)

    def at(index, value):
        return left + index * step, bottom - (bottom - top) * (value - low) / (high - low)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}"
        for i, (x, y) in enumerate(at(i, v) for i, v in enumerate(values))
    )
    body = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>',
        _text(left - 4, bottom, number(low), "end", font_size="9"),
        _text(left - 4, top + 4, number(high), "end", font_size="9"),
        f'<path d="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>',
    ]
    for index, (label, _value) in enumerate(points):
        x, _y = at(index, 0)
        body.append(_text(x, bottom + 14, _short(label, 8), "middle", font_size="9"))
    x, y = at(len(values) - 1, values[-1])
    body.append(_text(x + 4, y - 4, f"{number(values[-1])}{(' ' + unit) if unit else ''}"))
    return _svg(bottom + 24, title, "".join(body))
