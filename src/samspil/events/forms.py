"""Forms of the event pages. Choices come from the permission-filtered reads."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import StyledForm
from samspil.core.models import Organisation, Role, User
from samspil.needs.models import Challenge
from samspil.optimisation.grouping import AttributeWeights

from .models import Background, Event, EventKind
from .services import RULES_MAX, GroupingSettings

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


# Rows of grouping rules: one formset per kind, as long as the organiser needs.
RULE_KINDS = ("together", "apart", "pin")


class PairRuleForm(StyledForm, forms.Form):
    """Two people who must share a group (or must not): both chosen, or neither."""

    a = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    b = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, choices, kind_label, number, **kwargs):
        super().__init__(*args, **kwargs)
        for name, side in (("a", _("first person")), ("b", _("second person"))):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
            self.fields[name].label = f"{kind_label} {number}: {side}"

    def clean(self):
        data = super().clean() or {}
        typed_badly = self.has_error("a") or self.has_error("b")
        if not typed_badly and (data.get("a") is None) != (data.get("b") is None):
            self.add_error("b", _("Choose both people or neither."))
        return data

    def pair(self) -> tuple[int, int] | None:
        a, b = self.cleaned_data.get("a"), self.cleaned_data.get("b")
        return (a, b) if a is not None and b is not None else None


class PinRuleForm(StyledForm, forms.Form):
    """One person kept in one group (numbered from 1)."""

    person = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    group = forms.IntegerField(required=False, min_value=1, max_value=500)

    def __init__(self, *args, choices, number, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = choices  # type: ignore[attr-defined]
        self.fields["person"].label = _("Pinned %(number)d: person") % {"number": number}
        self.fields["group"].label = _("Pinned %(number)d: group number") % {"number": number}

    def clean(self):
        data = super().clean() or {}
        typed_badly = self.has_error("person") or self.has_error("group")
        if not typed_badly and (data.get("person") is None) != (data.get("group") is None):
            self.add_error("group", _("Choose the person and the group."))
        return data

    def pin(self) -> tuple[int, int] | None:
        person, group = self.cleaned_data.get("person"), self.cleaned_data.get("group")
        return (person, group) if person is not None and group is not None else None


class RuleFormSet(forms.BaseFormSet):
    """Each row is told its number (from 1), which its labels show."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}


class PinFormSet(RuleFormSet):
    def clean(self):
        # A second pin for one person would silently replace the first.
        groups: dict[int, int] = {}
        for form in self.forms:
            pin = form.pin() if form.is_valid() else None
            if pin and groups.setdefault(pin[0], pin[1]) != pin[1]:
                form.add_error("person", _("This person is already pinned to another group."))


def _rule_formset(form, formset):
    return forms.formset_factory(
        form,
        formset=formset,
        extra=1,
        max_num=RULES_MAX,
        absolute_max=RULES_MAX,
        validate_max=True,
    )


RULE_FORMSETS = {
    "together": _rule_formset(PairRuleForm, RuleFormSet),
    "apart": _rule_formset(PairRuleForm, RuleFormSet),
    "pin": _rule_formset(PinRuleForm, PinFormSet),
}
PAIR_LABELS = {"together": _("Together"), "apart": _("Apart")}


class GroupingForm(StyledForm, forms.Form):
    """Sizes, weights and rules for diverse groups; people are the participants to group.

    The rules are three formsets (``rules["together"|"apart"|"pin"]``, prefixes the same);
    ``initial`` may hold a list of rows for each. Unbound, each kind shows ``blank_rows``
    empty rows after the given ones (one unless told).
    """

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

    def __init__(self, data=None, *, participants=(), blank_rows=None, **kwargs):
        super().__init__(data, **kwargs)
        self.participants = list(participants)
        self.rules = {}
        for kind in RULE_KINDS:
            formset = RULE_FORMSETS[kind](
                data,
                prefix=kind,
                initial=self.initial.get(kind) or None,
                form_kwargs=self.rule_kwargs(kind, self.participants),
            )
            if blank_rows is not None:
                formset.extra = blank_rows.get(kind, 0)
            self.rules[kind] = formset

    @staticmethod
    def rule_kwargs(kind: str, participants) -> dict:
        kwargs: dict = {"choices": [("", "–"), *((str(r.pk), r.name) for r in participants)]}
        if kind in PAIR_LABELS:
            kwargs["kind_label"] = PAIR_LABELS[kind]
        return kwargs

    @classmethod
    def blank_rule(cls, kind: str, index: int, participants) -> forms.Form:
        """Row ``index`` (from 0) of the ``kind`` rules, empty and focused: the row that
        "Add a rule" appends."""
        formset = RULE_FORMSETS[kind]
        row = formset.form(
            prefix=f"{kind}-{index}",
            number=index + 1,
            use_required_attribute=False,
            **cls.rule_kwargs(kind, participants),
        )
        row.fields[next(iter(row.fields))].widget.attrs["autofocus"] = True
        return row

    def with_rule_added(self, kind: str) -> "GroupingForm":
        """This (sent) form unbound again, everything typed kept, one more blank ``kind`` row:
        adding a row without JavaScript shows no errors for a form not yet submitted."""
        typed: dict = {name: self[name].value() for name in self.fields}
        for name, formset in self.rules.items():
            typed[name] = [{n: row[n].value() for n in row.fields} for row in formset.forms]
        room = kind in self.rules and len(typed[kind]) < RULES_MAX
        form = GroupingForm(
            participants=self.participants,
            initial=typed,
            blank_rows={kind: 1} if room else {},
        )
        if room:
            added = form.rules[kind].forms[-1]
            added.fields[next(iter(added.fields))].widget.attrs["autofocus"] = True
        return form

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        if any(not formset.is_valid() for formset in self.rules.values()):
            self.add_error(None, _("Some rules need correcting: see the rows marked below."))
        for formset in self.rules.values():
            for error in formset.non_form_errors():
                self.add_error(None, error)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        one_given = (data.get("group_count") is None) != (data.get("group_size") is None)
        typed_badly = self.has_error("group_count") or self.has_error("group_size")
        if not one_given and not typed_badly:
            self.add_error("group_count", _("Give either the number of groups or the group size."))
        return data

    def size_fields(self) -> list:
        return [self[n] for n in ("group_count", "group_size", "min_size", "max_size")]

    def weight_fields(self) -> list:
        return [self[n] for n in ("weight_background", "weight_organisation", "weight_skills")]

    def settings(self) -> GroupingSettings:
        data = self.cleaned_data

        def pairs(kind: str) -> list[tuple[int, int]]:
            return [p for row in self.rules[kind].forms if (p := row.pair())]

        pins = [p for row in self.rules["pin"].forms if (p := row.pin())]
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
            pinned=dict(pins),
        )

    @staticmethod
    def initial_from(settings: GroupingSettings) -> dict:
        """The form's values for stored settings: every rule a row."""
        return {
            "group_count": settings.group_count,
            "group_size": settings.group_size,
            "min_size": settings.min_size,
            "max_size": settings.max_size,
            "weight_background": settings.weights.background,
            "weight_organisation": settings.weights.organisation,
            "weight_skills": settings.weights.skills,
            "together": [{"a": a, "b": b} for a, b in settings.together],
            "apart": [{"a": a, "b": b} for a, b in settings.apart],
            "pin": [{"person": p, "group": g} for p, g in settings.pinned.items()],
        }


class MoveForm(forms.Form):
    registration = forms.IntegerField()
    group = forms.IntegerField(min_value=1, max_value=500)
