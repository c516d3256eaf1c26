"""The scaling demo: CO-PI's two processes with exactly the participants of seed 003 and the
Norwegian medicine support growing from 8 to 29 municipalities, loaded idempotently."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from samspil.conftest import demo_loaded
from samspil.core.demo import load_demo
from samspil.core.models import User
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import load_pilots_demo
from samspil.procurement import scaling_queries
from samspil.procurement.demo import load_procurement_demo
from samspil.procurement.models import SCALING_STEP_ORDER, ScalingProcess, ScalingRole
from samspil.procurement.scaling_demo import (
    EMISSION_FREE,
    MEDICINE_SUPPORT,
    PROCESSES,
    RAW_MATERIALS,
    load_scaling_demo,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with demo_loaded(
        django_db_blocker,
        load_demo,
        load_needs_demo,
        load_pilots_demo,
        load_procurement_demo,
        load_scaling_demo,
    ) as counts:
        yield counts


@pytest.fixture
def loaded(db, demo_data):
    return demo_data


def process(data) -> ScalingProcess:
    return ScalingProcess.objects.get(owner__slug=data.owner, title=data.title)


def participants(data) -> set[str]:
    return set(process(data).participants.values_list("organisation__slug", flat=True))


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("procurement").get_models()
    }


def test_it_changes_nothing_when_run_again(loaded):
    assert loaded.processes == len(PROCESSES) and loaded.created > 20
    before = row_counts()
    stamps = list(ScalingProcess.objects.order_by("pk").values_list("pk", "updated_at"))
    again = load_scaling_demo()
    assert again.created == 0
    assert row_counts() == before
    assert list(ScalingProcess.objects.order_by("pk").values_list("pk", "updated_at")) == stamps


def test_copis_processes_have_exactly_the_seeds_participants(loaded):
    assert participants(EMISSION_FREE) == {
        "kobenhavn",
        "frederiksberg",
        "metroselskabet",
        "vejdirektoratet",
        "aalborg",
        "esbjerg",
        "middelfart",
        "aarhus-havn",
        "gate-21",
        "we-build-denmark",
    }
    assert participants(RAW_MATERIALS) == {
        "region-sjaelland",
        "vejdirektoratet",
        "hofor",
        "banedanmark",
        "holbaek",
        "klar-forsyning",
        "metroselskabet",
        "gate-21",
        "we-build-denmark",
    }
    for data in (EMISSION_FREE, RAW_MATERIALS):
        row = process(data)
        assert row.owner.slug == "co-pi"
        assert row.challenge is not None and row.meets_criteria
        # The challenge's owner and accepted co-owners are need owners.
        need_owners = set(
            row.participants.filter(role=ScalingRole.NEED_OWNER).values_list(
                "organisation__slug", flat=True
            )
        )
        assert row.challenge.owner.slug in need_owners


def test_the_steps_are_done_in_copis_order(loaded):
    for data in PROCESSES:
        done = list(process(data).steps_done.order_by("done_on"))
        assert [s.step for s in done] == SCALING_STEP_ORDER[: len(done)]
    assert process(MEDICINE_SUPPORT).steps_done.count() == len(SCALING_STEP_ORDER)


def test_the_medicine_support_grows_from_8_to_29(loaded):
    row = process(MEDICINE_SUPPORT)
    assert scaling_queries.adoption(row).growth_text == "8 → 29"
    assert row.procurement is not None and row.procurement.currency == "NOK"
    letters = scaling_queries.commitments(row)
    assert {c.organisation.slug for c in letters} == {"oslo-alna", "oslo-stovner"}
    assert all(
        c.organisation_id in set(row.participants.values_list("organisation_id", flat=True))
        for c in letters
    )


def test_it_writes_only_valid_rows(loaded):
    for model in apps.get_app_config("procurement").get_models():
        name = model._meta.model_name
        if name.startswith("historical") or not name.startswith(
            ("scaling", "commitment", "adoption")
        ):
            continue
        recorders = [f.name for f in model._meta.fields if f.null and not f.blank]
        for row in model._default_manager.all():
            row.full_clean(exclude=recorders, validate_unique=False, validate_constraints=False)


def test_the_demo_pages_show(loaded, client):
    for data in PROCESSES:
        assert client.get(process(data).get_absolute_url()).status_code == 200
    client.force_login(User.objects.get(username="demo"))
    assert client.get(process(MEDICINE_SUPPORT).get_absolute_url()).status_code == 200


def test_the_command_reports_the_rows(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    line = next(
        line for line in out.getvalue().splitlines() if line.startswith("Demo scaling processes:")
    )
    assert f"{len(PROCESSES)} processes" in line and "(0 rows created)" in line
