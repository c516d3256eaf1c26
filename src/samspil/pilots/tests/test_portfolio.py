"""A programme's portfolio in figures, tested with plain data and numbers checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from samspil.pilots import portfolio
from samspil.pilots.portfolio import (
    MET,
    NOT_DEFINED,
    NOT_MET,
    PLAN_TOO_LONG,
    RUNNING_TOO_LONG,
    PilotFacts,
)

D = Decimal
TODAY = date(2025, 6, 1)


def facts(pk=1, **extra) -> PilotFacts:
    values = {
        "pk": pk,
        "title": f"Pilot {pk}",
        "status": "running",
        "starts_on": date(2025, 3, 1),
        "planned_end_on": date(2025, 8, 1),
    }
    values.update(extra)
    return PilotFacts(**values)


def measured(pk, baseline, value, direction="lower", **extra) -> PilotFacts:
    return facts(pk, baseline=D(baseline), latest_value=D(value), direction=direction, **extra)


def test_it_takes_a_pilots_gain_from_its_first_kpis_latest_value():
    # 20 minutes per invoice down to 14: 30 % less time.
    assert portfolio.pilot_gain(measured(1, "20", "14")) == D("0.3")
    # 40 cases a week up to 50: 25 % more.
    assert portfolio.pilot_gain(measured(2, "40", "50", "higher")) == D("0.25")


def test_it_has_no_gain_without_a_kpi_a_measurement_or_with_a_zero_baseline():
    assert portfolio.pilot_gain(facts()) is None
    assert portfolio.pilot_gain(facts(baseline=D(20), direction="lower")) is None
    assert portfolio.pilot_gain(measured(1, "0", "5")) is None


def test_it_averages_only_the_defined_gains_against_the_target():
    # 30 % and 10 % average 20 %; the pilots without a gain are left out, not counted as 0.
    check = portfolio.target_check([D("0.3"), None, D("0.1"), None], 30)
    assert check.average == D("0.2")
    assert check.target == D("0.3")
    assert check.measured == 2
    assert check.verdict == NOT_MET
    assert check.met is False


def test_it_says_the_target_is_met_when_the_average_reaches_it():
    check = portfolio.target_check([D("0.25"), D("0.35")], D("30.00"))
    assert check.average == D("0.3")
    assert check.verdict == MET
    assert check.met is True


def test_it_says_not_defined_when_no_pilot_has_a_gain():
    check = portfolio.target_check([None, None], 30)
    assert check.average is None
    assert check.verdict == NOT_DEFINED
    assert check.met is None
    assert portfolio.target_check([], 30).verdict == NOT_DEFINED


def test_it_says_not_defined_without_a_target_but_keeps_the_average():
    check = portfolio.target_check([D("0.4")], None)
    assert check.average == D("0.4")
    assert check.target is None
    assert check.verdict == NOT_DEFINED


def test_a_negative_average_misses_a_positive_target():
    assert portfolio.target_check([D("-0.25")], 0).verdict == NOT_MET
    assert portfolio.target_check([D("0")], 0).verdict == MET


def test_it_warns_when_the_plan_exceeds_the_maximum_length():
    # 1 March + 6 months = 1 September; a plan to 2 September is one day too long.
    assert portfolio.length_warnings(date(2025, 3, 1), date(2025, 9, 2), "planned", 6, TODAY) == (
        PLAN_TOO_LONG,
    )
    assert portfolio.length_warnings(date(2025, 3, 1), date(2025, 9, 1), "planned", 6, TODAY) == ()


def test_it_warns_when_a_running_pilot_has_passed_the_maximum_length():
    start, end = date(2024, 11, 1), date(2025, 4, 1)
    assert portfolio.length_warnings(start, end, "running", 6, TODAY) == (RUNNING_TOO_LONG,)
    # Completed pilots do not run on; without a maximum there is nothing to warn about.
    assert portfolio.length_warnings(start, end, "completed", 6, TODAY) == ()
    assert portfolio.length_warnings(start, date(2026, 1, 1), "running", None, TODAY) == ()


def test_it_makes_the_portfolio_with_lines_counts_and_the_target():
    pilots = [
        measured(1, "20", "14", phase="Konsept", phase_position=1),
        measured(2, "20", "18", phase="Planlegging", phase_position=2, status="planned"),
        facts(3, phase="Konsept", phase_position=1, planned_end_on=date(2026, 1, 1)),
        facts(4, status="completed", ended_on=date(2025, 5, 1)),
    ]
    result = portfolio.portfolio(pilots, target_percent=30, max_months=6, today=TODAY)

    assert [line.gain for line in result.lines] == [D("0.3"), D("0.1"), None, None]
    assert result.target.average == D("0.2")
    assert result.target.verdict == NOT_MET
    assert [(c.key, c.count) for c in result.per_phase] == [
        ("Konsept", 2),
        ("Planlegging", 1),
        (None, 1),
    ]
    assert [(c.key, c.count) for c in result.per_status] == [
        ("planned", 1),
        ("running", 2),
        ("completed", 1),
        ("stopped", 0),
    ]
    assert result.lines[2].warnings == (PLAN_TOO_LONG,)
    assert result.warned == 1
    # The bar of an ended pilot stops at its end, the others at the planned end.
    assert result.lines[3].end == date(2025, 5, 1)
    assert result.lines[0].end == date(2025, 8, 1)


def test_an_empty_portfolio_has_no_average():
    result = portfolio.portfolio([], target_percent=30, max_months=6, today=TODAY)
    assert result.lines == ()
    assert result.target.verdict == NOT_DEFINED
    assert result.per_phase == ()
    assert result.warned == 0


def test_the_funnel_gives_each_stage_its_share_of_the_one_before():
    stages = portfolio.funnel(needs=40, challenges=10, pilots=4, outcomes=1)
    assert [(s.key, s.count) for s in stages] == [
        ("needs", 40),
        ("challenges", 10),
        ("pilots", 4),
        ("outcomes", 1),
    ]
    assert [s.share_of_previous for s in stages] == [None, D("0.25"), D("0.4"), D("0.25")]


def test_the_funnel_has_no_share_after_an_empty_stage():
    stages = portfolio.funnel(needs=0, challenges=2, pilots=0, outcomes=0)
    assert [s.share_of_previous for s in stages] == [None, None, D("0"), None]
