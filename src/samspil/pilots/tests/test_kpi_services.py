"""KPIs and measurements: who may write them and which input is refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samspil.core.models import Visibility
from samspil.pilots import kpi_services as services
from samspil.pilots.models import Kpi, KpiDefinition, Measurement

TODAY = timezone.localdate()
BASELINE_ON = TODAY - timedelta(days=90)


def make_kpi(actor, pilot, **overrides) -> Kpi:
    values = {
        "name": "Minutes per invoice",
        "unit": "minutes per invoice",
        "direction": "lower",
        "baseline_value": Decimal("20"),
        "baseline_on": BASELINE_ON,
        "target_value": Decimal("14"),
        "target_on": TODAY + timedelta(days=90),
    }
    values.update(overrides)
    return services.add_kpi(actor, pilot, **values)


def make_definition(owner, **overrides) -> KpiDefinition:
    values = {
        "name": "Invoice handling time",
        "unit": "minutes per invoice",
        "direction": "lower",
        "visibility": Visibility.PUBLIC,
    }
    values.update(overrides)
    return KpiDefinition.objects.create(owner=owner, **values)


def fields_of(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)  # type: ignore[attr-defined]


@pytest.fixture
def kpi(alice, pilot):
    return make_kpi(alice, pilot)


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# KPIs -------------------------------------------------------------------------------------------


def test_it_adds_kpis_in_order_with_history(alice, pilot):
    first = make_kpi(alice, pilot)
    second = make_kpi(alice, pilot, name="Errors per 100 invoices", unit="errors")
    assert (first.position, second.position) == (0, 1)
    assert first.history.get().history_user == alice
    assert list(pilot.kpis.values_list("name", flat=True)) == [
        "Minutes per invoice",
        "Errors per 100 invoices",
    ]


def test_it_lets_the_pilot_team_add_kpis(bob, pilot):
    pilot.team.add(bob)
    assert make_kpi(bob, pilot).pilot == pilot


def test_it_refuses_kpis_from_those_who_may_not_edit_the_pilot(bob, charlie, dave, pilot):
    for user in (bob, charlie, dave, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            make_kpi(user, pilot)
    assert not Kpi.objects.exists()


def test_it_refuses_a_kpi_without_name_unit_or_direction(alice, pilot):
    with pytest.raises(ValidationError) as error:
        make_kpi(alice, pilot, name="  ", unit="", direction="sideways")
    assert fields_of(error) == {"name", "unit", "direction"}


def test_it_refuses_a_target_date_before_the_baseline_and_too_many_decimals(alice, pilot):
    with pytest.raises(ValidationError) as error:
        make_kpi(
            alice,
            pilot,
            target_on=BASELINE_ON - timedelta(days=1),
            baseline_value=Decimal("1.23456"),
        )
    assert fields_of(error) == {"target_on", "baseline_value"}


@pytest.mark.parametrize(
    ("direction", "target", "message"),
    [
        ("lower", "30", "When lower is better, the target must not be above the baseline."),
        ("higher", "14", "When higher is better, the target must not be below the baseline."),
        ("lower", "20", "The target must differ from the baseline."),
    ],
)
def test_it_refuses_a_target_that_is_no_improvement(alice, pilot, direction, target, message):
    with pytest.raises(ValidationError) as error:
        make_kpi(alice, pilot, direction=direction, target_value=Decimal(target))
    assert error.value.message_dict == {"target_value": [message]}
    kpi = make_kpi(alice, pilot, target_value=None, target_on=None)
    with pytest.raises(ValidationError) as error:
        services.update_kpi(alice, kpi, target_value=Decimal("20"))
    assert fields_of(error) == {"target_value"}


def test_it_copies_name_unit_and_direction_from_the_catalogue(alice, charlie, org_b, pilot):
    definition = make_definition(org_b, direction="higher", unit="cases per week")
    kpi = services.add_kpi(
        alice,
        pilot,
        definition=definition,
        baseline_value=Decimal("40"),
        baseline_on=BASELINE_ON,
    )
    assert (kpi.name, kpi.unit, kpi.direction) == (
        "Invoice handling time",
        "cases per week",
        "higher",
    )
    assert kpi.definition == definition


def test_it_locks_a_catalogue_kpi_to_the_definitions_unit_and_direction(alice, org_a, pilot):
    definition = make_definition(org_a)
    with pytest.raises(ValidationError) as error:
        make_kpi(alice, pilot, definition=definition, unit="hours", direction="higher")
    assert fields_of(error) == {"unit", "direction"}
    # the same unit written differently is the same unit
    kpi = make_kpi(alice, pilot, definition=definition, unit="Minutes  per Invoice", name="")
    assert kpi.unit == "minutes per invoice" and kpi.name == "Invoice handling time"
    with pytest.raises(ValidationError) as error:
        services.update_kpi(alice, kpi, unit="seconds")
    assert fields_of(error) == {"unit"}


def test_it_refuses_a_definition_the_person_may_not_see(alice, org_b, pilot):
    hidden = make_definition(org_b, visibility=Visibility.INTERNAL)
    with pytest.raises(ValidationError) as error:
        make_kpi(alice, pilot, definition=hidden)
    assert fields_of(error) == {"definition"}


def test_it_changes_unit_and_direction_only_before_the_first_measurement(alice, kpi):
    kpi = services.update_kpi(alice, kpi, unit="seconds per invoice", direction="lower")
    assert kpi.unit == "seconds per invoice"
    services.add_measurement(alice, kpi, days_ago(1), Decimal("900"))
    for change in ({"unit": "minutes per invoice"}, {"direction": "higher"}):
        with pytest.raises(ValidationError) as error:
            services.update_kpi(alice, Kpi.objects.get(pk=kpi.pk), **change)
        assert fields_of(error) == set(change)
    kpi = services.update_kpi(alice, Kpi.objects.get(pk=kpi.pk), name="Seconds per invoice")
    assert Kpi.objects.get().name == "Seconds per invoice"
    assert Kpi.objects.get().unit == "seconds per invoice"


def test_it_refuses_a_definition_with_another_unit_once_measured(alice, org_a, kpi):
    services.add_measurement(alice, kpi, days_ago(1), Decimal("18"))
    other = make_definition(org_a, unit="hours per invoice")
    with pytest.raises(ValidationError) as error:
        services.update_kpi(alice, kpi, definition=other)
    assert fields_of(error) == {"definition"}
    same = make_definition(org_a, name="Invoice minutes")
    assert services.update_kpi(alice, kpi, definition=same).definition == same


def test_it_deletes_a_kpi_with_its_measurements(alice, bob, kpi):
    services.add_measurement(alice, kpi, days_ago(2), Decimal("18"))
    with pytest.raises(PermissionDenied):
        services.delete_kpi(bob, kpi)
    services.delete_kpi(alice, kpi)
    assert not Kpi.objects.exists() and not Measurement.objects.exists()


# Measurements -----------------------------------------------------------------------------------


def test_it_adds_a_measurement_in_the_kpis_unit(alice, kpi):
    measurement = services.add_measurement(
        alice, kpi, days_ago(3), Decimal("15.5"), unit=" Minutes per  invoice", note=" March "
    )
    assert measurement.value == Decimal("15.5") and measurement.note == "March"
    assert measurement.recorded_by == alice


def test_it_refuses_a_measurement_in_another_unit(alice, kpi):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.add_measurement(alice, kpi, days_ago(3), Decimal("0.25"), unit="hours")
    assert fields_of(error) == {"unit"}
    assert "hours" in str(error.value) and "minutes per invoice" in str(error.value)
    assert not Measurement.objects.exists()


def test_it_refuses_dates_before_the_baseline_and_in_the_future(alice, kpi):
    for day in (BASELINE_ON - timedelta(days=1), TODAY + timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.add_measurement(alice, kpi, day, Decimal("15"))
        assert fields_of(error) == {"measured_on"}
        assert day.isoformat() in str(error.value)
    assert services.add_measurement(alice, kpi, BASELINE_ON, Decimal("20")).pk
    assert services.add_measurement(alice, kpi, TODAY, Decimal("14")).pk


def test_it_names_the_existing_value_of_the_same_day_or_replaces_it(alice, kpi):
    services.add_measurement(alice, kpi, days_ago(5), Decimal("12.5000"))
    with pytest.raises(ValidationError) as error:
        services.add_measurement(alice, kpi, days_ago(5), Decimal("11"))
    assert fields_of(error) == {"measured_on"} and "12.5" in str(error.value)
    services.add_measurement(alice, kpi, days_ago(5), Decimal("11"), note="recount", replace=True)
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("11") and measurement.note == "recount"


def test_it_refuses_values_the_column_cannot_hold(alice, kpi):
    for value in (Decimal("1.00001"), Decimal("1e15"), Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValidationError) as error:
            services.add_measurement(alice, kpi, days_ago(1), value)
        assert fields_of(error) == {"value"}
    with pytest.raises(ValidationError) as error:
        services.add_measurement(alice, kpi, days_ago(1), Decimal("1"), note="x" * 301)
    assert fields_of(error) == {"note"}


def test_it_refuses_measurements_from_those_who_may_not_edit(bob, charlie, dave, kpi):
    for user in (bob, charlie, dave, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.add_measurement(user, kpi, days_ago(1), Decimal("10"))
    assert not Measurement.objects.exists()


def test_it_edits_a_measurement_but_not_onto_another_day_with_a_value(alice, bob, kpi):
    first = services.add_measurement(alice, kpi, days_ago(10), Decimal("18"))
    services.add_measurement(alice, kpi, days_ago(5), Decimal("16"))
    with pytest.raises(ValidationError) as error:
        services.update_measurement(alice, first, measured_on=days_ago(5), value=Decimal("17"))
    assert fields_of(error) == {"measured_on"} and "16" in str(error.value)
    services.update_measurement(
        alice, Measurement.objects.get(pk=first.pk), measured_on=days_ago(9), value=Decimal("17")
    )
    first.refresh_from_db()
    assert (first.measured_on, first.value) == (days_ago(9), Decimal("17"))
    with pytest.raises(PermissionDenied):
        services.update_measurement(bob, first, measured_on=days_ago(9), value=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.delete_measurement(bob, first)
    services.delete_measurement(alice, first)
    assert Measurement.objects.count() == 1


def test_it_writes_numbers_plainly_in_messages():
    assert services.plain(Decimal("12.5000")) == "12.5"
    assert services.plain(Decimal("1E+2")) == "100"
    assert services.plain(Decimal("-0.000")) == "0"
    assert services.normalise_unit("  Minutes   per Invoice ") == "minutes per invoice"


# The latest measurement kept on the KPI ---------------------------------------------------------


def latest_of(kpi: Kpi) -> tuple[Decimal | None, date | None]:
    kpi.refresh_from_db()
    return kpi.latest_value, kpi.latest_on


def test_it_keeps_the_latest_measurement_on_the_kpi_through_every_write(alice, kpi):
    assert latest_of(kpi) == (None, None)
    older = services.add_measurement(alice, kpi, days_ago(60), Decimal("19"))
    newer = services.add_measurement(alice, kpi, days_ago(30), Decimal("17"))
    services.add_measurement(alice, kpi, days_ago(45), Decimal("18"))  # between: not the latest
    assert latest_of(kpi) == (Decimal("17"), days_ago(30))
    services.update_measurement(alice, older, measured_on=days_ago(10), value=Decimal("15"))
    assert latest_of(kpi) == (Decimal("15"), days_ago(10))
    services.delete_measurement(alice, older)
    assert latest_of(kpi) == (Decimal("17"), days_ago(30))
    services.add_measurement(alice, kpi, days_ago(30), Decimal("16"), replace=True)
    assert latest_of(kpi) == (Decimal("16"), days_ago(30))
    services.delete_measurement(alice, newer)
    services.delete_measurement(alice, Measurement.objects.get(kpi=kpi))
    assert latest_of(kpi) == (None, None)


def test_an_import_sets_the_latest_measurement_once_for_all_its_rows(alice, kpi):
    rows = "\n".join(
        f"{days_ago(days).isoformat()},{value}" for days, value in ((50, 19), (5, 14), (20, 16))
    )
    services.import_measurements(alice, kpi, "values.csv", f"date,value\n{rows}\n".encode())
    assert latest_of(kpi) == (Decimal("14"), days_ago(5))


def test_refreshing_sets_each_kpi_from_its_own_measurements(alice, pilot):
    first, second = make_kpi(alice, pilot), make_kpi(alice, pilot, name="Errors per invoice")
    Measurement.objects.bulk_create(  # no signal: as the scale and demo loaders write
        [
            Measurement(kpi=first, measured_on=days_ago(9), value=Decimal("12")),
            Measurement(kpi=second, measured_on=days_ago(3), value=Decimal("2")),
        ]
    )
    assert latest_of(first) == (None, None)
    services.refresh_latest([first.pk, second.pk])
    assert latest_of(first) == (Decimal("12"), days_ago(9))
    assert latest_of(second) == (Decimal("2"), days_ago(3))
