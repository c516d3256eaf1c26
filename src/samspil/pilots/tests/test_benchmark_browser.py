"""The KPI catalogue and a benchmark in a real browser: alice searches the catalogue, opens a
benchmark, narrows it to pilots outside her municipality (htmx), adds a reference value with
its source and makes a definition of her own; axe checks every page. Interface texts are not
asserted (translations vary)."""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.pilots.models import KpiDefinition, ReferenceValue

from .conftest import make_pilot
from .test_benchmark_services import make_definition, make_lead, measure

pytestmark = pytest.mark.browser


def test_it_walks_from_the_catalogue_to_a_benchmark_with_a_reference_value(
    browser_page: Page, live_server, org_a, org_b
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    berit = make_lead(org_b)
    definition = make_definition(alice, org_a)
    make_definition(alice, org_a, name="Cost per payslip", unit="EUR")
    own = measure(make_pilot(alice, org_a, "Arby invoice robot"), definition, 20, 16, 14)
    other = measure(make_pilot(berit, org_b, "Bergvik invoice robot"), definition, 18, 12)

    # The catalogue, searched by name (htmx swaps the table).
    log_in(page, live_server, alice)
    page.goto("/pilots/kpi-definitions/")
    assert_accessible(page)
    expect(page.locator("#kpi-definition-table tbody tr")).to_have_count(2)
    page.locator("#id_q").fill("invoice")
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator("#kpi-definition-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=invoice"))
    row = page.locator(f"#kpi-definition-table tr[data-definition='{definition.pk}']")
    expect(row.locator("td[data-pilots]")).to_have_attribute("data-pilots", "2")

    # The benchmark: Bergvik is best, alice's pilot is highlighted in the table and the chart.
    row.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/pilots/kpi-definitions/{definition.pk}/$"))
    assert_accessible(page)
    rows = page.locator("#benchmark-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-kpi", str(other.pk))
    expect(
        page.locator(f"#benchmark-table tr.benchmark-row--own[data-kpi='{own.pk}']")
    ).to_be_visible()
    expect(page.locator("#benchmark-chart .chart-bar--highlight")).to_have_count(1)
    expect(page.locator("#benchmark-own-position")).to_have_attribute("data-position", "2")

    # Only the pilots outside Arby (htmx, the address follows).
    page.locator("#id_scope").select_option("outside")
    expect(page.locator("#benchmark-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"scope=outside"))
    expect(page.locator("#benchmark-table tbody tr").first).to_have_attribute(
        "data-kpi", str(other.pk)
    )
    assert_accessible(page)

    # A reference value with its source.
    form = page.locator("#reference-add-form")
    form.locator("#id_label").fill("National average (Norway)")
    form.locator("#id_value").fill("11.5")
    form.locator("#id_measured_on").fill("2024-12-31")
    form.locator("#id_source").fill("DFØ benchmark of accounts payable 2024")
    form.locator("#id_source_url").fill("https://dfo.no/rapporter/fakturabehandling-2024")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    reference = ReferenceValue.objects.get()
    expect(page).to_have_url(
        re.compile(rf"/pilots/kpi-definitions/{definition.pk}/#reference-values$")
    )
    expect(page.locator(f"#reference-{reference.pk} .benchmark-source a")).to_have_attribute(
        "href", "https://dfo.no/rapporter/fakturabehandling-2024"
    )
    expect(page.locator("#benchmark-chart .chart-reference")).to_have_count(2)
    assert_accessible(page)

    # A definition of her own, from the catalogue.
    page.goto("/pilots/kpi-definitions/")
    page.locator("#kpi-definition-create-link").click()
    expect(page).to_have_url(re.compile(r"/pilots/kpi-definitions/new/$"))
    assert_accessible(page)
    page.locator("#id_name").fill("Days to answer a complaint")
    page.locator("#id_unit").fill("days")
    page.locator("#id_direction").select_option("lower")
    page.locator("#id_visibility").select_option("shared")
    with page.expect_navigation():
        page.locator("main form.kpi-definition-form button[type=submit]").click()
    created = KpiDefinition.objects.get(name="Days to answer a complaint")
    expect(page).to_have_url(re.compile(rf"/pilots/kpi-definitions/{created.pk}/$"))
    expect(page.locator("#benchmark-table tbody tr")).to_have_count(1)  # "none yet"
    assert_accessible(page)
