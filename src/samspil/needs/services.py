"""Every write of needs and challenges. Pages, API, jobs and loaders call these functions."""

import os
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, Role, User, Visibility
from samspil.core.services import notify
from samspil.core.uploads import safe_file_name

from . import search, similarity
from .language import detect_language
from .models import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    Attachment,
    Challenge,
    ChallengeCoOwner,
    Comment,
    CoOwnerStatus,
    Endorsement,
    Need,
    NeedStatus,
    Theme,
)
from .tasks import compute_need_embedding

NEED_FIELDS = {
    "title",
    "description",
    "language",
    "department",
    "affected_who",
    "affected_count",
    "frequency",
    "hours_per_week",
    "themes",
    "visibility",
    "saves_time",
    "recognisable_elsewhere",
    "anchored_in_management",
}
CHALLENGE_FIELDS = {
    "title",
    "problem_statement",
    "affected_users",
    "success_criteria",
    "language",
    "themes",
    "status",
    "visibility",
    "opsi_facet",
    "trl",
    "nesta_stage",
    "saves_time",
    "recognisable_elsewhere",
    "anchored_in_management",
}
# Where a need may go from each status; merging has its own function.
TRANSITIONS = {
    NeedStatus.NEW: {NeedStatus.IN_TRIAGE, NeedStatus.ACCEPTED, NeedStatus.REJECTED},
    NeedStatus.IN_TRIAGE: {NeedStatus.ACCEPTED, NeedStatus.REJECTED, NeedStatus.NEW},
    NeedStatus.ACCEPTED: {NeedStatus.IN_CHALLENGE, NeedStatus.IN_TRIAGE, NeedStatus.REJECTED},
    NeedStatus.IN_CHALLENGE: {NeedStatus.ACCEPTED},
    NeedStatus.REJECTED: {NeedStatus.IN_TRIAGE},
    NeedStatus.MERGED: set(),
}
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_PER_NEED = 10


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _clean_text(fields: dict, name: str, maximum: int, errors: dict) -> None:
    if name not in fields:
        return
    value = (fields[name] or "").strip()
    if not value:
        errors[name] = _("This field is required.")
    elif len(value) > maximum:
        errors[name] = _("Write at most %(count)d characters.") % {"count": maximum}
    fields[name] = value


def _clean_need_fields(owner: Organisation, fields: dict) -> dict:
    unknown = set(fields) - NEED_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    _clean_text(fields, "title", TITLE_MAX, errors)
    _clean_text(fields, "description", DESCRIPTION_MAX, errors)
    department = fields.get("department")
    if department is not None and (
        department.pk == owner.pk or department.pk not in permissions._with_descendants({owner.pk})
    ):
        errors["department"] = _("Choose a department of %(organisation)s.") % {
            "organisation": owner
        }
    hours = fields.get("hours_per_week")
    if hours is not None and not (Decimal(0) <= Decimal(hours) <= Decimal(100000)):
        errors["hours_per_week"] = _("Enter a number of hours between 0 and 100,000.")
    if errors:
        raise ValidationError(errors)
    return fields


def _after_text_change(need: Need) -> None:
    """Keep search, the similarity index and the stored embedding in step with the text."""
    search.index_need(need)
    similarity.index_need(need)
    transaction.on_commit(lambda: compute_need_embedding.enqueue(need.pk))


def refresh_derived_fields(need: Need) -> None:
    """For loaders that write needs directly: derive match text, search and embedding."""
    similarity.prepare_need(need)
    Need.objects.filter(pk=need.pk).update(match_text=need.match_text)
    _after_text_change(need)


def can_report_for(user: User, organisation: Organisation) -> bool:
    access = permissions.access_of(user)
    return organisation.is_public_sector and organisation.pk in access.sees_internal_of


def reporting_owner(organisation: Organisation) -> Organisation:
    """The public body that owns the needs reported in ``organisation``: the municipality,
    region or agency at the top of its public-sector parents."""
    owner = organisation
    seen = {owner.pk}
    while owner.parent_id is not None and owner.parent_id not in seen:
        parent = Organisation.objects.get(pk=owner.parent_id)
        if not parent.is_public_sector:
            break
        owner = parent
        seen.add(owner.pk)
    return owner


