"""Every write of a proposal's header, sections and state. Pages, API and the demo loader
call these. A proposal made here has one section row per template section and one
consultation row per body the template names, so that a draft is complete from the start.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, User

from .models import (
    Consultation,
    DiscountPreset,
    Proposal,
    ProposalSection,
    ProposalTemplate,
)

# Fields of the header a caller may set.
PROPOSAL_FIELDS = {
    "title",
    "summary",
    "committee",
    "price_level_year",
    "first_year",
    "last_year",
    "discount_preset",
    "own_discount_rate",
    "visibility",
    "challenge",
    "pilot",
    "event",
    "template",
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def default_template(owner: Organisation) -> ProposalTemplate:
    """The built-in template for the owner's country (Copenhagen's for Denmark)."""
    built_in = ProposalTemplate.objects.filter(organisation__isnull=True)
    return (
        built_in.filter(default_for=owner.country).first()
        or built_in.filter(code="copenhagen").first()
        or built_in.order_by("pk").first()
    )


def default_discount_preset(owner: Organisation) -> DiscountPreset | None:
    return DiscountPreset.objects.filter(country=owner.country).order_by("-valid_from").first()


@transaction.atomic
def create_proposal(actor: User, owner: Organisation, **fields) -> Proposal:
    """A draft with every section of its template and the template's bodies to consult."""
    _require(permissions.can_create_proposal(actor, owner))
    unknown = set(fields) - PROPOSAL_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    title = (fields.pop("title", "") or "").strip()
    if not title:
        raise ValidationError({"title": _("This field is required.")})
    year = timezone.localdate().year
    values = {
        "template": default_template(owner),
        "price_level_year": year,
        "first_year": year,
        "last_year": year + 4,
        "discount_preset": default_discount_preset(owner),
    }
    values.update(fields)
    if values["last_year"] < values["first_year"]:
        raise ValidationError({"last_year": _("The last year must not be before the first year.")})
    proposal = Proposal.objects.create(owner=owner, created_by=actor, title=title, **values)
    template = proposal.template
    ProposalSection.objects.bulk_create(
        ProposalSection(proposal=proposal, section=section, updated_by=actor)
        for section in template.sections.all()
    )
    Consultation.objects.bulk_create(
        Consultation(proposal=proposal, body=body.name, guidance=body.guidance, position=i)
        for i, body in enumerate(template.consultation_bodies.all())
    )
    return proposal
