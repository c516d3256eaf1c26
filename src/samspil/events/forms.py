"""Forms of the event pages. Choices come from the permission-filtered reads."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import StyledForm
from samspil.core.models import Organisation, Role, User
from samspil.needs.models import Challenge

from .models import Background, Event, EventKind

# Skills offered as tick boxes; people add others in free text.
SKILL_CHOICES = [
    ("design", _("Service design")),
    ("development", _("Software development")),
    ("data", _("Data analysis")),
    ("law", _("Law and data protection")),
    ("procurement", _("Procurement")),
    ("domain", _("Professional know-how of the field")),
    ("business", _("Business development")),
]
WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EventFilterForm(StyledForm, forms.Form):
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False
    )


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class EventForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Organising organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )
    challenges = forms.ModelMultipleChoiceField(
        label=_("Challenges"),
        queryset=Challenge.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The challenges the event works on."),
    )
    organisers = UserChoiceField(
        label=_("Organisers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People of the organising organisation; you when none is chosen."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_deadline",
            "registration_mode",
            "visibility",
            "agenda",
            "terms",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "terms": forms.Textarea(attrs={"rows": 4}),
            "registration_mode": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        self.fields["challenges"].queryset = (  # type: ignore[attr-defined]
            permissions.challenges_visible_to(user).select_related("owner").order_by("title")
        )
        if self.instance.pk:
            del self.fields["owner"]
            owner = self.instance.owner
            self.initial.setdefault("challenges", list(self.instance.challenges.all()))
            self.initial.setdefault("organisers", list(self.instance.organisers.all()))
        else:
            leading = Organisation.objects.filter(
                pk__in=permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
            ).order_by("name")
            self.fields["owner"].queryset = leading  # type: ignore[attr-defined]
            owner = leading.first()
            self.order_fields(["owner"])
        if owner is not None:
            from .services import organiser_candidates

            organisations = permissions._with_descendants({owner.pk})
            if not self.instance.pk:
                organisations = set().union(
                    *(
                        permissions._with_descendants({pk})
                        for pk in permissions.organisations_with_role(
                            user, Role.Code.INNOVATION_LEAD
                        )
                    )
                )
                candidates = User.objects.filter(memberships__organisation_id__in=organisations)
            else:
                candidates = organiser_candidates(owner)
            self.fields["organisers"].queryset = candidates.distinct().order_by(  # type: ignore[attr-defined]
                "first_name", "last_name", "username"
            )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        if not data.get("organisers"):
            data.pop("organisers", None)  # the creator on a new event; unchanged on an edit
        return data


class RegistrationForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The confirmation and the link to cancel are sent here."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    background = forms.ChoiceField(
        label=_("Background"), choices=Background.choices, widget=forms.RadioSelect
    )
    skill_choices = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=SKILL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_skills = forms.CharField(
        label=_("Other skills"),
        max_length=300,
        required=False,
        help_text=_("Separate them with commas."),
    )
    accepted_terms = forms.BooleanField(label=_("I accept the event's terms"), required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        if not event.terms:
            del self.fields["accepted_terms"]

    def skills(self) -> list[str]:
        # Kept in English, so that organisers compare like with like whatever the page's language.
        with translation.override("en"):
            labels = dict(SKILL_CHOICES)
            chosen = [str(labels[key]) for key in self.cleaned_data.get("skill_choices", [])]
        return chosen + self.cleaned_data.get("other_skills", "").split(",")