@transaction.atomic
def report_need(
    actor: User,
    organisation: Organisation,
    attachments: Iterable[UploadedFile] = (),
    **fields,
) -> Need:
    """A staff member reports a need where they work (internal unless chosen).

    The need belongs to the public body above ``organisation`` (``reporting_owner``), with
    ``organisation`` as its department unless a department (or None: the whole body) is given.
    """
    _require(can_report_for(actor, organisation))
    owner = reporting_owner(organisation)
    if organisation.pk != owner.pk:
        fields.setdefault("department", organisation)
    themes = fields.pop("themes", None)
    fields = _clean_need_fields(owner, {"title": "", "description": "", **fields})
    if not fields.get("language"):
        fields["language"] = detect_language(f"{fields['title']} {fields['description']}")
    fields.setdefault("visibility", Visibility.INTERNAL)
    need = Need(owner=owner, submitted_by=actor, **fields)
    similarity.prepare_need(need)
    need._history_user = actor  # type: ignore[attr-defined]
    need.full_clean(exclude=["embedding"])
    need.save()
    if themes:
        need.themes.set(themes)
    for upload in attachments:
        add_attachment(actor, need, upload)
    _after_text_change(need)
    return need


@transaction.atomic
def update_need(actor: User, need: Need, **fields) -> Need:
    _require(permissions.can_edit_need(actor, need))
    themes = fields.pop("themes", None)
    fields = _clean_need_fields(need.owner, fields)
    for name, value in fields.items():
        setattr(need, name, value)
    similarity.prepare_need(need)
    need._history_user = actor  # type: ignore[attr-defined]
    need.full_clean(exclude=["embedding"])
    need.save()
    if themes is not None:
        need.themes.set(themes)
    if {"title", "description", "language"} & set(fields):
        _after_text_change(need)
    return need


def _notify_submitter(actor: User, need: Need, template: str, **context) -> None:
    submitter = need.submitted_by
    if submitter is not None and submitter.pk != actor.pk:
        notify(
            submitter,
            template,
            {"title": need.title, "actor": str(actor), **context},
            need.get_absolute_url(),
        )


@transaction.atomic
def change_status(actor: User, need: Need, status: str, reason: str = "") -> Need:
    """Move a need on the triage board; rejecting needs a reason, shown to the reporter."""
    _require(permissions.can_triage_need(actor, need))
    if status == need.status:
        return need
    if status not in TRANSITIONS.get(NeedStatus(need.status), set()):
        raise ValidationError(
            {
                "status": _("A need that is “%(current)s” cannot become “%(new)s”.")
                % {
                    "current": NeedStatus(need.status).label,
                    "new": NeedStatus(status).label if status in NeedStatus.values else status,
                }
            }
        )
    reason = reason.strip()
    if status == NeedStatus.REJECTED and not reason:
        raise ValidationError({"reason": _("Give a reason: the reporter will see it.")})
    need.status = status
    need.status_reason = reason
    need._history_user = actor  # type: ignore[attr-defined]
    need.save(update_fields=["status", "status_reason", "updated_at"])
    _notify_submitter(
        actor,
        need,
        "needs/email/status_changed",
        status=NeedStatus(status).label,  # rendered in the reporter's language
        reason=reason,
    )
    return need


@transaction.atomic
def assign_need_owner(actor: User, need: Need, person: User | None) -> Need:
    """The need owner (behovsejer) is someone of the owning organisation."""
    _require(permissions.can_triage_need(actor, need))
    if person is not None:
        owner_tree = permissions._with_descendants({need.owner_id})
        if not person.memberships.filter(organisation_id__in=owner_tree).exists():
            raise ValidationError(
                {"need_owner": _("The need owner must belong to the organisation.")}
            )
    need.need_owner = person
    need._history_user = actor  # type: ignore[attr-defined]
    need.save(update_fields=["need_owner", "updated_at"])
    if person is not None and person.pk != actor.pk:
        notify(
            person,
            "needs/email/owner_assigned",
            {"title": need.title, "actor": str(actor)},
            need.get_absolute_url(),
        )
    return need


