"""The hub pages: the list, a hub's page with partners, their projects and co-financing,
showcase days and the pool in short; who may create, edit, add and remove; bad input kept on
the form (422); query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspil.core.models import Organisation, Visibility
from samspil.hub import services
from samspil.hub.models import Hub, Partner, PartnerProject

from .factories import event, member, pilot


@pytest.fixture
def hub(alice, org_a) -> Hub:
    return services.create_hub(
        alice,
        org_a,
        name="Arby innovation hub",
        description="Where the city's projects meet.",
        visibility=Visibility.PUBLIC,
    )


@pytest.fixture
def partner(alice, hub, org_c) -> Partner:
    return services.add_partner(
        alice, hub, org_c, since=date(2024, 9, 1), contribution="Two developers on Fridays"
    )


def detail(hub) -> str:
    return reverse("hub:detail", args=[hub.pk])


def test_the_list_shows_hubs_anyone_may_see(client, hub):
    response = client.get(reverse("hub:list"))
    assert response.status_code == 200
    assert hub.get_absolute_url() in response.content.decode()
    assert 'id="hub-create-link"' not in response.content.decode()


def test_the_list_queries_do_not_grow_with_hubs(
    client_for, alice, org_a, django_assert_max_num_queries
):
    for index in range(15):
        Hub.objects.create(owner=org_a, name=f"Hub {index}", visibility=Visibility.PUBLIC)
    client = client_for(alice)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("hub:list")).content.decode()
    assert 'id="hub-create-link"' in html


def test_an_internal_hub_is_404_for_charlie(client_for, charlie, alice, org_a):
    internal = services.create_hub(alice, org_a, name="Back office lab")
    assert client_for(charlie).get(detail(internal)).status_code == 404
    assert (
        internal.get_absolute_url()
        not in client_for(charlie).get(reverse("hub:list")).content.decode()
    )


def test_the_hub_page_shows_partners_projects_co_financing_and_showcase_days(
    client, alice, hub, partner, org_a, org_c
):
    project = pilot(org_c, title="Energy data in the hub")
    hidden = pilot(org_c, title="Secret pilot", visibility=Visibility.INTERNAL)
    PartnerProject.objects.create(
        partner=partner, pilot=project, co_financing=Decimal(250000), currency="DKK"
    )
    PartnerProject.objects.create(
        partner=partner, pilot=hidden, co_financing=Decimal(99), currency="DKK"
    )
    upcoming = event(org_a, title="Autumn showcase")
    past = event(
        org_c,
        title="Spring showcase",
        starts_at=timezone.now() - timedelta(days=60),
        ends_at=timezone.now() - timedelta(days=60) + timedelta(hours=2),
    )
    workshop = event(org_a, title="Workshop", kind="co_creation_workshop")
    response = client.get(detail(hub))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="hub-partner-{partner.pk}"' in html and "Two developers on Fridays" in html
    assert project.get_absolute_url() in html and hidden.get_absolute_url() not in html
    assert 'data-currency="DKK"' in html and "250,000.00" in html and "250,099" not in html
    assert f'data-event="{upcoming.pk}"' in html and f'data-event="{past.pk}"' in html
    assert f'data-event="{workshop.pk}"' not in html
    assert "{# panel: resources #}" not in html
    assert 'id="hub-pool"' not in html  # anonymous visitors do not see the pool
    assert 'id="hub-edit-link"' not in html and 'id="hub-partner-form"' not in html


def test_the_pool_summary_is_for_the_organisations_people(client_for, bob, hub, org_a):
    member(org_a, bob)
    html = client_for(bob).get(detail(hub)).content.decode()
    assert 'id="hub-pool-count" data-count="1"' in html


def _add_partners(hub, first: int, last: int) -> None:
    for index in range(first, last):
        company = Organisation.objects.create(
            name=f"Partner {index}", slug=f"partner-{index}", kind="company", country="DK"
        )
        partner = Partner.objects.create(hub=hub, organisation=company)
        PartnerProject.objects.create(
            partner=partner, pilot=pilot(company), co_financing=Decimal(10), currency="SEK"
        )
        event(company)


def test_the_hub_page_queries_do_not_grow_with_partners(
    client_for, alice, hub, django_assert_max_num_queries
):
    client = client_for(alice)
    _add_partners(hub, 0, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(detail(hub))
    _add_partners(hub, 2, 10)
    with django_assert_max_num_queries(len(few)):
        html = client.get(detail(hub)).content.decode()
    assert 'id="hub-project-form"' in html and html.count('class="hub-partner"') == 10


def test_alice_creates_and_edits_a_hub(client_for, alice, org_a):
    client = client_for(alice)
    assert client.get(reverse("hub:create")).status_code == 200
    response = client.post(
        reverse("hub:create"),
        {"owner": org_a.pk, "name": "Arby hub", "visibility": "public", "website": "arby.dk"},
    )
    hub = Hub.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(hub)
    assert hub.website == "https://arby.dk"
    response = client.post(
        reverse("hub:edit", args=[hub.pk]), {"name": "Arby hub 2", "visibility": "public"}
    )
    assert response.status_code == 302
    hub.refresh_from_db()
    assert hub.name == "Arby hub 2"


def test_a_hub_without_a_name_is_refused_with_the_input_kept(client_for, alice, org_a):
    response = client_for(alice).post(
        reverse("hub:create"),
        {"owner": org_a.pk, "name": " ", "address": "Harbour 1", "visibility": "public"},
    )
    assert response.status_code == 422
    assert 'value="Harbour 1"' in response.content.decode()
    assert not Hub.objects.exists()


def test_bob_and_dave_may_not_create_or_edit(client_for, bob, dave, hub):
    for person in (bob, dave):
        client = client_for(person)
        assert client.get(reverse("hub:create")).status_code == 403
        assert client.get(reverse("hub:edit", args=[hub.pk])).status_code == 403
        assert client.post(reverse("hub:partner-add", args=[hub.pk]), {}).status_code == 403


def test_alice_adds_a_partner_and_a_project(client_for, alice, hub, org_c):
    client = client_for(alice)
    response = client.post(
        reverse("hub:partner-add", args=[hub.pk]),
        {"organisation": org_c.pk, "since": "2024-09-01", "contribution": "Staff"},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(hub=hub)
    project = pilot(org_c)
    response = client.post(
        reverse("hub:project-add", args=[hub.pk]),
        {
            "partner": partner.pk,
            "pilot": project.pk,
            "co_financing": "1,500,000",
            "currency": "SEK",
        },
    )
    assert response.status_code == 302
    saved = PartnerProject.objects.get()
    assert saved.co_financing == Decimal(1_500_000) and saved.currency == "SEK"


def test_a_partner_twice_and_the_hubs_own_organisation_are_refused(
    client_for, alice, hub, partner, org_a, org_c
):
    client = client_for(alice)
    for organisation in (org_c, org_a):
        response = client.post(
            reverse("hub:partner-add", args=[hub.pk]),
            {"organisation": organisation.pk, "contribution": "Kept text"},
        )
        assert response.status_code == 422
        assert "Kept text" in response.content.decode()
    assert Partner.objects.count() == 1


def test_a_project_must_be_the_partners_own_pilot(client_for, alice, hub, partner, org_a):
    cities = pilot(org_a)
    response = client_for(alice).post(
        reverse("hub:project-add", args=[hub.pk]),
        {"partner": partner.pk, "pilot": cities.pk, "co_financing": "12", "currency": "DKK"},
    )
    assert response.status_code == 422  # not among the partner's pilots
    assert 'value="12"' in response.content.decode()
    assert not PartnerProject.objects.exists()


def test_bad_co_financing_is_refused(client_for, alice, hub, partner, org_c):
    response = client_for(alice).post(
        reverse("hub:project-add", args=[hub.pk]),
        {
            "partner": partner.pk,
            "pilot": pilot(org_c).pk,
            "co_financing": "lots",
            "currency": "DKK",
        },
    )
    assert response.status_code == 422 and 'value="lots"' in response.content.decode()


def test_alice_removes_a_project_and_a_partner(client_for, alice, hub, partner, org_c):
    project = services.add_project(alice, partner, pilot(org_c), co_financing=Decimal(5))
    client = client_for(alice)
    url = reverse("hub:project-remove", args=[hub.pk, project.pk])
    assert client.post(url).status_code == 302
    assert not PartnerProject.objects.exists()
    url = reverse("hub:partner-remove", args=[hub.pk, partner.pk])
    assert client.post(url).status_code == 302
    assert not Partner.objects.exists()


def test_bob_may_not_remove_a_partner(client_for, bob, hub, partner):
    url = reverse("hub:partner-remove", args=[hub.pk, partner.pk])
    assert client_for(bob).post(url).status_code == 403
    assert Partner.objects.exists()
