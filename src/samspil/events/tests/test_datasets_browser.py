"""Datasets in a real browser: alice offers personal data with a legal basis, a participant
accepts the terms (htmx) and downloads the file, alice reads the access log; axe checks.

Texts of the interface are not asserted (translations may be missing): the test looks at
URLs, ids, names and the data it created.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from samspil.browser_testing import assert_accessible
from samspil.conftest import add_member, make_user
from samspil.core.models import Role
from samspil.events.models import Dataset, DatasetAcceptance, DatasetAccess

from .conftest import make_event, register
from .test_browser import log_in

pytestmark = pytest.mark.browser

CONTENT = b"case,category,zone\n1,parking,C\n2,waste,N\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_walks_from_a_new_dataset_to_a_logged_download(browser_page: Page, live_server, org_a):
    page = browser_page
    alice = make_user("alice", language="en")
    add_member(alice, org_a, Role.Code.INNOVATION_LEAD)
    dave = make_user("dave", language="en")
    event = make_event(alice, org_a, "Hackathon on complaints", capacity=30)
    register(event, dave.email, user=dave)

    # Alice opens the datasets from the event page; a file of the wrong type is refused.
    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/")
    page.locator(f".event-organise a[href='/events/{event.pk}/datasets/']").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/datasets/$"))
    assert_accessible(page)
    page.locator("#id_title").fill("Complaints 2023")
    page.locator("#id_description").fill("Complaints with case numbers, by zone.")
    page.locator("input[name=classification][value=personal]").check()
    page.locator("#id_terms").fill("Use the data only at the hackathon; delete them after.")
    page.locator("#id_file").set_input_files(
        files=[{"name": "tool.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}]
    )
    with page.expect_navigation():
        page.locator("form.dataset-form button[type=submit]").click()
    expect(page.locator("#id_legal_basis_error")).to_be_visible()
    expect(page.locator("#id_file_error")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Complaints 2023")
    assert_accessible(page)
    assert not Dataset.objects.exists()

    # She gives the legal basis and a CSV file.
    page.locator("#id_legal_basis").fill("GDPR art. 6(1)(e); data processing agreement 2024-17")
    page.locator("#id_file").set_input_files(
        files=[{"name": "complaints.csv", "mimeType": "text/csv", "buffer": CONTENT}]
    )
    with page.expect_navigation():
        page.locator("form.dataset-form button[type=submit]").click()
    dataset = Dataset.objects.get()
    assert dataset.classification == "personal" and dataset.original_name == "complaints.csv"
    expect(page.locator(f"#dataset-{dataset.pk}")).to_be_visible()
    assert_accessible(page)

    # Dave, a participant, reads the terms, accepts them (htmx) and downloads the file.
    log_in(page, live_server, dave)
    page.goto(f"/events/{event.pk}/")
    page.locator(f"#event-datasets a[href='/events/{event.pk}/datasets/{dataset.pk}/']").click()
    expect(page.locator("#dataset-access")).to_have_attribute("data-state", "not_accepted")
    assert_accessible(page)
    page.locator("#id_accept").check()
    page.locator("#dataset-access button[type=submit]").click()
    expect(page.locator("#dataset-access")).to_have_attribute("data-state", "accepted")
    assert DatasetAcceptance.objects.get().user == dave
    assert_accessible(page)
    with page.expect_download() as info:
        page.locator("#dataset-download").click()
    download = info.value
    assert download.suggested_filename == "complaints.csv"
    with open(download.path(), "rb") as handle:
        assert handle.read() == CONTENT
    assert DatasetAccess.objects.get().user == dave

    # Alice reads the access log.
    log_in(page, live_server, alice)
    page.goto(f"/events/{event.pk}/datasets/log/")
    expect(page.locator("#dataset-log tr[data-action=download]")).to_have_count(1)
    expect(page.locator("#dataset-log tr[data-action=accepted]")).to_have_count(1)
    assert_accessible(page)
