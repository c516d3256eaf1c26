"""Forms of the KPI page: a KPI (own, or from the catalogue), a measurement and an import."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm

from . import kpi_import
from .kpi_services import NAME_MAX, NOTE_MAX, UNIT_MAX
from .models import Direction, Kpi, KpiDefinition

DIGITS = 18
DECIMALS = 4


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DefinitionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.unit}, {obj.get_direction_display()})"


def _number(label, required: bool = True, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=DIGITS, decimal_places=DECIMALS, **kwargs
    )


class KpiForm(StyledForm, forms.Form):
    """A KPI. With a definition from the catalogue the unit and direction are the
    definition's (the fields are then ignored), and the name is the definition's unless one
    is typed."""

    definition = DefinitionChoiceField(
        label=_("From the KPI catalogue"),
        queryset=KpiDefinition.objects.none(),
        required=False,
        empty_label=_("None: define the KPI here"),
        widget=LeanSelect,
        help_text=_(
            "A shared definition lets the benchmark compare your pilot with others measuring "
            "the same; its unit and direction are then used."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX, required=False)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=UNIT_MAX,
        required=False,
        help_text=_("Per unit of work, such as minutes per invoice."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Choose …")), *Direction.choices],
    )
    baseline_value = _number(_("Baseline"))
    baseline_on = forms.DateField(label=_("Baseline date"), widget=DateInput)
    target_value = _number(_("Target"), required=False)
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DateInput)

    def __init__(self, *args, user, kpi: Kpi | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["definition"]
        field.queryset = permissions.kpi_definitions_visible_to(user).order_by(  # type: ignore[attr-defined]
            "name", "pk"
        )
        self.locked = bool(kpi is not None and kpi.pk and kpi.measurements.exists())
        if self.locked:
            for name in ("unit", "direction"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "The KPI has measurements: its unit and direction stay."
                )

    @staticmethod
    def initial_of(kpi: Kpi) -> dict:
        names = ("name", "unit", "direction", "baseline_value", "baseline_on")
        initial = {name: getattr(kpi, name) for name in names}
        initial.update(
            definition=kpi.definition_id, target_value=kpi.target_value, target_on=kpi.target_on
        )
        return initial

    def clean(self):
        data = super().clean() or {}
        if not data.get("definition"):
            if not data.get("name") and "name" not in self.errors:
                self.add_error("name", _("Give the KPI a name, or choose one from the catalogue."))
            if not data.get("unit") and "unit" not in self.errors:
                self.add_error("unit", _("Give the unit, such as minutes per invoice."))
            if not data.get("direction") and "direction" not in self.errors:
                self.add_error("direction", _("Choose whether lower or higher is better."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "definition": data.get("definition"),
            "name": data.get("name", ""),
            "baseline_value": data["baseline_value"],
            "baseline_on": data["baseline_on"],
            "target_value": data.get("target_value"),
            "target_on": data.get("target_on"),
        }
        if not kwargs["definition"]:
            kwargs.update(unit=data.get("unit", ""), direction=data.get("direction", ""))
        return kwargs


class MeasurementForm(StyledForm, forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DateInput)
    value = _number(_("Value"))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, kpi: Kpi, replace_choice: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.fields["value"].label = format_lazy("{} ({})", _("Value"), kpi.unit)
        self.fields["measured_on"].widget.attrs.update(
            min=kpi.baseline_on.isoformat(), max=timezone.localdate().isoformat()
        )
        if replace_choice:
            self.fields["replace"] = forms.BooleanField(
                label=_("Replace a value on the same day"), required=False
            )

    @staticmethod
    def initial_of(measurement) -> dict:
        return {
            "measured_on": measurement.measured_on,
            "value": measurement.value,
            "note": measurement.note,
        }


class ImportForm(StyledForm, forms.Form):
    kpi = forms.TypedChoiceField(label=_("KPI"), coerce=int)
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=format_lazy(
            "{} {}",
            _(
                "CSV or XLSX with the columns date and value, and optionally unit and note; "
                "the first row names them."
            ),
            _("At most 2 MB and 10,000 rows."),
        ),
    )
    replace = forms.BooleanField(label=_("Replace values on days that have one"), required=False)

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = [(k.pk, str(k)) for k in kpis]  # type: ignore[attr-defined]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > kpi_import.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
