import functools
import html

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db import models
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Country, Organisation, OrganisationKind, Role, User


class StyledForm:
    """Gives every text input, select and text area Designsystemet's look."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs.setdefault("class", "ds-input")


class LeanSelect(forms.Select):
    """A select whose options are joined in Python, not rendered one template each.

    With ~800 organisations Django's per-option templates dominate a list page's time. The
    options' HTML is kept for the lists last shown (the same organisations in the same
    language on every list page), and the chosen option marked in it.
    """

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        # The field has normalised them already (Django would again, pair by pair); an
        # iterator over a queryset stays lazy.
        keep = isinstance(value, list | tuple | BaseChoiceIterator)
        self._choices = value if keep else list(value)

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs or {})
        final["name"] = name
        options = _option_tags(tuple((str(key), str(label)) for key, label in self.choices))
        for chosen in {str(v) for v in self.format_value(value)}:
            tag = f'<option value="{html.escape(chosen)}">'
            options = options.replace(tag, f"{tag[:-1]} selected>", 1)
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308


@functools.lru_cache(maxsize=32)
def _option_tags(pairs: tuple[tuple[str, str], ...]) -> str:
    # The standard library's escape: Django's lazy-aware one costs more per call here.
    return "".join(
        f'<option value="{html.escape(key)}">{html.escape(label)}</option>' for key, label in pairs
    )


class LeanChoiceField(forms.TypedChoiceField):
    """A choice field for a long list of plain (value, label) pairs, such as every
    organisation: the pairs are taken as given, not normalised one by one (twice: Django
    does it for the field and again for its widget)."""

    widget = LeanSelect

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        pairs = list(value)
        self._choices = pairs
        self.widget.choices = pairs  # type: ignore[attr-defined,assignment]


class LabelledChoiceIterator(ModelChoiceIterator):
    """The options as (id, label) rows straight from the database: a filter over hundreds
    of organisations or programmes need not build a model instance for each."""

    field: "LabelledChoiceField"

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class LabelledChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose options show one field of the model, read as values."""

    iterator = LabelledChoiceIterator
    widget = LeanSelect

    def __init__(self, *args, label_field: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_field = label_field


def offered(form: forms.BaseForm, name: str, rows: QuerySet, organisations) -> QuerySet:
    """The records a form offers to link under ``name``: those ``organisations`` own, and the
    one already chosen (initial, saved or posted) if ``rows`` holds it.

    ``rows`` are what the user may see; listing all of them would put tens of thousands of
    pilots in one select at national scale, while a link is nearly always to one's own.
    """
    chosen = [form.initial.get(name), getattr(getattr(form, "instance", None), f"{name}_id", None)]
    if form.is_bound:
        chosen.append(form.data.get(form.add_prefix(name)))
    ids = {str(getattr(value, "pk", value)) for value in chosen if value not in (None, "")}
    condition = Q(owner__in=organisations)
    if numeric := [int(value) for value in ids if value.isdigit()]:
        condition |= Q(pk__in=numeric)
    return rows.filter(condition)


def role_choices(include_member: bool = False):
    return [
        (code, label) for code, label in Role.Code.choices if include_member or code != "member"
    ]


def https_urls(field, **kwargs):
    """Web addresses typed without a scheme are https (Django 6's default)."""
    if isinstance(field, models.URLField):
        return field.formfield(assume_scheme="https", **kwargs)
    return field.formfield(**kwargs)


class OrganisationForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = https_urls
        fields = [
            "name",
            "kind",
            "country",
            "national_id",
            "parent",
            "currency",
            "theme_colour",
            "website",
            "description",
            "visibility",
        ]
        widgets = {
            "theme_colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, parent_choices=None, without_parent=False, **kwargs):
        super().__init__(*args, **kwargs)
        if without_parent:
            del self.fields["parent"]
        if parent_choices is not None:
            self.fields["parent"].queryset = parent_choices  # type: ignore[attr-defined]


class OrganisationFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *Country.choices]
    )


class InviteForm(StyledForm, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=role_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone invited is a member; tick the roles to add."),
    )


class RolesForm(StyledForm, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, choices=role_choices, widget=forms.CheckboxSelectMultiple
    )


class ProfileForm(StyledForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "job_title", "language"]


class AccessTokenForm(StyledForm, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, such as a report script."),
    )


class RegisterFromInvitationForm(StyledForm, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            probe = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(one, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
