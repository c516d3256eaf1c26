"""Forms of the benefits plan. The choices of owner and holders come from the services' rules;
the services check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import StyledForm
from samspil.core.models import Organisation, User
from samspil.events.concept_forms import DateInput, PersonChoiceField

from .benefit_services import NOTE_MAX, holder_candidates, owner_candidates
from .models import Benefit, BenefitMeasurement, BenefitStatus, Pilot


class BenefitForm(StyledForm, forms.ModelForm):
    owner = PersonChoiceField(
        label=_("Benefit owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label="–",
        help_text=_("The person responsible for realising the benefit and reminded to measure."),
    )
    holders = forms.ModelMultipleChoiceField(
        label=_("Benefit holders"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisations in which the benefit is realised."),
    )

    class Meta:
        model = Benefit
        fields = [
            "benefit_type",
            "indicator",
            "unit",
            "direction",
            "baseline_value",
            "baseline_on",
            "target_value",
            "target_on",
            "owner",
            "holders",
            "measure_every_months",
            "next_measurement_on",
        ]
        widgets = {
            "baseline_on": DateInput(),
            "target_on": DateInput(),
            "next_measurement_on": DateInput(),
        }
        help_texts = {
            "indicator": _("What is measured, e.g. hours spent on invoice coding per month."),
            "unit": _("E.g. hours, DKK, cases."),
            "next_measurement_on": _(
                "Leave it empty to count the months from the latest measurement, or from the "
                "baseline date before the first."
            ),
        }

    def __init__(self, *args, pilot: Pilot, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_candidates(pilot)  # type: ignore[attr-defined]
        self.fields["holders"].queryset = holder_candidates(user, pilot)  # type: ignore[attr-defined]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        data.pop("holders", None)
        return data


class MeasurementForm(StyledForm, forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DateInput())
    value = BenefitMeasurement._meta.get_field("value").formfield()  # type: ignore[union-attr]
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"measured_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=BenefitStatus.choices)
