import decimal
import xml.etree.ElementTree as ET

import pytest
from django.utils.translation import gettext as _

from langso.lib.charts import age_pyramid, bar_chart, grouped_bars, line_chart, number

SVG = "{http://www.w3.org/2000/svg}"
AGES = [("0–4", 120, 115), ("5–9", 60, 90), ("80+", 12, 30)]


def every_chart(label="Thôn Bình Chiến", value=1234):
    return {
        "age_pyramid": age_pyramid([(label, value, 2 * value)], title="Tháp dân số"),
        "bar_chart": bar_chart([(label, value)], title="Dân số"),
        "grouped_bars": grouped_bars([label], [("2025", [value])], title="So sánh"),
        "line_chart": line_chart([("01/2025", 1000), (label, value)], title="Theo tháng"),
    }


def texts(svg):
    return [element.text for element in ET.fromstring(svg).iter(f"{SVG}text")]


def bars(svg, kind):
    return [
        float(rect.get("width"))
        for rect in ET.fromstring(svg).iter(f"{SVG}rect")
        if rect.get("class") == f"bar {kind}"
    ]


@pytest.mark.parametrize("name", every_chart())
def test_each_chart_is_svg_with_a_title_that_scales(name):
    root = ET.fromstring(every_chart()[name])

    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 360 ")


@pytest.mark.parametrize("name", every_chart())
def test_labels_are_escaped(name):
    svg = every_chart(label="<b>&")[name]

    assert "<b>" not in svg
    assert any(text and "<b>&" in text for text in texts(svg))


@pytest.mark.parametrize("name", every_chart())
def test_numbers_are_written_the_vietnamese_way(name):
    assert any(text and "1.234" in text for text in texts(every_chart()[name]))


@pytest.mark.parametrize("name", every_chart())
def test_the_same_data_gives_the_same_svg(name):
    assert every_chart()[name] == every_chart()[name]


def test_numbers_use_dots_for_thousands_and_a_comma_for_decimals():
    assert number(1234567) == "1.234.567"
    assert number(1234567.5) == "1.234.567,5"
    assert number(87.5) == "87,5"
    assert number(12.0) == "12"
    assert number(decimal.Decimal("0.25"), 2) == "0,25"
    assert number(-0.01) == "0"


def test_pyramid_bars_are_as_long_as_the_counts():
    svg = age_pyramid(AGES, title="Tháp dân số")

    men, women = bars(svg, "male"), bars(svg, "female")
    # Youngest at the bottom: the bars are drawn oldest first.
    counts = [count for _label, m, w in reversed(AGES) for count in (m, w)]
    widths = [width for pair in zip(men, women, strict=True) for width in pair]
    unit = widths[0] / counts[0]
    assert widths == pytest.approx([count * unit for count in counts], rel=0.01)
    assert max(widths) == widths[counts.index(120)]


def test_pyramid_puts_the_youngest_at_the_bottom_and_totals_in_the_legend():
    svg = age_pyramid(AGES)
    root = ET.fromstring(svg)
    y_of = {t.text: float(t.get("y")) for t in root.iter(f"{SVG}text")}

    assert y_of["0–4"] > y_of["80+"]
    assert "Nam 192" in y_of
    assert "Nữ 235" in y_of


def test_bar_chart_writes_percentages_with_a_decimal_comma():
    svg = bar_chart([("Bình Chiến", 87.5), ("Đồng Tâm", 100)], percent=True)

    assert "87,5 %" in texts(svg)
    assert "100 %" in texts(svg)


def test_bar_chart_scales_to_the_largest_value():
    svg = bar_chart([("Bình Chiến", 50), ("Đồng Tâm", 200)], unit="hộ")

    widths = [float(rect.get("width")) for rect in ET.fromstring(svg).iter(f"{SVG}rect")]
    assert widths[1] == pytest.approx(4 * widths[0])
    assert "200 hộ" in texts(svg)


def test_bar_chart_cuts_long_labels_with_an_ellipsis():
    label = "Tổ dân phố số 12 thuộc khu dân cư mới phía đông cầu Nà Sản giáp ranh xã bên"

    svg = bar_chart([(label, 1)])

    shown = [text for text in texts(svg) if text and text != "1"]
    assert 1 < len(shown) <= 2
    assert shown[-1].endswith("…")


def test_grouped_bars_show_each_series_in_the_legend():
    svg = grouped_bars(
        ["Bình Chiến", "Đồng Tâm"], [("Năm 2024", [1200, 980]), ("Năm 2025", [1234, 1010])]
    )

    shown = texts(svg)
    assert {"Năm 2024", "Năm 2025", "Bình Chiến", "Đồng Tâm", "1.010"} <= set(shown)


def test_line_chart_labels_the_last_value_and_the_axis():
    points = [(f"{month:02d}/2025", 100 + 20 * month) for month in range(1, 13)]

    shown = texts(line_chart(points, unit="người"))

    assert "340 người" in shown
    assert "12/2025" in shown
    assert "0" in shown  # an axis from zero, as the values are not far above it


def test_line_chart_of_values_far_from_zero_shows_their_change():
    points = [(f"{month:02d}/2025", 1200 + 5 * month) for month in range(1, 13)]

    shown = texts(line_chart(points))

    assert "0" not in shown
    assert "1.200" in shown
    assert "1.260" in shown


def test_empty_data_draws_an_empty_chart_with_a_note():
    note = _("No data to show.")
    empty = [
        age_pyramid([]),
        age_pyramid([("0–4", 0, 0)], title="Tháp"),
        bar_chart([]),
        grouped_bars([], []),
        grouped_bars(["Bình Chiến"], []),
        line_chart([]),
        line_chart([("01/2025", None)]),
    ]

    for svg in empty:
        assert note in texts(svg)


def test_zero_values_draw_without_error():
    assert "0 %" in texts(bar_chart([("Bình Chiến", 0)], percent=True))
    assert "0" in texts(bar_chart([("Bình Chiến", 0), ("Đồng Tâm", None)]))
    assert "0" in texts(grouped_bars(["Bình Chiến"], [("2025", [0])]))
    assert "0" in texts(line_chart([("01/2025", 0), ("02/2025", 0)]))
    assert "5" in texts(line_chart([("01/2025", 5)]))
