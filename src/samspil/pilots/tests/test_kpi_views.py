"""The KPI pages for everyone who may and may not use them (Django's test client)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone

from samspil.pilots import kpi_services as services
from samspil.pilots.models import Kpi, Measurement

from .test_kpi_services import BASELINE_ON, make_definition, make_kpi

HTMX = {"HX-Request": "true"}
TODAY = timezone.localdate()
D1, D2 = BASELINE_ON + timedelta(days=10), BASELINE_ON + timedelta(days=20)


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def kpi(alice, pilot):
    return make_kpi(alice, pilot)


@pytest.fixture
def measurement(alice, kpi):
    return services.add_measurement(alice, kpi, D1, Decimal("18"))


def kpi_form(**overrides) -> dict:
    data = {
        "definition": "",
        "name": "Errors per 100 invoices",
        "unit": "errors per 100 invoices",
        "direction": "lower",
        "baseline_value": "8",
        "baseline_on": BASELINE_ON.isoformat(),
        "target_value": "2",
        "target_on": (TODAY + timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def measurement_form(kpi, **overrides) -> dict:
    data = {"measured_on": D2.isoformat(), "value": "15.5", "note": "April"}
    data.update(overrides)
    return {f"m{kpi.pk}-{name}": value for name, value in data.items()}


def upload(content: str, name="m.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def write_requests(pilot, kpi, measurement) -> list[tuple[str, str, dict]]:
    base = f"/pilots/{pilot.pk}/kpis/"
    item = f"{base}{kpi.pk}/"
    row = f"{item}measurements/{measurement.pk}/"
    return [
        ("get", f"{base}new/", {}),
        ("post", f"{base}new/", kpi_form()),
        ("get", f"{item}edit/", {}),
        ("post", f"{item}edit/", kpi_form(name="Changed")),
        ("get", f"{item}delete/", {}),
        ("post", f"{item}delete/", {}),
        ("post", f"{item}measurements/", measurement_form(kpi)),
        ("get", f"{row}edit/", {}),
        ("post", f"{row}edit/", measurement_form(kpi)),
        ("post", f"{row}delete/", {}),
        ("post", f"{base}import/", {"import-kpi": kpi.pk, "import-file": upload("date,value\n")}),
    ]


def unchanged(kpi, measurement) -> bool:
    return (
        Kpi.objects.get().name == kpi.name
        and Kpi.objects.count() == 1
        and list(Measurement.objects.values_list("pk", "value"))
        == [(measurement.pk, Decimal("18"))]
    )


# Who may ----------------------------------------------------------------------------------------


def test_it_shows_a_public_pilots_kpis_to_everyone_and_forms_to_editors(
    client, client_for, alice, bob, charlie, dave, pilot, kpi, measurement
):
    response = client.get(f"/pilots/{pilot.pk}/kpis/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="kpi-{kpi.pk}"' in page and f'id="measurement-{measurement.pk}"' in page
    assert "kpi-measurement-form" not in page and 'id="kpi-import"' not in page
    for user in (bob, charlie, dave):
        page = client_for(user).get(f"/pilots/{pilot.pk}/kpis/").content.decode()
        assert f'id="kpi-{kpi.pk}"' in page and "kpi-measurement-form" not in page
    page = client_for(alice).get(f"/pilots/{pilot.pk}/kpis/").content.decode()
    assert "kpi-measurement-form" in page and 'id="kpi-import"' in page


def test_it_sends_anonymous_writers_to_sign_in(client, pilot, kpi, measurement):
    for method, url, data in write_requests(pilot, kpi, measurement):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert unchanged(kpi, measurement)


def test_it_refuses_writes_to_those_who_may_not_edit_the_pilot(
    client_for, bob, charlie, dave, pilot, kpi, measurement
):
    for user in (bob, charlie, dave):
        client = client_for(user)
        for method, url, data in write_requests(pilot, kpi, measurement):
            assert getattr(client, method)(url, data).status_code == 403, (user, url)
    assert unchanged(kpi, measurement)


def test_it_answers_404_to_other_organisations_for_internal_pilots(
    client, client_for, alice, bob, charlie, dave, internal_pilot
):
    kpi = make_kpi(alice, internal_pilot)
    measurement = services.add_measurement(alice, kpi, D1, Decimal("18"))
    base = f"/pilots/{internal_pilot.pk}/kpis/"
    assert client.get(base).status_code == 404
    for user in (charlie, dave):
        client = client_for(user)
        assert client.get(base).status_code == 404
        assert client.get(f"{base}{kpi.pk}/template.csv").status_code == 404
        for method, url, data in write_requests(internal_pilot, kpi, measurement):
            assert getattr(client, method)(url, data).status_code == 404, (user, url)
    assert client_for(bob).get(base).status_code == 200
    assert unchanged(kpi, measurement)


def test_it_answers_404_for_a_kpi_of_another_pilot(client_for, alice, org_a, pilot, kpi):
    from .conftest import make_pilot

    other = make_pilot(alice, org_a, "Another pilot")
    client = client_for(alice)
    assert client.get(f"/pilots/{other.pk}/kpis/{kpi.pk}/edit/").status_code == 404
    response = client.post(f"/pilots/{other.pk}/kpis/{kpi.pk}/measurements/", {})
    assert response.status_code == 404


# KPIs -----------------------------------------------------------------------------------------


def test_it_adds_a_kpi(client_for, alice, pilot):
    response = client_for(alice).post(f"/pilots/{pilot.pk}/kpis/new/", kpi_form())
    kpi = Kpi.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pilots/{pilot.pk}/kpis/#kpi-{kpi.pk}"
    assert (kpi.name, kpi.unit, kpi.target_value) == (
        "Errors per 100 invoices",
        "errors per 100 invoices",
        Decimal("2"),
    )


def test_it_adds_a_kpi_from_the_catalogue(client_for, alice, org_a, pilot):
    definition = make_definition(org_a)
    data = kpi_form(definition=definition.pk, name="", unit="", direction="")
    response = client_for(alice).post(f"/pilots/{pilot.pk}/kpis/new/", data)
    assert response.status_code == 302
    kpi = Kpi.objects.get()
    assert (kpi.definition, kpi.name, kpi.unit) == (
        definition,
        definition.name,
        definition.unit,
    )


def test_it_keeps_what_was_typed_when_a_kpi_is_refused(client_for, alice, pilot):
    data = kpi_form(unit="", target_on=(BASELINE_ON - timedelta(days=1)).isoformat())
    response = client_for(alice).post(f"/pilots/{pilot.pk}/kpis/new/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_unit_error"' in page and 'value="Errors per 100 invoices"' in page
    assert not Kpi.objects.exists()
    response = client_for(alice).post(f"/pilots/{pilot.pk}/kpis/new/", kpi_form(unit="x"))
    assert response.status_code == 302  # the service's target-date error came on the form
    data = kpi_form(target_on=(BASELINE_ON - timedelta(days=1)).isoformat())
    response = client_for(alice).post(f"/pilots/{pilot.pk}/kpis/new/", data)
    assert response.status_code == 422 and 'id="id_target_on_error"' in response.content.decode()


def test_it_refuses_a_target_that_is_no_improvement_on_the_form(client_for, alice, pilot):
    path = f"/pilots/{pilot.pk}/kpis/new/"
    response = client_for(alice).post(path, kpi_form(direction="lower", target_value="30"))
    assert response.status_code == 422
    assert "When lower is better, the target must not be above the baseline." in text_of(response)
    response = client_for(alice).post(path, kpi_form(target_value="8"))
    assert response.status_code == 422
    assert "The target must differ from the baseline." in text_of(response)
    assert not Kpi.objects.exists()


def test_it_locks_unit_and_direction_of_a_measured_kpi_on_the_form(
    client_for, alice, pilot, kpi, measurement
):
    client = client_for(alice)
    page = client.get(f"/pilots/{pilot.pk}/kpis/{kpi.pk}/edit/").content.decode()
    assert re.search(r'<input[^>]*name="unit"[^>]*disabled', page)
    response = client.post(
        f"/pilots/{pilot.pk}/kpis/{kpi.pk}/edit/", kpi_form(unit="hours", direction="higher")
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.name, kpi.unit, kpi.direction) == (
        "Errors per 100 invoices",
        "minutes per invoice",
        "lower",
    )


def test_it_deletes_a_kpi(client_for, alice, pilot, kpi, measurement):
    client = client_for(alice)
    assert client.get(f"/pilots/{pilot.pk}/kpis/{kpi.pk}/delete/").status_code == 200
    response = client.post(f"/pilots/{pilot.pk}/kpis/{kpi.pk}/delete/")
    assert response.status_code == 302 and not Kpi.objects.exists()


# Measurements ---------------------------------------------------------------------------------


def test_it_adds_a_measurement_with_htmx_and_answers_with_the_kpi(client_for, alice, pilot, kpi):
    url = f"/pilots/{pilot.pk}/kpis/{kpi.pk}/measurements/"
    response = client_for(alice).post(url, measurement_form(kpi), headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    measurement = Measurement.objects.get()
    assert "<html" not in page and f'id="kpi-{kpi.pk}"' in page
    assert f'id="measurement-{measurement.pk}"' in page
    assert measurement.value == Decimal("15.5") and measurement.note == "April"


def test_it_shows_a_refused_measurement_in_the_kpi_with_htmx(client_for, alice, pilot, kpi):
    url = f"/pilots/{pilot.pk}/kpis/{kpi.pk}/measurements/"
    before = (BASELINE_ON - timedelta(days=1)).isoformat()
    data = measurement_form(kpi, measured_on=before)
    response = client_for(alice).post(url, data, headers=HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert "<html" not in page and f'id="id_m{kpi.pk}-measured_on_error"' in page
    assert 'value="15.5"' in page and not Measurement.objects.exists()


def test_it_redraws_the_page_for_a_refused_measurement_without_javascript(
    client_for, alice, pilot, kpi, measurement
):
    second = make_kpi(alice, pilot, name="Errors", unit="errors")
    url = f"/pilots/{pilot.pk}/kpis/{kpi.pk}/measurements/"
    response = client_for(alice).post(url, measurement_form(kpi, measured_on=D1.isoformat()))
    assert response.status_code == 422
    page = response.content.decode()
    assert "<html" in page and f'id="id_m{kpi.pk}-measured_on_error"' in page
    assert f'id="kpi-{second.pk}"' in page and f'id="id_m{second.pk}-measured_on_error"' not in page
    response = client_for(alice).post(url, measurement_form(kpi))
    assert response.status_code == 302
    assert response["Location"] == f"/pilots/{pilot.pk}/kpis/#kpi-{kpi.pk}"


def test_it_edits_and_removes_a_measurement(client_for, alice, pilot, kpi, measurement):
    client = client_for(alice)
    url = f"/pilots/{pilot.pk}/kpis/{kpi.pk}/measurements/{measurement.pk}/"
    assert client.get(f"{url}edit/").status_code == 200
    data = {"measured_on": D2.isoformat(), "value": "17", "note": ""}
    assert client.post(f"{url}edit/", data).status_code == 302
    measurement.refresh_from_db()
    assert (measurement.measured_on, measurement.value) == (D2, Decimal("17"))
    data = {"measured_on": (TODAY + timedelta(days=1)).isoformat(), "value": "17"}
    assert client.post(f"{url}edit/", data).status_code == 422
    response = client.post(f"{url}delete/", headers=HTMX)
    assert response.status_code == 200 and f'id="kpi-{kpi.pk}"' in response.content.decode()
    assert not Measurement.objects.exists()


# Import ---------------------------------------------------------------------------------------


def test_it_imports_a_file_and_lists_every_bad_row_otherwise(client_for, alice, pilot, kpi):
    second = make_kpi(alice, pilot, name="Errors", unit="errors")
    client = client_for(alice)
    url = f"/pilots/{pilot.pk}/kpis/import/"
    bad = f"date,value\n{D1},3\n2019-13-01,4\n{D2},five\n"
    response = client.post(url, {"import-kpi": second.pk, "import-file": upload(bad)})
    assert response.status_code == 422
    page = response.content.decode()
    errors = re.search(r'<ul class="kpi-import-error-list"[^>]*>(.*?)</ul>', page, re.S)
    assert errors is not None
    assert re.findall(r"<li>Line (\d+):", errors.group(1)) == ["3", "4"]
    assert re.search(rf'<option value="{second.pk}" selected>', page)
    assert not Measurement.objects.exists()
    good = f"date,value\n{D1},3\n{D2},2\n"
    response = client.post(url, {"import-kpi": second.pk, "import-file": upload(good)})
    assert response.status_code == 302
    assert response["Location"] == f"/pilots/{pilot.pk}/kpis/#kpi-{second.pk}"
    assert second.measurements.count() == 2 and not kpi.measurements.exists()


def test_it_refuses_an_import_for_a_kpi_of_another_pilot(client_for, alice, org_a, pilot, kpi):
    from .conftest import make_pilot

    other = make_pilot(alice, org_a, "Another pilot")
    make_kpi(alice, other)
    data = {"import-kpi": kpi.pk, "import-file": upload(f"date,value\n{D1},3\n")}
    response = client_for(alice).post(f"/pilots/{other.pk}/kpis/import/", data)
    assert response.status_code == 422 and not Measurement.objects.exists()


def test_it_offers_a_template_file(client, alice, pilot, kpi):
    response = client.get(f"/pilots/{pilot.pk}/kpis/{kpi.pk}/template.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "minutes-per-invoice-measurements.csv" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").splitlines() == ["date,value,unit,note"]


# Figures and query counts -----------------------------------------------------------------------


def test_it_shows_gain_and_not_defined_for_a_zero_baseline(client, alice, pilot, kpi):
    services.add_measurement(alice, kpi, D1, Decimal("15"))
    zero = make_kpi(
        alice,
        pilot,
        name="Complaints",
        unit="complaints",
        baseline_value=0,
        target_value=None,
        target_on=None,
    )
    services.add_measurement(alice, zero, D1, Decimal("3"))
    response = client.get(f"/pilots/{pilot.pk}/kpis/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="kpi-{kpi.pk}" aria-labelledby="kpi-{kpi.pk}-heading" data-gain="measured"' in page
    assert 'data-gain="not_defined"' in page
    assert "+25%" in text_of(response)  # (20 − 15) / 20, in English
    assert "not defined" in text_of(response)


def fill(actor, pilot, kpis: int, measurements: int) -> None:
    for k in range(kpis):
        kpi = make_kpi(actor, pilot, name=f"KPI {k}")
        Measurement.objects.bulk_create(
            Measurement(kpi=kpi, measured_on=BASELINE_ON + timedelta(days=d), value=d)
            for d in range(measurements)
        )


def test_it_keeps_the_kpi_page_queries_constant(
    client_for, alice, org_a, pilot, django_assert_max_num_queries
):
    from .conftest import make_pilot

    client = client_for(alice)
    fill(alice, pilot, 1, 1)
    with django_assert_max_num_queries(30) as small:
        assert client.get(f"/pilots/{pilot.pk}/kpis/").status_code == 200
    busy = make_pilot(alice, org_a, "Busy pilot")
    fill(alice, busy, 6, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/pilots/{busy.pk}/kpis/").status_code == 200


def test_it_shows_the_kpi_panel_in_one_query(alice, org_a, pilot, django_assert_num_queries):
    from .conftest import make_pilot

    template = Template("{% load pilot_kpis %}{% kpi_panel pilot %}")
    fill(alice, pilot, 1, 1)
    busy = make_pilot(alice, org_a, "Busy pilot")
    fill(alice, busy, 6, 40)
    for shown in (pilot, busy):
        with django_assert_num_queries(1):
            html = template.render(Context({"pilot": shown}))
        assert len(re.findall(r'id="pilot-kpi-\d', html)) == shown.kpis.count()


def test_it_shows_the_kpi_panel_on_the_pilot_page(client, alice, pilot, kpi, measurement):
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert f'id="pilot-kpi-{kpi.pk}"' in page and f"/pilots/{pilot.pk}/kpis/" in page
