"""KPIs in a real browser: alice adds a KPI, a measurement (htmx) and imports a CSV file (first
with a bad row, which imports nothing); the chart shows; axe checks every page.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, names and the data it created.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.tests.test_browser import log_in
from samspil.pilots.models import Kpi, Measurement

from .conftest import make_pilot

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
BASELINE_ON = TODAY - timedelta(days=90)


def test_it_walks_from_a_new_kpi_to_imported_measurements_and_a_chart(
    browser_page: Page, live_server, org_a
):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    pilot = make_pilot(alice, org_a)

    # From the pilot page's panel to the (empty) KPI page.
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/pilots/{pilot.pk}/")
    page.locator("#pilot-kpis-link").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/kpis/$"))
    assert_accessible(page)

    # Alice adds a KPI; a missing unit is refused first, keeping what she typed.
    page.locator("#kpi-add").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot.pk}/kpis/new/$"))
    assert_accessible(page)
    page.locator("#id_name").fill("Minutes per invoice")
    page.locator("#id_direction").select_option("lower")
    page.locator("#id_baseline_value").fill("20")
    page.locator("#id_baseline_on").fill(BASELINE_ON.isoformat())
    page.locator("#id_target_value").fill("14")
    with page.expect_navigation():
        page.locator("form.kpi-form button[type=submit]").click()
    expect(page.locator("#id_unit_error")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Minutes per invoice")
    assert_accessible(page)
    page.locator("#id_unit").fill("minutes per invoice")
    with page.expect_navigation():
        page.locator("form.kpi-form button[type=submit]").click()
    kpi = Kpi.objects.get()
    expect(page.locator(f"#kpi-{kpi.pk}")).to_have_attribute("data-gain", "no_measurement")

    # A measurement with htmx: the KPI's section comes back with the value and the gain.
    day = BASELINE_ON + timedelta(days=30)
    page.locator(f"#id_m{kpi.pk}-measured_on").fill(day.isoformat())
    page.locator(f"#id_m{kpi.pk}-value").fill("16")
    page.locator(f"#kpi-{kpi.pk}-add button[type=submit]").click()
    expect(page.locator(f"#kpi-{kpi.pk}")).to_have_attribute("data-gain", "measured")
    measurement = Measurement.objects.get()
    assert (measurement.measured_on, measurement.value) == (day, Decimal("16"))
    expect(page.locator(f"#measurement-{measurement.pk}")).to_be_visible()
    assert_accessible(page)

    # An import with a bad row imports nothing and names the line; the clean file imports.
    later = [BASELINE_ON + timedelta(days=n) for n in (45, 60)]
    bad = f"date;value;note\n{later[0]};15,5;\n2019-13-01;15;\n".encode()
    page.locator("#id_import-kpi").select_option(str(kpi.pk))
    page.locator("#id_import-file").set_input_files(
        files=[{"name": "invoices.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    with page.expect_navigation():
        page.locator("form.kpi-import-form button[type=submit]").click()
    expect(page.locator("#kpi-import-errors li")).to_have_count(1)
    expect(page.locator("#kpi-import-errors li")).to_contain_text("3")
    expect(page.locator("#id_import-kpi")).to_have_value(str(kpi.pk))
    assert Measurement.objects.count() == 1
    assert_accessible(page)
    good = f"date;value;note\n{later[0]};15,5;\n{later[1]};14;target\n".encode()
    page.locator("#id_import-file").set_input_files(
        files=[{"name": "invoices.csv", "mimeType": "text/csv", "buffer": good}]
    )
    with page.expect_navigation():
        page.locator("form.kpi-import-form button[type=submit]").click()
    assert list(kpi.measurements.values_list("value", flat=True)) == [16, Decimal("15.5"), 14]
    expect(page.locator(f"#kpi-{kpi.pk} .kpi-measurements tbody tr")).to_have_count(4)

    # The chart shows the measurements with baseline and target.
    chart = page.locator(f"#kpi-{kpi.pk} svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator(".chart-series .chart-marker")).to_have_count(3)
    expect(chart.locator("line.chart-reference")).to_have_count(2)
    assert_accessible(page)

    # The pilot page's panel shows the latest gain.
    page.goto(f"{live_server.url}/pilots/{pilot.pk}/")
    expect(page.locator(f"#pilot-kpi-{kpi.pk}")).to_have_attribute("data-gain", "measured")
    assert_accessible(page)
