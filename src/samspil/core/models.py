"""Organisations, people, memberships with roles, and the visibility every record carries."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal (members of the organisation)")
    SHARED = "shared", _("Shared with all public-sector members")
    PUBLIC = "public", _("Public")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    STATE_AGENCY = "state_agency", _("State agency")
    DISTRICT = "district", _("District")
    DEPARTMENT = "department", pgettext_lazy("organisation kind", "Department")
    COMPANY = "company", _("Company")
    KNOWLEDGE_INSTITUTION = "knowledge_institution", _("Knowledge institution")
    CLUSTER = "cluster", _("Cluster or NGO")


PUBLIC_SECTOR_KINDS = frozenset(
    {
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.REGION,
        OrganisationKind.STATE_AGENCY,
        OrganisationKind.DISTRICT,
        OrganisationKind.DEPARTMENT,
    }
)


class Country(models.TextChoices):
    DENMARK = "DK", _("Denmark")
    NORWAY = "NO", _("Norway")
    SWEDEN = "SE", _("Sweden")


class Currency(models.TextChoices):
    DKK = "DKK", _("Danish krone (DKK)")
    NOK = "NOK", _("Norwegian krone (NOK)")
    SEK = "SEK", _("Swedish krona (SEK)")
    EUR = "EUR", _("Euro (EUR)")


CURRENCY_OF_COUNTRY = {Country.DENMARK: "DKK", Country.NORWAY: "NOK", Country.SWEDEN: "SEK"}
LANGUAGE_OF_COUNTRY = {Country.DENMARK: "da", Country.NORWAY: "nb", Country.SWEDEN: "sv"}


class User(AbstractUser):
    """A person. Signs in with e-mail (or user name) and a password."""

    email = models.EmailField(_("e-mail address"), unique=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("da", "Dansk"), ("nb", "Norsk bokmål"), ("sv", "Svenska"), ("en", "English")],
        default="da",
        help_text=_("Pages and e-mails to you are in this language."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    national_id = models.CharField(
        _("national id"),
        max_length=32,
        blank=True,
        help_text=_("CVR number, organisasjonsnummer or organisationsnummer."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    theme_colour = models.CharField(
        _("theme colour"), max_length=7, default="#1e6e8c", validators=[hex_colour]
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "country"])]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "national_id"],
                condition=~models.Q(national_id=""),
                name="organisation_national_id_unique_per_country",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation-detail", args=[self.pk])

    @property
    def is_public_sector(self) -> bool:
        return self.kind in PUBLIC_SECTOR_KINDS


class Role(models.Model):
    """The five roles a membership can carry; rows are made by a migration."""

    class Code(models.TextChoices):
        MEMBER = "member", _("Member")
        INNOVATION_LEAD = "innovation_lead", _("Innovation lead")
        PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
        BOARD_MEMBER = "board_member", _("Board member")
        ADMIN = "admin", _("Organisation admin")

    code = models.CharField(max_length=32, choices=Code.choices, unique=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _default_invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An organisation admin's invitation of an e-mail address, with the roles to give."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_secret(token)

    @classmethod
    def digest(cls, token: str) -> str:
        return _hash_secret(token)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class AccessToken(models.Model):
    """A personal access token for the API. Only a digest is stored; the secret is shown once."""

    PREFIX = "sp_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("starts with"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @classmethod
    def digest_of(cls, secret: str) -> str:
        return _hash_secret(secret)


class OwnedRecord(models.Model):
    """Base of every domain record: an owning organisation and a visibility.

    Reads go through ``core.permissions.visible_to``; the rules live there.
    """

    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )

    class Meta:
        abstract = True


class Notification(models.Model):
    """An in-app message to one person, written in their language when it was made."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message
