"""Every write of the core: organisations, memberships, invitations, access tokens.

Each function checks permission, writes in a transaction and leaves history behind
(django-simple-history records the acting user from the request, or ``actor`` here).
"""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import permissions
from .models import AccessToken, Invitation, Membership, Notification, Organisation, Role, User
from .tasks import queue_templated_email

ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "kind",
    "country",
    "national_id",
    "parent",
    "currency",
    "theme_colour",
    "website",
    "description",
    "visibility",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _roles(codes: Iterable[str]) -> list[Role]:
    codes = set(codes) - {Role.Code.MEMBER}
    return list(Role.objects.filter(code__in=codes))


@transaction.atomic
def update_organisation(actor: User, organisation: Organisation, **changes) -> Organisation:
    _require(permissions.can_edit_organisation(actor, organisation))
    unknown = set(changes) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    parent = changes.get("parent", organisation.parent)
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == organisation.pk:
            raise ValidationError({"parent": _("An organisation cannot belong to itself.")})
        ancestor = ancestor.parent
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation._history_user = actor  # type: ignore[attr-defined]
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def create_part_of(actor: User, parent: Organisation, **fields) -> Organisation:
    """A department, district or unit below an organisation its admins manage.

    The acting admin becomes admin of the new part, so that it has one from the start.
    """
    _require(permissions.can_edit_organisation(actor, parent))
    unknown = set(fields) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    fields["parent"] = parent
    organisation = Organisation(slug=_free_slug(fields.get("name", "")), **fields)
    organisation._history_user = actor  # type: ignore[attr-defined]
    organisation.full_clean()
    organisation.save()
    membership = Membership.objects.create(user=actor, organisation=organisation)
    membership.roles.set(_roles([Role.Code.ADMIN]))
    permissions.forget_access(actor)
    return organisation


def _free_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    candidate, n = base, 1
    while Organisation.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def invite_member(
    actor: User, organisation: Organisation, email: str, role_codes: Iterable[str]
) -> Invitation:
    """Record the invitation and e-mail a link; an existing member is not invited again."""
    _require(permissions.can_manage_members(actor, organisation))
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    # Inviting again replaces an open invitation: its link stops working, the new one is sent.
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True
    ).update(expires_at=timezone.now())
    token, digest = Invitation.new_token()
    invitation = Invitation(
        organisation=organisation, email=email, invited_by=actor, token_digest=digest
    )
    invitation._history_user = actor  # type: ignore[attr-defined]
    invitation.save()
    invitation.roles.set(_roles(role_codes))
    existing = User.objects.filter(email__iexact=email).first()
    language = existing.language if existing else actor.language
    queue_templated_email(
        email,
        "core/email/invitation",
        {
            "organisation": organisation.name,
            "inviter": str(actor),
            "path": f"/invitations/{token}/",
        },
        language,
    )
    return invitation


def find_open_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_digest=Invitation.digest(token))
        .first()
    )
    return invitation if invitation and invitation.is_open else None


@transaction.atomic
def accept_invitation(user: User, invitation: Invitation) -> Membership:
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or was already used."))
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation
    )
    membership.roles.add(*invitation.roles.all())
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    permissions.forget_access(user)
    return membership


@transaction.atomic
def register_from_invitation(
    invitation: Invitation, *, first_name: str, last_name: str, password: str, language: str
) -> User:
    """Create the invited person's account and accept the invitation in one step."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError({"email": _("An account with this e-mail address exists.")})
    user = User(
        username=_free_username(invitation.email),
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    user.set_password(password)
    user.save()
    accept_invitation(user, invitation)
    return user


def _free_username(email: str) -> str:
    base = email.split("@")[0][:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def set_roles(actor: User, membership: Membership, role_codes: Iterable[str]) -> Membership:
    organisation = membership.organisation
    _require(permissions.can_manage_members(actor, organisation))
    roles = _roles(role_codes)
    removes_own_admin = membership.user_id == actor.pk and Role.Code.ADMIN not in {
        r.code for r in roles
    }
    if removes_own_admin and not actor.is_superuser and _is_last_admin(membership):
        raise ValidationError(_("An organisation needs at least one admin."))
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.roles.set(roles)
    permissions.forget_access(membership.user)
    return membership


def _is_last_admin(membership: Membership) -> bool:
    return not (
        Membership.objects.filter(organisation=membership.organisation, roles__code=Role.Code.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def remove_member(actor: User, membership: Membership) -> None:
    _require(permissions.can_manage_members(actor, membership.organisation))
    is_admin = membership.roles.filter(code=Role.Code.ADMIN).exists()
    if is_admin and _is_last_admin(membership):
        raise ValidationError(_("An organisation needs at least one admin."))
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.delete()


@transaction.atomic
def update_profile(user: User, **changes) -> User:
    allowed = {"first_name", "last_name", "email", "job_title", "language"}
    for field, value in changes.items():
        if field not in allowed:
            raise ValueError(f"Not editable: {field}")
        setattr(user, field, value)
    user._history_user = user  # type: ignore[attr-defined]
    user.full_clean(exclude=["password"])
    user.save()
    return user


def create_access_token(user: User, name: str) -> tuple[AccessToken, str]:
    """Make a token; the secret is returned once and never stored."""
    secret = AccessToken.new_secret()
    token = AccessToken.objects.create(
        user=user,
        name=name.strip() or _("API token"),
        digest=AccessToken.digest_of(secret),
        hint=secret[:8],
    )
    return token, secret


def revoke_access_token(user: User, token: AccessToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_access_token(secret: str) -> User | None:
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=AccessToken.digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Writing on every request would be a write per API call; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def remind_open_invitations(days_before_expiry: int = 3) -> int:
    """E-mail once to invitees whose invitation runs out within ``days_before_expiry`` days."""
    now = timezone.now()
    due = Invitation.objects.filter(
        accepted_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=days_before_expiry),
    ).select_related("organisation", "invited_by")
    # Addresses compare without case, as invite_member and accept_invitation compare them.
    languages = dict(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=[i.email.lower() for i in due])
        .values_list("address", "language")
    )
    sent = 0
    for invitation in due:
        token, digest = Invitation.new_token()
        with transaction.atomic():
            # A fresh link: the first one's secret is not stored, so it cannot be resent.
            invitation.token_digest = digest
            invitation.reminded_at = now
            invitation.save(update_fields=["token_digest", "reminded_at"])
            inviter = invitation.invited_by
            queue_templated_email(
                invitation.email,
                "core/email/invitation_reminder",
                {
                    "organisation": invitation.organisation.name,
                    "inviter": str(inviter) if inviter else "",
                    "path": f"/invitations/{token}/",
                    "expires": timezone.localdate(invitation.expires_at).isoformat(),
                },
                languages.get(invitation.email.lower()) or (inviter.language if inviter else "da"),
            )
        sent += 1
    return sent


def notify(recipient: User, template: str, context: dict, url: str = "") -> Notification:
    """An in-app notification and an e-mail, both in the recipient's language.

    ``<template>_subject.txt`` is the one-line message; ``<template>_body.txt`` the e-mail.
    """
    with translation.override(recipient.language):
        message = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    notification = Notification.objects.create(recipient=recipient, message=message[:500], url=url)
    if recipient.email:
        queue_templated_email(
            recipient.email, template, {**context, "path": url}, recipient.language
        )
    return notification


def mark_notifications_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
