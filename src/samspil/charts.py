"""Coordinates of the product's charts, drawn as inline SVG by ``templates/_partials/charts/``.

Pure: plain values in, dataclasses out; no Django. Every coordinate is in the units of an
SVG ``viewBox`` of ``width`` × ``height``; at the default size one unit is one CSS pixel, so
the 13px text of the partials stays readable. Values and dates come back raw (Decimal, date)
for the templates to format in the reader's language (``floatformat``, ``date``, ``money``).

Three charts: ``time_chart`` (lines over dates, optionally a second y axis, with horizontal
reference lines such as a baseline and a target), ``bar_chart`` (horizontal bars, negative
values and vertical reference lines) and ``timeline_chart`` (start-to-end bars with the
actual end and today). See docs/charts.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import ClassVar, Literal

Number = Decimal | float | int
Axis = Literal["left", "right"]

# Series and reference lines cycle through this many styles (colour + dash + marker shape).
SERIES_STYLES = 6
REFERENCE_STYLES = 4
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "bar")
NICE_MULTIPLES = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
# Rough width of one character of the 13px chart text, to keep labels from overlapping.
CHAR_WIDTH = 7.5
FONT_SIZE = 13
MARKER_SIZE = 5.0


# Numbers and ticks ---------------------------------------------------------------------------


def to_decimal(value: Number) -> Decimal:
    """Decimal of a value; floats through their shortest repr so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def nice_step(raw: Number) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``raw`` (1 for nothing to show)."""
    target = to_decimal(raw)
    if not target.is_finite() or target <= 0:
        return Decimal(1)
    # A power of ten at or below the target; float log10 may be off by one near a power,
    # which the multiples up to 10 absorb.
    power = Decimal(10) ** math.floor(math.log10(target))
    if power > target:
        power /= 10
    for multiple in NICE_MULTIPLES:
        if multiple * power >= target:
            return (multiple * power).normalize()
    return (10 * power).normalize()  # pragma: no cover - the loop returns at 10 × power


def nice_ticks(low: Number, high: Number, count: int = 5, *, whole: bool = False) -> list[Decimal]:
    """About ``count`` evenly spaced round values covering ``low``..``high``, step a nice
    number (1, 2, 2.5, 5 × 10^k, at least 1 when ``whole``: counts have no halves); the
    first tick is at or below ``low``, the last at or above ``high``. Equal ends are widened
    (0 to 1 for zero)."""
    lo, hi = sorted((to_decimal(low), to_decimal(high)))
    if lo == hi:
        pad = abs(lo) / 2 if lo else Decimal(1)
        lo, hi = (lo - pad, hi + pad) if lo else (lo, hi + pad)
    step = nice_step((hi - lo) / max(1, count - 1))
    if whole:
        step = max(step, Decimal(1))
    start = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
    end = (hi / step).to_integral_value(rounding=ROUND_CEILING)
    return [_clean(i * step) for i in range(int(start), int(end) + 1)]


def _clean(value: Decimal) -> Decimal:
    """0 for -0, and no exponent notation (2.5E+2 → 250) for the templates' filters."""
    value = value.normalize()
    if value == 0:
        return Decimal(0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def decimals_of(values: Iterable[Decimal], most: int = 4) -> int:
    """How many decimals the values need to show (at most ``most``)."""
    needed = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            needed = max(needed, -exponent)
    return min(needed, most)


@dataclass(frozen=True)
class Tick:
    """A tick at ``position`` (x or y in the viewBox) labelled with the raw ``value``;
    ``unit`` says how a date tick is to be written: "day", "month" or "year". ``label_at``
    is where its label goes, moved in from the chart's edges so that it stays whole."""

    position: float
    value: Decimal | date
    unit: str = ""
    label_at: float | None = None

    @property
    def label_position(self) -> float:
        return self.position if self.label_at is None else self.label_at


@dataclass(frozen=True)
class Scale:
    """A linear map of values ``low``..``high`` onto ``start``..``end`` of the viewBox."""

    low: Decimal
    high: Decimal
    start: float
    end: float

    def __call__(self, value: Number) -> float:
        span = float(self.high - self.low) or 1.0
        share = (float(to_decimal(value)) - float(self.low)) / span
        return round(self.start + share * (self.end - self.start), 1)


def _axis(
    values: Sequence[Decimal],
    *,
    from_zero: bool,
    domain: tuple[Number, Number] | None = None,
    count: int = 5,
) -> tuple[Decimal, Decimal, list[Decimal]]:
    """The ends of an axis and its ticks: nice ticks over the values (with 0 when
    ``from_zero``), or a fixed ``domain`` with the nice ticks inside it."""
    if domain is not None:
        lo, hi = sorted((to_decimal(domain[0]), to_decimal(domain[1])))
        return lo, hi, [t for t in nice_ticks(lo, hi, count) if lo <= t <= hi]
    pool = [*values, Decimal(0)] if from_zero or not values else list(values)
    whole = all(value == value.to_integral_value() for value in pool)
    ticks = nice_ticks(min(pool), max(pool), count, whole=whole)
    return ticks[0], ticks[-1], ticks


def _label_width(ticks: Sequence[Decimal], decimals: int, suffix: int = 0) -> float:
    """Room for the widest tick label, thousands separators and a unit included."""
    widest = 0
    for tick in ticks:
        digits = len(str(abs(int(tick))))
        chars = digits + (digits - 1) // 3 + (decimals + 1 if decimals else 0) + (tick < 0)
        widest = max(widest, chars + suffix)
    return widest * CHAR_WIDTH


# Date ticks ----------------------------------------------------------------------------------

# Candidate distances between date ticks, finest first: (unit, step, approximate days).
_DATE_STEPS: tuple[tuple[str, int, float], ...] = (
    ("day", 1, 1),
    ("day", 2, 2),
    ("day", 7, 7),
    ("day", 14, 14),
    ("month", 1, 30.44),
    ("month", 2, 60.9),
    ("month", 3, 91.3),
    ("month", 6, 182.6),
    ("year", 1, 365.25),
    ("year", 2, 730.5),
    ("year", 5, 1826),
    ("year", 10, 3652),
    ("year", 25, 9131),
    ("year", 50, 18262),
    ("year", 100, 36525),
)
# Width of a date label at 13px, by how it is written ("31.12.2025", "sep. 2025", "2025"),
# and the room between ticks that keeps neighbours apart even when one is moved in from
# an edge of the chart.
LABEL_WIDTH = {"day": 76.0, "month": 68.0, "year": 32.0}
LABEL_ROOM = {"day": 100.0, "month": 96.0, "year": 48.0}


def _calendar_dates(first: date, last: date, unit: str, step: int) -> list[date]:
    """The round dates from ``first`` to ``last``: days whose ordinal is a multiple of the
    step (weeks start on Mondays), first days of months, 1 January of years."""
    if unit == "day":
        start = first.toordinal() + (-(first.toordinal() - 1)) % step
        return [date.fromordinal(o) for o in range(start, last.toordinal() + 1, step)]
    if unit == "month":
        found = []
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            day = date(year, month, 1)
            if day >= first and (month - 1) % step == 0:
                found.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found
    return [
        date(year, 1, 1)
        for year in range(first.year, last.year + 1)
        if year % step == 0 and date(year, 1, 1) >= first
    ]


def date_ticks(
    first: date,
    last: date,
    scale: DateScale,
    *,
    max_labels: int = 6,
    units: Sequence[str] = ("day", "month", "year"),
    within: tuple[float, float] | None = None,
) -> list[Tick]:
    """Round dates between ``first`` and ``last``: the finest calendar step that gives at
    most ``max_labels`` ticks far enough apart for their labels not to overlap. One day
    gets one tick. Labels are kept ``within`` the given x range (the viewBox)."""

    def tick(when: date, unit: str) -> Tick:
        x = scale(when)
        if within is None:
            return Tick(x, when, unit)
        half = LABEL_WIDTH[unit] / 2
        return Tick(x, when, unit, max(within[0] + half, min(within[1] - half, x)))

    if first == last:
        return [tick(first, "day")]
    span = (last - first).days
    width = abs(scale.end - scale.start)
    for unit, step, days in _DATE_STEPS:
        if unit not in units or span / days > max_labels + 1:
            continue
        dates = _calendar_dates(first, last, unit, step)
        if not dates or len(dates) > max_labels:
            continue
        gap = width * days / span if span else width
        if gap < LABEL_ROOM[unit]:
            continue
        return [tick(d, unit) for d in dates]
    return [tick(first, "day"), tick(last, "day")]


@dataclass(frozen=True)
class DateScale:
    """A linear map of dates ``first``..``last`` onto ``start``..``end``; one day maps to
    the middle."""

    first: date
    last: date
    start: float
    end: float

    def __call__(self, when: date) -> float:
        if self.first == self.last:
            return round((self.start + self.end) / 2, 1)
        share = (when - self.first).days / (self.last - self.first).days
        return round(self.start + share * (self.end - self.start), 1)


# Markers -------------------------------------------------------------------------------------


def _polygon(corners: Sequence[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in corners) + "Z"


def marker_path(shape: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    """An SVG path of a marker centred on (x, y): the shapes tell series apart without
    colour."""
    s = size
    if shape == "square":
        s *= 0.9
        return _polygon([(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)])
    if shape == "triangle":
        return _polygon([(x, y - 1.2 * s), (x + 1.2 * s, y + s), (x - 1.2 * s, y + s)])
    if shape == "triangle-down":
        return _polygon([(x, y + 1.2 * s), (x + 1.2 * s, y - s), (x - 1.2 * s, y - s)])
    if shape == "diamond":
        s *= 1.3
        return _polygon([(x, y - s), (x + s, y), (x, y + s), (x - s, y)])
    if shape == "bar":
        return _polygon(
            [
                (x - 1.5, y - 1.3 * s),
                (x + 1.5, y - 1.3 * s),
                (x + 1.5, y + 1.3 * s),
                (x - 1.5, y + 1.3 * s),
            ]
        )
    # A circle of two arcs.
    arc = f"a{s:.1f} {s:.1f} 0 1 0"
    return f"M{x - s:.1f} {y:.1f}{arc} {2 * s:.1f} 0{arc} {-2 * s:.1f} 0Z"


# Line chart over dates -----------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """A line: its label and (date, value) points; a value of None leaves a gap. ``axis``
    "right" puts it on the second y axis."""

    label: str
    points: Sequence[tuple[date, Number | None]]
    axis: Axis = "left"


@dataclass(frozen=True)
class Reference:
    """A horizontal (time chart) or vertical (bar chart) line at ``value``, e.g. a KPI's
    baseline or target or a benchmark's external reference value; a value of None (a KPI
    without a target) draws nothing."""

    label: str
    value: Number | None
    axis: Axis = "left"


@dataclass(frozen=True)
class PlotPoint:
    x: float
    y: float
    date: date
    value: Decimal
    marker: str  # SVG path of the marker


@dataclass(frozen=True)
class PlottedSeries:
    label: str
    style: int  # 1..SERIES_STYLES: the CSS class chart-series-<style>
    shape: str
    axis: Axis
    points: list[PlotPoint]
    path: str  # the line; "M" starts again after a gap
    value_format: str  # floatformat argument that shows the values' decimals, e.g. "2g"
    swatch: str = ""  # marker path for the legend's 32 × 16 swatch

    @property
    def css_class(self) -> str:
        return f"chart-series-{self.style}"


@dataclass(frozen=True)
class PlottedReference:
    label: str
    value: Decimal
    style: int  # 1..REFERENCE_STYLES: the CSS class chart-reference-<style>
    position: float  # y in a time chart, x in a bar chart
    axis: Axis = "left"
    inside: bool = True  # False when a fixed domain leaves the value outside the plot

    @property
    def css_class(self) -> str:
        return f"chart-reference-{self.style}"

    @property
    def value_format(self) -> str:
        return f"{decimals_of([self.value])}g"


@dataclass(frozen=True)
class TimeChart:
    template: ClassVar[str] = "_partials/charts/time.html"

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    series: list[PlottedSeries]
    references: list[PlottedReference]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    y_format: str  # floatformat argument for the left axis labels
    y2_ticks: list[Tick] = field(default_factory=list)
    y2_format: str = "0g"
    zero: float | None = None  # y of the zero line when the left axis crosses 0

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)

    @property
    def point_count(self) -> int:
        return sum(len(s.points) for s in self.series)

    @property
    def tick_end(self) -> float:
        """Where the small marks of the date ticks end, below the x axis."""
        return self.bottom + 5

    @property
    def has_right_axis(self) -> bool:
        return bool(self.y2_ticks)

    @property
    def middle(self) -> tuple[float, float]:
        return (round((self.left + self.right) / 2, 1), round((self.top + self.bottom) / 2, 1))


def _finite(value: Number | None) -> Decimal | None:
    """The value as a Decimal, or None for no value (None, NaN, infinity)."""
    if value is None:
        return None
    number = to_decimal(value)
    return number if number.is_finite() else None


def _finite_points(series: Series) -> list[tuple[date, Decimal]]:
    return [(d, n) for d, v in series.points if (n := _finite(v)) is not None]


def _line_path(points: Sequence[PlotPoint | None]) -> str:
    parts, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point.x:.1f} {point.y:.1f}")
        pen_down = True
    return "".join(parts)


def time_chart(
    series: Sequence[Series],
    *,
    references: Sequence[Reference] = (),
    width: int = 640,
    height: int = 320,
    y_from_zero: bool = True,
    y_domain: tuple[Number, Number] | None = None,
    y2_domain: tuple[Number, Number] | None = None,
    max_x_labels: int = 6,
    unit_chars: int = 2,
) -> TimeChart:
    """A line per series over its dates, on the left y axis or (``axis="right"``) a second
    one on the right, with horizontal reference lines. The left axis starts from 0 when
    ``y_from_zero`` (else from the data); a ``y_domain``/``y2_domain`` fixes an axis (e.g.
    a 1–5 score). ``unit_chars`` leaves room for a unit written after the tick labels."""
    refs = [(r, n) for r in references if (n := _finite(r.value)) is not None]
    values = {
        side: [v for s in series if s.axis == side for _d, v in _finite_points(s)]
        for side in ("left", "right")
    }
    ref_values = {side: [n for r, n in refs if r.axis == side] for side in ("left", "right")}
    dates = sorted(d for s in series for d, _v in _finite_points(s))
    two_axes = any(s.axis == "right" for s in series) or y2_domain is not None

    top, bottom = 12.0, height - 32.0
    # The ticks decide the room their labels need on either side of the plot.
    y_low, y_high, left_ticks = _axis(
        values["left"] + ref_values["left"], from_zero=y_from_zero, domain=y_domain
    )
    y_decimals = decimals_of(left_ticks)
    left = 12.0 + max(30.0, _label_width(left_ticks, y_decimals, unit_chars))
    y_scale = Scale(y_low, y_high, bottom, top)
    right, y2_decimals, y2_scale = width - 16.0, 0, None
    right_ticks: list[Decimal] = []
    if two_axes:
        y2_low, y2_high, right_ticks = _axis(
            values["right"] + ref_values["right"], from_zero=True, domain=y2_domain
        )
        y2_decimals = decimals_of(right_ticks)
        right = width - 12.0 - max(24.0, _label_width(right_ticks, y2_decimals, unit_chars))
        y2_scale = Scale(y2_low, y2_high, bottom, top)

    x_scale = DateScale(dates[0], dates[-1], left, right) if dates else None
    plotted = []
    for index, one in enumerate(series):
        scale = y2_scale if one.axis == "right" and y2_scale is not None else y_scale
        style = index % SERIES_STYLES + 1
        shape = MARKERS[index % len(MARKERS)]
        line: list[PlotPoint | None] = []
        for when, value in sorted(one.points, key=lambda p: p[0]):
            number = _finite(value)
            if number is None or x_scale is None:
                line.append(None)
                continue
            x, y = x_scale(when), scale(number)
            line.append(PlotPoint(x, y, when, number, marker_path(shape, x, y)))
        points = [p for p in line if p is not None]
        plotted.append(
            PlottedSeries(
                label=one.label,
                style=style,
                shape=shape,
                axis=one.axis,
                points=points,
                path=_line_path(line),
                value_format=f"{decimals_of(p.value for p in points)}g",
                swatch=marker_path(shape, 16, 8, 4),
            )
        )

    placed_refs = []
    for index, (ref, value) in enumerate(refs):
        scale = y2_scale if ref.axis == "right" and y2_scale is not None else y_scale
        placed_refs.append(
            PlottedReference(
                label=ref.label,
                value=value,
                style=index % REFERENCE_STYLES + 1,
                position=scale(value),
                axis=ref.axis,
                inside=scale.low <= value <= scale.high,
            )
        )

    x_ticks = (
        date_ticks(dates[0], dates[-1], x_scale, max_labels=max_x_labels, within=(0, width))
        if x_scale is not None
        else []
    )
    return TimeChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        series=plotted,
        references=placed_refs,
        x_ticks=x_ticks,
        y_ticks=[Tick(y_scale(t), t) for t in left_ticks],
        y_format=f"{y_decimals}g",
        y2_ticks=[Tick(y2_scale(t), t) for t in right_ticks] if y2_scale is not None else [],
        y2_format=f"{y2_decimals}g",
        zero=y_scale(0) if y_scale.low < 0 < y_scale.high else None,
    )


# Horizontal bar chart ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: ``highlight`` marks "this pilot" or "your organisation"; bars of the same
    ``group`` that follow each other get one heading."""

    label: str
    value: Number | None
    highlight: bool = False
    group: str = ""


@dataclass(frozen=True)
class PlacedBar:
    label: str
    value: Decimal | None  # None: no value (drawn as a label and a dash)
    highlight: bool
    group: str
    x: float
    width: float
    y: float  # top of the bar
    height: float
    label_y: float  # baseline of the label above the bar
    value_x: float  # where the value's text is anchored
    value_anchor: str  # "start" (right of a bar) or "end" (left of a negative bar)
    value_y: float

    @property
    def negative(self) -> bool:
        return self.value is not None and self.value < 0


@dataclass(frozen=True)
class GroupHeading:
    label: str
    y: float  # text baseline


@dataclass(frozen=True)
class BarChart:
    template: ClassVar[str] = "_partials/charts/bar.html"

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: list[PlacedBar]
    groups: list[GroupHeading]
    references: list[PlottedReference]
    ticks: list[Tick]
    tick_format: str
    value_format: str
    zero: float  # x of the value 0
    has_negative: bool

    @property
    def empty(self) -> bool:
        return all(b.value is None for b in self.bars)

    @property
    def has_highlight(self) -> bool:
        return any(b.highlight for b in self.bars)

    @property
    def middle(self) -> tuple[float, float]:
        return (round((self.left + self.right) / 2, 1), round((self.top + self.bottom) / 2, 1))


def bar_chart(
    bars: Sequence[Bar],
    *,
    references: Sequence[Reference] = (),
    width: int = 640,
    bar_height: int = 28,
    value_chars: int = 10,
) -> BarChart:
    """Horizontal bars from 0 with the label above each bar and the value at its end,
    vertical reference lines (e.g. a gain target) and a zero line when values are negative.
    ``value_chars`` is the room kept for a value's text (formatted by the template)."""
    values = [n for b in bars if (n := _finite(b.value)) is not None]
    refs = [(r, n) for r in references if (n := _finite(r.value)) is not None]
    ref_values = [n for _r, n in refs]
    has_negative = any(v < 0 for v in values + ref_values)
    room = value_chars * CHAR_WIDTH
    left = 8.0 + (room if has_negative else 0.0)
    right = width - 8.0 - room
    low, high, ticks = _axis(values + ref_values, from_zero=True, count=6)
    scale = Scale(low, high, left, right)
    zero = scale(0)

    label_line = FONT_SIZE + 6.0
    top = 8.0
    y = top
    placed, headings = [], []
    previous_group = None
    for bar in bars:
        if bar.group and bar.group != previous_group:
            headings.append(GroupHeading(bar.group, round(y + FONT_SIZE + 2, 1)))
            y += label_line + 4
        previous_group = bar.group
        label_y = round(y + FONT_SIZE, 1)
        bar_top = round(y + label_line, 1)
        value = _finite(bar.value)
        end = scale(value) if value is not None else zero
        x, w = min(zero, end), round(abs(end - zero), 1)
        negative = value is not None and value < 0
        placed.append(
            PlacedBar(
                label=bar.label,
                value=value,
                highlight=bar.highlight,
                group=bar.group,
                x=x,
                width=w,
                y=bar_top,
                height=float(bar_height),
                label_y=label_y,
                value_x=round(end - 6 if negative else end + 6, 1),
                value_anchor="end" if negative else "start",
                value_y=round(bar_top + bar_height / 2 + FONT_SIZE / 3, 1),
            )
        )
        y = bar_top + bar_height + 10
    # Without bars, one row's room for the words saying so.
    bottom = y if bars else top + label_line + bar_height
    placed_refs = [
        PlottedReference(
            label=ref.label,
            value=value,
            style=index % REFERENCE_STYLES + 1,
            position=scale(value),
        )
        for index, (ref, value) in enumerate(refs)
    ]
    return BarChart(
        width=width,
        height=math.ceil(bottom + 28),
        left=left,
        right=right,
        top=top,
        bottom=round(bottom, 1),
        bars=placed,
        groups=headings,
        references=placed_refs,
        ticks=[Tick(scale(t), t) for t in ticks],
        tick_format=f"{decimals_of(ticks)}g",
        value_format=f"{decimals_of(values)}g",
        zero=zero,
        has_negative=has_negative,
    )


# Timeline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    """A bar from ``start`` to the planned ``end``; ``actual_end`` when it ended (or was
    stopped). ``status`` becomes a CSS class suffix; ``warning`` flags a row (e.g. overdue)."""

    label: str
    start: date
    end: date
    actual_end: date | None = None
    status: str = ""
    warning: bool = False


@dataclass(frozen=True)
class TimelineBar:
    label: str
    start: date
    end: date
    actual_end: date | None
    status: str
    warning: bool
    x: float
    width: float
    y: float
    height: float
    label_y: float
    actual_x: float | None  # where the actual end is marked
    actual_marker: str  # SVG path of that mark ("" without an actual end)
    overrun_x: float  # the planned end, where an overrun starts
    overrun_width: float  # past the planned end up to the actual end (0 when none)
    warning_marker: str  # SVG path of the warning triangle before the label ("" without)
    label_x: float


@dataclass(frozen=True)
class TimelineChart:
    template: ClassVar[str] = "_partials/charts/timeline.html"

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    rows: list[TimelineBar]
    ticks: list[Tick]
    today: date | None
    today_x: float | None  # None when today is outside the chart's dates

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def middle(self) -> tuple[float, float]:
        return (round((self.left + self.right) / 2, 1), round((self.top + self.bottom) / 2, 1))

    @property
    def has_actual_end(self) -> bool:
        return any(r.actual_x is not None for r in self.rows)

    @property
    def has_overrun(self) -> bool:
        return any(r.overrun_width for r in self.rows)

    @property
    def has_warning(self) -> bool:
        return any(r.warning for r in self.rows)


def timeline_chart(
    rows: Sequence[TimelineRow],
    *,
    today: date | None = None,
    width: int = 720,
    row_height: int = 26,
    max_labels: int = 8,
) -> TimelineChart:
    """A bar per row from its start to its planned end with the label above it, the actual
    end marked (a bar past the planned end shows the overrun), month or year ticks and a
    line at ``today`` when it falls within the chart's dates."""
    left, right, top = 12.0, width - 12.0, 8.0
    ends = [d for r in rows for d in (r.start, r.end, r.actual_end) if d is not None]
    first = last = today or date(2000, 1, 1)
    if ends:
        first, last = min(ends), max(ends)
    if first == last:
        first, last = first - timedelta(days=15), last + timedelta(days=15)
    scale = DateScale(first, last, left, right)

    bar_height = row_height * 0.6
    label_line = FONT_SIZE + 5.0
    placed = []
    y = top
    for row in rows:
        bar_top = round(y + label_line, 1)
        start_x, end_x = scale(min(row.start, row.end)), scale(max(row.start, row.end))
        actual_x = scale(row.actual_end) if row.actual_end is not None else None
        middle = round(bar_top + bar_height / 2, 1)
        overrun = round(actual_x - end_x, 1) if actual_x is not None and actual_x > end_x else 0.0
        label_x = left + (18.0 if row.warning else 0.0)
        placed.append(
            TimelineBar(
                label=row.label,
                start=row.start,
                end=row.end,
                actual_end=row.actual_end,
                status=row.status,
                warning=row.warning,
                x=start_x,
                width=max(round(end_x - start_x, 1), 2.0),
                y=bar_top,
                height=round(bar_height, 1),
                label_y=round(y + FONT_SIZE, 1),
                actual_x=actual_x,
                actual_marker=marker_path("diamond", actual_x, middle, bar_height / 2.6)
                if actual_x is not None
                else "",
                overrun_x=end_x,
                overrun_width=overrun,
                warning_marker=marker_path("triangle", left + 7, y + FONT_SIZE - 4, 5.5)
                if row.warning
                else "",
                label_x=label_x,
            )
        )
        y = bar_top + row_height
    bottom = round(max(y, top + row_height), 1)
    ticks = (
        date_ticks(
            first, last, scale, max_labels=max_labels, units=("month", "year"), within=(0, width)
        )
        if rows
        else []
    )
    today_x = scale(today) if rows and today is not None and first <= today <= last else None
    return TimelineChart(
        width=width,
        height=math.ceil(bottom + 28),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        rows=placed,
        ticks=ticks,
        today=today,
        today_x=today_x,
    )
