"""Forms of the KPI catalogue and benchmark pages. Choices come from the permission rules; the
services check again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import StyledForm, https_urls
from samspil.core.models import Organisation, Role

from .benchmark_services import Scope, reference_organisations
from .models import KpiDefinition, ReferenceValue


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CatalogueSearchForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)


class BenchmarkFilterForm(StyledForm, forms.Form):
    scope = forms.ChoiceField(
        label=_("Compare with"),
        required=False,
        choices=[("", _("Every pilot you may see")), *Scope.choices],
    )


class KpiDefinitionForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )

    class Meta:
        model = KpiDefinition
        fields = ["name", "unit", "direction", "description", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "name": _("What is measured, such as minutes per invoice coded."),
            "unit": _("Pilots measuring this definition use this unit, such as minutes."),
            "visibility": _(
                "Shared and public definitions form the catalogue other organisations measure."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["owner"]
        else:
            led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
            self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=led
            ).order_by("name")
            self.order_fields(["owner"])

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        return data


class ReferenceValueForm(StyledForm, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Added by"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta:
        model = ReferenceValue
        formfield_callback = https_urls
        fields = ["label", "value", "measured_on", "source", "source_url"]
        widgets = {"measured_on": DateInput()}
        help_texts = {
            "label": _("Such as the national average or a best practice."),
            "source": _("Where the value comes from: a report, statistics, an article."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].required = True
        organisations = reference_organisations(user)
        choices = list(organisations)
        self.only_organisation = choices[0] if len(choices) == 1 else None
        if self.instance.pk or len(choices) <= 1:
            # An edit keeps the adding organisation; with one organisation there is no choice.
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            self.order_fields(["organisation"])

    def chosen_organisation(self) -> Organisation | None:
        return self.cleaned_data.get("organisation") or self.only_organisation

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        return data
