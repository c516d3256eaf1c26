"""The dataset pages for everyone who may and may not use them (Django's test client)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspil.conftest import make_user
from samspil.events import dataset_services as services
from samspil.events.models import Dataset, DatasetAcceptance, DatasetAccess

from .conftest import make_event, register
from .test_views import HTMX, text_of

TERMS = "Use the data only at the hackathon and delete them afterwards."
CONTENT = b"id,category\n1,parking\n2,waste\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def csv_file(name="complaints.csv", content=CONTENT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def add(actor, event, title="Complaints 2023", **overrides) -> Dataset:
    values = {
        "title": title,
        "description": "Anonymised complaints.",
        "classification": "internal",
        "terms": TERMS,
        "link": "https://data.example.org/complaints",
    }
    values.update(overrides)
    upload = values.pop("upload", csv_file())
    return services.add_dataset(actor, event, upload=upload, **values)


@pytest.fixture
def participant(dave, public_event):
    """dave, the supplier, with a confirmed registration for the public event."""
    register(public_event, dave.email, user=dave)
    return dave


@pytest.fixture
def dataset(alice, public_event):
    return add(alice, public_event)


def url(event, name="", dataset=None) -> str:
    base = f"/events/{event.pk}/datasets/"
    if dataset is not None:
        base += f"{dataset.pk}/"
    return base + name


def form_data(**overrides) -> dict:
    data = {
        "title": "Parking permits",
        "description": "Permits per zone and month.",
        "classification": "public",
        "legal_basis": "",
        "terms": TERMS,
        "link": "",
        "file": csv_file("permits.csv"),
    }
    data.update(overrides)
    return data


def accepted(user, dataset) -> None:
    services.accept_terms(user, dataset)


ORGANISER_PAGES = ["", "log/", "log.csv"]
DATASET_ORGANISER_PAGES = ["edit/", "delete/"]
DATASET_PAGES = ["", "download/", "link/"]


# Who may ------------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, public_event, dataset):
    urls = [url(public_event, tail) for tail in ORGANISER_PAGES]
    urls += [url(public_event, t, dataset) for t in DATASET_ORGANISER_PAGES + DATASET_PAGES]
    for address in urls:
        response = client.get(address)
        assert response.status_code == 302 and "/login/" in response["Location"], address
    response = client.post(url(public_event, "accept/", dataset), {"accept": "on"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not DatasetAcceptance.objects.exists() and not DatasetAccess.objects.exists()


def test_it_keeps_the_organiser_pages_from_others(
    client_for, bob, participant, public_event, dataset
):
    for user in (bob, participant):
        client = client_for(user)
        for tail in ORGANISER_PAGES:
            assert client.get(url(public_event, tail)).status_code == 403
        for tail in DATASET_ORGANISER_PAGES:
            assert client.get(url(public_event, tail, dataset)).status_code == 403
            assert client.post(url(public_event, tail, dataset), form_data()).status_code == 403
        assert client.post(url(public_event), form_data()).status_code == 403
    assert Dataset.objects.get().title == "Complaints 2023"


def test_it_keeps_the_datasets_from_people_who_do_not_take_part(
    client_for, bob, dave, public_event, dataset
):
    for user in (bob, dave):
        client = client_for(user)
        for tail in DATASET_PAGES:
            assert client.get(url(public_event, tail, dataset)).status_code == 403
        response = client.post(url(public_event, "accept/", dataset), {"accept": "on"})
        assert response.status_code == 403
    assert not DatasetAcceptance.objects.exists() and not DatasetAccess.objects.exists()


def test_it_answers_404_to_other_organisations_for_internal_events(
    client_for, alice, charlie, internal_event
):
    dataset = add(alice, internal_event)
    client = client_for(charlie)
    for tail in ORGANISER_PAGES:
        assert client.get(url(internal_event, tail)).status_code == 404
    for tail in DATASET_ORGANISER_PAGES + DATASET_PAGES:
        assert client.get(url(internal_event, tail, dataset)).status_code == 404
    assert client.post(url(internal_event, "accept/", dataset), {"accept": "on"}).status_code == 404
    assert client.post(url(internal_event), form_data()).status_code == 404


def test_it_answers_404_for_datasets_of_another_event(client_for, alice, org_a, dataset):
    other = make_event(alice, org_a, "Another workshop")
    client = client_for(alice)
    for tail in DATASET_ORGANISER_PAGES + DATASET_PAGES:
        assert client.get(url(other, tail, dataset)).status_code == 404
    assert client.get("/events/999999/datasets/").status_code == 404


# Organisers ---------------------------------------------------------------------------------------


def test_it_lets_organisers_add_a_dataset_with_a_file(client_for, alice, public_event, media):
    client = client_for(alice)
    assert client.get(url(public_event)).status_code == 200
    response = client.post(url(public_event), form_data())
    assert response.status_code == 302 and response["Location"] == url(public_event)
    dataset = Dataset.objects.get()
    assert dataset.original_name == "permits.csv" and dataset.created_by == alice
    assert (media / dataset.file.name).read_bytes() == CONTENT
    text = text_of(client.get(url(public_event)))
    assert "Parking permits" in text and "permits.csv" in text and "Public" in text


def test_it_keeps_what_was_typed_and_asks_for_the_file_again(client_for, alice, public_event):
    data = form_data(file=SimpleUploadedFile("tool.exe", b"MZ", "application/octet-stream"))
    response = client_for(alice).post(url(public_event), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Parking permits"' in html and "Permits per zone and month." in html
    text = text_of(response)
    assert "tool.exe: files of this type are not accepted" in text
    assert "please choose the file again" in text
    assert not Dataset.objects.exists()


def test_it_asks_for_a_legal_basis_for_personal_data(client_for, alice, public_event):
    response = client_for(alice).post(url(public_event), form_data(classification="personal"))
    assert response.status_code == 422
    assert "need a legal basis" in text_of(response)
    response = client_for(alice).post(
        url(public_event), form_data(classification="personal", legal_basis="GDPR art. 6(1)(e)")
    )
    assert response.status_code == 302


def test_it_refuses_files_over_the_limit(client_for, alice, public_event, monkeypatch):
    monkeypatch.setattr(services, "DATASET_MAX_BYTES", 10)
    response = client_for(alice).post(url(public_event), form_data())
    assert response.status_code == 422
    assert "permits.csv is larger than 10" in text_of(response)


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "", "terms": ""},
        {"classification": "secret"},
        {"file": "", "link": ""},
        {"link": "javascript:alert(1)"},
        {"title": "x" * 300},
        {"file": SimpleUploadedFile("empty.csv", b"", "text/csv")},
    ],
)
def test_it_answers_bad_input_with_the_form_not_a_500(client_for, alice, public_event, overrides):
    response = client_for(alice).post(url(public_event), form_data(**overrides))
    assert response.status_code == 422
    assert not Dataset.objects.exists()


def test_it_edits_a_dataset_and_its_terms(client_for, alice, participant, public_event, dataset):
    accepted(participant, dataset)
    client = client_for(alice)
    page = client.get(url(public_event, "edit/", dataset))
    assert page.status_code == 200 and 'value="Complaints 2023"' in page.content.decode()
    data = form_data(title="Complaints 2024", terms=TERMS + " No publishing per person.")
    data.pop("file")
    response = client.post(url(public_event, "edit/", dataset), data)
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.title == "Complaints 2024" and dataset.original_name == "complaints.csv"
    assert services.acceptance_of(participant, dataset) == services.TERMS_CHANGED


def test_it_keeps_the_saved_title_in_the_heading_while_errors_show(
    client_for, alice, public_event, dataset
):
    data = form_data(title="Renamed", classification="confidential", file="")
    response = client_for(alice).post(url(public_event, "edit/", dataset), data)
    assert response.status_code == 422
    assert "Edit Complaints 2023" in text_of(response) and 'value="Renamed"' in (
        response.content.decode()
    )
    assert Dataset.objects.get().title == "Complaints 2023"


def test_it_removes_a_dataset_after_asking(client_for, alice, public_event, dataset):
    client = client_for(alice)
    assert client.get(url(public_event, "delete/", dataset)).status_code == 200
    response = client.post(url(public_event, "delete/", dataset))
    assert response.status_code == 302 and not Dataset.objects.exists()


# Participants -------------------------------------------------------------------------------------


def test_it_shows_the_terms_before_anything_else(client_for, participant, public_event, dataset):
    client = client_for(participant)
    response = client.get(url(public_event, "", dataset))
    assert response.status_code == 200
    text = text_of(response)
    assert TERMS in text and "I accept the terms" in text and "Internal" in text
    assert url(public_event, "download/", dataset) not in response.content.decode()
    assert data_example_absent(response)
    for tail in ("download/", "link/"):
        response = client.get(url(public_event, tail, dataset))
        assert response.status_code == 302
        assert response["Location"] == url(public_event, "", dataset)
    assert not DatasetAccess.objects.exists()


def data_example_absent(response) -> bool:
    """The external address is given only through the logged link route."""
    return "data.example.org" not in response.content.decode()


def test_it_serves_the_file_after_the_terms_are_accepted(
    client_for, participant, public_event, dataset
):
    client = client_for(participant)
    digest = services.terms_digest(TERMS)
    response = client.post(
        url(public_event, "accept/", dataset), {"accept": "on", "terms_digest": digest}
    )
    assert response.status_code == 302
    assert DatasetAcceptance.objects.get(user=participant).terms == TERMS
    page = client.get(url(public_event, "", dataset))
    assert url(public_event, "download/", dataset) in page.content.decode()
    response = client.get(url(public_event, "download/", dataset))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="complaints.csv"'
    assert response["Content-Type"] == "text/csv"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    access = DatasetAccess.objects.get()
    assert (access.user, access.action) == (participant, "download")


def test_it_logs_the_link_and_then_sends_the_person_there(
    client_for, participant, public_event, dataset
):
    accepted(participant, dataset)
    response = client_for(participant).get(url(public_event, "link/", dataset))
    assert response.status_code == 302
    assert response["Location"] == "https://data.example.org/complaints"
    assert DatasetAccess.objects.get().action == "link"


def test_it_accepts_with_htmx_and_answers_with_the_partial(
    client_for, participant, public_event, dataset
):
    response = client_for(participant).post(
        url(public_event, "accept/", dataset), {"accept": "on"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="dataset-access"') and "<html" not in html
    assert url(public_event, "download/", dataset) in html


def test_it_asks_for_the_box_and_for_a_new_reading_of_changed_terms(
    client_for, alice, participant, public_event, dataset
):
    client = client_for(participant)
    response = client.post(url(public_event, "accept/", dataset), {})
    assert response.status_code == 422 and "Tick the box" in text_of(response)
    shown = services.terms_digest(TERMS)
    services.update_dataset(alice, dataset, terms="New terms.")
    response = client.post(
        url(public_event, "accept/", dataset), {"accept": "on", "terms_digest": shown}, headers=HTMX
    )
    assert response.status_code == 422 and "changed while you read them" in text_of(response)
    assert services.terms_digest("New terms.") in response.content.decode()
    assert not DatasetAcceptance.objects.exists()
    assert client.get(url(public_event, "accept/", dataset)).status_code == 405


def test_it_asks_to_accept_again_after_the_terms_changed(
    client_for, alice, participant, public_event, dataset
):
    accepted(participant, dataset)
    services.update_dataset(alice, dataset, terms=TERMS + " Keep it on municipal machines.")
    client = client_for(participant)
    text = text_of(client.get(url(public_event, "", dataset)))
    assert "The terms changed since you accepted them" in text and "municipal machines" in text
    response = client.get(url(public_event, "download/", dataset))
    assert response.status_code == 302 and not DatasetAccess.objects.exists()
    client.post(url(public_event, "accept/", dataset), {"accept": "on"})
    assert client.get(url(public_event, "download/", dataset)).status_code == 200


def test_it_lets_organisers_download_without_accepting(client_for, alice, public_event, dataset):
    client = client_for(alice)
    page = client.get(url(public_event, "", dataset))
    assert url(public_event, "download/", dataset) in page.content.decode()
    assert "I accept the terms" not in text_of(page)
    response = client.get(url(public_event, "download/", dataset))
    assert response.status_code == 200 and b"".join(response.streaming_content) == CONTENT
    assert DatasetAccess.objects.get().user == alice


def test_it_answers_404_for_what_a_dataset_does_not_have(client_for, alice, public_event, media):
    link_only = add(alice, public_event, "Open data", upload=None)
    with_file = add(alice, public_event, "Missing file", link="")
    (media / with_file.file.name).unlink()
    client = client_for(alice)
    assert client.get(url(public_event, "download/", link_only)).status_code == 404
    assert client.get(url(public_event, "link/", with_file)).status_code == 404
    assert client.get(url(public_event, "download/", with_file)).status_code == 404
    assert not DatasetAccess.objects.exists()


# The access log -----------------------------------------------------------------------------------


def test_it_shows_the_access_log_with_acceptances(
    client_for, alice, participant, public_event, dataset
):
    accepted(participant, dataset)
    services.open_dataset(participant, dataset, "download").close()
    services.open_dataset(participant, dataset, "link")
    response = client_for(alice).get(url(public_event, "log/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-action="download"') == 1 and html.count('data-action="link"') == 1
    assert html.count('data-action="accepted"') == 1
    text = text_of(response)
    assert "Dave" in text and "dave@example.org" in text and "Accepted the terms" in text


def test_it_exports_the_access_log_as_csv(client_for, alice, participant, public_event):
    dataset = add(alice, public_event, "=HYPERLINK(1)")
    accepted(participant, dataset)
    services.open_dataset(participant, dataset, "download").close()
    response = client_for(alice).get(url(public_event, "log.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["When", "Person", "E-mail address", "Dataset", "Action"]
    assert [row[1:] for row in rows[1:]] == [
        ["Dave", "dave@example.org", "'=HYPERLINK(1)", "Download"],
        ["Dave", "dave@example.org", "'=HYPERLINK(1)", "Accepted the terms"],
    ]


def test_it_keeps_the_log_page_queries_constant(client_for, alice, public_event, dataset):
    client = client_for(alice)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(public_event, "log/")).status_code == 200
        return len(queries)

    services.open_dataset(alice, dataset, "download").close()
    few = count_queries()
    public_event.capacity = 40
    public_event.save()
    for n in range(12):
        person = make_user(f"person{n}")
        register(public_event, person.email, user=person)
        accepted(person, dataset)
        services.open_dataset(person, dataset, "link")
    assert count_queries() == few


def test_it_keeps_the_management_page_queries_constant(client_for, alice, public_event, dave):
    client = client_for(alice)
    register(public_event, dave.email, user=dave)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(public_event)).status_code == 200
        return len(queries)

    accepted(dave, add(alice, public_event, "First"))
    few = count_queries()
    for n in range(10):
        dataset = add(alice, public_event, f"Dataset {n}", upload=None)
        accepted(dave, dataset)
        services.open_dataset(dave, dataset, "link")
    assert count_queries() == few


# The panel on the event page ----------------------------------------------------------------------


def test_it_shows_the_panel_to_organisers_and_participants_only(
    client, client_for, alice, bob, participant, public_event, dataset
):
    panel = 'id="event-datasets"'
    assert panel not in client.get(f"/events/{public_event.pk}/").content.decode()
    assert panel not in client_for(bob).get(f"/events/{public_event.pk}/").content.decode()
    response = client_for(participant).get(f"/events/{public_event.pk}/")
    html = response.content.decode()
    assert panel in html and 'data-state="not_accepted"' in html
    assert f'href="{url(public_event)}"' not in html
    accepted(participant, dataset)
    html = client_for(participant).get(f"/events/{public_event.pk}/").content.decode()
    assert 'data-state="accepted"' in html
    html = client_for(alice).get(f"/events/{public_event.pk}/").content.decode()
    assert panel in html and f'href="{url(public_event)}"' in html


def test_it_shows_the_panel_with_a_constant_number_of_queries(
    client_for, alice, participant, public_event
):
    client = client_for(participant)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/events/{public_event.pk}/").status_code == 200
        return len(queries)

    accepted(participant, add(alice, public_event, "First"))
    few = count_queries()
    for n in range(8):
        accepted(participant, add(alice, public_event, f"Dataset {n}", upload=None))
    assert count_queries() == few
