"""Forms of the challenge pages. Choices come from the permission-filtered reads."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanChoiceField, StyledForm

from . import challenge_queries
from .models import Challenge, ChallengeStatus, Need, NeedStatus, Theme

# How many of the user's own open needs the form offers besides those already chosen.
NEED_CHOICES_SHOWN = 100
CRITERIA = ["saves_time", "recognisable_elsewhere", "anchored_in_management"]
CRITERIA_CHOICES = [
    ("saves_time", _("Saves time: the solution saves staff time")),
    ("recognisable_elsewhere", _("Recognisable elsewhere: other organisations have the need too")),
    ("anchored_in_management", _("Anchored in top management: management stands behind it")),
]
TRL_CHOICES = [("", _("Not assessed")), *[(str(level), str(level)) for level in range(1, 10)]]


def _need_label(need: Need) -> str:
    return f"{need.title} ({need.owner.name})"


class NeedsField(forms.ModelMultipleChoiceField):
    """Validates against every need the user may see; lists only the ones worth offering."""

    def label_from_instance(self, obj) -> str:
        return _need_label(obj)


class ChallengeForm(StyledForm, forms.ModelForm):
    """Create (with lead organisation and co-owners to invite) or edit a challenge."""

    owner = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Challenge.objects.none(),
        empty_label=None,
        help_text=_("The organisation that leads the challenge; you are its innovation lead."),
    )
    needs = NeedsField(
        label=_("Needs"),
        queryset=Need.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The needs the challenge is made from."),
        error_messages={"required": _("Choose at least one need.")},
    )
    co_owners = forms.ModelMultipleChoiceField(
        label=_("Invite co-owner organisations"),
        queryset=Challenge.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Their innovation leads are asked to accept. A challenge with two or more owner "
            "organisations that meets the three criteria is a scaling candidate."
        ),
    )
    criteria = forms.MultipleChoiceField(
        label=_("CO-PI scaling criteria"),
        choices=CRITERIA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the criteria the challenge meets."),
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        choices=TRL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1: basic principles observed … 9: proven in operation."),
    )

    class Meta:
        model = Challenge
        fields = [
            "title",
            "problem_statement",
            "affected_users",
            "success_criteria",
            "themes",
            "status",
            "visibility",
            "opsi_facet",
            "trl",
            "nesta_stage",
        ]
        widgets = {
            "problem_statement": forms.Textarea(attrs={"rows": 5}),
            "affected_users": forms.Textarea(attrs={"rows": 3}),
            "success_criteria": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, creating: bool, chosen_needs=(), hidden_needs=0, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "criteria", [name for name in CRITERIA if getattr(self.instance, name)]
            )
        self.fields["themes"].queryset = Theme.objects.all()  # type: ignore[attr-defined]
        organisations = challenge_queries.public_organisations(user)
        if creating:
            leading = challenge_queries.organisations_leading_for(user)
            self.fields["owner"].queryset = leading  # type: ignore[attr-defined]
            self.fields["co_owners"].queryset = organisations  # type: ignore[attr-defined]
            # Lead organisation and invitations first, in the order a person fills them in.
            self.order_fields(["owner", "needs", "title"])
        else:
            del self.fields["owner"]
            del self.fields["co_owners"]
            self.order_fields(["needs", "title"])
        self._setup_needs(user, chosen_needs, hidden_needs)

    def _setup_needs(self, user, chosen_needs, hidden_needs: int) -> None:
        field = self.fields["needs"]
        visible = challenge_queries.permissions.needs_visible_to(user).exclude(
            status=NeedStatus.MERGED
        )
        field.queryset = visible  # type: ignore[attr-defined]
        if hidden_needs:
            # An editor cannot keep needs they do not see: the set is left as it is.
            field.disabled = True
            field.required = False
            field.help_text = _(
                "This challenge also has needs you cannot see, so only someone who sees them "
                "all can change its needs."
            )
        posted = []
        if self.is_bound:
            values = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix("needs")
            )
            posted = [int(v) for v in values or [] if str(v).isdigit()]
        chosen_ids = {n.pk for n in chosen_needs} | set(posted)
        access = challenge_queries.permissions.access_of(user)
        offered = list(
            challenge_queries.needs_for_challenge(user, access.sees_internal_of)[
                :NEED_CHOICES_SHOWN
            ]
        )
        offered_ids = {n.pk for n in offered}
        missing = chosen_ids - offered_ids
        extra = list(visible.filter(pk__in=missing).select_related("owner")) if missing else []
        shown = extra + offered
        field.widget.choices = [(n.pk, _need_label(n)) for n in shown]

    def clean(self):
        data = super().clean() or {}
        owner = data.get("owner")
        co_owners = data.get("co_owners") or []
        if owner is not None and any(o.pk == owner.pk for o in co_owners):
            self.add_error("co_owners", _("The lead organisation already owns the challenge."))
        return data

    def service_fields(self) -> dict:
        """The cleaned data as the services take it: the criteria as three flags."""
        data = dict(self.cleaned_data)
        chosen = set(data.pop("criteria", []))
        data.update({name: name in chosen for name in CRITERIA})
        return data


class InviteCoOwnerForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Challenge.objects.none(),
        help_text=_("Its innovation leads are asked to accept co-ownership."),
    )

    def __init__(self, *args, user, challenge: Challenge, **kwargs):
        super().__init__(*args, **kwargs)
        taken = [c.organisation_id for c in challenge.co_owners.all() if c.status != "declined"]
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            challenge_queries.public_organisations(user)
            .exclude(pk=challenge.owner_id)
            .exclude(pk__in=taken)
        )


class ChallengeFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ChallengeStatus.choices],
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    organisation = LeanChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    scaling = forms.BooleanField(label=_("Scaling candidates only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        themes = sorted(((t.slug, str(t)) for t in Theme.objects.all()), key=lambda c: c[1])
        self.fields["theme"].choices = [("", _("All themes")), *themes]  # type: ignore[attr-defined]
        organisations = challenge_queries.public_organisations(user).values_list("pk", "name")
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("All organisations")),
            *organisations,
        ]
