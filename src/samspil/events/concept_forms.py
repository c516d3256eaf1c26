"""Forms of the concept and preparation pages. Choices come from the permission rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import StyledForm
from samspil.core.models import Organisation, Role, User

from .concept_services import DAYS_LIMIT, DEFAULT_DAYS
from .forms import DateTimeInput
from .models import ConceptTask, Event, EventConcept, EventTask, TaskStatus
from .services import organiser_candidates


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


def responsible_candidates(event: Event):
    """Who may be responsible for a task: the people who may organise the event."""
    return organiser_candidates(event.owner).order_by("first_name", "last_name", "username")


class ConceptForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )
    standard_tasks = forms.BooleanField(
        label=_("Start with the standard checklist for a hackathon as market dialogue"),
        required=False,
        initial=True,
        help_text=_("Data access, data protection, terms, invitations, venue, jury, catering …"),
    )

    class Meta:
        model = EventConcept
        fields = ["title", "kind", "description", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["owner"]
            del self.fields["standard_tasks"]
        else:
            self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
            ).order_by("name")
            self.order_fields(["owner"])

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        data.pop("standard_tasks", None)
        return data


class ConceptTaskForm(StyledForm, forms.ModelForm):
    days_before_start = forms.IntegerField(
        label=_("Days before the event"),
        min_value=-DAYS_LIMIT,
        max_value=DAYS_LIMIT,
        initial=DEFAULT_DAYS,
        help_text=_(
            "When the task is due, counted back from the day the event starts; "
            "a negative number is after the start."
        ),
    )

    class Meta:
        model = ConceptTask
        fields = ["title", "area", "description", "days_before_start"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EventTaskForm(StyledForm, forms.ModelForm):
    responsible = PersonChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False, empty_label="–"
    )

    class Meta:
        model = EventTask
        fields = ["title", "area", "description", "responsible", "due_on", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_candidates(event)  # type: ignore[attr-defined]


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)


class TaskAssignForm(forms.Form):
    responsible = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = organiser_candidates(event.owner)  # type: ignore[attr-defined]


TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _event_field(name: str, **options):
    """A form field with the label and help of the event's own field."""
    return Event._meta.get_field(name).formfield(**options)  # type: ignore[union-attr]


class CopyEventForm(StyledForm, forms.Form):
    """The new title and times of a copy; everything else comes from the event copied.
    A plain form: the service checks the times and says in words what is wrong."""

    title = _event_field("title")
    starts_at = _event_field("starts_at", widget=DateTimeInput(), input_formats=TIME_FORMATS)
    ends_at = _event_field("ends_at", widget=DateTimeInput(), input_formats=TIME_FORMATS)
    registration_deadline = _event_field(
        "registration_deadline", widget=DateTimeInput(), input_formats=TIME_FORMATS
    )
    submission_deadline = _event_field(
        "submission_deadline", widget=DateTimeInput(), input_formats=TIME_FORMATS
    )
