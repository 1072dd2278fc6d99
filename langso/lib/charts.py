"""Charts drawn on the server as SVG: no script, readable on a phone, printable in PDFs.

Each function returns one SVG string. Its viewBox is as wide as a phone (360 units), so
that on a 360 px screen text is drawn at its nominal size, and `width="100%"` lets it
grow with wider containers; Typst embeds the same string in printed lists
(langso.lib.pdf). A <title> and a <desc> holding the figures make it readable by screen
readers; every text from the data is escaped. Numbers are written the Vietnamese way,
"1.234.567,5". The output depends on the input alone, so equal data gives equal bytes.
"""

import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

WIDTH = 360
FONT_SIZE = 12
SMALL = 10.5
CHAR_WIDTH = 0.62  # of the font size: DejaVu Sans's average letter, to guess text widths
PAD = 4
LABEL_WIDTH = 130  # the label column of horizontal bars, wrapped to two lines
VALUE_ROOM = 62  # room for the value written after the longest bar
INK, MUTED, GRID = "#1f2933", "#5b6770", "#d5dbe1"
MALE, FEMALE = "#2b5c9e", "#e07b39"  # dark and light, told apart in black-and-white print
PALETTE = (MALE, FEMALE, "#3a8f5c", "#8e5ea2", "#c9a227", "#6b7a88")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # not allowed in XML

# A figure as the data gives it: a count, a ratio, a Decimal from the database, or none.
Figure = int | float | Decimal | None


# --- Numbers and text ---------------------------------------------------------------------


def number(value: Figure, decimals: int = 1) -> str:
    """`value` the Vietnamese way: 1234567.5 → "1.234.567,5", 1234.0 → "1.234".

    Rounded to at most `decimals` places, without trailing zeros.
    """
    if value is None:
        return ""
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        value = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
        text = f"{value:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _amount(value: Figure, unit: str = "", percent: bool = False) -> str:
    if percent:
        return f"{number(value)} %"
    return f"{number(value)} {unit}" if unit else number(value)


def _clean(value: object) -> str:
    return _CONTROL.sub("", " ".join(str(value).split()))


def _width_of(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def _fit(text: str, width: float, size: float = FONT_SIZE, lines: int = 2) -> list[str]:
    """`text` broken into at most `lines` lines of `width`, the last cut with "…"."""
    room = max(3, int(width / (size * CHAR_WIDTH)))
    words = _clean(text).split(" ")
    result: list[str] = []
    while words and words != [""]:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= room:
            line += " " + words.pop(0)
        if len(result) == lines - 1 and (words or len(line) > room):
            line = " ".join([line, *words])
            result.append(line if len(line) <= room else line[: room - 1].rstrip() + "…")
            break
        result.append(line if len(line) <= room else line[: room - 1] + "…")
    return result or [""]


# --- SVG pieces ---------------------------------------------------------------------------


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float | None = None,
    **attributes: object,
) -> str:
    if size:
        attributes["font_size"] = _n(size)
    extra = "".join(
        f" {name.replace('_', '-')}={quoteattr(str(value))}" for name, value in attributes.items()
    )
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>'
        f"{escape(_clean(content))}</text>"
    )


def _lines(
    x: float, y: float, lines: Sequence[str], *, leading: float | None = None, **options: Any
) -> str:
    leading = leading or (options.get("size") or FONT_SIZE) * 1.2
    return "".join(_text(x, y + i * leading, line, **options) for i, line in enumerate(lines))


def _rect(
    x: float, y: float, width: float, height: float, fill: str, css_class: str | None = None
) -> str:
    css = f' class="{css_class}"' if css_class else ""
    return (
        f'<rect{css} x="{_n(x)}" y="{_n(y)}" width="{_n(max(0, width))}" '
        f'height="{_n(height)}" fill="{fill}"/>'
    )


