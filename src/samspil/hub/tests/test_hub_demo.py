"""The hub demo: Helsingborg's hub with Öresundskraft, Atea and Sogeti and their projects,
its showcase days and its competence pool with one person over-booked, loaded
idempotently; the pages show it."""

import pytest
from django.apps import apps
from django.urls import reverse

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.events.models import EventKind
from samspil.hub import pool_load, pool_services
from samspil.hub.demo import HubLoadCounts, helsingborg_hub, load_hub_demo
from samspil.hub.models import Hub, Partner, PartnerProject, PoolMember
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import load_pilots_demo


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with demo_loaded(
        django_db_blocker, load_demo, load_needs_demo, load_pilots_demo, load_hub_demo
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data) -> HubLoadCounts:
    return demo_data


def row_counts() -> dict[str, int]:
    """Every table of the hub app, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("hub").get_models()
    }


def test_it_changes_nothing_when_run_again(loaded):
    assert loaded.created > 20
    before = row_counts()
    again = load_hub_demo()
    assert again.created == 0
    assert row_counts() == before
    assert (again.partners, again.pool_members, again.assignments) == (
        loaded.partners,
        loaded.pool_members,
        loaded.assignments,
    )


def test_the_hub_is_found_again_for_the_resource_demo(loaded):
    hub = helsingborg_hub()
    assert Hub.objects.count() == 1
    assert hub.owner.slug == "helsingborg-innovationshubben" and hub.visibility == "public"


def test_it_loads_the_three_partners_with_their_own_projects(loaded):
    partners = Partner.objects.select_related("organisation")
    assert sorted(p.organisation.slug for p in partners) == ["atea", "oresundskraft", "sogeti"]
    for project in PartnerProject.objects.select_related("partner", "pilot"):
        assert project.pilot.owner_id == project.partner.organisation_id
        assert project.currency == "SEK" and project.co_financing > 0


def test_it_has_showcase_days_upcoming_and_held(loaded, client):
    hub = helsingborg_hub()
    html = client.get(reverse("hub:detail", args=[hub.pk])).content.decode()
    assert html.count('data-event="') == 2
    assert 'id="hub-showcase-upcoming"' in html and 'data-currency="SEK"' in html
    assert EventKind.SHOWCASE == "showcase"


def test_exactly_one_person_is_over_booked(loaded):
    over = []
    for member in PoolMember.objects.prefetch_related("assignments"):
        spans = pool_services.spans_of(member.assignments.all())
        if pool_load.overbooked(spans, member.available_percent):
            over.append(member.user.username)
    assert over == ["henrik.sjoberg"]


def test_elin_sees_the_pool_with_the_overview(loaded, client_for):
    elin = User.objects.get(username="helsingborg")
    hub = helsingborg_hub()
    response = client_for(elin).get(f"{reverse('hub:pool')}?organisation={hub.owner_id}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="pool-overbooked"' in html and html.count('id="pool-member-') == 5
