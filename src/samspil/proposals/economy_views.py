"""The economic table of a proposal: the section on the proposal page, its htmx editor
(add a line, edit a line's cells in one row, remove, move), the whole-table form, and XLSX
export and import.

Anyone who sees the proposal reads the table and exports it; those who may edit it
(``permissions.can_edit_proposal``) change it. With htmx a saved row comes back in place and
the totals and key figures are refreshed out of band, so other rows being edited keep their
drafts; without JavaScript every form posts the page and redirects back to the proposal's
table (``#economy``), or shows the form again with what was typed and the errors (422).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core import permissions
from samspil.core.web import add_service_errors, refusal_message

from . import economy_queries, economy_xlsx
from . import economy_services as services
from .economy_forms import ImportForm, LineForm, TableForm
from .models import EconomicLine, Proposal


def _proposal(request, pk: int, *, edit: bool = False) -> tuple[Proposal, bool]:
    """The proposal (404 when unseen; 403 when ``edit`` and the user may not edit it) and
    whether the user may edit it."""
    proposal = permissions.get_proposal_for_user(request.user, pk)
    can_edit = permissions.can_edit_proposal(request.user, proposal)
    if edit and not can_edit:
        raise PermissionDenied
    return proposal, can_edit


def _line_of(proposal: Proposal, line_pk: int) -> EconomicLine:
    line = get_object_or_404(
        EconomicLine.objects.prefetch_related("values"), proposal=proposal, pk=line_pk
    )
    line.proposal = proposal  # spares a query in the permission checks
    return line


def _table_url(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk]) + "#economy"


def _add_form(proposal: Proposal, data=None) -> LineForm:
    return LineForm(
        data,
        proposal=proposal,
        prefix="add",
        initial={"group": "implementation", "budget_area": "service"},
    )


def panel_context(proposal: Proposal, can_edit: bool, *, add_form=None) -> dict:
    """What ``proposals/economy/_panel.html`` needs: the table, key figures and, for an
    editor, the add form and import form. Two queries (lines, cells)."""
    view = economy_queries.table_view(economy_queries.economics_of(proposal), every_group=can_edit)
    return {
        "proposal": proposal,
        "can_edit": can_edit,
        "view": view,
        "add_form": (add_form or _add_form(proposal)) if can_edit else None,
        "import_form": ImportForm(prefix="import") if can_edit else None,
        "columns": len(view.years) + (3 if can_edit else 2),
    }


def _refresh(request, proposal: Proposal, template: str, extra: dict):
    """A row change for htmx: ``template`` (the row, or nothing) and, out of band, the group
    totals, the grand totals and the key figures."""
    context = panel_context(proposal, True)
    context.update(extra)
    return render(request, template, context)


def _line_page(request, proposal: Proposal, form: LineForm, line=None, status=200):
    context = {"proposal": proposal, "form": form, "line": line}
    return render(request, "proposals/economy/line.html", context, status=status)


# The whole table -------------------------------------------------------------------------------


@login_required
def table_edit(request, pk: int):
    """Every cell of the table in one form, saved all at once or not at all."""
    proposal, _can_edit = _proposal(request, pk, edit=True)
    lines = economy_queries.ordered_lines(
        EconomicLine.objects.filter(proposal=proposal).prefetch_related("values")
    )
    table = TableForm(proposal, lines, request.POST if request.method == "POST" else None)
    if request.method == "POST" and table.is_valid():
        try:
            services.save_lines(request.user, proposal, table.updates())
        except services.TableInvalid as error:
            table.add_table_errors(error)
        except ValidationError as error:
            table.new_form.add_error(None, error)
        else:
            messages.success(request, _("The table was saved."))
            return redirect(_table_url(proposal))
    status = 422 if request.method == "POST" else 200
    context = {"proposal": proposal, "table": table, "years": list(proposal.years)}
    return render(request, "proposals/economy/edit.html", context, status=status)


# One line --------------------------------------------------------------------------------------


@login_required
@require_POST
def line_add(request, pk: int):
    proposal, _can_edit = _proposal(request, pk, edit=True)
    form = _add_form(proposal, request.POST)
    if form.is_valid():
        try:
            line = services.add_line(request.user, proposal, form.line_input())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                line = _line_of(proposal, line.pk)
                extra = {"row": _row_of(proposal, line), "add_form": _add_form(proposal)}
                return _refresh(request, proposal, "proposals/economy/_added.html", extra)
            messages.success(request, _("The line was added."))
            return redirect(_table_url(proposal))
    if request.htmx:
        context = {"proposal": proposal, "add_form": form}
        return render(request, "proposals/economy/_add_form.html", context, status=422)
    return _line_page(request, proposal, form, status=422)


def _row_of(proposal: Proposal, line: EconomicLine) -> economy_queries.RowView:
    cells = {cell.year: cell for cell in line.values.all()}
    return economy_queries.RowView(line, [(year, cells.get(year)) for year in proposal.years])


def line_row(request, pk: int, line_pk: int):
    """A line's row as read (htmx: cancelling an edit)."""
    proposal, can_edit = _proposal(request, pk)
    line = _line_of(proposal, line_pk)
    context = {"proposal": proposal, "row": _row_of(proposal, line), "can_edit": can_edit}
    return render(request, "proposals/economy/_row.html", context)


