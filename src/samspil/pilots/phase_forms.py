"""Forms of the phase pages: a decision at a decision point, an own checklist item, and an
organisation's own phase model (phases first, then the decision points between them)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import StyledForm
from samspil.core.models import Organisation

from .models import TEXT_MAX, DecisionOutcome, DecisionPoint
from .phase_services import (
    DECIDED_BY_MAX,
    ITEM_MAX,
    NAME_MAX,
    clean_phase_names,
    generated_point_name,
)

PK_MAX = 2**63 - 1  # larger ids cannot be looked up (SQLite refuses them)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def text_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class DecisionForm(StyledForm, forms.Form):
    # Named "point", not "decision_point": the service's order errors then show above the
    # form rather than on a hidden field.
    point = forms.IntegerField(
        label=_("Decision point"), widget=forms.HiddenInput, min_value=1, max_value=PK_MAX
    )
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=DECIDED_BY_MAX,
        help_text=_("The person or body, e.g. the steering group."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    documents = forms.CharField(
        label=_("Documents decided on"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One title or link a line."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    @staticmethod
    def initial_for(point: DecisionPoint) -> dict:
        return {
            "point": point.pk,
            "outcome": DecisionOutcome.GO,
            "decided_on": timezone.localdate(),
            "documents": point.documents,
        }


class ChecklistItemForm(StyledForm, forms.Form):
    text = forms.CharField(label=_("New item"), max_length=ITEM_MAX)


class PhaseModelForm(StyledForm, forms.Form):
    """Name and phases; given ``phase_names`` it adds, for each phase, a checklist and,
    between each two, the name and documents of the decision point (G1…Gn)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phases = forms.CharField(
        label=_("Phases"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One phase a line, in order: from 2 to 12 phases."),
    )
    # How many phases the decision points below were made for: a changed list of phases
    # shows them again before anything is saved.
    shown = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations, phase_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.phase_names = list(phase_names)
        self.sections: list[dict] = []
        for index, phase in enumerate(self.phase_names, start=1):
            checklist = f"checklist_{index}"
            self.fields[checklist] = forms.CharField(
                label=_("Checklist of %(phase)s") % {"phase": phase},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One item a line."),
            )
            section = {"phase": phase, "checklist": checklist, "point": None}
            if index < len(self.phase_names):
                point, documents = f"point_{index}", f"documents_{index}"
                self.fields[point] = forms.CharField(
                    label=_("Name of decision point G%(number)d") % {"number": index},
                    max_length=NAME_MAX,
                    required=False,
                    help_text=_("Between %(before)s and %(after)s.")
                    % {"before": phase, "after": self.phase_names[index]},
                )
                self.fields[documents] = forms.CharField(
                    label=_("Documents decided on at G%(number)d") % {"number": index},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("One document a line."),
                )
                section.update(point=point, documents=documents, code=f"G{index}")
            self.sections.append(section)
        # StyledForm styled the fields that existed when it ran.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def main_fields(self):
        return [self[name] for name in ("organisation", "name", "description", "phases")]

    def section_fields(self):
        """Per phase: its checklist field and the decision point fields that close it."""
        return [
            {
                "phase": s["phase"],
                "checklist": self[s["checklist"]],
                "code": s.get("code"),
                "point": self[s["point"]] if s["point"] else None,
                "documents": self[s["documents"]] if s["point"] else None,
            }
            for s in self.sections
        ]

    def clean_phases(self):
        names, errors = clean_phase_names(text_lines(self.cleaned_data["phases"]))
        if errors:
            raise forms.ValidationError(errors["phases"])
        return names

    @staticmethod
    def generated_initial(phase_names: list[str], data) -> dict:
        """Decision point names made from the phases, keeping any the person typed."""
        initial = {}
        for index, phase in enumerate(phase_names, start=1):
            initial[f"checklist_{index}"] = data.get(f"checklist_{index}", "")
            if index < len(phase_names):
                typed = (data.get(f"point_{index}") or "").strip()
                initial[f"point_{index}"] = typed or generated_point_name(phase, phase_names[index])
                initial[f"documents_{index}"] = data.get(f"documents_{index}", "")
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        count = len(self.phase_names)
        return {
            "name": data["name"],
            "description": data["description"],
            "phases": data["phases"],
            "decision_points": [data.get(f"point_{i}", "") for i in range(1, count)],
            "checklists": [text_lines(data.get(f"checklist_{i}", "")) for i in range(1, count + 1)],
            "documents": [text_lines(data.get(f"documents_{i}", "")) for i in range(1, count)],
        }
