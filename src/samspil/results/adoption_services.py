"""Every write of adoptions: "we adopt this" on a published result, which records the adoption
and may start a linked pilot or procurement in the adopting organisation, and the adopter's
later outcome (started → in use, procured or stopped).

Pages, API and tests call these; the demo loader writes its rows with the ORM.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core import permissions
from samspil.core.models import Organisation, User, Visibility
from samspil.core.validation import too_long
from samspil.pilots import services as pilot_services
from samspil.pilots.models import TEXT_MAX as PILOT_TEXT_MAX
from samspil.pilots.models import TITLE_MAX as PILOT_TITLE_MAX
from samspil.pilots.models import Pilot, PilotKind
from samspil.procurement import services as procurement_services
from samspil.procurement.models import TEXT_MAX as PROCUREMENT_TEXT_MAX
from samspil.procurement.models import TITLE_MAX as PROCUREMENT_TITLE_MAX
from samspil.procurement.models import Procurement

from .models import Adoption, AdoptionOutcome, Result, ResultStatus

NOTE_MAX = 2000
# A pilot started from a result without a pilot to copy runs this long (the Oslo programme's
# maximum of six months).
PILOT_DAYS = 182


class Start(TextChoices):
    """What the adopting organisation starts with the adoption."""

    PILOT = "pilot", gettext_lazy("A linked pilot")
    PROCUREMENT = "procurement", gettext_lazy("A linked procurement")
    NONE = "none", gettext_lazy("Nothing yet: only record the adoption")


# Where an outcome may move to. "Started" is where every adoption begins; stopped is final.
NEXT_OUTCOMES: dict[str, frozenset[str]] = {
    AdoptionOutcome.STARTED: frozenset(
        {AdoptionOutcome.IN_USE, AdoptionOutcome.PROCURED, AdoptionOutcome.STOPPED}
    ),
    AdoptionOutcome.IN_USE: frozenset({AdoptionOutcome.PROCURED, AdoptionOutcome.STOPPED}),
    AdoptionOutcome.PROCURED: frozenset({AdoptionOutcome.IN_USE, AdoptionOutcome.STOPPED}),
    AdoptionOutcome.STOPPED: frozenset(),
}


class AlreadyAdopted(ValidationError):
    """The organisation adopted the result before (the API answers 409)."""


def result_url(result: Result) -> str:
    """The result's public page."""
    return result.get_absolute_url()


def _already(adoption: Adoption | None, organisation: Organisation) -> AlreadyAdopted:
    if adoption is None:
        message = _("%(organisation)s adopted this result already.") % {
            "organisation": organisation.name
        }
        return AlreadyAdopted({"organisation": message})
    message = _("%(organisation)s adopted this result already, on %(date)s.") % {
        "organisation": organisation.name,
        "date": date_format(adoption.adopted_on, "SHORT_DATE_FORMAT"),
    }
    return AlreadyAdopted({"organisation": message})


def check_adoption(actor: User, result: Result, organisation: Organisation) -> None:
    """Raise the reason why ``actor`` may not adopt ``result`` for ``organisation``:
    a ValidationError (unpublished, own result), PermissionDenied (no right there) or
    AlreadyAdopted, in that order."""
    if result.status != ResultStatus.PUBLISHED:
        raise ValidationError(
            {"organisation": _("Only a published result can be adopted; this one is not.")}
        )
    if organisation.pk == result.owner_id:
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s published this result; another organisation adopts it."
                )
                % {"organisation": organisation.name}
            }
        )
    if organisation.pk not in permissions.adopting_organisations(actor, result):
        raise PermissionDenied(
            _(
                "You may adopt results only for a public-sector organisation where you are "
                "an innovation lead or administrator, and %(organisation)s is not one."
            )
            % {"organisation": organisation.name}
        )
    earlier = Adoption.objects.filter(result=result, organisation=organisation).first()
    if earlier is not None:
        raise _already(earlier, organisation)


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": too_long(NOTE_MAX)})
    return note


def _link_line(result: Result) -> str:
    return _("Adopted from the published result “%(title)s” of %(organisation)s: %(url)s") % {
        "title": result.title,
        "organisation": result.owner.name,
        "url": result_url(result),
    }


def _phase_model_usable(source: Pilot, organisation: Organisation) -> bool:
    """A copied pilot keeps its phase model: one of everyone's, or the adopter's own."""
    model = source.phase_model
    return model is None or model.organisation_id in (None, organisation.pk)


