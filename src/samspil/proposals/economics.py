"""The yearly economic table of a proposal and its key figures, computed from plain data.

Amounts are in 1,000 of the owner's currency at the proposal's price level; costs are
positive and savings negative (the Copenhagen convention), so a year's grand total is its
net cost. A cell is an :class:`Estimate`: one value, a range (min/max) or a three-point
estimate (low/likely/high); a :class:`Table` and :class:`KeyFigures` are for one scenario,
every cell at its low, likely or high value.

Net present value uses the Danish sign: the benefit is the negative net, so a proposal whose
savings outweigh its costs has a positive NPV. NPV = Σ_t (−net_t)·DF_t with t counted from
the table's first year (t = 0) and DF_t = Π_{k=1..t} 1/(1 + r_k), r_k the rate of the band
holding year index k.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Scenario = Literal["low", "likely", "high"]
SCENARIOS: tuple[Scenario, ...] = ("low", "likely", "high")
ZERO = Decimal(0)


def _decimal(value) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary error into the sums.
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Estimate:
    """A cell's value in each scenario; a plain value has low == likely == high."""

    low: Decimal
    likely: Decimal
    high: Decimal

    @classmethod
    def of(cls, value=None, low=None, high=None) -> Estimate:
        """A plain value (``value``), a range (``low`` and ``high``: likely is the midpoint)
        or a three-point estimate (all three: likely is ``value``). A missing bound takes
        the value's place, so ``of(5, high=8)`` is 5/5/8."""
        if value is None and low is None and high is None:
            raise ValueError("An estimate needs a value or a range.")
        if value is None:
            low = high if low is None else low
            high = low if high is None else high
            low, high = _decimal(low), _decimal(high)
            return cls(low, (low + high) / 2, high)
        likely = _decimal(value)
        return cls(
            likely if low is None else _decimal(low),
            likely,
            likely if high is None else _decimal(high),
        )

    @property
    def uncertain(self) -> bool:
        return self.low != self.high

    def at(self, scenario: Scenario) -> Decimal:
        return getattr(self, scenario)


@dataclass(frozen=True)
class Line:
    """A row of the table: ``values`` maps a year to its estimate (years without one are
    empty cells)."""

    key: object
    group: str
    area: str
    label: str
    values: Mapping[int, Estimate]


@dataclass(frozen=True)
class Table:
    """The table in one scenario. Rows hold only the years that have a value; totals and
    the cumulative net have every year of the table (0 where nothing is entered)."""

    years: tuple[int, ...]
    rows: tuple[tuple[Line, dict[int, Decimal]], ...]
    group_totals: dict[str, dict[int, Decimal]]
    totals: dict[int, Decimal]
    cumulative: dict[int, Decimal]


def build_table(
    lines: Iterable[Line], years: Iterable[int], scenario: Scenario = "likely"
) -> Table:
    """Groups appear in the order of their first line; values outside ``years`` are left out
    (the services report them; they never count in a total)."""
    years = tuple(years)
    rows = []
    group_totals: dict[str, dict[int, Decimal]] = {}
    totals = dict.fromkeys(years, ZERO)
    for line in lines:
        row = {year: line.values[year].at(scenario) for year in years if year in line.values}
        rows.append((line, row))
        group = group_totals.setdefault(line.group, dict.fromkeys(years, ZERO))
        for year, amount in row.items():
            group[year] += amount
            totals[year] += amount
    cumulative, running = {}, ZERO
    for year in years:
        running += totals[year]
        cumulative[year] = running
    return Table(years, tuple(rows), group_totals, totals, cumulative)


