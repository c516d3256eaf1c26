"""The pure rules: month arithmetic, length warnings, status and stage moves."""

from datetime import date

import pytest

from samspil.pilots import rules


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
    ],
)
def test_it_adds_months_keeping_the_day_or_the_last_of_the_month(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_it_warns_when_the_plan_exceeds_the_maximum():
    start = date(2025, 1, 31)
    assert not rules.plan_exceeds_max(start, date(2025, 7, 31), 6)
    assert rules.plan_exceeds_max(start, date(2025, 8, 1), 6)
    assert not rules.plan_exceeds_max(start, date(2025, 2, 28), 1)
    assert rules.plan_exceeds_max(start, date(2025, 3, 1), 1)


def test_it_gives_no_warning_without_a_maximum():
    assert not rules.plan_exceeds_max(date(2025, 1, 1), date(2035, 1, 1), None)
    assert not rules.running_past_max(date(2025, 1, 1), date(2035, 1, 1), None)


def test_it_warns_when_a_running_pilot_passes_the_maximum():
    start = date(2025, 8, 31)
    assert not rules.running_past_max(start, date(2026, 2, 28), 6)
    assert rules.running_past_max(start, date(2026, 3, 1), 6)


def test_it_allows_only_the_status_flow():
    assert rules.can_change_status("planned", "running")
    assert rules.can_change_status("planned", "stopped")
    assert rules.can_change_status("running", "completed")
    assert rules.can_change_status("running", "stopped")
    assert not rules.can_change_status("planned", "completed")
    assert not rules.can_change_status("completed", "running")
    assert not rules.can_change_status("stopped", "planned")
    assert not rules.can_change_status("running", "planned")
    assert not rules.can_change_status("unknown", "running")


def test_it_moves_stages_forward_freely_and_back_one_step():
    assert rules.can_move_stage("idea", "pretotype")
    assert rules.can_move_stage("idea", "outcome")
    assert rules.can_move_stage("prototype", "pretotype")
    assert rules.can_move_stage("outcome", "outcome")
    assert rules.can_move_stage("outcome", "proof_of_concept")
    assert not rules.can_move_stage("outcome", "prototype")
    assert not rules.can_move_stage("proof_of_concept", "idea")
