"""Reads of the supplier directory, the suppliers' opportunities, the interests registered on
a challenge or procurement, and the suggested suppliers with their reasons.

Every read goes through ``core.permissions``; each costs a fixed number of queries however
many suppliers, interests or registrations there are. Matching adapts the rows to the pure
``supplier_matching`` module.
"""

import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samspil.core import permissions
from samspil.core.models import Membership, Organisation, OrganisationKind, Visibility
from samspil.events.models import Event, Registration, RegistrationStatus, Submission
from samspil.needs.models import Challenge, ChallengeStatus

from . import supplier_matching as matching
from .models import Procurement, Stage, SupplierInterest, SupplierProfile

MAX_WORDS = 8
MATCH_LIMIT = 10


def _json_text_q(field: str, value: str) -> Q:
    """A JSON list's text contains ``value``: as stored on PostgreSQL (jsonb keeps letters
    such as ø) and as stored on SQLite (json.dumps escapes them as \\u00f8)."""
    escaped = json.dumps(value)[1:-1]
    condition = Q(**{f"{field}__icontains": value})
    if escaped != value:
        condition |= Q(**{f"{field}__icontains": escaped})
    return condition


def search_profiles(
    user, *, q: str = "", country: str = "", size: str = "", competence: str = ""
) -> QuerySet[SupplierProfile]:
    """The directory, filtered: ``q`` searches name, offer, competences and references;
    ``country`` is where the company sits or serves; ``competence`` one named competence."""
    rows = permissions.supplier_profiles_visible_to(user).select_related("organisation")
    for word in (q or "").split()[:MAX_WORDS]:
        rows = rows.filter(
            Q(organisation__name__icontains=word)
            | Q(offer__icontains=word)
            | Q(references__icontains=word)
            | _json_text_q("competences", word)
        )
    if country:
        rows = rows.filter(
            Q(organisation__country=country) | _json_text_q("countries_served", f'"{country}"')
        )
    if size:
        rows = rows.filter(size=size)
    if competence:
        quoted = json.dumps(competence, ensure_ascii=False)
        condition = Q(competences__icontains=quoted)
        if json.dumps(competence) != quoted:
            condition |= Q(competences__icontains=json.dumps(competence))
        rows = rows.filter(condition)
    return rows.order_by("organisation__name", "pk")


def competence_choices(user) -> list[str]:
    """Every competence named in the directory, once (ignoring case), in alphabetical order."""
    seen: dict[str, str] = {}
    for values in permissions.supplier_profiles_visible_to(user).values_list(
        "competences", flat=True
    ):
        for value in values or []:
            if isinstance(value, str) and value.strip():
                seen.setdefault(value.strip().casefold(), value.strip())
    return sorted(seen.values(), key=str.casefold)


