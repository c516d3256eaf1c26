"""Pages of the core: home, organisations, members, invitations, profile. Views stay thin."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import permissions, queries, services
from .context_processors import MODULES
from .forms import (
    AccessTokenForm,
    InviteForm,
    OrganisationFilterForm,
    OrganisationForm,
    ProfileForm,
    RegisterFromInvitationForm,
    RolesForm,
)
from .middleware import SESSION_KEY
from .models import Membership, Organisation, OrganisationKind, Role, User
from .tasks import queue_templated_email
from .web import add_service_errors, paginate, render_list


def home(request):
    return render(request, "core/home.html")


def module(request, key: str):
    labels = dict(MODULES)
    if key not in labels:
        raise Http404
    return render(request, "core/module.html", {"module_key": key, "module_label": labels[key]})


def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = (
        queries.search_organisations(
            request.user,
            text=filters.get("q", ""),
            kind=filters.get("kind", ""),
            country=filters.get("country", ""),
        )
        .select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
    )
    page, query = paginate(request, organisations)
    context = {"form": form, "page": page, "query": query}
    return render_list(
        request, "core/organisation_list.html", "core/_organisation_table.html", context
    )


def organisation_detail(request, pk: int):
    organisation = permissions.get_organisation_for_user(request.user, pk)
    children = permissions.organisations_visible_to(request.user).filter(parent=organisation)
    can_see_members = permissions.can_see_members(request.user, organisation)
    members = []
    if can_see_members:
        members = list(
            organisation.memberships.select_related("user")
            .prefetch_related("roles")
            .order_by("user__first_name", "user__last_name")
        )
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "children": children,
            "members": members,
            "can_see_members": can_see_members,
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
        },
    )


@login_required
def organisation_edit(request, pk: int):
    organisation = permissions.get_organisation_for_user(request.user, pk)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    # Only organisations the admin manages (and the present parent) can become the parent:
    # moving below another organisation would open its internal records to that one's members.
    access = permissions.access_of(request.user)
    parent_choices = Organisation.objects.filter(
        Q(pk__in=access.admin_of) | Q(pk=organisation.parent_id)
    ).exclude(pk=organisation.pk)
    if access.is_superuser:
        parent_choices = Organisation.objects.exclude(pk=organisation.pk)
    # The form edits a copy, so the heading keeps the saved name while errors are shown.
    editable = Organisation.objects.get(pk=organisation.pk)
    form = OrganisationForm(request.POST or None, instance=editable, parent_choices=parent_choices)
    if request.method == "POST" and form.is_valid():
        fresh = Organisation.objects.get(pk=organisation.pk)
        try:
            services.update_organisation(request.user, fresh, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect(organisation)
    return render(
        request, "core/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_add_part(request, pk: int):
    parent = permissions.get_organisation_for_user(request.user, pk)
    if not permissions.can_edit_organisation(request.user, parent):
        raise PermissionDenied
    initial = {
        "kind": OrganisationKind.DEPARTMENT,
        "country": parent.country,
        "currency": parent.currency,
        "theme_colour": parent.theme_colour,
        "visibility": parent.visibility,
    }
    form = OrganisationForm(request.POST or None, initial=initial, without_parent=True)
    if request.method == "POST" and form.is_valid():
        try:
            part = services.create_part_of(request.user, parent, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was created."))
            return redirect(part)
    return render(request, "core/organisation_add_part.html", {"form": form, "parent": parent})


@login_required
def organisation_members(request, pk: int):
    organisation = permissions.get_organisation_for_user(request.user, pk)
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            services.invite_member(
                request.user,
                organisation,
                invite_form.cleaned_data["email"],
                invite_form.cleaned_data["roles"],
            )
        except ValidationError as error:
            add_service_errors(invite_form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.")
                % {"email": invite_form.cleaned_data["email"]},
            )
            return redirect("organisation-members", pk=organisation.pk)
    memberships = (
        organisation.memberships.select_related("user")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("id")))
        .order_by("user__first_name", "user__last_name")
    )
    rows = [
        {"membership": m, "form": RolesForm(initial={"roles": [r.code for r in m.roles.all()]})}
        for m in memberships
    ]
    invitations = (
        organisation.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
        .prefetch_related("roles")
        .select_related("invited_by")
    )
    return render(
        request,
        "core/organisation_members.html",
        {
            "organisation": organisation,
            "rows": rows,
            "invite_form": invite_form,
            "invitations": invitations,
        },
    )


@login_required
@require_POST
def membership_roles(request, pk: int):
    membership = permissions.get_membership_for_user(request.user, pk)
    if not permissions.can_manage_members(request.user, membership.organisation):
        raise PermissionDenied
    form = RolesForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.set_roles(request.user, membership, form.cleaned_data["roles"])
            saved = True
        except ValidationError as error:
            add_service_errors(form, error)
    if request.htmx:
        # Always 200: htmx swaps only 2xx answers, and a refusal is shown inside the partial.
        return render(
            request,
            "core/_membership_roles.html",
            {"row": {"membership": membership, "form": form}, "saved": saved},
        )
    if saved:
        messages.success(request, _("The roles were saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("organisation-members", pk=membership.organisation_id)


@login_required
@require_POST
def membership_remove(request, pk: int):
    membership = permissions.get_membership_for_user(request.user, pk)
    organisation_id = membership.organisation_id
    try:
        services.remove_member(request.user, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(person)s is no longer a member.") % {"person": membership.user}
        )
    return redirect("organisation-members", pk=organisation_id)


def invitation_accept(request, token: str):
    invitation = services.find_open_invitation(token)
    if invitation is None:
        return render(request, "core/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(request.user, invitation)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                request.session[SESSION_KEY] = invitation.organisation_id
                messages.success(
                    request,
                    _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation},
                )
                return redirect(invitation.organisation)
        return render(request, "core/invitation_accept.html", {"invitation": invitation})
    form = RegisterFromInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_from_invitation(
                invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="samspil.core.auth.EmailOrUsernameBackend")
            request.session[SESSION_KEY] = invitation.organisation_id
            response = redirect(invitation.organisation)
            _set_language_cookie(response, user.language)
            return response
    return render(
        request, "core/invitation_register.html", {"invitation": invitation, "form": form}
    )


@login_required
def profile(request):
    # The form edits a copy, so the header keeps the saved name while errors are shown.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        response = redirect("profile")
        _set_language_cookie(response, request.user.language)
        return response
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    extra = {}
    if new_token:
        extra = {
            "new_token": request.user.access_tokens.filter(pk=new_token["id"]).first(),
            "secret": new_token["secret"],
        }
    return render(request, "core/profile.html", _profile_context(request, form=form, **extra))


NEW_TOKEN_SESSION_KEY = "new_access_token"


def _profile_context(request, **extra):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .prefetch_related("roles")
        .order_by("organisation__name")
    )
    return {
        "form": ProfileForm(instance=request.user),
        "token_form": AccessTokenForm(),
        "tokens": request.user.access_tokens.all(),
        "memberships": memberships,
        **extra,
    }


@login_required
@require_POST
def token_create(request):
    form = AccessTokenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "core/profile.html", _profile_context(request, token_form=form), status=422
        )
    token, secret = services.create_access_token(request.user, form.cleaned_data["name"])
    # Shown once on the next page: a reload of that page does not make another token.
    request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
    return redirect(reverse("profile") + "#tokens")


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(request.user.access_tokens, pk=pk)
    services.revoke_access_token(request.user, token)
    messages.success(request, _("The token was revoked."))
    return redirect("profile")


@login_required
@require_POST
def switch_organisation(request):
    raw = request.POST.get("organisation", "")
    organisation_id = int(raw) if raw.isdigit() else 0
    if not Membership.objects.filter(user=request.user, organisation_id=organisation_id).exists():
        raise Http404
    request.session[SESSION_KEY] = organisation_id
    return _back(request)


def _back(request) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


def set_language(request):
    """Django's language switch, remembered on the profile of a signed-in user."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.update_profile(request.user, language=language)
    return response


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        max_age=365 * 24 * 3600,
    )


class LoginView(auth_views.LoginView):
    """After sign-in, pages follow the user's preferred language."""

    def form_valid(self, form):
        response = super().form_valid(form)
        _set_language_cookie(response, form.get_user().language)
        return response


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset e-mail in the person's own language, sent by the job worker."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        context = {
            **context,
            "reset_path": reverse(
                "password_reset_confirm", args=[context["uid"], context["token"]]
            ),
        }
        queue_templated_email(to_email, "registration/password_reset", context, user.language)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_required
def notifications(request):
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        return redirect("notifications")
    page, query = paginate(request, request.user.notifications.all())
    return render(request, "core/notifications.html", {"page": page, "query": query})


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = get_object_or_404(request.user.notifications, pk=pk)
    services.mark_notifications_read(request.user, [notification.pk])
    target = notification.url or reverse("notifications")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("notifications")
    return HttpResponseRedirect(target)
