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
            "submission_deadline",
            "winner_count",
            "hourly_rate",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
            "submission_deadline": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "terms": forms.Textarea(attrs={"rows": 4}),
            "registration_mode": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_deadline", "submission_deadline"):
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


RULE_ROWS = 3  # rows offered for each kind of rule: together, apart, pinned


class GroupingForm(StyledForm, forms.Form):
    """Sizes, weights and rules for diverse groups; people are the participants to group."""

    group_count = forms.IntegerField(
        label=_("Number of groups"), required=False, min_value=1, max_value=500
    )
    group_size = forms.IntegerField(
        label=_("Or people per group"), required=False, min_value=1, max_value=500
    )
    min_size = forms.IntegerField(
        label=_("Smallest group"),
        required=False,
        min_value=0,
        max_value=500,
        help_text=_("Leave empty for groups as equal as possible."),
    )
    max_size = forms.IntegerField(
        label=_("Largest group"), required=False, min_value=0, max_value=500
    )
    weight_background = forms.FloatField(
        label=_("Weight of mixed backgrounds"), initial=1.0, min_value=0, max_value=10
    )
    weight_organisation = forms.FloatField(
        label=_("Weight of mixed organisations"), initial=1.0, min_value=0, max_value=10
    )
    weight_skills = forms.FloatField(
        label=_("Weight of mixed skills"), initial=1.0, min_value=0, max_value=10
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "–"), *((str(r.pk), r.name) for r in participants)]
        for kind, label in (("together", _("Together")), ("apart", _("Apart"))):
            for i in range(1, RULE_ROWS + 1):
                for side, side_label in (("a", _("first person")), ("b", _("second person"))):
                    self.fields[f"{kind}_{i}_{side}"] = forms.TypedChoiceField(
                        label=f"{label} {i}: {side_label}",
                        choices=choices,
                        coerce=int,
                        empty_value=None,
                        required=False,
                    )
        for i in range(1, RULE_ROWS + 1):
            self.fields[f"pin_{i}_person"] = forms.TypedChoiceField(
                label=_("Pinned %(number)d: person") % {"number": i},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"pin_{i}_group"] = forms.IntegerField(
                label=_("Pinned %(number)d: group number") % {"number": i},
                required=False,
                min_value=1,
                max_value=500,
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        one_given = (data.get("group_count") is None) != (data.get("group_size") is None)
        typed_badly = self.has_error("group_count") or self.has_error("group_size")
        if not one_given and not typed_badly:
            self.add_error("group_count", _("Give either the number of groups or the group size."))
        for kind in ("together", "apart"):
            for i in range(1, RULE_ROWS + 1):
                a, b = data.get(f"{kind}_{i}_a"), data.get(f"{kind}_{i}_b")
                if (a is None) != (b is None):
                    self.add_error(f"{kind}_{i}_b", _("Choose both people or neither."))
        for i in range(1, RULE_ROWS + 1):
            person, group = data.get(f"pin_{i}_person"), data.get(f"pin_{i}_group")
            if (person is None) != (group is None):
                self.add_error(f"pin_{i}_group", _("Choose the person and the group."))
        return data

    def rule_rows(self, kind: str) -> list[tuple]:
        return [(self[f"{kind}_{i}_a"], self[f"{kind}_{i}_b"]) for i in range(1, RULE_ROWS + 1)]

    def together_rows(self) -> list[tuple]:
        return self.rule_rows("together")

    def apart_rows(self) -> list[tuple]:
        return self.rule_rows("apart")

    def pin_rows(self) -> list[tuple]:
        return [(self[f"pin_{i}_person"], self[f"pin_{i}_group"]) for i in range(1, RULE_ROWS + 1)]

    def size_fields(self) -> list:
        return [self[n] for n in ("group_count", "group_size", "min_size", "max_size")]

    def weight_fields(self) -> list:
        return [self[n] for n in ("weight_background", "weight_organisation", "weight_skills")]

    def settings(self):
        from samspil.optimisation.grouping import AttributeWeights

        from .services import GroupingSettings

        data = self.cleaned_data

        def pairs(kind: str) -> list[tuple[int, int]]:
            rows = [
                (data.get(f"{kind}_{i}_a"), data.get(f"{kind}_{i}_b"))
                for i in range(1, RULE_ROWS + 1)
            ]
            return [(a, b) for a, b in rows if a is not None and b is not None]

        pinned = {}
        for i in range(1, RULE_ROWS + 1):
            person, group = data.get(f"pin_{i}_person"), data.get(f"pin_{i}_group")
            if person is not None and group is not None:
                pinned[person] = group
        return GroupingSettings(
            group_count=data.get("group_count"),
            group_size=data.get("group_size"),
            min_size=data.get("min_size"),
            max_size=data.get("max_size"),
            weights=AttributeWeights(
                background=data["weight_background"],
                organisation=data["weight_organisation"],
                skills=data["weight_skills"],
            ),
            together=pairs("together"),
            apart=pairs("apart"),
            pinned=pinned,
        )

    @staticmethod
    def initial_from(settings) -> dict:
        """The form's values for stored settings (a ``GroupingSettings``)."""
        initial: dict = {
            "group_count": settings.group_count,
            "group_size": settings.group_size,
            "min_size": settings.min_size,
            "max_size": settings.max_size,
            "weight_background": settings.weights.background,
            "weight_organisation": settings.weights.organisation,
            "weight_skills": settings.weights.skills,
        }
        for kind in ("together", "apart"):
            for i, (a, b) in enumerate(getattr(settings, kind)[:RULE_ROWS], start=1):
                initial[f"{kind}_{i}_a"], initial[f"{kind}_{i}_b"] = a, b
        for i, (person, group) in enumerate(list(settings.pinned.items())[:RULE_ROWS], start=1):
            initial[f"pin_{i}_person"], initial[f"pin_{i}_group"] = person, group
        return initial


class MoveForm(forms.Form):
    registration = forms.IntegerField()
    group = forms.IntegerField(min_value=1, max_value=500)
