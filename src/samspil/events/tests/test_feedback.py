"""The survey, cost and trend figures with plain data (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from samspil.events import feedback
from samspil.events.feedback import Answer, EventFigures


def answer(s: int, r: int = 3, o: int = 3, **extra) -> Answer:
    return Answer(satisfaction=s, relevance=r, organisation_rating=o, **extra)


# Survey ----------------------------------------------------------------------------------------


def test_it_counts_attendees_once_attendance_is_marked_else_the_confirmed():
    assert feedback.participant_count(confirmed=10, attended=0) == 10
    assert feedback.participant_count(confirmed=10, attended=7) == 7


def test_it_summarises_means_and_distributions():
    answers = [answer(5, 4, 2), answer(4, 4, 3), answer(3, 5, 3), answer(5, 1, 5)]
    summary = feedback.summarise_survey(answers, confirmed=8, attended=0)
    assert summary.responses == 4 and summary.participants == 8
    assert summary.response_rate == 0.5
    assert summary.mean_satisfaction == pytest.approx(4.25)
    assert summary.scores["satisfaction"].distribution == (0, 0, 1, 1, 2)
    assert summary.scores["relevance"].mean == pytest.approx(3.5)
    assert summary.scores["organisation_rating"].distribution == (0, 1, 2, 0, 1)
    assert [s.name for s in summary.score_list] == list(feedback.SCORES)


def test_it_gives_each_value_its_share_for_the_bars():
    score = feedback.summarise_scores("satisfaction", [5, 5, 4, 1])
    assert score.rows == [(1, 1, 0.25), (2, 0, 0.0), (3, 0, 0.0), (4, 1, 0.25), (5, 2, 0.5)]


def test_it_counts_only_attendees_answers_in_the_rate_once_attendance_is_marked():
    answers = [answer(5, attended=True), answer(4, attended=False), answer(3, attended=True)]
    summary = feedback.summarise_survey(answers, confirmed=10, attended=4)
    assert summary.participants == 4
    assert summary.response_rate == 0.5
    assert summary.responses == 3  # every answer still counts in the means
    assert summary.mean_satisfaction == pytest.approx(4.0)


def test_it_lists_the_free_texts_without_blanks():
    answers = [
        answer(5, went_well=" The data ", improve=""),
        answer(4, went_well="", improve="Longer breaks"),
        answer(4, went_well="   ", improve="More suppliers"),
    ]
    summary = feedback.summarise_survey(answers, confirmed=3, attended=0)
    assert summary.went_well == ["The data"]
    assert summary.improve == ["Longer breaks", "More suppliers"]


def test_it_has_no_mean_and_no_rate_without_answers_or_participants():
    summary = feedback.summarise_survey([], confirmed=0, attended=0)
    assert summary.response_rate is None and summary.mean_satisfaction is None
    assert summary.scores["relevance"].rows[0] == (1, 0, 0.0)


def test_it_ignores_scores_outside_the_scale():
    score = feedback.summarise_scores("relevance", [0, 6, 3])
    assert score.count == 1 and score.mean == 3


# Cost ------------------------------------------------------------------------------------------


ROLES = ["project_lead", "domain_expert", "it_and_data", "legal"]


def test_it_prices_the_hours_and_divides_by_the_participants():
    cost = feedback.summarise_cost(
        [("legal", Decimal("2.5")), ("project_lead", Decimal("10")), ("legal", Decimal("1.5"))],
        [Decimal("4000"), Decimal("1250.50")],
        Decimal("500"),
        confirmed=20,
        attended=10,
        roles=ROLES,
    )
    assert list(cost.hours_by_role.items()) == [
        ("project_lead", Decimal("10")),
        ("legal", Decimal("4.0")),
    ]
    assert cost.total_hours == Decimal("14.0")
    assert cost.staff_cost == Decimal("7000.00")
    assert cost.external_total == Decimal("5250.50")
    assert cost.total_cost == Decimal("12250.50")
    assert cost.participants == 10
    assert cost.cost_per_participant == Decimal("1225.05")
    assert cost.hours_per_participant == Decimal("1.40")
    assert cost.staff_priced


def test_it_counts_hours_without_pricing_them_when_no_rate_is_set():
    cost = feedback.summarise_cost(
        [("legal", Decimal("3"))], [Decimal("900")], None, confirmed=3, attended=0
    )
    assert cost.staff_cost is None and not cost.staff_priced
    assert cost.total_cost == Decimal("900")
    assert cost.cost_per_participant == Decimal("300.00")
    assert cost.hours_per_participant == Decimal("1.00")


def test_it_has_no_per_participant_figures_without_participants():
    cost = feedback.summarise_cost([], [], Decimal("450"), confirmed=0, attended=0)
    assert cost.total_cost == 0 and cost.total_hours == 0
    assert cost.cost_per_participant is None and cost.hours_per_participant is None


def test_it_rounds_cost_per_participant_to_cents_half_up():
    cost = feedback.summarise_cost([], [Decimal("10")], None, confirmed=3, attended=0)
    assert cost.cost_per_participant == Decimal("3.33")
    cost = feedback.summarise_cost([], [Decimal("0.05")], None, confirmed=2, attended=0)
    assert cost.cost_per_participant == Decimal("0.03")


def test_it_keeps_roles_outside_the_given_order_after_it():
    cost = feedback.summarise_cost(
        [("other", Decimal(1)), ("legal", Decimal(2))], [], None, 1, 0, roles=["legal"]
    )
    assert list(cost.hours_by_role) == ["legal", "other"]


# Trend -----------------------------------------------------------------------------------------


def figures(day: int, cost, hours, satisfaction, title: str = "") -> EventFigures:
    return EventFigures(
        key=day,
        date=date(2025, 1, day),
        title=title or f"Event {day}",
        participants=20,
        cost_per_participant=Decimal(cost) if cost is not None else None,
        hours_per_participant=Decimal(hours) if hours is not None else None,
        mean_satisfaction=satisfaction,
    )


def test_it_fits_a_least_squares_slope():
    assert feedback.least_squares_slope([(0, 1), (1, 3), (2, 5)]) == pytest.approx(2.0)
    assert feedback.least_squares_slope([(0, 4), (1, 2), (2, 3)]) == pytest.approx(-0.5)
    assert feedback.least_squares_slope([(0, 4)]) is None
    assert feedback.least_squares_slope([(1, 4), (1, 5)]) is None


def test_it_orders_the_events_by_date_and_sees_them_get_cheaper_and_faster():
    trend = feedback.concept_trend(
        [
            figures(20, "900", "2.0", 4.5),
            figures(1, "1500", "4.0", 3.8),
            figures(10, "1200", "3.0", 4.1),
        ]
    )
    assert [e.key for e in trend.events] == [1, 10, 20]
    assert trend.cost.direction == feedback.FALLING and trend.cheaper
    assert trend.hours.direction == feedback.FALLING and trend.faster
    assert trend.satisfaction.direction == feedback.RISING
    assert trend.cost.slope == pytest.approx(-300.0)
    assert trend.cost.first == 1500 and trend.cost.last == 900
    assert trend.cost.change == -600 and trend.cost.relative_change == pytest.approx(-0.4)


def test_it_calls_small_changes_steady():
    trend = feedback.concept_trend([figures(1, "1000", "2", 4.0), figures(2, "1010", "2", 4.0)])
    assert trend.cost.direction == feedback.STEADY
    assert trend.hours.direction == feedback.STEADY
    assert trend.satisfaction.direction == feedback.STEADY


def test_it_skips_events_without_figures_in_a_direction():
    trend = feedback.concept_trend(
        [figures(1, None, None, None), figures(2, "800", None, 4.0), figures(3, "600", None, None)]
    )
    assert trend.cost.values == 2 and trend.cost.direction == feedback.FALLING
    assert trend.hours.direction == "" and trend.hours.change is None
    assert trend.satisfaction.values == 1 and trend.satisfaction.direction == ""
    assert trend.satisfaction.first == trend.satisfaction.last == 4.0


def test_it_has_no_relative_change_from_nothing():
    direction = feedback.direction_of([0.0, 5.0])
    assert direction.change == 5.0 and direction.relative_change is None


# Chart -----------------------------------------------------------------------------------------


def trend_chart(events):
    return feedback.trend_chart(
        feedback.concept_trend(events), cost_label="Cost", satisfaction_label="Satisfaction"
    )


def test_it_charts_cost_from_zero_on_the_left_and_satisfaction_1_to_5_on_the_right():
    chart = trend_chart(
        [figures(1, "1000", "2", 3.0), figures(11, "500", "1", 5.0), figures(31, None, "1", 1.0)]
    )
    cost, satisfaction = chart.series
    assert (cost.label, cost.axis, satisfaction.axis) == ("Cost", "left", "right")
    (first, second) = cost.points  # the last event has no cost
    assert (first.x, first.y, first.value) == (chart.left, chart.top, Decimal("1000"))
    assert second.x == pytest.approx(chart.left + (chart.right - chart.left) / 3, abs=0.05)
    assert second.y == (chart.top + chart.bottom) / 2  # the axis runs from 0 to 1000
    assert [p.y for p in satisfaction.points] == [
        (chart.top + chart.bottom) / 2,
        chart.top,
        chart.bottom,
    ]
    assert satisfaction.points[-1].x == chart.right
    assert [t.value for t in chart.y_ticks] == [0, 250, 500, 750, 1000]
    assert [t.value for t in chart.y2_ticks] == [1, 2, 3, 4, 5]


def test_it_keeps_both_axes_when_a_series_has_no_values():
    chart = trend_chart([figures(1, None, None, None)])
    assert chart.empty and chart.series[0].path == ""
    assert chart.y_ticks[0].value == 0 and [t.value for t in chart.y2_ticks] == [1, 2, 3, 4, 5]