def add_comment(actor: User, need: Need, body: str) -> Comment:
    _require(permissions.can_comment_need(actor, need))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Write at most %(count)d characters.") % {"count": 5000}})
    comment = Comment(need=need, author=actor, body=body)
    comment._history_user = actor  # type: ignore[attr-defined]
    comment.save()
    return comment


@transaction.atomic
def endorse_need(
    actor: User,
    need: Need,
    organisation: Organisation,
    *,
    affected_count: int | None = None,
    hours_per_week: Decimal | None = None,
    comment: str = "",
) -> Endorsement:
    """ "We have it too": one endorsement per organisation, updated when given again."""
    if organisation not in permissions.endorsing_organisations(actor, need):
        if organisation.pk == need.owner_id or permissions.same_tree(organisation, need.owner):
            raise ValidationError(
                {"organisation": _("An organisation cannot endorse its own need.")}
            )
        raise PermissionDenied
    if need.status == NeedStatus.MERGED:
        raise ValidationError(_("This need was merged; endorse the need it was merged into."))
    if hours_per_week is not None and not (0 <= Decimal(hours_per_week) <= 100000):
        raise ValidationError(
            {"hours_per_week": _("Enter a number of hours between 0 and 100,000.")}
        )
    endorsement, _created = Endorsement.objects.update_or_create(
        need=need,
        organisation=organisation,
        defaults={
            "endorsed_by": actor,
            "affected_count": affected_count,
            "hours_per_week": hours_per_week,
            "comment": comment.strip()[:2000],
        },
    )
    return endorsement


@transaction.atomic
def withdraw_endorsement(actor: User, endorsement: Endorsement) -> None:
    access = permissions.access_of(actor)
    _require(endorsement.organisation_id in access.member_of or access.is_superuser)
    endorsement.delete()


@transaction.atomic
def merge_needs(actor: User, survivor: Need, absorbed: Need) -> Need:
    """``survivor`` absorbs a duplicate: endorsements, comments and attachments move over.

    The absorbed need keeps its own history and points to the survivor. If it came from
    another organisation, that organisation becomes an endorser with the absorbed numbers.
    """
    if survivor.pk == absorbed.pk:
        raise ValidationError({"survivor": _("A need cannot be merged into itself.")})
    _require(
        permissions.can_triage_need(actor, survivor)
        and permissions.can_triage_need(actor, absorbed)
    )
    if NeedStatus.MERGED in (survivor.status, absorbed.status):
        raise ValidationError({"survivor": _("A merged need cannot take part in another merge.")})
    taken = set(survivor.endorsements.values_list("organisation_id", flat=True))
    taken.add(survivor.owner_id)
    for endorsement in absorbed.endorsements.all():
        if endorsement.organisation_id in taken:
            endorsement.delete()
        else:
            endorsement.need = survivor
            endorsement.save(update_fields=["need"])
            taken.add(endorsement.organisation_id)
    if absorbed.owner_id not in taken:
        Endorsement.objects.create(
            need=survivor,
            organisation_id=absorbed.owner_id,
            endorsed_by=absorbed.submitted_by,
            affected_count=absorbed.affected_count,
            hours_per_week=absorbed.hours_per_week,
        )
    # One save each, so that every moved comment and file records the move in its history.
    moved_rows: list[Comment | Attachment] = [*absorbed.comments.all(), *absorbed.attachments.all()]
    for moved in moved_rows:
        moved.need = survivor
        moved._history_user = actor  # type: ignore[union-attr]
        moved.save(update_fields=["need"])
    absorbed.status = NeedStatus.MERGED
    absorbed.merged_into = survivor
    # Pages render "Merged into …" from merged_into in each reader's language; an earlier
    # status's reason no longer applies.
    absorbed.status_reason = ""
    absorbed._history_user = actor  # type: ignore[attr-defined]
    absorbed.save(update_fields=["status", "merged_into", "status_reason", "updated_at"])
    similarity.unindex_need(absorbed.pk)
    _notify_submitter(actor, absorbed, "needs/email/merged", survivor=survivor.title)
    return survivor


