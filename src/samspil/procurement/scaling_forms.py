"""Forms of the scaling-process pages. Choices come from the permission-filtered reads; any
organisation, event or procurement validates so that the services name the problem."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Currency, Organisation, Visibility
from samspil.events.concept_forms import DateInput
from samspil.needs.challenge_forms import CRITERIA, CRITERIA_CHOICES

from . import scaling_queries
from .buyer_forms import NumberField
from .forms import creating_organisations
from .models import TEXT_MAX, TITLE_MAX, Procurement, ScalingRole, ScalingStep

ROLE_CHOICES = ScalingRole.choices


class ProcessForm(StyledForm, forms.Form):
    """Start (with the facilitating organisation) or edit a scaling process."""

    owner = forms.ModelChoiceField(
        label=_("Facilitating organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_(
            "Your organisation runs the process; you are its procurement officer or "
            "innovation lead."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    criteria = forms.MultipleChoiceField(
        label=_("CO-PI scaling criteria"),
        choices=CRITERIA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the criteria the process meets; all three are needed."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[("", _("The organisation's")), *Currency.choices],
        required=False,
    )
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DateInput())
    challenge = forms.IntegerField(widget=forms.HiddenInput, required=False)
    procurement = forms.ModelChoiceField(
        label=_("Tender"),
        queryset=Procurement.objects.all(),
        required=False,
        widget=LeanSelect,
        help_text=_("The procurement that came of the process, once it is started."),
    )

    def __init__(self, *args, user, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        if process is None:
            owner = cast(forms.ModelChoiceField, self.fields["owner"])
            owner.queryset = creating_organisations(user)
            del self.fields["procurement"]
        else:
            del self.fields["owner"]
            del self.fields["challenge"]
            choices = scaling_queries.linkable_procurements(user, process).values_list(
                "pk", "title"
            )
            self.fields["procurement"].widget.choices = [("", "—"), *choices]

    @staticmethod
    def initial_from(process) -> dict:
        return {
            "title": process.title,
            "description": process.description,
            "criteria": [name for name in CRITERIA if getattr(process, name)],
            "visibility": process.visibility,
            "currency": process.currency,
            "started_on": process.started_on,
            "procurement": process.procurement_id,
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        chosen = set(data.get("criteria") or [])
        fields = {
            "title": data["title"],
            "description": data["description"],
            "visibility": data["visibility"],
            "started_on": data["started_on"],
            **{name: name in chosen for name in CRITERIA},
        }
        if data.get("currency"):
            fields["currency"] = data["currency"]
        if "procurement" in self.fields:
            fields["procurement"] = data["procurement"]
        return fields


class CriteriaForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        label=_("CO-PI scaling criteria"),
        choices=CRITERIA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "criteria_%s")
        super().__init__(*args, **kwargs)

    def service_fields(self) -> dict:
        chosen = set(self.cleaned_data.get("criteria") or [])
        return {name: name in chosen for name in CRITERIA}


class ParticipantForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        widget=LeanSelect,
        help_text=_("An organisation that does not take part yet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=ScalingRole.OBSERVER)

    def __init__(self, *args, process=None, **kwargs):
        kwargs.setdefault("auto_id", "participant_%s")
        super().__init__(*args, **kwargs)
        if process is not None:
            choices = scaling_queries.addable_organisations(process).values_list("pk", "name")
            self.fields["organisation"].widget.choices = [("", "—"), *choices]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class StepDoneForm(StyledForm, forms.Form):
    step = forms.ChoiceField(choices=ScalingStep.choices, widget=forms.HiddenInput, required=False)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput(), required=False)
    note = forms.CharField(
        label=_("What came of it"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    event = forms.IntegerField(
        label=_("Event"),
        required=False,
        widget=LeanSelect,
        help_text=_("A workshop, matchmaking or supplier conference where it happened."),
    )

    def __init__(self, *args, user=None, process=None, **kwargs):
        kwargs.setdefault("auto_id", "step_%s")
        super().__init__(*args, **kwargs)
        choices = []
        if user is not None and process is not None:
            choices = list(
                scaling_queries.linkable_events(user, process).values_list("pk", "title")
            )
        self.fields["event"].widget.choices = [("", "—"), *choices]


class CommitmentForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        widget=LeanSelect,
        help_text=_("A participating organisation without a letter of intent yet."),
    )
    volume = NumberField(label=_("Volume"))
    volume_unit = forms.CharField(
        label=_("Unit of volume"),
        required=False,
        max_length=60,
        help_text=_("Such as machines or tonnes."),
    )
    value = NumberField(label=_("Value"), help_text=_("In whole units of the currency."))
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput(), required=False)
    signed_by = forms.CharField(
        label=_("Signed by"), max_length=200, required=False, help_text=_("Name and title.")
    )

    def __init__(self, *args, choices=(), **kwargs):
        kwargs.setdefault("auto_id", "commitment_%s")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.choices = [("", "—"), *choices]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "volume": data["volume"],
            "volume_unit": data["volume_unit"],
            "value": data["value"],
            "signed_on": data["signed_on"],
            "signed_by": data["signed_by"],
        }


class AdoptionForm(StyledForm, forms.Form):
    counted_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    organisations = forms.IntegerField(
        label=_("Organisations that have bought it"),
        required=False,
        min_value=0,
        error_messages={"invalid": _("Enter a whole number, such as 29.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "adoption_%s")
        super().__init__(*args, **kwargs)


class ProcessFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
