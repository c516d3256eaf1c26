"""The hub pages: the list of hubs, a hub's page (partners and their projects with
co-financing, showcase days, the competence pool in short, the bookable resources), create
and edit a hub, add and remove partners and their projects.

Thin: parse, call ``services`` and render or redirect; refusals come back on the form with
what was typed (status 422).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, paginate

from . import queries, services
from .forms import HubForm, PartnerForm, ProjectForm
from .models import Hub


def hub_list(request):
    page, query = paginate(request, queries.hub_list(request.user))
    can_create = (
        request.user.is_authenticated and queries.creating_organisations(request.user).exists()
    )
    return render(
        request, "hub/list.html", {"page": page, "query": query, "can_create": can_create}
    )


def _detail_context(request, hub: Hub, **extra) -> dict:
    can_manage = permissions.can_manage_hub(request.user, hub)
    data = queries.hub_page(request.user, hub)
    context = {
        "hub": hub,
        "data": data,
        "can_manage": can_manage,
        "can_plan_showcase": request.user.is_authenticated
        and queries.creating_organisations(request.user).exists(),
        **extra,
    }
    if can_manage:
        context.setdefault("partner_form", PartnerForm(user=request.user, hub=hub))
        if data.partners:
            context.setdefault(
                "project_form", ProjectForm(user=request.user, hub=hub, partners=data.partners)
            )
    return context


def hub_detail(request, pk: int):
    hub = permissions.get_hub_for_user(request.user, pk)
    return render(request, "hub/detail.html", _detail_context(request, hub))


@login_required
def hub_create(request):
    if not queries.creating_organisations(request.user).exists():
        raise PermissionDenied
    form = HubForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            hub = services.create_hub(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The hub was created."))
            return redirect(hub)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "hub/form.html", {"form": form}, status=status)


@login_required
def hub_edit(request, pk: int):
    hub = permissions.get_hub_for_user(request.user, pk)
    if not permissions.can_manage_hub(request.user, hub):
        raise PermissionDenied
    # The form edits a copy, so the heading keeps the saved name while errors are shown.
    editable = Hub.objects.get(pk=hub.pk)
    form = HubForm(request.POST or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_hub(request.user, Hub.objects.get(pk=hub.pk), **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The hub was saved."))
            return redirect(hub)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "hub/form.html", {"form": form, "hub": hub}, status=status)


def _managed_hub(request, pk: int) -> Hub:
    hub = permissions.get_hub_for_user(request.user, pk)
    if not permissions.can_manage_hub(request.user, hub):
        raise PermissionDenied
    return hub


@login_required
@require_POST
def partner_add(request, pk: int):
    hub = _managed_hub(request, pk)
    form = PartnerForm(request.POST, user=request.user, hub=hub)
    if form.is_valid():
        data = form.cleaned_data
        try:
            partner = services.add_partner(
                request.user,
                hub,
                data["organisation"],
                since=data["since"],
                contribution=data["contribution"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s is a partner of the hub.")
                % {"organisation": partner.organisation},
            )
            return redirect(f"{hub.get_absolute_url()}#hub-partners")
    context = _detail_context(request, hub, partner_form=form)
    return render(request, "hub/detail.html", context, status=422)


@login_required
@require_POST
def partner_remove(request, pk: int, partner_pk: int):
    hub = _managed_hub(request, pk)
    partner = queries.get_partner(hub, partner_pk)
    services.remove_partner(request.user, partner)
    messages.success(
        request,
        _("%(organisation)s is no longer a partner of the hub.")
        % {"organisation": partner.organisation},
    )
    return redirect(f"{hub.get_absolute_url()}#hub-partners")


@login_required
@require_POST
def project_add(request, pk: int):
    hub = _managed_hub(request, pk)
    rows = queries.partners(request.user, hub)
    form = ProjectForm(request.POST, user=request.user, hub=hub, partners=rows)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_project(
                request.user,
                data["partner"],
                data["pilot"],
                co_financing=data["co_financing"],
                currency=data["currency"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project was added."))
            return redirect(f"{hub.get_absolute_url()}#hub-partner-{data['partner'].pk}")
    context = _detail_context(request, hub, project_form=form)
    return render(request, "hub/detail.html", context, status=422)


@login_required
@require_POST
def project_remove(request, pk: int, project_pk: int):
    hub = _managed_hub(request, pk)
    project = queries.get_project(hub, project_pk)
    services.remove_project(request.user, project)
    messages.success(request, _("The project was removed from the hub."))
    return redirect(f"{hub.get_absolute_url()}#hub-partner-{project.partner_id}")
