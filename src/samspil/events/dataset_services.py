"""Datasets an event offers: every write, the access checks and the access log.

A participant opens a dataset only after accepting its terms as they read now: an acceptance
keeps the text accepted, and when the organisers change the terms the old acceptance no
longer counts. Organisers need no acceptance. Every download and every opened link is
logged. Files are stored under generated names and served only through ``open_dataset``.
"""

import hashlib
import os
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import User
from samspil.core.uploads import safe_file_name

from .models import (
    TEXT_MAX,
    TITLE_MAX,
    DataClassification,
    Dataset,
    DatasetAcceptance,
    DatasetAccess,
    Event,
)

# The data types accepted for upload, by extension, with the type they are served as.
DATASET_TYPES = {
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".xml": "application/xml",
    ".parquet": "application/vnd.apache.parquet",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".md": "text/markdown",
}
DATASET_MAX_BYTES = 200 * 1024 * 1024
DATASET_FIELDS = {"title", "description", "classification", "legal_basis", "terms", "link"}
LINK_MAX = 200  # the model's URLField
# Sharing these needs a stated reason (GDPR art. 6, a data processing agreement …).
NEEDS_LEGAL_BASIS = {DataClassification.CONFIDENTIAL, DataClassification.PERSONAL}

ACCEPTED = "accepted"
TERMS_CHANGED = "terms_changed"
NOT_ACCEPTED = "not_accepted"
LOG_ACCEPTED = "accepted"  # the log's action for an acceptance, beside DatasetAccess.Action


