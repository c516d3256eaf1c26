"""Forms of adoption: "we adopt this" and the adopter's outcome. The services check
everything again and name the problem (the same organisation twice, the publisher itself, no
right in the organisation)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Organisation

from . import adoption_queries
from .adoption_services import NOTE_MAX, Start, allowed_outcomes
from .models import Adoption, AdoptionOutcome, Result


class AdoptForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation that adopts it"),
        queryset=Organisation.objects.all(),
        widget=LeanSelect,
        help_text=_("One where you are an innovation lead or administrator."),
    )
    start = forms.ChoiceField(
        label=_("What to start"),
        choices=Start.choices,
        initial=Start.PILOT,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you plan to do with it (optional)."),
    )

    def __init__(self, *args, result: Result, user, **kwargs):
        kwargs.setdefault("auto_id", "adopt_%s")
        super().__init__(*args, **kwargs)
        choices = list(
            adoption_queries.organisations_to_adopt_for(user, result).values_list("pk", "name")
        )
        # Any organisation validates so that the service names the problem; the list offers
        # those the user may adopt for and that have not yet.
        self.fields["organisation"].widget.choices = [("", "—"), *choices]
        if len(choices) == 1 and not self.is_bound:
            self.initial["organisation"] = choices[0][0]
        self.has_choices = bool(choices)


class OutcomeForm(StyledForm, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it went: what is in use, what was bought, why it stopped."),
    )

    def __init__(self, *args, adoption: Adoption, **kwargs):
        kwargs.setdefault("auto_id", f"adoption_{adoption.pk}_%s")
        kwargs.setdefault("initial", {"outcome": adoption.outcome, "note": adoption.note})
        super().__init__(*args, **kwargs)
        allowed = allowed_outcomes(adoption)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [
            (value, label) for value, label in AdoptionOutcome.choices if value in allowed
        ]