def _start_pilot(actor: User, result: Result, organisation: Organisation) -> Pilot:
    """The result's pilot copied into the organisation (``adopted_from`` set) when the actor
    sees it, else a new pilot of the result's title and summary; both link back."""
    source = result.pilot
    if (
        source is not None
        and source.owner_id != organisation.pk
        and _phase_model_usable(source, organisation)
        and permissions.pilots_visible_to(actor).filter(pk=source.pk).exists()
    ):
        description = f"{_link_line(result)}\n\n{source.description}".strip()
        return pilot_services.adopt_pilot(
            actor, source, organisation, description=description[:PILOT_TEXT_MAX]
        )
    today = timezone.localdate()
    description = f"{_link_line(result)}\n\n{result.tried}".strip()
    return pilot_services.create_pilot(
        actor,
        organisation,
        title=result.title[:PILOT_TITLE_MAX],
        hypothesis=result.summary or result.title,
        description=description[:PILOT_TEXT_MAX],
        kind=PilotKind.GAIN,
        starts_on=today,
        planned_end_on=today + timedelta(days=PILOT_DAYS),
        visibility=Visibility.INTERNAL,
    )


def _start_procurement(actor: User, result: Result, organisation: Organisation) -> Procurement:
    description = f"{_link_line(result)}\n\n{result.summary}".strip()
    return procurement_services.create_procurement(
        actor,
        organisation,
        title=result.title[:PROCUREMENT_TITLE_MAX],
        description=description[:PROCUREMENT_TEXT_MAX],
        visibility=Visibility.INTERNAL,
    )


def adopt_result(
    actor: User,
    result: Result,
    organisation: Organisation,
    *,
    start: str = Start.NONE,
    note: str = "",
    adopted_on: date | None = None,
) -> Adoption:
    """``organisation`` adopts a published ``result``: records the adoption (outcome
    "started") and starts a linked pilot or procurement in it when ``start`` asks for one.
    Refused (see ``check_adoption``) for an unpublished result, the publisher itself, an
    organisation the actor may not speak for, or a second adoption by the same organisation."""
    if start not in Start.values:
        raise ValidationError({"start": _("Choose a pilot, a procurement or nothing.")})
    today = timezone.localdate()
    adopted_on = adopted_on or today
    if adopted_on > today:
        raise ValidationError({"adopted_on": _("The adoption cannot be dated in the future.")})
    note = _clean_note(note)
    check_adoption(actor, result, organisation)
    try:
        with transaction.atomic():
            pilot = _start_pilot(actor, result, organisation) if start == Start.PILOT else None
            procurement = (
                _start_procurement(actor, result, organisation)
                if start == Start.PROCUREMENT
                else None
            )
            adoption = Adoption(
                result=result,
                organisation=organisation,
                adopted_on=adopted_on,
                pilot=pilot,
                procurement=procurement,
                note=note,
                adopted_by=actor,
            )
            adoption._history_user = actor  # type: ignore[attr-defined]
            adoption.save()
    except IntegrityError:
        # Two requests at once: the unique constraint let one through.
        raise _already(None, organisation) from None
    return adoption


def allowed_outcomes(adoption: Adoption) -> list[str]:
    """The outcomes the adoption may move to, its own first (to change only the note)."""
    following = NEXT_OUTCOMES.get(adoption.outcome, frozenset())
    return [adoption.outcome] + [o for o in AdoptionOutcome.values if o in following]


@transaction.atomic
def update_outcome(actor: User, adoption: Adoption, *, outcome: str, note: str) -> Adoption:
    """The adopter reports how it went: in use, procured or stopped, with a note."""
    if not permissions.can_update_adoption(actor, adoption):
        raise PermissionDenied
    if outcome not in AdoptionOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if outcome != adoption.outcome and outcome not in NEXT_OUTCOMES[adoption.outcome]:
        raise ValidationError(
            {
                "outcome": _("An adoption that is “%(current)s” cannot become “%(new)s”.")
                % {
                    "current": AdoptionOutcome(adoption.outcome).label,
                    "new": AdoptionOutcome(outcome).label,
                }
            }
        )
    adoption.outcome = outcome
    adoption.note = _clean_note(note)
    adoption._history_user = actor  # type: ignore[attr-defined]
    adoption.save(update_fields=["outcome", "note"])
    return adoption
