"""Forms of the dataset pages: the organisers' dataset form and the participants' acceptance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.core.forms import StyledForm

from . import dataset_services
from .models import TEXT_MAX, TITLE_MAX, DataClassification, Dataset


class DatasetForm(StyledForm, forms.Form):
    """A dataset's fields and an upload. The rules across fields are the service's own
    (``rule_errors``), checked here too so that every error shows at once."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the data contain, where they come from and how current they are."),
    )
    classification = forms.ChoiceField(
        label=_("Classification"), choices=DataClassification.choices, widget=forms.RadioSelect
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required for confidential data and personal data: why they may be shared "
            "(for example the GDPR article, a data processing agreement or a decision)."
        ),
    )
    terms = forms.CharField(
        label=_("Terms of use"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Participants accept these before they get the data. When you change them, "
            "everyone must accept them again."
        ),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(sorted(dataset_services.DATASET_TYPES))}),
    )
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=dataset_services.LINK_MAX,
        assume_scheme="https",
        help_text=_("Where the data live when they are not uploaded here, such as an API."),
    )

    def __init__(self, *args, dataset: Dataset | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_name = dataset.original_name if dataset is not None and dataset.file else ""
        self.fields["file"].help_text = _(
            "Accepted types: %(types)s. At most %(size)s. Give a file, a link or both."
        ) % {
            "types": dataset_services.allowed_types_text(),
            "size": dataset_services.max_size_text(),
        }
        if self.stored_name:
            self.fields["file"].label = _("Replace the file")
        else:
            del self.fields["remove_file"]

    @staticmethod
    def initial_from(dataset: Dataset) -> dict:
        return {name: getattr(dataset, name) for name in dataset_services.DATASET_FIELDS}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            refusal = dataset_services.upload_error(upload)
            if refusal:
                raise forms.ValidationError(refusal)
        return upload

    def clean(self):
        data = super().clean() or {}
        has_file = bool(data.get("file")) or (
            bool(self.stored_name) and not data.get("remove_file")
        )
        errors = dataset_services.rule_errors(
            data.get("classification", ""),
            data.get("legal_basis", ""),
            has_file,
            data.get("link", ""),
        )
        for name, message in errors.items():
            # A refused file or a mistyped link has its own message already.
            if name != "file" or not (self.has_error("file") or self.has_error("link")):
                self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in dataset_services.DATASET_FIELDS}


class AcceptTermsForm(StyledForm, forms.Form):
    accept = forms.BooleanField(
        label=_("I accept the terms"),
        error_messages={"required": _("Tick the box to accept the terms.")},
    )
