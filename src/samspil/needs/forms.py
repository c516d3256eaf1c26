"""Forms of the needs pages. They parse and check input; services make the changes."""

import os

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import LeanChoiceField, StyledForm
from samspil.core.models import Country, Organisation, User, Visibility

from .models import DESCRIPTION_MAX, TITLE_MAX, Frequency, Need, NeedStatus, Theme
from .services import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, ATTACHMENTS_PER_NEED

HOURS_MAX = 100000

VISIBILITY_CHOICES = [
    (
        Visibility.INTERNAL,
        _("Internal — only the people of your organisation see it (you can share it later)"),
    ),
    (
        Visibility.SHARED,
        _("Shared — every public-sector member of samspil sees it and can say “we have it too”"),
    ),
    (Visibility.PUBLIC, _("Public — anyone can see it, suppliers and visitors included")),
]


def attachment_limits_text() -> str:
    """The accepted file types and the size limit, for the help text beside the file input."""
    return ", ".join(sorted(ATTACHMENT_TYPES))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked for type and size before anything is saved."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > ATTACHMENTS_PER_NEED:
            raise forms.ValidationError(
                _("Attach at most %(count)d files.") % {"count": ATTACHMENTS_PER_NEED}
            )
        errors = []
        for upload in files:
            name = os.path.basename(upload.name or "")
            if os.path.splitext(name)[1].lower() not in ATTACHMENT_TYPES:
                errors.append(
                    _("%(name)s: files of this type are not accepted (%(types)s).")
                    % {"name": name, "types": attachment_limits_text()}
                )
            elif upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
                errors.append(_("%(name)s is larger than 10 MB.") % {"name": name})
        if errors:
            raise forms.ValidationError(errors)
        return files


class NeedForm(StyledForm, forms.Form):
    """Reporting a need (and editing it): two fields required, the rest under "More details"."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("A short name for the need, such as “Invoices are coded by hand”."),
    )
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe what is hard today and for whom. Any Nordic language is fine."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )
    affected_who = forms.CharField(
        label=_("Who is affected?"),
        max_length=200,
        required=False,
        help_text=_("For example: home care nurses, parents, caseworkers."),
    )
    affected_count = forms.IntegerField(
        label=_("How many are affected?"), min_value=0, max_value=10_000_000, required=False
    )
    frequency = forms.ChoiceField(
        label=_("How often does it happen?"),
        choices=[("", _("Not stated")), *Frequency.choices],
        required=False,
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours spent per week today"),
        min_value=0,
        max_value=HOURS_MAX,
        max_digits=8,
        decimal_places=1,
        required=False,
        help_text=_("All affected people together; a rough estimate is fine."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(ATTACHMENT_TYPES))}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see the need?"),
        choices=VISIBILITY_CHOICES,
        initial=Visibility.INTERNAL,
        required=False,
        widget=forms.RadioSelect,
    )

    DETAIL_FIELDS = (
        "affected_who",
        "affected_count",
        "frequency",
        "hours_per_week",
        "themes",
        "attachments",
        "visibility",
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        if departments is None or not departments.exists():
            del self.fields["department"]
        else:
            department.queryset = departments  # type: ignore[attr-defined]
        self.fields["attachments"].help_text = _(
            "Up to %(count)d files of at most 10 MB each. Accepted types: %(types)s."
        ) % {"count": ATTACHMENTS_PER_NEED, "types": attachment_limits_text()}

    @classmethod
    def initial_from(cls, need: Need) -> dict:
        return {
            "title": need.title,
            "description": need.description,
            "department": need.department_id,
            "affected_who": need.affected_who,
            "affected_count": need.affected_count,
            "frequency": need.frequency,
            "hours_per_week": need.hours_per_week,
            "themes": list(need.themes.all()),
            "visibility": need.visibility,
        }

    def clean_visibility(self) -> str:
        return self.cleaned_data.get("visibility") or Visibility.INTERNAL

    def service_fields(self) -> dict:
        """The cleaned values as the services take them (attachments apart)."""
        data = dict(self.cleaned_data)
        data.pop("attachments", None)
        data.setdefault("department", None)
        data["themes"] = list(data.get("themes") or [])
        return data

    @property
    def details_open(self) -> bool:
        """Open "More details" when the person has typed there or something there is wrong."""
        if not self.is_bound:
            return False
        if any(name in self.errors for name in self.DETAIL_FIELDS):
            return True
        typed = ("affected_who", "affected_count", "frequency", "hours_per_week", "themes")
        if any(self.data.get(name) for name in typed) or self.files:
            return True
        return self.data.get("visibility", Visibility.INTERNAL) != Visibility.INTERNAL


class NeedFilterForm(StyledForm, forms.Form):
    """The list's search and filters; anything it does not understand is ignored."""

    SORTS = [
        ("", _("Best first")),
        ("newest", _("Newest first")),
        ("oldest", _("Oldest first")),
        ("endorsed", _("Most endorsed")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organisation = LeanChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *Country.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *NeedStatus.choices]
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, organisations=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_options = list(organisations)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("All organisations")),
            *self.organisation_options,
        ]
        self.fields["theme"].choices = [  # type: ignore[attr-defined]
            ("", _("All themes")),
            *[(theme.slug, str(theme)) for theme in themes],
        ]

    def filters(self) -> dict:
        """The valid filters; an unknown choice or an over-long search drops that one only."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class StatusForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=NeedStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting; the reporter sees it."),
    )

    def __init__(self, *args, need: Need, **kwargs):
        from .services import TRANSITIONS

        kwargs.setdefault("prefix", f"status-{need.pk}")
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(NeedStatus(need.status), set())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in NeedStatus.choices if value in allowed
        ]

    def clean(self):
        data = super().clean() or {}
        if data.get("status") == NeedStatus.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the reporter will see it."))
        return data


class OwnerForm(StyledForm, forms.Form):
    need_owner = forms.ModelChoiceField(
        label=_("Need owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_owner"].queryset = people  # type: ignore[attr-defined]


class EndorseForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Our organisation"), queryset=Organisation.objects.none()
    )
    affected_count = forms.IntegerField(
        label=_("People affected with us"), min_value=0, max_value=10_000_000, required=False
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week spent with us today"),
        min_value=0,
        max_value=HOURS_MAX,
        max_digits=8,
        decimal_places=1,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the need shows itself with you, if it differs."),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class CommentForm(StyledForm, forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(StyledForm, forms.Form):
    """Pick the need that absorbs this one; the choices are needs the person may triage."""

    survivor = forms.ModelChoiceField(
        label=_("Merge this need into"),
        queryset=Need.objects.none(),
        help_text=_(
            "The chosen need keeps its text and takes over this need's endorsements, "
            "comments and files. This need then points to it."
        ),
        error_messages={"invalid_choice": _("Choose a need that you may triage.")},
    )

    def __init__(self, *args, candidates=None, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        field.queryset = candidates  # type: ignore[attr-defined]
        # Only a short list is offered; any need the person may triage is accepted.
        field.widget.choices = [("", _("Choose a need")), *options]
