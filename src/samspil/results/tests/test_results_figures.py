"""The figures of a result from plain KPI and benefit rows: baseline, latest value, target
and gain, the snapshot and back."""

from datetime import date
from decimal import Decimal

import pytest

from samspil.results import figures
from samspil.results.figures import BENEFIT, KPI, FigureRow, Measured


def row(kind=KPI, direction="lower", baseline="20", points=(), target="12", source_id=7):
    return FigureRow(
        kind=kind,
        name="Minutes per invoice" if kind == KPI else "Hours freed",
        unit="min",
        direction=direction,
        baseline=Decimal(baseline),
        baseline_on=date(2024, 1, 1),
        target=Decimal(target) if target is not None else None,
        target_on=None,
        points=[Measured(day, Decimal(value)) for day, value in points],
        source_kind="pilot",
        source_id=source_id,
        source_title="Invoice robot",
    )


def test_it_takes_the_latest_measurement_whatever_the_order():
    figure = figures.figure_of(row(points=[(date(2024, 6, 30), "14"), (date(2024, 3, 31), "16")]))
    assert figure.latest == Decimal("14")
    assert figure.latest_on == date(2024, 6, 30)
    assert figure.gain == Decimal("0.3")
    assert figure.gain_percent == Decimal("30.0")


def test_it_counts_a_rise_as_a_gain_when_higher_is_better():
    figure = figures.figure_of(
        row(direction="higher", baseline="40", points=[(date(2024, 2, 1), "50")])
    )
    assert figure.gain_percent == Decimal("25.0")


def test_it_counts_a_worse_value_as_a_negative_gain():
    figure = figures.figure_of(row(points=[(date(2024, 2, 1), "25")]))
    assert figure.gain_percent == Decimal("-25.0")


def test_it_leaves_the_gain_undefined_without_measurements_or_with_a_zero_baseline():
    assert figures.figure_of(row()).gain is None
    zero = figures.figure_of(row(baseline="0", points=[(date(2024, 2, 1), "5")]))
    assert zero.gain is None and zero.latest == Decimal("5")


def test_it_refuses_an_unknown_direction():
    with pytest.raises(ValueError):
        figures.figure_of(row(direction="sideways"))


def test_it_puts_kpis_before_benefits():
    made = figures.figures_of([row(kind=BENEFIT), row(kind=KPI)])
    assert [f.kind for f in made] == [KPI, BENEFIT]


def test_it_keeps_a_snapshot_as_json_and_reads_it_back():
    figure = figures.figure_of(row(points=[(date(2024, 6, 30), "14.5000")]))
    snapshot = figures.to_json(figure)
    assert snapshot["latest"] == "14.5"
    assert snapshot["baseline"] == "20"
    assert snapshot["gain_percent"] == "27.5"
    assert snapshot["source"] == {"kind": "pilot", "id": 7, "title": "Invoice robot"}
    shown = figures.for_display([snapshot])
    assert shown[0]["latest"] == Decimal("14.5")
    assert shown[0]["latest_on"] == date(2024, 6, 30)


def test_it_skips_malformed_snapshot_entries():
    shown = figures.for_display([{"name": "x", "baseline": "nonsense"}, "junk", {}])
    assert len(shown) == 1 and shown[0]["baseline"] is None
    assert figures.for_display("junk") == []


def test_it_lists_the_sources_of_the_figures():
    snapshot = [
        figures.to_json(figures.figure_of(row(source_id=3))),
        figures.to_json(figures.figure_of(row(source_id=5))),
        {"name": "no source"},
        {"name": "bad", "source": {"kind": "pilot", "id": True}},
    ]
    assert figures.sources_of(snapshot) == {"pilot": {3, 5}}
