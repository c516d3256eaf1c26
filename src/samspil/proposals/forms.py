"""Forms of the proposal pages. Choices come from the permission-filtered reads; the services
check again, so a tampered choice ends as a form error, never as a write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm, offered
from samspil.core.models import Organisation, Role

from . import queries
from .economy_forms import NumberField
from .models import TEXT_MAX, DiscountPreset, Proposal, ProposalState, ProposalTemplate
from .services import default_discount_preset


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ProposalFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        widget=LeanSelect,
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *ProposalState.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = permissions.proposals_visible_to(user).values("owner_id")
        organisations = permissions.organisations_visible_to(user).filter(pk__in=owners)
        self.fields["organisation"].queryset = organisations.order_by("name")  # type: ignore[attr-defined]


def creating_organisations(user):
    """Where ``user`` may write proposals: the organisations they lead innovation in."""
    return Organisation.objects.filter(
        pk__in=permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    ).order_by("name")


class ProposalForm(StyledForm, forms.ModelForm):
    """The header: a new proposal (with its organisation and template) or an existing one
    (with the affected departments of its municipality)."""

    owner = forms.ModelChoiceField(
        label=_("Presenting department"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead."),
    )
    affected_departments = DepartmentChoiceField(
        label=_("Affected departments"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Proposal
        fields = [
            "template",
            "title",
            "summary",
            "committee",
            "price_level_year",
            "first_year",
            "last_year",
            "discount_preset",
            "own_discount_rate",
            "visibility",
            "challenge",
            "pilot",
            "event",
        ]
        field_classes = {"own_discount_rate": NumberField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "challenge": LeanSelect,
            "pilot": LeanSelect,
            "event": LeanSelect,
        }
        help_texts = {
            "price_level_year": _("The year whose prices the amounts are given in (p/l)."),
            "first_year": _(
                "The economic table has a column for every year from the first to the last."
            ),
            "discount_preset": _(
                "The rate for the net present value; leave empty to give your own rate."
            ),
            "pilot": _(
                "Pilots of your organisations. To build on another organisation's pilot, "
                "start from that pilot's page."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = permissions.challenges_visible_to(user).order_by(  # type: ignore[attr-defined]
            "title", "pk"
        )
        own = permissions.access_of(user).sees_internal_of
        self.fields["pilot"].queryset = offered(  # type: ignore[attr-defined]
            self, "pilot", permissions.pilots_visible_to(user), own
        ).order_by("title", "pk")
        self.fields["event"].queryset = permissions.events_visible_to(user).order_by(  # type: ignore[attr-defined]
            "-starts_at", "pk"
        )
        self.fields["discount_preset"].queryset = DiscountPreset.objects.all()  # type: ignore[attr-defined]
        self.fields["discount_preset"].empty_label = _("Own rate")  # type: ignore[attr-defined]
        for name in ("price_level_year", "first_year", "last_year"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "size": 6})
        if self.instance.pk:
            del self.fields["owner"]
            del self.fields["template"]
            departments = queries.municipality_departments(self.instance.owner)
            self.fields["affected_departments"].queryset = departments  # type: ignore[attr-defined]
            self.initial.setdefault(
                "affected_departments", list(self.instance.affected_departments.all())
            )
        else:
            del self.fields["affected_departments"]
            leading = creating_organisations(user)
            self.fields["owner"].queryset = leading  # type: ignore[attr-defined]
            templates = ProposalTemplate.objects.filter(
                organisation__isnull=True
            ) | ProposalTemplate.objects.filter(organisation__in=leading)
            self.fields["template"].queryset = templates.order_by("name", "pk")  # type: ignore[attr-defined]
            self.fields["template"].required = False
            self.fields["template"].empty_label = _("The default for the organisation's country")  # type: ignore[attr-defined]
            self.order_fields(["owner", "template"])
            first = leading.first()
            if first is not None:
                self.initial.setdefault("discount_preset", default_discount_preset(first))
            for name in ("price_level_year", "first_year", "last_year"):
                self.fields[name].required = False
                self.fields[name].help_text = _("Empty: this year (the last: four years on).")

    def clean(self):
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        # Before the model's own check, whose message names the constraint, not the field.
        if first and last and last < first:
            self.add_error("last_year", _("The last year must not be before the first year."))
        return data

    def _post_clean(self):
        # The service validates the proposal (and says which cells block shorter years); the
        # model's checks here would run on a half-filled instance.
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        if "affected_departments" in data:
            data["affected_departments"] = list(data["affected_departments"] or [])
        return data


class SectionForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "ds-input section-text"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The prefix is the section's code: the status says "saved" or what is wrong.
        self.fields["text"].widget.attrs["aria-describedby"] = f"section-{self.prefix}-status"

    def clean_text(self) -> str:
        # The service counts the same way; checked here so the page says it at once.
        text = (self.cleaned_data.get("text") or "").replace("\r\n", "\n").strip()
        if len(text) > TEXT_MAX:
            raise forms.ValidationError(
                _("Write at most %(count)d characters.") % {"count": TEXT_MAX}
            )
        return text


class MoveForm(StyledForm, forms.Form):
    to = forms.ChoiceField(label=_("New state"), choices=ProposalState.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why, for the state history (optional)."),
    )
