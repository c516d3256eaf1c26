"""Forms of the result pages. Choices come from the permission-filtered reads (and, for the
sources, from the organisations the user leads innovation in, so the lists stay short); the
services check again, so a tampered choice ends as a form error, never as a write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm, https_urls, offered
from samspil.core.models import Country, Organisation, Role
from samspil.needs.models import Theme
from samspil.pilots.models import MaturityStage, PhaseModel

from . import queries
from .models import Result, ResultKind, ResultOutcome
from .services import RESULT_FIELDS, SUMMARY_MAX


def leading_organisations(user):
    """Where ``user`` may write results: innovation lead (or admin)."""
    return Organisation.objects.filter(
        pk__in=permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    ).order_by("name")


class CatalogueFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *Country.choices]
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.order_by("slug"),
        required=False,
        empty_label=_("All themes"),
    )
    stage = forms.ChoiceField(
        label=pgettext_lazy("maturity", "Stage"),
        required=False,
        choices=[("", _("All stages")), *MaturityStage.choices],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All outcomes")), *ResultOutcome.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Results and templates")),
            (queries.RESULTS, _("Results of cases")),
            (queries.TEMPLATES, _("Templates and guides")),
            *[(code, label) for code, label in ResultKind.choices if code != ResultKind.RESULT],
        ],
    )


class ResultForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )

    class Meta:
        model = Result
        formfield_callback = https_urls
        fields = list(RESULT_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "tried": forms.Textarea(attrs={"rows": 6}),
            "came_of_it": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "pilot": LeanSelect,
            "event": LeanSelect,
            "procurement": LeanSelect,
            "scaling_process": LeanSelect,
            "concept": LeanSelect,
            "phase_model": LeanSelect,
        }
        labels = {
            "pilot": _("Pilot"),
            "event": _("Event"),
            "procurement": _("Procurement"),
            "scaling_process": _("Scaling process"),
            "concept": _("Event concept"),
            "phase_model": _("Phase model or checklist"),
        }
        help_texts = {
            "summary": _("Two or three sentences for the catalogue."),
            "pilot": _("Its KPIs and benefits become the result's figures."),
            "event": _("For a criteria set: the event whose judging criteria are published."),
            "concept": _("For an event concept: the concept and its tasks are published."),
            "phase_model": _("For a checklist: the phases and checklist items are published."),
            "licence": _("Others may reuse the text under this licence."),
            "code_licence": _("For source code: an open-source licence."),
            "code_url": _("The public repository of the code."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
        self.fields["owner"].queryset = leading_organisations(user)  # type: ignore[attr-defined]
        self.fields["summary"].max_length = SUMMARY_MAX  # type: ignore[attr-defined]
        self.fields["themes"].queryset = Theme.objects.order_by("slug")  # type: ignore[attr-defined]
        sources = {
            "pilot": permissions.pilots_visible_to(user),
            "event": permissions.events_visible_to(user),
            "procurement": permissions.procurements_visible_to(user),
            "scaling_process": permissions.scaling_processes_visible_to(user),
            "concept": permissions.concepts_visible_to(user),
        }
        for name, rows in sources.items():
            self.fields[name].queryset = offered(self, name, rows, led).order_by("title", "pk")  # type: ignore[attr-defined]
        self.fields["phase_model"].queryset = PhaseModel.objects.filter(  # type: ignore[attr-defined]
            Q(organisation__isnull=True)
            | Q(organisation__in=permissions.access_of(user).sees_internal_of)
        ).order_by("name", "pk")
        self.fields["kind"].required = True
        if self.instance.pk:
            del self.fields["owner"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in RESULT_FIELDS}


class DocumentForm(StyledForm, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("The file's name when left empty."),
    )
    file = forms.FileField(label=_("File"))


class CopyForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Copy to"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = leading_organisations(user)  # type: ignore[attr-defined]
