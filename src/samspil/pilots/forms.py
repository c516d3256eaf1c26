"""Forms of the pilot pages. Choices come from the permission-filtered reads; the services
check again, so a tampered choice ends as a form error, never as a write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LabelledChoiceField, LeanSelect, StyledForm
from samspil.core.models import Organisation, Role, User, Visibility
from samspil.events.services import organiser_candidates

from . import rules
from .models import (
    Lesson,
    MaturityStage,
    Outcome,
    PartnerRole,
    Pilot,
    PilotKind,
    PilotStatus,
    Programme,
)
from .services import PARTNER_KINDS, date_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


def led_organisations(user):
    return Organisation.objects.filter(
        pk__in=permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    ).order_by("name")


class PilotFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    organisation = LabelledChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        label_field="name",
    )
    programme = LabelledChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All programmes"),
        label_field="title",
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *PilotKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *PilotStatus.choices]
    )
    maturity = forms.ChoiceField(
        label=_("Maturity stage"),
        required=False,
        choices=[("", _("All stages")), *MaturityStage.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = permissions.pilots_visible_to(user).values("owner_id")
        organisations = permissions.organisations_visible_to(user).filter(pk__in=owners)
        self.fields["organisation"].queryset = organisations.order_by("name")  # type: ignore[attr-defined]
        self.fields["programme"].queryset = permissions.programmes_visible_to(user).order_by(  # type: ignore[attr-defined]
            "title"
        )


class PilotForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Organisation running the pilot"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )
    lead = PersonChoiceField(
        label=_("Pilot lead"), queryset=User.objects.none(), required=False, widget=LeanSelect
    )
    team = PeopleChoiceField(
        label=_("Team"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People of the organisation running the pilot."),
    )

    class Meta:
        model = Pilot
        fields = [
            "title",
            "kind",
            "hypothesis",
            "description",
            "challenge",
            "event",
            "programme",
            "starts_on",
            "planned_end_on",
            "lead",
            "team",
            "visibility",
        ]
        widgets = {
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "starts_on": DateInput(),
            "planned_end_on": DateInput(),
            "challenge": LeanSelect,
            "event": LeanSelect,
            "programme": LeanSelect,
        }
        help_texts = {
            "hypothesis": _(
                "What the pilot will show, e.g. “coding invoices automatically "
                "halves the minutes per invoice”."
            ),
            "kind": _("A gain pilot measures a gain; a learning sandbox explores."),
            "planned_end_on": _("A programme may set a maximum pilot length."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = permissions.challenges_visible_to(user).order_by(  # type: ignore[attr-defined]
            "title", "pk"
        )
        self.fields["event"].queryset = permissions.events_visible_to(user).order_by(  # type: ignore[attr-defined]
            "-starts_at", "pk"
        )
        # A new pilot is offered the programmes it may join; an existing one keeps its own.
        programmes = (
            permissions.programmes_visible_to(user)
            if self.instance.pk
            else permissions.programmes_for_new_pilots(user)
        )
        self.fields["programme"].queryset = programmes.order_by("title", "pk")  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["owner"]
            people = organiser_candidates(self.instance.owner)
            self.initial.setdefault("team", list(self.instance.team.all()))
        else:
            leading = led_organisations(user)
            self.fields["owner"].queryset = leading  # type: ignore[attr-defined]
            self.order_fields(["owner"])
            # People of every organisation the user may start a pilot in; the service keeps
            # those of the chosen one.
            organisations = set().union(
                *(
                    permissions._with_descendants({pk})
                    for pk in permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
                )
            )
            people = User.objects.filter(memberships__organisation_id__in=organisations)
        people = people.distinct().order_by("first_name", "last_name", "username")
        self.fields["lead"].queryset = people  # type: ignore[attr-defined]
        self.fields["team"].queryset = people  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        # Before the model's own check, whose message names the constraint, not the field.
        for name, message in date_errors(data.get("starts_on"), data.get("planned_end_on")).items():
            self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        data["team"] = list(data.get("team") or [])
        return data


class StatusForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    ended_on = forms.DateField(
        label=_("Ended"),
        required=False,
        widget=DateInput(),
        help_text=_("For a completed or stopped pilot; today when left empty."),
    )

    def __init__(self, *args, pilot: Pilot, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = rules.STATUS_TRANSITIONS.get(pilot.status, frozenset())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in PilotStatus.choices if value in allowed
        ]


class MaturityForm(StyledForm, forms.Form):
    maturity = forms.ChoiceField(label=_("Maturity stage"), choices=MaturityStage.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("No outcome yet")), *Outcome.choices],
        help_text=_("Decided at the stage “Outcome”."),
    )
    outcome_reason = forms.CharField(
        label=_("Reason for the outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PartnerForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), widget=LeanSelect
    )
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices)
    contribution = forms.CharField(label=_("Contribution"), required=False, max_length=300)

    def __init__(self, *args, user, pilot: Pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            permissions.organisations_visible_to(user)
            .filter(kind__in=PARTNER_KINDS)
            .exclude(pk=pilot.owner_id)
            .exclude(pk__in=pilot.partners.values("organisation_id"))
            .order_by("name")
        )


class LessonForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class AdoptForm(StyledForm, forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Organisation adopting the pilot"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    planned_end_on = forms.DateField(label=_("Planned end"), widget=DateInput())
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.INTERNAL
    )

    def __init__(self, *args, user, pilot: Pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = led_organisations(user).exclude(pk=pilot.owner_id)  # type: ignore[attr-defined]
