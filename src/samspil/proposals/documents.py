"""A proposal as DOCX and PDF, a round's overview as XLSX and PDF.

``proposal_document`` and ``round_overview`` read everything in a constant number of queries
and format it in the language asked for: numbers in its style (Danish "2.700", English
"2,700") and the document's own labels translated; the template's headings stay in the
template's language, as on the page. The DOCX, PDF and XLSX writers then only lay out the
same rows, so the formats cannot disagree.

python-docx, openpyxl and WeasyPrint load only when a file is made: each takes a noticeable
part of a second to import, and most requests never need them.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from samspil.core import permissions
from samspil.core.models import Organisation, OrganisationKind

from . import economy_queries, round_queries
from .economics import Estimate, KeyFigures, Scenario
from .economy_xlsx import amount_format
from .models import (
    BudgetArea,
    Consultation,
    CriteriaRow,
    FollowUpItem,
    LineGroup,
    Proposal,
    ProposalSection,
    Round,
    SectionKind,
)

SCENARIO: Scenario = "likely"
CHECKED, UNCHECKED = "☒", "☐"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
WORD_LANGUAGES = {"da": "da-DK", "nb": "nb-NO", "sv": "sv-SE", "en": "en-GB"}
# Copenhagen's section 1.3 (economy): its text, then the service investments as Table 1.
ECONOMY_NARRATIVE = "economy_narrative"

# The layout both writers follow ------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    kind: str = "line"  # "group" heads a group, "subtotal" ends it, "total" ends the table


@dataclass(frozen=True)
class DocTable:
    caption: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    numeric: frozenset[int] = frozenset()  # columns aligned right
    row_header: int = 0  # the column that names each row
    is_table = True


@dataclass(frozen=True)
class Text:
    text: str
    remark: bool = False  # says a part is empty; shown in italics
    is_table = False

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", self.text) if p.strip()]


@dataclass(frozen=True)
class Part:
    """One section of the template, with its text and tables in the order shown."""

    number: str
    heading: str
    blocks: tuple[Text | DocTable, ...]

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip()


@dataclass(frozen=True)
class ProposalDocument:
    language: str
    title: str
    author: str
    facts: tuple[tuple[str, str], ...]
    departments: tuple[tuple[str, bool], ...]
    parts: tuple[Part, ...]


def amount(value: Decimal | int | None) -> str:
    """An amount in the active language's style; whole numbers without decimals."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == 0:
        value = abs(value)  # never "-0"
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, places, use_l10n=True, force_grouping=True)


