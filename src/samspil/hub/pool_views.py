"""The competence pool pages: the pool of an organisation (its people, competences,
available share and assignments, with the load overview), add/change/remove a person,
assign them to a pilot or an event, remove an assignment.

Thin: parse, call ``pool_services`` and render or redirect; refusals come back on the form
with what was typed (status 422).
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors

from . import pool_queries, pool_services
from .pool_forms import AssignmentForm, PoolFilterForm, PoolMemberForm


def pool_url(organisation) -> str:
    return f"{reverse('hub:pool')}?organisation={organisation.pk}"


@login_required
def pool(request):
    organisation = pool_queries.pool_organisation(
        request.user, request.GET.get("organisation"), request.organisation
    )
    context: dict = {"organisation": organisation}
    if organisation is None:
        return render(request, "hub/pool/pool.html", context)
    form = PoolFilterForm(request.GET or None)
    competence = form.cleaned_data["competence"] if form.is_valid() else ""
    everyone = pool_queries.members(request.user, organisation)
    pool_queries.mark_visible_targets(request.user, everyone)
    shown = [m for m in everyone if not competence or competence in m.competences]
    months, loads = pool_queries.overview(everyone, timezone.localdate())
    for row in loads:
        row.member.load = row.load  # type: ignore[attr-defined]
    context.update(
        {
            "form": form,
            "competence": competence,
            "members": shown,
            "months": [date(year, month, 1) for year, month in months],
            "loads": loads,
            "overbooked": [row for row in loads if row.load.is_overbooked],
            "competence_counts": pool_queries.competence_counts(everyone),
            "can_manage": permissions.can_manage_pool(request.user, organisation),
        }
    )
    return render(request, "hub/pool/pool.html", context)


def _member_form_page(request, organisation, form, member=None):
    status = 422 if form.is_bound and form.errors else 200
    context = {"organisation": organisation, "form": form, "member": member}
    return render(request, "hub/pool/member_form.html", context, status=status)


@login_required
def member_add(request):
    organisation = pool_queries.pool_organisation(
        request.user, request.GET.get("organisation"), request.organisation
    )
    if organisation is None or not permissions.can_manage_pool(request.user, organisation):
        raise PermissionDenied
    form = PoolMemberForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            member = pool_services.add_member(
                request.user, organisation, fields.pop("user"), **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(person)s is in the pool.") % {"person": member})
            return redirect(pool_url(organisation))
    return _member_form_page(request, organisation, form)


@login_required
def member_edit(request, pk: int):
    member = pool_queries.get_member_for_user(request.user, pk)
    organisation = member.organisation
    if not permissions.can_manage_pool(request.user, organisation):
        raise PermissionDenied
    form = PoolMemberForm(request.POST or None, organisation=organisation, member=member)
    if request.method == "POST" and form.is_valid():
        editable = pool_queries.get_member_for_user(request.user, pk)
        try:
            pool_services.update_member(request.user, editable, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(person)s was saved.") % {"person": member})
            return redirect(pool_url(organisation))
    return _member_form_page(request, organisation, form, member)


@login_required
@require_POST
def member_remove(request, pk: int):
    member = pool_queries.get_member_for_user(request.user, pk)
    organisation = member.organisation
    pool_services.remove_member(request.user, member)
    messages.success(request, _("%(person)s left the pool.") % {"person": member})
    return redirect(pool_url(organisation))


@login_required
def assign(request, pk: int):
    member = pool_queries.get_member_for_user(request.user, pk)
    if not permissions.can_manage_pool(request.user, member.organisation):
        raise PermissionDenied
    today = timezone.localdate()
    form = AssignmentForm(request.POST or None, user=request.user, member=member, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            pool_services.assign(request.user, member, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(person)s was assigned.") % {"person": member})
            return redirect(f"{pool_url(member.organisation)}#pool-member-{member.pk}")
    status = 422 if form.is_bound and form.errors else 200
    context = {"organisation": member.organisation, "member": member, "form": form}
    return render(request, "hub/pool/assign.html", context, status=status)


@login_required
@require_POST
def assignment_remove(request, pk: int):
    assignment = pool_queries.get_assignment_for_user(request.user, pk)
    member = assignment.member
    pool_services.remove_assignment(request.user, assignment)
    messages.success(request, _("The assignment was removed."))
    return redirect(f"{pool_url(member.organisation)}#pool-member-{member.pk}")
