"""Copying a published template or guide into another organisation with one action: the
copy is made from the published snapshot and records ``copied_from``."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.events.models import EventConcept, EventKind
from samspil.pilots.models import PhaseModel
from samspil.results import copying, services
from samspil.results.models import ResultKind, ResultStatus

from .factories import make_event, make_result


@pytest.fixture
def lead_b(org_b):
    user = make_user("birgit")
    add_member(user, org_b, Role.Code.INNOVATION_LEAD)
    return user


def test_a_concept_becomes_a_concept_with_its_tasks(lead_b, org_b, concept_template):
    made = copying.copy_template(lead_b, concept_template, org_b)
    concept = made.target
    assert isinstance(concept, EventConcept)
    assert concept.owner == org_b and concept.visibility == Visibility.INTERNAL
    assert sorted(concept.tasks.values_list("title", flat=True)) == [
        "Book the room",
        "Data agreement",
    ]
    assert made.result.copied_from == concept_template
    assert made.result.status == ResultStatus.DRAFT and made.result.concept == concept
    assert made.result.contact_email == lead_b.email
    assert concept_template.copies.count() == 1


def test_the_copy_follows_the_snapshot_not_the_live_concept(lead_b, org_b, concept_template):
    concept_template.concept.tasks.all().delete()
    made = copying.copy_template(lead_b, concept_template, org_b)
    assert made.target.tasks.count() == 2


def test_a_checklist_becomes_a_phase_model_with_a_unique_code(alice, org_a, lead_b, org_b):
    model = PhaseModel.objects.create(code="arby-model", name="Arby model", organisation=org_a)
    first = model.phases.create(name="Explore", position=1)
    second = model.phases.create(name="Test", position=2)
    first.checklist.create(text="Interview five users", position=0)
    second.checklist.create(text="Measure the baseline", position=0)
    model.decision_points.create(code="BP1", name="Go to test", closes=first, position=1)
    result = services.publish_result(
        alice, make_result(alice, org_a, kind=ResultKind.CHECKLIST, phase_model=model)
    )
    one = copying.copy_template(lead_b, result, org_b).target
    two = copying.copy_template(lead_b, result, org_b).target
    assert isinstance(one, PhaseModel) and one.organisation == org_b
    assert one.code != two.code != model.code
    assert [p.name for p in one.phases.order_by("position")] == ["Explore", "Test"]
    assert one.phases.get(position=2).checklist.get().text == "Measure the baseline"
    point = one.decision_points.get()
    assert point.code == "BP1" and point.closes.model == one


def test_a_criteria_set_becomes_a_hackathon_concept(alice, org_a, lead_b, org_b):
    event = make_event(org_a)
    result = services.publish_result(
        alice, make_result(alice, org_a, kind=ResultKind.CRITERIA_SET, event=event)
    )
    concept = copying.copy_template(lead_b, result, org_b).target
    assert concept.kind == EventKind.HACKATHON
    assert "Value for citizens" in concept.description
    assert "Feasibility" in concept.tasks.get().description


def test_a_guide_becomes_a_draft_with_its_documents(
    alice, org_a, lead_b, org_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    guide = make_result(alice, org_a, kind=ResultKind.GUIDE, tried="Step one, step two.")
    services.add_document(alice, guide, SimpleUploadedFile("guide.pdf", b"%PDF guide"), "")
    guide = services.publish_result(alice, guide)
    made = copying.copy_template(lead_b, guide, org_b)
    assert made.target == made.result
    assert made.result.owner == org_b and made.result.tried == "Step one, step two."
    document = made.result.documents.get()
    assert document.file.read() == b"%PDF guide"
    assert services.original_name(document) == "guide.pdf"


def test_only_published_templates_are_copied(alice, org_a, lead_b, org_b, published):
    with pytest.raises(ValidationError):
        copying.copy_template(lead_b, published, org_b)  # a result, not a template
    draft = make_result(alice, org_a, kind=ResultKind.GUIDE)
    with pytest.raises(ValidationError):
        copying.copy_template(lead_b, draft, org_b)


def test_only_innovation_leads_of_the_target_copy(charlie, lead_b, org_a, concept_template):
    with pytest.raises(PermissionDenied):
        copying.copy_template(charlie, concept_template, charlie.memberships.get().organisation)
    with pytest.raises(PermissionDenied):
        copying.copy_template(lead_b, concept_template, org_a)


def test_the_user_may_copy_to_the_organisations_they_lead(alice, org_a, lead_b, org_b, bob):
    assert copying.copying_organisations(alice) == [org_a]
    assert copying.copying_organisations(lead_b) == [org_b]
    assert copying.copying_organisations(bob) == []