def amount_range(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None or low == high:
        return amount(low if high is None else high)
    return f"{amount(low)}–{amount(high)}"


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


# The proposal ------------------------------------------------------------------------------


def _departments(proposal: Proposal, user) -> list[tuple[str, bool]]:
    """The municipality's departments as check boxes, ticked where affected. The presenting
    department's municipality is its parent; the affected ones always show, the others only
    when the reader may see them."""
    owner = proposal.owner
    municipality = owner.parent_id if owner.kind == OrganisationKind.DEPARTMENT else owner.pk
    affected = Proposal.affected_departments.through.objects.filter(
        proposal_id=proposal.pk, organisation_id=OuterRef("pk")
    )
    if municipality is None:  # a department on its own: only what the proposal names
        others = Q(pk__in=[])
    else:
        others = Q(parent_id=municipality, kind=OrganisationKind.DEPARTMENT)
    if user is not None:
        others &= Q(pk__in=permissions.organisations_visible_to(user).values("pk"))
    rows = (
        Organisation.objects.annotate(checked=Exists(affected))
        .filter(Q(checked=True) | others)
        .order_by("name", "pk")
        .values_list("name", "checked")
    )
    return list(rows)


def _cell(estimate: Estimate | None, value: Decimal | None) -> str:
    if estimate is None:
        return ""
    if estimate.uncertain:
        return f"{amount(value)} ({amount_range(estimate.low, estimate.high)})"
    return amount(value)


def _economic_table(proposal: Proposal, economics) -> DocTable | None:
    table = economics.tables[SCENARIO]
    if not table.rows:
        return None
    years = table.years
    by_group: dict[str, list] = {}
    for line, values in table.rows:
        by_group.setdefault(line.group, []).append((line, values))
    order = {code: i for i, code in enumerate(LineGroup.values)}
    rows: list[Row] = []
    filled_any: set[int] = set()
    for group in sorted(by_group, key=lambda code: order.get(code, len(order))):
        name = _label(LineGroup, group)
        rows.append(Row((name, "", *("" for _year in years)), "group"))
        filled: set[int] = set()
        for line, values in by_group[group]:
            filled |= set(values)
            cells = (_cell(line.values.get(year), values.get(year)) for year in years)
            rows.append(Row((line.label, _label(BudgetArea, line.area), *cells)))
        totals = table.group_totals[group]
        cells = (amount(totals[year]) if year in filled else "" for year in years)
        rows.append(Row((_("Total: %(group)s") % {"group": name}, "", *cells), "subtotal"))
        filled_any |= filled
    cells = (amount(table.totals[year]) if year in filled_any else "" for year in years)
    rows.append(Row((_("Total"), "", *cells), "total"))
    return DocTable(
        caption=_("Total economic consequences"),
        header=(_unit(proposal), _("Budget area"), *(str(year) for year in years)),
        rows=tuple(rows),
        numeric=frozenset(range(2, 2 + len(years))),
    )


def _unit(proposal: Proposal) -> str:
    return _("1,000 %(currency)s %(year)s prices") % {
        "currency": proposal.owner.currency,
        "year": proposal.price_level_year,
    }


def _service_investments(proposal: Proposal, economics) -> DocTable | None:
    """Table 1 of the Copenhagen section 1.3: each service line's costs (its positive
    amounts, investment as the key figures and the round overview count it) and their
    total per year; None when there are none."""
    table = economics.tables[SCENARIO]
    years = table.years
    totals = dict.fromkeys(years, Decimal(0))
    rows: list[Row] = []
    for line, values in table.rows:
        costs = {year: value for year, value in values.items() if value > 0}
        if line.area != BudgetArea.SERVICE or not costs:
            continue
        for year, value in costs.items():
            totals[year] += value
        cells = (_cell(line.values[year], costs[year]) if year in costs else "" for year in years)
        rows.append(Row((line.label, *cells)))
    if not rows:
        return None
    cells = (amount(totals[year]) if totals[year] else "" for year in years)
    rows.append(Row((_("Total investments, service"), *cells), "total"))
    return DocTable(
        caption=_("Table 1. Service investments in the proposal"),
        header=(_unit(proposal), *(str(year) for year in years)),
        rows=tuple(rows),
        numeric=frozenset(range(1, 1 + len(years))),
    )


def _discounting(proposal: Proposal) -> str:
    if proposal.discount_preset is not None:
        return proposal.discount_preset.name
    return f"{amount(proposal.own_discount_rate or 0)} %"


def _key_figures(proposal: Proposal, economics) -> DocTable:
    figures: dict[str, KeyFigures] = economics.figures
    scenarios = ("low", "likely", "high") if economics.has_uncertainty else (SCENARIO,)
    columns = [figures[s] for s in scenarios]

    def payback(f: KeyFigures) -> str:
        return str(f.payback_year) if f.payback_year is not None else _("Not within the table")

    header = (
        (_("Key figure"), _("Low"), _("Likely"), _("High"))
        if economics.has_uncertainty
        else (_("Key figure"), _("Value"))
    )
    npv_label = _("Net present value (%(rate)s)") % {"rate": _discounting(proposal)}
    rows = (
        Row((npv_label, *(amount(round(f.npv)) for f in columns))),
        Row((_("Payback year"), *(payback(f) for f in columns))),
        Row((_("Total investment"), *(amount(f.total_investment) for f in columns))),
        Row((_("Yearly saving in full operation"), *(amount(f.yearly_saving) for f in columns))),
    )
    return DocTable(
        caption=_("Key figures in 1,000 %(currency)s") % {"currency": proposal.owner.currency},
        header=header,
        rows=rows,
        numeric=frozenset(range(1, len(header))),
    )


def _economy_blocks(proposal: Proposal, economics) -> list[Text | DocTable]:
    table = _economic_table(proposal, economics)
    if table is None:
        return [Text(_("The economic table has no lines yet."), remark=True)]
    return [
        table,
        Text(_("Note to all tables: all savings are shown with a negative (-) sign.")),
        _key_figures(proposal, economics),
    ]


def _criteria_table(proposal: Proposal, rows: list[CriteriaRow]) -> DocTable | Text:
    if not rows:
        return Text(_("No prioritisation criteria have been filled in."), remark=True)

    def joined(*parts: str) -> str:
        return ", ".join(p for p in parts if p)

    def saving(row: CriteriaRow) -> str:
        value = amount_range(row.saving_low, row.saving_high)
        if value:
            value = _("%(amount)s a year") % {"amount": value}
        if row.saving_area:
            value = f"{value} ({_label(BudgetArea, row.saving_area)})".strip()
        return joined(value, row.saving_note)

    def budget_year(row: CriteriaRow) -> str:
        year = row.expected_budget_year
        if not year or str(year) in row.expected_proposal:  # "Budget 2022" says it already
            return ""
        return _("budget %(year)s") % {"year": year}

    return DocTable(
        caption=_("Prioritisation criteria, amounts in 1,000 %(currency)s")
        % {"currency": proposal.owner.currency},
        header=(
            _("Item"),
            _("Expense"),
            _("Expected investment proposal"),
            _("Potential for lasting efficiency (budget area)"),
            _("Cross-cutting"),
            _("Large-scale potential"),
            _("Mature use of new technology"),
        ),
        rows=tuple(
            Row(
                (
                    row.label,
                    joined(amount_range(row.expense_low, row.expense_high), row.expense_note),
                    joined(row.expected_proposal, budget_year(row)),
                    saving(row),
                    row.get_cross_cutting_display(),
                    row.get_large_scale_display(),
                    row.get_mature_technology_display(),
                )
            )
            for row in rows
        ),
    )


def _follow_up_table(items: list[FollowUpItem]) -> DocTable | Text:
    if not items:
        return Text(_("No follow-up has been planned."), remark=True)

    def responsible(item: FollowUpItem) -> str:
        return item.responsible or (str(item.responsible_user) if item.responsible_user else "")

    def when(item: FollowUpItem) -> str:
        due = _day(item.due_on)
        return f"{item.when} ({due})" if item.when and due else item.when or due

    return DocTable(
        caption=_("Follow-up"),
        header=(
            _("Success criterion"),
            _("How it is measured"),
            _("Who is responsible"),
            _("When"),
        ),
        rows=tuple(
            Row((item.criterion, item.how_measured, responsible(item), when(item)))
            for item in items
        ),
    )


def _consultation_table(consultations: list[Consultation]) -> DocTable | Text:
    if not consultations:
        return Text(_("No bodies to consult."), remark=True)
    return DocTable(
        caption=_("Who has been heard"),
        header=(_("Body"), _("When to consult"), _("Answer"), _("Date")),
        rows=tuple(
            Row(
                (
                    c.body,
                    c.guidance,
                    c.get_answer_display() or _("Not answered"),
                    _day(c.answered_on),
                )
            )
            for c in consultations
        ),
    )


def proposal_document(proposal: Proposal, language: str, user=None) -> ProposalDocument:
    """The proposal laid out in ``language``; with ``user``, departments they cannot see
    are left out of the check-box list unless the proposal affects them."""
    with translation.override(language):
        sections = list(
            ProposalSection.objects.filter(proposal=proposal)
            .select_related("section")
            .order_by("section__position", "pk")
        )
        economics = economy_queries.economics_of(proposal)
        criteria = list(proposal.criteria_rows.order_by("position", "pk"))
        follow_ups = list(
            proposal.follow_ups.select_related("responsible_user").order_by("position", "pk")
        )
        consultations = list(proposal.consultations.order_by("position", "pk"))
        structured: dict[str, Callable[[], list[Text | DocTable]]] = {
            SectionKind.ECONOMY: lambda: _economy_blocks(proposal, economics),
            SectionKind.CRITERIA: lambda: [_criteria_table(proposal, criteria)],
            SectionKind.FOLLOW_UP: lambda: [_follow_up_table(follow_ups)],
            SectionKind.CONSULTATIONS: lambda: [_consultation_table(consultations)],
        }
        investments = _service_investments(proposal, economics)
        parts = []
        for row in sections:
            section = row.section
            blocks: list[Text | DocTable] = [Text(row.text)] if row.text.strip() else []
            if section.kind in structured:
                blocks += structured[section.kind]()
            elif section.code == ECONOMY_NARRATIVE and investments is not None:
                blocks.append(investments)
            elif not blocks:
                blocks = [Text(_("This section has not been filled in."), remark=True)]
            parts.append(Part(section.number, section.heading, tuple(blocks)))
        facts = (
            (_("Short summary"), proposal.summary or "–"),
            (_("Presenting department"), proposal.owner.name),
            (_("Price-level year"), str(proposal.price_level_year)),
            (_("Committee"), proposal.committee or "–"),
            (_("State"), proposal.get_state_display()),
        )
        return ProposalDocument(
            language=language,
            title=proposal.title,
            author=proposal.owner.name,
            facts=facts,
            departments=tuple(_departments(proposal, user)),
            parts=tuple(parts),
        )


class _Docx:
    """A python-docx document with the building blocks a proposal needs."""

    def __init__(self, title: str, author: str, language: str) -> None:
        from docx import Document
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self._element, self._qn = OxmlElement, qn
        self.document = Document()
        properties = self.document.core_properties
        properties.title = title
        properties.author = author
        properties.language = language
        # The text's language, so that spelling and screen readers use the right one.
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), WORD_LANGUAGES.get(language, language))
        self.document.styles["Normal"].element.get_or_add_rPr().append(lang)

    def heading(self, text: str, level: int) -> None:
        self.document.add_heading(text, level=level)

    def paragraph(self, text: str, *, label: str = "", italic: bool = False) -> None:
        paragraph = self.document.add_paragraph()
        if label:
            paragraph.add_run(f"{label}: ").bold = True
        lines = text.splitlines() or [""]
        run = paragraph.add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run = paragraph.add_run(line)
        for run in paragraph.runs[1 if label else 0 :]:
            run.italic = italic

    def table(self, table: DocTable) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.document.add_paragraph(table.caption, style="Caption")
        grid = self.document.add_table(rows=1 + len(table.rows), cols=len(table.header))
        grid.style = "Table Grid"
        # Repeat the header row on every page and mark it as the table's header.
        repeat = self._element("w:tblHeader")
        repeat.set(self._qn("w:val"), "true")
        grid.rows[0]._tr.get_or_add_trPr().append(repeat)
        contents = [(table.header, True), *((row.cells, row.kind != "line") for row in table.rows)]
        for grid_row, (values, bold) in zip(grid.rows, contents, strict=True):
            for column, (cell, value) in enumerate(zip(grid_row.cells, values, strict=True)):
                paragraph = cell.paragraphs[0]
                paragraph.add_run(value).bold = bold
                if column in table.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def proposal_docx(document: ProposalDocument) -> bytes:
    with translation.override(document.language):
        doc = _Docx(document.title, document.author, document.language)
        doc.heading(document.title, 0)
        for label, value in document.facts:
            doc.paragraph(value, label=label)
        doc.paragraph("", label=_("Affected departments"))
        for name, checked in document.departments:
            doc.paragraph(f"{CHECKED if checked else UNCHECKED} {name}")
        if not document.departments:
            doc.paragraph(_("None"), italic=True)
        for part in document.parts:
            doc.heading(part.title, 1)
            for block in part.blocks:
                if isinstance(block, DocTable):
                    doc.table(block)
                else:
                    for text in block.paragraphs:
                        doc.paragraph(text, italic=block.remark)
        return doc.save()


