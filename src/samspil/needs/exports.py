"""The needs list as CSV (streamed) and XLSX (openpyxl, write-only), with the list's filters.

Both take a queryset that is already filtered by what the user may see
(``queries.export_rows(queries.search_needs(user, …))``); they only format rows.
Text that a spreadsheet would run as a formula (=, +, -, @ first) is kept as text.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from samspil.core.models import Organisation

from .models import Need

CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("Number"),
        _("Title"),
        _("Description"),
        _("Status"),
        _("Reason"),
        _("Organisation"),
        _("Department"),
        _("Country"),
        _("Visibility"),
        _("Themes"),
        _("Who is affected"),
        _("People affected"),
        _("How often"),
        _("Hours per week"),
        _("Endorsing organisations"),
        _("People affected, all organisations"),
        _("Hours per week, all organisations"),
        _("Reported"),
        _("Link"),
    ]


class _Labels:
    """The choice labels and the link pattern, in the active language, worked out once per
    export: Django's ``get_FOO_display`` hashes every lazy label of the field on each call,
    which took a third of the time of a long export."""

    def __init__(self, base_url: str):
        self.status = _labels(Need, "status")
        self.visibility = _labels(Need, "visibility")
        self.frequency = _labels(Need, "frequency")
        self.country = _labels(Organisation, "country")
        placeholder = 987654321
        self.link = base_url + reverse("needs:detail", args=[placeholder]).replace(
            str(placeholder), "{}"
        )


def _labels(model, field_name: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).choices}


def row_of(need: Need, labels: _Labels) -> list:
    own_people = need.affected_count or 0
    own_hours = Decimal(need.hours_per_week or 0)
    endorsed_people = getattr(need, "endorsed_people", None) or 0
    endorsed_hours = Decimal(getattr(need, "endorsed_hours", None) or 0)
    return [
        need.pk,
        need.title,
        need.description,
        labels.status.get(need.status, need.status),
        need.status_reason,
        need.owner.name,
        need.department.name if need.department else "",
        labels.country.get(need.owner.country, need.owner.country),
        labels.visibility.get(need.visibility, need.visibility),
        ", ".join(str(theme) for theme in need.themes.all()),
        need.affected_who,
        need.affected_count,
        labels.frequency.get(need.frequency, need.frequency) if need.frequency else "",
        need.hours_per_week,
        getattr(need, "endorsement_count", 0),
        own_people + endorsed_people,
        own_hours + endorsed_hours,
        timezone.localtime(need.created_at).strftime("%Y-%m-%d %H:%M"),
        labels.link.format(need.pk),
    ]


def rows(needs: QuerySet[Need], base_url: str = "") -> Iterator[list]:
    labels = _Labels(base_url)
    # The iterator keeps memory flat; themes are prefetched once per chunk.
    yield from (row_of(need, labels) for need in needs.iterator(chunk_size=CHUNK))


def _safe_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(needs: QuerySet[Need], base_url: str) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(headers())
    for row in rows(needs, base_url):
        yield writer.writerow([_safe_text(value) for value in row])


def _filename(extension: str) -> str:
    return f"needs-{timezone.localdate().isoformat()}.{extension}"


def csv_response(needs: QuerySet[Need], base_url: str = "") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(needs, base_url), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = cleaned
        # openpyxl would store text starting with "=" as a formula; keep it text.
        cell.data_type = "s"
    return cell


def xlsx_workbook(needs: QuerySet[Need], base_url: str = "") -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Needs"))
    sheet.append([_xlsx_cell(sheet, title) for title in headers()])
    for row in rows(needs, base_url):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    return workbook


def xlsx_response(needs: QuerySet[Need], base_url: str = "") -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    xlsx_workbook(needs, base_url).save(handle)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
