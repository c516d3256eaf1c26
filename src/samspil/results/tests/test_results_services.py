"""Writing results: drafts from a pilot with their figures, who may write, publishing refused
while a result holds internal records (naming each), withdrawing, documents."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samspil.core.models import Visibility
from samspil.procurement.tests.conftest import make_procurement
from samspil.results import services
from samspil.results.models import ResultKind, ResultOutcome, ResultStatus

from .factories import CONTACT, make_concept, make_event, make_pilot, make_result


def test_it_prefills_a_draft_from_a_pilot(pilot):
    fields = services.draft_from_pilot(pilot)
    assert fields["title"] == pilot.title
    assert fields["tried"] == pilot.description
    assert pilot.outcome_reason in fields["came_of_it"]
    assert "Start with the suppliers" in fields["came_of_it"]
    assert fields["stage"] == "outcome"
    assert fields["outcome"] == ResultOutcome.SCALED


def test_it_snapshots_the_pilots_kpis_and_benefits(draft, pilot):
    assert draft.status == ResultStatus.DRAFT
    kpi, benefit = draft.figures
    assert kpi["name"] == "Minutes per invoice"
    assert (kpi["baseline"], kpi["latest"], kpi["target"]) == ("20", "14", "12")
    assert kpi["gain_percent"] == "30"
    assert kpi["source"] == {"kind": "pilot", "id": pilot.pk, "title": pilot.title}
    assert benefit["kind"] == "benefit" and benefit["latest"] == "25"
    assert benefit["gain_percent"] is None  # a zero baseline has no relative gain


def test_only_innovation_leads_of_the_organisation_write(bob, charlie, erin, org_a):
    for user in (bob, charlie):
        with pytest.raises(PermissionDenied):
            make_result(user, org_a)
    assert make_result(erin, org_a).owner == org_a  # admins hold every role


def test_it_refuses_bad_input_by_field(alice, org_a):
    with pytest.raises(ValidationError) as error:
        services.create_result(
            alice,
            org_a,
            title=" ",
            summary="",
            contact_name="A",
            contact_email="not-an-address",
            outcome="nonsense",
            code_url="https://example.org/robot",
        )
    assert set(error.value.message_dict) >= {
        "title",
        "summary",
        "contact_email",
        "outcome",
        "code_licence",
    }


def test_a_template_needs_its_source(alice, org_a):
    with pytest.raises(ValidationError) as error:
        make_result(alice, org_a, kind=ResultKind.EVENT_CONCEPT)
    assert "concept" in error.value.message_dict
    event = make_event(org_a, criteria=False)
    with pytest.raises(ValidationError) as error:
        make_result(alice, org_a, kind=ResultKind.CRITERIA_SET, event=event)
    assert "event" in error.value.message_dict


def test_it_refuses_a_source_the_actor_does_not_see(alice, org_b):
    other = make_pilot(org_b, visibility=Visibility.INTERNAL)
    with pytest.raises(ValidationError) as error:
        make_result(alice, alice.memberships.get().organisation, pilot=other)
    assert "pilot" in error.value.message_dict


def test_publishing_sets_when_and_who(alice, draft):
    result = services.publish_result(alice, draft)
    assert result.status == ResultStatus.PUBLISHED
    assert result.published_at is not None and result.published_by == alice


def test_publishing_is_refused_naming_each_internal_record(alice, org_a, internal_pilot):
    event = make_event(org_a, visibility=Visibility.SHARED)
    procurement = make_procurement(alice, org_a, visibility=Visibility.INTERNAL)
    result = make_result(alice, org_a, pilot=internal_pilot, event=event, procurement=procurement)
    with pytest.raises(ValidationError) as error:
        services.publish_result(alice, result)
    reasons = " ".join(error.value.message_dict["status"])
    for title in (internal_pilot.title, event.title, procurement.title):
        assert title in reasons
    result.refresh_from_db()
    assert result.status == ResultStatus.DRAFT and result.published_at is None


def test_publishing_is_refused_for_a_figure_from_an_internal_pilot(alice, org_a, internal_pilot):
    result = make_result(alice, org_a, pilot=internal_pilot)
    result.pilot = None  # the link removed, the figures kept
    result.save()
    assert services.publication_problems(result)
    assert "Minutes per invoice" in " ".join(services.publication_problems(result))


def test_unlinking_the_pilot_drops_its_figures(alice, org_a, internal_pilot):
    result = make_result(alice, org_a, pilot=internal_pilot)
    services.update_result(alice, result, pilot=None)
    assert result.figures == []
    assert services.publish_result(alice, result).status == ResultStatus.PUBLISHED


def test_a_published_result_cannot_take_an_internal_record(alice, published, internal_pilot):
    with pytest.raises(ValidationError) as error:
        services.update_result(alice, published, pilot=internal_pilot)
    assert internal_pilot.title in " ".join(error.value.message_dict["status"])


def test_it_withdraws_and_publishes_again(alice, published):
    assert services.withdraw_result(alice, published).status == ResultStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw_result(alice, published)
    assert services.publish_result(alice, published).status == ResultStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.publish_result(alice, published)


def test_bob_may_not_publish(bob, draft):
    with pytest.raises(PermissionDenied):
        services.publish_result(bob, draft)


def test_it_snapshots_a_concept_and_criteria(alice, org_a):
    concept = make_concept(org_a)
    result = make_result(alice, org_a, kind=ResultKind.EVENT_CONCEPT, concept=concept)
    assert [t["title"] for t in result.content["tasks"]] == ["Data agreement", "Book the room"]
    event = make_event(org_a)
    criteria = make_result(alice, org_a, kind=ResultKind.CRITERIA_SET, event=event)
    assert [c["name"] for c in criteria.content["criteria"]] == [
        "Value for citizens",
        "Feasibility",
    ]
    assert Decimal(criteria.content["criteria"][0]["weight"]) == 2


def test_an_internal_concept_is_not_published(alice, org_a):
    concept = make_concept(org_a, visibility=Visibility.INTERNAL)
    result = make_result(alice, org_a, kind=ResultKind.EVENT_CONCEPT, concept=concept)
    with pytest.raises(ValidationError):
        services.publish_result(alice, result)


def test_code_needs_an_open_source_licence_and_a_repository(alice, org_a):
    with pytest.raises(ValidationError) as error:
        make_result(alice, org_a, code_licence="EUPL-1.2")
    assert "code_url" in error.value.message_dict
    result = make_result(
        alice, org_a, code_licence="EUPL-1.2", code_url="https://code.example.org/robot"
    )
    assert result.licence == "CC-BY-4.0"


def test_it_keeps_documents_of_accepted_types_and_sizes(alice, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.add_document(
        alice, draft, SimpleUploadedFile("../Report 2024.pdf", b"%PDF-1.4 report"), ""
    )
    assert document.title == "Report_2024"
    assert services.original_name(document) == "Report_2024.pdf"
    assert services.content_type_of(document) == "application/pdf"
    with pytest.raises(ValidationError) as error:
        services.add_document(alice, draft, SimpleUploadedFile("run.exe", b"MZ"), "")
    assert "file" in error.value.message_dict
    big = SimpleUploadedFile("big.pdf", b"0")
    big.size = services.DOCUMENT_MAX_BYTES + 1
    with pytest.raises(ValidationError):
        services.add_document(alice, draft, big, "")
    services.remove_document(alice, document)
    assert not draft.documents.exists()


def test_contact_is_required(alice, org_a):
    with pytest.raises(ValidationError) as error:
        services.create_result(
            alice, org_a, title="T", summary="S", **{**CONTACT, "contact_name": ""}
        )
    assert "contact_name" in error.value.message_dict
