"""The chart geometry with plain data, and the SVG partials rendered from it."""

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.template.loader import render_to_string

from samspil import charts
from samspil.charts import Bar, Reference, Series, TimelineRow


def d(day: int, month: int = 1, year: int = 2025) -> date:
    return date(year, month, day)


# Nice numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "1"),
        (-3, "1"),
        (0.3, "0.5"),
        (1, "1"),
        (1.2, "2"),
        (2.2, "2.5"),
        (3, "5"),
        (7, "10"),
        (1000, "1000"),
        (1234, "2000"),
        (Decimal("0.012"), "0.02"),
    ],
)
def test_it_rounds_steps_up_to_1_2_2_5_or_5_times_a_power_of_ten(value, expected):
    assert charts.nice_step(value) == Decimal(expected)


def test_it_spans_the_values_with_round_ticks():
    assert charts.nice_ticks(0, 1000) == [0, 250, 500, 750, 1000]
    assert charts.nice_ticks(0, 1200) == [0, 500, 1000, 1500]
    assert charts.nice_ticks(Decimal("0.1"), Decimal("0.33")) == [
        Decimal("0.1"),
        Decimal("0.2"),
        Decimal("0.3"),
        Decimal("0.4"),
    ]


def test_it_spans_negative_values_across_zero():
    ticks = charts.nice_ticks(-3, 7)
    assert ticks[0] <= -3 and ticks[-1] >= 7 and Decimal(0) in ticks
    steps = {b - a for a, b in pairwise(ticks)}
    assert steps == {Decimal("2.5")}


def test_it_widens_equal_ends():
    assert charts.nice_ticks(0, 0) == [0, Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), 1]
    ticks = charts.nice_ticks(5, 5)
    assert ticks[0] < 5 < ticks[-1]


def test_it_writes_ticks_without_exponents_or_minus_zero():
    for tick in charts.nice_ticks(-1000, 4000) + charts.nice_ticks(-1, 1):
        assert "E" not in str(tick) and str(tick) != "-0"


def test_it_counts_the_decimals_values_need():
    assert charts.decimals_of([Decimal("2.50"), Decimal("3")]) == 1
    assert charts.decimals_of([Decimal("1.23456789")]) == 4
    assert charts.decimals_of([Decimal(100)]) == 0


# Line chart over dates ---------------------------------------------------------------------


def test_it_places_points_by_date_and_value_from_zero():
    chart = charts.time_chart(
        [Series("Cost", [(d(1), Decimal(1000)), (d(11), Decimal(500)), (d(31), None)])]
    )
    # The last date has no value: the dates run from the 1st to the 11th.
    first, second = chart.series[0].points
    assert (first.x, first.y) == (chart.left, chart.top)  # the axis runs from 0 to 1000
    assert (second.x, second.y) == (chart.right, (chart.top + chart.bottom) / 2)
    assert first.value == Decimal(1000) and first.date == d(1)
    assert [t.value for t in chart.y_ticks] == [0, 250, 500, 750, 1000]
    assert chart.y_ticks[0].position == chart.bottom and chart.y_format == "0g"


def test_it_leaves_a_gap_where_a_value_is_missing():
    chart = charts.time_chart(
        [Series("KPI", [(d(1), 1), (d(2), 2), (d(3), None), (d(4), 4), (d(5), 5)])]
    )
    path = chart.series[0].path
    assert path.count("M") == 2 and path.count("L") == 2
    assert len(chart.series[0].points) == 4


def test_it_starts_from_the_data_when_asked_and_allows_negative_values():
    chart = charts.time_chart([Series("KPI", [(d(1), 90), (d(9), 110)])], y_from_zero=False)
    assert chart.y_ticks[0].value > 0 and chart.zero is None
    negative = charts.time_chart([Series("Change", [(d(1), -20), (d(9), 30)])])
    values = [t.value for t in negative.y_ticks]
    assert values[0] <= -20 and values[-1] >= 30
    assert negative.zero is not None and negative.top < negative.zero < negative.bottom
    low, high = negative.series[0].points
    assert low.y > negative.zero > high.y


