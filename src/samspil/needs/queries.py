"""Every permission-filtered read of needs that pages and exports share.

All start from ``permissions.needs_visible_to(user)``; related rows come in with
``select_related``/``prefetch_related`` and counts and sums as subqueries, so that a page
costs the same number of queries whatever its number of rows.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from samspil.core import permissions, web
from samspil.core.models import PUBLIC_SECTOR_KINDS, Organisation, Role, User

from . import search
from .models import LARGE_DERIVED_FIELDS, Endorsement, Need, NeedStatus, Theme

# The board's columns in the order of the work, and the finished ones shown folded.
BOARD_COLUMNS = [
    NeedStatus.NEW,
    NeedStatus.IN_TRIAGE,
    NeedStatus.ACCEPTED,
    NeedStatus.IN_CHALLENGE,
]
BOARD_FOLDED = [NeedStatus.MERGED, NeedStatus.REJECTED]
BOARD_LIMIT = 50
SORTS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "endorsed": ("-endorsement_count", "-created_at", "-pk"),
    "relevance": ("-rank", "-created_at", "-pk"),
}


def _endorsements_of_row():
    return Endorsement.objects.filter(need=OuterRef("pk")).order_by().values("need")


def with_endorsement_count(queryset: QuerySet[Need]) -> QuerySet[Need]:
    counts = _endorsements_of_row().annotate(n=Count("pk")).values("n")
    return queryset.annotate(
        endorsement_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )


def with_endorsed_volume(queryset: QuerySet[Need]) -> QuerySet[Need]:
    """Endorsers' people affected and hours per week, summed (the need's own not included)."""
    people = _endorsements_of_row().annotate(s=Sum("affected_count")).values("s")
    hours = _endorsements_of_row().annotate(s=Sum("hours_per_week")).values("s")
    return queryset.annotate(endorsed_people=Subquery(people), endorsed_hours=Subquery(hours))


def _for_rows(queryset: QuerySet[Need]) -> QuerySet[Need]:
    return queryset.select_related("owner", "department").defer(*LARGE_DERIVED_FIELDS)


# A text search counts at most this many matches; when more match, relevance ranking
# (ts_rank over every match, each row's vector read from the heap) gives way to newest
# first, which an index answers: ranking 20,000 matches of one common word costs ~0.4 s
# and says little about them.
SEARCH_COUNT_CAP = 500


@dataclass
class Listed:
    """What the list page shows: the rows, their capped count, and how they were sorted."""

    rows: QuerySet[Need]
    cap: int
    count: int | None = None  # a capped count already made (None: the paginator counts)
    newest_first: bool = False  # relevance was asked for, but too many matched


def _filtered(
    user,
    *,
    text: str = "",
    organisation: int | None = None,
    country: str = "",
    status: str = "",
    theme: str = "",
) -> QuerySet[Need]:
    needs = permissions.needs_visible_to(user)
    if organisation:
        # A unit's needs are filed under its public body with the unit (or one below it) as
        # department.
        units = permissions._with_descendants({organisation})
        needs = needs.filter(Q(owner_id=organisation) | Q(department_id__in=units))
    if country:
        needs = needs.filter(owner__country=country.upper())
    if status:
        needs = needs.filter(status=status)
    if theme:
        needs = needs.filter(
            pk__in=Need.themes.through.objects.filter(theme__slug=theme).values("need_id")
        )
    if text.strip():
        needs = search.search(needs, text)
    return needs


def _sort(sort: str, searching: bool) -> str:
    if sort not in SORTS or (sort == "relevance" and not searching):
        sort = "relevance" if searching else "newest"
    return sort


def search_needs(user, *, text: str = "", sort: str = "", **filters) -> QuerySet[Need]:
    """The list and the exports: visible needs, searched, filtered and sorted."""
    needs = _filtered(user, text=text, **filters)
    sort = _sort(sort, bool(text.strip()))
    return with_endorsement_count(_for_rows(needs)).order_by(*SORTS[sort])


def list_needs(user, *, text: str = "", sort: str = "", **filters) -> Listed:
    """The list page: like :func:`search_needs`, but a search with many matches is shown
    newest first and counted only up to ``SEARCH_COUNT_CAP``."""
    searching = bool(text.strip())
    needs = _filtered(user, text=text, **filters)
    sort = _sort(sort, searching)
    listed = Listed(rows=needs, cap=SEARCH_COUNT_CAP if searching else web.COUNT_CAP)
    # Counted on the ids alone: no rank or endorsement subquery computed per counted row.
    listed.count = web.capped_count(needs.values("pk"), listed.cap)
    if sort == "relevance" and listed.count > listed.cap:
        sort, listed.newest_first = "newest", True
    listed.rows = with_endorsement_count(_for_rows(needs)).order_by(*SORTS[sort])
    return listed


def list_rows(queryset: QuerySet[Need]) -> QuerySet[Need]:
    """What a row of the list shows beyond the need itself."""
    return queryset.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("slug")))


def export_rows(queryset: QuerySet[Need]) -> QuerySet[Need]:
    return with_endorsed_volume(list_rows(queryset)).select_related("submitted_by")


def filter_organisations(user) -> list[tuple[int, str]]:
    """Public organisations the user may see, for the list's organisation filter."""
    rows = (
        permissions.organisations_visible_to(user)
        .filter(kind__in=PUBLIC_SECTOR_KINDS)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    return list(rows)


def my_needs(user: User) -> QuerySet[Need]:
    """What the user reported, newest first, with what became of each."""
    needs = permissions.needs_visible_to(user).filter(submitted_by_id=user.pk)
    return with_endorsement_count(_for_rows(needs).select_related("merged_into")).order_by(
        "-created_at", "-pk"
    )


def visible_ids(user, ids) -> set[int]:
    """Which of ``ids`` the user may open (one query)."""
    ids = [pk for pk in ids if pk]
    if not ids:
        return set()
    return set(permissions.needs_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


# Triage --------------------------------------------------------------------------------------


def triage_organisations(user) -> frozenset[int]:
    """Organisations whose needs the user triages: innovation lead or admin there or above."""
    return permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)


def triage_needs(user) -> QuerySet[Need]:
    return permissions.needs_triaged_by(user)


def triage_roots(user) -> list[Organisation]:
    """The public organisations the user triages, without those below another of them: the
    board's "more in the list" links filter the list by each."""
    led = triage_organisations(user)
    return list(
        Organisation.objects.filter(pk__in=led, kind__in=PUBLIC_SECTOR_KINDS)
        .exclude(parent_id__in=led)
        .order_by("name", "pk")
    )


@dataclass
class BoardColumn:
    status: NeedStatus
    total: int
    needs: list[Need] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.needs)


