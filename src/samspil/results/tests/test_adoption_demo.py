"""The adoption demo: other municipalities take the demo results up, true to the seeds,
loaded idempotently on top of the core, needs, events, pilots, procurement and results
demos."""

import sys
import types
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.core.models import Organisation
from samspil.events.demo import load_events_demo
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import load_pilots_demo
from samspil.procurement.demo import load_procurement_demo
from samspil.results import adoption_queries
from samspil.results.adoption_demo import ADOPTIONS, MUNICIPALITIES, load_adoptions_demo
from samspil.results.demo import demo_results, load_results_demo
from samspil.results.models import Adoption, AdoptionOutcome

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SEEDS_CASES = {
    "oslo-pilot",
    "oslo-invoice-robot",
    "hackathon-concept",
    "biological-light",
    "medicine-support",
}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(
        django_db_blocker,
        load_demo,
        load_needs_demo,
        load_events_demo,
        load_pilots_demo,
        load_procurement_demo,
        load_results_demo,
        load_adoptions_demo,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data):
    return demo_data


def test_it_loads_every_adoption_and_the_norwegian_municipalities(loaded):
    counts, results = loaded, demo_results()
    assert set(results) >= SEEDS_CASES
    assert counts.adoptions == len(ADOPTIONS) == Adoption.objects.count()
    assert counts.organisations == len(MUNICIPALITIES)
    assert counts.created == len(ADOPTIONS) + len(MUNICIPALITIES)
    medicine = results["medicine-support"]
    adopters = Adoption.objects.filter(result=medicine).values_list(
        "organisation__country", flat=True
    )
    assert set(adopters) == {"NO"} and len(adopters) == 7


def test_it_is_idempotent(loaded):
    before = (Adoption.objects.count(), Organisation.objects.count())
    again = load_adoptions_demo()
    assert again.created == 0 and again.adoptions == len(ADOPTIONS)
    assert (Adoption.objects.count(), Organisation.objects.count()) == before


def test_it_links_the_pilots_that_adopted_the_results_pilot(loaded):
    results = demo_results()
    robot = results["oslo-invoice-robot"]
    for slug in ("oslo-stovner", "helsingborg"):
        adoption = Adoption.objects.get(result=robot, organisation__slug=slug)
        assert adoption.pilot.adopted_from == robot.pilot
        assert adoption.adopted_on == adoption.pilot.starts_on
    middelfart = Adoption.objects.get(
        result=results["biological-light"], organisation__slug="middelfart"
    )
    # Linked only when the result could be published with its (then public) pilot.
    assert middelfart.pilot is None or middelfart.pilot.owner.slug == "middelfart"
    assert middelfart.outcome == AdoptionOutcome.PROCURED


def test_adoptions_grow_over_the_years_and_none_lies_ahead(loaded):
    results = demo_results()
    for key in SEEDS_CASES - {"oslo-invoice-robot"}:
        result = results[key]
        rows = adoption_queries.adoptions_of(result)
        assert len(rows) >= 3, key
        assert all(row.adopted_on <= timezone.localdate() for row in rows)
        assert all(row.organisation_id != result.owner_id for row in rows)
        assert len({row.adopted_on.year for row in rows}) >= 2


def test_the_command_reports_the_adoptions(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the events demo, loaded by the command, stores files
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    line = next(text for text in lines if text.startswith("Demo adoptions:"))
    assert f"{len(ADOPTIONS)} adoptions" in line and "(0 rows created)" in line


def test_it_loads_nothing_without_the_results_demo(db, monkeypatch):
    empty = types.ModuleType("samspil.results.demo")
    empty.demo_results = dict  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "samspil.results.demo", empty)
    before = Adoption.objects.count()
    counts = load_adoptions_demo()
    assert counts.created == counts.adoptions == 0 and Adoption.objects.count() == before
