"""Every write of the supplier directory and of suppliers' interest.

- A company's admins keep its directory entry (``save_profile``).
- A supplier (a member of a company) registers interest in a public open challenge or a
  public procurement in the market-dialogue stage; an invitation becomes a registration, a
  second registration is refused (``AlreadyRegistered``). A registration for a procurement
  receives every answer published so far (``dialogue_services.deliver_published_answers``).
- Those who run a procurement (or a challenge's procurement officers and innovation leads)
  invite a supplier to the market dialogue (an interest with status invited, and a
  notification to the company's people) or to one of their organisation's upcoming events
  (a notification with the event's invitation link when it is invite-only).

Refusals: ``PermissionDenied`` for who may not; ``ValidationError`` naming the field for
what is wrong.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Country, Organisation, OrganisationKind, User
from samspil.core.services import notify
from samspil.events.models import Event, Registration, RegistrationStatus

from . import supplier_queries
from .models import (
    TEXT_MAX,
    CompanySize,
    InterestStatus,
    Procurement,
    SupplierInterest,
    SupplierProfile,
)

INVITED_DIALOGUE_TEMPLATE = "procurement/suppliers/email/invited_dialogue"
INVITED_EVENT_TEMPLATE = "procurement/suppliers/email/invited_event"
MAX_COMPETENCES = 30
COMPETENCE_MAX = 80


class AlreadyRegistered(ValidationError):
    """The supplier's interest is there already (the API answers 409)."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def anchor_path(target) -> str:
    return f"{target.get_absolute_url()}#suppliers"


# The directory -------------------------------------------------------------------------------


