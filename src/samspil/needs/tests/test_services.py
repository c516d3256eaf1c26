"""Every write of needs and challenges goes through services.py; these are its rules."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import translation

from samspil.conftest import add_member, make_user
from samspil.core.models import Notification, Organisation, Role, Visibility
from samspil.needs import queries, search, services
from samspil.needs.models import (
    Attachment,
    ChallengeCoOwner,
    Comment,
    Endorsement,
    Need,
    NeedStatus,
    Theme,
)

DANISH = "Vi bruger for meget tid på at kode fakturaer manuelt i økonomiafdelingen hver uge."
NORWEGIAN = "Vi bruker for mye tid på å kode fakturaer manuelt i bydelene hver eneste uke."
SWEDISH = (
    "Vi lägger för mycket tid på att koda fakturor manuellt på ekonomiavdelningen varje vecka."
)


@pytest.fixture
def org_s(db) -> Organisation:
    return Organisation.objects.create(
        name="Sjöstad kommun", slug="sjostad", kind="municipality", country="SE", currency="SEK"
    )


@pytest.fixture
def hanne(org_b):
    """An innovation lead of organisation B, who reads Norwegian."""
    user = make_user("hanne", language="nb")
    add_member(user, org_b, Role.Code.INNOVATION_LEAD)
    return user


@pytest.fixture
def sven(org_s):
    """A member of the Swedish municipality."""
    user = make_user("sven", language="sv")
    add_member(user, org_s)
    return user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def report(actor, owner, title="Fakturakontering", description=DANISH, **fields) -> Need:
    return services.report_need(actor, owner, title=title, description=description, **fields)


@pytest.fixture
def bobs_need(bob, org_a) -> Need:
    """A need bob reported and shared with other public organisations."""
    return report(bob, org_a, visibility=Visibility.SHARED, affected_count=12, hours_per_week=5)


@pytest.fixture
def charlies_need(charlie, org_b) -> Need:
    return report(
        charlie, org_b, title="Fakturaer i bydelene", description=NORWEGIAN, visibility="shared"
    )


def pdf(name="rapport.pdf", content=b"%PDF-1.4 a small file") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# report_need -------------------------------------------------------------------------------------


def test_it_records_a_need_bob_reports_as_new_internal_and_his(bob, org_a):
    need = report(bob, org_a)
    need.refresh_from_db()
    assert need.owner == org_a
    assert need.submitted_by == bob
    assert need.status == NeedStatus.NEW
    assert need.visibility == Visibility.INTERNAL
    assert need.history.first().history_user == bob


def test_it_keeps_the_optional_fields_of_a_need(bob, org_a, org_a_department):
    theme = Theme.objects.create(
        slug="economy", name_da="Økonomi", name_nb="Økonomi", name_sv="Ekonomi", name_en="Economy"
    )
    need = report(
        bob,
        org_a,
        department=org_a_department,
        affected_who="Bogholdere",
        affected_count=8,
        frequency="weekly",
        hours_per_week=Decimal("12.5"),
        themes=[theme],
        visibility=Visibility.PUBLIC,
    )
    need.refresh_from_db()
    assert need.department == org_a_department
    assert (need.affected_who, need.affected_count, need.frequency) == ("Bogholdere", 8, "weekly")
    assert need.hours_per_week == Decimal("12.5")
    assert list(need.themes.all()) == [theme]
    assert need.visibility == Visibility.PUBLIC


def test_it_requires_a_title_and_a_description(bob, org_a):
    with pytest.raises(ValidationError) as error:
        services.report_need(bob, org_a)
    assert set(error.value.message_dict) == {"title", "description"}
    assert not Need.objects.exists()


def test_it_refuses_a_title_of_only_spaces(bob, org_a):
    with pytest.raises(ValidationError) as error:
        report(bob, org_a, title="   \n\t ")
    assert list(error.value.message_dict) == ["title"]


def test_it_refuses_an_over_long_title_and_description_each_with_its_own_error(bob, org_a):
    with pytest.raises(ValidationError) as error:
        report(bob, org_a, title="x" * 201, description="y" * 5001)
    assert set(error.value.message_dict) == {"title", "description"}
    assert "200" in error.value.message_dict["title"][0]
    assert "5000" in error.value.message_dict["description"][0]


def test_it_accepts_a_title_and_description_of_exactly_the_maximum_length(bob, org_a):
    need = report(bob, org_a, title="x" * 200, description="y" * 5000)
    assert len(need.title) == 200


def test_it_trims_the_title_and_the_description(bob, org_a):
    need = report(bob, org_a, title="  Fakturaer  ", description=f"\n{DANISH}  ")
    assert need.title == "Fakturaer"
    assert need.description == DANISH


@pytest.mark.parametrize(
    ("title", "description", "language"),
    [
        ("Fakturaer", DANISH, "da"),
        ("Fakturaer i bydelene", NORWEGIAN, "nb"),
        ("Fakturor", SWEDISH, "sv"),
    ],
)
def test_it_detects_the_language_of_the_text(bob, org_a, title, description, language):
    assert report(bob, org_a, title=title, description=description).language == language


def test_it_keeps_the_language_the_reporter_chose(bob, org_a):
    assert report(bob, org_a, description=DANISH, language="sv").language == "sv"


def test_it_refuses_an_unknown_language(bob, org_a):
    with pytest.raises(ValidationError) as error:
        report(bob, org_a, language="xx")
    assert "language" in error.value.message_dict


def test_it_refuses_an_unknown_visibility(bob, org_a):
    with pytest.raises(ValidationError) as error:
        report(bob, org_a, visibility="everyone")
    assert "visibility" in error.value.message_dict


def test_it_refuses_a_field_that_may_not_be_set(bob, org_a):
    with pytest.raises(ValueError):
        report(bob, org_a, status=NeedStatus.ACCEPTED)


def test_it_accepts_a_department_of_the_owner(bob, org_a, org_a_department):
    assert report(bob, org_a, department=org_a_department).department == org_a_department


@pytest.mark.parametrize("department", ["org_a", "org_b"])
def test_it_refuses_a_department_that_is_not_part_of_the_owner(bob, org_a, department, request):
    with pytest.raises(ValidationError) as error:
        report(bob, org_a, department=request.getfixturevalue(department))
    assert list(error.value.message_dict) == ["department"]


def test_it_refuses_the_organisation_above_as_a_department(bob, org_a, org_a_department):
    with pytest.raises(ValidationError) as error:
        report(bob, org_a_department, department=org_a)
    assert list(error.value.message_dict) == ["department"]


def test_it_refuses_a_negative_number_of_hours(bob, org_a):
    with pytest.raises(ValidationError) as error:
        report(bob, org_a, hours_per_week=-1)
    assert list(error.value.message_dict) == ["hours_per_week"]


def test_it_files_a_need_reported_in_a_department_under_the_municipality(
    bob, org_a, org_a_department
):
    need = report(bob, org_a_department)
    assert (need.owner, need.department) == (org_a, org_a_department)


def test_it_files_a_department_members_need_under_the_municipality_above(org_a, org_a_department):
    frida = make_user("frida")
    add_member(frida, org_a_department)
    need = report(frida, org_a_department)
    assert (need.owner, need.department) == (org_a, org_a_department)


def test_it_keeps_the_department_chosen_or_the_whole_organisation(bob, org_a, org_a_department):
    other = Organisation.objects.create(
        name="Arby Teknik",
        slug="arby-teknik",
        kind="department",
        country="DK",
        currency="DKK",
        parent=org_a,
    )
    assert report(bob, org_a_department, department=other).department == other
    assert report(bob, org_a_department, department=None).department is None


def test_it_does_not_let_a_department_member_report_for_a_department_of_another_organisation(
    org_a_department, org_b
):
    frida = make_user("frida")
    add_member(frida, org_a_department)
    with pytest.raises(PermissionDenied):
        report(frida, org_b)


def test_it_stops_at_the_top_public_body_below_a_company(org_c):
    unit = Organisation.objects.create(
        name="Cobalt Kommuneservice",
        slug="cobalt-kommune",
        kind="department",
        country="DK",
        currency="DKK",
        parent=org_c,
    )
    assert services.reporting_owner(unit) == unit


def test_it_does_not_let_dave_report_a_need_even_for_his_own_company(dave, org_a, org_c):
    for owner in (org_a, org_c):
        with pytest.raises(PermissionDenied):
            report(dave, owner)
    assert not Need.objects.exists()


def test_it_does_not_let_charlie_report_a_need_for_organisation_a(charlie, org_a):
    with pytest.raises(PermissionDenied):
        report(charlie, org_a)


def test_it_stores_the_attachments_given_with_a_report(bob, org_a, media):
    need = report(bob, org_a, attachments=[pdf("a.pdf"), pdf("b.pdf")])
    assert sorted(need.attachments.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]


def test_it_keeps_nothing_when_an_attachment_of_a_report_is_refused(bob, org_a, media):
    with pytest.raises(ValidationError):
        report(bob, org_a, attachments=[pdf("a.pdf"), pdf("virus.exe")])
    assert not Need.objects.exists()
    assert not Attachment.objects.exists()


def test_it_makes_a_reported_need_searchable(bob, org_a):
    need = report(bob, org_a, title="Vinduespudsning", description="Vinduerne bliver ikke pudset.")
    assert list(search.search(Need.objects.all(), "vinduespudsning")) == [need]


# update_need -------------------------------------------------------------------------------------


def test_it_lets_bob_update_his_new_need(bob, bobs_need):
    services.update_need(bob, bobs_need, title="Fakturaer, igen", affected_count=20)
    bobs_need.refresh_from_db()
    assert bobs_need.title == "Fakturaer, igen"
    assert bobs_need.affected_count == 20


def test_it_stops_bob_updating_his_need_once_it_is_triaged(alice, bob, bobs_need):
    services.change_status(alice, bobs_need, NeedStatus.IN_TRIAGE)
    with pytest.raises(PermissionDenied):
        services.update_need(bob, bobs_need, title="Changed")
    services.update_need(alice, bobs_need, title="Changed by alice")
    bobs_need.refresh_from_db()
    assert bobs_need.title == "Changed by alice"


@pytest.mark.parametrize("persona", ["charlie", "dave"])
def test_it_does_not_let_others_update_a_need(persona, request, bobs_need):
    with pytest.raises(PermissionDenied):
        services.update_need(request.getfixturevalue(persona), bobs_need, title="Taken over")


def test_it_refuses_an_update_that_empties_the_title(bob, bobs_need):
    with pytest.raises(ValidationError) as error:
        services.update_need(bob, bobs_need, title=" ")
    assert list(error.value.message_dict) == ["title"]
    bobs_need.refresh_from_db()
    assert bobs_need.title == "Fakturakontering"


def test_it_keeps_search_in_step_with_an_updated_text(bob, bobs_need):
    services.update_need(bob, bobs_need, title="Lønudbetaling", description="Lønnen er forsinket.")
    assert list(search.search(Need.objects.all(), "lønudbetaling")) == [bobs_need]
    assert not search.search(Need.objects.all(), "fakturakontering").exists()


# change_status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ["in_triage", "accepted", "in_challenge", "accepted"],
        ["accepted", "in_triage", "new"],
        ["in_triage", "rejected", "in_triage"],
    ],
)
def test_it_moves_a_need_along_the_allowed_transitions(alice, bobs_need, path):
    for status in path:
        services.change_status(alice, bobs_need, status, reason="Not for now.")
        bobs_need.refresh_from_db()
        assert bobs_need.status == status


@pytest.mark.parametrize(
    ("start", "status"),
    [("new", "in_challenge"), ("in_challenge", "new"), ("rejected", "accepted"), ("new", "merged")],
)
def test_it_refuses_a_transition_that_is_not_allowed(alice, bobs_need, start, status):
    Need.objects.filter(pk=bobs_need.pk).update(status=start)
    bobs_need.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.change_status(alice, bobs_need, status)
    assert list(error.value.message_dict) == ["status"]
    bobs_need.refresh_from_db()
    assert bobs_need.status == start


def test_it_explains_a_refused_transition_in_the_readers_language(alice, bobs_need):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.change_status(alice, bobs_need, NeedStatus.IN_CHALLENGE)
    assert error.value.message_dict["status"] == [
        "A need that is “New” cannot become “In a challenge”."
    ]


def test_it_refuses_an_unknown_status(alice, bobs_need):
    with pytest.raises(ValidationError):
        services.change_status(alice, bobs_need, "done")


def test_it_never_moves_a_merged_need(alice, bobs_need):
    Need.objects.filter(pk=bobs_need.pk).update(status=NeedStatus.MERGED)
    bobs_need.refresh_from_db()
    with pytest.raises(ValidationError):
        services.change_status(alice, bobs_need, NeedStatus.IN_TRIAGE)


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_requires_a_reason_to_reject(alice, bobs_need, reason):
    with pytest.raises(ValidationError) as error:
        services.change_status(alice, bobs_need, NeedStatus.REJECTED, reason=reason)
    assert list(error.value.message_dict) == ["reason"]
    bobs_need.refresh_from_db()
    assert bobs_need.status == NeedStatus.NEW


def test_it_keeps_the_reason_of_a_rejection(alice, bobs_need):
    services.change_status(alice, bobs_need, NeedStatus.REJECTED, reason=" Covered by a system. ")
    bobs_need.refresh_from_db()
    assert bobs_need.status_reason == "Covered by a system."


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_lets_only_triage_roles_change_the_status(persona, request, bobs_need):
    with pytest.raises(PermissionDenied):
        services.change_status(request.getfixturevalue(persona), bobs_need, NeedStatus.IN_TRIAGE)


def test_it_lets_erin_the_admin_change_the_status(erin, bobs_need):
    services.change_status(erin, bobs_need, NeedStatus.ACCEPTED)
    assert bobs_need.status == NeedStatus.ACCEPTED


@pytest.mark.parametrize("language", ["da", "nb"])
def test_it_tells_the_reporter_of_a_status_change_in_their_own_language(
    alice, bob, bobs_need, django_capture_on_commit_callbacks, language
):
    bob.language = language
    bob.save()
    with translation.override("sv"), django_capture_on_commit_callbacks(execute=True):
        services.change_status(alice, bobs_need, NeedStatus.REJECTED, reason="Findes allerede.")
    with translation.override(language):
        expected = render_to_string(
            "needs/email/status_changed_subject.txt",
            {"title": bobs_need.title, "status": NeedStatus.REJECTED.label},
        ).strip()
        label = str(NeedStatus.REJECTED.label)
    notification = Notification.objects.get(recipient=bob)
    assert notification.message == expected
    assert label in notification.message
    assert notification.url == bobs_need.get_absolute_url()
    assert notification.read_at is None
    [email] = mail.outbox
    assert email.to == ["bob@example.org"]
    assert email.subject == expected
    assert "Findes allerede." in email.body
    assert bobs_need.get_absolute_url() in email.body


def test_it_tells_no_one_when_the_reporter_changes_the_status_of_their_own_need(
    alice, org_a, django_capture_on_commit_callbacks
):
    need = report(alice, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(alice, need, NeedStatus.ACCEPTED)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_it_tells_no_one_when_the_status_stays_the_same(alice, bobs_need):
    services.change_status(alice, bobs_need, NeedStatus.NEW)
    assert not Notification.objects.exists()


# assign_need_owner -------------------------------------------------------------------------------


def test_it_lets_alice_make_bob_the_need_owner_and_tells_him(
    alice, bob, bobs_need, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_need_owner(alice, bobs_need, bob)
    bobs_need.refresh_from_db()
    assert bobs_need.need_owner == bob
    assert Notification.objects.filter(recipient=bob).count() == 1
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_it_accepts_a_need_owner_from_the_department_below(alice, bobs_need, org_a_department):
    frida = make_user("frida")
    add_member(frida, org_a_department)
    services.assign_need_owner(alice, bobs_need, frida)
    assert bobs_need.need_owner == frida


def test_it_refuses_a_need_owner_from_another_organisation(alice, charlie, bobs_need):
    with pytest.raises(ValidationError) as error:
        services.assign_need_owner(alice, bobs_need, charlie)
    assert list(error.value.message_dict) == ["need_owner"]


def test_it_lets_alice_clear_the_need_owner(alice, bob, bobs_need):
    services.assign_need_owner(alice, bobs_need, bob)
    services.assign_need_owner(alice, bobs_need, None)
    bobs_need.refresh_from_db()
    assert bobs_need.need_owner is None


def test_it_does_not_let_bob_choose_the_need_owner(bob, bobs_need):
    with pytest.raises(PermissionDenied):
        services.assign_need_owner(bob, bobs_need, bob)


# add_comment -------------------------------------------------------------------------------------


def test_it_keeps_bobs_comment(bob, bobs_need):
    comment = services.add_comment(bob, bobs_need, "  Det tager to timer hver mandag.  ")
    assert comment.body == "Det tager to timer hver mandag."
    assert comment.author == bob
    assert list(bobs_need.comments.all()) == [comment]


@pytest.mark.parametrize("body", ["", "  \n "])
def test_it_refuses_an_empty_comment(bob, bobs_need, body):
    with pytest.raises(ValidationError) as error:
        services.add_comment(bob, bobs_need, body)
    assert list(error.value.message_dict) == ["body"]


def test_it_refuses_an_over_long_comment(bob, bobs_need):
    with pytest.raises(ValidationError):
        services.add_comment(bob, bobs_need, "x" * 5001)


def test_it_lets_charlie_comment_on_a_shared_need(charlie, bobs_need):
    assert services.add_comment(charlie, bobs_need, "Vi har det samme.").author == charlie


def test_it_does_not_let_charlie_comment_on_an_internal_need(charlie, bob, org_a):
    need = report(bob, org_a)
    with pytest.raises(PermissionDenied):
        services.add_comment(charlie, need, "Hei")


def test_it_does_not_let_dave_the_supplier_comment(dave, bob, org_a):
    need = report(bob, org_a, visibility=Visibility.PUBLIC)
    with pytest.raises(PermissionDenied):
        services.add_comment(dave, need, "We sell a product for that.")
    assert not Comment.objects.exists()


# endorse_need ------------------------------------------------------------------------------------


def test_it_lets_charlie_endorse_a_shared_need_for_organisation_b(charlie, org_b, bobs_need):
    endorsement = services.endorse_need(
        charlie, bobs_need, org_b, affected_count=40, hours_per_week=Decimal("7.5"), comment="Ja"
    )
    assert endorsement.organisation == org_b
    assert endorsement.endorsed_by == charlie
    assert (endorsement.affected_count, endorsement.hours_per_week) == (40, Decimal("7.5"))


def test_it_updates_the_endorsement_when_charlie_endorses_again(charlie, org_b, bobs_need):
    services.endorse_need(charlie, bobs_need, org_b, affected_count=40)
    services.endorse_need(charlie, bobs_need, org_b, affected_count=55, hours_per_week=3)
    [endorsement] = Endorsement.objects.all()
    assert endorsement.affected_count == 55
    assert endorsement.hours_per_week == 3


@pytest.mark.parametrize("organisation", ["org_a", "org_a_department"])
def test_it_refuses_an_endorsement_by_the_needs_own_organisation(
    bob, bobs_need, organisation, request
):
    with pytest.raises(ValidationError) as error:
        services.endorse_need(bob, bobs_need, request.getfixturevalue(organisation))
    assert list(error.value.message_dict) == ["organisation"]
    assert not Endorsement.objects.exists()


def test_it_refuses_an_endorsement_of_an_internal_need(charlie, org_b, bob, org_a):
    need = report(bob, org_a)
    with pytest.raises(PermissionDenied):
        services.endorse_need(charlie, need, org_b)


def test_it_refuses_an_endorsement_for_an_organisation_charlie_is_not_in(charlie, bobs_need, org_s):
    with pytest.raises(PermissionDenied):
        services.endorse_need(charlie, bobs_need, org_s)


def test_it_refuses_an_endorsement_by_a_supplier(dave, org_c, bob, org_a):
    need = report(bob, org_a, visibility=Visibility.PUBLIC)
    with pytest.raises(PermissionDenied):
        services.endorse_need(dave, need, org_c)


def test_it_refuses_an_endorsement_of_a_merged_need(alice, charlie, org_b, bob, org_a, bobs_need):
    duplicate = report(bob, org_a, visibility=Visibility.SHARED)
    services.merge_needs(alice, bobs_need, duplicate)
    with pytest.raises(ValidationError):
        services.endorse_need(charlie, duplicate, org_b)


def test_it_refuses_an_endorsement_with_negative_hours(charlie, org_b, bobs_need):
    with pytest.raises(ValidationError) as error:
        services.endorse_need(charlie, bobs_need, org_b, hours_per_week=Decimal(-2))
    assert list(error.value.message_dict) == ["hours_per_week"]


def test_it_sums_the_numbers_of_the_need_and_its_endorsers(charlie, org_b, sven, org_s, bobs_need):
    services.endorse_need(charlie, bobs_need, org_b, affected_count=40, hours_per_week=3)
    services.endorse_need(sven, bobs_need, org_s, affected_count=8, hours_per_week=Decimal("1.5"))
    volume = queries.volume(bobs_need, queries.endorsements_of(bobs_need))
    assert volume.people == 12 + 40 + 8
    assert volume.hours == Decimal("9.5")
    assert volume.organisations == 3


# merge_needs -------------------------------------------------------------------------------------


@pytest.fixture
def duplicate(bob, org_a) -> Need:
    return report(
        bob, org_a, title="Manuelle fakturaer", visibility=Visibility.SHARED, affected_count=3
    )


def test_it_refuses_to_merge_a_need_into_itself(alice, bobs_need):
    with pytest.raises(ValidationError) as error:
        services.merge_needs(alice, bobs_need, bobs_need)
    assert list(error.value.message_dict) == ["survivor"]


def test_it_moves_endorsements_comments_and_attachments_to_the_survivor(
    alice, bob, charlie, org_b, bobs_need, duplicate, media
):
    endorsement = services.endorse_need(charlie, duplicate, org_b, affected_count=9)
    comment = services.add_comment(bob, duplicate, "Same as the other one.")
    attachment = services.add_attachment(bob, duplicate, pdf())
    services.merge_needs(alice, bobs_need, duplicate)
    assert list(bobs_need.endorsements.all()) == [endorsement]
    assert list(bobs_need.comments.all()) == [comment]
    assert list(bobs_need.attachments.all()) == [attachment]
    assert not duplicate.endorsements.exists()


def test_it_keeps_one_endorsement_per_organisation_after_a_merge(
    alice, charlie, org_b, bobs_need, duplicate
):
    services.endorse_need(charlie, bobs_need, org_b, affected_count=40)
    services.endorse_need(charlie, duplicate, org_b, affected_count=9)
    services.merge_needs(alice, bobs_need, duplicate)
    [endorsement] = Endorsement.objects.all()
    assert endorsement.need == bobs_need
    assert endorsement.affected_count == 40


def test_it_makes_the_absorbed_needs_organisation_an_endorser(charlie, org_a, org_b, bobs_need):
    # A lead of both municipalities (a regional coordinator) merges B's need into A's.
    coordinator = make_user("coordinator")
    add_member(coordinator, org_a, Role.Code.INNOVATION_LEAD)
    add_member(coordinator, org_b, Role.Code.INNOVATION_LEAD)
    absorbed = report(charlie, org_b, affected_count=30, hours_per_week=4, visibility="shared")
    services.merge_needs(coordinator, bobs_need, absorbed)
    [endorsement] = bobs_need.endorsements.all()
    assert endorsement.organisation == org_b
    assert endorsement.endorsed_by == charlie
    assert (endorsement.affected_count, endorsement.hours_per_week) == (30, 4)


def test_it_adds_no_endorsement_when_both_needs_are_of_the_same_organisation(
    alice, bobs_need, duplicate
):
    services.merge_needs(alice, bobs_need, duplicate)
    assert not Endorsement.objects.exists()


def test_it_marks_the_absorbed_need_merged_into_the_survivor(alice, bobs_need, duplicate):
    services.merge_needs(alice, bobs_need, duplicate)
    duplicate.refresh_from_db()
    assert duplicate.status == NeedStatus.MERGED
    assert duplicate.merged_into == bobs_need
    # No text in the merger's language: pages say "Merged into …" from merged_into.
    assert duplicate.status_reason == ""
    assert duplicate.history.first().history_user == alice
    bobs_need.refresh_from_db()
    assert bobs_need.status == NeedStatus.NEW


def test_it_does_not_merge_a_merged_need_again(alice, bob, org_a, bobs_need, duplicate):
    third = report(bob, org_a)
    services.merge_needs(alice, bobs_need, duplicate)
    with pytest.raises(ValidationError):
        services.merge_needs(alice, third, duplicate)
    with pytest.raises(ValidationError):
        services.merge_needs(alice, duplicate, third)


def test_it_tells_the_reporter_of_the_absorbed_need(
    alice, bob, bobs_need, duplicate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.merge_needs(alice, bobs_need, duplicate)
    [notification] = Notification.objects.filter(recipient=bob)
    assert duplicate.title in notification.message
    assert bobs_need.title in notification.message
    assert notification.url == duplicate.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_it_lets_only_triage_roles_merge(persona, request, bobs_need, duplicate):
    with pytest.raises(PermissionDenied):
        services.merge_needs(request.getfixturevalue(persona), bobs_need, duplicate)


def test_it_does_not_let_alice_merge_into_a_need_of_another_organisation(
    alice, bobs_need, charlies_need
):
    with pytest.raises(PermissionDenied):
        services.merge_needs(alice, charlies_need, bobs_need)
    with pytest.raises(PermissionDenied):
        services.merge_needs(alice, bobs_need, charlies_need)


# add_attachment ----------------------------------------------------------------------------------


def test_it_stores_a_pdf_under_a_generated_name(bob, bobs_need, media):
    attachment = services.add_attachment(bob, bobs_need, pdf("Min rapport.pdf"))
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", attachment.stored_name)
    assert attachment.original_name == "Min_rapport.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(b"%PDF-1.4 a small file")
    assert attachment.uploaded_by == bob
    stored = media / "needs" / str(bobs_need.pk) / attachment.stored_name
    assert stored.read_bytes() == b"%PDF-1.4 a small file"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.pdf", "boot.pdf"),
        ("C:\\Users\\bob\\rapport.pdf", "rapport.pdf"),
        ('<script>alert("x")</script>.pdf', "script.pdf"),
        ("$(rm -rf).pdf", "rm_-rf.pdf"),
        ("RAPPORT.PDF", "RAPPORT.PDF"),
    ],
)
def test_it_keeps_only_a_safe_version_of_the_original_name(bob, bobs_need, media, name, expected):
    attachment = services.add_attachment(bob, bobs_need, pdf(name))
    assert attachment.original_name == expected
    assert attachment.file.path.startswith(str(media / "needs"))


def test_it_keeps_the_extension_of_a_very_long_file_name(bob, bobs_need, media):
    attachment = services.add_attachment(bob, bobs_need, pdf("x" * 300 + ".pdf"))
    assert attachment.original_name.endswith(".pdf")
    assert len(attachment.original_name) <= 200


@pytest.mark.parametrize("name", ["/", "..", ".", ""])
def test_it_refuses_a_file_without_a_usable_name(bob, bobs_need, media, name):
    # Django's own uploads never carry such names; other callers' file objects may.
    upload = pdf()
    upload._name = name
    # Without an extension the type is unknown: refused with a clear error, never a crash.
    with pytest.raises(ValidationError) as error:
        services.add_attachment(bob, bobs_need, upload)
    assert list(error.value.message_dict) == ["attachments"]


@pytest.mark.parametrize("name", ["virus.exe", "rapport.pdf.exe", "script.js", "noextension"])
def test_it_refuses_a_file_of_a_type_not_accepted(bob, bobs_need, media, name):
    with pytest.raises(ValidationError) as error:
        services.add_attachment(bob, bobs_need, pdf(name))
    assert list(error.value.message_dict) == ["attachments"]
    assert not Attachment.objects.exists()
    assert not (media / "needs").exists()


def test_it_refuses_a_file_larger_than_10_mb(bob, bobs_need, media):
    upload = pdf("big.pdf")
    upload.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as error:
        services.add_attachment(bob, bobs_need, upload)
    assert "10 MB" in error.value.message_dict["attachments"][0]


def test_it_accepts_a_file_of_exactly_10_mb(bob, bobs_need, media):
    upload = pdf("exact.pdf")
    upload.size = 10 * 1024 * 1024
    assert services.add_attachment(bob, bobs_need, upload).size == 10 * 1024 * 1024


def test_it_refuses_the_eleventh_file(bob, bobs_need, media):
    for n in range(10):
        services.add_attachment(bob, bobs_need, pdf(f"{n}.pdf"))
    with pytest.raises(ValidationError) as error:
        services.add_attachment(bob, bobs_need, pdf("11.pdf"))
    assert list(error.value.message_dict) == ["attachments"]
    assert bobs_need.attachments.count() == 10


def test_it_lets_the_reporter_add_a_file_after_triage(alice, bob, bobs_need, media):
    services.change_status(alice, bobs_need, NeedStatus.ACCEPTED)
    assert services.add_attachment(bob, bobs_need, pdf()).need == bobs_need


@pytest.mark.parametrize("persona", ["charlie", "dave"])
def test_it_does_not_let_others_add_a_file(persona, request, bobs_need, media):
    with pytest.raises(PermissionDenied):
        services.add_attachment(request.getfixturevalue(persona), bobs_need, pdf())


# Challenges --------------------------------------------------------------------------------------


def challenge_of(actor, owner, needs, **fields):
    fields.setdefault("title", "Fakturaer uden manuelt arbejde")
    fields.setdefault("problem_statement", DANISH)
    return services.create_challenge(actor, owner, needs, **fields)


ALL_CRITERIA = {"saves_time": True, "recognisable_elsewhere": True, "anchored_in_management": True}


def test_it_makes_a_challenge_and_moves_as_needs_into_it(
    alice, org_a, bobs_need, charlies_need, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = challenge_of(alice, org_a, [bobs_need, charlies_need])
    assert set(challenge.needs.all()) == {bobs_need, charlies_need}
    assert challenge.created_by == alice
    assert challenge.language == "da"
    bobs_need.refresh_from_db()
    charlies_need.refresh_from_db()
    assert bobs_need.status == NeedStatus.IN_CHALLENGE
    assert charlies_need.status == NeedStatus.NEW
    # Bob hears that his need went into a challenge; charlie's need did not move.
    assert Notification.objects.filter(recipient__username="bob").count() == 1
    assert not Notification.objects.filter(recipient__username="charlie").exists()


def test_it_leaves_a_rejected_need_as_it_is_in_a_challenge(alice, org_a, bobs_need):
    services.change_status(alice, bobs_need, NeedStatus.REJECTED, reason="Old")
    challenge_of(alice, org_a, [bobs_need])
    bobs_need.refresh_from_db()
    assert bobs_need.status == NeedStatus.REJECTED


def test_it_gives_a_challenge_the_themes_of_its_needs(alice, bob, org_a):
    theme = Theme.objects.create(
        slug="economy", name_da="Økonomi", name_nb="Økonomi", name_sv="Ekonomi", name_en="Economy"
    )
    need = report(bob, org_a, themes=[theme])
    assert list(challenge_of(alice, org_a, [need]).themes.all()) == [theme]


def test_it_requires_a_need_for_a_challenge(alice, org_a):
    with pytest.raises(ValidationError) as error:
        challenge_of(alice, org_a, [])
    assert list(error.value.message_dict) == ["needs"]


def test_it_requires_a_title_and_problem_statement(alice, org_a, bobs_need):
    with pytest.raises(ValidationError) as error:
        challenge_of(alice, org_a, [bobs_need], title=" ", problem_statement="")
    assert set(error.value.message_dict) == {"title", "problem_statement"}


def test_it_refuses_a_trl_outside_1_to_9(alice, org_a, bobs_need):
    with pytest.raises(ValidationError) as error:
        challenge_of(alice, org_a, [bobs_need], trl=10)
    assert list(error.value.message_dict) == ["trl"]


def test_it_refuses_a_challenge_from_a_need_alice_cannot_see(alice, org_a, charlie, org_b):
    hidden = report(charlie, org_b)
    with pytest.raises(PermissionDenied):
        challenge_of(alice, org_a, [hidden])


def test_it_refuses_a_challenge_from_a_merged_need(alice, org_a, bobs_need, duplicate):
    services.merge_needs(alice, bobs_need, duplicate)
    with pytest.raises(ValidationError):
        challenge_of(alice, org_a, [duplicate])


@pytest.mark.parametrize("persona", ["bob", "charlie", "dave"])
def test_it_lets_only_leads_make_a_challenge(persona, request, org_a, bobs_need):
    with pytest.raises(PermissionDenied):
        challenge_of(request.getfixturevalue(persona), org_a, [bobs_need])


def test_it_tells_the_invited_organisations_innovation_leads(
    alice, org_a, org_b, hanne, charlie, bobs_need, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b])
    [co_owner] = challenge.co_owners.all()
    assert (co_owner.organisation, co_owner.status, co_owner.invited_by) == (
        org_b,
        "invited",
        alice,
    )
    [notification] = Notification.objects.filter(recipient=hanne)
    assert challenge.title in notification.message
    assert notification.url == challenge.get_absolute_url()
    assert not Notification.objects.filter(recipient=charlie).exists()
    assert ["hanne@example.org"] in [m.to for m in mail.outbox]


@pytest.mark.parametrize("co_owner", ["org_a", "org_c"])
def test_it_refuses_a_co_owner_that_cannot_own_the_challenge(
    alice, org_a, bobs_need, co_owner, request
):
    with pytest.raises(ValidationError) as error:
        challenge_of(alice, org_a, [bobs_need], co_owners=[request.getfixturevalue(co_owner)])
    assert list(error.value.message_dict) == ["organisation"]


def test_it_marks_no_scaling_candidate_before_a_co_owner_accepts(
    alice, org_a, org_b, hanne, bobs_need
):
    challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b], **ALL_CRITERIA)
    assert not challenge.is_scaling_candidate


def test_it_marks_a_scaling_candidate_when_a_co_owner_accepts_and_the_criteria_are_met(
    alice, org_a, org_b, hanne, bobs_need
):
    challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b], **ALL_CRITERIA)
    co_owner = challenge.co_owners.get()
    services.answer_co_ownership(hanne, co_owner, accept=True)
    challenge.refresh_from_db()
    assert challenge.is_scaling_candidate
    services.answer_co_ownership(hanne, co_owner, accept=False)
    challenge.refresh_from_db()
    assert not challenge.is_scaling_candidate


@pytest.mark.parametrize("missing", sorted(ALL_CRITERIA))
def test_it_marks_no_scaling_candidate_without_every_criterion(
    alice, org_a, org_b, hanne, bobs_need, missing
):
    criteria = {**ALL_CRITERIA, missing: False}
    challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b], **criteria)
    services.answer_co_ownership(hanne, challenge.co_owners.get(), accept=True)
    challenge.refresh_from_db()
    assert not challenge.is_scaling_candidate


def test_it_recomputes_the_scaling_candidate_when_the_challenge_changes(
    alice, org_a, org_b, hanne, bobs_need
):
    challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b])
    services.answer_co_ownership(hanne, challenge.co_owners.get(), accept=True)
    services.update_challenge(hanne, challenge, **ALL_CRITERIA)
    challenge.refresh_from_db()
    assert challenge.is_scaling_candidate
    services.update_challenge(alice, challenge, anchored_in_management=False)
    challenge.refresh_from_db()
    assert not challenge.is_scaling_candidate


def test_it_lets_only_the_invited_organisations_leads_answer(
    alice, charlie, org_a, org_b, hanne, bobs_need
):
    challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b])
    co_owner = challenge.co_owners.get()
    for person in (alice, charlie):
        with pytest.raises(PermissionDenied):
            services.answer_co_ownership(person, co_owner, accept=True)
    co_owner.refresh_from_db()
    assert co_owner.status == "invited"


def test_it_invites_a_declined_organisation_again(alice, org_a, org_b, hanne, bobs_need):
    challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b])
    services.answer_co_ownership(hanne, challenge.co_owners.get(), accept=False)
    services.invite_co_owner(alice, challenge, org_b)
    assert ChallengeCoOwner.objects.get().status == "invited"


def test_it_does_not_let_an_invited_lead_edit_before_accepting(
    alice, org_a, org_b, hanne, bobs_need
):
    challenge = challenge_of(alice, org_a, [bobs_need], co_owners=[org_b])
    with pytest.raises(PermissionDenied):
        services.update_challenge(hanne, challenge, title="Ours now")


def test_it_refuses_to_change_a_challenges_needs_to_ones_alice_cannot_see(
    alice, org_a, charlie, org_b, bobs_need
):
    challenge = challenge_of(alice, org_a, [bobs_need])
    hidden = report(charlie, org_b)
    with pytest.raises(PermissionDenied):
        services.update_challenge(alice, challenge, needs=[bobs_need, hidden])
    assert list(challenge.needs.all()) == [bobs_need]


def test_it_makes_a_challenge_searchable(alice, org_a, bobs_need):
    challenge = challenge_of(alice, org_a, [bobs_need], title="Robotter i lønkontoret")
    from samspil.needs.models import Challenge

    assert list(search.search(Challenge.objects.all(), "robotter")) == [challenge]


def test_it_refuses_to_add_a_merged_need_to_a_challenge(alice, org_a, bobs_need, duplicate):
    challenge = challenge_of(alice, org_a, [bobs_need])
    services.merge_needs(alice, bobs_need, duplicate)
    with pytest.raises(ValidationError) as error:
        services.update_challenge(alice, challenge, title="Changed", needs=[bobs_need, duplicate])
    assert list(error.value.message_dict) == ["needs"]
    challenge.refresh_from_db()
    assert challenge.title != "Changed"
    assert list(challenge.needs.all()) == [bobs_need]


def test_it_clears_a_rejection_reason_when_the_need_is_merged(alice, bobs_need, duplicate):
    services.change_status(alice, duplicate, NeedStatus.REJECTED, "A duplicate.")
    services.merge_needs(alice, bobs_need, duplicate)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.status_reason) == (NeedStatus.MERGED, "")
