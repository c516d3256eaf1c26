"""Forms of the economic table: one line (group, budget area, label and a text cell per
year), the whole table (a line form per line and one for a new line) and the XLSX import.

Cells are text so that what the user typed comes back on an error; they are read in the
page's language by ``economy_services.parse_cell``. :class:`NumberField` reads the other
proposal forms' numbers (budgets, weights, the own discount rate) the same way.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import StyledForm

from .economy_services import (
    LABEL_MAX,
    Cell,
    LineInput,
    Problem,
    TableInvalid,
    cell_problem,
    format_cell,
    parse_cell,
    parse_number,
)
from .models import BudgetArea, EconomicLine, LineGroup, Proposal

NUMBER_MAX_LENGTH = 40


class NumberField(forms.CharField):
    """A number typed and shown in the page's language, read as the table's cells are
    (``parse_number``): "6.000" and "1,5" in Danish, "6,000" and "1.5" in English. A text
    input, since a browser's number input refuses the decimal comma in some languages."""

    def __init__(self, *, max_digits=None, decimal_places=None, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(DecimalValidator(max_digits, decimal_places))
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": NUMBER_MAX_LENGTH})

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        text = super().to_python(value)
        if not text:
            return None
        number = parse_number(text) if len(text) <= NUMBER_MAX_LENGTH else None
        if number is None:
            raise ValidationError(_("Enter a number."), code="invalid")
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            number = Decimal(value)
            places = max(0, -int(number.normalize().as_tuple().exponent))
            return formats.number_format(number, places, use_l10n=True, force_grouping=True)
        return value


def cell_field_name(year: int) -> str:
    return f"y{year}"


class LineForm(StyledForm, forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=LineGroup.choices)
    budget_area = forms.ChoiceField(label=_("Budget area"), choices=BudgetArea.choices)
    label = forms.CharField(label=_("Line"), max_length=LABEL_MAX)

    def __init__(self, *args, proposal: Proposal, line: EconomicLine | None = None, **kwargs):
        if line is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(line)
        super().__init__(*args, **kwargs)
        self.proposal, self.line = proposal, line
        self.years = list(proposal.years)
        for year in self.years:
            # The label names the line as well, so an error summary says which cell it is.
            name = line.label if line is not None else _("New line")
            self.fields[cell_field_name(year)] = forms.CharField(
                label=f"{name}, {year}",
                required=False,
                max_length=100,
                widget=forms.TextInput(
                    attrs={"class": "ds-input economy-cell", "inputmode": "decimal"}
                ),
            )

    @staticmethod
    def initial_of(line: EconomicLine) -> dict:
        initial = {"group": line.group, "budget_area": line.budget_area, "label": line.label}
        for stored in line.values.all():
            initial[cell_field_name(stored.year)] = format_cell(stored)
        return initial

    def clean(self):
        data = super().clean() or {}
        self.cells: dict[int, Cell | None] = {}
        for year in self.years:
            name = cell_field_name(year)
            if name not in data:
                continue
            try:
                cell = parse_cell(data[name])
            except ValidationError as error:
                self.add_error(name, error)
                continue
            # The amounts are checked here too, so that every cell's error shows at once.
            problem = cell_problem(cell) if cell is not None else None
            if problem:
                self.add_error(name, problem)
            else:
                self.cells[year] = cell
        return data

    def is_blank(self) -> bool:
        """A new-line row left empty: nothing to add."""
        return not any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ["label", *(cell_field_name(y) for y in self.years)]
        )

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(data["group"], data["budget_area"], data["label"], self.cells)

    def cell_fields(self):
        return [self[cell_field_name(year)] for year in self.years]

    def add_problem(self, problem: Problem) -> None:
        self.add_error(problem.key if problem.key in self.fields else None, problem.message)


class TableForm:
    """A line form per line (prefix ``l<pk>``) and one for a new line (prefix ``new``): the
    whole table saved at once."""

    def __init__(self, proposal: Proposal, lines: list[EconomicLine], data=None):
        self.proposal, self.data = proposal, data
        self.line_forms = [
            LineForm(data, proposal=proposal, line=line, prefix=f"l{line.pk}") for line in lines
        ]
        self.new_form = LineForm(
            data,
            proposal=proposal,
            prefix="new",
            initial={"group": LineGroup.IMPLEMENTATION, "budget_area": BudgetArea.SERVICE},
        )

    @property
    def forms(self) -> list[LineForm]:
        adding = self.data is not None and not self.new_form.is_blank()
        return [*self.line_forms, *([self.new_form] if adding else [])]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # a list: every form is checked

    def updates(self) -> list[tuple[EconomicLine | None, LineInput]]:
        return [(form.line, form.line_input()) for form in self.forms]

    def add_table_errors(self, error: TableInvalid) -> None:
        forms_ = self.forms
        for problem in error.problems:
            forms_[problem.line].add_problem(problem)

    @property
    def errors(self) -> list[tuple[LineForm, str, str]]:
        """(form, field id, message) of every error, for the summary above the table."""
        found = []
        for form in [*self.line_forms, self.new_form]:
            for message in form.non_field_errors():
                found.append((form, "", str(message)))
            for name, messages in form.errors.items():
                if name == "__all__":
                    continue
                field = form[name]
                found += [(form, field.id_for_label, f"{field.label}: {m}") for m in messages]
        return found


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        help_text=_(
            "The layout of the exported file: line, group, budget area and a column per year."
        ),
    )
