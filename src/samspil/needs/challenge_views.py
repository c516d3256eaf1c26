"""Pages of challenges: list with filters and search, create from needs, detail, edit, co-owners.

Views stay thin: they parse, call a service from ``services`` and render or redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.models import Role
from samspil.core.web import add_service_errors, paginate, render_list

from . import challenge_queries, services
from .challenge_forms import ChallengeFilterForm, ChallengeForm, InviteCoOwnerForm
from .models import Challenge, NeedStatus


def challenge_list(request):
    form = ChallengeFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    challenges = challenge_queries.with_details(
        challenge_queries.search_challenges(
            request.user,
            text=filters.get("q", ""),
            status=filters.get("status", ""),
            theme=filters.get("theme", ""),
            organisation=filters.get("organisation"),
            scaling_only=filters.get("scaling", False),
        ),
        request.user,
    )
    page, query = paginate(request, challenges)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": bool(
            permissions.organisations_with_role(request.user, Role.Code.INNOVATION_LEAD)
        ),
    }
    return render_list(
        request, "needs/challenges/list.html", "needs/challenges/_table.html", context
    )


def _needs_from_query(user, raw: str) -> list:
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()][:50]
    if not ids:
        return []
    return list(
        permissions.needs_visible_to(user)
        .filter(pk__in=ids)
        .exclude(status=NeedStatus.MERGED)
        .select_related("owner")
    )


def _default_owner(request, leading):
    current = getattr(request, "organisation", None)
    if current and any(o.pk == current.pk for o in leading):
        return current.pk
    return leading[0].pk if leading else None


@login_required
def challenge_create(request):
    leading = list(challenge_queries.organisations_leading_for(request.user))
    if not leading:
        raise PermissionDenied
    chosen = _needs_from_query(request.user, request.GET.get("needs", ""))
    form = ChallengeForm(
        request.POST or None,
        user=request.user,
        creating=True,
        chosen_needs=chosen,
        initial={"needs": [n.pk for n in chosen], "owner": _default_owner(request, leading)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        owner = data.pop("owner")
        needs = list(data.pop("needs"))
        co_owners = list(data.pop("co_owners"))
        try:
            challenge = services.create_challenge(
                request.user, owner, needs, co_owners=co_owners, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The challenge was created."))
            return redirect(challenge)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "needs/challenges/form.html", {"form": form}, status=status)


def _detail_context(request, challenge: Challenge, invite_form=None) -> dict:
    user = request.user
    co_owners = list(challenge.co_owners.all())
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    can_edit = permissions.can_edit_challenge(user, challenge)
    hidden = challenge.needs.count() - len(challenge_queries.visible_needs_of(challenge))
    return {
        "challenge": challenge,
        "needs": challenge_queries.visible_needs_of(challenge),
        "hidden_need_count": hidden,
        "co_owners": co_owners,
        "answerable": {c.pk for c in co_owners if c.organisation_id in led},
        "scaling": challenge_queries.scaling_status(challenge),
        "can_edit": can_edit,
        "invite_form": invite_form
        or (InviteCoOwnerForm(user=user, challenge=challenge) if can_edit else None),
        "show_history": can_edit and hidden == 0,
    }


def _challenge_with_details(user, pk) -> Challenge:
    challenge = permissions.get_challenge_for_user(user, pk)
    return get_object_or_404(
        challenge_queries.with_details(Challenge.objects.filter(pk=challenge.pk), user)
    )


def challenge_detail(request, pk: int):
    challenge = _challenge_with_details(request.user, pk)
    return render(request, "needs/challenges/detail.html", _detail_context(request, challenge))


@login_required
def challenge_edit(request, pk: int):
    challenge = _challenge_with_details(request.user, pk)
    if not permissions.can_edit_challenge(request.user, challenge):
        raise PermissionDenied
    current = challenge_queries.visible_needs_of(challenge)
    hidden = challenge.needs.count() - len(current)
    # The form edits a copy, so the heading keeps the saved title while errors are shown.
    editable = Challenge.objects.get(pk=challenge.pk)
    form = ChallengeForm(
        request.POST or None,
        instance=editable,
        user=request.user,
        creating=False,
        chosen_needs=current,
        hidden_needs=hidden,
        initial={"needs": [n.pk for n in current]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        needs = list(data.pop("needs") or [])
        if not hidden and {n.pk for n in needs} != {n.pk for n in current}:
            data["needs"] = needs
        try:
            services.update_challenge(request.user, Challenge.objects.get(pk=challenge.pk), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The challenge was saved."))
            return redirect(challenge)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "needs/challenges/form.html",
        {"form": form, "challenge": challenge},
        status=status,
    )


@login_required
@require_POST
def challenge_invite(request, pk: int):
    challenge = _challenge_with_details(request.user, pk)
    if not permissions.can_edit_challenge(request.user, challenge):
        raise PermissionDenied
    form = InviteCoOwnerForm(request.POST, user=request.user, challenge=challenge)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.invite_co_owner(request.user, challenge, organisation)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s was invited to own the challenge.")
                % {"organisation": organisation},
            )
            return redirect(challenge)
    return render(
        request,
        "needs/challenges/detail.html",
        _detail_context(request, challenge, invite_form=form),
        status=422,
    )


@login_required
@require_POST
def co_owner_answer(request, pk: int, co_owner_pk: int):
    challenge = permissions.get_challenge_for_user(request.user, pk)
    co_owner = get_object_or_404(
        challenge.co_owners.select_related("challenge", "organisation"), pk=co_owner_pk
    )
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        return HttpResponseBadRequest()
    accept = answer == "accept"
    services.answer_co_ownership(request.user, co_owner, accept)
    if accept:
        messages.success(
            request,
            _("%(organisation)s now owns the challenge together with %(owner)s.")
            % {"organisation": co_owner.organisation, "owner": challenge.owner},
        )
    else:
        messages.success(
            request,
            _("%(organisation)s declined to own the challenge.")
            % {"organisation": co_owner.organisation},
        )
    return redirect(challenge)
