"""Forms of the judging pages: criteria, jurors and a juror's scores."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import User

from .judging_services import NAME_MAX, WEIGHT_MAX
from .models import SCORE_MAX, SCORE_MIN, TEXT_MAX


class CriterionForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the jurors look for."),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=WEIGHT_MAX,
        decimal_places=2,
        initial=1,
        help_text=_("How much the criterion counts against the others."),
    )

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if locked:
            # Jurors have scored against the name and the weight: they stay as they were.
            for name in ("name", "weight"):
                self.fields[name].disabled = True
            self.fields["weight"].help_text = _(
                "Scoring has begun: only the description can change."
            )


class JurorForm(StyledForm, forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        widget=LeanSelect,
        empty_label="–",
    )
    email = forms.EmailField(
        label=_("Or the e-mail address of someone with an account"),
        required=False,
        help_text=_("For people of other organisations."),
    )

    def __init__(self, *args, candidates, owner, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.label = _("Person of %(organisation)s") % {"organisation": owner}

    def clean(self):
        data = super().clean() or {}
        if not self.errors and bool(data.get("user")) == bool(data.get("email")):
            raise forms.ValidationError(
                _("Choose a person, or give the e-mail address of someone with an account.")
            )
        return data


SCORE_CHOICES = [
    (SCORE_MIN, _("1 (weak)")),
    *((value, str(value)) for value in range(SCORE_MIN + 1, SCORE_MAX)),
    (SCORE_MAX, _("5 (excellent)")),
]


class ScoreForm(StyledForm, forms.Form):
    """A radio group 1–5 and a comment per criterion; ``revise`` marks a page that showed
    the juror's earlier scores, so that a stale form cannot overwrite them."""

    revise = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        message = _("Give a score from %(min)d to %(max)d.") % {"min": SCORE_MIN, "max": SCORE_MAX}
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "event-score-choice"}),
                help_text=criterion.description,
                error_messages={"required": _("Score this criterion."), "invalid_choice": message},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=TEXT_MAX,
                # Added after StyledForm styled the fields: give the look here.
                widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
            )

    @staticmethod
    def initial_from(scores) -> dict:
        initial: dict = {"revise": bool(scores)}
        for item in scores:
            initial[f"criterion_{item.criterion_id}"] = item.value
            initial[f"comment_{item.criterion_id}"] = item.comment
        return initial

    @property
    def rows(self):
        return [(self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}
