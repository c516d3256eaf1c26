"""The survey, cost and trend pages: who may use them, htmx and no-JS forms, constant queries."""

import re
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.conftest import make_user
from samspil.core.models import Visibility
from samspil.events import feedback_services as services
from samspil.events.models import Event, EventConcept, ExternalCost, SurveyResponse, TimeSpent

from .conftest import make_event, register
from .test_feedback_services import fresh, people, started
from .test_views import HTMX, text_of

SURVEY = {"satisfaction": "4", "relevance": "5", "organisation_rating": "3"}


@pytest.fixture
def paula(db):
    """A participant: registered for the event with her account, member of no organisation."""
    return make_user("paula")


def held_event(alice, org_a, paula, **fields) -> tuple[Event, list]:
    event = make_event(alice, org_a, "Hackathon on complaints", capacity=50, **fields)
    token = event.invitation_token if event.is_invite_only else ""
    mine = register(event, paula.email, user=paula, invitation_token=token).registration
    others = people(event, 2, invitation_token=token)
    started(event)
    return event, fresh([mine, *others])


@pytest.fixture
def held(alice, org_a, paula):
    return held_event(alice, org_a, paula)


@pytest.fixture
def held_internal(alice, org_a, paula):
    """An internal event whose participants came through the invitation link: paula has a
    registration but, as no member of A, does not see the event."""
    return held_event(
        alice, org_a, paula, visibility=Visibility.INTERNAL, registration_mode="invite_only"
    )


def token_url(registration) -> str:
    return services.survey_link(registration)


# The survey through the signed link ------------------------------------------------------------


def test_it_lets_anyone_with_the_link_answer_once(client, held):
    _event, (_mine, guest, _other) = held
    url = token_url(guest)
    page = client.get(url)
    assert page.status_code == 200
    assert 'type="radio" name="satisfaction"' in page.content.decode()
    response = client.post(url, {**SURVEY, "went_well": "The data"})
    assert response.status_code == 302 and response["Location"] == url
    answer = SurveyResponse.objects.get()
    assert answer.registration == guest and answer.satisfaction == 4
    thanks = client.get(url)
    assert "Thank you for answering" in text_of(thanks)
    assert client.post(url, SURVEY).status_code == 200  # the thanks again; nothing stored
    assert SurveyResponse.objects.count() == 1


