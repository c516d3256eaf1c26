"""The results demo: the seeds' cases published, the hackathon concept as a template, the
biological light published without its shared pilot, loaded idempotently."""

import pytest

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.core.models import Visibility
from samspil.events.demo import load_events_demo
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import load_pilots_demo
from samspil.procurement.demo import load_procurement_demo
from samspil.results import services
from samspil.results.demo import demo_results, load_results_demo
from samspil.results.models import Result, ResultKind, ResultStatus


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with demo_loaded(
        django_db_blocker,
        load_demo,
        load_needs_demo,
        load_events_demo,
        load_pilots_demo,
        load_procurement_demo,
        load_results_demo,
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data):
    return demo_data


def test_it_publishes_the_seeds_cases(loaded):
    results = demo_results()
    assert {"oslo-pilot", "hackathon-concept", "biological-light", "medicine-support"} <= set(
        results
    )
    for result in results.values():
        assert result.status == ResultStatus.PUBLISHED, result.title
        assert services.publication_problems(result) == []
    assert loaded.published == loaded.results == len(results)


def test_oslos_pilot_result_has_the_pilots_figures(loaded):
    result = demo_results()["oslo-pilot"]
    assert result.pilot.visibility == Visibility.PUBLIC
    assert result.figures and result.figures[0]["source"]["id"] == result.pilot_id
    assert result.figures[0]["latest"] is not None


def test_the_hackathon_concept_is_a_template_with_its_tasks(loaded):
    result = demo_results()["hackathon-concept"]
    assert result.kind == ResultKind.EVENT_CONCEPT
    assert len(result.content["tasks"]) == result.concept.tasks.count() > 0
    criteria = demo_results()["hackathon-criteria"]
    assert criteria.kind == ResultKind.CRITERIA_SET and criteria.content["criteria"]


def test_the_light_result_leaves_out_its_shared_pilot(loaded):
    result = demo_results()["biological-light"]
    assert result.pilot is None and result.figures == []
    assert result.procurement.visibility == Visibility.PUBLIC
    assert any("biological-light" in note for note in loaded.left_out_links)


def test_loading_again_changes_nothing(loaded):
    before = Result.objects.count()
    again = load_results_demo()
    assert Result.objects.count() == before
    assert again.created == 0 and again.results == loaded.results


def test_demo_results_are_in_the_catalogue(client, loaded):
    response = client.get("/results/", {"kind": "templates"})
    keys = {r.pk for r in response.context["page"]}
    assert demo_results()["hackathon-concept"].pk in keys
