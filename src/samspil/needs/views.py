"""Pages of needs: report, my needs, list and search, triage board, a need and its forms.

Views stay thin: they parse a form, call a service, and render or redirect. htmx requests
get the partial they swap (``templates/needs/_*.html``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samspil.core import permissions
from samspil.core.models import Organisation, Role, Visibility
from samspil.core.web import add_service_errors, paginate, render_list

from . import exports, queries, services, similarity
from .forms import (
    CommentForm,
    EndorseForm,
    MergeForm,
    NeedFilterForm,
    NeedForm,
    OwnerForm,
    StatusForm,
)
from .models import DESCRIPTION_MAX, TITLE_MAX, Attachment, Endorsement, Need, NeedStatus, Theme

SIMILAR_LIMIT = 5
SIMILAR_MIN_CHARACTERS = 8


def _render_form(request, template: str, context: dict, form) -> object:
    # 422 tells htmx and tests apart from a page shown the first time; base.html swaps it.
    return render(request, template, context, status=422 if form.errors else 200)


def _similar(user, text: str, exclude_id: int | None = None, query_vector=None) -> list[dict]:
    """Similar needs for a panel: each with whether it is another organisation's."""
    if len(text.strip()) < SIMILAR_MIN_CHARACTERS:
        return []
    access = permissions.access_of(user)
    # The user's own organisations with everything below and above them: a department's
    # member shares the municipality's needs (``permissions.same_tree``), without a query
    # per need.
    own = access.sees_internal_of | permissions.member_of_and_above(user)
    rows = []
    for need, score in similarity.similar_needs(
        user, text, exclude_id=exclude_id, limit=SIMILAR_LIMIT, query_vector=query_vector
    ):
        other = need.owner_id not in own
        rows.append(
            {
                "need": need,
                "score": score,
                "other": other,
                "can_endorse": other
                and access.is_public_sector
                and need.visibility != Visibility.INTERNAL
                and need.status != NeedStatus.MERGED,
            }
        )
    return rows


# Reporting ---------------------------------------------------------------------------------