def get_profile_for_user(user, organisation_pk) -> SupplierProfile:
    try:
        return (
            permissions.supplier_profiles_visible_to(user)
            .select_related("organisation")
            .get(organisation_id=int(organisation_pk))
        )
    except (SupplierProfile.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_company_for_user(user, organisation_pk) -> Organisation:
    """A company the user sees (404 otherwise), for its profile page or form."""
    organisation = permissions.get_organisation_for_user(user, organisation_pk)
    if organisation.kind != OrganisationKind.COMPANY:
        raise Http404
    return organisation


def profile_of(organisation: Organisation) -> SupplierProfile | None:
    return SupplierProfile.objects.filter(organisation=organisation).first()


def editable_companies(user) -> list[Organisation]:
    """The companies whose directory entry the user keeps (its admins)."""
    access = permissions.access_of(user)
    if not access.admin_of:
        return []
    companies = Organisation.objects.filter(
        pk__in=access.admin_of, kind=OrganisationKind.COMPANY
    ).order_by("name", "pk")
    return [c for c in companies if permissions.can_edit_supplier_profile(user, c)]


def supplier_companies(user) -> list[Organisation]:
    """The companies the user may speak for as a supplier."""
    pks = permissions.company_memberships(user)
    if not pks:
        return []
    return list(Organisation.objects.filter(pk__in=pks).order_by("name", "pk"))


# Opportunities -------------------------------------------------------------------------------


def open_challenges() -> QuerySet[Challenge]:
    """Public open challenges, newest first."""
    return (
        Challenge.objects.filter(visibility=Visibility.PUBLIC, status=ChallengeStatus.OPEN)
        .select_related("owner")
        .order_by("-created_at", "-pk")
    )


def procurements_in_dialogue() -> QuerySet[Procurement]:
    """Public procurements in the market-dialogue (planning) stage, newest first."""
    return (
        Procurement.objects.filter(visibility=Visibility.PUBLIC, stage=Stage.PLANNING)
        .select_related("owner", "route")
        .order_by("-updated_at", "-pk")
    )


def interests_of_companies(companies, *, challenges=(), procurements=()) -> dict:
    """The interests of the user's companies in the rows shown: {("challenge", pk): interest}."""
    pks = [c.pk for c in companies]
    if not pks:
        return {}
    condition = Q(challenge__in=[c.pk for c in challenges]) | Q(
        procurement__in=[p.pk for p in procurements]
    )
    found: dict = {}
    for interest in SupplierInterest.objects.filter(condition, supplier__in=pks).select_related(
        "supplier"
    ):
        key = (
            ("challenge", interest.challenge_id)
            if interest.challenge_id
            else (
                "procurement",
                interest.procurement_id,
            )
        )
        found.setdefault(key, []).append(interest)
    return found


# Interests of one target -----------------------------------------------------------------------


def target_filter(target) -> dict:
    if isinstance(target, Procurement):
        return {"procurement": target}
    return {"challenge": target}


def interests_of(target) -> list[SupplierInterest]:
    """Invited and registered suppliers of the target, registered first, by name."""
    rows = list(
        SupplierInterest.objects.filter(**target_filter(target)).select_related(
            "supplier", "invited_by", "registered_by"
        )
    )
    rows.sort(key=lambda i: (i.status != "registered", i.supplier.name.casefold(), i.pk))
    return rows


def own_interests(user, target) -> list[SupplierInterest]:
    pks = permissions.company_memberships(user)
    if not pks:
        return []
    return list(
        SupplierInterest.objects.filter(supplier__in=pks, **target_filter(target)).select_related(
            "supplier"
        )
    )


# Matching --------------------------------------------------------------------------------------


@dataclass
class SupplierMatch:
    profile: SupplierProfile
    match: matching.Match
    interest: SupplierInterest | None

    @property
    def organisation(self) -> Organisation:
        return self.profile.organisation


def target_text(target) -> matching.Target:
    """A challenge's title, problem statement and success criteria; a procurement's title,
    description, lots and functional requirements, with its challenge's text."""
    if isinstance(target, Challenge):
        return matching.Target(
            title=target.title,
            text=f"{target.problem_statement}\n{target.affected_users}",
            criteria=target.success_criteria,
        )
    parts = [target.description]
    parts += [f"{lot.title} {lot.description}" for lot in target.lots.all()]
    parts += list(target.requirements.values_list("text", flat=True))
    criteria = ""
    if target.challenge_id:
        challenge = Challenge.objects.filter(pk=target.challenge_id).first()
        if challenge is not None:
            parts.append(challenge.problem_statement)
            criteria = challenge.success_criteria
    return matching.Target(title=target.title, text="\n".join(parts), criteria=criteria)


def linked_events(user, target) -> QuerySet[Event]:
    """Events linked to the target that the viewer sees: the challenge's events; for a
    procurement its challenge's and those of its dialogue log."""
    if isinstance(target, Challenge):
        condition = Q(challenges=target.pk)
    else:
        condition = Q(dialogue_entries__procurement=target.pk)
        if target.challenge_id:
            condition |= Q(challenges=target.challenge_id)
    return permissions.events_visible_to(user).filter(
        pk__in=Event.objects.filter(condition).values("pk")
    )


def _participation(user, target, companies: dict[int, Organisation]):
    """For each company: the linked events its people registered for, and the events where a
    team with its people submitted. People are the company's members (by account or e-mail)
    or registrations that name the company."""
    events = {e.pk: e.title for e in linked_events(user, target).only("pk", "title")}
    registrations = list(
        Registration.objects.filter(event_id__in=list(events))
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("event_id", "user_id", "email", "organisation")
    )
    submission_condition = Q(team__event_id__in=list(events))
    submissions = list(
        Submission.objects.filter(submission_condition).values_list(
            "team__event_id",
            "team__members__user_id",
            "team__members__email",
            "team__members__organisation",
        )
    )
    people = [(u, (e or "").lower()) for _, u, e, _ in registrations + submissions]
    user_ids = {u for u, _ in people if u}
    emails = {e for _, e in people if e}
    by_user: dict[int, set[int]] = {}
    by_email: dict[str, set[int]] = {}
    if user_ids or emails:
        for user_id, email, organisation_id in Membership.objects.filter(
            Q(user_id__in=user_ids) | Q(user__email__in=emails),
            organisation_id__in=list(companies),
        ).values_list("user_id", "user__email", "organisation_id"):
            by_user.setdefault(user_id, set()).add(organisation_id)
            by_email.setdefault((email or "").lower(), set()).add(organisation_id)
    by_name = {c.name.casefold(): c.pk for c in companies.values()}

    def companies_of(user_id, email, organisation_name) -> set[int]:
        found = set(by_user.get(user_id, ())) | set(by_email.get((email or "").lower(), ()))
        named = by_name.get((organisation_name or "").strip().casefold())
        if named:
            found.add(named)
        return found

    attended: dict[int, list[str]] = {}
    submitted: dict[int, list[str]] = {}
    for event_id, user_id, email, name in registrations:
        for pk in companies_of(user_id, email, name):
            attended.setdefault(pk, []).append(events[event_id])
    for event_id, user_id, email, name in submissions:
        for pk in companies_of(user_id, email, name):
            submitted.setdefault(pk, []).append(events[event_id])
    return attended, submitted


def supplier_matches(user, target, *, limit: int | None = MATCH_LIMIT) -> list[SupplierMatch]:
    """The best-matching suppliers for the target with their reasons and their interest."""
    profiles = {
        p.organisation_id: p
        for p in permissions.supplier_profiles_visible_to(user).select_related("organisation")
    }
    if not profiles:
        return []
    companies = {pk: p.organisation for pk, p in profiles.items()}
    attended, submitted = _participation(user, target, companies)
    candidates = [
        matching.Candidate(
            id=pk,
            name=profile.organisation.name,
            offer=profile.offer,
            competences=tuple(c for c in profile.competences or [] if isinstance(c, str)),
            references=profile.references,
            events=tuple(attended.get(pk, ())),
            submissions=tuple(submitted.get(pk, ())),
        )
        for pk, profile in profiles.items()
    ]
    ranked = matching.rank(target_text(target), candidates, limit=limit)
    interests = {
        i.supplier_id: i
        for i in SupplierInterest.objects.filter(
            supplier__in=[m.id for m in ranked], **target_filter(target)
        )
    }
    return [SupplierMatch(profiles[m.id], m, interests.get(m.id)) for m in ranked]


def invitable_events(user) -> list[Event]:
    """Upcoming events of the organisations where the user buys (procurement officer,
    innovation lead, admin) that a supplier can reach: public or invite-only, registration
    still open."""
    now = timezone.now()
    owners = permissions.organisations_with_role(user, *permissions.PROCURING_ROLES)
    if not owners:
        return []
    rows = (
        Event.objects.filter(owner__in=owners, starts_at__gt=now)
        .filter(Q(visibility=Visibility.PUBLIC) | Q(registration_mode="invite_only"))
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gt=now))
        .order_by("starts_at", "pk")
    )
    return list(rows[:50])