def _html(template: str, context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, {**context, "language": language})


def _pdf(html: str) -> bytes:
    from samspil.core import pdf  # WeasyPrint loads only when a PDF is asked for

    return pdf.html_to_pdf(html)


def proposal_html(document: ProposalDocument) -> str:
    """The HTML the PDF is printed from."""
    context = {"document": document, "checked": CHECKED, "unchecked": UNCHECKED}
    return _html("proposals/documents/proposal_pdf.html", context, document.language)


def proposal_pdf(document: ProposalDocument) -> bytes:
    return _pdf(proposal_html(document))


# The round overview ------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    number: int | None
    proposal: str
    investment_service: Decimal
    investment_construction: Decimal
    saving_service: Decimal  # negative: savings are negative, as in the proposals' tables
    saving_transfers: Decimal
    payback_years: int | None
    committee: str


@dataclass(frozen=True)
class RoundOverview:
    language: str
    title: str
    author: str
    unit: str  # "1,000 DKK"
    ranked: bool  # numbers are ranks (scoring has closed), else the order of entry
    header: tuple[str, ...]
    rows: tuple[OverviewRow, ...]

    def table(self) -> DocTable:
        """The rows formatted for reading, in the active language."""
        return DocTable(
            caption=_("Proposals in the round"),
            header=self.header,
            rows=tuple(
                Row(
                    (
                        "" if r.number is None else str(r.number),
                        r.proposal,
                        amount(r.investment_service),
                        amount(r.investment_construction),
                        amount(r.saving_service),
                        amount(r.saving_transfers),
                        "–" if r.payback_years is None else str(r.payback_years),
                        r.committee,
                    )
                )
                for r in self.rows
            ),
            numeric=frozenset({0, 2, 3, 4, 5, 6}),
            row_header=1,
        )


