"""Permission-filtered reads of pilots for pages and API; constant query counts.

A pilot may point at a programme, challenge, event or original pilot its reader may not see
(a public pilot of an internal programme). The reads annotate ``*_visible`` flags in the
same query, and pages and API show only what is flagged.
"""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions

from . import rules
from .models import Lesson, Pilot, PilotPartner, PilotStatus

MAX_WORDS = 12


def with_visibility_flags(pilots: QuerySet[Pilot], user) -> QuerySet[Pilot]:
    """``programme_visible``, ``challenge_visible``, ``event_visible`` and
    ``adopted_from_visible``, each a subquery of the same SELECT."""
    return pilots.annotate(
        programme_visible=permissions.is_visible_link(
            permissions.programmes_visible_to(user), "programme_id"
        ),
        challenge_visible=permissions.is_visible_link(
            permissions.challenges_visible_to(user), "challenge_id"
        ),
        event_visible=permissions.is_visible_link(permissions.events_visible_to(user), "event_id"),
        adopted_from_visible=permissions.is_visible_link(
            permissions.pilots_visible_to(user), "adopted_from_id"
        ),
    )


def pilots_for_list(user) -> QuerySet[Pilot]:
    return with_visibility_flags(
        permissions.pilots_visible_to(user)
        .select_related("owner", "programme", "current_phase")
        .order_by("-starts_on", "pk"),
        user,
    )


def search_pilots(
    user,
    *,
    organisation=None,
    programme=None,
    kind: str = "",
    status: str = "",
    maturity: str = "",
    q: str = "",
) -> QuerySet[Pilot]:
    """The pilots ``user`` sees, filtered; ``q`` searches title and hypothesis."""
    pilots = pilots_for_list(user)
    if organisation is not None:
        pilots = pilots.filter(owner=organisation)
    if programme is not None:
        pilots = pilots.filter(programme=programme)
    if kind:
        pilots = pilots.filter(kind=kind)
    if status:
        pilots = pilots.filter(status=status)
    if maturity:
        pilots = pilots.filter(maturity=maturity)
    # Every word somewhere in the title or the hypothesis (pilots have no search index).
    for word in (q or "").split()[:MAX_WORDS]:
        pilots = pilots.filter(Q(title__icontains=word) | Q(hypothesis__icontains=word))
    return pilots


def with_relations(pilots: QuerySet[Pilot]) -> QuerySet[Pilot]:
    """Everything the pilot page and the API show, in a fixed number of queries."""
    return pilots.select_related(
        "owner",
        "programme",
        "challenge",
        "event",
        "lead",
        "phase_model",
        "current_phase",
        "adopted_from__owner",
    ).prefetch_related(
        "team",
        Prefetch(
            "partners",
            queryset=PilotPartner.objects.select_related("organisation").order_by("pk"),
        ),
    )


def pilot_with_details(user, pk) -> Pilot:
    """One pilot the user may see (404 otherwise), with its relations and lessons."""
    pilot = permissions.get_pilot_for_user(user, pk)
    return (
        with_visibility_flags(with_relations(Pilot.objects.filter(pk=pilot.pk)), user)
        .prefetch_related(Prefetch("lessons", queryset=Lesson.objects.select_related("created_by")))
        .get()
    )


def partners_of(pilot: Pilot) -> QuerySet[PilotPartner]:
    return pilot.partners.select_related("organisation").order_by("pk")


def adoptions_of(user, pilot: Pilot) -> QuerySet[Pilot]:
    """The pilots adopted from ``pilot``: every adopting organisation is named, and
    ``is_visible`` tells whether the reader may open the adopted pilot."""
    return (
        Pilot.objects.filter(adopted_from=pilot)
        .select_related("owner")
        .annotate(is_visible=permissions.is_visible_link(permissions.pilots_visible_to(user)))
        .order_by("created_at", "pk")
    )


def length_warnings(pilot: Pilot, today: date | None = None) -> list[str]:
    """The programme's maximum pilot length exceeded by the plan, or passed while running."""
    programme = pilot.programme
    months = programme.max_pilot_months if programme is not None else None
    if not months:
        return []
    today = today or timezone.localdate()
    warnings = []
    values = {"months": months}
    if rules.plan_exceeds_max(pilot.starts_on, pilot.planned_end_on, months):
        warnings.append(
            _("The plan is longer than the programme's maximum of %(months)d months.") % values
        )
    if pilot.status == PilotStatus.RUNNING and rules.running_past_max(
        pilot.starts_on, today, months
    ):
        warnings.append(
            _("The pilot has run longer than the programme's maximum of %(months)d months.")
            % values
        )
    return warnings