@login_required
def line_edit(request, pk: int, line_pk: int):
    """GET: the row as a form (htmx) or a page with the form; POST: save the line."""
    proposal, _can_edit = _proposal(request, pk, edit=True)
    line = _line_of(proposal, line_pk)
    form = LineForm(
        request.POST if request.method == "POST" else None,
        proposal=proposal,
        line=line,
        prefix=f"l{line.pk}",
    )
    if request.method == "POST" and form.is_valid():
        group_before = line.group
        try:
            services.update_line(request.user, line, form.line_input())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("The line was saved."))
                return redirect(_table_url(proposal))
            line = _line_of(proposal, line.pk)
            extra = {"row": _row_of(proposal, line), "moved": line.group != group_before}
            return _refresh(request, proposal, "proposals/economy/_saved.html", extra)
    status = 422 if form.is_bound else 200
    if request.htmx:
        context = {"proposal": proposal, "line": line, "form": form, "can_edit": True}
        return render(request, "proposals/economy/_row_form.html", context, status=status)
    return _line_page(request, proposal, form, line, status=status)


@login_required
@require_POST
def line_delete(request, pk: int, line_pk: int):
    proposal, _can_edit = _proposal(request, pk, edit=True)
    services.remove_line(request.user, _line_of(proposal, line_pk))
    if request.htmx:
        return _refresh(request, proposal, "proposals/economy/_removed.html", {})
    messages.success(request, _("The line was removed."))
    return redirect(_table_url(proposal))


@login_required
@require_POST
def line_move(request, pk: int, line_pk: int):
    proposal, _can_edit = _proposal(request, pk, edit=True)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.move_line(request.user, _line_of(proposal, line_pk), offset)
    except ValidationError as error:
        refusal_message(request, error)
    return redirect(_table_url(proposal))


# XLSX ------------------------------------------------------------------------------------------


def table_export(request, pk: int):
    proposal, _can_edit = _proposal(request, pk)
    economics = economy_queries.economics_of(proposal)
    cells = {
        (line.key.pk, cell.year): cell  # type: ignore[attr-defined]
        for line in economics.lines
        for cell in line.key.values.all()  # type: ignore[attr-defined]
    }
    data = economy_xlsx.export(proposal, economics, cells)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stem = slugify(proposal.title)[:60] or "proposal"
    response["Content-Disposition"] = f'attachment; filename="{stem}-economy.xlsx"'
    return response


@login_required
def table_import(request, pk: int):
    """Replace the table from an XLSX file, only when the whole file is clean."""
    proposal, _can_edit = _proposal(request, pk, edit=True)
    if request.method != "POST":
        return redirect(_table_url(proposal))
    form = ImportForm(request.POST, request.FILES, prefix="import")
    problems: list[str] = []
    if form.is_valid():
        try:
            read = economy_xlsx.read_table(proposal, form.cleaned_data["file"].read())
        except economy_xlsx.FileRefused as error:
            form.add_error("file", str(error))
        else:
            problems = read.problems
            if not problems:
                try:
                    services.replace_table(request.user, proposal, read.lines)
                except services.TableInvalid as error:
                    problems = [
                        _("Row %(row)d: %(message)s")
                        % {"row": read.rows[p.line], "message": p.message}
                        for p in error.problems
                    ]
                else:
                    messages.success(
                        request,
                        _("The table was replaced by the file's %(count)d lines.")
                        % {"count": len(read.lines)},
                    )
                    return redirect(_table_url(proposal))
    context = {"proposal": proposal, "form": form, "problems": problems}
    return render(request, "proposals/economy/import.html", context, status=422)
