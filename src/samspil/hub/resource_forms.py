"""Forms of the resource and booking pages. Choices come from the permission-filtered reads;
the services check everything again and name what is wrong."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspil.core import permissions
from samspil.core.forms import LeanSelect, StyledForm
from samspil.core.models import Organisation
from samspil.events.concept_forms import DateInput
from samspil.events.forms import DateTimeInput
from samspil.pilots.models import Pilot, PilotStatus

from . import resource_services as services
from .models import Booking, BookingUnit, Hub, Resource, ResourceKind, WhoMayBook

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ResourceFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices]
    )
    who_may_book = forms.ChoiceField(
        label=_("Who may book"),
        required=False,
        choices=[("", _("Anyone allowed")), *WhoMayBook.choices],
    )


class ResourceForm(StyledForm, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Owning organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("You are its innovation lead or admin."),
    )

    class Meta:
        model = Resource
        fields = [
            "name",
            "kind",
            "hub",
            "description",
            "location",
            "capacity",
            "booking_unit",
            "max_booking_days",
            "who_may_book",
            "requires_approval",
            "rules",
            "active",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 4}),
            "booking_unit": forms.RadioSelect,
            "who_may_book": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = (  # type: ignore[attr-defined]
            permissions.hubs_visible_to(user).filter(
                owner__in=services.managing_organisations(user)
            )
            if not self.instance.pk
            else Hub.objects.filter(
                pk__in=permissions.hubs_visible_to(user).values("pk"),
                owner__in=permissions._with_descendants({self.instance.owner_id}),
            )
        )
        self.fields["hub"].required = False
        if self.instance.pk:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=services.managing_organisations(user)
            ).order_by("name")
            self.order_fields(["owner"])
        hours = {}
        if self.instance.pk:
            hours = {row.weekday: row for row in self.instance.opening_hours.all()}
        for weekday in range(7):
            day = services.weekday_name(weekday)
            row = hours.get(weekday)
            self.fields[f"opens_{weekday}"] = forms.TimeField(
                label=gettext("Opens on %(weekday)s") % {"weekday": day},
                required=False,
                widget=TimeInput(attrs={"class": "ds-input"}),
                initial=row.opens if row else None,
            )
            self.fields[f"closes_{weekday}"] = forms.TimeField(
                label=gettext("Closes on %(weekday)s") % {"weekday": day},
                required=False,
                widget=TimeInput(attrs={"class": "ds-input"}),
                initial=row.closes if row else None,
            )

    def main_fields(self):
        return [f for f in self if not f.name.startswith(("opens_", "closes_"))]

    def day_fields(self):
        return [
            (services.weekday_name(day), self[f"opens_{day}"], self[f"closes_{day}"])
            for day in range(7)
        ]

    def clean(self):
        data = super().clean() or {}
        for day in range(7):
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None) and not self.has_error(f"opens_{day}"):
                missing = f"closes_{day}" if closes is None else f"opens_{day}"
                self.add_error(missing, gettext("Give both the opening and the closing time."))
        return data

    def opening_hours(self) -> list:
        data = self.cleaned_data
        return [
            (day, data[f"opens_{day}"], data[f"closes_{day}"])
            for day in range(7)
            if data.get(f"opens_{day}") is not None and data.get(f"closes_{day}") is not None
        ]

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {**data, "opening_hours": self.opening_hours()}


class BookingForm(StyledForm, forms.Form):
    """A booking by the hour (start and end times) or by the period (first and last day)."""

    start = forms.DateTimeField(label=_("Starts"), required=False)
    end = forms.DateTimeField(label=_("Ends"), required=False)
    people = forms.IntegerField(label=_("Number of people"), required=False, min_value=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Booked for"), queryset=Organisation.objects.none(), widget=LeanSelect
    )
    pilot = forms.ModelChoiceField(
        label=_("For the pilot"),
        queryset=Pilot.objects.none(),
        required=False,
        widget=LeanSelect,
        help_text=_("When the booking is for a project, such as a project space for some weeks."),
    )

    def __init__(self, *args, resource: Resource, user, **kwargs):
        kwargs.setdefault("auto_id", "booking_%s")
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.by_period = resource.booking_unit == BookingUnit.PERIOD
        if self.by_period:
            self.fields["start"] = forms.DateField(
                label=_("First day"), required=False, widget=DateInput
            )
            self.fields["end"] = forms.DateField(
                label=_("Last day"),
                required=False,
                widget=DateInput,
                help_text=_("The booking lasts to the end of this day."),
            )
        else:
            for name in ("start", "end"):
                self.fields[name].widget = DateTimeInput()
                self.fields[name].input_formats = DATETIME_FORMATS  # type: ignore[attr-defined]
        for name in ("start", "end"):
            self.fields[name].widget.attrs.setdefault("class", "ds-input")
        if resource.capacity:
            self.fields["people"].help_text = gettext("At most %(capacity)d.") % {
                "capacity": resource.capacity
            }
        allowed = permissions.booking_organisations(user, resource)
        choices = Organisation.objects.filter(pk__in=allowed).order_by("name", "pk")
        self.fields["organisation"].queryset = choices  # type: ignore[attr-defined]
        self.fields["organisation"].widget.choices = list(choices.values_list("pk", "name"))
        if len(allowed) == 1 and not self.is_bound:
            self.initial.setdefault("organisation", next(iter(allowed)))
        # Any visible pilot validates, so that the service names a wrong one; the list offers
        # the running and planned pilots of the organisations the user may book for.
        self.fields["pilot"].queryset = permissions.pilots_visible_to(user)  # type: ignore[attr-defined]
        offered = (
            permissions.pilots_visible_to(user)
            .filter(owner__in=allowed, status__in=[PilotStatus.PLANNED, PilotStatus.RUNNING])
            .order_by("title", "pk")
            .values_list("pk", "title")
        )
        self.fields["pilot"].widget.choices = [("", "—"), *offered]

    def times(self) -> tuple[datetime | None, datetime | None]:
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if not self.by_period:
            return start, end
        first, last = services.YEARS
        if (start and not first <= start.year <= last) or (end and not first <= end.year <= last):
            # The service names the year; whole days would not fit the calendar at its end.
            return (
                datetime(start.year, 1, 1) if start else None,
                datetime(end.year, 1, 1) if end else None,
            )
        return (
            services.day_start(start) if start else None,
            services.day_start(end + timedelta(days=1)) if end else None,
        )

    def service_fields(self) -> dict:
        start, end = self.times()
        return {
            "start": start,
            "end": end,
            "people": self.cleaned_data.get("people"),
            "purpose": self.cleaned_data["purpose"],
            "organisation": self.cleaned_data["organisation"],
            "pilot": self.cleaned_data.get("pilot"),
        }


class DecisionForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to reject; the booker reads it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decision_%s")
        super().__init__(*args, **kwargs)


class CancelForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel_%s")
        super().__init__(*args, **kwargs)


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class LinkEventForm(StyledForm, forms.Form):
    event = EventChoiceField(
        label=_("Event"),
        queryset=None,
        help_text=_(
            "An event of the booking's organisation that you organise; it takes place here."
        ),
    )

    def __init__(self, *args, booking: Booking, user, **kwargs):
        from . import resource_queries

        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = resource_queries.linkable_events(user, booking)  # type: ignore[attr-defined]
