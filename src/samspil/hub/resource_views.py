"""Pages of bookable resources and bookings: the list, a resource's page with its calendar
and booking form, create and edit, the bookings page, one booking with approval,
cancellation, its event and its ``.ics``.

Thin: parse, call ``resource_services`` and render or redirect. Pages for managers answer
404 to those who do not see the resource and 403 to those who see it only. A refused
booking comes back on the resource's page with the typed input and status 422.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, paginate, render_list

from . import resource_queries as queries
from . import resource_services as services
from .models import Booking, BookingStatus, Resource
from .resource_forms import (
    BookingForm,
    CancelForm,
    DecisionForm,
    LinkEventForm,
    ResourceFilterForm,
    ResourceForm,
)

UPCOMING_LIMIT = 50


def resource_list(request):
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.search_resources(
        request.user,
        kind=filters.get("kind", ""),
        who_may_book=filters.get("who_may_book", ""),
        q=filters.get("q", ""),
    )
    page, query = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": bool(services.managing_organisations(request.user)),
    }
    return render_list(request, "hub/resources/list.html", "hub/resources/_rows.html", context)


@login_required
def resource_create(request):
    if not services.managing_organisations(request.user):
        raise PermissionDenied
    initial = {}
    if request.method != "POST" and (pk := request.GET.get("hub")):
        hub = permissions.get_hub_for_user(request.user, pk)
        initial = {"hub": hub.pk, "owner": hub.owner_id}
    form = ResourceForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.create_resource(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The resource was created."))
            return redirect(resource)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "hub/resources/form.html", {"form": form}, status=status)


@login_required
def resource_edit(request, pk: int):
    resource = queries.resource_with_details(request.user, pk)
    if not permissions.can_manage_resource(request.user, resource):
        raise PermissionDenied
    editable = queries.resource_with_details(request.user, pk)
    form = ResourceForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = Resource.objects.select_related("owner").get(pk=resource.pk)
        try:
            services.update_resource(request.user, fresh, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The resource was saved."))
            return redirect(resource)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "resource": resource}
    return render(request, "hub/resources/form.html", context, status=status)


def _around(request) -> date | None:
    text = request.GET.get("week") or request.GET.get("month") or ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2200 else None


def _detail(request, resource: Resource, *, booking_form=None, status: int = 200):
    user = request.user
    can_book = permissions.can_book(user, resource)
    if booking_form is None and can_book:
        booking_form = BookingForm(resource=resource, user=user)
    context = {
        "resource": resource,
        "calendar": queries.calendar_of(resource, _around(request)),
        "by_period": resource.booking_unit == "period",
        "can_book": can_book,
        "can_manage": permissions.can_manage_resource(user, resource),
        "booking_form": booking_form,
        "bookings": list(
            queries.bookings_for_list(user, resource=resource, upcoming=True).exclude(
                status__in=[BookingStatus.CANCELLED, BookingStatus.REJECTED]
            )[:UPCOMING_LIMIT]
        ),
    }
    return render(request, "hub/resources/detail.html", context, status=status)


def resource_detail(request, pk: int):
    return _detail(request, queries.resource_with_details(request.user, pk))


@login_required
def resource_book(request, pk: int):
    resource = queries.resource_with_details(request.user, pk)
    if not permissions.can_book(request.user, resource):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(f"{resource.get_absolute_url()}#booking-form")
    form = BookingForm(request.POST, resource=resource, user=request.user)
    if form.is_valid():
        try:
            booking = services.book(request.user, resource, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if booking.status == BookingStatus.REQUESTED:
                messages.success(request, _("Your booking was requested; the owner decides."))
            else:
                messages.success(request, _("The resource is booked for you."))
            return redirect(booking)
    return _detail(request, resource, booking_form=form, status=422)


@login_required
def booking_list(request):
    user = request.user
    rows = queries.bookings_for_list(user).order_by("-start", "-pk")
    page, query = paginate(request, rows)
    context = {
        "page": page,
        "query": query,
        "awaiting": list(queries.awaiting_decision(user)[:UPCOMING_LIMIT]),
    }
    return render(request, "hub/resources/bookings.html", context)


def _booking_page(request, booking: Booking, status: int = 200, **forms):
    user = request.user
    can_link = services.can_link_event(user, booking)
    context = {
        "booking": booking,
        "resource": booking.resource,
        "can_decide": services.can_decide(user, booking),
        "can_cancel": services.can_cancel(user, booking),
        "can_link": can_link,
        "can_manage": permissions.can_manage_resource(user, booking.resource),
        "may_see_pilot": booking.pilot_id is not None
        and permissions.pilots_visible_to(user).filter(pk=booking.pilot_id).exists(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "link_form": (
            forms.get("link_form") or LinkEventForm(booking=booking, user=user)
            if can_link
            else None
        ),
    }
    return render(request, "hub/resources/booking.html", context, status=status)


@login_required
def booking_detail(request, pk: int):
    return _booking_page(request, queries.booking_with_details(request.user, pk))


@login_required
@require_POST
def booking_decide(request, pk: int):
    booking = queries.booking_with_details(request.user, pk)
    if not permissions.can_manage_resource(request.user, booking.resource):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.decide_booking(
                request.user, booking, approve=approve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The booking was approved.") if approve else _("The booking was rejected."),
            )
            return redirect(booking)
    return _booking_page(request, booking, 422, decision_form=form)


@login_required
@require_POST
def booking_cancel(request, pk: int):
    booking = queries.booking_with_details(request.user, pk)
    if not permissions.can_cancel_booking(request.user, booking):
        raise PermissionDenied
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_booking(request.user, booking, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The booking was cancelled."))
            return redirect(booking)
    return _booking_page(request, booking, 422, cancel_form=form)


@login_required
@require_POST
def booking_event(request, pk: int):
    booking = queries.booking_with_details(request.user, pk)
    if not services.can_link_event(request.user, booking):
        raise PermissionDenied
    form = LinkEventForm(request.POST, booking=booking, user=request.user)
    if form.is_valid():
        try:
            services.link_event(request.user, booking, form.cleaned_data["event"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event takes place in this booking."))
            return redirect(booking)
    return _booking_page(request, booking, 422, link_form=form)


def booking_ics(request, pk: int):
    booking = queries.booking_with_details(request.user, pk)
    content = queries.booking_ics(booking)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    name = slugify(booking.resource.name) or "booking"
    response["Content-Disposition"] = f'attachment; filename="{name}-{booking.pk}.ics"'
    return response
