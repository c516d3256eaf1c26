"""The adoption pages and the result page's adoptions panel, for those who may and may not."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from samspil.core.models import Visibility
from samspil.results import adoption_services as services
from samspil.results.adoption_services import Start
from samspil.results.models import Adoption, AdoptionOutcome, ResultStatus

from .factories import insert_result


def adopt_url(result) -> str:
    return f"/results/{result.pk}/adopt/"


def outcome_url(adoption) -> str:
    return f"/results/{adoption.result_id}/adoptions/{adoption.pk}/outcome/"


def test_anonymous_visitors_are_asked_to_sign_in(client, result):
    response = client.get(adopt_url(result))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_alice_sees_the_form_with_her_organisation(client_for, alice, org_a, result):
    response = client_for(alice).get(adopt_url(result))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["organisation"].widget.choices == [("", "—"), (org_a.pk, org_a.name)]
    assert form.initial["organisation"] == org_a.pk


def test_alice_adopts_and_lands_on_the_new_pilot(client_for, alice, org_a, result):
    response = client_for(alice).post(
        adopt_url(result), {"organisation": org_a.pk, "start": "pilot", "note": "Payroll first."}
    )
    adoption = Adoption.objects.get()
    assert adoption.organisation == org_a and adoption.note == "Payroll first."
    assert response.status_code == 302
    assert response["Location"] == adoption.pilot.get_absolute_url()


def test_alice_adopts_with_a_procurement(client_for, alice, org_a, result):
    response = client_for(alice).post(
        adopt_url(result), {"organisation": org_a.pk, "start": "procurement"}
    )
    adoption = Adoption.objects.get()
    assert response["Location"] == adoption.procurement.get_absolute_url()


def test_recording_only_returns_to_the_result(client_for, alice, org_a, result):
    response = client_for(alice).post(
        adopt_url(result), {"organisation": org_a.pk, "start": "none"}
    )
    assert response["Location"].endswith(f"/results/{result.pk}/#result-adoptions")


def test_a_second_adoption_is_refused_with_the_typed_note_kept(client_for, alice, org_a, result):
    services.adopt_result(alice, result, org_a)
    response = client_for(alice).post(
        adopt_url(result), {"organisation": org_a.pk, "start": "pilot", "note": "Once more"}
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "Arby Kommune adopted this result already" in form.errors["organisation"][0]
    assert "Once more</textarea>" in response.content.decode()
    assert Adoption.objects.count() == 1


def test_the_publisher_cannot_adopt_its_own_result(client_for, olav, org_b, result):
    response = client_for(olav).post(adopt_url(result), {"organisation": org_b.pk, "start": "none"})
    assert response.status_code == 422
    assert "published this result" in response.context["form"].errors["organisation"][0]
    assert response.context["form"].fields["organisation"].widget.choices == [("", "—")]


def test_bob_has_no_right_in_his_organisation(client_for, bob, org_a, result):
    response = client_for(bob).post(adopt_url(result), {"organisation": org_a.pk, "start": "none"})
    assert response.status_code == 422
    assert "Arby Kommune" in response.context["form"].errors["organisation"][0]
    assert not Adoption.objects.exists()


def test_missing_choices_are_named(client_for, alice, result):
    response = client_for(alice).post(adopt_url(result), {"organisation": "", "start": "dance"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"organisation", "start"}


def test_an_unpublished_result_is_refused(client_for, alice, org_a, org_a_department):
    draft = insert_result(org_a_department, status=ResultStatus.DRAFT)
    response = client_for(alice).post(adopt_url(draft), {"organisation": org_a.pk, "start": "none"})
    assert response.status_code == 422
    assert "published" in response.context["form"].errors["organisation"][0]


def test_charlie_gets_404_on_a_draft_of_another_organisation(client_for, charlie, org_a):
    draft = insert_result(org_a, status=ResultStatus.DRAFT)
    assert client_for(charlie).get(adopt_url(draft)).status_code == 404


# The outcome ----------------------------------------------------------------------------------


@pytest.fixture
def adoption(alice, org_a, result):
    return services.adopt_result(alice, result, org_a)


def test_alice_updates_the_outcome(client_for, alice, adoption):
    client = client_for(alice)
    assert client.get(outcome_url(adoption)).status_code == 200
    response = client.post(outcome_url(adoption), {"outcome": "in_use", "note": "Live in May."})
    assert response.status_code == 302
    adoption.refresh_from_db()
    assert adoption.outcome == AdoptionOutcome.IN_USE and adoption.note == "Live in May."


def test_a_refused_outcome_keeps_the_typed_note(client_for, alice, adoption):
    services.update_outcome(alice, adoption, outcome=AdoptionOutcome.STOPPED, note="")
    response = client_for(alice).post(outcome_url(adoption), {"outcome": "in_use", "note": "Back"})
    assert response.status_code == 422
    assert "outcome" in response.context["form"].errors
    assert "Back</textarea>" in response.content.decode()


def test_others_may_not_update_the_outcome(client_for, bob, charlie, dave, adoption):
    for someone in (bob, charlie, dave):
        assert client_for(someone).get(outcome_url(adoption)).status_code == 403
        response = client_for(someone).post(outcome_url(adoption), {"outcome": "stopped"})
        assert response.status_code == 403
    adoption.refresh_from_db()
    assert adoption.outcome == AdoptionOutcome.STARTED


def test_an_unknown_adoption_is_404(client_for, alice, adoption, org_b):
    other = insert_result(org_b, title="Another")
    wrong = f"/results/{other.pk}/adoptions/{adoption.pk}/outcome/"
    assert client_for(alice).get(wrong).status_code == 404


# The panel ------------------------------------------------------------------------------------


def render_panel(result, user) -> str:
    request = RequestFactory().get(result.get_absolute_url())
    request.user = user
    template = Template("{% load results_adoption %}{% adoptions_panel %}")
    return template.render(Context({"result": result, "request": request}))


def many_adopters(result, count: int, prefix: str = "k"):
    from samspil.core.models import Organisation

    for number in range(count):
        organisation = Organisation.objects.create(
            name=f"Kommune {prefix}{number}",
            slug=f"kommune-{prefix}-{number}",
            kind="municipality",
            country="DK",
            visibility=Visibility.PUBLIC,
        )
        Adoption.objects.create(
            result=result,
            organisation=organisation,
            adopted_on=date(2020 + number % 4, 1 + number % 12, 1),
        )


def test_the_panel_shows_who_adopted_it_and_links_what_alice_may_see(alice, charlie, org_a, result):
    adoption = services.adopt_result(alice, result, org_a, start=Start.PILOT)
    html = render_panel(result, alice)
    assert f'id="adoption-{adoption.pk}"' in html
    assert adoption.pilot.get_absolute_url() in html
    assert f'href="{outcome_url(adoption)}"' in html
    assert 'id="result-adoptions-chart"' in html and 'id="result-adoptions-counts"' in html
    # Charlie sees the adoption, not Arby's internal pilot, and may not update it.
    other = render_panel(result, charlie)
    assert f'id="adoption-{adoption.pk}"' in other
    assert adoption.pilot.get_absolute_url() not in other
    assert outcome_url(adoption) not in other


def test_the_panel_offers_to_adopt_only_to_those_who_may(alice, bob, olav, org_a, result):
    from django.contrib.auth.models import AnonymousUser

    assert 'id="result-adopt-link"' in render_panel(result, alice)
    for someone in (bob, olav, AnonymousUser()):
        assert 'id="result-adopt-link"' not in render_panel(result, someone)
    services.adopt_result(alice, result, org_a)
    assert 'id="result-adopt-link"' not in render_panel(result, alice)
    assert 'id="result-open-data-link"' in render_panel(result, alice)


def test_the_panel_says_when_nobody_adopted_it(alice, result):
    assert 'id="result-adoptions-none"' in render_panel(result, alice)


def test_the_panel_costs_the_same_queries_for_many_adoptions(
    alice, org_b, result, django_assert_max_num_queries
):
    many_adopters(result, 2, "a")
    with django_assert_max_num_queries(8) as few:
        render_panel(result, alice)
    many = insert_result(org_b, title="Second")
    many_adopters(many, 25, "b")
    alice = type(alice).objects.get(pk=alice.pk)  # no access cached from the first render
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = render_panel(many, alice)
    assert html.count('id="adoption-') == 25
