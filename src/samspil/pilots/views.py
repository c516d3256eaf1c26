"""Pages of pilots: list, detail, create/edit, status, maturity and outcome, partners, lessons,
adoption.

Views stay thin: they parse, call a service from ``services`` and render or redirect. Pages
for editors answer 404 to those who do not see the pilot and 403 to those who see it only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.models import Role
from samspil.core.web import add_service_errors, paginate, render_list
from samspil.events import team_queries

from . import queries, services
from .forms import (
    AdoptForm,
    LessonForm,
    MaturityForm,
    PartnerForm,
    PilotFilterForm,
    PilotForm,
    StatusForm,
)
from .models import Lesson, MaturityStage, Pilot, PilotPartner


def _may_create(user) -> bool:
    return bool(permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD))


def pilot_list(request):
    form = PilotFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    pilots = queries.search_pilots(
        request.user,
        organisation=filters.get("organisation"),
        programme=filters.get("programme"),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        maturity=filters.get("maturity", ""),
        q=filters.get("q", ""),
    )
    page, query = paginate(request, pilots)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_create": _may_create(request.user),
    }
    return render_list(request, "pilots/list.html", "pilots/_table.html", context)


def _can_adopt(user, pilot: Pilot) -> bool:
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return bool(led - {pilot.owner_id})


def _detail_context(request, pilot: Pilot, **extra) -> dict:
    user = request.user
    can_edit = permissions.can_edit_pilot(user, pilot)
    context = {
        "pilot": pilot,
        "warnings": queries.length_warnings(pilot),
        "team": list(pilot.team.all()),
        "partners": list(pilot.partners.all()),
        "lessons": list(pilot.lessons.all()),
        "adoptions": list(queries.adoptions_of(user, pilot)),
        "stages": MaturityStage.choices,
        "can_edit": can_edit,
        "can_decide": permissions.can_decide_pilot(user, pilot),
        "can_adopt": _can_adopt(user, pilot),
        "lesson_form": LessonForm() if can_edit else None,
    }
    context.update(extra)
    return context


def pilot_detail(request, pk: int):
    pilot = queries.pilot_with_details(request.user, pk)
    return render(request, "pilots/detail.html", _detail_context(request, pilot))


def editable_pilot(request, pk: int) -> Pilot:
    """The pilot for its editors: 404 when unseen, 403 when seen but not editable."""
    pilot = permissions.get_pilot_for_user(request.user, pk)
    if not permissions.can_edit_pilot(request.user, pilot):
        raise PermissionDenied
    return pilot


def _warn_length(request, pilot: Pilot) -> None:
    for warning in queries.length_warnings(pilot):
        messages.warning(request, warning)


@login_required
def pilot_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    initial = {"lead": request.user}
    challenge_id = request.GET.get("challenge")
    submission_id = request.GET.get("submission")
    if challenge_id and request.method != "POST":
        challenge = permissions.get_challenge_for_user(request.user, challenge_id)
        initial = services.start_from_challenge(request.user, challenge)
    elif submission_id and request.method != "POST":
        submission = team_queries.get_submission_for_user(request.user, submission_id)
        initial = services.start_from_submission(request.user, submission)
    form = PilotForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.create_pilot(
                request.user, form.cleaned_data["owner"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pilot was created."))
            _warn_length(request, pilot)
            return redirect(pilot)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "pilots/form.html", {"form": form}, status=status)


@login_required
def pilot_edit(request, pk: int):
    pilot = editable_pilot(request, pk)
    # The form edits a copy, so the heading keeps the saved title while errors are shown.
    form = PilotForm(
        request.POST or None, instance=Pilot.objects.get(pk=pilot.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.update_pilot(
                request.user, Pilot.objects.get(pk=pilot.pk), **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pilot was saved."))
            _warn_length(request, pilot)
            return redirect(pilot)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "pilots/form.html", {"form": form, "pilot": pilot}, status=status)


@login_required
def pilot_status(request, pk: int):
    pilot = editable_pilot(request, pk)
    form = StatusForm(request.POST or None, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_status(request.user, pilot, data["status"], data.get("ended_on"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(pilot)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "pilots/status.html", {"form": form, "pilot": pilot}, status=status)


@login_required
def pilot_maturity(request, pk: int):
    pilot = permissions.get_pilot_for_user(request.user, pk)
    if not permissions.can_decide_pilot(request.user, pilot):
        raise PermissionDenied
    initial = {
        "maturity": pilot.maturity,
        "outcome": pilot.outcome,
        "outcome_reason": pilot.outcome_reason,
    }
    form = MaturityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_maturity(
                request.user,
                pilot,
                data["maturity"],
                data["outcome"],
                data["outcome_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The maturity stage was saved."))
            return redirect(pilot)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "pilot": pilot, "stages": MaturityStage.choices}
    return render(request, "pilots/maturity.html", context, status=status)


# Partners ---------------------------------------------------------------------------------------


@login_required
def partner_add(request, pk: int):
    pilot = editable_pilot(request, pk)
    form = PartnerForm(request.POST or None, user=request.user, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_partner(
                request.user, pilot, data["organisation"], data["role"], data["contribution"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partner was added."))
            return redirect(pilot)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "pilot": pilot, "partners": list(queries.partners_of(pilot))}
    return render(request, "pilots/partners.html", context, status=status)


@login_required
@require_POST
def partner_remove(request, pk: int, partner_pk: int):
    pilot = editable_pilot(request, pk)
    partner = get_object_or_404(
        PilotPartner.objects.select_related("pilot"), pk=partner_pk, pilot=pilot
    )
    services.remove_partner(request.user, partner)
    messages.success(request, _("The partner was removed."))
    return redirect("pilots:partner-add", pk=pilot.pk)


# Lessons ----------------------------------------------------------------------------------------


def _lessons_response(request, pilot: Pilot, form=None, status: int = 200, message: str = ""):
    """The lessons section for htmx; the status message is read out by its live region."""
    context = {
        "pilot": pilot,
        "lessons": list(pilot.lessons.select_related("created_by")),
        "can_edit": True,
        "lesson_form": form or LessonForm(),
        "lesson_message": message,
    }
    return render(request, "pilots/_lessons.html", context, status=status)


@login_required
@require_POST
def lesson_add(request, pk: int):
    pilot = editable_pilot(request, pk)
    form = LessonForm(request.POST)
    if form.is_valid():
        try:
            services.add_lesson(request.user, pilot, form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The lesson was added.")
            if request.htmx:
                return _lessons_response(request, pilot, message=message)
            messages.success(request, message)
            return redirect(f"{pilot.get_absolute_url()}#lessons")
    if request.htmx:
        return _lessons_response(request, pilot, form, status=422)
    context = _detail_context(
        request, queries.pilot_with_details(request.user, pilot.pk), lesson_form=form
    )
    return render(request, "pilots/detail.html", context, status=422)


def _editable_lesson(request, pk: int, lesson_pk: int) -> tuple[Pilot, Lesson]:
    pilot = editable_pilot(request, pk)
    lesson = get_object_or_404(Lesson.objects.select_related("pilot"), pk=lesson_pk, pilot=pilot)
    return pilot, lesson


@login_required
def lesson_edit(request, pk: int, lesson_pk: int):
    pilot, lesson = _editable_lesson(request, pk, lesson_pk)
    form = LessonForm(request.POST or None, instance=Lesson.objects.get(pk=lesson.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_lesson(request.user, lesson, form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lesson was saved."))
            return redirect(f"{pilot.get_absolute_url()}#lessons")
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "pilot": pilot, "lesson": lesson}
    return render(request, "pilots/lesson_form.html", context, status=status)


@login_required
@require_POST
def lesson_delete(request, pk: int, lesson_pk: int):
    pilot, lesson = _editable_lesson(request, pk, lesson_pk)
    services.delete_lesson(request.user, lesson)
    message = _("The lesson was deleted.")
    if request.htmx:
        return _lessons_response(request, pilot, message=message)
    messages.success(request, message)
    return redirect(f"{pilot.get_absolute_url()}#lessons")


# Adoption ---------------------------------------------------------------------------------------


@login_required
def pilot_adopt(request, pk: int):
    """Another organisation's innovation lead takes the pilot up in their organisation."""
    source = permissions.get_pilot_for_user(request.user, pk)
    if not _can_adopt(request.user, source):
        raise PermissionDenied
    length = source.planned_end_on - source.starts_on
    today = timezone.localdate()
    initial = {"title": source.title, "starts_on": today, "planned_end_on": today + length}
    form = AdoptForm(request.POST or None, user=request.user, pilot=source, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        try:
            adopted = services.adopt_pilot(request.user, source, owner, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pilot was adopted."))
            return redirect(adopted)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "pilots/adopt.html", {"form": form, "pilot": source}, status=status)