def test_it_keeps_reference_lines_in_view():
    chart = charts.time_chart(
        [Series("KPI", [(d(1), 40), (d(9), 50)])],
        references=[Reference("Baseline", 40), Reference("Target", 120)],
    )
    baseline, target = chart.references
    assert chart.y_ticks[-1].value >= 120
    assert target.inside and chart.top <= target.position < baseline.position <= chart.bottom
    assert (baseline.style, target.style) == (1, 2)
    assert (baseline.css_class, target.value_format) == ("chart-reference-1", "0g")


def test_it_puts_a_series_on_a_second_axis_with_a_fixed_domain():
    chart = charts.time_chart(
        [
            Series("Cost", [(d(1), Decimal(3000)), (d(9), Decimal(1000))]),
            Series("Satisfaction", [(d(1), 3.0), (d(9), 5.0)], axis="right"),
        ],
        y2_domain=(1, 5),
    )
    assert chart.has_right_axis and [t.value for t in chart.y2_ticks] == [1, 2, 3, 4, 5]
    three, five = chart.series[1].points
    assert three.y == (chart.top + chart.bottom) / 2 and five.y == chart.top
    assert chart.series[0].points[0].y == chart.top  # cost on its own axis, 0 to 3000
    assert chart.right < chart.width - 30  # room for the right axis labels


def test_it_leaves_out_references_without_a_value_and_values_that_are_not_numbers():
    chart = charts.time_chart(
        [Series("KPI", [(d(1), 5), (d(2), float("nan")), (d(3), Decimal("Infinity"))])],
        references=[Reference("Baseline", 5), Reference("Target", None)],
    )
    assert [r.label for r in chart.references] == ["Baseline"]
    assert len(chart.series[0].points) == 1 and chart.x_ticks[0].value == d(1)
    bars = charts.bar_chart([Bar("A", float("nan"))], references=[Reference("Target", None)])
    assert bars.empty and bars.references == []


def test_it_marks_a_reference_outside_a_fixed_domain():
    chart = charts.time_chart(
        [Series("Score", [(d(1), 3)])], references=[Reference("Old", 9)], y_domain=(1, 5)
    )
    assert not chart.references[0].inside


def test_it_centres_a_single_point_and_points_of_one_day():
    one = charts.time_chart([Series("KPI", [(d(5), 10)])])
    middle = (one.left + one.right) / 2
    assert one.series[0].points[0].x == pytest.approx(middle, abs=0.05)
    assert [(t.value, t.unit) for t in one.x_ticks] == [(d(5), "day")]
    same_day = charts.time_chart([Series("A", [(d(5), 1)]), Series("B", [(d(5), 2)])])
    (x,) = {p.x for s in same_day.series for p in s.points}
    assert x == pytest.approx((same_day.left + same_day.right) / 2, abs=0.06)


def test_it_says_when_there_is_nothing_to_draw():
    for chart in (
        charts.time_chart([]),
        charts.time_chart([Series("KPI", [(d(1), None)])]),
        charts.time_chart([Series("KPI", [])], references=[Reference("Target", 5)]),
    ):
        assert chart.empty and chart.point_count == 0 and chart.x_ticks == []
        assert chart.y_ticks  # the axis still shows
    assert charts.time_chart([Series("KPI", [(d(1), 0)])]).y_ticks[-1].value == 1


def test_it_gives_series_distinct_styles_and_marker_shapes():
    chart = charts.time_chart([Series(str(i), [(d(1), i)]) for i in range(7)])
    styles = [s.style for s in chart.series]
    assert styles == [1, 2, 3, 4, 5, 6, 1]
    assert len({s.shape for s in chart.series[:6]}) == 6
    assert all(s.swatch.startswith("M") for s in chart.series)


def test_it_labels_round_dates_far_enough_apart():
    daily = [(d(1) + (d(2) - d(1)) * i, i) for i in range(400)]
    chart = charts.time_chart([Series("KPI", daily)], max_x_labels=6)
    ticks = chart.x_ticks
    assert 2 <= len(ticks) <= 6
    assert all(t.unit in ("month", "year") for t in ticks)
    assert all(t.value.day == 1 for t in ticks)
    gaps = [b.position - a.position for a, b in pairwise(ticks)]
    assert min(gaps) >= charts.LABEL_ROOM[ticks[0].unit]
    # Labels near the edges are moved in so that they stay whole.
    for tick in ticks:
        half = charts.LABEL_WIDTH[tick.unit] / 2
        assert half <= tick.label_position <= chart.width - half


