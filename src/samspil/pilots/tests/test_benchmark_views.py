"""The KPI catalogue and benchmark pages, for the people who may and may not use them."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.pilots import benchmark_services as services
from samspil.pilots.models import KpiDefinition, ReferenceValue

from .conftest import make_pilot
from .test_benchmark_services import make_definition, make_lead, measure, reference_fields

HTMX = {"HX-Request": "true"}
CATALOGUE = "/pilots/kpi-definitions/"


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def page_of(kpi_definition) -> str:
    return f"{CATALOGUE}{kpi_definition.pk}/"


@pytest.fixture
def berit(org_b):
    """Innovation lead of organisation B (Bergvik, Norway)."""
    return make_lead(org_b)


@pytest.fixture
def definition(alice, org_a):
    """Alice's public definition: minutes per invoice coded, lower is better."""
    return make_definition(alice, org_a)


@pytest.fixture
def anonymous():
    """A client of its own: ``client_for`` signs the shared ``client`` in."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def internal_definition(alice, org_a):
    return services.create_kpi_definition(
        alice, org_a, name="Cost per payslip", unit="EUR", direction="lower"
    )


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# The catalogue ------------------------------------------------------------------------------------


def test_it_lists_the_definitions_each_person_may_see(
    anonymous, client_for, alice, bob, charlie, dave, definition, internal_definition
):
    for person in (alice, bob):
        text = text_of(client_for(person).get(CATALOGUE))
        assert definition.name in text and internal_definition.name in text
    for visitor in (anonymous, client_for(charlie), client_for(dave)):
        text = text_of(visitor.get(CATALOGUE))
        assert definition.name in text and internal_definition.name not in text


def test_it_offers_a_new_definition_to_innovation_leads_only(client_for, alice, bob):
    assert 'id="kpi-definition-create-link"' not in client_for(bob).get(CATALOGUE).content.decode()
    assert 'id="kpi-definition-create-link"' in client_for(alice).get(CATALOGUE).content.decode()


def test_it_counts_the_pilots_and_organisations_measuring_each(
    client_for, alice, berit, org_a, org_b, definition
):
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    measure(make_pilot(berit, org_b, "Bergvik robot"), definition, 18, 12)
    page = client_for(alice).get(CATALOGUE).content.decode()
    row = page.split(f'data-definition="{definition.pk}"')[1].split("</tr>")[0]
    assert 'data-pilots="2"' in row and 'data-organisations="2"' in row


def test_it_searches_the_catalogue_by_name_and_answers_htmx_with_the_table(
    client_for, alice, definition, internal_definition
):
    client = client_for(alice)
    text = text_of(client.get(CATALOGUE, {"q": "payslip"}))
    assert internal_definition.name in text and definition.name not in text
    partial = client.get(CATALOGUE, {"q": "invoice"}, headers=HTMX).content.decode()
    assert "<html" not in partial and definition.name in partial


def test_it_lists_the_catalogue_with_a_constant_number_of_queries(client_for, alice, org_a):
    client = client_for(alice)
    services.create_kpi_definition(alice, org_a, name="KPI 0", unit="min", direction="lower")
    few = count_queries(client, CATALOGUE)
    for n in range(1, 15):
        kpi_definition = services.create_kpi_definition(
            alice, org_a, name=f"KPI {n}", unit="min", direction="lower"
        )
        measure(make_pilot(alice, org_a, f"Pilot {n}"), kpi_definition, 20, 14)
    assert count_queries(client, CATALOGUE) == few


# Creating and editing definitions -----------------------------------------------------------------


def definition_form(org=None, **overrides) -> dict:
    data = {
        "name": "Days to answer a complaint",
        "unit": "days",
        "direction": "lower",
        "description": "Calendar days from receipt to answer.",
        "visibility": "shared",
    }
    if org is not None:
        data["owner"] = org.pk
    data.update(overrides)
    return data


def test_it_lets_only_innovation_leads_create_a_definition(
    anonymous, client_for, alice, bob, charlie, dave, org_a
):
    path = f"{CATALOGUE}new/"
    assert anonymous.get(path).status_code == 302
    for person in (bob, charlie, dave):
        assert client_for(person).get(path).status_code == 403
        assert client_for(person).post(path, definition_form(org_a)).status_code == 403
    client = client_for(alice)
    assert client.get(path).status_code == 200
    response = client.post(path, definition_form(org_a))
    created = KpiDefinition.objects.get()
    assert response.status_code == 302 and response["Location"] == page_of(created)
    assert (created.owner, created.visibility, created.unit) == (org_a, "shared", "days")


def test_it_keeps_the_typed_values_when_a_definition_has_errors(client_for, alice, org_a):
    response = client_for(alice).post(
        f"{CATALOGUE}new/", definition_form(org_a, unit="", name="Days to answer")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="Days to answer"' in page and "Calendar days from receipt" in page
    assert not KpiDefinition.objects.exists()


def test_it_refuses_a_definition_for_an_organisation_the_person_does_not_lead(
    client_for, alice, org_b
):
    response = client_for(alice).post(f"{CATALOGUE}new/", definition_form(org_b))
    assert response.status_code == 422 and not KpiDefinition.objects.exists()


def test_it_lets_only_the_owners_innovation_leads_edit_a_definition(
    anonymous, client_for, alice, bob, charlie, dave, berit, internal_definition, definition
):
    path = f"{page_of(internal_definition)}edit/"
    assert anonymous.get(path).status_code == 302
    assert client_for(bob).get(path).status_code == 403
    for person in (charlie, dave, berit):
        assert client_for(person).get(path).status_code == 404
    assert client_for(berit).get(f"{page_of(definition)}edit/").status_code == 403
    client = client_for(alice)
    assert client.get(path).status_code == 200
    data = definition_form(name="Cost per payslip (all in)", unit="EUR")
    response = client.post(path, data)
    assert response.status_code == 302
    internal_definition.refresh_from_db()
    assert internal_definition.name == "Cost per payslip (all in)"


def test_it_shows_why_a_measured_definition_keeps_its_unit(client_for, alice, org_a, definition):
    measure(make_pilot(alice, org_a), definition, 20, 14)
    data = definition_form(name=definition.name, unit="seconds", visibility="public")
    response = client_for(alice).post(f"{page_of(definition)}edit/", data)
    assert response.status_code == 422
    assert 'value="seconds"' in response.content.decode()
    definition.refresh_from_db()
    assert definition.unit == "minutes"


# The benchmark page -------------------------------------------------------------------------------


def test_it_shows_an_internal_benchmark_only_to_the_owners_people(
    anonymous, client_for, alice, bob, charlie, dave, internal_definition
):
    path = page_of(internal_definition)
    for person in (alice, bob):
        assert client_for(person).get(path).status_code == 200
    for visitor in (anonymous, client_for(charlie), client_for(dave)):
        assert visitor.get(path).status_code == 404
    assert client_for(alice).get(f"{CATALOGUE}999999/").status_code == 404


def test_it_compares_every_visible_pilot_with_the_viewers_own_highlighted(
    anonymous, client_for, alice, berit, org_a, org_b, definition
):
    arby = measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    bergvik = measure(make_pilot(berit, org_b, "Bergvik robot"), definition, 18, 12)
    measure(
        make_pilot(berit, org_b, "Bergvik internal", visibility=Visibility.INTERNAL),
        definition,
        18,
        10,
    )
    measure(make_pilot(berit, org_b, "Bergvik seconds"), definition, 900, 600, unit="seconds")
    services.add_reference_value(alice, definition, org_a, **reference_fields())
    response = client_for(alice).get(page_of(definition))
    page = response.content.decode()
    assert "Bergvik internal" not in page
    assert re.search(rf'class="benchmark-row benchmark-row--own" data-kpi="{arby.pk}"', page)
    assert f'class="benchmark-row" data-kpi="{bergvik.pk}" data-scope="outside"' in page
    assert 'id="benchmark-other-unit" data-count="1"' in page
    assert 'id="benchmark-own-position" data-position="2"' in page
    assert 'data-median="13' in page and 'data-best="12' in page
    # The chart: a bar per row, alice's highlighted, lines at the median and the reference.
    chart = page.split('id="benchmark-chart"')[1].split("</svg>")[0]
    assert chart.count('class="chart-bar-rect"') == 2
    assert chart.count("chart-bar--highlight") == 1
    assert chart.count('class="chart-reference') == 2
    # An anonymous visitor sees the public pilots, none of them their own.
    page = anonymous.get(page_of(definition)).content.decode()
    assert "benchmark-row--own" not in page and 'data-position=""' in page


def test_it_counts_kpis_and_organisations_in_proper_plurals(
    client_for, alice, berit, org_a, org_b, definition
):
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    summary = re.compile(r'<dd data-count="\d+">(.*?)</dd>')
    page = client_for(alice).get(page_of(definition)).content.decode()
    assert summary.search(page).group(1) == "1 KPI in 1 organisation"
    measure(make_pilot(berit, org_b, "Bergvik robot"), definition, 18, 12)
    page = client_for(alice).get(page_of(definition)).content.decode()
    assert summary.search(page).group(1) == "2 KPIs in 2 organisations"


def test_it_filters_by_scope_and_answers_htmx_with_the_results(
    client_for, alice, berit, org_a, org_b, definition
):
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    measure(make_pilot(berit, org_b, "Bergvik robot"), definition, 18, 12)
    client = client_for(alice)
    page = client.get(page_of(definition), {"scope": "outside"}).content.decode()
    assert "Bergvik robot" in page and "Arby robot</a>" not in page
    partial = client.get(page_of(definition), {"scope": "own"}, headers=HTMX).content.decode()
    assert "<html" not in partial and 'id="benchmark-table"' in partial
    assert "Arby robot" in partial and "Bergvik robot" not in partial


def test_it_links_to_the_page_holding_the_viewers_best_row(
    client_for, alice, berit, org_a, org_b, definition, settings
):
    settings.PAGE_SIZE = 2
    for n in range(4):
        measure(make_pilot(berit, org_b, f"Bergvik {n}"), definition, 18, 10 + n)
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 15)
    page = client_for(alice).get(page_of(definition)).content.decode()
    assert 'id="benchmark-own-link" href="?page=3#benchmark-results"' in page


def test_it_shows_the_benchmark_with_a_constant_number_of_queries(
    client_for, alice, berit, org_a, org_b, org_a_department, definition
):
    client = client_for(alice)
    measure(make_pilot(alice, org_a, "Arby 0"), definition, 20, 14)
    services.add_reference_value(alice, definition, org_a, **reference_fields())
    few = count_queries(client, page_of(definition))
    for n in range(20):
        owner, actor = [(org_a, alice), (org_b, berit), (org_a_department, alice)][n % 3]
        measure(make_pilot(actor, owner, f"Pilot {n}"), definition, 20, 18, 15, 12)
    services.add_reference_value(alice, definition, org_a, **reference_fields(label="Sweden"))
    assert count_queries(client, page_of(definition)) == few


# Reference values ---------------------------------------------------------------------------------


def reference_form(**overrides) -> dict:
    fields = reference_fields(**overrides)
    fields["measured_on"] = fields["measured_on"].isoformat()
    return fields


def test_it_offers_the_reference_form_to_public_innovation_leads_only(
    anonymous, client_for, alice, bob, charlie, dave, berit, definition
):
    for person in (alice, berit):
        assert (
            'id="reference-add-form"'
            in client_for(person).get(page_of(definition)).content.decode()
        )
    for visitor in (anonymous, client_for(bob), client_for(charlie), client_for(dave)):
        assert 'id="reference-add-form"' not in visitor.get(page_of(definition)).content.decode()


def test_it_adds_a_reference_value_with_its_source(client_for, alice, org_a, definition):
    response = client_for(alice).post(f"{page_of(definition)}references/new/", reference_form())
    assert response.status_code == 302
    assert response["Location"] == f"{page_of(definition)}#reference-values"
    reference = ReferenceValue.objects.get()
    assert (reference.added_by_organisation, reference.measured_on) == (org_a, date(2024, 12, 31))
    page = client_for(alice).get(page_of(definition)).content.decode()
    assert f'id="reference-{reference.pk}"' in page
    assert 'href="https://dfo.no/rapporter/fakturabehandling-2024"' in page


def test_it_keeps_the_typed_reference_when_it_has_errors(client_for, alice, definition):
    response = client_for(alice).post(
        f"{page_of(definition)}references/new/",
        reference_form(source="", source_url="ftp://dfo.no/report"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="National average (Norway)"' in page and 'value="2024-12-31"' in page
    assert not ReferenceValue.objects.exists()
    response = client_for(alice).post(
        f"{page_of(definition)}references/new/", reference_form(source_url="ftp://dfo.no/x")
    )
    assert response.status_code == 422 and 'value="ftp://dfo.no/x"' in response.content.decode()
    assert not ReferenceValue.objects.exists()


def test_it_refuses_reference_values_from_others(
    anonymous, client_for, bob, charlie, dave, definition, internal_definition
):
    path = f"{page_of(definition)}references/new/"
    assert anonymous.post(path, reference_form()).status_code == 302
    for person in (bob, charlie, dave):
        assert client_for(person).post(path, reference_form()).status_code == 403
    hidden = f"{page_of(internal_definition)}references/new/"
    assert client_for(charlie).post(hidden, reference_form()).status_code == 404
    assert not ReferenceValue.objects.exists()


def test_it_asks_which_organisation_when_the_person_leads_several(
    client_for, alice, org_a, org_b, definition
):
    add_member(alice, org_b, Role.Code.INNOVATION_LEAD)
    path = f"{page_of(definition)}references/new/"
    assert 'name="organisation"' in client_for(alice).get(path).content.decode()
    response = client_for(alice).post(path, reference_form(organisation=org_b.pk))
    assert response.status_code == 302
    assert ReferenceValue.objects.get().added_by_organisation == org_b


def test_it_lets_only_the_adding_organisation_edit_or_delete_a_reference(
    anonymous, client_for, alice, bob, charlie, berit, org_b, definition
):
    reference = services.add_reference_value(berit, definition, org_b, **reference_fields())
    edit = f"{page_of(definition)}references/{reference.pk}/edit/"
    delete = f"{page_of(definition)}references/{reference.pk}/delete/"
    assert anonymous.get(edit).status_code == 302
    for person in (alice, bob, charlie):
        assert client_for(person).get(edit).status_code == 403
        assert client_for(person).post(delete).status_code == 403
    client = client_for(berit)
    assert client.get(delete).status_code == 405
    assert client.post(edit, reference_form(value="10.5")).status_code == 302
    reference.refresh_from_db()
    assert str(reference.value) == "10.5000"
    assert client.post(edit, reference_form(label="")).status_code == 422
    assert client.post(delete).status_code == 302
    assert not ReferenceValue.objects.exists()


def test_it_answers_404_for_a_reference_of_another_definition(client_for, alice, org_a, definition):
    other = services.create_kpi_definition(
        alice, org_a, name="Other", unit="min", direction="lower", visibility="public"
    )
    reference = services.add_reference_value(alice, other, org_a, **reference_fields())
    path = f"{page_of(definition)}references/{reference.pk}/edit/"
    assert client_for(alice).get(path).status_code == 404


def test_it_shows_the_change_links_to_the_adding_organisation_only(
    client_for, alice, berit, org_a, definition
):
    reference = services.add_reference_value(alice, definition, org_a, **reference_fields())
    link = f"references/{reference.pk}/edit/"
    assert link in client_for(alice).get(page_of(definition)).content.decode()
    assert link not in client_for(berit).get(page_of(definition)).content.decode()


def test_it_does_not_ask_for_the_organisation_when_the_person_leads_one(
    client_for, org_a, definition
):
    lead = make_user("lena")
    add_member(lead, org_a, Role.Code.INNOVATION_LEAD)
    page = client_for(lead).get(f"{page_of(definition)}references/new/").content.decode()
    assert 'name="organisation"' not in page and 'name="source"' in page
