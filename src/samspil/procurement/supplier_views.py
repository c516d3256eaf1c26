"""Pages of the supplier directory (public), a company's profile and its form, suppliers'
opportunities, registering interest and inviting a supplier.

Thin: parse, call ``supplier_services`` and render or redirect. A refused form comes back
with what was typed and status 422; 404 for what the user does not see, 403 for what they
see but may not do.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import CappedPaginator, add_service_errors, paginate, render_list
from samspil.events.models import Event

from . import supplier_queries as queries
from . import supplier_services as services
from .supplier_forms import DirectoryFilterForm, InterestForm, InviteForm, SupplierProfileForm


def directory(request):
    form = DirectoryFilterForm(
        request.GET or None, competences=queries.competence_choices(request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.search_profiles(
        request.user,
        q=filters.get("q", ""),
        country=filters.get("country", ""),
        size=filters.get("size", ""),
        competence=filters.get("competence", ""),
    )
    page, query = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "editable": queries.editable_companies(request.user),
        "is_supplier": bool(permissions.company_memberships(request.user)),
    }
    return render_list(
        request, "procurement/suppliers/directory.html", "procurement/suppliers/_rows.html", context
    )


def profile_detail(request, pk: int):
    company = queries.get_company_for_user(request.user, pk)
    can_edit = permissions.can_edit_supplier_profile(request.user, company)
    profile = queries.profile_of(company)
    if profile is None:
        if can_edit:
            return redirect("suppliers:edit", pk=company.pk)
        raise Http404
    interests = []
    if company.pk in permissions.company_memberships(request.user):
        interests = list(
            company.interests.select_related("challenge", "procurement").order_by("-created_at")[
                :50
            ]
        )
    context = {"profile": profile, "company": company, "can_edit": can_edit, "interests": interests}
    return render(request, "procurement/suppliers/profile.html", context)


@login_required
def profile_edit(request, pk: int):
    company = queries.get_company_for_user(request.user, pk)
    if not permissions.can_edit_supplier_profile(request.user, company):
        raise PermissionDenied
    profile = queries.profile_of(company)
    if request.method == "POST":
        form = SupplierProfileForm(request.POST)
        if form.is_valid():
            try:
                services.save_profile(request.user, company, **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The directory entry was saved."))
                return redirect("suppliers:profile", pk=company.pk)
    else:
        form = SupplierProfileForm(initial=SupplierProfileForm.initial_from(profile))
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "company": company, "profile": profile}
    return render(request, "procurement/suppliers/form.html", context, status=status)


def _page(request, rows, name: str):
    paginator = CappedPaginator(rows, settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get(name))
    query = request.GET.copy()
    query.pop(name, None)
    return page, query.urlencode()


def opportunities(request):
    """Public open challenges and public procurements in the market-dialogue stage; a
    supplier registers interest from here."""
    challenge_page, challenge_query = _page(request, queries.open_challenges(), "challenges")
    procurement_page, procurement_query = _page(
        request, queries.procurements_in_dialogue(), "procurements"
    )
    companies = queries.supplier_companies(request.user)
    interests = queries.interests_of_companies(
        companies, challenges=list(challenge_page), procurements=list(procurement_page)
    )
    for kind, page in (("challenge", challenge_page), ("procurement", procurement_page)):
        for row in page:
            row.own_interests = interests.get((kind, row.pk), [])
            registered = {i.supplier_id for i in row.own_interests if i.status == "registered"}
            row.may_register = bool(companies) and len(registered) < len(companies)
    context = {
        "challenge_page": challenge_page,
        "challenge_query": challenge_query,
        "procurement_page": procurement_page,
        "procurement_query": procurement_query,
        "companies": companies,
        "interest_form": InterestForm(companies=companies) if companies else None,
    }
    return render(request, "procurement/suppliers/opportunities.html", context)


def _target(user, kind: str, pk: int):
    if kind == "challenge":
        return permissions.get_challenge_for_user(user, pk)
    if kind == "procurement":
        return permissions.get_procurement_for_user(user, pk)
    raise Http404


def _back(request, target) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return services.anchor_path(target)


@login_required
def register_interest(request, kind: str, pk: int):
    target = _target(request.user, kind, pk)
    if not permissions.can_register_interest(request.user, target):
        raise PermissionDenied
    companies = queries.supplier_companies(request.user)
    if request.method == "POST":
        form = InterestForm(request.POST, companies=companies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                interest = services.register_interest(
                    request.user, target, supplier=data["supplier"], note=data["note"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(supplier)s registered its interest in “%(title)s”.")
                    % {"supplier": interest.supplier.name, "title": target.title},
                )
                return redirect(_back(request, target))
    else:
        form = InterestForm(companies=companies)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "target": target, "kind": kind, "next": _back(request, target)}
    return render(request, "procurement/suppliers/interest.html", context, status=status)


@login_required
@require_POST
def invite(request, kind: str, pk: int):
    target = _target(request.user, kind, pk)
    if not permissions.can_invite_suppliers(request.user, target):
        raise PermissionDenied
    events = queries.invitable_events(request.user)
    form = InviteForm(request.POST, events=events)
    supplier = None
    if form.is_valid():
        supplier = (
            permissions.organisations_visible_to(request.user)
            .filter(pk=form.cleaned_data["supplier"])
            .first()
        )
        where, event_pk = form.destination()
        try:
            if where == "event":
                event = Event.objects.filter(pk=event_pk).first() if event_pk else None
                services.invite_to_event(request.user, target, supplier, event)
                message = _("%(supplier)s was invited to “%(event)s”.") % {
                    "supplier": supplier.name if supplier else "",
                    "event": event.title if event else "",
                }
            else:
                services.invite_to_dialogue(request.user, target, supplier)
                message = _("%(supplier)s was invited to the market dialogue.") % {
                    "supplier": supplier.name if supplier else ""
                }
        except ValidationError as error:
            form.add_error("to", error.messages)
        else:
            messages.success(request, message)
            return redirect(services.anchor_path(target))
    context = {"form": form, "target": target, "kind": kind, "supplier": supplier}
    return render(request, "procurement/suppliers/invite.html", context, status=422)