def test_it_labels_days_within_a_short_span():
    chart = charts.time_chart([Series("KPI", [(d(1), 1), (d(4), 2)])])
    assert [t.value for t in chart.x_ticks] == [d(1), d(2), d(3), d(4)]
    assert {t.unit for t in chart.x_ticks} == {"day"}


def test_it_labels_years_over_decades():
    chart = charts.time_chart([Series("KPI", [(d(1, 1, 1990), 1), (d(1, 1, 2025), 2)])])
    assert {t.unit for t in chart.x_ticks} == {"year"} and len(chart.x_ticks) <= 6


# Bars --------------------------------------------------------------------------------------


def test_it_draws_bars_from_zero_with_their_labels_above():
    chart = charts.bar_chart([Bar("A", 10), Bar("B", 40, highlight=True)], bar_height=20)
    a, b = chart.bars
    assert a.x == b.x == chart.zero == chart.left and not chart.has_negative
    assert b.width == pytest.approx(4 * a.width, abs=0.5)
    assert a.label_y < a.y and a.y + a.height < b.label_y  # rows do not overlap
    assert b.highlight and chart.has_highlight and not a.highlight
    assert b.value_anchor == "start" and b.value_x > b.x + b.width


def test_it_draws_negative_bars_left_of_a_zero_line():
    chart = charts.bar_chart([Bar("Fell", -20), Bar("Rose", 30)])
    fell, rose = chart.bars
    assert chart.has_negative and chart.left < chart.zero < chart.right
    assert fell.negative and fell.x + fell.width == pytest.approx(chart.zero, abs=0.1)
    assert fell.value_anchor == "end" and fell.value_x < fell.x
    assert rose.x == chart.zero
    assert Decimal(0) in [t.value for t in chart.ticks]


def test_it_places_reference_lines_and_keeps_them_in_view():
    chart = charts.bar_chart([Bar("Programme", 12)], references=[Reference("Target", 30)])
    (target,) = chart.references
    assert chart.ticks[-1].value >= 30 and target.position <= chart.right
    assert target.position > chart.bars[0].x + chart.bars[0].width


def test_it_heads_each_run_of_a_group_once():
    chart = charts.bar_chart(
        [Bar("Us", 1, group="DK"), Bar("Them", 2, group="DK"), Bar("N", 3, group="Norway")]
    )
    assert [g.label for g in chart.groups] == ["DK", "Norway"]
    assert chart.groups[1].y < chart.bars[2].label_y
    assert chart.bars[1].y < chart.groups[1].y


def test_it_shows_a_bar_without_a_value_and_an_empty_chart():
    chart = charts.bar_chart([Bar("Unknown", None), Bar("Known", 5)])
    assert chart.bars[0].value is None and chart.bars[0].width == 0 and not chart.empty
    assert charts.bar_chart([]).empty and charts.bar_chart([Bar("x", None)]).empty
    assert charts.bar_chart([]).height > 0


# Timeline ----------------------------------------------------------------------------------


def test_it_draws_planned_bars_with_the_actual_end_and_today():
    chart = charts.timeline_chart(
        [
            TimelineRow("Early", d(1, 1, 2024), d(30, 6, 2024), actual_end=d(31, 5, 2024)),
            TimelineRow("Late", d(1, 3, 2024), d(31, 12, 2024), d(1, 3, 2025), warning=True),
            TimelineRow("Running", d(1, 6, 2024), d(1, 2, 2025), status="running"),
        ],
        today=d(1, 9, 2024),
    )
    early, late, running = chart.rows
    assert early.x == chart.left and late.actual_x == chart.right
    assert early.actual_x is not None and early.x < early.actual_x < early.x + early.width
    assert early.overrun_width == 0 and late.overrun_width > 0
    assert late.overrun_x + late.overrun_width == pytest.approx(chart.right, abs=0.1)
    assert running.actual_x is None and running.actual_marker == ""
    assert late.warning_marker and late.label_x > early.label_x
    assert chart.today_x is not None and running.x < chart.today_x < running.x + running.width
    assert chart.has_actual_end and chart.has_overrun and chart.has_warning
    assert early.y < late.y < running.y
    assert chart.ticks and {t.unit for t in chart.ticks} <= {"month", "year"}


