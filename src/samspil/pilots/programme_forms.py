"""Forms of the programme pages. Choices come from the permission-filtered reads; the services
check again, so a tampered choice ends as a form error, never as a write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Organisation, Role, User

from . import programme_queries
from .forms import DateInput, PeopleChoiceField, PersonChoiceField, led_organisations
from .models import PhaseModel, Pilot, Programme
from .programme_services import co_owner_candidates, programme_people


class ProgrammeForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Organisation running the programme"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )
    co_owners = forms.ModelMultipleChoiceField(
        label=_("Co-owners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Public-sector organisations that share the programme, such as districts."),
    )
    board = PeopleChoiceField(
        label=_("Board"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "People of the organisation running the programme or of a co-owner; save new "
            "co-owners first to choose their people."
        ),
    )
    coordinator = PersonChoiceField(
        label=_("Coordinator"), queryset=User.objects.none(), required=False, widget=LeanSelect
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "description",
            "co_owners",
            "board",
            "coordinator",
            "starts_on",
            "ends_on",
            "method",
            "phase_model",
            "gain_target_percent",
            "max_pilot_months",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        help_texts = {
            "max_pilot_months": _("Pilots planned or running longer are flagged, e.g. 6."),
            "phase_model": _("The phase model new pilots of the programme follow."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_owners"].queryset = co_owner_candidates(user).order_by("name")  # type: ignore[attr-defined]
        programme = self.instance if self.instance.pk else None
        if programme is not None:
            del self.fields["owner"]
            owners = [programme.owner_id]
            people = programme_people(programme.owner, list(programme.co_owners.all()))
            self.initial.setdefault("co_owners", list(programme.co_owners.all()))
            self.initial.setdefault("board", list(programme.board.all()))
        else:
            leading = led_organisations(user)
            self.fields["owner"].queryset = leading  # type: ignore[attr-defined]
            self.order_fields(["owner"])
            owners = list(leading.values_list("pk", flat=True))
            # People of every organisation the user may run a programme in; the service
            # keeps those of the chosen one.
            people = programme_people_of_led(user)
        people = people.distinct().order_by("first_name", "last_name", "username")
        self.fields["board"].queryset = people  # type: ignore[attr-defined]
        self.fields["coordinator"].queryset = people  # type: ignore[attr-defined]
        self.fields["phase_model"].queryset = PhaseModel.objects.filter(  # type: ignore[attr-defined]
            Q(organisation__isnull=True) | Q(organisation_id__in=owners)
        ).order_by("name", "pk")

    def clean(self):
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        # Before the model's constraint check, whose message names the constraint.
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The programme must not end before it starts."))
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        data["co_owners"] = list(data.get("co_owners") or [])
        data["board"] = list(data.get("board") or [])
        return data


def programme_people_of_led(user):
    """People of the trees of the organisations where the user leads innovation."""
    organisations = set().union(
        *(
            permissions._with_descendants({pk})
            for pk in permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
        )
    )
    return User.objects.filter(memberships__organisation_id__in=organisations)


class PilotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} · {obj.owner.name}"


class AttachPilotForm(StyledForm, forms.Form):
    pilot = PilotChoiceField(
        label=_("Pilot"),
        queryset=Pilot.objects.none(),
        widget=LeanSelect,
        help_text=_(
            "Pilots in no programme, run by the organisation running the programme or a co-owner."
        ),
    )

    def __init__(self, *args, user, programme: Programme, organisations: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = programme_queries.attachable_pilots(  # type: ignore[attr-defined]
            user, programme, organisations
        )


class OrganisationChoiceForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=LeanSelect,
    )

    def __init__(self, *args, user, chosen: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = programme_queries.overview_organisations(user)
        if chosen is not None:
            # Another organisation the user sees, opened by its link, stays selectable.
            choices = Organisation.objects.filter(
                Q(pk__in=choices.values("pk")) | Q(pk=chosen.pk)
            ).order_by("name")
        self.fields["organisation"].queryset = choices  # type: ignore[attr-defined]
