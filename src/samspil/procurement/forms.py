"""Forms of the procurement pages. Choices come from the permission-filtered reads; the
services check again, so a tampered choice ends as a form error, never as a write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm, offered
from samspil.core.models import Organisation, OrganisationKind

from . import routes as route_aid
from .models import (
    TEXT_MAX,
    Award,
    Lot,
    Phase,
    PhaseDecision,
    Procurement,
    ProcurementRoute,
    Stage,
)
from .services import PROCUREMENT_FIELDS, clean_cpv_codes


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProcurementFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    route = forms.ModelChoiceField(
        label=_("Route"),
        queryset=ProcurementRoute.objects.order_by("position", "pk"),
        required=False,
        empty_label=_("All routes"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        widget=LeanSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = permissions.procurements_visible_to(user).values("owner_id")
        organisations = permissions.organisations_visible_to(user).filter(pk__in=owners)
        self.fields["organisation"].queryset = organisations.order_by("name")  # type: ignore[attr-defined]


def creating_organisations(user):
    """Where ``user`` may start procurements: procurement officer or innovation lead."""
    return Organisation.objects.filter(
        pk__in=permissions.organisations_with_role(user, *permissions.PROCURING_ROLES)
    ).order_by("name")


class CpvField(forms.CharField):
    def to_python(self, value):
        return clean_cpv_codes(super().to_python(value))

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class ProcurementForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Lead buyer"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its procurement officer or innovation lead."),
    )
    cpv_codes = CpvField(
        label=_("CPV codes"),
        required=False,
        help_text=_("Separated by commas, each as 8 digits and the check digit: 45000000-7."),
    )

    class Meta:
        model = Procurement
        fields = list(PROCUREMENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "procuring_entity": LeanSelect,
            "challenge": LeanSelect,
            "pilot": LeanSelect,
            "proposal": LeanSelect,
            "dialogue_starts_on": DateInput(),
            "tender_on": DateInput(),
            "award_on": DateInput(),
            "contract_starts_on": DateInput(),
            "contract_ends_on": DateInput(),
            "option_deadline": DateInput(),
        }
        help_texts = {
            "estimated_value": _("In whole units of the currency: DKK 160 m is 160000000."),
            "procuring_entity": _("Who runs the procedure, if not the lead buyer."),
            "pilot": _(
                "Pilots of your organisations. To build on another organisation's pilot, "
                "start from that pilot's page."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = creating_organisations(user)  # type: ignore[attr-defined]
        self.fields["procuring_entity"].queryset = (  # type: ignore[attr-defined]
            permissions.organisations_visible_to(user)
            .exclude(kind=OrganisationKind.COMPANY)
            .order_by("name")
        )
        self.fields["route"].queryset = ProcurementRoute.objects.order_by("position", "pk")  # type: ignore[attr-defined]
        self.fields["challenge"].queryset = permissions.challenges_visible_to(user).order_by(  # type: ignore[attr-defined]
            "title", "pk"
        )
        own = permissions.access_of(user).sees_internal_of
        sources = {
            "pilot": permissions.pilots_visible_to(user),
            "proposal": permissions.proposals_visible_to(user),
        }
        for name, rows in sources.items():
            self.fields[name].queryset = offered(self, name, rows, own).order_by("title", "pk")  # type: ignore[attr-defined]
        for name in ("estimated_value", "ceiling"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields[name].widget.attrs["class"] = "ds-input"
        self.fields["currency"].required = False
        if self.instance.pk:
            del self.fields["owner"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in PROCUREMENT_FIELDS}
        if not fields.get("currency"):
            fields.pop("currency", None)
        return fields


class StepDoneForm(StyledForm, forms.Form):
    step = forms.IntegerField(widget=forms.HiddenInput, required=False)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    output = forms.CharField(
        label=_("What it produced"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LotForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["title", "description", "estimated_value"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


def company_choices():
    return Organisation.objects.filter(kind=OrganisationKind.COMPANY).order_by("name")


class PhaseForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "target", "max_cost", "suppliers"]
        widgets = {
            "target": forms.Textarea(attrs={"rows": 2}),
            "suppliers": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suppliers"].queryset = company_choices()  # type: ignore[attr-defined]


class PhaseDecisionForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=PhaseDecision.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    result = forms.CharField(
        label=_("Result"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AwardForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Award
        fields = ["supplier", "value", "awarded_on", "lot"]
        widgets = {"awarded_on": DateInput(), "supplier": LeanSelect}

    def __init__(self, *args, procurement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = company_choices()  # type: ignore[attr-defined]
        self.fields["lot"].queryset = Lot.objects.filter(procurement=procurement)  # type: ignore[attr-defined]


class AwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.supplier.name} ({obj.awarded_on.isoformat()})"


class ContractForm(StyledForm, forms.Form):
    award = AwardChoiceField(label=_("Award"), queryset=Award.objects.none())
    value = forms.DecimalField(label=_("Value"), required=False, min_value=0, max_digits=16)
    signed_on = forms.DateField(label=_("Signed"), widget=DateInput())
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput())

    def __init__(self, *args, procurement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = Award.objects.filter(  # type: ignore[attr-defined]
            procurement=procurement
        ).select_related("supplier")


class StageForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)


ANSWER_CHOICES = [
    (route_aid.UNSURE, _("Not sure")),
    (route_aid.YES, _("Yes")),
    (route_aid.NO, _("No")),
]


class RouteAdviceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in route_aid.QUESTIONS:
            self.fields[name] = forms.ChoiceField(
                label=_(label),
                choices=ANSWER_CHOICES,
                required=False,
                initial=route_aid.UNSURE,
                widget=forms.Select(attrs={"class": "ds-input"}),
            )

    def answers(self) -> route_aid.Answers:
        data = self.cleaned_data if self.is_valid() else {}
        return route_aid.Answers(
            **{name: data.get(name) or route_aid.UNSURE for name, _l in route_aid.QUESTIONS}
        )
