"""Datasets: who may add and open them, the rules of their fields, terms and the access log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from samspil.events import dataset_services as services
from samspil.events.dataset_services import TermsNotAccepted
from samspil.events.models import Dataset, DatasetAcceptance, DatasetAccess

from .conftest import register

TERMS = "Use the data only to build prototypes at the hackathon; delete them afterwards."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def in_english():
    """Messages in English, whatever the translations say."""
    with translation.override("en"):
        yield


def csv_file(name="complaints.csv", content=b"id,category\n1,parking\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def fields(**overrides) -> dict:
    values = {
        "title": "Complaints 2023",
        "description": "Anonymised complaints about the city's services.",
        "classification": "internal",
        "legal_basis": "",
        "terms": TERMS,
        "link": "",
    }
    values.update(overrides)
    return values


@pytest.fixture
def participant(dave, public_event):
    """dave, the supplier, with a confirmed registration for the public event."""
    register(public_event, dave.email, user=dave)
    return dave


@pytest.fixture
def dataset(alice, public_event):
    return services.add_dataset(alice, public_event, upload=csv_file(), **fields())


def test_it_stores_an_upload_under_a_generated_name(alice, public_event, media):
    dataset = services.add_dataset(
        alice, public_event, upload=csv_file("../../Klager 2023.CSV"), **fields()
    )
    assert dataset.original_name == "Klager_2023.CSV"
    assert dataset.stored_name.endswith(".csv") and "Klager" not in dataset.stored_name
    assert dataset.file.name == f"events/{public_event.pk}/datasets/{dataset.stored_name}"
    assert dataset.content_type == "text/csv" and dataset.size == 22
    assert (media / dataset.file.name).read_bytes() == b"id,category\n1,parking\n"
    assert dataset.created_by == alice
    assert dataset.history.first().history_user == alice


def test_it_offers_a_link_instead_of_a_file(alice, public_event):
    dataset = services.add_dataset(
        alice, public_event, **fields(link="https://data.example.org/complaints")
    )
    assert not dataset.file and dataset.link == "https://data.example.org/complaints"


def test_it_refuses_datasets_to_people_who_do_not_organise(bob, participant, public_event):
    for user in (bob, participant):
        with pytest.raises(PermissionDenied):
            services.add_dataset(user, public_event, upload=csv_file(), **fields())
    assert not Dataset.objects.exists()


def test_it_requires_a_title_terms_and_a_file_or_a_link(alice, public_event):
    with pytest.raises(ValidationError) as caught:
        services.add_dataset(alice, public_event, **fields(title=" ", terms="", classification="x"))
    assert set(caught.value.message_dict) == {"title", "terms", "classification", "file"}


@pytest.mark.parametrize("classification", ["personal", "confidential"])
def test_it_requires_a_legal_basis_for_sensitive_data(alice, public_event, classification):
    with pytest.raises(ValidationError) as caught:
        services.add_dataset(
            alice, public_event, upload=csv_file(), **fields(classification=classification)
        )
    assert "need a legal basis" in caught.value.message_dict["legal_basis"][0]
    dataset = services.add_dataset(
        alice,
        public_event,
        upload=csv_file(),
        **fields(classification=classification, legal_basis="GDPR art. 6(1)(e); DPA of 2024"),
    )
    assert dataset.legal_basis.startswith("GDPR")


@pytest.mark.parametrize("name", ["report.exe", "page.html", "noextension", "data.csv.js"])
def test_it_refuses_files_of_other_types(alice, public_event, name, media):
    with pytest.raises(ValidationError) as caught:
        services.add_dataset(alice, public_event, upload=csv_file(name), **fields())
    assert "files of this type are not accepted" in caught.value.message_dict["file"][0]
    assert not Dataset.objects.exists() and not list(media.rglob("*.*"))


def test_it_refuses_files_over_the_size_limit(alice, public_event):
    upload = csv_file()
    upload.size = services.DATASET_MAX_BYTES + 1
    with pytest.raises(ValidationError) as caught:
        services.add_dataset(alice, public_event, upload=upload, **fields())
    assert "is larger than 200" in caught.value.message_dict["file"][0]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://data.example.org/x", "nonsense"])
def test_it_refuses_links_that_are_not_web_addresses(alice, public_event, link):
    with pytest.raises(ValidationError) as caught:
        services.add_dataset(alice, public_event, **fields(link=link))
    assert "link" in caught.value.message_dict


def test_it_replaces_a_file_and_deletes_the_old_one(
    alice, dataset, media, django_capture_on_commit_callbacks
):
    old = media / dataset.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_dataset(
            alice, dataset, upload=csv_file("v2.json", b"[]"), **fields(title="Complaints v2")
        )
    dataset.refresh_from_db()
    assert dataset.title == "Complaints v2" and dataset.original_name == "v2.json"
    assert dataset.content_type == "application/json"
    assert not old.exists() and (media / dataset.file.name).read_bytes() == b"[]"


def test_it_removes_the_file_only_while_a_link_remains(
    alice, dataset, media, django_capture_on_commit_callbacks
):
    old = media / dataset.file.name
    with pytest.raises(ValidationError) as caught:
        services.update_dataset(alice, dataset, remove_file=True)
    assert "file" in caught.value.message_dict and old.exists()
    dataset = Dataset.objects.get(pk=dataset.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_dataset(
            alice, dataset, remove_file=True, link="https://data.example.org/complaints"
        )
    dataset.refresh_from_db()
    assert not dataset.file and not dataset.original_name and dataset.size == 0
    assert not old.exists()


def test_it_removes_a_dataset_with_its_file_but_keeps_the_access_log(
    alice, bob, participant, public_event, dataset, media, django_capture_on_commit_callbacks
):
    stored = media / dataset.file.name
    services.accept_terms(participant, dataset)
    services.open_dataset(participant, dataset, DatasetAccess.Action.DOWNLOAD).close()
    with pytest.raises(PermissionDenied):
        services.remove_dataset(bob, dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_dataset(alice, dataset)
    assert not Dataset.objects.exists() and not stored.exists()
    assert not DatasetAcceptance.objects.exists()
    [row] = services.access_log(alice, public_event)
    assert row["dataset_id"] is None and row["dataset_title"] == "Complaints 2023"
    assert row["user_id"] == participant.pk


def test_it_records_an_acceptance_once_with_the_terms_as_they_read(participant, dataset):
    first = services.accept_terms(participant, dataset, services.terms_digest(TERMS))
    again = services.accept_terms(participant, dataset)
    assert first.pk == again.pk and again.accepted_at == first.accepted_at
    assert DatasetAcceptance.objects.get().terms == TERMS
    assert services.acceptance_of(participant, dataset) == services.ACCEPTED


def test_it_refuses_acceptances_from_people_who_do_not_take_part(bob, dave, dataset):
    for user in (bob, dave):
        with pytest.raises(PermissionDenied):
            services.accept_terms(user, dataset)
    assert not DatasetAcceptance.objects.exists()


def test_it_refuses_an_acceptance_of_terms_changed_while_shown(alice, participant, dataset):
    shown = services.terms_digest(dataset.terms)
    services.update_dataset(alice, dataset, terms=TERMS + " No sharing.")
    with pytest.raises(ValidationError) as caught:
        services.accept_terms(participant, dataset, shown)
    assert "changed while you read them" in caught.value.message_dict["accept"][0]


def test_it_opens_a_dataset_only_after_acceptance_and_logs_it(participant, dataset):
    with pytest.raises(TermsNotAccepted):
        services.open_dataset(participant, dataset, DatasetAccess.Action.DOWNLOAD)
    assert not DatasetAccess.objects.exists()
    services.accept_terms(participant, dataset)
    handle = services.open_dataset(participant, dataset, DatasetAccess.Action.DOWNLOAD)
    with handle:
        assert handle.read() == b"id,category\n1,parking\n"
    access = DatasetAccess.objects.get()
    assert (access.user, access.dataset, access.action) == (participant, dataset, "download")


def test_it_asks_to_accept_again_after_the_terms_changed(alice, participant, dataset):
    services.accept_terms(participant, dataset)
    services.update_dataset(alice, dataset, terms=TERMS + " Do not publish results per person.")
    assert services.acceptance_of(participant, dataset) == services.TERMS_CHANGED
    with pytest.raises(TermsNotAccepted):
        services.open_dataset(participant, dataset, DatasetAccess.Action.DOWNLOAD)
    services.accept_terms(participant, dataset, services.terms_digest(dataset.terms))
    assert DatasetAcceptance.objects.get().terms.endswith("per person.")
    services.open_dataset(participant, dataset, DatasetAccess.Action.DOWNLOAD).close()
    assert DatasetAccess.objects.count() == 1


def test_it_lets_organisers_open_without_accepting_but_logs_them(alice, public_event):
    dataset = services.add_dataset(alice, public_event, **fields(link="https://data.example.org"))
    assert (
        services.open_dataset(alice, dataset, DatasetAccess.Action.LINK)
        == "https://data.example.org"
    )
    assert DatasetAccess.objects.get().user == alice


def test_it_refuses_to_open_for_people_who_do_not_take_part(bob, dave, dataset):
    for user in (bob, dave):
        with pytest.raises(PermissionDenied) as caught:
            services.open_dataset(user, dataset, DatasetAccess.Action.DOWNLOAD)
        assert not isinstance(caught.value, TermsNotAccepted)
    assert not DatasetAccess.objects.exists()


def test_it_refuses_what_a_dataset_does_not_have(alice, dataset):
    with pytest.raises(ValidationError):
        services.open_dataset(alice, dataset, DatasetAccess.Action.LINK)
    assert not DatasetAccess.objects.exists()


def test_it_gives_organisers_the_log_with_acceptances_newest_first(
    alice, bob, participant, dataset
):
    services.accept_terms(participant, dataset)
    services.open_dataset(participant, dataset, DatasetAccess.Action.DOWNLOAD).close()
    services.open_dataset(alice, dataset, DatasetAccess.Action.DOWNLOAD).close()
    rows = list(services.access_log(alice, dataset.event))
    assert [(r["kind"], r["username"]) for r in rows] == [
        ("download", "alice"),
        ("download", "dave"),
        (services.LOG_ACCEPTED, "dave"),
    ]
    assert rows[0]["dataset_title"] == "Complaints 2023" and rows[0]["when"].tzinfo
    assert [services.person_label(r) for r in rows] == ["Alice", "Dave", "Dave"]
    for user in (bob, participant):
        with pytest.raises(PermissionDenied):
            services.access_log(user, dataset.event)
