"""Forms of the supplier directory and of suppliers' interest; the services check everything
again and name what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samspil.core.forms import StyledForm
from samspil.core.models import Country, Organisation

from .models import TEXT_MAX, CompanySize


class DirectoryFilterForm(StyledForm, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the name, the offer, the competences or the references."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", pgettext_lazy("all countries", "All")), *Country.choices],
        help_text=_("Where the company is based or serves."),
    )
    size = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", pgettext_lazy("all sizes", "All")), *CompanySize.choices],
    )
    competence = forms.ChoiceField(label=_("Competence"), required=False, choices=[])

    def __init__(self, *args, competences: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["competence"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", pgettext_lazy("all competences", "All")),
            *[(c, c) for c in competences],
        ]


class SupplierProfileForm(StyledForm, forms.Form):
    offer = forms.CharField(
        label=_("What we offer"),
        required=False,  # the service names a missing offer
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Products, services and the problems you solve, in your own words."),
    )
    competences = forms.CharField(
        label=_("Competences"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas, such as: welfare technology, IoT, service design."),
    )
    references = forms.CharField(
        label=_("References"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Customers and projects you may name."),
    )
    size = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", "—"), *CompanySize.choices]
    )
    countries_served = forms.MultipleChoiceField(
        label=_("Countries served"),
        required=False,
        choices=Country.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_email = forms.CharField(
        label=_("Contact e-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput,  # the service checks it, so that the typed text stays
    )

    @classmethod
    def initial_from(cls, profile) -> dict:
        if profile is None:
            return {}
        return {
            "offer": profile.offer,
            "competences": ", ".join(profile.competences or []),
            "references": profile.references,
            "size": profile.size,
            "countries_served": profile.countries_served,
            "contact_email": profile.contact_email,
        }

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class InterestForm(StyledForm, forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Company"), queryset=Organisation.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("What we can offer"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few lines on how your company could help."),
    )

    def __init__(self, *args, companies: list[Organisation], prefix_id: str = "interest", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["supplier"]
        field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in companies])  # type: ignore[attr-defined]
        if len(companies) <= 1:
            field.widget = forms.HiddenInput()
            if companies:
                self.initial.setdefault("supplier", companies[0].pk)


class InviteForm(StyledForm, forms.Form):
    """Invite one suggested supplier: to the market dialogue or to one of the events."""

    supplier = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ChoiceField(label=_("Invite to"), choices=[])

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("dialogue", _("The market dialogue")),
            *[(f"event:{e.pk}", e.title) for e in events],
        ]

    def destination(self) -> tuple[str, int | None]:
        value = self.cleaned_data["to"]
        if value.startswith("event:"):
            return "event", int(value.split(":", 1)[1])
        return "dialogue", None