def board(user) -> list[BoardColumn]:
    """The triage board: a column per status, newest first, at most BOARD_LIMIT cards each."""
    needs = triage_needs(user)
    totals = dict(needs.order_by().values_list("status").annotate(n=Count("pk")))
    columns = []
    cards = _cards(needs)
    for status in [*BOARD_COLUMNS, *BOARD_FOLDED]:
        total = totals.get(status.value, 0)
        rows = list(cards.filter(status=status).order_by("-created_at", "-pk")[:BOARD_LIMIT])
        columns.append(BoardColumn(status=status, total=total, needs=rows))
    return columns


def _cards(needs: QuerySet[Need]) -> QuerySet[Need]:
    """What a card shows: a merged need names the need it was merged into."""
    survivor_deferred = [f"merged_into__{name}" for name in LARGE_DERIVED_FIELDS]
    return with_endorsement_count(
        _for_rows(needs).select_related("submitted_by", "merged_into").defer(*survivor_deferred)
    )


def board_card(need: Need) -> Need:
    """One card of the board again, with what a card shows."""
    return _cards(Need.objects.all()).get(pk=need.pk)


def merge_candidates(user, need: Need) -> QuerySet[Need]:
    """Needs the user may triage and that may absorb another (itself included: the service
    refuses a merge into itself with a clear message)."""
    triaged = permissions.needs_visible_to(user) & permissions.needs_triaged_by(user)
    return triaged.exclude(status=NeedStatus.MERGED)


def merge_options(user, need: Need, similar: list[Need], limit: int = 30) -> list[tuple[int, str]]:
    """A short list to pick from: similar needs first, then the newest of the organisation."""
    options = [
        (n.pk, n) for n in similar if n.status != "merged" and permissions.can_triage_need(user, n)
    ]
    seen = {pk for pk, _ in options} | {need.pk}
    recent = (
        merge_candidates(user, need)
        .filter(owner_id=need.owner_id)
        .exclude(pk__in=seen)
        .only("pk", "title")
        .order_by("-created_at", "-pk")[:limit]
    )
    options += [(n.pk, n) for n in recent]
    return [(pk, f"#{pk} {n.title}") for pk, n in options]


def owner_choices(need: Need) -> QuerySet[User]:
    """People of the owning organisation (and its parts) who can own the need."""
    tree = permissions._with_descendants({need.owner_id})
    return (
        User.objects.filter(memberships__organisation_id__in=tree, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# Reporting ------------------------------------------------------------------------------------


def departments_for(user, owner: Organisation) -> QuerySet[Organisation]:
    """The parts of ``owner`` (at any depth) the user may see, to name as a need's department."""
    below = permissions._with_descendants({owner.pk}) - {owner.pk}
    return (
        permissions.organisations_visible_to(user)
        .filter(pk__in=below, kind__in=PUBLIC_SECTOR_KINDS)
        .order_by("name", "pk")
    )


def reporter_department(user, organisation: Organisation, owner: Organisation) -> int | None:
    """The department to preselect: the organisation reported in when it is a part of the
    owner, else the reporter's oldest membership below the owner (None: the whole owner)."""
    if organisation.pk != owner.pk:
        return organisation.pk
    below = permissions._with_descendants({owner.pk}) - {owner.pk}
    return next(
        (m.organisation_id for m in permissions.memberships_of(user) if m.organisation_id in below),
        None,
    )


# One need -------------------------------------------------------------------------------------


@dataclass
class Volume:
    people: int
    hours: Decimal
    organisations: int


def need_for_page(user, pk) -> Need:
    """One need with what its page shows; 404 outside what the user may see."""
    needs = (
        permissions.needs_visible_to(user)
        .select_related("owner", "department", "submitted_by", "need_owner", "merged_into")
        # The query vector stays: the page's similar needs are ranked with it.
        .defer("search_vector", "match_text", "embedding")
    )
    try:
        return needs.get(pk=pk)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def absorbed_into(user, need: Need) -> list[Need]:
    """The needs merged into ``need`` that the user may see, oldest first (one query)."""
    return list(
        permissions.needs_visible_to(user)
        .filter(merged_into_id=need.pk)
        .only("pk", "title")
        .order_by("created_at", "pk")
    )


def endorsements_of(need: Need) -> list[Endorsement]:
    return list(need.endorsements.select_related("organisation", "endorsed_by"))


def volume(need: Need, endorsements: list[Endorsement]) -> Volume:
    """The need's own numbers plus every endorser's."""
    people = (need.affected_count or 0) + sum(e.affected_count or 0 for e in endorsements)
    hours = Decimal(need.hours_per_week or 0) + sum(
        (Decimal(e.hours_per_week or 0) for e in endorsements), Decimal(0)
    )
    return Volume(people=people, hours=hours, organisations=1 + len(endorsements))