def _n(value: float) -> str:
    """A coordinate with at most two decimals, so that output is short and stable."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg(height: float, title: str, description: str, body: str) -> str:
    title = _clean(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" role="img" font-family="DejaVu Sans, Verdana, sans-serif" '
        f'font-size="{FONT_SIZE}" fill="{INK}">'
        f"<title>{escape(title)}</title><desc>{escape(_clean(description))}</desc>"
        f"{body}</svg>"
    )


def _heading(title: str) -> tuple[str, float]:
    """The visible title and the height it takes."""
    lines = _fit(title, WIDTH, size=13, lines=2) if _clean(title) else []
    body = _lines(0, 14, lines, size=13, font_weight="bold", leading=16)
    return body, 16 * len(lines) + (6 if lines else 0)


def _legend(entries: Iterable[tuple[str, str]], y: float) -> tuple[str, float]:
    """Coloured squares with their names, wrapping to a new row when the width runs out."""
    parts: list[str] = []
    x: float = 0
    for name, colour in entries:
        name = _fit(name, WIDTH / 2, lines=1)[0]
        width = 16 + _width_of(name) + 12
        if x and x + width > WIDTH:
            x, y = 0, y + 18
        parts += [_rect(x, y, 11, 11, colour), _text(x + 15, y + 10, name)]
        x += width
    return "".join(parts), y + 18


def _empty(title: str) -> str:
    heading, top = _heading(title)
    note = _text(WIDTH / 2, top + 24, _("No data to show."), anchor="middle", fill=MUTED)
    return _svg(top + 40, title, _("No data to show."), heading + note)


def _value(value: Figure) -> int | float:
    """A figure to draw: ints stay exact, Decimals and the like become floats, None is 0."""
    if value is None:
        return 0
    return value if isinstance(value, int) else float(value)


def _ticks(low: float, high: float, count: int = 4) -> tuple[list[float], float]:
    """About `count` round steps covering low…high: 0, 250, 500… or 1,2, 1,4…"""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [round(i * step, 10) for i in range(first, last + 1)], step


# --- Charts -------------------------------------------------------------------------------


def age_pyramid(
    groups: Iterable[tuple[str, Figure, Figure]],
    *,
    title: str = "",
    male_label: str = "Nam",
    female_label: str = "Nữ",
) -> str:
    """Men to the left and women to the right of a centre column of age groups.

    `groups` are (label, men, women) from the youngest to the oldest, drawn youngest at
    the bottom. Both sides share one scale, so bar lengths compare across the axis.
    """
    figures = [(label, _value(men), _value(women)) for label, men, women in groups]
    largest = max((max(men, women) for _label, men, women in figures), default=0)
    if largest <= 0:
        return _empty(title)
    heading, top = _heading(title)
    men_total, women_total = sum(g[1] for g in figures), sum(g[2] for g in figures)
    centre, half_label, row, room = WIDTH / 2, 22, 16, 40  # room: the count beside a bar
    span = centre - half_label - PAD - room
    body = [
        heading,
        _rect(0, top, 11, 11, MALE),
        _text(15, top + 10, f"{male_label} {number(men_total)}"),
        _rect(WIDTH - 11, top, 11, 11, FEMALE),
        _text(WIDTH - 15, top + 10, f"{female_label} {number(women_total)}", anchor="end"),
    ]
    top += 22
    for index, (label, men, women) in enumerate(reversed(figures)):
        y = top + index * row
        male, female = span * max(0, men) / largest, span * max(0, women) / largest
        left_end = centre - half_label - PAD - male
        right_end = centre + half_label + PAD + female
        body += [
            _rect(left_end, y + 2, male, row - 4, MALE, "bar male"),
            _rect(centre + half_label + PAD, y + 2, female, row - 4, FEMALE, "bar female"),
            _text(centre, y + 12, _fit(label, 2 * half_label, SMALL, 1)[0], anchor="middle",
                  size=SMALL),
            _text(left_end - 3, y + 12, number(men), anchor="end", size=SMALL),
            _text(right_end + 3, y + 12, number(women), size=SMALL),
        ]  # fmt: skip
    description = "; ".join(
        f"{label}: {male_label} {number(men)}, {female_label} {number(women)}"
        for label, men, women in figures
    )
    return _svg(top + len(figures) * row + 4, title, description, "".join(body))


def _bar_rows(
    labels: Iterable[str], top: float
) -> tuple[list[tuple[float, float, list[str]]], float]:
    """(y, height, label lines) of each row of a horizontal bar chart."""
    rows: list[tuple[float, float, list[str]]] = []
    y = top
    for label in labels:
        lines = _fit(label, LABEL_WIDTH - PAD, SMALL, 2)
        height = max(20, 13 * len(lines) + 7)
        rows.append((y, height, lines))
        y += height
    return rows, y


def bar_chart(
    items: Iterable[tuple[str, Figure]],
    *,
    title: str = "",
    unit: str = "",
    max_value: float | None = None,
    percent: bool = False,
) -> str:
    """Horizontal bars for [(label, value)], each value written at the end of its bar.

    Bars scale to `max_value`, else to 100 for percentages (or the largest value when
    it is more), else to the largest value. Percentages are written "87,5 %".
    """
    bars = [(label, _value(value)) for label, value in items]
    if not bars:
        return _empty(title)
    largest = max(value for _label, value in bars)
    scale = max_value or (max(100, largest) if percent else largest)
    heading, top = _heading(title)
    rows, bottom = _bar_rows([label for label, _value in bars], top)
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    body = [heading]
    for (y, height, lines), (_label, value) in zip(rows, bars, strict=True):
        width = span * max(0, value) / scale if scale > 0 else 0
        body += [
            _lines(LABEL_WIDTH - PAD, y + height / 2 + 4 - 6.5 * (len(lines) - 1), lines,
                   anchor="end", size=SMALL, leading=13),
            _rect(LABEL_WIDTH, y + height / 2 - 7, width, 14, MALE, "bar"),
            _text(LABEL_WIDTH + width + 4, y + height / 2 + 4, _amount(value, unit, percent),
                  size=SMALL),
        ]  # fmt: skip
    description = "; ".join(f"{label}: {_amount(v, unit, percent)}" for label, v in bars)
    return _svg(bottom + 4, title, description, "".join(body))


def grouped_bars(
    categories: Iterable[str], series: Iterable[tuple[str, Iterable[Figure]]], *, title: str = ""
) -> str:
    """For each category (a child unit), one bar per series: [(name, [values…])].

    Series share one scale; a value missing at the end of a series counts as none.
    """
    categories = list(categories)
    drawn = [(name, [_value(v) for v in values]) for name, values in series]
    values = [v for _name, vs in drawn for v in vs[: len(categories)]]
    if not categories or not drawn or not values:
        return _empty(title)
    largest = max(values)
    heading, top = _heading(title)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(drawn))]
    legend, top = _legend([(name, colours[i]) for i, (name, _v) in enumerate(drawn)], top)
    bar, gap, span = 12, 2, WIDTH - LABEL_WIDTH - VALUE_ROOM
    band = len(drawn) * (bar + gap) + 8
    body, y = [heading, legend], top + 4
    for c, category in enumerate(categories):
        lines = _fit(category, LABEL_WIDTH - PAD, SMALL, 2)
        height = max(band, 13 * len(lines) + 8)
        body.append(_lines(LABEL_WIDTH - PAD, y + 11, lines, anchor="end", size=SMALL, leading=13))
        for s, (_name, vs) in enumerate(drawn):
            value = vs[c] if c < len(vs) else 0
            width = span * max(0, value) / largest if largest > 0 else 0
            bar_y = y + 2 + s * (bar + gap)
            body += [
                _rect(LABEL_WIDTH, bar_y, width, bar, colours[s], "bar"),
                _text(LABEL_WIDTH + width + 4, bar_y + 10, number(value), size=SMALL),
            ]
        y += height
    description = "; ".join(
        f"{category}: "
        + ", ".join(f"{name} {number(vs[c] if c < len(vs) else 0)}" for name, vs in drawn)
        for c, category in enumerate(categories)
    )
    return _svg(y + 4, title, description, "".join(body))


def line_chart(points: Iterable[tuple[str, Figure]], *, title: str = "", unit: str = "") -> str:
    """Change over time: [(label, value)] from left to right, the last value written out.

    Points without a value are left out. The axis starts at zero unless every value lies
    well above it, so that a small change is not drawn as a fall off a cliff.
    """
    drawn = [(label, _value(value)) for label, value in points if value is not None]
    if not drawn:
        return _empty(title)
    values = [value for _label, value in drawn]
    low, high = min(values), max(values)
    if low >= 0 and (high == 0 or low <= high / 2):
        low = 0
    ticks, step = _ticks(low, high)
    low, high = ticks[0], ticks[-1]
    decimals = 0 if step >= 1 else 2
    heading, top = _heading(title)
    last_label = _amount(values[-1], unit)
    right = WIDTH - max(24, _width_of(last_label, SMALL) + 10)
    left, plot_top, height = 44, top + 8, 150
    bottom = plot_top + height

    def x_at(index: int) -> float:
        if len(drawn) == 1:
            return (left + right) / 2
        return left + (right - left) * index / (len(drawn) - 1)

    def y_at(value: float) -> float:
        return bottom - height * (value - low) / (high - low)

    body = [heading]
    for tick in ticks:
        y = y_at(tick)
        colour = MUTED if tick == low else GRID
        body.append(f'<line x1="{left}" y1="{_n(y)}" x2="{right}" y2="{_n(y)}" stroke="{colour}"/>')
        body.append(_text(left - 4, y + 4, number(tick, decimals), anchor="end", size=SMALL))
    for index in _labelled(len(drawn), (right - left) / 52):
        body.append(
            _text(x_at(index), bottom + 15, _fit(drawn[index][0], 60, SMALL, 1)[0],
                  anchor="middle", size=SMALL)
        )  # fmt: skip
    coordinates = " ".join(f"{_n(x_at(i))},{_n(y_at(v))}" for i, v in enumerate(values))
    body.append(
        f'<polyline drawn="{coordinates}" fill="none" stroke="{MALE}" stroke-width="2.5" '
        f'stroke-linejoin="round"/>'
    )
    if len(drawn) <= 40:
        body += [
            f'<circle cx="{_n(x_at(i))}" cy="{_n(y_at(v))}" r="3" fill="{MALE}"/>'
            for i, v in enumerate(values)
        ]
    last_x, last_y = x_at(len(values) - 1), y_at(values[-1])
    body.append(_text(last_x + 6, last_y + 4, last_label, font_weight="bold", size=SMALL))
    description = "; ".join(f"{label}: {_amount(value, unit)}" for label, value in drawn)
    return _svg(bottom + 22, title, description, "".join(body))


def _labelled(count: int, room: float) -> list[int]:
    """Which of `count` points get a label under the axis: evenly spaced back from the last."""
    step = max(1, math.ceil(count / max(1, int(room))))
    return list(range(count - 1, -1, -step))[::-1]