def test_it_keeps_the_answers_when_a_score_is_missing(client, held):
    _event, (_mine, guest, _other) = held
    response = client.post(
        token_url(guest), {"satisfaction": "2", "relevance": "9", "went_well": "Good food"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Good food" in html
    assert re.search(r'<input[^>]*name="satisfaction" value="2"[^>]*checked', html)
    assert not SurveyResponse.objects.exists()


def test_it_answers_404_for_altered_and_forged_links(client, held):
    _event, (_mine, guest, _other) = held
    url = token_url(guest)
    assert client.get(url[:-3] + "xy/").status_code == 404
    assert client.get("/events/survey/not-a-token/").status_code == 404
    forged = signing.dumps(guest.pk, salt="something.else")
    assert client.get(f"/events/survey/{forged}/").status_code == 404
    assert client.post(f"/events/survey/{forged}/", SURVEY).status_code == 404


def test_it_says_the_survey_is_not_open_before_the_start(client, public_event):
    registration = register(public_event, "early@example.org").registration
    response = client.post(token_url(registration), SURVEY)
    assert response.status_code == 200
    assert "opens when the event starts" in text_of(response)
    assert "<form" not in response.content.decode().split('id="main"')[1]
    assert not SurveyResponse.objects.exists()


def test_it_tells_a_cancelled_registration_it_cannot_answer(client, held):
    _event, (_mine, guest, _other) = held
    guest.status = "cancelled"
    guest.save()
    response = client.post(token_url(guest), SURVEY)
    assert "Only confirmed participants" in text_of(response)
    assert not SurveyResponse.objects.exists()


# The survey for a signed-in participant --------------------------------------------------------


def test_it_lets_a_signed_in_participant_answer_from_the_event(client_for, held, paula):
    event, (mine, *_others) = held
    client = client_for(paula)
    detail = text_of(client.get(f"/events/{event.pk}/"))
    assert "Answer the survey" in detail
    url = f"/events/{event.pk}/survey/"
    assert client.get(url).status_code == 200
    assert client.post(url, SURVEY).status_code == 302
    assert SurveyResponse.objects.get().registration == mine
    assert "Thank you for answering" in text_of(client.get(url))
    assert "Thank you for answering the survey" in text_of(client.get(f"/events/{event.pk}/"))


def test_it_shows_no_survey_link_before_the_start(client_for, alice, org_a, paula):
    event = make_event(alice, org_a, capacity=5)
    register(event, paula.email, user=paula)
    assert "Answer the survey" not in text_of(client_for(paula).get(f"/events/{event.pk}/"))


@pytest.mark.parametrize(
    ("who", "public", "internal"),
    [
        ("anonymous", 302, 302),
        ("bob", 403, 403),
        ("charlie", 403, 404),
        ("dave", 403, 404),
        ("alice", 403, 403),  # organisers read the results, not the form
        ("paula", 200, 404),  # her internal event is hidden from her: she is no member of A
    ],
)
def test_it_gives_the_participants_survey_only_to_participants(
    request, client, client_for, held, held_internal, who, public, internal
):
    if who != "anonymous":
        client = client_for(request.getfixturevalue(who))
    for (event, _registrations), status in ((held, public), (held_internal, internal)):
        assert client.get(f"/events/{event.pk}/survey/").status_code == status


# Results and sending ---------------------------------------------------------------------------


ORGANISER_ROUTES = ["survey/results/", "cost/"]


@pytest.mark.parametrize(
    ("who", "public", "internal"),
    [
        ("anonymous", 302, 302),
        ("bob", 403, 403),
        ("charlie", 403, 404),
        ("dave", 403, 404),
        ("paula", 403, 404),
        ("alice", 200, 200),
    ],
)
def test_it_shows_results_and_cost_to_organisers_only(
    request, client, client_for, held, held_internal, who, public, internal
):
    if who != "anonymous":
        client = client_for(request.getfixturevalue(who))
    for (event, _registrations), status in ((held, public), (held_internal, internal)):
        for tail in ORGANISER_ROUTES:
            assert client.get(f"/events/{event.pk}/{tail}").status_code == status, tail


def test_it_aggregates_the_answers_without_names(client_for, alice, held):
    event, (mine, guest, other) = held
    services.answer_survey(mine, satisfaction=5, relevance=4, organisation_rating=4)
    services.answer_survey(
        guest, satisfaction=3, relevance=4, organisation_rating=2, went_well="Open data"
    )
    services.answer_survey(other, satisfaction=5, relevance=2, organisation_rating=5, improve="Air")
    response = client_for(alice).get(f"/events/{event.pk}/survey/results/")
    text = text_of(response)
    assert "3 answers from 3 participants" in text and "100%" in text
    assert "Mean: 4.3 of 5" in text
    assert "Open data" in text and "Air" in text
    assert guest.name not in text and guest.email not in text
    html = response.content.decode()
    assert "event-survey-bar--65" in html  # two of three gave 5: 67 % → the 65 % step
    assert "2 (67%)" in text


@pytest.mark.parametrize("who", ["bob", "charlie", "dave", "paula"])
def test_it_refuses_sending_the_survey_to_others(request, client_for, held, who):
    event, _registrations = held
    response = client_for(request.getfixturevalue(who)).post(f"/events/{event.pk}/survey/send/")
    assert response.status_code == 403
    assert not mail.outbox


def test_it_sends_the_survey_for_organisers(
    client, client_for, alice, held, django_capture_on_commit_callbacks
):
    event, (mine, *_others) = held
    services.answer_survey(mine, satisfaction=5, relevance=4, organisation_rating=4)
    url = f"/events/{event.pk}/survey/send/"
    assert client.post(url).status_code == 302 and "/login/" in client.post(url)["Location"]
    alice_client = client_for(alice)
    assert alice_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, follow=True)
    assert "The survey was sent to 2 participants" in text_of(response)
    assert len(mail.outbox) == 2


def test_it_says_when_the_survey_cannot_be_sent_yet(client_for, alice, public_event):
    response = client_for(alice).post(f"/events/{public_event.pk}/survey/send/", follow=True)
    assert "once the event has started" in text_of(response)


def test_it_keeps_the_results_page_queries_constant(client_for, alice, org_a):
    event = make_event(alice, org_a, capacity=50)
    registrations = people(event, 10)
    started(event)
    registrations = fresh(registrations)
    client = client_for(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/events/{event.pk}/survey/results/").status_code == 200
        return len(queries)

    services.answer_survey(registrations[0], satisfaction=5, relevance=4, organisation_rating=4)
    few = count()
    for registration in registrations[1:]:
        services.answer_survey(
            registration, satisfaction=3, relevance=3, organisation_rating=3, improve="More"
        )
    assert count() == few


# Cost ------------------------------------------------------------------------------------------


def cost_url(event, tail: str = "") -> str:
    return f"/events/{event.pk}/cost/{tail}"


def test_it_records_hours_and_costs_without_javascript(client_for, alice, held):
    event, _registrations = held
    Event.objects.filter(pk=event.pk).update(hourly_rate=Decimal("500"))
    client = client_for(alice)
    response = client.post(
        cost_url(event, "time/new/"), {"time-role": "legal", "time-hours": "4", "time-note": ""}
    )
    assert response.status_code == 302 and response["Location"] == cost_url(event)
    response = client.post(
        cost_url(event, "external/new/"), {"cost-description": "Venue", "cost-amount": "1000"}
    )
    assert response.status_code == 302
    text = text_of(client.get(cost_url(event)))
    assert "Legal" in text and "Venue" in text
    assert "DKK" in text or "kr." in text
    assert "2,000.00" in text  # staff cost: 4 hours at 500
    assert "3,000.00" in text  # with the venue
    assert "1,000.00" in text  # per participant, of three
    entry, cost = TimeSpent.objects.get(), ExternalCost.objects.get()
    assert client.get(cost_url(event, f"time/{entry.pk}/")).status_code == 200
    response = client.post(
        cost_url(event, f"time/{entry.pk}/"),
        {f"time-{entry.pk}-role": "legal", f"time-{entry.pk}-hours": "6"},
    )
    assert response.status_code == 302 and TimeSpent.objects.get().hours == 6
    response = client.post(
        cost_url(event, f"external/{cost.pk}/"),
        {f"cost-{cost.pk}-description": "Venue and coffee", f"cost-{cost.pk}-amount": "1200"},
    )
    assert response.status_code == 302 and ExternalCost.objects.get().amount == 1200
    assert client.post(cost_url(event, f"time/{entry.pk}/delete/")).status_code == 302
    assert client.post(cost_url(event, f"external/{cost.pk}/delete/")).status_code == 302
    assert not TimeSpent.objects.exists() and not ExternalCost.objects.exists()


def test_it_updates_the_cost_section_with_htmx(client_for, alice, held):
    event, _registrations = held
    client = client_for(alice)
    response = client.post(
        cost_url(event, "time/new/"),
        {"time-role": "facilitator", "time-hours": "2.5"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="event-cost"' in html and "The hours were added." in html
    assert 'hx-swap-oob="true"' in html
    entry = TimeSpent.objects.get()
    row = client.get(cost_url(event, f"time/{entry.pk}/"), headers=HTMX)
    assert row.content.decode().startswith("<tr") and "autofocus" in row.content.decode()
    response = client.post(cost_url(event, f"time/{entry.pk}/delete/"), headers=HTMX)
    assert "The hours were removed." in response.content.decode()


def test_it_keeps_the_input_of_bad_hours_and_costs(client_for, alice, held):
    event, _registrations = held
    client = client_for(alice)
    response = client.post(
        cost_url(event, "time/new/"), {"time-role": "legal", "time-hours": "0", "time-note": "Kept"}
    )
    assert response.status_code == 422 and 'value="Kept"' in response.content.decode()
    response = client.post(
        cost_url(event, "external/new/"),
        {"cost-description": "Prizes", "cost-amount": "-5"},
        headers=HTMX,
    )
    assert response.status_code == 422 and 'value="Prizes"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert not TimeSpent.objects.exists() and not ExternalCost.objects.exists()


def test_it_shows_the_errors_of_an_htmx_edit_in_its_row(client_for, alice, held):
    event, _registrations = held
    cost = services.add_external_cost(alice, event, description="Venue", amount="10")
    response = client_for(alice).post(
        cost_url(event, f"external/{cost.pk}/"),
        {f"cost-{cost.pk}-description": "Venue", f"cost-{cost.pk}-amount": "1.234"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#cost-row-{cost.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert ExternalCost.objects.get().amount == 10


def test_it_answers_404_for_lines_of_another_event(client_for, alice, held, org_a):
    event, _registrations = held
    other = make_event(alice, org_a, "Other event")
    entry = services.add_time_spent(alice, other, role="legal", hours=1)
    client = client_for(alice)
    assert client.get(cost_url(event, f"time/{entry.pk}/")).status_code == 404
    assert client.post(cost_url(event, f"time/{entry.pk}/delete/")).status_code == 404
    assert TimeSpent.objects.exists()


@pytest.mark.parametrize(
    ("who", "public", "internal"),
    [
        ("anonymous", 302, 302),
        ("bob", 403, 403),
        ("charlie", 403, 404),
        ("dave", 403, 404),
        ("paula", 403, 404),
    ],
)
def test_it_refuses_cost_changes_to_others(
    request, client, client_for, alice, held, held_internal, who, public, internal
):
    if who != "anonymous":
        client = client_for(request.getfixturevalue(who))
    for (event, _registrations), status in ((held, public), (held_internal, internal)):
        entry = services.add_time_spent(alice, event, role="legal", hours=1)
        cost = services.add_external_cost(alice, event, description="Venue", amount=1)
        posts = {
            "time/new/": {"time-role": "legal", "time-hours": "9"},
            f"time/{entry.pk}/": {f"time-{entry.pk}-role": "legal", f"time-{entry.pk}-hours": "9"},
            f"time/{entry.pk}/delete/": {},
            "external/new/": {"cost-description": "X", "cost-amount": "9"},
            f"external/{cost.pk}/": {
                f"cost-{cost.pk}-description": "X",
                f"cost-{cost.pk}-amount": "9",
            },
            f"external/{cost.pk}/delete/": {},
        }
        for tail, data in posts.items():
            assert client.post(cost_url(event, tail), data).status_code == status, tail
        assert client.get(cost_url(event, f"time/{entry.pk}/")).status_code == status
    assert TimeSpent.objects.filter(hours=1).count() == 2
    assert ExternalCost.objects.filter(amount=1).count() == 2
    assert not TimeSpent.objects.filter(hours=9).exists()


def test_it_keeps_the_cost_page_queries_constant(client_for, alice, held):
    event, _registrations = held
    client = client_for(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(cost_url(event)).status_code == 200
        return len(queries)

    services.add_time_spent(alice, event, role="legal", hours=1)
    services.add_external_cost(alice, event, description="Venue", amount=1)
    few = count()
    for n in range(10):
        services.add_time_spent(alice, event, role="it_and_data", hours=n + 1)
        services.add_external_cost(alice, event, description=f"Cost {n}", amount=n)
    assert count() == few


# The event page's panel ------------------------------------------------------------------------


def test_it_shows_organisers_the_figures_on_the_event_page(client_for, alice, bob, held):
    event, (mine, *_others) = held
    services.answer_survey(mine, satisfaction=4, relevance=4, organisation_rating=4)
    services.add_external_cost(alice, event, description="Venue", amount="300")
    text = text_of(client_for(alice).get(f"/events/{event.pk}/"))
    assert "Survey and cost" in text and "4.0 of 5" in text
    assert "100.00" in text  # 300 over three participants
    assert "Cost" in text
    bob_text = text_of(client_for(bob).get(f"/events/{event.pk}/"))
    assert "Survey and cost" not in bob_text and "Answer the survey" not in bob_text


def test_it_keeps_the_event_page_queries_constant(client_for, alice, held):
    event, registrations = held
    client = client_for(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/events/{event.pk}/").status_code == 200
        return len(queries)

    few = count()
    for registration in registrations:
        services.answer_survey(registration, satisfaction=4, relevance=4, organisation_rating=4)
        services.add_time_spent(alice, event, role="legal", hours=1)
        services.add_external_cost(alice, event, description="Venue", amount=1)
    assert count() == few


# A concept's trend -----------------------------------------------------------------------------


def concept_of(org, visibility) -> EventConcept:
    return EventConcept.objects.create(
        owner=org, title="Hackathon as market dialogue", visibility=visibility
    )


def run(alice, org_a, concept, days_ago: int, cost: str, score: int) -> Event:
    event = make_event(alice, org_a, f"Round {days_ago}", capacity=50)
    Event.objects.filter(pk=event.pk).update(concept=concept)
    registrations = people(event, 2, prefix=f"r{days_ago}-")
    started(event, days_ago)
    services.add_external_cost(alice, event, description="Venue", amount=cost)
    first = fresh(registrations)[0]
    services.answer_survey(first, satisfaction=score, relevance=3, organisation_rating=3)
    return event


@pytest.mark.parametrize(
    ("who", "public", "internal"),
    [
        ("anonymous", 200, 404),
        ("bob", 200, 200),
        ("charlie", 200, 404),
        ("dave", 200, 404),
        ("paula", 200, 404),
        ("alice", 200, 200),
    ],
)
def test_it_shows_the_trend_to_whoever_sees_the_concept(
    request, client, client_for, org_a, paula, who, public, internal
):
    if who != "anonymous":
        client = client_for(request.getfixturevalue(who))
    for visibility, status in ((Visibility.PUBLIC, public), (Visibility.INTERNAL, internal)):
        concept = concept_of(org_a, visibility)
        assert client.get(f"/events/concepts/{concept.pk}/trend/").status_code == status


def test_it_draws_the_trend_as_an_accessible_chart_with_a_table(client, alice, org_a):
    concept = concept_of(org_a, Visibility.PUBLIC)
    run(alice, org_a, concept, 200, "3000", 3)
    run(alice, org_a, concept, 100, "1000", 5)
    response = client.get(f"/events/concepts/{concept.pk}/trend/")
    html = response.content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    drawing = html.split('id="trend-chart"')[1].split("</svg>")[0]
    assert drawing.count('<path class="chart-line"') == 2
    assert drawing.count('<path class="chart-marker"') == 4  # two events, two series
    assert 'id="trend-chart-title"' in drawing and 'id="trend-chart-desc"' in drawing
    assert "<script" not in html.split('id="main"')[1]
    assert 'id="trend-cost" data-direction="falling"' in html
    assert 'id="trend-satisfaction" data-direction="rising"' in html
    text = text_of(response)
    assert "Round 200" in text and "Round 100" in text
    assert "1,500.00" in text and "500.00" in text  # cost per participant, two each


def test_it_says_when_no_event_of_the_concept_has_started(client, org_a):
    concept = concept_of(org_a, Visibility.PUBLIC)
    response = client.get(f"/events/concepts/{concept.pk}/trend/")
    assert 'id="trend-empty"' in response.content.decode()


def test_it_keeps_the_trend_page_queries_constant(client_for, alice, org_a):
    concept = concept_of(org_a, Visibility.PUBLIC)
    client = client_for(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/events/concepts/{concept.pk}/trend/").status_code == 200
        return len(queries)

    run(alice, org_a, concept, 100, "1000", 4)
    one = count()
    for days in (90, 80, 70, 60):
        run(alice, org_a, concept, days, "900", 4)
    assert count() == one
