"""Forms of the round pages: the round with its budgets and criteria (two formsets as long
as the editor needs), entering a proposal, and a board member's scores. The checks of the
rows are the services' own (``budget_row_errors``, ``criteria_row_errors``), run here to mark
the cell they concern."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Organisation, User
from samspil.events.forms import DateTimeInput
from samspil.pilots.forms import PeopleChoiceField, led_organisations

from .economy_forms import NumberField
from .models import BudgetArea, Round, RoundCriterion
from .round_services import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    board_candidates,
    budget_row_errors,
    criteria_row_errors,
    default_criteria,
)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
ROW_KINDS = ("budgets", "criteria")


class NumberedRowForm(StyledForm, forms.Form):
    """A row of a table: each field's label tells the row number, for screen readers."""

    row_label = _("Row")

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        for field in self.fields.values():
            field.label = f"{self.row_label} {number}: {field.label}"

    def is_blank(self) -> bool:
        raise NotImplementedError


class BudgetRowForm(NumberedRowForm):
    row_label = _("Budget")

    amount = NumberField(label=_("Amount (1,000)"), required=False, decimal_places=2)
    year = forms.IntegerField(label=_("Year"), required=False)
    budget_area = forms.ChoiceField(
        label=_("Budget area"),
        required=False,
        choices=[("", _("All budget areas")), *BudgetArea.choices],
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return (
            data.get("amount") is None and data.get("year") is None and not data.get("budget_area")
        )

    def row(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("amount", "year", "budget_area")}


class CriterionRowForm(NumberedRowForm):
    row_label = _("Criterion")

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Criterion"), required=False, max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    weight = NumberField(label=_("Weight"), required=False, decimal_places=2, initial=1)
    scale_min = forms.IntegerField(label=_("Lowest score"), required=False, initial=1)
    scale_max = forms.IntegerField(label=_("Highest score"), required=False, initial=5)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("id") and not data.get("name") and not data.get("description")

    def row(self) -> dict:
        names = ("id", "name", "description", "weight", "scale_min", "scale_max")
        return {name: self.cleaned_data.get(name) for name in names}


class RowFormSet(forms.BaseFormSet):
    """Rows told their number (from 1); blank rows and rows marked for removal are left out."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"{form.row_label} {(index or 0) + 1}: {_('Remove')}"

    def kept_forms(self) -> list:
        return [
            form
            for form in self.forms
            if form.is_valid() and not form.cleaned_data.get("DELETE") and not form.is_blank()
        ]

    def rows(self) -> list[dict]:
        return [form.row() for form in self.kept_forms()]


def _formset(form):
    # No row limit for the editor beyond Django's guard against absurd posts.
    return forms.formset_factory(form, formset=RowFormSet, extra=1, can_delete=True)


BudgetFormSet = _formset(BudgetRowForm)
CriteriaFormSet = _formset(CriterionRowForm)
ROW_FORMSETS = {"budgets": BudgetFormSet, "criteria": CriteriaFormSet}
ROW_CHECKS = {"budgets": budget_row_errors, "criteria": criteria_row_errors}


class RoundForm(StyledForm, forms.ModelForm):
    """The round, with ``rows["budgets"]`` and ``rows["criteria"]`` (formset prefixes the
    same); ``initial`` may hold a list of rows for each."""

    owner = forms.ModelChoiceField(
        label=_("Organisation running the round"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )
    board = PeopleChoiceField(
        label=_("Board"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People of the organisation running the round, who score the proposals."),
    )

    class Meta:
        model = Round
        fields = [
            "title",
            "description",
            "submission_deadline",
            "scoring_deadline",
            "objective",
            "board",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "submission_deadline": DateTimeInput(),
            "scoring_deadline": DateTimeInput(),
        }
        help_texts = {
            "submission_deadline": _("Departments enter their submitted proposals until then."),
            "scoring_deadline": _(
                "The board scores until then; the ranking and everyone's scores show after it."
            ),
        }

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        for name in ("submission_deadline", "scoring_deadline"):
            self.fields[name].input_formats = DATETIME_FORMATS  # type: ignore[attr-defined]
        round_ = self.instance if self.instance.pk else None
        if round_ is not None:
            del self.fields["owner"]
            people = board_candidates(round_.owner)
            self.initial.setdefault("board", list(round_.board.all()))
            self.initial.setdefault(
                "budgets",
                [
                    {"amount": b.amount, "year": b.year, "budget_area": b.budget_area}
                    for b in round_.budgets.order_by("year", "budget_area")
                ],
            )
            self.initial.setdefault(
                "criteria", [_criterion_row(c) for c in round_.criteria.order_by("position", "pk")]
            )
        else:
            leading = led_organisations(user)
            self.fields["owner"].queryset = leading  # type: ignore[attr-defined]
            self.order_fields(["owner"])
            # People of every organisation the user may run a round in; the service keeps
            # those of the chosen one.
            people = User.objects.none()
            for organisation in leading:
                people = people | board_candidates(organisation)
            self.initial.setdefault("criteria", default_criteria())
        self.fields["board"].queryset = people.distinct().order_by(  # type: ignore[attr-defined]
            "first_name", "last_name", "username"
        )
        self.rows = {
            kind: ROW_FORMSETS[kind](data, prefix=kind, initial=self.initial.get(kind) or None)
            for kind in ROW_KINDS
        }

    def with_row_added(self, kind: str) -> "RoundForm":
        """This (sent) form unbound again, everything typed kept, one more blank ``kind`` row:
        adding a row shows no errors for a form not yet saved."""
        typed: dict = {name: self[name].value() for name in self.fields}
        for name, formset in self.rows.items():
            typed[name] = [
                {n: row[n].value() for n in row.fields if n != "DELETE"}
                for row in formset.forms
                if not row["DELETE"].value()
            ]
        instance = self.instance if self.instance.pk else None
        form = RoundForm(instance=instance, user=self.user, initial=typed)
        for name, formset in form.rows.items():
            # The typed rows keep their blank row; only the table asked for gets one more.
            formset.extra = 1 if name == kind else 0
        # The page is drawn anew: focus goes to the new row, not to the top of the page.
        first = form.rows[kind].forms[-1].visible_fields()[0]
        first.field.widget.attrs["autofocus"] = True
        return form

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for kind, formset in self.rows.items():
            if formset.is_valid():
                kept = formset.kept_forms()
                for index, problems in ROW_CHECKS[kind]([f.row() for f in kept]).items():
                    for field, message in problems.items():
                        kept[index].add_error(field, message)
            # Listed above the form too, each named by its row and column.
            for row in formset.forms:
                for name, errors in row.errors.items():
                    label = row.fields[name].label if name in row.fields else ""
                    for message in errors:
                        self.add_error(None, f"{label}: {message}" if label else message)
            for message in formset.non_form_errors():
                self.add_error(None, message)

    def clean(self):
        data = super().clean() or {}
        opens, closes = data.get("submission_deadline"), data.get("scoring_deadline")
        # Before the model's constraint check, whose message names the constraint.
        if opens and closes and closes < opens:
            self.add_error(
                "scoring_deadline", _("Scoring must not close before the submission deadline.")
            )
        return data

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name != "board"}  # type: ignore[union-attr]
        data["board"] = list(self.cleaned_data.get("board") or [])
        data["budgets"] = self.rows["budgets"].rows()
        data["criteria"] = self.rows["criteria"].rows()
        return data


def _criterion_row(criterion: RoundCriterion) -> dict:
    return {
        "id": criterion.pk,
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "scale_min": criterion.scale_min,
        "scale_max": criterion.scale_max,
    }


class EnterRoundForm(StyledForm, forms.Form):
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=Round.objects.none(), empty_label=None, widget=LeanSelect
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]


class ScoreForm(StyledForm, forms.Form):
    """A number and a comment per criterion; a blank number leaves the criterion unscored.
    Out-of-scale numbers are refused by the service, whose message names the scale."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=_("Score for %(criterion)s") % {"criterion": criterion.name},
                required=False,
                help_text=_("A whole number from %(min)d to %(max)d.")
                % {"min": criterion.scale_min, "max": criterion.scale_max},
                widget=forms.NumberInput(
                    attrs={
                        "class": "ds-input",
                        "min": criterion.scale_min,
                        "max": criterion.scale_max,
                    }
                ),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
            )

    @staticmethod
    def initial_from(scores: dict) -> dict:
        initial: dict = {}
        for criterion_id, item in scores.items():
            initial[f"criterion_{criterion_id}"] = item.value
            initial[f"comment_{criterion_id}"] = item.comment
        return initial

    @property
    def pairs(self):
        return [(self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "criterion": c.pk,
                "value": data.get(f"criterion_{c.pk}"),
                "comment": data.get(f"comment_{c.pk}", ""),
            }
            for c in self.criteria
        ]
