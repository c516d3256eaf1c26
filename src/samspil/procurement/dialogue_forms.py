"""Forms of the market dialogue panel: a dialogue entry, a question, an answer, a functional
requirement and the requirements to pull. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Organisation
from samspil.events.concept_forms import DateInput

from . import dialogue_queries
from .models import TEXT_MAX, TITLE_MAX, DialogueKind, Procurement


class LeanSelectMultiple(LeanSelect):
    """``LeanSelect`` for many choices (the organisations that took part)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, {**(attrs or {}), "multiple": True}, renderer)


class DialogueEntryForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *DialogueKind.choices])
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    subject = forms.CharField(label=_("Subject"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was said and shown; information given here is given to all."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=LeanSelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The event it happened at, if any."),
    )

    def __init__(self, *args, user, procurement: Procurement, current_event=None, **kwargs):
        kwargs.setdefault("auto_id", "dialogue_%s")
        super().__init__(*args, **kwargs)
        organisations = permissions.organisations_visible_to(user).order_by("name", "pk")
        participants = self.fields["participants"]
        participants.queryset = organisations  # type: ignore[attr-defined]
        participants.widget.choices = list(organisations.values_list("pk", "name"))
        self.fields["event"].queryset = dialogue_queries.event_choices(  # type: ignore[attr-defined]
            user, procurement, current_event
        )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class QuestionForm(StyledForm, forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The answer is published to every registered supplier, without your company's name."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Asking for"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, organisations=(), **kwargs):
        kwargs.setdefault("auto_id", "question_%s")
        super().__init__(*args, **kwargs)
        organisations = list(organisations)
        if len(organisations) > 1:
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=[o.pk for o in organisations]
            )
            field.required = True
        else:
            del self.fields["organisation"]


class AnswerForm(StyledForm, forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        required=False,  # the service names an empty answer
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Publishing sends the answer to every registered supplier at once, with the date."
        ),
    )

    def __init__(self, *args, question_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"answer_{question_pk}_%s")
        super().__init__(*args, **kwargs)


class RequirementForm(StyledForm, forms.Form):
    text = forms.CharField(
        label=_("Requirement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the solution must achieve for its users, not how."),
    )
    outcome = forms.CharField(
        label=_("Outcome it serves"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_("Where it came from, such as a need or a meeting."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "requirement_%s")
        super().__init__(*args, **kwargs)


class PullForm(StyledForm, forms.Form):
    learned = forms.MultipleChoiceField(
        label=_("Requirements learned at events"),
        required=False,  # the service names an empty choice
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        kwargs.setdefault("auto_id", "pull_%s")
        super().__init__(*args, **kwargs)
        self.candidates = {str(row.pk): row for row in candidates}
        self.fields["learned"].choices = [  # type: ignore[attr-defined]
            (str(row.pk), row.text) for row in candidates
        ]  # pulled ones too, so that the service names a second pull

    @property
    def ticked(self) -> set[str]:
        return set(self.data.getlist("learned")) if self.is_bound else set()  # type: ignore[attr-defined]

    def chosen(self) -> list:
        return [self.candidates[pk] for pk in self.cleaned_data["learned"]]