class TermsNotAccepted(PermissionDenied):
    """The participant may use the event's datasets but has not accepted these terms (as
    they read now): the page sends them to the terms."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def terms_digest(terms: str) -> str:
    """A fingerprint of the terms shown, so an acceptance is of the text the person read."""
    return hashlib.sha256(terms.encode()).hexdigest()


def allowed_types_text() -> str:
    return ", ".join(sorted(DATASET_TYPES))


def max_size_text() -> str:
    return str(filesizeformat(DATASET_MAX_BYTES))


# Validation ---------------------------------------------------------------------------------------


def _clean_fields(fields: dict, errors: dict[str, str]) -> dict:
    """The fields stripped; what is wrong with them goes into ``errors``."""
    unknown = set(fields) - DATASET_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    cleaned = {name: (value or "").strip() for name, value in fields.items()}
    if "title" in cleaned:
        if not cleaned["title"]:
            errors["title"] = _("This field is required.")
        elif len(cleaned["title"]) > TITLE_MAX:
            errors["title"] = _("Write at most %(count)d characters.") % {"count": TITLE_MAX}
    if "terms" in cleaned and not cleaned["terms"]:
        errors["terms"] = _("Write the terms participants accept before they get the data.")
    for name in ("description", "legal_basis", "terms"):
        if len(cleaned.get(name, "")) > TEXT_MAX:
            errors[name] = _("Write at most %(count)d characters.") % {"count": TEXT_MAX}
    if "classification" in cleaned and cleaned["classification"] not in DataClassification.values:
        errors["classification"] = _("Choose a classification.")
    link = cleaned.get("link", "")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _("Give a web address that starts with https:// or http://.")
        else:
            if len(link) > LINK_MAX:
                errors["link"] = _("Write at most %(count)d characters.") % {"count": LINK_MAX}
    return cleaned


def upload_error(upload: UploadedFile) -> str | None:
    """Why an upload is refused (its type or size), or None."""
    original = safe_file_name(upload.name or "")
    if os.path.splitext(original)[1].lower() not in DATASET_TYPES:
        return _("%(name)s: files of this type are not accepted (%(types)s).") % {
            "name": original,
            "types": allowed_types_text(),
        }
    if upload.size is None or upload.size > DATASET_MAX_BYTES:
        return _("%(name)s is larger than %(size)s.") % {"name": original, "size": max_size_text()}
    return None


def rule_errors(classification: str, legal_basis: str, has_file: bool, link: str) -> dict:
    """The rules across fields: a legal basis for sensitive data, and a file or a link."""
    errors: dict[str, str] = {}
    if classification in NEEDS_LEGAL_BASIS and not legal_basis.strip():
        errors["legal_basis"] = _(
            "Data classified as “%(classification)s” need a legal basis: say why they may be "
            "shared with the participants."
        ) % {"classification": DataClassification(classification).label}
    if not has_file and not link.strip():
        errors["file"] = _("Upload a file or give a link to the data.")
    return errors


def _check(
    dataset: Dataset, upload: UploadedFile | None, has_file: bool, errors: dict[str, str]
) -> None:
    for name, message in rule_errors(
        dataset.classification, dataset.legal_basis, has_file, dataset.link
    ).items():
        errors.setdefault(name, message)
    refusal = upload_error(upload) if upload is not None else None
    if refusal:
        errors["file"] = refusal
    if errors:
        raise ValidationError(errors)


def _store(dataset: Dataset, upload: UploadedFile) -> None:
    original = safe_file_name(upload.name or "")
    extension = os.path.splitext(original)[1].lower()
    dataset.stored_name = f"{uuid.uuid4().hex}{extension}"
    dataset.original_name = original
    dataset.content_type = DATASET_TYPES[extension]
    dataset.size = upload.size or 0
    dataset.file.save(dataset.stored_name, upload, save=False)


def _delete_file_after_commit(name: str) -> None:
    if name:
        storage = Dataset._meta.get_field("file").storage  # type: ignore[attr-defined]
        transaction.on_commit(lambda: storage.delete(name))


# Writes (organisers) ------------------------------------------------------------------------------


@transaction.atomic
def add_dataset(
    actor: User, event: Event, *, upload: UploadedFile | None = None, **fields
) -> Dataset:
    """An organiser offers a dataset: a file uploaded here, a link to where it lives, or both."""
    _require(permissions.can_organise_event(actor, event))
    fields.setdefault("title", "")
    fields.setdefault("terms", "")
    fields.setdefault("classification", "")
    errors: dict[str, str] = {}
    dataset = Dataset(event=event, created_by=actor, **_clean_fields(fields, errors))
    _check(dataset, upload, upload is not None, errors)
    if upload is not None:
        _store(dataset, upload)
    dataset._history_user = actor  # type: ignore[attr-defined]
    dataset.save()
    return dataset


@transaction.atomic
def update_dataset(
    actor: User,
    dataset: Dataset,
    *,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
    **fields,
) -> Dataset:
    """Change a dataset; a new upload replaces the file, ``remove_file`` drops it (a link must
    then remain). Changed terms must be accepted again before the next access."""
    _require(permissions.can_organise_event(actor, dataset.event))
    errors: dict[str, str] = {}
    for name, value in _clean_fields(fields, errors).items():
        setattr(dataset, name, value)
    old_name = dataset.file.name or ""
    keeps_file = bool(old_name) and not remove_file
    _check(dataset, upload, upload is not None or keeps_file, errors)
    if upload is not None:
        _store(dataset, upload)
    elif remove_file:
        dataset.file = None  # type: ignore[assignment]
        dataset.stored_name = dataset.original_name = dataset.content_type = ""
        dataset.size = 0
    if old_name and old_name != (dataset.file.name or ""):
        _delete_file_after_commit(old_name)
    dataset._history_user = actor  # type: ignore[attr-defined]
    dataset.save()
    return dataset


@transaction.atomic
def remove_dataset(actor: User, dataset: Dataset) -> None:
    """Remove a dataset with its file and acceptances; the access log stays."""
    _require(permissions.can_organise_event(actor, dataset.event))
    name = dataset.file.name or ""
    dataset._history_user = actor  # type: ignore[attr-defined]
    dataset.delete()
    _delete_file_after_commit(name)


# Participants -------------------------------------------------------------------------------------


def acceptance_state(acceptance_terms: str | None, dataset: Dataset) -> str:
    """Whether an acceptance (its stored terms, or None) covers the dataset's terms now."""
    if acceptance_terms is None:
        return NOT_ACCEPTED
    return ACCEPTED if acceptance_terms == dataset.terms else TERMS_CHANGED


def acceptance_of(user, dataset: Dataset) -> str:
    if not user.is_authenticated:
        return NOT_ACCEPTED
    terms = (
        DatasetAcceptance.objects.filter(dataset=dataset, user=user.pk)
        .values_list("terms", flat=True)
        .first()
    )
    return acceptance_state(terms, dataset)


@transaction.atomic
def accept_terms(
    user: User, dataset: Dataset, shown_digest: str | None = None
) -> DatasetAcceptance:
    """Record that the user accepts the dataset's terms as they read now.

    ``shown_digest`` is :func:`terms_digest` of the terms the page showed: when the organisers
    changed them meanwhile, the person must read them again. Accepting twice changes nothing.
    """
    _require(permissions.can_use_datasets(user, dataset.event))
    if shown_digest is not None and shown_digest != terms_digest(dataset.terms):
        raise ValidationError(
            {"accept": _("The terms changed while you read them. Read them again, please.")}
        )
    existing = (
        DatasetAcceptance.objects.select_for_update().filter(dataset=dataset, user=user).first()
    )
    if existing is not None:
        if existing.terms != dataset.terms:
            existing.terms = dataset.terms
            existing.accepted_at = timezone.now()
            existing.save(update_fields=["terms", "accepted_at"])
        return existing
    try:
        with transaction.atomic():
            return DatasetAcceptance.objects.create(dataset=dataset, user=user, terms=dataset.terms)
    except IntegrityError:  # accepted at the same moment in another tab
        return DatasetAcceptance.objects.get(dataset=dataset, user=user)


