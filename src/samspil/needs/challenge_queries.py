"""Permission-filtered reads of challenges (pages and API), and the needs list of the API.

Every read starts from ``challenges_visible_to`` / ``needs_visible_to`` in core.permissions;
the prefetches keep the number of queries the same whatever the page size.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from samspil.core import permissions
from samspil.core.models import PUBLIC_SECTOR_KINDS, Organisation, Role
from samspil.core.queries import by_name

from . import search
from .models import (
    LARGE_DERIVED_FIELDS,
    Challenge,
    ChallengeCoOwner,
    CoOwnerStatus,
    Endorsement,
    Need,
    NeedStatus,
    Theme,
)


def _co_owners() -> Prefetch:
    return Prefetch(
        "co_owners",
        queryset=ChallengeCoOwner.objects.select_related("organisation").order_by(
            "organisation__name", "pk"
        ),
    )


def with_details(challenges: QuerySet[Challenge], user) -> QuerySet[Challenge]:
    """Owner, co-owners, themes and the needs ``user`` may see, fetched in a fixed few queries."""
    visible_needs = (
        permissions.needs_visible_to(user)
        .select_related("owner")
        .defer(*LARGE_DERIVED_FIELDS)
        .order_by("-created_at", "-pk")
    )
    return (
        challenges.select_related("owner")
        .defer("search_vector")
        .prefetch_related(
            _co_owners(),
            Prefetch("themes", queryset=Theme.objects.order_by("slug")),
            Prefetch("needs", queryset=visible_needs, to_attr="visible_needs"),
        )
    )


def search_challenges(
    user,
    *,
    text: str = "",
    status: str = "",
    theme: str = "",
    organisation: Organisation | int | None = None,
    scaling_only: bool = False,
) -> QuerySet[Challenge]:
    """The challenges ``user`` may see, filtered; best match first when searching, else newest."""
    challenges = permissions.challenges_visible_to(user)
    if status:
        challenges = challenges.filter(status=status)
    if theme:
        challenges = challenges.filter(themes__slug=theme)
    if organisation is not None:
        pk = organisation if isinstance(organisation, int) else organisation.pk
        co_owned = ChallengeCoOwner.objects.filter(
            organisation_id=pk, status=CoOwnerStatus.ACCEPTED
        ).values("challenge_id")
        challenges = challenges.filter(Q(owner_id=pk) | Q(pk__in=co_owned))
    if scaling_only:
        challenges = challenges.filter(is_scaling_candidate=True)
    if search_words(text):
        return search.search(challenges, text).order_by("-rank", "-created_at", "-pk")
    return challenges.order_by("-created_at", "-pk")


def public_organisations(user) -> QuerySet[Organisation]:
    """Public-sector organisations ``user`` may see: who may own or co-own a challenge."""
    return by_name(permissions.organisations_visible_to(user).filter(kind__in=PUBLIC_SECTOR_KINDS))


def organisations_leading_for(user) -> QuerySet[Organisation]:
    """The organisations in whose name ``user`` may create a challenge."""
    return by_name(
        Organisation.objects.filter(
            pk__in=permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
        )
    )


def needs_for_challenge(user, organisation_ids: frozenset[int] | set[int]) -> QuerySet[Need]:
    """Needs a challenge is usually made from: those of the user's organisations, still open."""
    return (
        permissions.needs_visible_to(user)
        .filter(Q(owner_id__in=organisation_ids) | Q(department_id__in=organisation_ids))
        .exclude(status__in=[NeedStatus.MERGED, NeedStatus.REJECTED])
        .select_related("owner")
        .order_by("-created_at", "-pk")
    )


def search_words(text: str) -> list[str]:
    """The words a search looks for: text of punctuation alone searches nothing."""
    return search._words(text or "")


# Scaling candidates --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScalingStatus:
    """Why a challenge is (or is not yet) a candidate for a scaling process."""

    is_candidate: bool
    owner_count: int
    enough_owners: bool
    criteria: list[tuple[str, bool]]

    @property
    def criteria_met(self) -> bool:
        return all(met for _label, met in self.criteria)

    @property
    def missing_criteria(self) -> list[str]:
        return [label for label, met in self.criteria if not met]


def _label(name: str) -> str:
    return str(getattr(Challenge._meta.get_field(name), "verbose_name", name))


def visible_needs_of(challenge: Challenge) -> list[Need]:
    """The needs prefetched by ``with_details``: those the reader may see."""
    return challenge.visible_needs  # type: ignore[attr-defined]


def scaling_status(challenge: Challenge) -> ScalingStatus:
    """Read from the prefetched co-owners (``with_details``): no query of its own."""
    owners = 1 + sum(1 for c in challenge.co_owners.all() if c.status == CoOwnerStatus.ACCEPTED)
    criteria = [
        (_label(name), bool(getattr(challenge, name)))
        for name in ("saves_time", "recognisable_elsewhere", "anchored_in_management")
    ]
    return ScalingStatus(
        is_candidate=challenge.is_scaling_candidate,
        owner_count=owners,
        enough_owners=owners >= 2,
        criteria=criteria,
    )


# Needs for the API ---------------------------------------------------------------------------


def with_need_details(needs: QuerySet[Need]) -> QuerySet[Need]:
    """What the API shows of a need beyond its own row, in a fixed number of queries."""
    return (
        needs.select_related("owner", "department")
        .defer(*LARGE_DERIVED_FIELDS)
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("slug")),
            Prefetch(
                "endorsements",
                queryset=Endorsement.objects.select_related("organisation").order_by(
                    "created_at", "pk"
                ),
            ),
        )
    )


@dataclass(frozen=True)
class EndorsementSummary:
    count: int
    affected_count: int
    hours_per_week: Decimal
    organisations: list[Organisation]


def endorsement_summary(need: Need) -> EndorsementSummary:
    """The endorsing organisations and their summed volume (from prefetched endorsements)."""
    endorsements = list(need.endorsements.all())
    return EndorsementSummary(
        count=len(endorsements),
        affected_count=sum(e.affected_count or 0 for e in endorsements),
        hours_per_week=sum((e.hours_per_week or Decimal(0) for e in endorsements), Decimal(0)),
        organisations=[e.organisation for e in endorsements],
    )
