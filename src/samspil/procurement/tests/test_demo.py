"""The procurement demo: the biological light partnership with its options under DKK 160 m,
Oslo's joint purchase of medicine support and Behovsfabrikken's partnership, loaded
idempotently."""

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import DAYLIGHT, load_pilots_demo
from samspil.procurement import demand, ocds, ocds_queries, ocds_validation
from samspil.procurement.demo import (
    BEHOVSFABRIKKEN,
    BIOLOGICAL_LIGHT,
    MEDICINE_SUPPORT,
    PROCUREMENTS,
    ProcurementLoadCounts,
    load_procurement_demo,
)
from samspil.procurement.models import BuyerRole, PhaseDecision, Procurement, Stage
from samspil.procurement.services import ocid_for

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with demo_loaded(
        django_db_blocker, load_demo, load_needs_demo, load_pilots_demo, load_procurement_demo
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data) -> ProcurementLoadCounts:
    return demo_data


def procurement(data) -> Procurement:
    return Procurement.objects.get(owner__slug=data.owner, title=data.title)


def row_counts() -> dict[str, int]:
    """Every table of the procurement app, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("procurement").get_models()
    }


def test_it_changes_nothing_when_run_again(loaded):
    assert loaded.procurements == len(PROCUREMENTS)
    assert loaded.created > 20
    before = row_counts()
    stamps = list(Procurement.objects.order_by("pk").values_list("pk", "updated_at", "ocid"))

    again = load_procurement_demo()

    assert again.created == 0
    assert row_counts() == before
    assert list(Procurement.objects.order_by("pk").values_list("pk", "updated_at", "ocid")) == (
        stamps
    )
    assert (again.steps, again.phases, again.buyers) == (
        loaded.steps,
        loaded.phases,
        loaded.buyers,
    )


def test_it_gives_every_procurement_its_ocid(loaded):
    for data in PROCUREMENTS:
        row = procurement(data)
        assert row.ocid == ocid_for(row)


def test_it_keeps_the_light_partnerships_options_within_the_ceiling(loaded):
    light = procurement(BIOLOGICAL_LIGHT)

    assert light.ceiling == Decimal("160000000") and light.currency == "DKK"
    buyers = list(light.buyers.select_related("organisation"))
    options = [b for b in buyers if b.role == BuyerRole.OPTION_HOLDER]
    assert 0 < sum(b.maximum_value for b in options) <= light.ceiling
    parts = [
        demand.BuyerDemand(b.role, b.estimated_value, b.maximum_value, b.option_exercised)
        for b in buyers
    ]
    assert demand.check_ceiling(parts, light.ceiling) is None
    roles = {b.organisation.slug: b.role for b in buyers}
    assert roles["aarhus"] == BuyerRole.LEAD and roles["kobenhavn"] == BuyerRole.PARTICIPANT
    holders = sorted(slug for slug, role in roles.items() if role == BuyerRole.OPTION_HOLDER)
    assert holders == ["aalborg", "esbjerg", "frederiksberg", "holbaek", "middelfart"]
    confirmed = light.buyers.filter(organisation__slug__in=["aarhus", "kobenhavn"])
    assert all(b.confirmed_by and b.confirmed_at for b in confirmed)
    exercised = [b for b in buyers if b.option_exercised]
    assert [b.organisation.slug for b in exercised] == ["middelfart"]
    assert all(b.role == BuyerRole.OPTION_HOLDER for b in exercised)
    deadline = light.option_deadline
    assert deadline is not None
    assert all(b.exercised_on is not None and b.exercised_on <= deadline for b in exercised)


def test_it_does_the_steps_in_the_routes_order(loaded):
    for data in PROCUREMENTS:
        row = procurement(data)
        done = list(row.steps_done.order_by("step__position").select_related("step"))
        positions = [s.step.position for s in done]
        assert positions == list(range(1, len(data.steps) + 1))
        assert all(s.step.route_id == row.route_id for s in done)
        dates = [s.done_on for s in done]
        assert dates == sorted(dates)


def test_it_loads_the_light_partnership_with_its_phases_and_links(loaded):
    light = procurement(BIOLOGICAL_LIGHT)
    route = light.route

    assert route is not None and route.code == "innovation-partnership"
    # No supplier company in the core demo: no award, so the stage stays at tender and the
    # purchase (the route's last step) is not done.
    assert light.stage == Stage.TENDER and not light.awards.exists()
    assert light.steps_done.count() == route.steps.count() - 1
    decisions = list(light.phases.order_by("position").values_list("decision", flat=True))
    assert decisions == [PhaseDecision.GO, PhaseDecision.GO, ""]
    assert light.pilot is not None and light.pilot.title == DAYLIGHT.title
    assert light.challenge is not None and light.challenge.owner.slug == "aarhus"


def test_it_loads_the_norwegian_joint_purchase_and_behovsfabrikken(loaded):
    medicine = procurement(MEDICINE_SUPPORT)
    assert medicine.route is not None and medicine.route.code == "negotiation"
    assert medicine.currency == "NOK"
    assert set(medicine.buyers.values_list("organisation__slug", flat=True)) == {
        "oslo",
        "oslo-alna",
        "oslo-stovner",
    }

    hospital = procurement(BEHOVSFABRIKKEN)
    entity = hospital.procuring_entity
    assert entity is not None and entity.slug == "region-hovedstaden"
    assert hospital.stage == Stage.TENDER
    assert not hospital.phases.exclude(decision="").exists()


def test_it_writes_only_valid_rows(loaded):
    for model in apps.get_app_config("procurement").get_models():
        if model._meta.label.split(".")[1].startswith("Historical"):
            continue
        # Who recorded a row is not a form field: it may be empty though it is not "blank".
        recorders = [f.name for f in model._meta.fields if f.null and not f.blank]
        for row in model._default_manager.all():
            row.full_clean(exclude=recorders, validate_unique=False, validate_constraints=False)


def test_it_reports_the_rows_and_creates_nothing_the_second_time(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the events demo, loaded by the command, stores files
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    line = next(
        line for line in out.getvalue().splitlines() if line.startswith("Demo procurements:")
    )
    assert f"{len(PROCUREMENTS)} procurements" in line and "(0 rows created)" in line


def test_it_exports_valid_ocds_packages(loaded):
    public = ocds_queries.procurement_data(ocds_queries.public_procurements(AnonymousUser()))
    assert {p.title for p in public} == {BIOLOGICAL_LIGHT.title, MEDICINE_SUPPORT.title}
    publisher = ocds_queries.publisher()

    package = ocds.release_package(public, publisher, "https://example.org/ocds", timezone.now())
    assert ocds_validation.release_package_errors(package) == []
    for data in public:
        record = ocds.record_package(data, publisher, f"https://example.org/{data.ocid}")
        assert ocds_validation.record_package_errors(record) == []
        # The releases follow the demo's own timeline, not the day of loading.
        assert data.last_changed.year < timezone.now().year


def test_it_shows_the_demo_procurements_to_whom_they_are_visible(loaded, client):
    for data in PROCUREMENTS:
        expected = 200 if data.visibility == "public" else 404
        assert client.get(procurement(data).get_absolute_url()).status_code == expected

    client.force_login(User.objects.get(username="oslo"))  # public sector: shared ones too
    for data in PROCUREMENTS:
        assert client.get(procurement(data).get_absolute_url()).status_code == 200
