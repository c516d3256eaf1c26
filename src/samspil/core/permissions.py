"""Who may see and change what: the one place the rules live.

Every record has an owning organisation and a visibility:

- internal: members of the owning organisation, and members of the organisations it
  belongs to (a municipality's staff see its departments' and districts' internal records);
- shared: every member of a public-sector organisation;
- public: anyone, anonymous visitors included.

Pages and API call the same functions: ``<things>_visible_to(user)`` for lists and
``get_<thing>_for_user(user, pk)`` for one record, which raises Http404 outside what the
user may see so that another organisation's internal record does not leak its existence.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.http import Http404

from .lookups import held_values
from .models import (
    PUBLIC_SECTOR_KINDS,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
    Visibility,
)

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Access:
    """What one user's memberships open up, computed once per user object."""

    member_of: frozenset[int]
    sees_internal_of: frozenset[int]
    admin_of: frozenset[int]
    roles_by_organisation: dict[int, frozenset[str]]
    is_public_sector: bool
    is_superuser: bool
    # Role lookups made during the request, keyed by the role codes asked for.
    with_role: dict[frozenset[str], frozenset[int]] = field(default_factory=dict, compare=False)


NO_ACCESS = Access(frozenset(), frozenset(), frozenset(), {}, False, False)


# Per request (``remembering_trees``): each organisation whose children have been read, with
# its children. A page checks many records against the same few trees.
_known_children: ContextVar[dict[int, tuple[int, ...]] | None] = ContextVar(
    "samspil_known_children", default=None
)


@contextmanager
def remembering_trees() -> Iterator[None]:
    """Within the block, each organisation tree is read from the database once (a block
    inside another shares the outer one's)."""
    if _known_children.get() is not None:
        yield
        return
    token = _known_children.set({})
    try:
        yield
    finally:
        _known_children.reset(token)


def forget_trees(**_signal_arguments: Any) -> None:
    """An organisation was added, moved or removed: the trees read so far may be wrong."""
    known = _known_children.get()
    if known is not None:
        known.clear()


def _with_descendants(organisation_ids: set[int]) -> set[int]:
    """The organisations and everything below them (a tree a few levels deep)."""
    known = _known_children.get()
    if known is None:
        known = {}
    missing = set(organisation_ids) - known.keys()
    if missing:
        known.update(_read_subtrees(missing))
    found = set(organisation_ids)
    frontier = list(found)
    while frontier:
        below = [child for pk in frontier for child in known[pk] if child not in found]
        found.update(below)
        frontier = below
    return found