def clean_competences(values) -> list[str]:
    """Competences as a list of short texts, each once (ignoring case), in the order given."""
    if isinstance(values, str):
        values = values.replace("\n", ",").split(",")
    result: list[str] = []
    seen: set[str] = set()
    for value in values or []:
        text = " ".join(str(value).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result


PROFILE_FIELDS = {"offer", "competences", "references", "size", "countries_served", "contact_email"}


@transaction.atomic
def save_profile(actor: User, organisation: Organisation, **fields) -> SupplierProfile:
    """Create or change a company's directory entry."""
    _require(permissions.can_edit_supplier_profile(actor, organisation))
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"Not a profile field: {sorted(unknown)}")
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        profile = SupplierProfile(organisation=organisation)
    errors: dict[str, str] = {}
    if "offer" in fields or profile.pk is None:
        offer = (fields.get("offer") or "").strip()
        if not offer:
            errors["offer"] = _("Say briefly what your company offers.")
        elif len(offer) > TEXT_MAX:
            errors["offer"] = _("Enter at most %(limit)s characters.") % {"limit": TEXT_MAX}
        profile.offer = offer
    if "competences" in fields:
        competences = clean_competences(fields["competences"])
        if len(competences) > MAX_COMPETENCES:
            errors["competences"] = _("Name at most %(limit)s competences.") % {
                "limit": MAX_COMPETENCES
            }
        elif any(len(c) > COMPETENCE_MAX for c in competences):
            errors["competences"] = _(
                "Keep each competence to %(limit)s characters; separate them with commas."
            ) % {"limit": COMPETENCE_MAX}
        profile.competences = competences
    if "references" in fields:
        references = (fields["references"] or "").strip()
        if len(references) > TEXT_MAX:
            errors["references"] = _("Enter at most %(limit)s characters.") % {"limit": TEXT_MAX}
        profile.references = references
    if "size" in fields:
        size = fields["size"] or ""
        if size and size not in CompanySize.values:
            errors["size"] = _("Choose one of the sizes.")
        profile.size = size
    if "countries_served" in fields:
        countries = list(dict.fromkeys(fields["countries_served"] or []))
        if any(c not in Country.values for c in countries):
            errors["countries_served"] = _("Choose among the countries listed.")
        profile.countries_served = countries
    if "contact_email" in fields:
        email = (fields["contact_email"] or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["contact_email"] = _("Enter a valid e-mail address.")
        profile.contact_email = email
    if errors:
        raise ValidationError(errors)
    profile._history_user = actor  # type: ignore[attr-defined]
    profile.save()
    return profile


# Interest ---------------------------------------------------------------------------------------


def _not_open_message(target) -> str:
    if isinstance(target, Procurement):
        return _(
            "Suppliers register interest in public procurements in the market-dialogue stage only."
        )
    return _("Suppliers register interest in public open challenges only.")


def _supplier_for(actor: User, supplier: Organisation | None) -> Organisation:
    companies = permissions.company_memberships(actor)
    if supplier is None:
        found = Organisation.objects.filter(pk__in=companies).order_by("name", "pk").first()
        _require(found is not None)
        return found  # type: ignore[return-value]
    _require(supplier.pk in companies)
    return supplier


def _lock_target(target) -> None:
    type(target).objects.select_for_update().filter(pk=target.pk).first()


@transaction.atomic
def register_interest(
    actor: User, target, supplier: Organisation | None = None, note: str = ""
) -> SupplierInterest:
    """The actor's company registers interest; an invitation becomes a registration."""
    _require(permissions.can_register_interest(actor, target))
    supplier = _supplier_for(actor, supplier)
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise ValidationError(
            {"note": _("Enter at most %(limit)s characters.") % {"limit": TEXT_MAX}}
        )
    _lock_target(target)
    where = supplier_queries.target_filter(target)
    interest = SupplierInterest.objects.filter(supplier=supplier, **where).first()
    if interest is not None and interest.status == InterestStatus.REGISTERED:
        raise AlreadyRegistered(
            {
                "note": _("%(supplier)s registered its interest already, on %(date)s.")
                % {
                    "supplier": supplier.name,
                    "date": date_format(
                        timezone.localdate(interest.registered_at), "SHORT_DATE_FORMAT"
                    )
                    if interest.registered_at
                    else "–",
                }
            }
        )
    if interest is None:
        interest = SupplierInterest(supplier=supplier, **where)
    interest.status = InterestStatus.REGISTERED
    interest.note = note or interest.note
    interest.registered_by = actor
    interest.registered_at = timezone.now()
    interest._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError:  # registered at the same moment by a colleague
        raise AlreadyRegistered(
            {"note": _("%(supplier)s registered its interest already.") % {"supplier": supplier}}
        ) from None
    if interest.procurement_id is not None:
        from .dialogue_services import deliver_published_answers

        deliver_published_answers(interest)
    return interest


def _people_of(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .distinct()
        .order_by("pk")
    )


def _check_supplier(supplier: Organisation | None) -> Organisation:
    if supplier is None:
        raise ValidationError({"supplier": _("Choose a supplier.")})
    if supplier.kind != OrganisationKind.COMPANY:
        raise ValidationError({"supplier": _("Only companies are invited as suppliers.")})
    return supplier


@transaction.atomic
def invite_to_dialogue(actor: User, target, supplier: Organisation | None) -> SupplierInterest:
    """Invite a supplier to the market dialogue of the target; its people are told."""
    _require(permissions.can_invite_suppliers(actor, target))
    supplier = _check_supplier(supplier)
    if not permissions.is_open_for_interest(target):
        raise ValidationError({"supplier": _not_open_message(target)})
    _lock_target(target)
    where = supplier_queries.target_filter(target)
    existing = SupplierInterest.objects.filter(supplier=supplier, **where).first()
    if existing is not None:
        if existing.status == InterestStatus.REGISTERED:
            message = _("%(supplier)s registered its interest already.")
        else:
            message = _("%(supplier)s is invited already.")
        raise AlreadyRegistered({"supplier": message % {"supplier": supplier.name}})
    interest = SupplierInterest(
        supplier=supplier, status=InterestStatus.INVITED, invited_by=actor, **where
    )
    interest._history_user = actor  # type: ignore[attr-defined]
    interest.save()
    context = {
        "supplier": supplier.name,
        "title": target.title,
        "owner": target.owner.name,
        "kind": "procurement" if isinstance(target, Procurement) else "challenge",
    }
    for person in _people_of(supplier):
        notify(person, INVITED_DIALOGUE_TEMPLATE, context, anchor_path(target))
    return interest


def event_link(event: Event) -> str:
    """The path a supplier registers with: the invitation link of an invite-only event."""
    path = f"{event.get_absolute_url()}register/"
    if event.is_invite_only:
        path += f"?invitation={event.invitation_token}"
    return path


@transaction.atomic
def invite_to_event(actor: User, target, supplier: Organisation | None, event: Event | None) -> int:
    """Invite a supplier's people to one of the actor's organisation's upcoming events about
    the target; returns how many people were told."""
    _require(permissions.can_invite_suppliers(actor, target))
    supplier = _check_supplier(supplier)
    choices = {e.pk: e for e in supplier_queries.invitable_events(actor)}
    if event is None or event.pk not in choices:
        raise ValidationError(
            {
                "event": _(
                    "Choose an upcoming event of your organisation that is public or invite-only "
                    "and still takes registrations."
                )
            }
        )
    event = choices[event.pk]
    people = _people_of(supplier)
    emails = [p.email for p in people if p.email]
    registered = Registration.objects.filter(event=event).exclude(
        status=RegistrationStatus.CANCELLED
    )
    same_people = Q(user__in=people)
    for email in emails:
        same_people |= Q(email__iexact=email)
    if people and registered.filter(same_people).exists():
        raise ValidationError(
            {
                "event": _("People of %(supplier)s are registered for “%(event)s” already.")
                % {"supplier": supplier.name, "event": event.title}
            }
        )
    context = {
        "supplier": supplier.name,
        "title": target.title,
        "owner": target.owner.name,
        "event": event.title,
        "starts_at": event.starts_at,
        "invite_only": event.is_invite_only,
    }
    for person in people:
        notify(person, INVITED_EVENT_TEMPLATE, context, event_link(event))
    return len(people)
