"""The KPI catalogue's writes and the benchmark of a definition: rows, units, visibility,
the viewer's own rows, the summary and the rules of reference values."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.core.models import Organisation, Role, Visibility
from samspil.pilots import benchmark_services as services
from samspil.pilots.models import Kpi, KpiDefinition, Measurement, ReferenceValue

from .conftest import make_pilot

BASELINE_ON = timezone.localdate() - timedelta(days=200)


def make_lead(organisation, username: str = "berit"):
    user = make_user(username, language="nb")
    add_member(user, organisation, Role.Code.INNOVATION_LEAD)
    return user


def make_definition(actor, owner, **fields) -> KpiDefinition:
    """A public definition, "minutes per invoice coded" (lower is better), unless told."""
    values = {
        "name": "Minutes per invoice coded",
        "unit": "minutes",
        "direction": "lower",
        "visibility": Visibility.PUBLIC,
    }
    values.update(fields)
    return services.create_kpi_definition(actor, owner, **values)


@pytest.fixture
def berit(org_b):
    """Innovation lead of organisation B (Bergvik, Norway)."""
    return make_lead(org_b)


@pytest.fixture
def definition(alice, org_a):
    return make_definition(alice, org_a)


def measure(pilot, definition, baseline, *values, unit=None, name=None) -> Kpi:
    """A KPI of the pilot for the definition, with one value a month after the baseline."""
    kpi = Kpi.objects.create(
        pilot=pilot,
        definition=definition,
        name=name or definition.name,
        unit=unit or definition.unit,
        direction=definition.direction,
        baseline_value=D(baseline),
        baseline_on=BASELINE_ON,
    )
    for month, value in enumerate(values, start=1):
        Measurement.objects.create(
            kpi=kpi, measured_on=BASELINE_ON + timedelta(days=30 * month), value=D(value)
        )
    return kpi


def rows_by_title(result) -> dict:
    return {row.pilot_title: row for row in result.rows}


def titles_of(rows) -> list[str]:
    return [row.pilot_title for row in rows]


# KPI definitions ----------------------------------------------------------------------------------


def test_it_creates_an_internal_definition_for_an_innovation_lead(alice, org_a):
    definition = services.create_kpi_definition(
        alice, org_a, name="  Cost per  payslip ", unit=" EUR ", direction="lower"
    )
    assert (definition.name, definition.unit, definition.visibility) == (
        "Cost per payslip",
        "EUR",
        Visibility.INTERNAL,
    )
    assert definition.created_by == alice
    assert definition.history.first().history_user == alice


def test_it_refuses_a_definition_from_someone_not_leading_the_organisation(bob, berit, org_a):
    for person in (bob, berit):
        with pytest.raises(PermissionDenied):
            services.create_kpi_definition(
                person, org_a, name="Cost per payslip", unit="EUR", direction="lower"
            )


def test_it_names_every_field_that_is_missing_or_wrong(alice, org_a):
    with pytest.raises(ValidationError) as error:
        services.create_kpi_definition(
            alice, org_a, name=" ", unit="x" * 61, direction="sideways", visibility="secret"
        )
    assert set(error.value.message_dict) == {"name", "unit", "direction", "visibility"}
    with pytest.raises(ValidationError) as error:
        services.create_kpi_definition(alice, org_a, name="Cost per payslip")
    assert set(error.value.message_dict) == {"unit", "direction"}


def test_it_edits_a_definition_for_the_owners_innovation_leads_only(alice, bob, berit, definition):
    services.update_kpi_definition(alice, definition, description="Coded by hand or robot.")
    definition.refresh_from_db()
    assert definition.description == "Coded by hand or robot."
    for person in (bob, berit):
        with pytest.raises(PermissionDenied):
            services.update_kpi_definition(person, definition, name="Other")


def test_it_keeps_unit_and_direction_once_kpis_measure_the_definition(alice, org_a, definition):
    services.update_kpi_definition(alice, definition, unit="Minutes")  # the same unit
    measure(make_pilot(alice, org_a), definition, 20, 14)
    with pytest.raises(ValidationError) as error:
        services.update_kpi_definition(alice, definition, unit="seconds", direction="higher")
    assert set(error.value.message_dict) == {"unit", "direction"}


def test_it_keeps_a_definition_shared_while_other_organisations_measure_it(
    alice, berit, org_a, org_b, definition
):
    measure(make_pilot(alice, org_a), definition, 20, 14)
    services.update_kpi_definition(alice, definition, visibility=Visibility.SHARED)
    services.update_kpi_definition(alice, definition, visibility=Visibility.INTERNAL)
    services.update_kpi_definition(alice, definition, visibility=Visibility.PUBLIC)
    measure(make_pilot(berit, org_b, "Bergvik invoices"), definition, 18, 15)
    with pytest.raises(ValidationError) as error:
        services.update_kpi_definition(alice, definition, visibility=Visibility.INTERNAL)
    assert "visibility" in error.value.message_dict


# Reference values ---------------------------------------------------------------------------------


def reference_fields(**overrides) -> dict:
    fields = {
        "label": "National average (Norway)",
        "value": D("11.5"),
        "measured_on": date(2024, 12, 31),
        "source": "DFØ benchmark of accounts payable 2024",
        "source_url": "https://dfo.no/rapporter/fakturabehandling-2024",
    }
    fields.update(overrides)
    return fields


def test_it_adds_a_reference_value_with_its_source(alice, org_a, definition):
    reference = services.add_reference_value(alice, definition, org_a, **reference_fields())
    assert reference.added_by_organisation == org_a and reference.created_by == alice
    assert reference.source_url.startswith("https://")
    assert reference.history.first().history_user == alice


def test_it_requires_value_label_date_and_source(alice, org_a, definition):
    with pytest.raises(ValidationError) as error:
        services.add_reference_value(
            alice, definition, org_a, label="", value=None, measured_on=None, source=" "
        )
    assert set(error.value.message_dict) == {"label", "value", "measured_on", "source"}
    assert not ReferenceValue.objects.exists()


@pytest.mark.parametrize(
    "url", ["ftp://dfo.no/report.pdf", "javascript:alert(1)", "dfo.no/report", "https://"]
)
def test_it_takes_only_web_addresses_as_source_links(alice, org_a, definition, url):
    with pytest.raises(ValidationError) as error:
        services.add_reference_value(alice, definition, org_a, **reference_fields(source_url=url))
    assert "source_url" in error.value.message_dict


def test_it_refuses_numbers_a_kpi_value_cannot_hold(alice, org_a, definition):
    for value in (D("1.23456"), D("1e20"), D("NaN")):
        with pytest.raises(ValidationError) as error:
            services.add_reference_value(alice, definition, org_a, **reference_fields(value=value))
        assert "value" in error.value.message_dict


def test_it_lets_innovation_leads_of_public_organisations_add_reference_values(
    bob, charlie, dave, berit, org_a, org_b, org_c, definition
):
    services.add_reference_value(berit, definition, org_b, **reference_fields())
    lead_c = make_user("conrad")
    add_member(lead_c, org_c, Role.Code.INNOVATION_LEAD)
    for person, organisation in ((bob, org_a), (charlie, org_b), (dave, org_c), (lead_c, org_c)):
        with pytest.raises(PermissionDenied):
            services.add_reference_value(person, definition, organisation, **reference_fields())


def test_it_adds_in_the_name_of_an_organisation_the_person_leads(berit, org_a, definition):
    with pytest.raises(ValidationError) as error:
        services.add_reference_value(berit, definition, org_a, **reference_fields())
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.add_reference_value(berit, definition, None, **reference_fields())


def test_it_refuses_a_reference_value_on_a_definition_the_person_does_not_see(
    alice, berit, org_a, org_b
):
    internal = services.create_kpi_definition(
        alice, org_a, name="Cost per payslip", unit="EUR", direction="lower"
    )
    with pytest.raises(PermissionDenied):
        services.add_reference_value(berit, internal, org_b, **reference_fields())


def test_it_lets_only_the_adding_organisations_leads_change_or_delete_it(
    alice, bob, berit, org_a, org_b, definition
):
    reference = services.add_reference_value(berit, definition, org_b, **reference_fields())
    for person in (alice, bob):
        assert not services.can_change_reference_value(person, reference)
        with pytest.raises(PermissionDenied):
            services.update_reference_value(person, reference, value=D(1))
        with pytest.raises(PermissionDenied):
            services.delete_reference_value(person, reference)
    services.update_reference_value(berit, reference, value=D("10.25"), source_url="")
    reference.refresh_from_db()
    assert (reference.value, reference.source_url) == (D("10.25"), "")
    with pytest.raises(ValidationError):
        services.update_reference_value(berit, reference, source="")
    services.delete_reference_value(berit, reference)
    assert not ReferenceValue.objects.exists()


# The benchmark ------------------------------------------------------------------------------------


def test_it_compares_the_latest_values_best_first(alice, berit, org_a, org_b, definition):
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 16, 14)
    measure(make_pilot(berit, org_b, "Bergvik robot"), definition, 18, 12)
    measure(make_pilot(berit, org_b, "Bergvik manual"), definition, 25)  # no value yet
    result = services.benchmark(alice, definition)
    assert titles_of(result.rows) == ["Bergvik robot", "Arby robot", "Bergvik manual"]
    arby = rows_by_title(result)["Arby robot"]
    assert (arby.baseline, arby.latest, arby.position) == (D(20), D(14), 2)
    assert arby.latest_on == BASELINE_ON + timedelta(days=60)
    assert arby.gain == D("0.3")
    assert (arby.place.organisation, arby.place.top, arby.place.country) == (
        "Arby Kommune",
        "Arby Kommune",
        "DK",
    )
    manual = rows_by_title(result)["Bergvik manual"]
    assert (manual.latest, manual.gain, manual.position) == (None, None, None)


def test_it_marks_the_viewers_own_rows_and_those_of_their_municipality(
    alice, berit, org_a, org_a_department, org_b, definition
):
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    measure(make_pilot(alice, org_a_department, "Social robot"), definition, 30, 21)
    measure(make_pilot(berit, org_b, "Bergvik robot"), definition, 18, 12)
    scopes = {t: r.scope for t, r in rows_by_title(services.benchmark(alice, definition)).items()}
    assert scopes == {"Arby robot": "own", "Social robot": "own", "Bergvik robot": "outside"}

    # A person of the department alone: the rest of Arby is their municipality.
    dora = make_user("dora")
    add_member(dora, org_a_department)
    result = services.benchmark(dora, definition)
    rows = rows_by_title(result)
    assert {t: r.scope for t, r in rows.items()} == {
        "Arby robot": "municipality",
        "Social robot": "own",
        "Bergvik robot": "outside",
    }
    assert rows["Social robot"].place.top == "Arby Kommune"
    assert (result.summary.own_count, result.summary.own_position) == (1, 3)


def test_it_shows_other_organisations_pilots_only_when_visible(
    alice, berit, charlie, dave, org_a, org_b, definition
):
    measure(make_pilot(alice, org_a, "Arby public"), definition, 20, 14)
    measure(
        make_pilot(alice, org_a, "Arby internal", visibility=Visibility.INTERNAL),
        definition,
        20,
        10,
    )
    measure(
        make_pilot(berit, org_b, "Bergvik shared", visibility=Visibility.SHARED),
        definition,
        18,
        12,
    )

    def titles(user) -> set[str]:
        return {row.pilot_title for row in services.benchmark(user, definition).rows}

    assert titles(alice) == {"Arby public", "Arby internal", "Bergvik shared"}
    assert titles(charlie) == {"Arby public", "Bergvik shared"}
    assert titles(dave) == {"Arby public"}  # a company does not see shared pilots

    anonymous = services.benchmark(AnonymousUser(), definition)
    assert [row.scope for row in anonymous.rows] == ["outside"]
    assert anonymous.summary.own_position is None


def test_it_leaves_out_and_counts_kpis_in_another_unit(alice, berit, org_a, org_b, definition):
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 14)
    measure(make_pilot(alice, org_a, "Arby in capitals"), definition, 22, 15, unit=" MINUTES ")
    measure(make_pilot(berit, org_b, "Bergvik seconds"), definition, 1200, 840, unit="seconds")
    result = services.benchmark(alice, definition)
    assert {row.pilot_title for row in result.rows} == {"Arby robot", "Arby in capitals"}
    assert result.summary.other_unit_count == 1


def test_it_summarises_count_median_best_and_the_viewers_position(
    alice, berit, org_a, org_b, definition
):
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 13)
    measure(make_pilot(berit, org_b, "B1"), definition, 18, 9)
    measure(make_pilot(berit, org_b, "B2"), definition, 18, 11)
    measure(make_pilot(berit, org_b, "B3"), definition, 18, 17)
    measure(make_pilot(berit, org_b, "B4"), definition, 18)
    summary = services.benchmark(alice, definition).summary
    assert (summary.count, summary.measured, summary.organisations) == (5, 4, 2)
    assert summary.median == D(12)  # (11 + 13) / 2
    assert summary.best == D(9)
    assert (summary.own_count, summary.own_position) == (1, 3)
    assert summary.other_unit_count == 0


def test_it_ranks_the_highest_first_when_higher_is_better(alice, berit, org_a, org_b):
    share = services.create_kpi_definition(
        alice,
        org_a,
        name="Share of invoices coded automatically",
        unit="%",
        direction="higher",
        visibility=Visibility.PUBLIC,
    )
    measure(make_pilot(alice, org_a, "Arby robot"), share, 10, 60)
    measure(make_pilot(berit, org_b, "Bergvik robot"), share, 0, 80)
    result = services.benchmark(alice, share)
    assert titles_of(result.rows) == ["Bergvik robot", "Arby robot"]
    assert result.summary.best == D(80)
    assert rows_by_title(result)["Arby robot"].gain == D(5)
    assert rows_by_title(result)["Bergvik robot"].gain is None  # a zero baseline


def test_it_lists_the_reference_values_with_the_benchmark(alice, org_a, definition):
    services.add_reference_value(alice, definition, org_a, **reference_fields(label="Sweden"))
    services.add_reference_value(alice, definition, org_a, **reference_fields(label="Norway"))
    result = services.benchmark(alice, definition)
    assert [reference.label for reference in result.reference_values] == ["Norway", "Sweden"]


def test_it_finds_the_top_of_a_deep_organisation_tree(alice, berit, org_a, definition):
    parent = org_a
    for depth in range(6):
        parent = Organisation.objects.create(
            name=f"Unit {depth}",
            slug=f"unit-{depth}",
            kind="department",
            country="DK",
            currency="DKK",
            parent=parent,
        )
    lead = make_user("ulla")
    add_member(lead, parent, Role.Code.INNOVATION_LEAD)
    measure(make_pilot(lead, parent, "Deep robot"), definition, 20, 14)
    row = services.benchmark(berit, definition).rows[0]
    assert (row.place.organisation, row.place.top) == ("Unit 5", "Arby Kommune")


def test_it_computes_the_benchmark_in_a_constant_number_of_queries(
    alice, berit, org_a, org_b, org_a_department, definition
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            result = services.benchmark(alice, definition)
            assert result.rows[:25]  # a page of rows with their details
        return len(queries)

    measure(make_pilot(alice, org_a, "Arby 0"), definition, 20, 14)
    few = count()
    for n in range(12):
        owner, actor = [(org_a, alice), (org_b, berit), (org_a_department, alice)][n % 3]
        measure(make_pilot(actor, owner, f"Pilot {n}"), definition, 20, 18, 15, 12)
    services.add_reference_value(alice, definition, org_a, **reference_fields())
    assert count() == few


def test_it_has_no_rows_for_a_definition_nobody_measures(alice, definition):
    result = services.benchmark(alice, definition)
    assert list(result.rows) == [] and result.summary.median is None
    assert isinstance(result.definition, KpiDefinition)


def test_it_puts_the_viewers_rows_first_among_equal_values_and_pages_them(
    alice, berit, org_a, org_b, definition
):
    for n in range(3):
        measure(make_pilot(berit, org_b, f"Bergvik {n}"), definition, 18, 12)
    measure(make_pilot(alice, org_a, "Arby robot"), definition, 20, 12)
    measure(make_pilot(berit, org_b, "Bergvik best"), definition, 18, 9)
    result = services.benchmark(alice, definition)
    rows = result.rows
    assert len(rows) == rows.count() == 5
    assert [(row.pilot_title, row.position) for row in rows[:2]] == [
        ("Bergvik best", 1),
        ("Arby robot", 2),
    ]
    assert [row.position for row in rows[2:]] == [2, 2, 2]
    assert result.own_page(1) == 2 and result.own_page(25) == 1
    outside = result.rows_in("outside")
    assert len(outside) == 4 and outside[0].pilot_title == "Bergvik best"
    assert result.rows_in("municipality")[:] == []