def _tree_rows(ids: set[int], *, downwards: bool) -> list[tuple[int, int | None]]:
    """(id, parent_id) of ``ids`` and of every organisation below them (or above them), in
    one recursive query. An id no column holds (from a query string) has no tree: SQLite
    would raise on it."""
    stored = sorted(held_values(Organisation._meta.pk, ids, connection))
    if not stored:
        return []
    table = Organisation._meta.db_table
    marks = ", ".join(["%s"] * len(stored))
    join = "o.parent_id = tree.id" if downwards else "o.id = tree.parent_id"
    # UNION, not UNION ALL: a parent loop saved by mistake cannot make the query run forever.
    sql = (
        f"WITH RECURSIVE tree(id, parent_id) AS ("  # noqa: S608 - table name, marks, fixed join
        f"SELECT id, parent_id FROM {table} WHERE id IN ({marks}) "
        f"UNION SELECT o.id, o.parent_id FROM {table} o JOIN tree ON {join}) "
        f"SELECT id, parent_id FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, stored)
        return cursor.fetchall()


def _read_subtrees(roots: set[int]) -> dict[int, tuple[int, ...]]:
    """Every organisation at or below ``roots`` with its children, in one recursive query."""
    rows = _tree_rows(roots, downwards=True)
    children: dict[int, list[int]] = {pk: [] for pk in roots}
    children.update((pk, []) for pk, _ in rows)
    for pk, parent_id in rows:
        if parent_id in children and pk not in children[parent_id]:
            children[parent_id].append(pk)
    return {pk: tuple(below) for pk, below in children.items()}


def _with_ancestors(organisation_ids: set[int]) -> set[int]:
    """The organisations and every organisation above them, in one recursive query."""
    return set(organisation_ids) | {pk for pk, _ in _tree_rows(organisation_ids, downwards=False)}


def memberships_of(user: AnyUser) -> list[Membership]:
    """The user's memberships with their organisations, oldest first, read once per user
    object: access, the organisation switcher and the current organisation share them."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_samspil_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        )
        setattr(user, "_samspil_memberships", cached)  # noqa: B010 - per request, not a field
    return cached


def access_of(user: AnyUser) -> Access:
    if not user.is_authenticated:
        return NO_ACCESS
    cached = getattr(user, "_samspil_access", None)
    if cached is not None:
        return cached
    memberships = memberships_of(user)
    roles_by_organisation: dict[int, set[str]] = {
        membership.organisation_id: {Role.Code.MEMBER} for membership in memberships
    }
    public_sector = any(m.organisation.kind in PUBLIC_SECTOR_KINDS for m in memberships)
    if memberships:
        held = Role.objects.filter(membership__user=user).values_list(
            "membership__organisation_id", "code"
        )
        for organisation_id, role_code in held:
            roles_by_organisation[organisation_id].add(role_code)
    member_of = set(roles_by_organisation)
    admin_direct = {pk for pk, roles in roles_by_organisation.items() if Role.Code.ADMIN in roles}
    with remembering_trees():  # the admin tree lies within the member tree: one read
        access = Access(
            member_of=frozenset(member_of),
            sees_internal_of=frozenset(_with_descendants(member_of)),
            admin_of=frozenset(_with_descendants(admin_direct)),
            roles_by_organisation={pk: frozenset(r) for pk, r in roles_by_organisation.items()},
            is_public_sector=public_sector or user.is_superuser,
            is_superuser=user.is_superuser,
        )
    setattr(user, "_samspil_access", access)  # noqa: B010 - a per-request cache, not a field
    return access


def member_of_and_above(user: AnyUser) -> frozenset[int]:
    """The user's organisations and every organisation above them, read once per user
    object: a department's members reach what their municipality runs for its parts."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_samspil_above", None)
    if cached is None:
        parents = {
            m.organisation.parent_id
            for m in memberships_of(user)
            if m.organisation.parent_id is not None
        }
        # Most members belong to organisations at the top: no query for them.
        above = _with_ancestors(parents) if parents else set()
        cached = access_of(user).member_of | above
        setattr(user, "_samspil_above", cached)  # noqa: B010 - per request, not a field
    return cached


def forget_access(user: AnyUser) -> None:
    """Drop the cached access after the user's memberships changed."""
    for name in ("_samspil_access", "_samspil_memberships", "_samspil_above"):
        if hasattr(user, name):
            delattr(user, name)


def visible_q(user: AnyUser, owner_field: str = "owner", path: str = "") -> Q:
    """The filter that keeps the records ``user`` may see, for any model with owner+visibility;
    ``path`` applies it to a related record instead ("pilot" for a KPI's pilot)."""
    prefix = f"{path}__" if path else ""
    access = access_of(user)
    if access.is_superuser:
        return Q()
    condition = Q(**{f"{prefix}visibility": Visibility.PUBLIC}) | Q(
        **{f"{prefix}{owner_field}_id__in": access.sees_internal_of}
    )
    if access.is_public_sector:
        condition |= Q(**{f"{prefix}visibility": Visibility.SHARED})
    return condition


def related_q(model: type[models.Model], path: str = "", **lookups: Any) -> Q:
    """Whether the row (or the related record at ``path``) has related rows matching
    ``lookups`` (a team member, a co-owner), as an EXISTS. A join would repeat the row per
    match, and ``pk__in`` a subquery makes the database collect every matching id of the
    table before it filters."""
    outer = OuterRef(f"{path}_id" if path else "pk")
    return Q(Exists(model._default_manager.filter(pk=outer, **lookups)))


def is_visible_link(visible: QuerySet, field: str = "pk") -> IsNull:
    """Whether the row that ``field`` points to is among ``visible``: a flag to annotate.

    A scalar subquery with LIMIT 1 rather than an EXISTS: PostgreSQL may answer an EXISTS by
    first collecting every row of ``visible`` (it plans for all rows the filter keeps, not for
    the page shown), while this one is asked only for the rows on the page."""
    return IsNull(Subquery(visible.filter(pk=OuterRef(field)).values("pk")[:1]), False)


def visible_to(user: AnyUser, queryset: QuerySet[M], owner_field: str = "owner") -> QuerySet[M]:
    return queryset.filter(visible_q(user, owner_field))


def get_visible_or_404(user: AnyUser, queryset: QuerySet[M], pk: Any, owner_field="owner") -> M:
    try:
        return visible_to(user, queryset, owner_field).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def has_role(user: AnyUser, organisation: Organisation | int, *codes: str) -> bool:
    """Whether the user holds any of the roles in the organisation (admins hold them all)."""
    access = access_of(user)
    if access.is_superuser:
        return True
    pk = organisation if isinstance(organisation, int) else organisation.pk
    roles = access.roles_by_organisation.get(pk, frozenset())
    return bool(roles & set(codes)) or Role.Code.ADMIN in roles


def organisations_with_role(user: AnyUser, *codes: str) -> frozenset[int]:
    """Organisations where the user holds one of the roles (admins hold all), and their parts."""
    access = access_of(user)
    key = frozenset(codes)
    if key not in access.with_role:
        direct = {
            pk
            for pk, roles in access.roles_by_organisation.items()
            if roles & key or Role.Code.ADMIN in roles
        }
        access.with_role[key] = frozenset(_with_descendants(direct))
    return access.with_role[key]


def public_sector_memberships(user: AnyUser) -> frozenset[int]:
    """The public-sector organisations the user is a member of (who may speak for them)."""
    access = access_of(user)
    if not access.member_of:
        return frozenset()
    return frozenset(
        Organisation.objects.filter(
            pk__in=access.member_of, kind__in=PUBLIC_SECTOR_KINDS
        ).values_list("pk", flat=True)
    )


def same_tree(a: Organisation, b: Organisation) -> bool:
    """Whether one organisation is the other or lies below it (a municipality and its parts)."""
    return a.pk == b.pk or a.pk in _with_descendants({b.pk}) or b.pk in _with_descendants({a.pk})


# Organisations ------------------------------------------------------------------------------


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations use their own primary key as owner: members see their own internal one."""
    access = access_of(user)
    if access.is_superuser:
        return Organisation.objects.all()
    condition = Q(visibility=Visibility.PUBLIC) | Q(pk__in=access.sees_internal_of)
    if access.is_public_sector:
        condition |= Q(visibility=Visibility.SHARED)
    return Organisation.objects.filter(condition)


def get_organisation_for_user(user: AnyUser, pk: Any) -> Organisation:
    try:
        return organisations_visible_to(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Admins of the organisation, or of an organisation it belongs to."""
    access = access_of(user)
    return access.is_superuser or organisation.pk in access.admin_of


def can_see_members(user: AnyUser, organisation: Organisation) -> bool:
    """The member list is for the organisation's own people (and those above it)."""
    access = access_of(user)
    return access.is_superuser or organisation.pk in access.sees_internal_of


# Memberships and invitations ------------------------------------------------------------------


def memberships_visible_to(user: AnyUser) -> QuerySet[Membership]:
    access = access_of(user)
    if access.is_superuser:
        return Membership.objects.all()
    return Membership.objects.filter(
        Q(organisation_id__in=access.sees_internal_of) | Q(user_id=user.pk)
    )


def get_membership_for_user(user: AnyUser, pk: Any) -> Membership:
    try:
        return memberships_visible_to(user).select_related("user", "organisation").get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage_members(user: AnyUser, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def invitations_visible_to(user: AnyUser) -> QuerySet[Invitation]:
    access = access_of(user)
    if access.is_superuser:
        return Invitation.objects.all()
    return Invitation.objects.filter(organisation_id__in=access.admin_of)


# Needs and challenges -------------------------------------------------------------------------


def needs_visible_to(user: AnyUser):
    """Needs by visibility, plus the department's own and the reporter's own."""
    from samspil.needs.models import Need

    if access_of(user).is_superuser:
        return Need.objects.all()  # visible_q() is an empty Q, which an OR would drop
    condition = visible_q(user)
    if user.is_authenticated:
        access = access_of(user)
        condition |= Q(department_id__in=access.sees_internal_of) | Q(submitted_by_id=user.pk)
    return Need.objects.filter(condition)


def get_need_for_user(user: AnyUser, pk: Any):
    from samspil.needs.models import Need

    try:
        return needs_visible_to(user).select_related("owner", "department").get(pk=pk)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_triage_need(user: AnyUser, need) -> bool:
    """Innovation leads (and admins) of the owning organisation, of the need's department,
    or of an organisation above either; not those of a sibling department."""
    access = access_of(user)
    if access.is_superuser:
        return True
    led = organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return need.owner_id in led or need.department_id in led


def needs_triaged_by(user: AnyUser):
    """The needs of the organisations the user leads: ``can_triage_need`` as a query, for the
    triage board (a superuser's reach beyond them is not listed there)."""
    from samspil.needs.models import Need

    led = organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return Need.objects.filter(Q(owner_id__in=led) | Q(department_id__in=led))


def can_edit_need(user: AnyUser, need) -> bool:
    """The reporter while the need is new; triage roles always."""
    if not user.is_authenticated:
        return False
    return can_triage_need(user, need) or (need.submitted_by_id == user.pk and need.status == "new")


def can_see_need(user: AnyUser, need) -> bool:
    """The rule of ``needs_visible_to`` for a need already in hand."""
    access = access_of(user)
    if access.is_superuser or need.visibility == Visibility.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if need.submitted_by_id == user.pk:
        return True
    if need.owner_id in access.sees_internal_of or need.department_id in access.sees_internal_of:
        return True
    return need.visibility == Visibility.SHARED and access.is_public_sector


def can_comment_need(user: AnyUser, need) -> bool:
    """Public-sector members who see the need, and the owning organisation's own people."""
    access = access_of(user)
    return (
        user.is_authenticated
        and (access.is_public_sector or need.owner_id in access.sees_internal_of)
        and can_see_need(user, need)
    )


def endorsing_organisations(user: AnyUser, need) -> list[Organisation]:
    """The user's public organisations that may say "we have it too" about a need."""
    if not user.is_authenticated or need.visibility == Visibility.INTERNAL:
        return []
    candidates = Organisation.objects.filter(pk__in=public_sector_memberships(user))
    return [org for org in candidates if not same_tree(org, need.owner)]


def challenges_visible_to(user: AnyUser):
    """Challenges by visibility, plus those the user's organisations co-own or are invited to."""
    from samspil.needs.models import Challenge

    if access_of(user).is_superuser:
        return Challenge.objects.all()
    condition = visible_q(user)
    if user.is_authenticated:
        condition |= related_q(
            Challenge, co_owners__organisation_id__in=access_of(user).sees_internal_of
        )
    return Challenge.objects.filter(condition)


def get_challenge_for_user(user: AnyUser, pk: Any):
    from samspil.needs.models import Challenge

    try:
        return challenges_visible_to(user).select_related("owner").get(pk=pk)
    except (Challenge.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_create_challenge(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.pk in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def can_edit_challenge(user: AnyUser, challenge) -> bool:
    """Innovation leads of the lead organisation or of one that accepted co-ownership."""
    led = organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    if challenge.owner_id in led or access_of(user).is_superuser:
        return True
    return challenge.co_owners.filter(organisation_id__in=led, status="accepted").exists()


# Events ---------------------------------------------------------------------------------------


def events_visible_to(user: AnyUser):
    """Events by visibility, plus those the user organises or judges."""
    from samspil.events.models import Event

    if access_of(user).is_superuser:
        return Event.objects.all()
    condition = visible_q(user)
    if user.is_authenticated:
        condition |= related_q(Event, organisers=user.pk) | related_q(Event, jurors__user=user.pk)
    return Event.objects.filter(condition)


def get_event_for_user(user: AnyUser, pk: Any):
    from samspil.events.models import Event

    try:
        return events_visible_to(user).select_related("owner").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_create_event(user: AnyUser, organisation: Organisation) -> bool:
    """Innovation leads (and admins) of the organisation or of one above it."""
    return organisation.pk in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def can_organise_event(user: AnyUser, event) -> bool:
    """Edit the event and manage its participants: innovation leads of the owner, organisers."""
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser:
        return True
    if event.owner_id in organisations_with_role(user, Role.Code.INNOVATION_LEAD):
        return True
    return event.organisers.filter(pk=user.pk).exists()


def participant_registration(user: AnyUser, event):
    """The user's confirmed registration for the event, or None. A registration made while
    signed in belongs to that account; one made with the account's e-mail address does too."""
    if not user.is_authenticated:
        return None
    from samspil.events.models import RegistrationStatus

    condition = Q(user=user.pk)
    if user.email:
        condition |= Q(email__iexact=user.email)
    return (
        event.registrations.filter(condition, status=RegistrationStatus.CONFIRMED)
        .order_by("pk")
        .first()
    )


def is_juror(user: AnyUser, event) -> bool:
    return user.is_authenticated and event.jurors.filter(user=user.pk).exists()


def can_see_submissions(user: AnyUser, event) -> bool:
    """Organisers, jurors and confirmed participants; the winners' submissions are shown
    to everyone who sees the event once they are published."""
    return (
        can_organise_event(user, event)
        or is_juror(user, event)
        or participant_registration(user, event) is not None
    )


def can_edit_submission(user: AnyUser, team) -> bool:
    """Organisers, and members of the team who registered with this account."""
    if can_organise_event(user, team.event):
        return True
    registration = participant_registration(user, team.event)
    return registration is not None and team.members.filter(pk=registration.pk).exists()


def can_use_datasets(user: AnyUser, event) -> bool:
    """Organisers and confirmed participants; each dataset's terms are accepted apart."""
    return can_organise_event(user, event) or participant_registration(user, event) is not None


def concepts_visible_to(user: AnyUser):
    from samspil.events.models import EventConcept

    return visible_to(user, EventConcept.objects.all())


def get_concept_for_user(user: AnyUser, pk: Any):
    from samspil.events.models import EventConcept

    return get_visible_or_404(user, EventConcept.objects.select_related("owner"), pk)


def can_edit_concept(user: AnyUser, concept) -> bool:
    """Innovation leads of the concept's organisation (or one above it)."""
    return concept.owner_id in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


# Programmes and pilots ----------------------------------------------------------------------------


def programmes_visible_to(user: AnyUser):
    """Programmes by visibility; co-owners' people see internal ones too, as do the board
    and the coordinator."""
    from samspil.pilots.models import Programme

    if access_of(user).is_superuser:
        return Programme.objects.all()
    condition = visible_q(user)
    if user.is_authenticated:
        condition |= (
            related_q(Programme, co_owners__in=access_of(user).sees_internal_of)
            | related_q(Programme, board=user.pk)
            | Q(coordinator=user.pk)
        )
    return Programme.objects.filter(condition)


def get_programme_for_user(user: AnyUser, pk: Any):
    from samspil.pilots.models import Programme

    try:
        return programmes_visible_to(user).select_related("owner").get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_create_programme(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.pk in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def programmes_for_new_pilots(user: AnyUser):
    """The programmes a pilot the user starts may join: run or co-owned within the tree of
    an organisation the user leads (below or above it), or coordinated by the user; the
    service checks the chosen organisation (``pilots.services._programme_allowed``)."""
    visible = programmes_visible_to(user)
    if access_of(user).is_superuser:
        return visible
    led = organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    family = _with_ancestors(set(led)) if led else set()
    from samspil.pilots.models import Programme

    return visible.filter(
        Q(owner_id__in=family) | related_q(Programme, co_owners__in=family) | Q(coordinator=user.pk)
    )


def can_edit_programme(user: AnyUser, programme) -> bool:
    """Innovation leads of the owner or a co-owner, and the coordinator."""
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser or programme.coordinator_id == user.pk:
        return True
    led = organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    if programme.owner_id in led:
        return True
    return programme.co_owners.filter(pk__in=led).exists()


def pilots_visible_to(user: AnyUser):
    """Pilots by visibility, plus those the user leads or works on."""
    from samspil.pilots.models import Pilot

    if access_of(user).is_superuser:
        return Pilot.objects.all()
    return Pilot.objects.filter(pilot_visible_q(user))


def pilot_visible_q(user: AnyUser, path: str = "") -> Q:
    """The condition on a pilot row of ``pilots_visible_to`` (empty for a superuser), or on
    the pilot at ``path`` of another row ("pilot" for a KPI)."""
    from samspil.pilots.models import Pilot

    condition = visible_q(user, path=path)
    if user.is_authenticated and not access_of(user).is_superuser:
        lead = f"{path}__lead" if path else "lead"
        condition |= related_q(Pilot, path, team=user.pk) | Q(**{lead: user.pk})
    return condition


def get_pilot_for_user(user: AnyUser, pk: Any):
    from samspil.pilots.models import Pilot

    try:
        return pilots_visible_to(user).select_related("owner", "programme").get(pk=pk)
    except (Pilot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_create_pilot(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.pk in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def can_edit_pilot(user: AnyUser, pilot) -> bool:
    """Innovation leads of the owner, the pilot lead, the team, the programme's coordinator:
    they keep the plan, checklists, KPIs, measurements, benefits and lessons."""
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser or pilot.lead_id == user.pk:
        return True
    if pilot.owner_id in organisations_with_role(user, Role.Code.INNOVATION_LEAD):
        return True
    if pilot.programme_id and pilot.programme.coordinator_id == user.pk:
        return True
    return pilot.team.filter(pk=user.pk).exists()


def can_decide_pilot(user: AnyUser, pilot) -> bool:
    """Record decisions at decision points and the outcome: innovation leads of the owner,
    board members of the owner, and the programme's board and coordinator."""
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser:
        return True
    deciding = organisations_with_role(user, Role.Code.INNOVATION_LEAD, Role.Code.BOARD_MEMBER)
    if pilot.owner_id in deciding:
        return True
    programme = pilot.programme
    if programme is None:
        return False
    return programme.coordinator_id == user.pk or programme.board.filter(pk=user.pk).exists()


def kpi_definitions_visible_to(user: AnyUser):
    from samspil.pilots.models import KpiDefinition

    return visible_to(user, KpiDefinition.objects.all())


def get_kpi_definition_for_user(user: AnyUser, pk: Any):
    from samspil.pilots.models import KpiDefinition

    return get_visible_or_404(user, KpiDefinition.objects.select_related("owner"), pk)


def can_edit_kpi_definition(user: AnyUser, definition) -> bool:
    return definition.owner_id in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def can_add_reference_value(user: AnyUser) -> bool:
    """Any public-sector organisation's innovation lead may add an external reference value
    (with its source) to a definition they see."""
    led = organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return bool(led & public_sector_memberships(user)) or access_of(user).is_superuser


# Investment proposals and prioritisation rounds -----------------------------------------------

# Content (sections, table, criteria, consultations) is edited only before submission, and
# again when a proposal is deferred back to its department.
PROPOSAL_EDITABLE_STATES = frozenset({"draft", "consultation", "deferred"})
# The follow-up table stays editable until the proposal is closed: it becomes the task list.
PROPOSAL_FOLLOW_UP_STATES = PROPOSAL_EDITABLE_STATES | {"approved", "follow_up"}


def proposals_visible_to(user: AnyUser):
    """Proposals by visibility, plus those in a round whose board the user sits on, and
    those the user wrote."""
    from samspil.proposals.models import Proposal

    if access_of(user).is_superuser:
        return Proposal.objects.all()
    condition = visible_q(user)
    if user.is_authenticated:
        condition |= Q(created_by=user.pk) | related_q(
            Proposal, round_entries__round__board=user.pk
        )
    return Proposal.objects.filter(condition)


def get_proposal_for_user(user: AnyUser, pk: Any):
    from samspil.proposals.models import Proposal

    try:
        return (
            proposals_visible_to(user)
            .select_related("owner", "template", "discount_preset", "created_by")
            .get(pk=pk)
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_create_proposal(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.pk in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def _writes_proposal(user: AnyUser, proposal) -> bool:
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser or proposal.created_by_id == user.pk:
        return True
    return proposal.owner_id in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def can_edit_proposal(user: AnyUser, proposal) -> bool:
    """Innovation leads of the presenting department (or above it) and the author, while the
    proposal is a draft, in consultation or deferred."""
    return proposal.state in PROPOSAL_EDITABLE_STATES and _writes_proposal(user, proposal)


def can_edit_follow_up(user: AnyUser, proposal) -> bool:
    """The follow-up table: as for the content, and after approval until closed; a
    responsible person may also tick their own tasks (``can_complete_follow_up``)."""
    return proposal.state in PROPOSAL_FOLLOW_UP_STATES and _writes_proposal(user, proposal)


def can_complete_follow_up(user: AnyUser, item) -> bool:
    if item.responsible_user_id is not None and item.responsible_user_id == user.pk:
        return item.proposal.state in PROPOSAL_FOLLOW_UP_STATES
    return can_edit_follow_up(user, item.proposal)


def can_move_proposal(user: AnyUser, proposal) -> bool:
    """Moves the department makes: to consultation, back to draft, submit, resubmit a
    deferred one, start follow-up, close."""
    return _writes_proposal(user, proposal)


def can_decide_proposal(user: AnyUser, proposal) -> bool:
    """Prioritise, approve, reject or defer: board members of the presenting department or an
    organisation above it, and the boards of the rounds the proposal is in."""
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser:
        return True
    if proposal.owner_id in organisations_with_role(user, Role.Code.BOARD_MEMBER):
        return True
    return proposal.round_entries.filter(round__board=user.pk).exists()


def rounds_visible_to(user: AnyUser):
    """Rounds by visibility, plus those whose board the user sits on. An internal round is
    also open to the organisations below its owner: a municipality's innovation pool is
    meant for its departments (not for another municipality)."""
    from samspil.proposals.models import Round

    if access_of(user).is_superuser:
        return Round.objects.all()
    condition = visible_q(user)
    if user.is_authenticated:
        condition |= Q(owner_id__in=member_of_and_above(user)) | related_q(Round, board=user.pk)
    return Round.objects.filter(condition)


def get_round_for_user(user: AnyUser, pk: Any):
    from samspil.proposals.models import Round

    try:
        return rounds_visible_to(user).select_related("owner").get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_create_round(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.pk in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def can_edit_round(user: AnyUser, round_) -> bool:
    """Budgets, criteria, board, fixed choices and optimising: innovation leads of the owner."""
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser:
        return True
    return round_.owner_id in organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def is_round_board_member(user: AnyUser, round_) -> bool:
    if not user.is_authenticated:
        return False
    return round_.board.filter(pk=user.pk).exists()


def can_prioritise_round(user: AnyUser, round_) -> bool:
    """Marking the ranked proposals prioritised is the board's decision, not the editors'."""
    return access_of(user).is_superuser or is_round_board_member(user, round_)


def can_enter_round(user: AnyUser, round_, proposal) -> bool:
    """A proposal's department enters it in a round of its own organisation tree."""
    return _writes_proposal(user, proposal) and same_tree(proposal.owner, round_.owner)


# Procurement -------------------------------------------------------------------------------------


def procurements_visible_to(user: AnyUser):
    """Procurements by visibility, plus those the user's organisations buy in."""
    from samspil.procurement.models import Procurement

    if access_of(user).is_superuser:
        return Procurement.objects.all()
    condition = visible_q(user)
    if user.is_authenticated:
        condition |= related_q(
            Procurement, buyers__organisation__in=access_of(user).sees_internal_of
        )
    return Procurement.objects.filter(condition)


def get_procurement_for_user(user: AnyUser, pk: Any):
    from samspil.procurement.models import Procurement

    try:
        return (
            procurements_visible_to(user)
            .select_related("owner", "route", "procuring_entity")
            .get(pk=pk)
        )
    except (Procurement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


PROCURING_ROLES = (Role.Code.PROCUREMENT_OFFICER, Role.Code.INNOVATION_LEAD)


def can_create_procurement(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.pk in organisations_with_role(user, *PROCURING_ROLES)


def can_edit_procurement(user: AnyUser, procurement) -> bool:
    """Procurement officers and innovation leads of the lead buyer (the owner) or of the
    procuring entity."""
    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser:
        return True
    procuring = organisations_with_role(user, *PROCURING_ROLES)
    return procurement.owner_id in procuring or procurement.procuring_entity_id in procuring


def can_confirm_buyer(user: AnyUser, buyer) -> bool:
    """A named person of the invited organisation confirms that it buys in: its procurement
    officers, innovation leads and admins."""
    if not user.is_authenticated:
        return False
    return buyer.organisation_id in organisations_with_role(user, *PROCURING_ROLES)


def company_memberships(user: AnyUser) -> frozenset[int]:
    """The company organisations the user belongs to (who may speak for a supplier)."""
    from .models import OrganisationKind

    access = access_of(user)
    if not access.member_of:
        return frozenset()
    return frozenset(
        Organisation.objects.filter(
            pk__in=access.member_of, kind=OrganisationKind.COMPANY
        ).values_list("pk", flat=True)
    )


# section: market dialogue (procurement/dialogue_*.py) -------------------------------------------


def can_log_dialogue(user: AnyUser, procurement) -> bool:
    """Who runs the procurement logs its dialogue and publishes answers."""
    return can_edit_procurement(user, procurement)


def can_register_interest(user: AnyUser, target) -> bool:
    """A supplier registers interest in a public procurement in the market-dialogue stage or
    a public open challenge."""
    from samspil.needs.models import Challenge, ChallengeStatus
    from samspil.procurement.models import Stage

    if not company_memberships(user) or target.visibility != Visibility.PUBLIC:
        return False
    if isinstance(target, Challenge):
        return target.status == ChallengeStatus.OPEN
    return target.stage == Stage.PLANNING


def can_see_dialogue_log(user: AnyUser, procurement) -> bool:
    """The dialogue log names suppliers: those who log it and the members of the lead buyer,
    the procuring entity and the confirmed buyers (and of the organisations above them) read
    it; suppliers and other visitors do not."""
    if not user.is_authenticated:
        return False
    if can_log_dialogue(user, procurement):
        return True
    access = access_of(user)
    if (
        procurement.owner_id in access.sees_internal_of
        or procurement.procuring_entity_id in access.sees_internal_of
    ):
        return True
    return procurement.buyers.filter(
        Q(confirmed_at__isnull=False) | Q(role="lead"),
        organisation__in=access.sees_internal_of,
    ).exists()


def registered_supplier_organisations(user: AnyUser, procurement) -> list[Organisation]:
    """The user's companies registered for the procurement's market dialogue, by name: each
    may ask questions, and gets every published answer."""
    from samspil.procurement.models import InterestStatus, SupplierInterest

    companies = company_memberships(user)
    if not companies:
        return []
    registered = SupplierInterest.objects.filter(
        procurement=procurement, status=InterestStatus.REGISTERED, supplier__in=companies
    ).values("supplier_id")
    return list(Organisation.objects.filter(pk__in=registered).order_by("name", "pk"))


def can_ask_question(user: AnyUser, procurement) -> bool:
    """A member of a supplier registered for the procurement's market dialogue."""
    return bool(registered_supplier_organisations(user, procurement))


# section: suppliers (procurement/supplier_*.py) ------------------------------------------------


def can_edit_supplier_profile(user: AnyUser, organisation: Organisation) -> bool:
    """A company's admins keep its directory entry."""
    from .models import OrganisationKind

    return organisation.kind == OrganisationKind.COMPANY and (
        access_of(user).is_superuser or organisation.pk in access_of(user).admin_of
    )


def supplier_profiles_visible_to(user: AnyUser):
    """The supplier directory: profiles of the company organisations the user sees (a
    company is public unless it chose otherwise)."""
    from samspil.procurement.models import SupplierProfile

    from .models import OrganisationKind

    return SupplierProfile.objects.filter(
        organisation__kind=OrganisationKind.COMPANY,
        organisation__in=organisations_visible_to(user).values("pk"),
    )


def is_open_for_interest(target) -> bool:
    """A public open challenge, or a public procurement in the market-dialogue (planning)
    stage: what suppliers may register interest in and be invited to."""
    from samspil.needs.models import Challenge, ChallengeStatus
    from samspil.procurement.models import Stage

    if target.visibility != Visibility.PUBLIC:
        return False
    if isinstance(target, Challenge):
        return target.status == ChallengeStatus.OPEN
    return target.stage == Stage.PLANNING


def can_see_supplier_matches(user: AnyUser, target) -> bool:
    """Suggested suppliers and the interests registered: on a procurement those who run it;
    on a challenge every public-sector member who sees it (not suppliers)."""
    from samspil.procurement.models import Procurement

    if not user.is_authenticated:
        return False
    if isinstance(target, Procurement):
        return can_edit_procurement(user, target)
    return access_of(user).is_public_sector


def can_invite_suppliers(user: AnyUser, target) -> bool:
    """Invite a supplier to the market dialogue or an event: those who run the procurement;
    for a challenge, the procurement officers and innovation leads of its lead organisation
    and those who may edit it."""
    from samspil.procurement.models import Procurement

    if not user.is_authenticated:
        return False
    if isinstance(target, Procurement):
        return can_edit_procurement(user, target)
    if target.owner_id in organisations_with_role(user, *PROCURING_ROLES):
        return True
    return can_edit_challenge(user, target)


# section: scaling processes (procurement/scaling_*.py) -----------------------------------------


def scaling_processes_visible_to(user: AnyUser):
    """Scaling processes by visibility, plus those the user's organisations take part in."""
    from samspil.procurement.models import ScalingProcess

    if access_of(user).is_superuser:
        return ScalingProcess.objects.all()
    condition = visible_q(user)
    if user.is_authenticated:
        condition |= related_q(
            ScalingProcess, participants__organisation__in=access_of(user).sees_internal_of
        )
    return ScalingProcess.objects.filter(condition)


def get_scaling_process_for_user(user: AnyUser, pk: Any):
    from samspil.procurement.models import ScalingProcess

    try:
        return scaling_processes_visible_to(user).select_related("owner", "challenge").get(pk=pk)
    except (ScalingProcess.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_create_scaling_process(user: AnyUser, organisation: Organisation) -> bool:
    return organisation.pk in organisations_with_role(user, *PROCURING_ROLES)


def can_edit_scaling_process(user: AnyUser, process) -> bool:
    """Innovation leads and procurement officers of the owner or of a facilitator."""
    from samspil.procurement.models import ScalingRole

    if not user.is_authenticated:
        return False
    if access_of(user).is_superuser:
        return True
    procuring = organisations_with_role(user, *PROCURING_ROLES)
    if process.owner_id in procuring:
        return True
    return process.participants.filter(
        role=ScalingRole.FACILITATOR, organisation__in=procuring
    ).exists()


def can_commit_for(user: AnyUser, organisation: Organisation | int) -> bool:
    """A letter of intent is signed for an organisation by its procuring roles."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return pk in organisations_with_role(user, *PROCURING_ROLES)


# section: hub resources and bookings (hub/resource_*.py, hub/booking_*.py) ---------------------

HUB_ROLES = (Role.Code.INNOVATION_LEAD,)


def hubs_visible_to(user: AnyUser):
    from samspil.hub.models import Hub

    return visible_to(user, Hub.objects.all())


def get_hub_for_user(user: AnyUser, pk: Any):
    from samspil.hub.models import Hub

    return get_visible_or_404(user, Hub.objects.select_related("owner"), pk)


def can_manage_hub(user: AnyUser, hub) -> bool:
    """Innovation leads and admins of the hub's organisation run it."""
    return hub.owner_id in organisations_with_role(user, *HUB_ROLES)


def resources_visible_to(user: AnyUser):
    from samspil.hub.models import Resource

    return visible_to(user, Resource.objects.all())


def get_resource_for_user(user: AnyUser, pk: Any):
    from samspil.hub.models import Resource

    return get_visible_or_404(user, Resource.objects.select_related("owner", "hub"), pk)


def can_manage_resource(user: AnyUser, resource) -> bool:
    """The owner's innovation leads and admins add resources, approve and reject bookings."""
    return resource.owner_id in organisations_with_role(user, *HUB_ROLES)


def can_book(user: AnyUser, resource) -> bool:
    """As the resource's "who may book" says: the owner's members (and those above them),
    every public-sector member, or everyone with an account."""
    from samspil.hub.models import WhoMayBook

    if not user.is_authenticated or not resource.active:
        return False
    access = access_of(user)
    if access.is_superuser:
        return True
    if resource.who_may_book == WhoMayBook.EVERYONE:
        return bool(access.member_of)
    if resource.who_may_book == WhoMayBook.PUBLIC_SECTOR:
        return access.is_public_sector
    return resource.owner_id in access.sees_internal_of


def booking_organisations(user: AnyUser, resource) -> frozenset[int]:
    """The organisations the user may book for: their own memberships, narrowed as the
    resource's "who may book" requires. For members only, that is the owner, its parts and
    the organisations above it (a city's staff book their hub's rooms for the city)."""
    from samspil.hub.models import WhoMayBook

    access = access_of(user)
    if resource.who_may_book == WhoMayBook.EVERYONE:
        return access.member_of
    if resource.who_may_book == WhoMayBook.PUBLIC_SECTOR:
        return public_sector_memberships(user)
    below = _with_descendants({resource.owner_id})
    return frozenset(
        pk for pk in access.member_of if pk in below or resource.owner_id in _with_descendants({pk})
    )


def bookings_visible_to(user: AnyUser):
    """The user's own bookings, their organisations' bookings, and every booking of the
    resources they manage."""
    from samspil.hub.models import Booking

    access = access_of(user)
    if access.is_superuser:
        return Booking.objects.all()
    if not user.is_authenticated:
        return Booking.objects.none()
    managed = organisations_with_role(user, *HUB_ROLES)
    return Booking.objects.filter(
        Q(booked_by=user)
        | Q(organisation__in=access.sees_internal_of)
        | Q(resource__owner__in=managed)
    )


def get_booking_for_user(user: AnyUser, pk: Any):
    from samspil.hub.models import Booking

    try:
        return bookings_visible_to(user).select_related("resource", "organisation").get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_cancel_booking(user: AnyUser, booking) -> bool:
    if not user.is_authenticated:
        return False
    return booking.booked_by_id == user.pk or can_manage_resource(user, booking.resource)


# section: competence pool and partners (hub/pool_*.py, hub/partner_*.py) -----------------------


def pool_members_visible_to(user: AnyUser):
    """A competence pool is its organisation's own: members of the organisation (and those
    above it) see it."""
    from samspil.hub.models import PoolMember

    access = access_of(user)
    if access.is_superuser:
        return PoolMember.objects.all()
    return PoolMember.objects.filter(organisation__in=access.sees_internal_of)


def can_manage_pool(user: AnyUser, organisation: Organisation | int) -> bool:
    """Innovation leads and admins add people to the pool and assign them."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return pk in organisations_with_role(user, *HUB_ROLES)


# section: results (results/*.py) ---------------------------------------------------------------

RESULT_ROLES = (Role.Code.INNOVATION_LEAD,)


def results_visible_to(user: AnyUser):
    """Published results are readable by anyone; drafts and withdrawn ones by the owner's
    people."""
    from samspil.results.models import Result, ResultStatus

    access = access_of(user)
    if access.is_superuser:
        return Result.objects.all()
    return Result.objects.filter(
        Q(status=ResultStatus.PUBLISHED) | Q(owner__in=access.sees_internal_of)
    )


def get_result_for_user(user: AnyUser, pk: Any):
    from samspil.results.models import Result

    try:
        return results_visible_to(user).select_related("owner").get(pk=pk)
    except (Result.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_publish_results_for(user: AnyUser, organisation: Organisation | int) -> bool:
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return pk in organisations_with_role(user, *RESULT_ROLES)


def can_edit_result(user: AnyUser, result) -> bool:
    return can_publish_results_for(user, result.owner_id)


def adopting_organisations(user: AnyUser, result) -> frozenset[int]:
    """Public-sector organisations other than the publisher whose innovation leads or
    admins the user is: they may say "we adopt this"."""
    leads = organisations_with_role(user, *RESULT_ROLES)
    return frozenset(pk for pk in public_sector_memberships(user) if pk in leads) - {
        result.owner_id
    }


def adoptions_visible_to(user: AnyUser):
    """Who adopted a result is as open as the result: adoptions of the results the user sees.
    The linked pilot or procurement keeps its own visibility."""
    from samspil.results.models import Adoption

    if access_of(user).is_superuser:
        return Adoption.objects.all()
    return Adoption.objects.filter(result__in=results_visible_to(user).values("pk"))


def can_update_adoption(user: AnyUser, adoption) -> bool:
    """The adopting organisation's innovation leads (and admins) keep its outcome."""
    return adoption.organisation_id in organisations_with_role(user, *RESULT_ROLES)
