"""Forms of the event report page: one line of the "requirements learned" list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import StyledForm

from .report_services import REQUIREMENT_MAX


class RequirementForm(StyledForm, forms.Form):
    text = forms.CharField(
        label=_("Requirement learned"),
        max_length=REQUIREMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One requirement a later procurement can take over, such as "
            '"The solution must let citizens upload documents from their phone."'
        ),
    )
