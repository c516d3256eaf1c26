"""Judging services: criteria, jury, blind scoring, the ranking and the winners."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from samspil.conftest import add_member, make_user
from samspil.core import permissions
from samspil.core.models import Visibility
from samspil.events import judging_services as judging
from samspil.events.models import EventKind, Juror, Score, Submission, Team

from .conftest import make_event, register


def make_hackathon(actor, owner, title="Hackathon on complaints", **fields):
    fields.setdefault("kind", EventKind.HACKATHON)
    fields.setdefault("capacity", 100)
    return make_event(actor, owner, title, **fields)


def make_submission(event, name, title="", *, members=(), minutes=0) -> Submission:
    team = Team.objects.create(event=event, name=name)
    if members:
        team.members.set(members)
    submission = Submission.objects.create(
        team=team, title=title or f"{name}'s prototype", summary="What it does."
    )
    # Submission times decide full ties: spread them as asked.
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=timezone.now() + timedelta(minutes=minutes)
    )
    submission.refresh_from_db()
    return submission


def score_all(juror_user, submission, value: int = 3, **per_criterion) -> list[Score]:
    criteria = submission.team.event.criteria.all()
    values = {c.pk: per_criterion.get(c.name, value) for c in criteria}
    return judging.score(juror_user, submission, values)


@pytest.fixture
def hackathon(alice, org_a):
    return make_hackathon(alice, org_a)


@pytest.fixture
def criteria(alice, hackathon):
    value = judging.add_criterion(alice, hackathon, name="Value", weight=2)
    feasibility = judging.add_criterion(alice, hackathon, name="Feasibility", weight=1)
    return [value, feasibility]


@pytest.fixture
def jury(alice, bob, dave, hackathon):
    """bob (of the owner organisation) and dave (a supplier, by e-mail)."""
    return [
        judging.add_juror(alice, hackathon, user=bob),
        judging.add_juror(alice, hackathon, email="DAVE@example.org"),
    ]


@pytest.fixture
def entries(hackathon):
    return [
        make_submission(hackathon, "Alfa", minutes=0),
        make_submission(hackathon, "Beta", minutes=1),
    ]


# Criteria ----------------------------------------------------------------------------------


def test_it_adds_the_default_criteria_with_equal_weights(alice, hackathon):
    alice.language = "en"
    added = judging.add_default_criteria(alice, hackathon)
    assert [c.name for c in added] == [
        "Value to users",
        "Feasibility",
        "Use of the data",
        "Potential to scale",
        "Quality of the prototype",
    ]
    assert all(c.weight == 1 and c.description for c in added)
    assert [c.position for c in added] == [0, 1, 2, 3, 4]
    assert judging.add_default_criteria(alice, hackathon) == []  # nothing twice
    assert hackathon.criteria.count() == 5


def test_it_names_the_default_criteria_in_the_actors_language(alice, hackathon, monkeypatch):
    class NamedInLanguage:
        def __str__(self) -> str:
            return f"criterion ({translation.get_language()})"

    monkeypatch.setattr(judging, "DEFAULT_CRITERIA", [(NamedInLanguage(), "")])
    alice.language = "sv"
    with translation.override("en"):
        (criterion,) = judging.add_default_criteria(alice, hackathon)
    assert criterion.name == "criterion (sv)"


def test_it_keeps_criteria_in_order_and_moves_them(alice, hackathon, criteria):
    value, feasibility = criteria
    assert list(hackathon.criteria.all()) == [value, feasibility]
    judging.move_criterion(alice, feasibility, -1)
    assert list(hackathon.criteria.all()) == [feasibility, value]
    judging.move_criterion(alice, feasibility, -1)  # already first: nothing moves
    assert list(hackathon.criteria.all()) == [feasibility, value]
    judging.move_criterion(alice, feasibility, 1)
    assert list(hackathon.criteria.all()) == [value, feasibility]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "value"}, "name"),  # taken, whatever the case
        ({"name": "New", "weight": 0}, "weight"),
        ({"name": "New", "weight": -1}, "weight"),
        ({"name": "New", "weight": 101}, "weight"),
        ({"name": "New", "weight": "many"}, "weight"),
        ({"name": "New", "weight": float("nan")}, "weight"),
        ({"name": "New", "description": "x" * 10001}, "description"),
    ],
)
def test_it_refuses_bad_criteria(alice, hackathon, criteria, fields, field):
    with pytest.raises(ValidationError) as refusal:
        judging.add_criterion(alice, hackathon, **fields)
    assert field in refusal.value.message_dict
    assert hackathon.criteria.count() == 2


def test_it_lets_only_organisers_change_criteria(bob, charlie, hackathon, criteria):
    for user in (bob, charlie):
        with pytest.raises(PermissionDenied):
            judging.add_criterion(user, hackathon, name="Mine")
        with pytest.raises(PermissionDenied):
            judging.update_criterion(user, criteria[0], weight=5)
        with pytest.raises(PermissionDenied):
            judging.delete_criterion(user, criteria[0])
        with pytest.raises(PermissionDenied):
            judging.add_default_criteria(user, hackathon)


def test_it_locks_criteria_once_scoring_began_except_descriptions(
    alice, bob, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0])
    value = criteria[0]
    message = "Scoring has begun"
    for attempt in (
        lambda: judging.add_criterion(alice, hackathon, name="Late"),
        lambda: judging.add_default_criteria(alice, hackathon),
        lambda: judging.update_criterion(alice, value, name="Worth"),
        lambda: judging.update_criterion(alice, value, weight=3),
        lambda: judging.delete_criterion(alice, value),
        lambda: judging.move_criterion(alice, value, 1),
    ):
        with pytest.raises(ValidationError) as refusal:
            attempt()
        assert message in " ".join(refusal.value.messages)
    judging.update_criterion(
        alice, value, name="Value", weight=2, description="Helps the people who complain."
    )
    value.refresh_from_db()
    assert (value.name, value.weight, value.description) == (
        "Value",
        2,
        "Helps the people who complain.",
    )


def test_it_deletes_a_criterion_before_scoring(alice, hackathon, criteria):
    judging.delete_criterion(alice, criteria[1])
    assert list(hackathon.criteria.all()) == [criteria[0]]


# Jury ---------------------------------------------------------------------------------------


def test_it_adds_jurors_from_the_organisation_and_by_e_mail(alice, bob, dave, hackathon, jury):
    assert {j.user for j in hackathon.jurors.all()} == {bob, dave}
    assert bob not in judging.juror_candidates(hackathon)
    assert alice in judging.juror_candidates(hackathon)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, None),
        ({"email": "nobody@example.org"}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": "bob@example.org"}, "email"),  # already a juror
    ],
)
def test_it_refuses_bad_jurors(alice, hackathon, jury, kwargs, field):
    with pytest.raises(ValidationError) as refusal:
        judging.add_juror(alice, hackathon, **kwargs)
    if field:
        assert field in refusal.value.message_dict
    assert hackathon.jurors.count() == 2


def test_it_picks_only_people_of_the_organisation_from_the_list(alice, charlie, hackathon):
    with pytest.raises(ValidationError) as refusal:
        judging.add_juror(alice, hackathon, user=charlie)
    assert "user" in refusal.value.message_dict
    # By the e-mail address of an account, people of other organisations can judge.
    assert judging.add_juror(alice, hackathon, email="charlie@example.org").user == charlie


def test_it_removes_a_juror_with_their_scores(alice, bob, hackathon, criteria, jury, entries):
    score_all(bob, entries[0])
    judging.remove_juror(alice, jury[0])
    assert not Juror.objects.filter(user=bob).exists()
    assert not Score.objects.exists()


def test_it_lets_only_organisers_manage_the_jury(bob, hackathon, jury, dave):
    with pytest.raises(PermissionDenied):
        judging.add_juror(bob, hackathon, user=bob)
    with pytest.raises(PermissionDenied):
        judging.remove_juror(dave, jury[0])


# Scoring ------------------------------------------------------------------------------------


def test_it_stores_a_jurors_scores_and_comments(bob, hackathon, criteria, jury, entries):
    value, feasibility = criteria
    judging.score(bob, entries[0], {value.pk: 5, feasibility.pk: "2"}, {value.pk: " Useful "})
    stored = {s.criterion_id: s for s in Score.objects.filter(juror=jury[0])}
    assert stored[value.pk].value == 5 and stored[value.pk].comment == "Useful"
    assert stored[feasibility.pk].value == 2


@pytest.mark.parametrize("bad", [0, 6, -1, "five", "", None, 3.5, True, "2.5"])
def test_it_refuses_scores_out_of_range_with_a_message(
    bob, hackathon, criteria, jury, entries, bad
):
    value, feasibility = criteria
    with pytest.raises(ValidationError) as refusal:
        judging.score(bob, entries[0], {value.pk: bad, feasibility.pk: 3})
    errors = refusal.value.message_dict
    assert list(errors) == [f"criterion_{value.pk}"]
    assert not Score.objects.exists()


def test_it_asks_for_every_criterion_at_once(bob, hackathon, criteria, jury, entries):
    with pytest.raises(ValidationError) as refusal:
        judging.score(bob, entries[0], {criteria[0].pk: 4})
    assert list(refusal.value.message_dict) == [f"criterion_{criteria[1].pk}"]
    with pytest.raises(ValidationError):
        judging.score(bob, entries[0], {criteria[0].pk: 4, criteria[1].pk: 4, 999999: 4})
    with pytest.raises(ValidationError):
        judging.score(bob, entries[0], {"x": 4})
    assert not Score.objects.exists()


def test_it_refuses_a_second_score_set_unless_revised(bob, hackathon, criteria, jury, entries):
    score_all(bob, entries[0], 2)
    with pytest.raises(ValidationError) as refusal:
        score_all(bob, entries[0], 5)
    assert "already scored" in " ".join(refusal.value.messages)
    assert set(Score.objects.values_list("value", flat=True)) == {2}
    values = {c.pk: 4 for c in criteria}
    judging.score(bob, entries[0], values, revise=True)
    assert set(Score.objects.values_list("value", flat=True)) == {4}
    assert Score.objects.count() == 2


def test_it_lets_only_jurors_score(alice, charlie, hackathon, criteria, jury, entries):
    for user in (alice, charlie):
        with pytest.raises(PermissionDenied):
            score_all(user, entries[0])


def test_it_keeps_a_juror_from_judging_their_own_team(bob, hackathon, criteria, jury):
    registration = register(hackathon, "bob@example.org").registration
    own = make_submission(hackathon, "Bob's team", members=[registration])
    with pytest.raises(PermissionDenied):
        score_all(bob, own)
    state = judging.judging_state(hackathon)
    assert state.state_of(jury[0], own) == judging.CONFLICT
    assert state.state_of(jury[1], own) == judging.PENDING


def test_it_refuses_scores_without_criteria_and_after_publication(
    alice, bob, dave, hackathon, jury, entries
):
    with pytest.raises(ValidationError):
        judging.score(bob, entries[0], {})
    judging.add_criterion(alice, hackathon, name="Value")
    for submission in entries:
        score_all(bob, submission)
        score_all(dave, submission)
    judging.publish_winners(alice, hackathon)
    with pytest.raises(ValidationError) as refusal:
        judging.score(bob, entries[0], {c.pk: 1 for c in hackathon.criteria.all()}, revise=True)
    assert "published" in " ".join(refusal.value.messages)


# State, blindness, ranking --------------------------------------------------------------------


def test_it_tells_who_has_scored_what(bob, dave, hackathon, criteria, jury, entries):
    state = judging.judging_state(hackathon)
    assert not state.all_scored and not state.started
    score_all(bob, entries[0])
    score_all(bob, entries[1])
    score_all(dave, entries[0])
    state = judging.judging_state(hackathon)
    assert state.started and not state.all_scored
    rows = {r.juror.user: (r.done, r.expected) for r in state.rows}
    assert rows == {bob: (2, 2), dave: (1, 2)}
    score_all(dave, entries[1])
    assert judging.judging_state(hackathon).all_scored


def test_it_is_not_all_scored_while_a_submission_has_no_possible_juror(
    bob, hackathon, criteria, entries
):
    juror = Juror.objects.create(event=hackathon, user=bob)
    registration = register(hackathon, "bob@example.org").registration
    entries[1].team.members.set([registration])
    score_all(bob, entries[0])
    state = judging.judging_state(hackathon)
    assert state.unjudged == [entries[1]] and not state.all_scored
    assert state.state_of(juror, entries[1]) == judging.CONFLICT


def test_it_keeps_scores_blind_until_all_have_scored(
    alice, bob, dave, charlie, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0])
    score_all(dave, entries[0])
    assert {s.juror.user for s in judging.visible_scores(bob, hackathon)} == {bob}
    assert {s.juror.user for s in judging.visible_scores(dave, hackathon)} == {dave}
    assert judging.visible_scores(alice, hackathon) == []  # progress only
    assert judging.visible_scores(charlie, hackathon) == []
    score_all(bob, entries[1])
    score_all(dave, entries[1])
    assert len(judging.visible_scores(bob, hackathon)) == 8
    assert len(judging.visible_scores(alice, hackathon)) == 8
    assert judging.visible_scores(charlie, hackathon) == []


def test_it_ranks_the_submissions_with_weights_and_names_winners(
    alice, bob, dave, hackathon, criteria, jury, entries
):
    hackathon.winner_count = 1
    hackathon.save()
    # Alfa: value 3, feasibility 5 → (2·3 + 5) / 3; Beta: value 5, feasibility 2 → 4.0
    for juror in (bob, dave):
        score_all(juror, entries[0], Value=3, Feasibility=5)
        score_all(juror, entries[1], Value=5, Feasibility=2)
    ranked = judging.ranking_for(hackathon)
    assert [(r.team_name, r.rank, r.is_winner) for r in ranked] == [
        ("Beta", 1, True),
        ("Alfa", 2, False),
    ]
    assert ranked[0].weighted == pytest.approx(4.0)
    assert ranked[1].weighted == pytest.approx(11 / 3)
    assert [(m.criterion.name, m.mean) for m in ranked[0].means] == [
        ("Value", 5.0),
        ("Feasibility", 2.0),
    ]
    assert all(r.complete for r in ranked)


def test_it_breaks_ties_by_the_heaviest_criterion_then_the_earlier_submission(
    alice, bob, hackathon, criteria
):
    Juror.objects.create(event=hackathon, user=bob)
    later = make_submission(hackathon, "Later", minutes=5)
    earlier = make_submission(hackathon, "Earlier", minutes=1)
    heavier = make_submission(hackathon, "Heavier", minutes=9)
    score_all(bob, later, 4)
    score_all(bob, earlier, 4)
    # Value (weight 2) 4.5 and feasibility 3: (9 + 3) / 3 = 4, the same weighted score.
    judging.score(bob, heavier, {criteria[0].pk: 5, criteria[1].pk: 2})
    ranked = judging.ranking_for(hackathon)
    assert [r.team_name for r in ranked] == ["Heavier", "Earlier", "Later"]
    assert [r.rank for r in ranked] == [1, 2, 3]


def test_it_leaves_out_scores_on_a_jurors_own_team(alice, bob, hackathon, criteria, entries):
    Juror.objects.create(event=hackathon, user=bob)
    # Bob scored before he joined the team: his scores no longer count.
    score_all(bob, entries[0], 5)
    registration = register(hackathon, "bob@example.org").registration
    entries[0].team.members.set([registration])
    ranked = {r.team_name: r for r in judging.ranking_for(hackathon)}
    assert ranked["Alfa"].weighted is None
    # Neither has a score that counts: the earlier submission comes first.
    assert (ranked["Alfa"].rank, ranked["Beta"].rank) == (1, 2)


def test_it_computes_state_and_ranking_in_constant_queries(alice, bob, org_a):
    def count(size: int) -> int:
        event = make_hackathon(alice, org_a, f"Hackathon {size}")
        criterion = judging.add_criterion(alice, event, name="Value")
        Juror.objects.create(event=event, user=bob)
        for i in range(size):
            submission = make_submission(event, f"Team {i}")
            judging.score(bob, submission, {criterion.pk: 1 + i % 5})
        with CaptureQueriesContext(connection) as queries:
            judging.ranking_for(event, judging.judging_state(event))
        return len(queries)

    assert count(1) == count(12)


def test_it_publishes_winners_only_when_all_have_scored(
    alice, bob, dave, hackathon, criteria, jury, entries
):
    score_all(bob, entries[0])
    with pytest.raises(ValidationError) as refusal:
        judging.publish_winners(alice, hackathon)
    assert "Every juror" in " ".join(refusal.value.messages)
    with pytest.raises(PermissionDenied):
        judging.publish_winners(bob, hackathon)
    for juror, submission in ((bob, entries[1]), (dave, entries[0]), (dave, entries[1])):
        score_all(juror, submission)
    judging.publish_winners(alice, hackathon)
    assert hackathon.winners_published_at is not None
    assert hackathon.history.first().history_user == alice
    # Published: the jury and criteria are frozen.
    with pytest.raises(ValidationError):
        judging.remove_juror(alice, jury[0])
    with pytest.raises(ValidationError):
        judging.add_juror(alice, hackathon, user=alice)
    judging.unpublish_winners(alice, hackathon)
    assert hackathon.winners_published_at is None


def test_it_lets_those_who_see_the_ranking_see_it_at_the_right_time(
    alice, bob, dave, charlie, hackathon, criteria, jury, entries
):
    def can(user) -> bool:
        return judging.can_see_ranking(user, hackathon, judging.judging_state(hackathon))

    assert not any(can(u) for u in (alice, bob, dave, charlie))
    for juror in (bob, dave):
        for submission in entries:
            score_all(juror, submission)
    assert can(alice) and can(bob) and can(dave) and not can(charlie)
    judging.publish_winners(alice, hackathon)
    assert can(charlie)


def test_it_shows_an_internal_event_to_a_juror_of_another_organisation(
    alice, charlie, org_a, org_b
):
    event = make_hackathon(alice, org_a, visibility=Visibility.INTERNAL)
    with pytest.raises(Http404):
        permissions.get_event_for_user(charlie, event.pk)
    judging.add_juror(alice, event, email="charlie@example.org")
    assert permissions.get_event_for_user(charlie, event.pk) == event
    outsider = make_user("olga")
    add_member(outsider, org_b)
    with pytest.raises(Http404):
        permissions.get_event_for_user(outsider, event.pk)
    with pytest.raises(Http404):
        permissions.get_event_for_user(charlie, "x")