def round_overview(round_: Round, language: str, user=None) -> RoundOverview:
    """One row per entry the user may see: ranked once scoring has closed (the ranking is
    blind until then), else in the order entered."""
    ranked = round_queries.scoring_closed(round_)
    entries = round_queries.ranking(round_, user) if ranked else None
    if entries is not None:
        pairs = [(e.rank, e.proposal) for e in entries]
    else:
        visible = round_queries.entries_of(round_, user)
        order = {
            pk: i
            for i, pk in enumerate(
                round_.entries.order_by("entered_at", "pk").values_list("pk", flat=True), 1
            )
        }
        pairs = [(order[e.pk], e.proposal) for e in visible]
    economics = economy_queries.economics_by_proposal([p.pk for _number, p in pairs])
    zero = Decimal(0)
    rows = []
    for number, proposal in pairs:
        figures = economics[proposal.pk].figures[SCENARIO]
        rows.append(
            OverviewRow(
                number=number,
                proposal=proposal.title,
                investment_service=figures.investment_by_area.get(BudgetArea.SERVICE, zero),
                investment_construction=figures.investment_by_area.get(
                    BudgetArea.CONSTRUCTION, zero
                ),
                saving_service=-figures.saving_by_area.get(BudgetArea.SERVICE, zero),
                saving_transfers=-figures.saving_by_area.get(BudgetArea.TRANSFERS, zero),
                payback_years=figures.payback_years,
                committee=proposal.committee,
            )
        )
    with translation.override(language):
        header = (
            _("Rank") if ranked else _("No."),
            _("Proposal"),
            _("Investment, service"),
            _("Investment, construction"),
            _("Saving in full operation, service"),
            _("Saving in full operation, transfers"),
            _("Payback (years)"),
            _("Committee"),
        )
        return RoundOverview(
            language=language,
            title=str(round_.title),
            author=round_.owner.name,
            unit=_("1,000 %(currency)s") % {"currency": round_.owner.currency},
            ranked=ranked,
            header=header,
            rows=tuple(rows),
        )


def round_xlsx(overview: RoundOverview) -> bytes:
    """Numbers as numbers (a spreadsheet formats them in its reader's own style)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    with translation.override(overview.language):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Overview")[:31]
        book.properties.title = overview.title
        book.properties.creator = overview.author
        sheet.append([overview.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_("Amounts in %(unit)s; savings are negative.") % {"unit": overview.unit}])
        sheet.append(list(overview.header))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for r in overview.rows:
            sheet.append(
                [
                    r.number,
                    r.proposal,
                    r.investment_service,
                    r.investment_construction,
                    r.saving_service,
                    r.saving_transfers,
                    r.payback_years,
                    r.committee,
                ]
            )
        for row in sheet.iter_rows(min_row=4, min_col=3, max_col=6):
            for cell in row:
                cell.number_format = amount_format(cell.value)
        sheet.freeze_panes = "A4"
        for column, width in enumerate((8, 48, 14, 14, 16, 16, 10, 24), 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def round_html(overview: RoundOverview) -> str:
    with translation.override(overview.language):
        table = overview.table()
    context = {"overview": overview, "table": table}
    return _html("proposals/documents/round_pdf.html", context, overview.language)


def round_pdf(overview: RoundOverview) -> bytes:
    return _pdf(round_html(overview))