def add_attachment(actor: User, need: Need, upload: UploadedFile) -> Attachment:
    """Store a file under a generated name after checking its type and size."""
    _require(permissions.can_edit_need(actor, need) or need.submitted_by_id == actor.pk)
    original = safe_file_name(upload.name or "")
    extension = os.path.splitext(original)[1].lower()
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "attachments": _("%(name)s: files of this type are not accepted (%(types)s).")
                % {"name": original, "types": ", ".join(sorted(ATTACHMENT_TYPES))}
            }
        )
    if upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {"attachments": _("%(name)s is larger than 10 MB.") % {"name": original}}
        )
    if need.attachments.count() >= ATTACHMENTS_PER_NEED:
        raise ValidationError(
            {"attachments": _("A need has at most %(count)d files.") % {"count": 10}}
        )
    attachment = Attachment(
        need=need,
        stored_name=f"{uuid.uuid4().hex}{extension}",
        original_name=original,
        content_type=ATTACHMENT_TYPES[extension],
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(attachment.stored_name, upload, save=False)
    attachment._history_user = actor  # type: ignore[attr-defined]
    attachment.save()
    return attachment


# Challenges -----------------------------------------------------------------------------------


def _clean_challenge_fields(fields: dict) -> dict:
    unknown = set(fields) - CHALLENGE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    _clean_text(fields, "title", TITLE_MAX, errors)
    _clean_text(fields, "problem_statement", DESCRIPTION_MAX, errors)
    trl = fields.get("trl")
    if trl is not None and not 1 <= int(trl) <= 9:
        errors["trl"] = _("TRL is a level from 1 to 9.")
    if errors:
        raise ValidationError(errors)
    return fields


def refresh_scaling_candidate(challenge: Challenge) -> bool:
    """Two or more owner organisations and all three CO-PI criteria make a scaling candidate."""
    owners = 1 + challenge.co_owners.filter(status=CoOwnerStatus.ACCEPTED).count()
    candidate = owners >= 2 and challenge.meets_scaling_criteria
    if candidate != challenge.is_scaling_candidate:
        challenge.is_scaling_candidate = candidate
        Challenge.objects.filter(pk=challenge.pk).update(is_scaling_candidate=candidate)
    return candidate


@transaction.atomic
def create_challenge(
    actor: User,
    owner: Organisation,
    needs: Iterable[Need],
    co_owners: Iterable[Organisation] = (),
    **fields,
) -> Challenge:
    """A challenge from needs the actor may see; their own organisation's needs move along."""
    _require(permissions.can_create_challenge(actor, owner))
    needs = list(needs)
    _check_challenge_needs(actor, needs)
    themes = fields.pop("themes", None)
    fields = _clean_challenge_fields({"title": "", "problem_statement": "", **fields})
    if not fields.get("language"):
        fields["language"] = detect_language(f"{fields['title']} {fields['problem_statement']}")
    challenge = Challenge(owner=owner, created_by=actor, **fields)
    challenge._history_user = actor  # type: ignore[attr-defined]
    challenge.full_clean()
    challenge.save()
    challenge.needs.set(needs)
    challenge.themes.set(themes if themes is not None else _themes_of(needs))
    for need in needs:
        if permissions.can_triage_need(actor, need) and need.status in (
            NeedStatus.NEW,
            NeedStatus.IN_TRIAGE,
            NeedStatus.ACCEPTED,
        ):
            need.status = NeedStatus.IN_CHALLENGE
            need._history_user = actor  # type: ignore[attr-defined]
            need.save(update_fields=["status", "updated_at"])
            _notify_submitter(
                actor,
                need,
                "needs/email/status_changed",
                status=NeedStatus.IN_CHALLENGE.label,
                reason="",
            )
    for organisation in co_owners:
        invite_co_owner(actor, challenge, organisation)
    search.index_challenge(challenge)
    refresh_scaling_candidate(challenge)
    return challenge


def _check_challenge_needs(
    actor: User, needs: list[Need], linked: frozenset[int] = frozenset()
) -> None:
    """A challenge is made from at least one need, each one the actor sees; none merged but
    those ``linked`` already (merged after they joined: an edit may keep them)."""
    if not needs:
        raise ValidationError({"needs": _("Choose at least one need.")})
    visible = set(
        permissions.needs_visible_to(actor)
        .filter(pk__in=[n.pk for n in needs])
        .values_list("pk", flat=True)
    )
    if visible != {n.pk for n in needs}:
        raise PermissionDenied
    if any(n.status == NeedStatus.MERGED and n.pk not in linked for n in needs):
        raise ValidationError({"needs": _("A merged need cannot become part of a challenge.")})


def _themes_of(needs: list[Need]) -> list[Theme]:
    return list(Theme.objects.filter(need__in=needs).distinct())


@transaction.atomic
def update_challenge(actor: User, challenge: Challenge, **fields) -> Challenge:
    _require(permissions.can_edit_challenge(actor, challenge))
    themes = fields.pop("themes", None)
    needs = fields.pop("needs", None)
    if needs is not None:
        needs = list(needs)
        linked = frozenset(challenge.needs.values_list("pk", flat=True))
        _check_challenge_needs(actor, needs, linked)
    fields = _clean_challenge_fields(fields)
    for name, value in fields.items():
        setattr(challenge, name, value)
    challenge._history_user = actor  # type: ignore[attr-defined]
    challenge.full_clean()
    challenge.save()
    if themes is not None:
        challenge.themes.set(themes)
    if needs is not None:
        challenge.needs.set(needs)
    search.index_challenge(challenge)
    refresh_scaling_candidate(challenge)
    return challenge


@transaction.atomic
def invite_co_owner(
    actor: User, challenge: Challenge, organisation: Organisation
) -> ChallengeCoOwner:
    """Invite another public organisation to own the challenge; its innovation leads are told."""
    _require(permissions.can_edit_challenge(actor, challenge))
    if not organisation.is_public_sector:
        raise ValidationError({"organisation": _("Only public organisations can own a challenge.")})
    if organisation.pk == challenge.owner_id:
        raise ValidationError({"organisation": _("This organisation already owns the challenge.")})
    co_owner, created = ChallengeCoOwner.objects.get_or_create(
        challenge=challenge,
        organisation=organisation,
        defaults={"invited_by": actor},
    )
    if not created and co_owner.status == CoOwnerStatus.DECLINED:
        co_owner.status = CoOwnerStatus.INVITED
        co_owner.answered_at = None
        co_owner.save(update_fields=["status", "answered_at"])
    leads = User.objects.filter(
        memberships__organisation=organisation,
        memberships__roles__code__in=[Role.Code.INNOVATION_LEAD, Role.Code.ADMIN],
    ).distinct()
    for lead in leads:
        notify(
            lead,
            "needs/email/co_owner_invited",
            {"title": challenge.title, "organisation": str(challenge.owner), "actor": str(actor)},
            challenge.get_absolute_url(),
        )
    return co_owner


@transaction.atomic
def answer_co_ownership(actor: User, co_owner: ChallengeCoOwner, accept: bool) -> ChallengeCoOwner:
    led = permissions.organisations_with_role(actor, Role.Code.INNOVATION_LEAD)
    _require(co_owner.organisation_id in led)
    co_owner.status = CoOwnerStatus.ACCEPTED if accept else CoOwnerStatus.DECLINED
    co_owner.answered_at = timezone.now()
    co_owner._history_user = actor  # type: ignore[attr-defined]
    co_owner.save(update_fields=["status", "answered_at"])
    refresh_scaling_candidate(co_owner.challenge)
    return co_owner