def may_open(user, dataset: Dataset) -> bool:
    """Organisers always; confirmed participants who accepted the terms as they read now."""
    event = dataset.event
    if permissions.can_organise_event(user, event):
        return True
    if permissions.participant_registration(user, event) is None:
        return False
    return acceptance_of(user, dataset) == ACCEPTED


@transaction.atomic
def open_dataset(user: User, dataset: Dataset, action: str) -> File | str:
    """Log an access and give the open file (a download) or the address (a link).

    Raises ``PermissionDenied`` for those who may not use the event's datasets,
    ``TermsNotAccepted`` when the terms are not accepted as they read now, and
    ``ValidationError`` when the dataset has no file or link to give.
    """
    event = dataset.event
    if not permissions.can_organise_event(user, event):
        _require(permissions.participant_registration(user, event) is not None)
        if acceptance_of(user, dataset) != ACCEPTED:
            raise TermsNotAccepted
    target: File | str
    if action == DatasetAccess.Action.DOWNLOAD:
        if not dataset.file:
            raise ValidationError({"file": _("This dataset has no file.")})
        try:
            target = dataset.file.open("rb")
        except OSError:
            raise ValidationError({"file": _("The file of this dataset is missing.")}) from None
    elif action == DatasetAccess.Action.LINK:
        if not dataset.link:
            raise ValidationError({"link": _("This dataset has no link.")})
        target = dataset.link
    else:
        raise ValueError(f"Unknown action: {action}")
    DatasetAccess.objects.create(
        event_id=dataset.event_id,
        dataset=dataset,
        dataset_title=dataset.title,
        user=user,
        action=action,
    )
    return target


# Reads --------------------------------------------------------------------------------------------


def datasets_with_counts(event: Event) -> QuerySet[Dataset]:
    """The event's datasets with how many accepted and how many opened them, in one query."""
    return event.datasets.annotate(
        acceptance_count=Count("acceptances", distinct=True),
        access_count=Count("accesses", distinct=True),
    ).order_by("title", "pk")


def access_log(user, event: Event, dataset: Dataset | None = None) -> QuerySet:
    """Accesses and acceptances of the event's datasets, newest first, as dictionaries
    (``when``, ``kind`` – a ``DatasetAccess.Action`` or ``LOG_ACCEPTED`` –, ``dataset_id``,
    ``dataset_title``, ``user_id``, ``first_name``, ``last_name``, ``username``, ``email``).
    An acceptance appears once, at its latest time. For organisers only."""
    _require(permissions.can_organise_event(user, event))
    person = {
        "first_name": F("user__first_name"),
        "last_name": F("user__last_name"),
        "username": F("user__username"),
        "email": F("user__email"),
    }
    condition = Q(dataset__event=event)
    logged = Q(event=event)
    if dataset is not None:
        condition &= Q(dataset=dataset)
        logged &= Q(dataset=dataset)
    # Each part without its model's ordering: a compound query orders only as a whole.
    accesses = (
        DatasetAccess.objects.filter(logged)
        .order_by()
        .values(
            "user_id",
            "dataset_id",
            "dataset_title",
            when=F("accessed_at"),
            kind=F("action"),
            **person,
        )
    )
    acceptances = (
        DatasetAcceptance.objects.filter(condition)
        .order_by()
        .values(
            "user_id",
            "dataset_id",
            # First of the annotations: the union matches columns by position, and the
            # accesses' stored title comes right after their dataset id.
            dataset_title=F("dataset__title"),
            when=F("accepted_at"),
            kind=Value(LOG_ACCEPTED, output_field=CharField()),
            **person,
        )
    )
    return accesses.union(acceptances, all=True).order_by("-when", "-dataset_id")


def log_action_label(action: str) -> str:
    if action == LOG_ACCEPTED:
        return _("Accepted the terms")
    return str(DatasetAccess.Action(action).label)


def person_label(row: dict) -> str:
    """How the log names a person (as ``User.__str__`` does), or a gone account."""
    if row.get("user_id") is None:
        return _("Deleted account")
    full = f"{row.get('first_name') or ''} {row.get('last_name') or ''}".strip()
    return full or row.get("username") or ""