def test_it_leaves_today_out_when_outside_and_handles_nothing():
    chart = charts.timeline_chart(
        [TimelineRow("Past", d(1, 1, 2020), d(1, 6, 2020))], today=d(1, 1, 2025)
    )
    assert chart.today_x is None
    one_day = charts.timeline_chart([TimelineRow("Day", d(5), d(5))])
    assert one_day.rows[0].width >= 2
    empty = charts.timeline_chart([], today=d(1))
    assert empty.empty and empty.ticks == [] and empty.today_x is None


# Partials ----------------------------------------------------------------------------------


def render(chart, **extra) -> str:
    context = {"chart": chart, "id": "c1", "title": "The title", "desc": "The description"}
    return render_to_string(chart.template, context | extra)


def assert_accessible_svg(html: str) -> None:
    assert re.search(r'<svg [^>]*id="c1"[^>]*role="img"', html)
    assert 'aria-labelledby="c1-title c1-desc"' in html
    assert '<title id="c1-title">The title</title>' in html
    assert '<desc id="c1-desc">The description</desc>' in html
    assert "<script" not in html and "style=" not in html


def test_it_renders_a_time_chart_with_one_marker_per_point_and_a_legend():
    chart = charts.time_chart(
        [
            Series("Measured", [(d(1), Decimal("1234.5")), (d(20), 3), (d(25), 4)]),
            Series("Score", [(d(1), 4)], axis="right"),
        ],
        references=[Reference("Baseline", 2), Reference("Target", 10)],
        y2_domain=(1, 5),
    )
    html = render(chart)
    assert_accessible_svg(html)
    drawing, legend = html.split("</svg>", 1)
    assert drawing.count('<path class="chart-marker"') == 4
    assert drawing.count('<path class="chart-line"') == 2
    assert drawing.count('class="chart-reference chart-reference-') == 2
    assert legend.count("</li>") == 4
    assert "Measured" in html and "Target" in html
    # Coordinates are never localised (a Danish decimal comma would break the SVG).
    assert not re.search(r'(x|y|x1|y1|d)="[^"]*\d,\d', html)


def test_it_renders_an_empty_time_chart_that_says_so():
    html = render(charts.time_chart([]), empty_text="Nothing measured")
    assert_accessible_svg(html)
    assert 'class="chart-empty"' in html and "Nothing measured" in html
    assert "chart-marker" not in html


def test_it_renders_one_rect_per_bar_with_values():
    chart = charts.bar_chart(
        [Bar("Ours", Decimal("12.5"), highlight=True), Bar("Theirs", -3), Bar("None", None)],
        references=[Reference("Target", 30)],
    )
    html = render(chart, highlight_label="Your organisation", unit=" %")
    assert_accessible_svg(html)
    drawing, legend = html.split("</svg>", 1)
    assert drawing.count('<rect class="chart-bar-rect"') == 2
    assert legend.count('class="chart-bar chart-bar--highlight"') == 1
    assert 'class="chart-zero"' in html and "Your organisation" in html
    assert html.count('class="chart-bar-label"') == 3


def test_it_renders_one_bar_per_timeline_row():
    chart = charts.timeline_chart(
        [
            TimelineRow("A", d(1, 1, 2024), d(1, 6, 2024), d(1, 8, 2024), "completed", True),
            TimelineRow("B", d(1, 3, 2024), d(1, 12, 2024), status="running"),
        ],
        today=d(1, 7, 2024),
    )
    html = render(chart, warning_label="Overdue")
    assert_accessible_svg(html)
    drawing = html.split("</svg>", 1)[0]
    assert drawing.count('<rect class="chart-timeline-bar"') == 2
    assert drawing.count('<path class="chart-timeline-actual"') == 1
    assert 'class="chart-today" x1=' in html and "Overdue" in html
    assert "chart-timeline--completed chart-timeline--warning" in html


def test_it_counts_in_whole_steps_when_every_value_is_whole():
    assert charts.nice_ticks(0, 2, 6, whole=True) == [0, 1, 2]
    assert charts.nice_ticks(0, 2, 6)[1] == Decimal("0.5")
    chart = charts.bar_chart([charts.Bar("Needs", 2), charts.Bar("Pilots", 1)])
    assert all(tick.value == tick.value.to_integral_value() for tick in chart.ticks)
