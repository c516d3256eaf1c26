"""Forms of the competence pool: filter, add or change a person, assign them. The services
check everything again (membership, shares, the load over the period)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Organisation, User
from samspil.events.concept_forms import DateInput
from samspil.events.models import Event
from samspil.pilots.models import Pilot

from . import pool_queries, pool_services
from .models import Competence, Hub, PoolMember


class PoolFilterForm(StyledForm, forms.Form):
    competence = forms.ChoiceField(
        label=_("Competence"),
        required=False,
        choices=[("", _("All competences")), *Competence.choices],
    )


def _person_label(user: User) -> str:
    name = user.get_full_name() or user.email
    return f"{name} ({user.job_title})" if user.job_title else name


class PoolMemberForm(StyledForm, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.all(),
        widget=LeanSelect,
        help_text=_("A member of the organisation who is not in the pool yet."),
    )
    competences = forms.MultipleChoiceField(
        label=_("Competences"),
        required=False,  # the service names a missing choice
        choices=Competence.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    available_percent = forms.IntegerField(
        label=_("Share of time available (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("How much of their time the person can give to projects."),
    )
    hub = forms.ModelChoiceField(label=_("Hub"), required=False, queryset=Hub.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(
        self, *args, organisation: Organisation, member: PoolMember | None = None, **kwargs
    ):
        if member is not None:
            kwargs.setdefault(
                "initial",
                {
                    "competences": member.competences,
                    "available_percent": member.available_percent,
                    "hub": member.hub_id,
                    "note": member.note,
                },
            )
        super().__init__(*args, **kwargs)
        if member is not None:
            del self.fields["user"]
        else:
            people = pool_queries.candidates(organisation)[: pool_queries.CHOICES_LIMIT]
            self.fields["user"].widget.choices = [("", "—")] + [
                (p.pk, _person_label(p)) for p in people
            ]
        hubs = Hub.objects.filter(owner__in=pool_services._lineage(organisation))
        self.fields["hub"].queryset = hubs  # type: ignore[attr-defined]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "competences": data["competences"],
            "available_percent": data["available_percent"],
            "note": data["note"],
            "hub": data["hub"],
        }
        if "user" in data:
            fields["user"] = data["user"]
        return fields


class AssignmentForm(StyledForm, forms.Form):
    pilot = forms.ModelChoiceField(
        label=_("Pilot"),
        required=False,
        queryset=Pilot.objects.none(),
        widget=LeanSelect,
        help_text=_("A pilot or an event, not both."),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        required=False,
        queryset=Event.objects.none(),
        widget=LeanSelect,
    )
    competence = forms.ChoiceField(label=_("As"), required=False)
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    percent = forms.IntegerField(
        label=_("Share of time (%)"), required=False, min_value=1, max_value=100
    )

    def __init__(self, *args, user, member: PoolMember, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        pilots = pool_queries.assignable_pilots(user)
        events = pool_queries.assignable_events(user, today)
        self.fields["pilot"].queryset = pilots  # type: ignore[attr-defined]
        self.fields["event"].queryset = events  # type: ignore[attr-defined]
        limit = pool_queries.CHOICES_LIMIT
        self.fields["pilot"].widget.choices = [
            ("", "—"),
            *list(pilots.values_list("pk", "title")[:limit]),
        ]
        self.fields["event"].widget.choices = [
            ("", "—"),
            *list(events.values_list("pk", "title")[:limit]),
        ]
        labels = dict(Competence.choices)
        self.fields["competence"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (code, labels[code]) for code in member.competences if code in labels
        ]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "pilot": data["pilot"],
            "event": data["event"],
            "competence": data["competence"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "percent": data["percent"],
        }
