"""Permission-filtered reads of proposals for pages and API; constant query counts.

A proposal may point at a challenge, pilot or event its reader may not see (a public
proposal from an internal pilot). The reads annotate ``*_visible`` flags in the same query,
and pages and API show only what is flagged.
"""

from django.db.models import Prefetch, Q, QuerySet

from samspil.core import permissions
from samspil.core.models import Organisation, OrganisationKind

from .models import Proposal, ProposalSection, ProposalTemplate, StateChange, TemplateSection

MAX_WORDS = 12


def with_visibility_flags(proposals: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    return proposals.annotate(
        challenge_visible=permissions.is_visible_link(
            permissions.challenges_visible_to(user), "challenge_id"
        ),
        pilot_visible=permissions.is_visible_link(permissions.pilots_visible_to(user), "pilot_id"),
        event_visible=permissions.is_visible_link(permissions.events_visible_to(user), "event_id"),
    )


def proposals_for_list(user) -> QuerySet[Proposal]:
    return (
        permissions.proposals_visible_to(user)
        .select_related("owner", "template")
        .order_by("-updated_at", "pk")
    )


def search_proposals(
    user, *, organisation=None, state: str = "", q: str = ""
) -> QuerySet[Proposal]:
    """The proposals ``user`` sees, filtered; ``q`` searches the title and summary."""
    proposals = proposals_for_list(user)
    if organisation is not None:
        proposals = proposals.filter(owner=organisation)
    if state:
        proposals = proposals.filter(state=state)
    # Every word somewhere in the title or the summary (proposals have no search index).
    for word in (q or "").split()[:MAX_WORDS]:
        proposals = proposals.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return proposals


def with_relations(proposals: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    """Everything the editor and the API show, in a fixed number of queries."""
    return with_visibility_flags(
        proposals.select_related(
            "owner", "template", "discount_preset", "created_by", "challenge", "pilot", "event"
        ).prefetch_related(
            "affected_departments",
            Prefetch(
                "sections",
                queryset=ProposalSection.objects.select_related("section", "updated_by"),
            ),
            Prefetch(
                "state_changes",
                queryset=StateChange.objects.select_related("changed_by").order_by(
                    "changed_at", "pk"
                ),
            ),
        ),
        user,
    )


def proposal_with_details(user, pk) -> Proposal:
    """The proposal for the editor and the API; 404 when ``user`` does not see it."""
    permissions.get_proposal_for_user(user, pk)
    return with_relations(Proposal.objects.filter(pk=pk), user).get()


def section_rows(proposal: Proposal) -> list[tuple[TemplateSection, ProposalSection | None]]:
    """Every section of the template in order, with the proposal's text of it if any (a
    section added to the template later has none yet). Uses the prefetched sections."""
    texts = {row.section_id: row for row in proposal.sections.all()}
    return [
        (section, texts.get(section.pk))
        for section in TemplateSection.objects.filter(template_id=proposal.template_id)
    ]


def _top_level(organisation: Organisation) -> Organisation:
    top = organisation
    while top.parent_id is not None:
        top = Organisation.objects.get(pk=top.parent_id)
    return top


def municipality_departments(owner: Organisation) -> QuerySet[Organisation]:
    """The departments and districts under the owner's top-level organisation: what a
    proposal may name as affected (a tree a few levels deep, one query per level)."""
    found: set[int] = set()
    frontier = {_top_level(owner).pk}
    while frontier:
        frontier = set(
            Organisation.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return Organisation.objects.filter(
        pk__in=found, kind__in=(OrganisationKind.DEPARTMENT, OrganisationKind.DISTRICT)
    ).order_by("name", "pk")


def templates_for(owner: Organisation | None = None) -> QuerySet[ProposalTemplate]:
    """The built-in templates, and the owner's own."""
    condition = Q(organisation__isnull=True)
    if owner is not None:
        condition |= Q(organisation=owner)
    return ProposalTemplate.objects.filter(condition).order_by("name", "pk")


def with_list_relations(proposals: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    """What the API's list shows of each proposal, in a fixed number of queries."""
    return with_visibility_flags(
        proposals.select_related(
            "owner", "template", "discount_preset", "challenge", "pilot", "event"
        ).prefetch_related("affected_departments"),
        user,
    )


def templates_visible_to(user) -> QuerySet[ProposalTemplate]:
    """The built-in templates and those of the organisations whose internals ``user`` sees."""
    access = permissions.access_of(user)
    condition = Q(organisation__isnull=True)
    if access.is_superuser:
        condition = Q()
    elif access.sees_internal_of:
        condition |= Q(organisation_id__in=access.sees_internal_of)
    return (
        ProposalTemplate.objects.filter(condition)
        .prefetch_related("sections")
        .order_by("name", "pk")
    )
