"""Reading a proposal's economic table into :mod:`economics` data: its lines, its tables and
key figures in the three scenarios, and the discount schedule it is valued with.

The caller has already fetched the proposal through ``permissions.get_proposal_for_user``
(or ``proposals_visible_to``); these functions read only what belongs to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from . import economics
from .economics import SCENARIOS, DiscountSchedule, KeyFigures, Scenario, Table
from .models import EconomicLine, LineGroup, LineValue, Proposal

GROUP_ORDER = {code: index for index, code in enumerate(LineGroup.values)}


@dataclass(frozen=True)
class ProposalEconomics:
    lines: tuple[economics.Line, ...]  # key: the EconomicLine
    years: tuple[int, ...]
    schedule: DiscountSchedule
    has_uncertainty: bool
    tables: dict[Scenario, Table]
    figures: dict[Scenario, KeyFigures]


def schedule_of(proposal: Proposal) -> DiscountSchedule:
    """The proposal's preset, else its own rate, else 0 %. Reads the preset (one query
    unless it was fetched with ``select_related``)."""
    if proposal.discount_preset is not None:
        return DiscountSchedule.from_bands(proposal.discount_preset.bands)
    if proposal.own_discount_rate is not None:
        return DiscountSchedule.flat(proposal.own_discount_rate)
    return DiscountSchedule.flat(0)


def estimate_of(cell: LineValue) -> economics.Estimate:
    return economics.Estimate.of(cell.value, cell.low, cell.high)


def line_of(line: EconomicLine, cells: Iterable[LineValue]) -> economics.Line:
    return economics.Line(
        key=line,
        group=line.group,
        area=line.budget_area,
        label=line.label,
        values={cell.year: estimate_of(cell) for cell in cells},
    )


def ordered_lines(lines: Iterable[EconomicLine]) -> list[EconomicLine]:
    """Grouped in the order of :class:`LineGroup`, in the user's order within a group."""
    return sorted(lines, key=lambda line: (GROUP_ORDER.get(line.group, 99), line.position, line.pk))


def _economics(proposal: Proposal, lines: Iterable[EconomicLine]) -> ProposalEconomics:
    data = tuple(line_of(line, line.values.all()) for line in ordered_lines(lines))
    years = tuple(proposal.years)
    schedule = schedule_of(proposal)
    return ProposalEconomics(
        lines=data,
        years=years,
        schedule=schedule,
        has_uncertainty=any(e.uncertain for line in data for e in line.values.values()),
        tables={s: economics.build_table(data, years, s) for s in SCENARIOS},
        figures={s: economics.key_figures(data, years, schedule, s) for s in SCENARIOS},
    )


def _lines():
    return EconomicLine.objects.prefetch_related(
        Prefetch("values", queryset=LineValue.objects.order_by("year"))
    )


def economics_of(proposal: Proposal) -> ProposalEconomics:
    """Two queries (lines, cells), plus one for the preset unless it was select_related."""
    return _economics(proposal, _lines().filter(proposal=proposal))


def economics_by_proposal(proposal_ids: Iterable[int]) -> dict[int, ProposalEconomics]:
    """Proposal id → its economics, in three queries however many proposals and lines."""
    proposals = Proposal.objects.filter(pk__in=list(proposal_ids)).select_related("discount_preset")
    by_proposal: dict[int, list[EconomicLine]] = {p.pk: [] for p in proposals}
    for line in _lines().filter(proposal__in=list(by_proposal)):
        by_proposal[line.proposal_id].append(line)
    return {p.pk: _economics(p, by_proposal[p.pk]) for p in proposals}


# What the economy section shows ----------------------------------------------------------------


@dataclass(frozen=True)
class RowView:
    line: EconomicLine
    cells: list[tuple[int, LineValue | None]]  # every year of the table, in order


@dataclass(frozen=True)
class GroupView:
    code: str
    label: str
    rows: list[RowView]
    totals: list[Decimal]  # per year, likely scenario


@dataclass(frozen=True)
class TableView:
    economics: ProposalEconomics
    groups: list[GroupView]
    totals: list[Decimal]
    cumulative: list[Decimal]
    outside: list[tuple[str, int]]  # (line, year) of cells outside the table's years

    @property
    def figures(self) -> dict[Scenario, KeyFigures]:
        return self.economics.figures

    @property
    def years(self) -> tuple[int, ...]:
        return self.economics.years


def table_view(economics_: ProposalEconomics, *, every_group: bool = False) -> TableView:
    """The table as rows of stored cells, grouped; groups without lines only with
    ``every_group`` (the editor adds lines to them)."""
    years = economics_.years
    table = economics_.tables["likely"]
    stored: dict[str, list[RowView]] = {}
    groups = []
    for line in economics_.lines:
        cells = {cell.year: cell for cell in line.key.values.all()}  # type: ignore[attr-defined]
        row = RowView(line.key, [(year, cells.get(year)) for year in years])  # type: ignore[arg-type]
        stored.setdefault(line.group, []).append(row)  # type: ignore[arg-type]
    for code, label in LineGroup.choices:
        if code in stored or every_group:
            totals = table.group_totals.get(code, {})
            groups.append(
                GroupView(
                    code,
                    str(label),
                    stored.get(code, []),
                    [totals.get(y, Decimal(0)) for y in years],
                )
            )
    outside = [
        (line.label, year)
        for line in economics_.lines
        for year in sorted(line.values)
        if year not in years
    ]
    return TableView(
        economics_,
        groups,
        [table.totals[y] for y in years],
        [table.cumulative[y] for y in years],
        outside,
    )
