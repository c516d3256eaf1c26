"""Forms of the hub pages: the hub itself, a partner, a partner's project. The services check
everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm, https_urls
from samspil.core.models import Currency, Organisation
from samspil.events.concept_forms import DateInput
from samspil.pilots.models import Pilot
from samspil.procurement.buyer_forms import NumberField

from . import queries, services
from .models import Hub, Partner

CHOICES_LIMIT = 1000


class HubForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), widget=LeanSelect
    )

    class Meta:
        model = Hub
        formfield_callback = https_urls
        fields = ["owner", "name", "description", "address", "website", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["owner"]
        else:
            owners = queries.creating_organisations(user)
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
            self.fields["owner"].widget.choices = list(owners.values_list("pk", "name"))

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.HUB_FIELDS}


class PartnerForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        widget=LeanSelect,
        help_text=_("A company, research institution or public body that is not a partner yet."),
    )
    since = forms.DateField(label=_("Partner since"), required=False, widget=DateInput)
    contribution = forms.CharField(
        label=_("What the partner brings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Such as staff, co-financing, competences or activities in the hub."),
    )

    def __init__(self, *args, user, hub: Hub, **kwargs):
        kwargs.setdefault("auto_id", "partner_%s")
        super().__init__(*args, **kwargs)
        candidates = queries.partner_candidates(user, hub)
        # Any organisation the user sees validates, so that the service names the problem.
        self.fields["organisation"].queryset = permissions.organisations_visible_to(user)  # type: ignore[attr-defined]
        self.fields["organisation"].widget.choices = [
            ("", "—"),
            *list(candidates.values_list("pk", "name")[:CHOICES_LIMIT]),
        ]


class ProjectForm(StyledForm, forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), widget=LeanSelect
    )
    pilot = forms.ModelChoiceField(
        label=_("Pilot"),
        queryset=Pilot.objects.none(),
        widget=LeanSelect,
        help_text=_("One of the partner's own pilots on the platform."),
    )
    co_financing = NumberField(label=_("Co-financing"))
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)

    def __init__(self, *args, user, hub: Hub, partners: list[Partner], **kwargs):
        kwargs.setdefault("auto_id", "project_%s")
        kwargs.setdefault("initial", {"currency": hub.owner.currency})
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(hub=hub)  # type: ignore[attr-defined]
        self.fields["partner"].widget.choices = [("", "—")] + [
            (p.pk, p.organisation.name) for p in partners
        ]
        pilots = queries.partner_pilots(user, [p.organisation_id for p in partners])
        self.fields["pilot"].queryset = pilots  # type: ignore[attr-defined]
        self.fields["pilot"].widget.choices = [("", "—")] + [
            (pk, f"{title} ({owner})")
            for pk, title, owner in pilots.values_list("pk", "title", "owner__name")[:CHOICES_LIMIT]
        ]
