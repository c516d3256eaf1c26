"""The needs pages, for the people who may and may not use them (Django's test client)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Organisation, Role, Visibility
from samspil.needs import queries, services, similarity
from samspil.needs.models import Attachment, Comment, Endorsement, Need, NeedStatus, Theme

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so that text assertions hold whether or not translations are compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    similarity.reset_index()
    yield
    similarity.reset_index()


def make_need(owner, by=None, *, title="Fakturaer konteres i hånden", **fields) -> Need:
    fields.setdefault("description", "Medarbejderne taster hver faktura ind igen.")
    fields.setdefault("visibility", Visibility.INTERNAL)
    need = Need.objects.create(owner=owner, submitted_by=by, title=title, **fields)
    services.refresh_derived_fields(need)
    return need


def make_many(owner, by, count: int, **fields) -> None:
    for n in range(count):
        make_need(owner, by, title=f"Behov nummer {n}", visibility=Visibility.PUBLIC, **fields)


@pytest.fixture
def needs(org_a, org_b, bob, charlie):
    """org_a's needs of each visibility (reported by bob) and a shared need of org_b."""
    return {
        "internal": make_need(org_a, bob, title="Intern vagtplan i hjemmeplejen"),
        "shared": make_need(
            org_a,
            bob,
            title="Manuel kontering af fakturaer i distrikterne",
            description="Fakturaer konteres manuelt i alle distrikter, det tager mange timer.",
            visibility=Visibility.SHARED,
            affected_count=40,
            hours_per_week=Decimal("12.5"),
        ),
        "public": make_need(
            org_a, bob, title="Dagslys for ældre på plejehjem", visibility=Visibility.PUBLIC
        ),
        "b_shared": make_need(
            org_b, charlie, title="Lønsystemet er tungt å bruke", visibility=Visibility.SHARED
        ),
    }


def templates_of(response) -> list[str]:
    return [t.name for t in response.templates if t.name]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def error_next_to(content: str, field: str) -> str:
    found = re.search(rf'<(\w+)[^>]*id="id_{field}_error"[^>]*>(.*?)</\1>', content, re.S)
    assert found is not None, f"no error shown next to {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def report_data(**changes) -> dict:
    data = {"title": "Papirblanketter i børnehaven", "description": "Forældre udfylder papir."}
    data.update(changes)
    return data


# Navigation ---------------------------------------------------------------------------------


def test_it_links_the_needs_entry_of_the_navigation_to_the_needs_list(client, db):
    content = client.get("/").content.decode()
    assert f'href="{reverse("needs:list")}"' in content


