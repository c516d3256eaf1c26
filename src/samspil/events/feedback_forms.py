"""Forms of the survey and cost pages."""

from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import StyledForm

from .feedback_services import AMOUNT_MAX, HOURS_MAX, SHORT_MAX
from .models import TEXT_MAX, StaffRole


def scale_choices(lowest, highest) -> list[tuple[int, object]]:
    """1 to 5, the ends named: "1 – Very dissatisfied" … "5 – Very satisfied"."""
    return [
        (1, format_lazy("1 – {}", lowest)),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, format_lazy("5 – {}", highest)),
    ]


def scale_field(label, lowest, highest) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=scale_choices(lowest, highest),
        coerce=int,
        widget=forms.RadioSelect,
    )


class SurveyForm(StyledForm, forms.Form):
    satisfaction = scale_field(
        _("How satisfied are you with the event overall?"),
        _("Very dissatisfied"),
        _("Very satisfied"),
    )
    relevance = scale_field(
        _("How relevant was the event to your work?"), _("Not relevant"), _("Very relevant")
    )
    organisation_rating = scale_field(
        _("How well was the event organised?"), _("Very poorly"), _("Very well")
    )
    went_well = forms.CharField(
        label=_("What went well?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    improve = forms.CharField(
        label=_("What should be better next time?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your answers are shown to the organisers without your name."),
    )

    def scale_fields(self) -> list:
        return [self[n] for n in ("satisfaction", "relevance", "organisation_rating")]

    def text_fields(self) -> list:
        return [self[n] for n in ("went_well", "improve")]


class TimeSpentForm(StyledForm, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.1"),
        max_value=HOURS_MAX,
        max_digits=6,
        decimal_places=1,
        help_text=_("Preparing, running and following up, with at most one decimal."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=SHORT_MAX)

    @classmethod
    def initial_of(cls, entry) -> dict:
        return {"role": entry.role, "hours": entry.hours, "note": entry.note}


class ExternalCostForm(StyledForm, forms.Form):
    description = forms.CharField(
        label=_("What"),
        max_length=SHORT_MAX,
        help_text=_("Venue, catering, consultants, prizes …"),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_value=AMOUNT_MAX,
        max_digits=14,
        decimal_places=2,
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["amount"].label = format_lazy("{} ({})", _("Amount"), currency)

    @classmethod
    def initial_of(cls, cost) -> dict:
        return {"description": cost.description, "amount": cost.amount}