@login_required
def report(request):
    organisation = request.organisation
    if not organisation or not services.can_report_for(request.user, organisation):
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "needs/report.html", {"organisation": organisation})
    organisation = Organisation.objects.get(pk=organisation.pk)
    owner = services.reporting_owner(organisation)
    form = NeedForm(
        request.POST or None,
        request.FILES or None,
        departments=queries.departments_for(request.user, owner),
        initial={"department": queries.reporter_department(request.user, organisation, owner)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            need = services.report_need(
                request.user,
                organisation,
                attachments=form.cleaned_data["attachments"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your need was reported."))
            return redirect(need)
    context = {
        "form": form,
        "organisation": owner,
        "can_report": True,
        "files_lost": bool(request.FILES) and bool(form.errors),
    }
    if form.is_bound:
        # The suggestions stay in view while the person corrects the form.
        typed = f"{request.POST.get('title', '')[:TITLE_MAX]}\n"
        typed += request.POST.get("description", "")[:DESCRIPTION_MAX]
        context["similar"] = _similar(request.user, typed)
        context["new_tab"] = True
    return _render_form(request, "needs/report.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def similar(request):
    """The panel beside the report form: needs like the one being typed (htmx, debounced)."""
    data = request.POST if request.method == "POST" else request.GET
    title = data.get("title", "")[:TITLE_MAX]
    description = data.get("description", "")[:DESCRIPTION_MAX]
    exclude = data.get("exclude", "")
    exclude_id = int(exclude) if exclude.isdigit() else None
    rows = _similar(request.user, f"{title}\n{description}", exclude_id=exclude_id)
    typed = len(f"{title}{description}".strip()) >= SIMILAR_MIN_CHARACTERS
    return render(
        request, "needs/_similar.html", {"similar": rows, "typed": typed, "new_tab": True}
    )


@login_required
def edit(request, pk: int):
    need = permissions.get_need_for_user(request.user, pk)
    if not permissions.can_edit_need(request.user, need):
        raise PermissionDenied
    form = NeedForm(
        request.POST or None,
        request.FILES or None,
        departments=queries.departments_for(request.user, need.owner),
        initial=NeedForm.initial_from(need),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.update_need(request.user, need, **form.service_fields())
                for upload in form.cleaned_data["attachments"]:
                    services.add_attachment(request.user, need, upload)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The need was saved."))
            return redirect(need)
    context = {
        "form": form,
        "need": need,
        "attachments": list(need.attachments.all()),
        "files_lost": bool(request.FILES) and bool(form.errors),
    }
    return _render_form(request, "needs/edit.html", context, form)


@login_required
def mine(request):
    page, query = paginate(request, queries.my_needs(request.user))
    survivors = queries.visible_ids(request.user, [n.merged_into_id for n in page])
    return render(
        request, "needs/mine.html", {"page": page, "query": query, "open_survivors": survivors}
    )


# List, search and export ----------------------------------------------------------------------


def _filter_form(request) -> NeedFilterForm:
    return NeedFilterForm(
        request.GET or None,
        organisations=queries.filter_organisations(request.user),
        themes=Theme.objects.all(),
    )


def _searched(request, form: NeedFilterForm):
    filters = form.filters()
    return queries.search_needs(
        request.user,
        text=filters.get("q", ""),
        organisation=filters.get("organisation"),
        country=filters.get("country", ""),
        status=filters.get("status", ""),
        theme=filters.get("theme", ""),
        sort=filters.get("sort", ""),
    )


def need_list(request):
    form = _filter_form(request)
    filters = form.filters()
    listed = queries.list_needs(
        request.user,
        text=filters.get("q", ""),
        organisation=filters.get("organisation"),
        country=filters.get("country", ""),
        status=filters.get("status", ""),
        theme=filters.get("theme", ""),
        sort=filters.get("sort", ""),
    )
    page, query = paginate(
        request, queries.list_rows(listed.rows), cap=listed.cap, count=listed.count
    )
    context = {
        "form": form,
        "page": page,
        "query": query,
        "newest_first": listed.newest_first,
        "searching": bool(form.filters().get("q")),
        "can_report": request.user.is_authenticated,
        "can_triage": bool(queries.triage_organisations(request.user)),
    }
    return render_list(request, "needs/list.html", "needs/_results.html", context)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def export_csv(request):
    needs = queries.export_rows(_searched(request, _filter_form(request)))
    return exports.csv_response(needs, _base_url(request))


def export_xlsx(request):
    needs = queries.export_rows(_searched(request, _filter_form(request)))
    return exports.xlsx_response(needs, _base_url(request))


# Triage -------------------------------------------------------------------------------------


def _board_context(request, forms: dict | None = None, moved: Need | None = None) -> dict:
    columns = queries.board(request.user)
    forms = forms or {}
    for column in columns:
        for need in column.needs:
            need.status_form = forms.get(need.pk) or StatusForm(need=need)  # type: ignore[attr-defined]
    return {
        "columns": [c for c in columns if c.status in queries.BOARD_COLUMNS],
        "folded": [c for c in columns if c.status in queries.BOARD_FOLDED],
        "moved": moved,
        "list_organisations": queries.triage_roots(request.user),
    }


@login_required
def triage_board(request):
    if not queries.triage_organisations(request.user):
        raise PermissionDenied
    return render(request, "needs/board.html", _board_context(request))


@login_required
@require_POST
def change_status(request, pk: int):
    need = permissions.get_need_for_user(request.user, pk)
    if not permissions.can_triage_need(request.user, need):
        raise PermissionDenied
    from_board = request.POST.get("source") == "board"
    form = StatusForm(request.POST, need=need)
    if form.is_valid():
        try:
            services.change_status(
                request.user, need, form.cleaned_data["status"], form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if not form.errors:
        message = _("“%(title)s” is now “%(status)s”.") % {
            "title": need.title,
            "status": NeedStatus(need.status).label,
        }
        if from_board and request.htmx:
            response = render(request, "needs/_board.html", _board_context(request, moved=need))
            response["HX-Retarget"] = "#board"
            response["HX-Reswap"] = "outerHTML"
            return response
        messages.success(request, message)
        return redirect("needs:board") if from_board else redirect(need)
    if from_board:
        if request.htmx:
            card = queries.board_card(need)
            for name in form.errors:
                if name in form.fields:
                    form.fields[name].widget.attrs["autofocus"] = True
                    break
            card.status_form = form  # type: ignore[attr-defined]
            return render(request, "needs/_card.html", {"need": card}, status=422)
        return render(
            request, "needs/board.html", _board_context(request, forms={need.pk: form}), status=422
        )
    return _detail(request, pk, status_form=form)


@login_required
@require_POST
def assign_owner(request, pk: int):
    need = permissions.get_need_for_user(request.user, pk)
    if not permissions.can_triage_need(request.user, need):
        raise PermissionDenied
    form = OwnerForm(request.POST, people=queries.owner_choices(need))
    if form.is_valid():
        try:
            services.assign_need_owner(request.user, need, form.cleaned_data["need_owner"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The need owner was saved."))
            return redirect(need)
    return _detail(request, pk, owner_form=form)


@login_required
@require_POST
def merge(request, pk: int):
    need = permissions.get_need_for_user(request.user, pk)
    if not permissions.can_triage_need(request.user, need):
        raise PermissionDenied
    form = MergeForm(request.POST, candidates=queries.merge_candidates(request.user, need))
    if form.is_valid():
        try:
            survivor = services.merge_needs(request.user, form.cleaned_data["survivor"], need)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(absorbed)s” was merged into this need.") % {"absorbed": need.title},
            )
            return redirect(survivor)
    return _detail(request, pk, merge_form=form)


# Endorsements and comments --------------------------------------------------------------------


def _endorse_form(request, need: Need, data=None) -> EndorseForm:
    """Every public organisation the user speaks for is offered; the service refuses the
    need's own organisation with a clear message."""
    organisations = Organisation.objects.filter(
        pk__in=permissions.public_sector_memberships(request.user)
    ).order_by("name")
    eligible = permissions.endorsing_organisations(request.user, need)
    current = request.organisation
    initial = {}
    if eligible:
        chosen = next((o for o in eligible if current and o.pk == current.pk), eligible[0])
        initial["organisation"] = chosen.pk
    return EndorseForm(data, organisations=organisations, initial=initial)


@login_required
def endorse(request, pk: int):
    need = queries.need_for_page(request.user, pk)
    form = _endorse_form(request, need, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.endorse_need(
                request.user,
                permissions.get_need_for_user(request.user, pk),
                form.cleaned_data["organisation"],
                affected_count=form.cleaned_data["affected_count"],
                hours_per_week=form.cleaned_data["hours_per_week"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s has this need too: your numbers were added.")
                % {"organisation": form.cleaned_data["organisation"]},
            )
            return redirect(reverse("needs:detail", args=[need.pk]) + "#endorsements")
    context = {
        "need": need,
        "form": form,
        "eligible": permissions.endorsing_organisations(request.user, need),
    }
    return _render_form(request, "needs/endorse.html", context, form)


@login_required
@require_POST
def withdraw_endorsement(request, pk: int):
    endorsement = get_object_or_404(
        Endorsement.objects.filter(need__in=permissions.needs_visible_to(request.user)), pk=pk
    )
    services.withdraw_endorsement(request.user, endorsement)
    messages.success(request, _("The endorsement was withdrawn."))
    return redirect(reverse("needs:detail", args=[endorsement.need_id]) + "#endorsements")


@login_required
@require_POST
def comment(request, pk: int):
    need = permissions.get_need_for_user(request.user, pk)
    if not permissions.can_comment_need(request.user, need):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(request.user, need, form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(reverse("needs:detail", args=[need.pk]) + "#comments")
    return _detail(request, pk, comment_form=form)


# One need ---------------------------------------------------------------------------------


def detail(request, pk: int):
    return _detail(request, pk)


def _detail(request, pk: int, **bound_forms):
    user = request.user
    need = queries.need_for_page(user, pk)
    endorsements = queries.endorsements_of(need)
    can_triage = permissions.can_triage_need(user, need)
    can_comment = permissions.can_comment_need(user, need)
    similar_rows = _similar(
        user,
        similarity.need_text(need.title, need.description),
        exclude_id=need.pk,
        query_vector=similarity.stored_query_vector(need),
    )
    access = permissions.access_of(user)
    context = {
        "need": need,
        "themes": list(need.themes.all()),
        "endorsements": endorsements,
        "volume": queries.volume(need, endorsements),
        "attachments": list(need.attachments.all()),
        "similar": similar_rows,
        "can_triage": can_triage,
        "can_edit": permissions.can_edit_need(user, need),
        "can_comment": can_comment,
        "can_endorse": bool(permissions.endorsing_organisations(user, need))
        and need.status != NeedStatus.MERGED,
        "can_make_challenge": bool(
            permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
        )
        and need.status != NeedStatus.MERGED,
        "my_organisations": access.member_of,
        "survivor_visible": bool(queries.visible_ids(user, [need.merged_into_id])),
        "absorbed": queries.absorbed_into(user, need),
    }
    if context["can_endorse"]:
        context["endorse_form"] = _endorse_form(request, need)
    if can_comment:
        context["comments"] = list(need.comments.select_related("author"))
        context["comment_form"] = bound_forms.get("comment_form") or CommentForm()
    if can_triage and need.status != NeedStatus.MERGED:
        context["status_form"] = bound_forms.get("status_form") or StatusForm(need=need)
        context["owner_form"] = bound_forms.get("owner_form") or OwnerForm(
            people=queries.owner_choices(need), initial={"need_owner": need.need_owner_id}
        )
        options = queries.merge_options(user, need, [row["need"] for row in similar_rows])
        context["merge_form"] = bound_forms.get("merge_form") or MergeForm(
            candidates=queries.merge_candidates(user, need), options=options
        )
        if "merge_form" in bound_forms:
            bound_forms["merge_form"].fields["survivor"].widget.choices = [
                ("", _("Choose a need")),
                *options,
            ]
    status = 422 if any(form.errors for form in bound_forms.values()) else 200
    return render(request, "needs/detail.html", context, status=status)


def attachment(request, pk: int):
    """A file of a need, only for those who may see the need; always downloaded, never shown."""
    found = Attachment.objects.filter(pk=pk).only("pk", "need_id").first()
    if found is None:
        raise Http404
    permissions.get_need_for_user(request.user, found.need_id)
    found = Attachment.objects.get(pk=pk)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