@dataclass(frozen=True)
class DiscountSchedule:
    """Rates in percent by year index bands ``(first, last, rate)``; an index after the last
    band keeps the last band's rate, an index before the first band the first band's."""

    bands: tuple[tuple[int, int, Decimal], ...]

    @classmethod
    def flat(cls, rate_percent) -> DiscountSchedule:
        return cls(((0, 1000, _decimal(rate_percent)),))

    @classmethod
    def from_bands(cls, bands: Iterable) -> DiscountSchedule:
        """From stored ``[[first, last, "rate"], …]`` (a preset's JSON)."""
        return cls(
            tuple(sorted((int(first), int(last), _decimal(rate)) for first, last, rate in bands))
        )

    def rate(self, index: int) -> Decimal:
        if not self.bands:
            return ZERO
        for first, last, rate in self.bands:
            if first <= index <= last:
                return rate
        return self.bands[0][2] if index < self.bands[0][0] else self.bands[-1][2]

    def factor(self, t: int) -> Decimal:
        """DF_0 = 1, DF_t = Π_{k=1..t} 1/(1+r_k)."""
        factor = Decimal(1)
        for k in range(1, t + 1):
            factor /= 1 + self.rate(k) / 100
        return factor


def npv(totals: Mapping[int, Decimal], first_year: int, schedule: DiscountSchedule) -> Decimal:
    """Σ_t (−net_t)·DF_t, t = year − first_year: savings (negative net) count as benefit.
    Years before ``first_year`` are not in a table; they are refused."""
    result, factor, index = ZERO, Decimal(1), 0
    for year in sorted(totals):
        t = year - first_year
        if t < 0:
            raise ValueError(f"{year} is before the first year {first_year}.")
        while index < t:  # DF grows year by year: linear in the number of years
            index += 1
            factor /= 1 + schedule.rate(index) / 100
        result += -totals[year] * factor
    return result


def payback_year(totals: Mapping[int, Decimal]) -> int | None:
    """The year in which the cumulative net, summed from the first non-zero year, first
    reaches ≤ 0: the year the savings have paid the costs back. A first non-zero year that is
    already a saving pays back at once. None when every year is 0 or the cumulative net is
    still positive in the table's last year (it does not pay back within the table)."""
    running, started = ZERO, False
    for year in sorted(totals):
        amount = totals[year]
        if not started and amount == 0:
            continue
        started = True
        running += amount
        if running <= 0:
            return year
    return None


def first_nonzero_year(totals: Mapping[int, Decimal]) -> int | None:
    return next((year for year in sorted(totals) if totals[year] != 0), None)


@dataclass(frozen=True)
class KeyFigures:
    npv: Decimal
    payback_year: int | None
    payback_years: int | None  # payback_year − the first non-zero year
    total_investment: Decimal  # sum of positive values, all years
    yearly_saving: Decimal  # −(sum of negatives in the last year), ≥ 0: full operation
    investment_by_area: dict[str, Decimal]
    saving_by_area: dict[str, Decimal]
    costs: dict[tuple[int, str], Decimal]  # positive values per (year, area): what a pool funds


def key_figures(
    lines: Iterable[Line],
    years: Iterable[int],
    schedule: DiscountSchedule,
    scenario: Scenario = "likely",
) -> KeyFigures:
    """The figures of one scenario. The last year of the table is taken as full operation."""
    table = build_table(lines, years, scenario)
    investment_by_area: dict[str, Decimal] = {}
    saving_by_area: dict[str, Decimal] = {}
    costs: dict[tuple[int, str], Decimal] = {}
    last = table.years[-1] if table.years else None
    for line, row in table.rows:
        for year, amount in row.items():
            if amount > 0:
                investment_by_area[line.area] = investment_by_area.get(line.area, ZERO) + amount
                costs[(year, line.area)] = costs.get((year, line.area), ZERO) + amount
            elif amount < 0 and year == last:
                saving_by_area[line.area] = saving_by_area.get(line.area, ZERO) - amount
    pays_back = payback_year(table.totals)
    first = first_nonzero_year(table.totals)
    return KeyFigures(
        npv=npv(table.totals, table.years[0], schedule) if table.years else ZERO,
        payback_year=pays_back,
        payback_years=None if pays_back is None or first is None else pays_back - first,
        total_investment=sum(investment_by_area.values(), ZERO),
        yearly_saving=sum(saving_by_area.values(), ZERO),
        investment_by_area=investment_by_area,
        saving_by_area=saving_by_area,
        costs=costs,
    )
