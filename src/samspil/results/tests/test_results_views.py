"""The result pages: the public catalogue with search and filters, a result's page for
anyone once published, drafts for the owner's people only, create from a pilot, edit,
publish (refused with the reasons), withdraw, documents and copying a template."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samspil.core.models import Visibility
from samspil.needs.models import Theme
from samspil.pilots.models import PhaseModel
from samspil.results import services
from samspil.results.models import Result, ResultStatus

from .factories import CONTACT, make_pilot, make_result, publish

CATALOGUE = "/results/"


def test_the_catalogue_is_at_results_and_in_the_navigation(client, published):
    assert reverse("results:catalogue") == CATALOGUE
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert f'href="{CATALOGUE}"' in response.content.decode()
    assert published.get_absolute_url() in response.content.decode()


def test_the_catalogue_lists_only_published_results(client_for, alice, draft, published):
    body = client_for(alice).get(CATALOGUE).content.decode()
    assert published.get_absolute_url() in body
    assert f'data-result="{draft.pk}"' not in body


def test_the_catalogue_searches_and_filters(client, alice, org_a, org_b, published):
    theme = Theme.objects.create(
        slug="welfare", name_da="Velfærd", name_nb="Velferd", name_sv="Välfärd", name_en="Welfare"
    )
    published.themes.add(theme)
    Result.objects.filter(pk=published.pk).update(stage="outcome")
    other = publish(make_result(alice, org_a, title="Light in care homes", outcome="procured"))

    def shown(**query) -> set[int]:
        response = client.get(CATALOGUE, query)
        assert response.status_code == 200
        return {r.pk for r in response.context["page"]}

    assert shown(q="invoice Arby") == {published.pk}
    assert shown(q="codes") == {published.pk, other.pk}  # in the summary
    assert shown(q="suppliers") == set()
    assert shown(theme=theme.pk) == {published.pk}
    assert shown(outcome="procured") == {other.pk}
    assert shown(country="DK") == {published.pk, other.pk}
    assert shown(country="NO") == set()
    assert shown(stage="outcome") == {published.pk}
    assert shown(kind="templates") == set()
    assert shown(kind="results") == {published.pk, other.pk}
    assert shown(country="XX") == {published.pk, other.pk}  # a bad filter is ignored


def test_the_catalogue_query_count_does_not_grow(
    client, alice, org_a, django_assert_max_num_queries
):
    for number in range(30):
        publish(make_result(alice, org_a, title=f"Result {number}"))
    with django_assert_max_num_queries(8):
        response = client.get(CATALOGUE, {"q": "result"})
    assert len(response.context["page"].object_list) == 25


def test_anyone_reads_a_published_result(client, published):
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="figure-table"' in body and 'data-gain="30"' in body
    assert 'id="result-publish"' not in body


def test_a_draft_is_for_the_owners_people_only(client, client_for, draft, bob, charlie, dave):
    assert client.get(draft.get_absolute_url()).status_code == 404
    for user in (charlie, dave):
        assert client_for(user).get(draft.get_absolute_url()).status_code == 404
    response = client_for(bob).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert 'id="result-publish"' not in response.content.decode()


def test_alice_creates_a_draft_from_her_pilot(client_for, alice, org_a, pilot):
    client = client_for(alice)
    response = client.get(reverse("results:create"), {"pilot": pilot.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == pilot.title and form.initial["stage"] == "outcome"
    data = {
        "owner": org_a.pk,
        "kind": "result",
        "title": pilot.title,
        "summary": "A robot codes invoices.",
        "tried": form.initial["tried"],
        "stage": "outcome",
        "outcome": "scaled",
        "pilot": pilot.pk,
        "licence": "CC-BY-4.0",
        **CONTACT,
    }
    response = client.post(reverse("results:create"), data)
    result = Result.objects.get()
    assert response.status_code == 302 and response.url == result.get_absolute_url()
    assert result.pilot == pilot and len(result.figures) == 2


def test_bad_input_is_shown_with_what_was_typed(client_for, alice, org_a):
    data = {"owner": org_a.pk, "kind": "result", "title": "Kept title", "summary": ""}
    response = client_for(alice).post(reverse("results:create"), data)
    assert response.status_code == 422
    assert "Kept title" in response.content.decode()
    assert not Result.objects.exists()


def test_members_without_the_role_may_not_create(client, client_for, bob, dave):
    assert client_for(bob).get(reverse("results:create")).status_code == 403
    client.logout()
    assert client.get(reverse("results:create")).status_code == 302  # to the log-in


def test_a_pilot_the_user_does_not_see_is_404(client_for, alice, org_b):
    hidden = make_pilot(org_b, visibility=Visibility.INTERNAL)
    response = client_for(alice).get(reverse("results:create"), {"pilot": hidden.pk})
    assert response.status_code == 404


def test_alice_edits_and_bob_may_not(client_for, alice, bob, draft):
    url = reverse("results:edit", args=[draft.pk])
    assert client_for(bob).get(url).status_code == 403
    client = client_for(alice)
    assert client.get(url).status_code == 200
    data = {
        "kind": "result",
        "title": "A better title",
        "summary": draft.summary,
        "licence": "CC-BY-4.0",
        "pilot": draft.pilot_id,
        **CONTACT,
    }
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "A better title"


def test_publishing_from_the_page(client_for, alice, draft):
    response = client_for(alice).post(reverse("results:publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ResultStatus.PUBLISHED


def test_a_refused_publication_names_the_internal_records(client_for, alice, org_a, internal_pilot):
    result = make_result(alice, org_a, pilot=internal_pilot)
    client = client_for(alice)
    page = client.get(result.get_absolute_url()).content.decode()
    assert 'id="result-problems"' in page and internal_pilot.title in page
    response = client.post(reverse("results:publish", args=[result.pk]), follow=True)
    assert internal_pilot.title in " ".join(str(m) for m in response.context["messages"])
    result.refresh_from_db()
    assert result.status == ResultStatus.DRAFT


def test_withdrawing_takes_it_out_of_the_catalogue(client, client_for, alice, published):
    client_for(alice).post(reverse("results:withdraw", args=[published.pk]))
    client.logout()
    assert client.get(published.get_absolute_url()).status_code == 404
    assert published.pk not in {r.pk for r in client.get(CATALOGUE).context["page"]}


def test_charlie_may_not_publish_or_withdraw(client_for, charlie, draft, published):
    client = client_for(charlie)
    assert client.post(reverse("results:publish", args=[draft.pk])).status_code == 404
    assert client.post(reverse("results:withdraw", args=[published.pk])).status_code == 403


def test_documents_are_added_downloaded_and_removed(
    client, client_for, alice, published, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    owner = client_for(alice)
    url = reverse("results:document-add", args=[published.pk])
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    assert owner.post(url, {"title": "Final report", "file": upload}).status_code == 302
    document = published.documents.get()
    bad = SimpleUploadedFile("run.exe", b"MZ")
    response = owner.post(url, {"title": "Kept", "file": bad})
    assert response.status_code == 422 and "Kept" in response.content.decode()
    owner.logout()
    response = client.get(reverse("results:document", args=[published.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    assert (
        client.post(
            reverse("results:document-remove", args=[published.pk, document.pk])
        ).status_code
        == 302
    )  # to the log-in
    owner = client_for(alice)
    owner.post(reverse("results:document-remove", args=[published.pk, document.pk]))
    assert not published.documents.exists()


def test_drafts_list_the_organisations_unpublished_results(
    client_for, alice, bob, draft, published, django_assert_max_num_queries
):
    client = client_for(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("results:drafts"))
    assert [r.pk for r in response.context["page"]] == [draft.pk]
    assert response.context["can_create"]
    for_bob = client_for(bob).get(reverse("results:drafts"))
    assert list(for_bob.context["page"]) == [] and not for_bob.context["can_create"]


def test_copying_a_template_with_one_post(client_for, charlie, org_b, concept_template):
    from samspil.core.models import Role

    charlie.memberships.get().roles.add(Role.objects.get(code=Role.Code.INNOVATION_LEAD))
    client = client_for(charlie)
    page = client.get(concept_template.get_absolute_url()).content.decode()
    assert 'id="result-copy"' in page
    response = client.post(
        reverse("results:copy", args=[concept_template.pk]), {"organisation": org_b.pk}
    )
    copy = Result.objects.get(copied_from=concept_template)
    assert copy.owner == org_b and copy.concept.owner == org_b
    assert response.status_code == 302 and response.url == copy.concept.get_absolute_url()


def test_copying_needs_an_organisation_the_user_leads(client_for, bob, org_a, concept_template):
    response = client_for(bob).post(
        reverse("results:copy", args=[concept_template.pk]), {"organisation": org_a.pk}
    )
    assert response.status_code == 403
    assert not Result.objects.filter(copied_from=concept_template).exists()


def test_a_checklist_copy_goes_to_the_phase_model(client_for, alice, org_a):
    model = PhaseModel.objects.create(code="arby-model", name="Arby model", organisation=org_a)
    model.phases.create(name="Explore", position=1)
    result = make_result(alice, org_a, kind="checklist", phase_model=model, title="Arby model")
    services.publish_result(alice, result)
    response = client_for(alice).post(
        reverse("results:copy", args=[result.pk]), {"organisation": org_a.pk}
    )
    copy = Result.objects.get(copied_from=result)
    assert response.url == reverse("pilots:phase-model", args=[copy.phase_model.pk])


@pytest.mark.parametrize("path", ["/results/999999/", "/results/nonsense/"])
def test_unknown_results_are_404(db, client, path):
    assert client.get(path).status_code == 404


def test_the_pilot_page_offers_publishing_to_leads_only(client_for, alice, bob, pilot):
    link = f'href="{reverse("results:create")}?pilot={pilot.pk}"'
    assert link in client_for(alice).get(pilot.get_absolute_url()).content.decode()
    assert link not in client_for(bob).get(pilot.get_absolute_url()).content.decode()
