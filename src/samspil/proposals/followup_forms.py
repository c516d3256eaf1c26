"""Forms of the criteria table, the follow-up table and the consultations. An amount cell
takes one number or a range ("1500-3000", "1.500–3.000" in Danish) in 1,000, read like the
economic table's cells; the services check everything again."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import StyledForm
from samspil.core.models import User
from samspil.events.concept_forms import DateInput, PersonChoiceField

from . import economy_services
from .followup_services import responsible_candidates
from .models import (
    Assessment,
    BudgetArea,
    Consultation,
    ConsultationAnswer,
    CriteriaRow,
    FollowUpItem,
    Proposal,
)


def parse_amount_range(text: str) -> tuple[Decimal, Decimal] | None:
    """ "1500" → (1500, 1500), "1.500–3.000" in Danish → (1500, 3000); None when it is
    neither (a three-point estimate too: the criteria table holds ranges). The economic
    table's parser reads the numbers, so both tables take the same typing."""
    try:
        cell = economy_services.parse_cell(text)
    except ValidationError:
        return None
    if cell is None:
        return None
    if cell.low is None or cell.high is None:
        return (cell.value, cell.value) if cell.value is not None else None
    return (cell.low, cell.high) if cell.value is None else None


def format_amount_range(low: Decimal | None, high: Decimal | None) -> str:
    """ "1.500–3.000", or "500" when both ends are equal, in the page's language."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return economy_services.format_amount(low if low is not None else high)  # type: ignore[arg-type]
    return f"{economy_services.format_amount(low)}–{economy_services.format_amount(high)}"


class AmountRangeField(forms.CharField):
    """Text in, ``(low, high)`` out (``(None, None)`` when empty); the text typed stays in
    the form when it is refused."""

    default_error_messages = {
        "invalid": _("Enter an amount or a range such as 1500–3000 (in 1,000)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return (None, None)
        parsed = parse_amount_range(text)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def _assessment_choices():
    return [("", "–"), *Assessment.choices]


class CriteriaRowForm(StyledForm, forms.Form):
    label = forms.CharField(label=_("Item"), max_length=300)
    expense = AmountRangeField(
        label=_("Expense (1,000)"), help_text=_("One amount or a range, e.g. 1500–3000.")
    )
    expense_note = forms.CharField(label=_("Expense, note"), max_length=300, required=False)
    expected_proposal = forms.CharField(
        label=_("Expected investment proposal"), max_length=300, required=False
    )
    expected_budget_year = forms.IntegerField(label=_("Budget year"), required=False)
    saving = AmountRangeField(
        label=_("Lasting yearly saving (1,000)"),
        help_text=_("One amount or a range, without a sign."),
    )
    saving_area = forms.ChoiceField(
        label=_("Budget area of the saving"),
        choices=[("", "–"), *BudgetArea.choices],
        required=False,
    )
    saving_note = forms.CharField(label=_("Saving, note"), max_length=300, required=False)
    cross_cutting = forms.ChoiceField(
        label=_("Cross-cutting"), choices=_assessment_choices, required=False
    )
    large_scale = forms.ChoiceField(
        label=_("Large-scale potential"), choices=_assessment_choices, required=False
    )
    mature_technology = forms.ChoiceField(
        label=_("Mature use of new technology"), choices=_assessment_choices, required=False
    )

    # Service fields whose errors belong on a form field of another name.
    FIELD_OF = {
        "expense_low": "expense",
        "expense_high": "expense",
        "saving_low": "saving",
        "saving_high": "saving",
    }

    @classmethod
    def initial_of(cls, row: CriteriaRow) -> dict:
        initial = {name: getattr(row, name) for name in cls.base_fields if hasattr(row, name)}
        initial["expense"] = format_amount_range(row.expense_low, row.expense_high)
        initial["saving"] = format_amount_range(row.saving_low, row.saving_high)
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["expense_low"], data["expense_high"] = data.pop("expense")
        data["saving_low"], data["saving_high"] = data.pop("saving")
        return data


class FollowUpForm(StyledForm, forms.ModelForm):
    responsible_user = PersonChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.none(),
        required=False,
        empty_label="–",
        help_text=_("Told when the proposal is approved and reminded when it falls due."),
    )

    class Meta:
        model = FollowUpItem
        fields = ["criterion", "how_measured", "responsible", "responsible_user", "when", "due_on"]
        widgets = {"how_measured": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}
        help_texts = {
            "responsible": _("E.g. the unit, as the template's table says."),
            "when": _("E.g. after each hackathon and at the end of 2021."),
        }

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"].queryset = responsible_candidates(proposal)  # type: ignore[attr-defined]


class ConsultationForm(StyledForm, forms.ModelForm):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=[("", "–"), *ConsultationAnswer.choices], required=False
    )

    class Meta:
        model = Consultation
        fields = ["answer", "answered_on", "note"]
        widgets = {"answered_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"answered_on": _("Needed for yes and no.")}


class AddConsultationForm(StyledForm, forms.Form):
    body = forms.CharField(label=_("Body"), max_length=200)
    guidance = forms.CharField(
        label=_("When to consult"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
