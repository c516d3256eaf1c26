"""Forms of the team and submission pages; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import StyledForm
from samspil.needs.models import Challenge

from . import team_services
from .models import TEXT_MAX, TITLE_MAX, Event, Registration, RegistrationStatus, SubmissionFile


class RegistrationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.organisation})" if obj.organisation else obj.name


class TeamForm(StyledForm, forms.Form):
    """A team's name and challenge; organisers also choose its members."""

    name = forms.CharField(label=_("Team name"), max_length=team_services.TEAM_NAME_MAX)
    challenge = forms.ModelChoiceField(
        label=_("Challenge"),
        queryset=Challenge.objects.none(),
        required=False,
        empty_label=_("No challenge chosen yet"),
    )
    members = RegistrationChoiceField(
        label=_("Members"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Confirmed participants; each person is in one team only."),
    )

    def __init__(self, *args, event: Event, user, with_members: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = (  # type: ignore[attr-defined]
            permissions.challenges_visible_to(user)
            .filter(pk__in=event.challenges.values("pk"))
            .order_by("title")
        )
        if with_members:
            self.fields["members"].queryset = event.registrations.filter(  # type: ignore[attr-defined]
                status=RegistrationStatus.CONFIRMED
            ).order_by("name", "pk")
        else:
            del self.fields["members"]


class SubmissionForm(StyledForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the prototype is and does."),
    )
    problem_solved = forms.CharField(
        label=_("What problem it solves"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    links = forms.CharField(
        label=_("Links"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Interpolated here, in the request's language (a lazy string would be fixed at import).
        self.fields["links"].help_text = _(
            "One web address a line (http:// or https://), at most %(count)d: "
            "the prototype, its code, a video."
        ) % {"count": team_services.LINKS_MAX}


def _accepted() -> str:
    return ",".join(sorted({*team_services.SCREENSHOT_TYPES, *team_services.FILE_TYPES}))


class SubmissionFileForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SubmissionFile.Kind.choices,
        initial=SubmissionFile.Kind.SCREENSHOT,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": _accepted()})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Screenshots: %(screenshots)s, up to %(screenshot_mb)d MB. "
            "Files: %(files)s, up to %(file_mb)d MB. At most %(count)d per submission."
        ) % {
            "screenshots": ", ".join(sorted(team_services.SCREENSHOT_TYPES)),
            "screenshot_mb": team_services.MAX_BYTES[SubmissionFile.Kind.SCREENSHOT]
            // team_services.MB,
            "files": ", ".join(sorted(team_services.FILE_TYPES)),
            "file_mb": team_services.MAX_BYTES[SubmissionFile.Kind.FILE] // team_services.MB,
            "count": team_services.FILES_PER_SUBMISSION,
        }