# Reporting a need -------------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_sign_in_before_reporting(client, db):
    response = client.get(reverse("needs:new"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_shows_bob_the_report_form_for_his_organisation(client_for, bob, org_a):
    response = client_for(bob).get(reverse("needs:new"))
    content = response.content.decode()
    assert response.status_code == 200
    assert org_a.name in content
    assert 'name="title"' in content and 'name="description"' in content
    assert 'hx-trigger="keyup changed delay:600ms"' in content
    assert "10 MB" in content  # the limits are told


def test_it_lets_bob_report_a_need_in_two_fields(client_for, bob, org_a):
    response = client_for(bob).post(reverse("needs:new"), report_data())
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == need.get_absolute_url()
    assert (need.owner, need.submitted_by, need.visibility) == (org_a, bob, Visibility.INTERNAL)
    assert need.department is None
    assert "Thank you. Your need was reported." in messages_of(response)


def test_it_lets_bob_add_the_details(client_for, bob, org_a, org_a_department):
    care = Theme.objects.get(slug="care")
    data = report_data(
        department=org_a_department.pk,
        affected_who="Pædagoger",
        affected_count="12",
        frequency="weekly",
        hours_per_week="3.5",
        themes=[care.pk],
        visibility=Visibility.SHARED,
        attachments=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    response = client_for(bob).post(reverse("needs:new"), data)
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.department == org_a_department
    assert need.hours_per_week == Decimal("3.5")
    assert list(need.themes.all()) == [care]
    assert need.visibility == Visibility.SHARED
    attachment = need.attachments.get()
    assert attachment.original_name == "plan.pdf"
    assert attachment.stored_name != "plan.pdf"


@pytest.fixture
def frida(org_a_department):
    """A member of A's department only."""
    user = make_user("frida")
    add_member(user, org_a_department)
    return user


def department_choice(content: str) -> tuple[list[str], str | None]:
    """The department options offered and the one selected (None: the whole organisation)."""
    select = re.search(r'<select name="department".*?</select>', content, re.S)
    assert select is not None, "no department field"
    options = re.findall(r'<option value="(\d*)"( selected)?>', select.group(0))
    chosen = [value for value, selected in options if selected]
    return [value for value, _ in options], (chosen[0] or None) if chosen else None


def test_it_files_a_department_members_need_under_the_municipality_with_the_department_chosen(
    client_for, frida, org_a, org_a_department
):
    client = client_for(frida)
    content = client.get(reverse("needs:new")).content.decode()
    assert f"You report for <strong>{org_a.name}</strong>" in content
    assert department_choice(content)[1] == str(org_a_department.pk)

    client.post(reverse("needs:new"), report_data(department=org_a_department.pk))

    need = Need.objects.get()
    assert (need.owner, need.department, need.submitted_by) == (org_a, org_a_department, frida)


def test_it_lets_the_reporter_choose_the_whole_organisation_instead(
    client_for, frida, org_a, org_a_department
):
    client_for(frida).post(reverse("needs:new"), report_data(department=""))
    need = Need.objects.get()
    assert (need.owner, need.department) == (org_a, None)


def test_it_preselects_the_department_of_a_lead_who_also_works_there(
    client_for, alice, org_a, org_a_department
):
    add_member(alice, org_a_department)
    content = client_for(alice).get(reverse("needs:new")).content.decode()
    assert department_choice(content)[1] == str(org_a_department.pk)


def test_it_offers_every_part_of_the_organisation_but_not_hidden_ones(
    client_for, bob, frida, org_a, org_a_department
):
    team = Organisation.objects.create(
        name="Arby Socialt Team", slug="arby-team", kind="department", country="DK",
        currency="DKK", parent=org_a_department,
    )  # fmt: skip
    hidden = Organisation.objects.create(
        name="Arby Teknik", slug="arby-teknik", kind="department", country="DK",
        currency="DKK", parent=org_a, visibility=Visibility.INTERNAL,
    )  # fmt: skip
    offered_to_bob, chosen = department_choice(
        client_for(bob).get(reverse("needs:new")).content.decode()
    )
    assert set(offered_to_bob) == {"", str(org_a_department.pk), str(team.pk), str(hidden.pk)}
    assert chosen is None  # bob works for the whole municipality
    offered_to_frida, _ = department_choice(
        client_for(frida).get(reverse("needs:new")).content.decode()
    )
    assert str(hidden.pk) not in offered_to_frida
    assert str(team.pk) in offered_to_frida


def test_it_keeps_what_was_typed_and_shows_the_error_next_to_the_title(client_for, bob):
    response = client_for(bob).post(
        reverse("needs:new"), report_data(title="", affected_who="Forældre til 1000 børn")
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in error_next_to(content, "title")
    assert "Forældre udfylder papir." in content
    assert 'value="Forældre til 1000 børn"' in content
    assert '<details class="need-more" open>' in content
    assert not Need.objects.exists()


def test_it_refuses_an_exe_attachment_and_asks_for_the_files_again(client_for, bob):
    data = report_data(attachments=[SimpleUploadedFile("virus.exe", b"MZ", "application/x-foo")])
    response = client_for(bob).post(reverse("needs:new"), data)
    content = response.content.decode()
    assert response.status_code == 422
    assert "files of this type are not accepted" in error_next_to(content, "attachments")
    assert "choose your files again" in content
    assert 'value="Papirblanketter i børnehaven"' in content
    assert not Need.objects.exists()


def test_it_refuses_an_attachment_over_10_mb(client_for, bob):
    big = SimpleUploadedFile("big.pdf", b"x" * (10 * 1024 * 1024 + 1), "application/pdf")
    response = client_for(bob).post(reverse("needs:new"), report_data(attachments=[big]))
    assert response.status_code == 422
    assert "larger than 10 MB" in error_next_to(response.content.decode(), "attachments")
    assert not Need.objects.exists()


def test_it_refuses_a_title_that_is_too_long(client_for, bob):
    response = client_for(bob).post(reverse("needs:new"), report_data(title="x" * 201))
    assert response.status_code == 422
    assert "at most 200 characters" in error_next_to(response.content.decode(), "title")


def test_it_tells_dave_that_a_company_cannot_report_a_need(client_for, dave):
    client = client_for(dave)
    response = client.get(reverse("needs:new"))
    assert response.status_code == 200
    assert "Cobalt Software ApS is not one" in response.content.decode()
    assert 'name="title"' not in response.content.decode()
    assert client.post(reverse("needs:new"), report_data()).status_code == 403


def test_it_shows_charlie_similar_needs_of_other_organisations_while_he_types(
    client_for, charlie, needs
):
    response = client_for(charlie).post(
        reverse("needs:similar"),
        {"title": "Manuel kontering af fakturaer", "description": "distrikter"},
        headers=HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "needs/_similar.html" in templates_of(response)
    assert needs["shared"].title in content
    assert "Another organisation" in content
    assert reverse("needs:endorse", args=[needs["shared"].pk]) in content
    assert needs["internal"].title not in content


def test_it_calls_the_municipalitys_needs_a_department_members_own_among_similar_ones(
    client_for, org_a_department, needs
):
    social = make_user("sofie")
    add_member(social, org_a_department)

    response = client_for(social).post(
        reverse("needs:similar"),
        {"title": "Manuel kontering af fakturaer", "description": "distrikter"},
        headers=HTMX,
    )

    content = response.content.decode()
    own = next(item for item in content.split("<li")[1:] if needs["shared"].title in item)
    assert "Another organisation" not in own
    assert reverse("needs:endorse", args=[needs["shared"].pk]) not in content


def test_it_shows_nothing_similar_before_enough_is_typed(client_for, charlie, needs):
    response = client_for(charlie).post(reverse("needs:similar"), {"title": "Man"})
    assert response.status_code == 200
    assert "<li" not in response.content.decode()


def test_it_asks_an_anonymous_visitor_to_sign_in_for_similar_needs(client, needs):
    assert client.post(reverse("needs:similar"), {"title": "fakturaer"}).status_code == 302


# My needs -----------------------------------------------------------------------------------


def test_it_shows_bob_his_own_needs_with_what_became_of_them(client_for, alice, bob, needs):
    services.change_status(alice, needs["public"], NeedStatus.REJECTED, "Løses allerede af IT.")
    services.merge_needs(alice, needs["shared"], needs["internal"])
    response = client_for(bob).get(reverse("needs:mine"))
    content = response.content.decode()
    assert response.status_code == 200
    assert needs["public"].title in content
    assert "Løses allerede af IT." in content
    assert "Merged into" in content
    assert needs["shared"].get_absolute_url() in content
    assert needs["b_shared"].title not in content


def test_it_shows_charlie_only_his_own_needs(client_for, charlie, needs):
    content = client_for(charlie).get(reverse("needs:mine")).content.decode()
    assert needs["b_shared"].title in content
    assert needs["shared"].title not in content


def test_it_asks_an_anonymous_visitor_to_sign_in_for_my_needs(client, db):
    assert client.get(reverse("needs:mine")).status_code == 302


def test_it_reads_my_needs_in_the_same_number_of_queries_for_3_and_30(client_for, bob, org_a):
    client = client_for(bob)
    make_many(org_a, bob, 3)
    few = queries_for(client, reverse("needs:mine"))
    make_many(org_a, bob, 27)
    assert queries_for(client, reverse("needs:mine")) == few


# The list and search -------------------------------------------------------------------------


def titles_on(response) -> set[str]:
    return {n.title for n in response.context["page"]}


def test_it_shows_an_anonymous_visitor_only_public_needs(client, needs):
    response = client.get(reverse("needs:list"))
    assert response.status_code == 200
    assert titles_on(response) == {needs["public"].title}


def test_it_shows_dave_only_public_needs(client_for, dave, needs):
    assert titles_on(client_for(dave).get(reverse("needs:list"))) == {needs["public"].title}


def test_it_shows_charlie_shared_needs_but_not_org_a_internal_ones(client_for, charlie, needs):
    titles = titles_on(client_for(charlie).get(reverse("needs:list")))
    assert titles == {needs[k].title for k in ("shared", "public", "b_shared")}


def test_it_shows_alice_her_organisation_s_internal_needs(client_for, alice, needs):
    titles = titles_on(client_for(alice).get(reverse("needs:list")))
    assert titles == {n.title for n in needs.values()}


def test_it_searches_and_answers_htmx_with_the_results_only(client_for, alice, needs):
    response = client_for(alice).get(reverse("needs:list"), {"q": "fakturaer"}, headers=HTMX)
    assert templates_of(response)[0] == "needs/_results.html"
    titles = titles_on(response)
    assert needs["shared"].title in titles
    if connection.vendor == "postgresql":
        # Every language's stem: Norwegian "fakturaer" also meets "faktura" in the others'
        # descriptions ("Medarbejderne taster hver faktura ind igen.").
        assert all("faktura" in n.description.lower() for n in response.context["page"])
    else:
        assert titles == {needs["shared"].title}
    content = response.content.decode()
    assert f"{reverse('needs:export-csv')}?q=fakturaer" in content
    assert f"{reverse('needs:export-xlsx')}?q=fakturaer" in content


def test_it_filters_by_organisation_country_status_and_theme(client_for, alice, needs, org_b):
    client = client_for(alice)
    url = reverse("needs:list")
    assert titles_on(client.get(url, {"organisation": org_b.pk})) == {needs["b_shared"].title}
    assert titles_on(client.get(url, {"country": "NO"})) == {needs["b_shared"].title}
    services.change_status(alice, needs["public"], NeedStatus.ACCEPTED)
    assert titles_on(client.get(url, {"status": "accepted"})) == {needs["public"].title}
    care = Theme.objects.get(slug="care")
    needs["internal"].themes.add(care)
    assert titles_on(client.get(url, {"theme": "care"})) == {needs["internal"].title}


def test_it_lists_a_units_needs_with_those_of_the_units_below_it(
    client_for, alice, bob, org_a, org_a_department
):
    team = Organisation.objects.create(
        name="Arby Hjemmepleje", slug="arby-care", kind="department", country="DK",
        currency="DKK", parent=org_a_department, visibility=Visibility.INTERNAL,
    )  # fmt: skip
    unit = make_need(org_a, bob, title="Vagtplan i forvaltningen", department=org_a_department)
    below = make_need(org_a, bob, title="Nøgler i hjemmeplejen", department=team)
    make_need(org_a, bob, title="Hele kommunens behov")

    listed = titles_on(
        client_for(alice).get(reverse("needs:list"), {"organisation": org_a_department.pk})
    )

    assert listed == {unit.title, below.title}


def test_it_sorts_the_most_endorsed_first(client_for, alice, charlie, needs, org_b):
    services.endorse_need(charlie, needs["public"], org_b, affected_count=3)
    response = client_for(alice).get(reverse("needs:list"), {"sort": "endorsed"})
    assert next(iter(response.context["page"])).pk == needs["public"].pk
    oldest = client_for(alice).get(reverse("needs:list"), {"sort": "oldest"})
    assert next(iter(oldest.context["page"])).pk == needs["internal"].pk


@pytest.mark.parametrize(
    "text",
    ['"*-(', "<script>alert(1)</script>", "' OR 1=1; --", "NEAR(a b)", "a AND -b*", ")))", "%_"],
)
def test_it_answers_search_syntax_and_sql_and_html_safely(client_for, alice, needs, text):
    response = client_for(alice).get(reverse("needs:list"), {"q": text})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_it_ignores_filters_it_does_not_understand(client, needs):
    response = client.get(
        reverse("needs:list"),
        {"organisation": "abc", "status": "gone", "theme": "?", "sort": "x", "page": "999"},
    )
    assert response.status_code == 200
    assert titles_on(response) == {needs["public"].title}


def test_it_lists_needs_in_the_same_number_of_queries_for_3_and_30(client_for, alice, org_a):
    client = client_for(alice)
    make_many(org_a, alice, 3)
    few = queries_for(client, reverse("needs:list"))
    make_many(org_a, alice, 27)
    assert queries_for(client, reverse("needs:list")) == few
    searched = f"{reverse('needs:list')}?q=behov&sort=endorsed"
    assert queries_for(client, searched) >= few  # searching works at any size


# The triage board ------------------------------------------------------------------------


def test_it_shows_alice_and_erin_the_board_of_their_organisation(client_for, alice, erin, needs):
    for person in (alice, erin):
        response = client_for(person).get(reverse("needs:board"))
        content = response.content.decode()
        assert response.status_code == 200
        assert needs["internal"].title in content
        assert needs["b_shared"].title not in content


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_refuses_the_board_to_people_without_triage_roles(client_for, needs, persona, request):
    person = request.getfixturevalue(persona)
    assert client_for(person).get(reverse("needs:board")).status_code == 403


def test_it_sends_an_anonymous_visitor_to_sign_in_before_the_board(client, db):
    assert client.get(reverse("needs:board")).status_code == 302


def test_it_lets_alice_move_a_need_and_tells_the_reporter(
    client_for, alice, bob, needs, django_capture_on_commit_callbacks
):
    need = needs["internal"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(
            reverse("needs:status", args=[need.pk]),
            {"source": "board", f"status-{need.pk}-status": "in_triage"},
            headers=HTMX,
        )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#board"
    assert "“Intern vagtplan i hjemmeplejen” is now “In triage”." in response.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_TRIAGE
    assert Notification.objects.filter(recipient=bob).exists()
    assert [m.to for m in mail.outbox] == [[bob.email]]


def test_it_asks_for_a_reason_when_alice_rejects(client_for, alice, needs):
    need = needs["internal"]
    response = client_for(alice).post(
        reverse("needs:status", args=[need.pk]),
        {"source": "board", f"status-{need.pk}-status": "rejected"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert templates_of(response)[0] == "needs/_card.html"
    assert "Give a reason" in error_next_to(response.content.decode(), f"status-{need.pk}-reason")
    need.refresh_from_db()
    assert need.status == NeedStatus.NEW


def test_it_rejects_with_a_reason_from_the_need_page(client_for, alice, needs):
    need = needs["internal"]
    response = client_for(alice).post(
        reverse("needs:status", args=[need.pk]),
        {
            "source": "detail",
            f"status-{need.pk}-status": "rejected",
            f"status-{need.pk}-reason": "Dækket af en anden løsning.",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.status_reason) == ("rejected", "Dækket af en anden løsning.")


def test_it_refuses_a_status_change_to_bob_and_hides_it_from_charlie(
    client_for, bob, charlie, needs
):
    url = reverse("needs:status", args=[needs["internal"].pk])
    data = {f"status-{needs['internal'].pk}-status": "accepted"}
    assert client_for(bob).post(url, data).status_code == 403
    assert client_for(charlie).post(url, data).status_code == 404


@pytest.fixture
def department_needs(org_a, org_a_department, bob):
    """Needs filed as the data model files them: owned by A, with the department named."""
    return [
        make_need(org_a, bob, title=f"Afdelingens behov {n}", department=org_a_department)
        for n in range(2)
    ]


def test_it_shows_a_department_lead_the_department_s_needs_to_triage(
    client_for, org_a_department, needs, department_needs
):
    lead = make_user("sara")
    add_member(lead, org_a_department, Role.Code.INNOVATION_LEAD)
    client = client_for(lead)

    content = client.get(reverse("needs:board")).content.decode()
    assert all(need.title in content for need in department_needs)
    assert needs["internal"].title not in content

    need = department_needs[0]
    assert 'id="triage-heading"' in client.get(need.get_absolute_url()).content.decode()
    response = client.post(
        reverse("needs:status", args=[need.pk]),
        {"source": "detail", f"status-{need.pk}-status": "accepted"},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.ACCEPTED


def test_it_refuses_the_department_s_needs_to_a_sibling_department_s_lead(
    client_for, org_a, department_needs
):
    sibling = Organisation.objects.create(
        name="Arby Teknik", slug="arby-teknik", kind="department", country="DK",
        currency="DKK", parent=org_a,
    )  # fmt: skip
    lead = make_user("lead")
    add_member(lead, sibling, Role.Code.INNOVATION_LEAD)
    client = client_for(lead)

    content = client.get(reverse("needs:board")).content.decode()
    assert department_needs[0].title not in content
    need = department_needs[0]
    url = reverse("needs:status", args=[need.pk])
    assert client.post(url, {f"status-{need.pk}-status": "accepted"}).status_code == 404


def more_links(content: str) -> list[str]:
    return re.findall(r'href="(/needs/\?status=[^"]+)"', content)


def test_it_links_more_of_a_column_to_the_list_of_the_lead_s_organisation(
    client_for, alice, org_a, monkeypatch
):
    monkeypatch.setattr(queries, "BOARD_LIMIT", 2)
    make_many(org_a, alice, 3)
    content = client_for(alice).get(reverse("needs:board")).content.decode()
    assert more_links(content) == [
        f"/needs/?status=new&amp;organisation={org_a.pk}&amp;sort=oldest"
    ]
    assert "1 more in the list" in content


def test_it_links_more_to_each_organisation_of_a_lead_of_several(
    client_for, alice, org_a, org_a_department, org_b, monkeypatch
):
    monkeypatch.setattr(queries, "BOARD_LIMIT", 2)
    add_member(alice, org_a_department, Role.Code.INNOVATION_LEAD)  # within A: no link of its own
    add_member(alice, org_b, Role.Code.INNOVATION_LEAD)
    make_many(org_a, alice, 2)
    make_many(org_b, alice, 2)
    content = client_for(alice).get(reverse("needs:board")).content.decode()
    assert more_links(content) == [
        f"/needs/?status=new&amp;organisation={org_a.pk}&amp;sort=oldest",
        f"/needs/?status=new&amp;organisation={org_b.pk}&amp;sort=oldest",
    ]
    assert "2 more in the list:" in content


def test_it_names_the_survivor_on_a_merged_card_in_the_reader_s_language(
    client, client_for, alice, needs
):
    survivor, absorbed = needs["shared"], needs["internal"]
    services.merge_needs(alice, survivor, absorbed)
    content = client_for(alice).get(reverse("needs:board")).content.decode()
    assert f"Merged into “{survivor.title}”." in content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    content = client.get(reverse("needs:board")).content.decode()
    assert f"Merged into “{survivor.title}”." not in content
    assert survivor.title in content


def test_it_reads_the_board_in_the_same_number_of_queries_for_3_and_30(client_for, alice, org_a):
    client = client_for(alice)
    make_many(org_a, alice, 3)
    few = queries_for(client, reverse("needs:board"))
    make_many(org_a, alice, 27)
    assert queries_for(client, reverse("needs:board")) == few


# A need's page ------------------------------------------------------------------------------


def test_it_shows_an_anonymous_visitor_a_public_need_and_404_on_others(client, needs):
    assert client.get(needs["public"].get_absolute_url()).status_code == 200
    assert client.get(needs["shared"].get_absolute_url()).status_code == 404
    assert client.get(needs["internal"].get_absolute_url()).status_code == 404


def test_it_gives_charlie_404_on_org_a_internal_need(client_for, charlie, needs):
    client = client_for(charlie)
    assert client.get(needs["internal"].get_absolute_url()).status_code == 404
    assert client.get(needs["shared"].get_absolute_url()).status_code == 200


def test_it_gives_dave_404_on_a_shared_need(client_for, dave, needs):
    assert client_for(dave).get(needs["shared"].get_absolute_url()).status_code == 404


def test_it_escapes_what_people_wrote(client_for, bob, org_a):
    need = make_need(org_a, bob, title="<script>alert(1)</script>", description="a\n<b>fed</b>")
    content = client_for(bob).get(need.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;fed&lt;/b&gt;" in content


def test_it_shows_alice_the_triage_forms_and_the_challenge_link(client_for, alice, needs):
    content = client_for(alice).get(needs["internal"].get_absolute_url()).content.decode()
    assert reverse("needs:merge", args=[needs["internal"].pk]) in content
    assert reverse("needs:owner", args=[needs["internal"].pk]) in content
    assert f"{reverse('challenges:create')}?needs={needs['internal'].pk}" in content
    assert reverse("needs:edit", args=[needs["internal"].pk]) in content


def test_it_shows_bob_no_triage_forms_and_no_challenge_link(client_for, bob, needs):
    content = client_for(bob).get(needs["internal"].get_absolute_url()).content.decode()
    assert reverse("needs:merge", args=[needs["internal"].pk]) not in content
    assert reverse("challenges:create") not in content
    assert reverse("needs:edit", args=[needs["internal"].pk]) in content  # his own, still new
    assert "History" in content


def test_it_shows_the_endorsers_and_the_summed_volume(client_for, alice, charlie, needs, org_b):
    services.endorse_need(
        charlie, needs["shared"], org_b, affected_count=10, hours_per_week=Decimal("2.5")
    )
    response = client_for(alice).get(needs["shared"].get_absolute_url())
    content = response.content.decode()
    assert org_b.name in content
    assert response.context["volume"].people == 50
    assert response.context["volume"].hours == Decimal("15.0")
    assert "2 organisations, 50 people affected" in content


def test_it_shows_similar_needs_on_the_need_page(client_for, charlie, org_b, needs):
    twin = make_need(
        org_b,
        charlie,
        title="Manuel kontering af fakturaer",
        description="Fakturaer konteres manuelt i distrikterne.",
        visibility=Visibility.SHARED,
    )
    response = client_for(charlie).get(twin.get_absolute_url())
    similar = [row["need"] for row in response.context["similar"]]
    assert needs["shared"] in similar
    assert twin not in similar


def test_it_lets_alice_assign_bob_as_need_owner_but_not_charlie(
    client_for, alice, bob, charlie, needs
):
    client = client_for(alice)
    url = reverse("needs:owner", args=[needs["internal"].pk])
    assert client.post(url, {"need_owner": bob.pk}).status_code == 302
    needs["internal"].refresh_from_db()
    assert needs["internal"].need_owner == bob
    response = client.post(url, {"need_owner": charlie.pk})
    assert response.status_code == 422
    assert error_next_to(response.content.decode(), "need_owner")


# We have it too ------------------------------------------------------------------------------


def test_it_lets_charlie_endorse_a_shared_need_of_org_a(client_for, charlie, needs, org_b):
    client = client_for(charlie)
    url = reverse("needs:endorse", args=[needs["shared"].pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url, {"organisation": org_b.pk, "affected_count": "7", "hours_per_week": "1.5"}
    )
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert (endorsement.organisation, endorsement.affected_count) == (org_b, 7)
    client.post(url, {"organisation": org_b.pk, "affected_count": "9"})
    assert Endorsement.objects.get().affected_count == 9  # one per organisation


def test_it_tells_bob_his_own_organisation_cannot_endorse_its_need(client_for, bob, needs, org_a):
    response = client_for(bob).post(
        reverse("needs:endorse", args=[needs["shared"].pk]), {"organisation": org_a.pk}
    )
    assert response.status_code == 422
    assert "cannot endorse its own need" in error_next_to(response.content.decode(), "organisation")
    assert not Endorsement.objects.exists()


def test_it_gives_charlie_404_when_endorsing_an_internal_need(client_for, charlie, needs, org_b):
    url = reverse("needs:endorse", args=[needs["internal"].pk])
    assert client_for(charlie).post(url, {"organisation": org_b.pk}).status_code == 404


def test_it_offers_dave_no_organisation_to_endorse_with(client_for, dave, needs, org_c):
    response = client_for(dave).post(
        reverse("needs:endorse", args=[needs["public"].pk]), {"organisation": org_c.pk}
    )
    assert response.status_code == 422
    assert not Endorsement.objects.exists()


def test_it_lets_charlie_withdraw_his_organisation_s_endorsement(client_for, charlie, needs, org_b):
    endorsement = services.endorse_need(charlie, needs["shared"], org_b)
    response = client_for(charlie).post(
        reverse("needs:endorsement-withdraw", args=[endorsement.pk])
    )
    assert response.status_code == 302
    assert not Endorsement.objects.exists()


def test_it_refuses_bob_withdrawing_another_organisation_s_endorsement(
    client_for, bob, charlie, needs, org_b
):
    endorsement = services.endorse_need(charlie, needs["shared"], org_b)
    url = reverse("needs:endorsement-withdraw", args=[endorsement.pk])
    assert client_for(bob).post(url).status_code == 403


# Comments ----------------------------------------------------------------------------------


def test_it_lets_bob_comment_and_shows_the_comment(client_for, bob, needs):
    client = client_for(bob)
    url = reverse("needs:comment", args=[needs["internal"].pk])
    assert client.post(url, {"body": "Det gælder også nattevagten."}).status_code == 302
    content = client.get(needs["internal"].get_absolute_url()).content.decode()
    assert "Det gælder også nattevagten." in content


def test_it_shows_an_error_for_an_empty_comment(client_for, bob, needs):
    response = client_for(bob).post(
        reverse("needs:comment", args=[needs["internal"].pk]), {"body": "  "}
    )
    assert response.status_code == 422
    assert error_next_to(response.content.decode(), "body")
    assert not Comment.objects.exists()


def test_it_refuses_comments_from_dave_and_hides_them_from_him(client_for, bob, dave, needs):
    services.add_comment(bob, needs["public"], "Kun for kolleger")
    client = client_for(dave)
    url = reverse("needs:comment", args=[needs["public"].pk])
    assert client.post(url, {"body": "Hej"}).status_code == 403
    assert "Kun for kolleger" not in client.get(needs["public"].get_absolute_url()).content.decode()


# Merging --------------------------------------------------------------------------------------


def test_it_lets_alice_merge_a_duplicate_into_another_need(client_for, alice, needs):
    survivor, absorbed = needs["shared"], needs["internal"]
    client = client_for(alice)
    response = client.post(reverse("needs:merge", args=[absorbed.pk]), {"survivor": survivor.pk})
    assert response.status_code == 302
    assert response["Location"] == survivor.get_absolute_url()
    absorbed.refresh_from_db()
    assert (absorbed.status, absorbed.merged_into) == (NeedStatus.MERGED, survivor)
    content = client.get(absorbed.get_absolute_url()).content.decode()
    assert "This need was merged into another need" in content
    assert survivor.get_absolute_url() in content


def absorb(survivor, *absorbed) -> None:
    for need in absorbed:
        need.status, need.merged_into = NeedStatus.MERGED, survivor
        need.save()


def test_it_lists_the_needs_merged_into_a_need_that_the_reader_may_see(
    client_for, alice, charlie, org_a, org_b, needs
):
    survivor = needs["shared"]
    own = make_need(org_a, title="Arbys dublet")
    others = make_need(org_b, title="Bergviks dublet", visibility=Visibility.SHARED)
    absorb(survivor, own, others)

    content = client_for(alice).get(survivor.get_absolute_url()).content.decode()
    assert "Merged into this need" in content
    assert f'href="{own.get_absolute_url()}">{own.title}</a>' in content
    assert f'href="{others.get_absolute_url()}">{others.title}</a>' in content

    absorb(survivor, make_need(org_b, title="Bergviks interne dublet"))
    content = client_for(alice).get(survivor.get_absolute_url()).content.decode()
    assert "Bergviks interne dublet" not in content


def test_it_shows_no_merged_list_on_a_need_without_merged_needs(client_for, alice, needs):
    content = client_for(alice).get(needs["shared"].get_absolute_url()).content.decode()
    assert "Merged into this need" not in content


def test_it_reads_a_need_page_in_the_same_number_of_queries_for_1_and_10_merged_needs(
    client_for, alice, org_a, needs
):
    client = client_for(alice)
    survivor = needs["shared"]
    absorb(survivor, make_need(org_a, title="Dublet 0"))
    one = queries_for(client, survivor.get_absolute_url())
    absorb(survivor, *[make_need(org_a, title=f"Dublet {n}") for n in range(1, 10)])
    assert queries_for(client, survivor.get_absolute_url()) == one


def test_it_refuses_to_merge_a_need_into_itself(client_for, alice, needs):
    need = needs["internal"]
    response = client_for(alice).post(reverse("needs:merge", args=[need.pk]), {"survivor": need.pk})
    assert response.status_code == 422
    assert "cannot be merged into itself" in error_next_to(response.content.decode(), "survivor")
    need.refresh_from_db()
    assert need.status == NeedStatus.NEW


def test_it_refuses_a_merge_to_bob(client_for, bob, needs):
    response = client_for(bob).post(
        reverse("needs:merge", args=[needs["internal"].pk]), {"survivor": needs["shared"].pk}
    )
    assert response.status_code == 403


def test_it_refuses_a_survivor_alice_may_not_triage(client_for, alice, needs):
    response = client_for(alice).post(
        reverse("needs:merge", args=[needs["internal"].pk]), {"survivor": needs["b_shared"].pk}
    )
    assert response.status_code == 422
    assert "Choose a need that you may triage." in response.content.decode()


# Editing --------------------------------------------------------------------------------------


def test_it_lets_bob_edit_his_new_need_until_triage_starts(client_for, alice, bob, needs):
    need = needs["internal"]
    client = client_for(bob)
    url = reverse("needs:edit", args=[need.pk])
    assert client.get(url).status_code == 200
    data = report_data(title="Vagtplanen laves på papir", visibility="internal")
    assert client.post(url, data).status_code == 302
    need.refresh_from_db()
    assert need.title == "Vagtplanen laves på papir"
    services.change_status(alice, need, NeedStatus.IN_TRIAGE)
    assert client.get(url).status_code == 403


def test_it_refuses_editing_to_charlie(client_for, charlie, needs):
    client = client_for(charlie)
    assert client.get(reverse("needs:edit", args=[needs["internal"].pk])).status_code == 404
    assert client.get(reverse("needs:edit", args=[needs["shared"].pk])).status_code == 403


# Attachments ---------------------------------------------------------------------------------


@pytest.fixture
def attachment(bob, needs) -> Attachment:
    upload = SimpleUploadedFile("Vagtplan uge 7.pdf", b"%PDF-1.4 plan", "application/pdf")
    return services.add_attachment(bob, needs["internal"], upload)


def test_it_lets_bob_download_an_attachment_under_its_own_name(client_for, bob, attachment):
    response = client_for(bob).get(reverse("needs:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Vagtplan_uge_7.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"


def test_it_gives_charlie_and_anonymous_404_on_an_internal_need_s_attachment(
    client, client_for, charlie, attachment
):
    url = reverse("needs:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 404
    assert client_for(charlie).get(url).status_code == 404
    assert client.get(reverse("needs:attachment", args=[999999])).status_code == 404
