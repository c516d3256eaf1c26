"""The competence pool pages: who sees a pool, who may add, change, assign and remove, bad
input kept on the form (422), the over-booked overview and the query count."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspil.conftest import add_member, make_user
from samspil.hub import pool_services
from samspil.hub.models import Assignment, PoolMember

from .factories import COACH, event, member, pilot

POOL = reverse("hub:pool")


def pool_of(organisation) -> str:
    return f"{POOL}?organisation={organisation.pk}"


def test_the_pool_shows_people_competences_and_assignments(client_for, alice, bobs, org_a):
    today = timezone.localdate()
    target = pilot(org_a, title="Resource site")
    Assignment.objects.create(
        member=bobs, pilot=target, starts_on=today, ends_on=today + timedelta(days=30), percent=30
    )
    response = client_for(alice).get(pool_of(org_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="pool-member-{bobs.pk}"' in html
    assert "Innovation coach" in html and "Developer" in html and "50 %" in html
    assert target.get_absolute_url() in html
    assert reverse("hub:pool-assign", args=[bobs.pk]) in html
    assert 'id="pool-overbooked"' not in html


def test_the_current_organisations_pool_is_shown_without_a_parameter(client_for, bob, bobs):
    html = client_for(bob).get(POOL).content.decode()
    assert f'id="pool-member-{bobs.pk}"' in html
    assert reverse("hub:pool-assign", args=[bobs.pk]) not in html  # bob only reads


def test_someone_without_an_organisation_is_told_so(db, client_for):
    response = client_for(make_user("frank")).get(POOL)
    assert response.status_code == 200
    assert 'id="pool-no-organisation"' in response.content.decode()
    other = client_for(make_user("gina")).get(f"{reverse('hub:pool-add')}?organisation=")
    assert other.status_code == 403


def test_the_filter_keeps_people_with_the_competence(client_for, alice, bobs, org_a):
    html = client_for(alice).get(f"{pool_of(org_a)}&competence=lawyer").content.decode()
    assert f'id="pool-member-{bobs.pk}"' not in html
    html = client_for(alice).get(f"{pool_of(org_a)}&competence=developer").content.decode()
    assert f'id="pool-member-{bobs.pk}"' in html


def test_charlie_and_dave_get_404_on_another_organisations_pool(
    client_for, charlie, dave, bobs, org_a
):
    for person in (charlie, dave):
        assert client_for(person).get(pool_of(org_a)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, org_a):
    response = client.get(pool_of(org_a))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_over_booked_person_is_listed_with_the_month_table(client_for, alice, bobs, org_a):
    today = timezone.localdate()
    Assignment.objects.create(
        member=bobs,
        pilot=pilot(org_a),
        starts_on=today,
        ends_on=today + timedelta(days=10),
        percent=40,
    )
    PoolMember.objects.filter(pk=bobs.pk).update(available_percent=30)
    html = client_for(alice).get(pool_of(org_a)).content.decode()
    assert 'id="pool-overbooked"' in html and f'data-member="{bobs.pk}"' in html
    assert 'data-overbooked="yes"' in html
    assert 'data-load="40" data-over="yes"' in html


def _add_people(organisation, first: int, last: int, target, showcase) -> None:
    today = timezone.localdate()
    for index in range(first, last):
        person = make_user(f"coach{index}")
        add_member(person, organisation)
        pooled = member(organisation, person)
        Assignment.objects.create(
            member=pooled, pilot=target, starts_on=today, ends_on=today, percent=10
        )
        Assignment.objects.create(
            member=pooled, event=showcase, starts_on=today, ends_on=today, percent=10
        )


def test_the_pool_page_queries_do_not_grow_with_people(
    client_for, alice, org_a, django_assert_max_num_queries
):
    target, showcase = pilot(org_a), event(org_a)
    client = client_for(alice)
    _add_people(org_a, 0, 2, target, showcase)
    with CaptureQueriesContext(connection) as few:
        client.get(pool_of(org_a))
    _add_people(org_a, 2, 14, target, showcase)
    with django_assert_max_num_queries(len(few)):
        html = client.get(pool_of(org_a)).content.decode()
    assert html.count('id="pool-member-') == 14


def test_alice_adds_a_person(client_for, alice, bob, org_a):
    url = f"{reverse('hub:pool-add')}?organisation={org_a.pk}"
    client = client_for(alice)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"user": bob.pk, "competences": [COACH], "available_percent": "40", "note": "Mondays"},
    )
    assert response.status_code == 302
    assert PoolMember.objects.get(organisation=org_a, user=bob).available_percent == 40


def test_bad_input_is_shown_with_what_was_typed(client_for, alice, charlie, org_a):
    url = f"{reverse('hub:pool-add')}?organisation={org_a.pk}"
    response = client_for(alice).post(
        url, {"user": charlie.pk, "competences": [COACH], "available_percent": "40", "note": "Kept"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "not a member of" in html and 'value="Kept"' in html
    response = client_for(alice).post(url, {"user": "", "available_percent": "140"})
    assert response.status_code == 422 and 'value="140"' in response.content.decode()


def test_bob_may_not_add_or_change(client_for, bob, bobs, org_a):
    client = client_for(bob)
    assert client.get(f"{reverse('hub:pool-add')}?organisation={org_a.pk}").status_code == 403
    assert client.get(reverse("hub:pool-edit", args=[bobs.pk])).status_code == 403
    assert client.post(reverse("hub:pool-remove", args=[bobs.pk])).status_code == 403
    assert client.get(reverse("hub:pool-assign", args=[bobs.pk])).status_code == 403


def test_charlie_gets_404_on_another_organisations_member(client_for, charlie, bobs):
    assert client_for(charlie).get(reverse("hub:pool-edit", args=[bobs.pk])).status_code == 404


def test_alice_lowers_the_available_share(client_for, alice, bobs):
    response = client_for(alice).post(
        reverse("hub:pool-edit", args=[bobs.pk]),
        {"competences": [COACH], "available_percent": "20", "note": ""},
    )
    assert response.status_code == 302
    bobs.refresh_from_db()
    assert bobs.available_percent == 20 and bobs.competences == [COACH]


def test_alice_assigns_and_an_over_booking_is_refused_on_the_form(client_for, alice, bobs, org_a):
    target = pilot(org_a)
    url = reverse("hub:pool-assign", args=[bobs.pk])
    client = client_for(alice)
    assert client.get(url).status_code == 200
    form = {"pilot": target.pk, "starts_on": "2030-01-01", "ends_on": "2030-01-31", "percent": "40"}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "starts_on": "2030-01-15", "percent": "20"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "60 %" in html and 'value="2030-01-15"' in html
    assert Assignment.objects.filter(member=bobs).count() == 1


def test_a_pilot_alice_may_not_see_is_refused(client_for, alice, bobs, org_b):
    hidden = pilot(org_b, visibility="internal")
    response = client_for(alice).post(
        reverse("hub:pool-assign", args=[bobs.pk]),
        {"pilot": hidden.pk, "starts_on": "2030-01-01", "ends_on": "2030-01-02", "percent": "10"},
    )
    assert response.status_code == 422 and not Assignment.objects.exists()


def test_alice_removes_an_assignment_and_a_person(client_for, alice, bobs, org_a):
    made = pool_services.assign(
        alice,
        bobs,
        pilot=pilot(org_a),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        percent=10,
    )
    client = client_for(alice)
    assert client.post(reverse("hub:assignment-remove", args=[made.pk])).status_code == 302
    assert not Assignment.objects.exists()
    assert client.post(reverse("hub:pool-remove", args=[bobs.pk])).status_code == 302
    assert not PoolMember.objects.exists()
