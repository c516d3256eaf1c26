"""Forms of the buyers panel: invite a buyer, change a buyer's values, exercise an option.
Amounts are typed in whole units of the currency with or without the language's grouping
("160.000.000" in Danish, "160 000 000" in Norwegian); the services check everything again."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Organisation
from samspil.events.concept_forms import DateInput

from . import buyer_queries
from .buyer_services import VALUE_FIELDS
from .models import Buyer, BuyerRole, Procurement


def parse_number(text: str) -> Decimal | None:
    """A number typed in the active language; None when it is not one."""
    cleaned = "".join(text.split()).replace("\u00a0", "").replace("\u202f", "")
    thousands = get_format("THOUSAND_SEPARATOR")
    decimal = get_format("DECIMAL_SEPARATOR")
    if thousands and thousands.strip():
        cleaned = cleaned.replace(thousands, "")
    if decimal != ".":
        cleaned = cleaned.replace(decimal, ".")
    cleaned = cleaned.replace("'", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class NumberField(forms.CharField):
    """Text in, Decimal (or None) out; the text typed stays in the form when refused."""

    default_error_messages = {"invalid": _("Enter a number, such as 160000000.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        number = parse_number(text) if len(text) <= 40 else None
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class BuyerValuesForm(StyledForm, forms.Form):
    """A buyer's volume and values."""

    volume = NumberField(label=_("Estimated volume"))
    volume_unit = forms.CharField(
        label=_("Unit of volume"), required=False, max_length=60, help_text=_("Such as care homes.")
    )
    estimated_value = NumberField(label=_("Estimated value"))
    maximum_value = NumberField(
        label=_("Maximum value"),
        help_text=_("Needed for an option holder: the most it may buy for."),
    )

    def __init__(self, *args, buyer: Buyer | None = None, **kwargs):
        # Own ids: the procurement page also holds the lot form's "estimated value".
        kwargs.setdefault("auto_id", "buyer_%s")
        if buyer is not None:
            kwargs.setdefault("initial", _typed_values(buyer))
        super().__init__(*args, **kwargs)

    def value_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in VALUE_FIELDS}


def _typed_values(buyer: Buyer) -> dict:
    """The buyer's values as the user types them in the active language."""
    values = {"volume_unit": buyer.volume_unit}
    for name in ("volume", "estimated_value", "maximum_value"):
        value = getattr(buyer, name)
        if value is not None and value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        values[name] = "" if value is None else number_format(value, force_grouping=True)
    return values


class InviteBuyerForm(BuyerValuesForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        widget=LeanSelect,
        help_text=_("A public-sector organisation that is not a buyer yet."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (BuyerRole.PARTICIPANT, BuyerRole.PARTICIPANT.label),
            (BuyerRole.OPTION_HOLDER, BuyerRole.OPTION_HOLDER.label),
        ],
    )
    field_order = ["organisation", "role"]

    def __init__(self, *args, procurement: Procurement, **kwargs):
        super().__init__(*args, **kwargs)
        choices = buyer_queries.invitable_organisations(procurement).values_list("pk", "name")
        # Any organisation validates, so that the service names the problem ("a buyer
        # already", "not public sector"); the list offers those that may be invited.
        self.fields["organisation"].widget.choices = [("", "—"), *choices]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"organisation": data["organisation"], "role": data["role"], **self.value_fields()}


class ExerciseOptionForm(StyledForm, forms.Form):
    exercised_on = forms.DateField(
        label=_("Exercised on"),
        required=False,  # the service names a missing date
        widget=DateInput,
    )
