"""Adoption: Bergvik (organisation B) publishes a result; alice, innovation lead of Arby
(organisation A), adopts it and reports how it went. Refused with a reason: the same
organisation twice, the publisher itself, an unpublished result, no right in the organisation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samspil.core.models import Visibility
from samspil.pilots import services as pilot_services
from samspil.results import adoption_services as services
from samspil.results.adoption_services import AlreadyAdopted, Start
from samspil.results.models import Adoption, AdoptionOutcome, ResultStatus

from .factories import insert_result


def make_pilot(actor, owner, visibility=Visibility.PUBLIC, **fields):
    today = timezone.localdate()
    values = {
        "title": "Invoice robot",
        "hypothesis": "A robot codes most invoices without help.",
        "description": "Coding rules taken from two years of invoices.",
        "kind": "sandbox",
        "starts_on": today - timedelta(days=200),
        "planned_end_on": today - timedelta(days=20),
        "visibility": visibility,
    }
    values.update(fields)
    return pilot_services.create_pilot(actor, owner, **values)


@pytest.fixture
def adoption(alice, org_a, result) -> Adoption:
    return services.adopt_result(alice, result, org_a, note="We try it in payroll.")


def test_it_records_an_adoption_without_starting_anything(alice, org_a, result):
    adoption = services.adopt_result(alice, result, org_a, start=Start.NONE, note="  Soon. ")
    assert adoption.organisation == org_a and adoption.result == result
    assert adoption.adopted_on == timezone.localdate()
    assert adoption.outcome == AdoptionOutcome.STARTED
    assert adoption.note == "Soon."
    assert adoption.adopted_by == alice
    assert adoption.pilot is None and adoption.procurement is None
    assert adoption.history.count() == 1


def test_it_starts_a_new_internal_pilot_that_links_back(alice, org_a, result):
    adoption = services.adopt_result(alice, result, org_a, start=Start.PILOT)
    pilot = adoption.pilot
    assert pilot.owner == org_a and pilot.visibility == Visibility.INTERNAL
    assert pilot.title == result.title and pilot.hypothesis == result.summary
    assert f"/results/{result.pk}/" in pilot.description
    assert pilot.adopted_from is None
    assert (pilot.planned_end_on - pilot.starts_on).days == services.PILOT_DAYS


def test_it_copies_the_results_pilot_when_alice_sees_it(alice, olav, org_a, org_b):
    source = make_pilot(olav, org_b, visibility=Visibility.PUBLIC)
    result = insert_result(org_b, pilot=source)
    pilot = services.adopt_result(alice, result, org_a, start=Start.PILOT).pilot
    assert pilot.adopted_from == source and pilot.owner == org_a
    assert pilot.description.startswith("Adopted from the published result")
    assert source.description in pilot.description


def test_it_starts_a_fresh_pilot_when_the_results_pilot_is_internal(alice, olav, org_a, org_b):
    source = make_pilot(olav, org_b, visibility=Visibility.INTERNAL)
    result = insert_result(org_b, pilot=source)
    pilot = services.adopt_result(alice, result, org_a, start=Start.PILOT).pilot
    assert pilot.adopted_from is None and pilot.title == result.title


def test_it_starts_a_fresh_pilot_when_the_phase_model_is_the_publishers_own(
    alice, olav, org_a, org_b
):
    from samspil.pilots.models import PhaseModel

    own = PhaseModel.objects.create(code="bergvik-model", name="Bergvik's", organisation=org_b)
    source = make_pilot(olav, org_b, phase_model=own)
    result = insert_result(org_b, pilot=source)
    pilot = services.adopt_result(alice, result, org_a, start=Start.PILOT).pilot
    assert pilot.adopted_from is None and pilot.phase_model != own


def test_it_starts_a_linked_procurement(alice, org_a, result):
    adoption = services.adopt_result(alice, result, org_a, start=Start.PROCUREMENT)
    procurement = adoption.procurement
    assert procurement.owner == org_a and procurement.visibility == Visibility.INTERNAL
    assert procurement.title == result.title
    assert f"/results/{result.pk}/" in procurement.description
    assert procurement.buyers.get().organisation == org_a


def test_it_refuses_the_same_organisation_twice(alice, org_a, result, adoption):
    with pytest.raises(AlreadyAdopted) as refused:
        services.adopt_result(alice, result, org_a, start=Start.PILOT)
    assert "Arby Kommune" in refused.value.message_dict["organisation"][0]
    assert list(Adoption.objects.all()) == [adoption]


def test_it_leaves_no_pilot_behind_when_refused_twice(alice, org_a, result, adoption):
    from samspil.pilots.models import Pilot

    with pytest.raises(AlreadyAdopted):
        services.adopt_result(alice, result, org_a, start=Start.PILOT)
    assert not Pilot.objects.exists()


def test_it_refuses_the_publisher_itself(olav, org_b, result):
    with pytest.raises(ValidationError) as refused:
        services.adopt_result(olav, result, org_b)
    assert "Bergvik kommune published this result" in refused.value.messages[0]
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("status", [ResultStatus.DRAFT, ResultStatus.WITHDRAWN])
def test_it_refuses_an_unpublished_result(alice, org_a, org_b, status):
    result = insert_result(org_b, status=status, published_at=None)
    with pytest.raises(ValidationError) as refused:
        services.adopt_result(alice, result, org_a)
    assert "published" in refused.value.messages[0]


def test_it_refuses_those_without_the_right_in_the_organisation(bob, dave, org_a, org_c, result):
    with pytest.raises(PermissionDenied) as refused:
        services.adopt_result(bob, result, org_a)
    assert "Arby Kommune" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.adopt_result(dave, result, org_c)  # a company does not adopt
    assert not Adoption.objects.exists()


def test_an_admin_may_adopt_for_the_organisation(erin, org_a, result):
    assert services.adopt_result(erin, result, org_a).organisation == org_a


def test_it_refuses_an_unknown_start_a_future_date_and_a_long_note(alice, org_a, result):
    with pytest.raises(ValidationError) as refused:
        services.adopt_result(alice, result, org_a, start="party")
    assert "start" in refused.value.message_dict
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.adopt_result(alice, result, org_a, adopted_on=tomorrow)
    assert "adopted_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.adopt_result(alice, result, org_a, note="x" * 2001)
    assert "note" in refused.value.message_dict
    assert not Adoption.objects.exists()


def test_it_keeps_an_earlier_date(alice, org_a, result):
    adoption = services.adopt_result(alice, result, org_a, adopted_on=date(2021, 3, 1))
    assert adoption.adopted_on == date(2021, 3, 1)


def test_the_adopter_reports_the_outcome(alice, adoption):
    services.update_outcome(alice, adoption, outcome=AdoptionOutcome.IN_USE, note="In use.")
    adoption.refresh_from_db()
    assert adoption.outcome == AdoptionOutcome.IN_USE and adoption.note == "In use."
    services.update_outcome(alice, adoption, outcome=AdoptionOutcome.IN_USE, note="Still.")
    assert adoption.history.count() == 3


def test_a_stopped_adoption_stays_stopped(alice, adoption):
    services.update_outcome(alice, adoption, outcome=AdoptionOutcome.STOPPED, note="Too costly.")
    with pytest.raises(ValidationError) as refused:
        services.update_outcome(alice, adoption, outcome=AdoptionOutcome.IN_USE, note="")
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.update_outcome(alice, adoption, outcome="forgotten", note="")


def test_only_the_adopters_leads_report_the_outcome(bob, olav, charlie, adoption):
    for someone in (bob, olav, charlie):
        with pytest.raises(PermissionDenied):
            services.update_outcome(someone, adoption, outcome=AdoptionOutcome.IN_USE, note="")


def test_the_allowed_outcomes_start_with_the_current_one(alice, adoption):
    assert services.allowed_outcomes(adoption) == ["started", "in_use", "procured", "stopped"]
    services.update_outcome(alice, adoption, outcome=AdoptionOutcome.STOPPED, note="")
    assert services.allowed_outcomes(adoption) == ["stopped"]
