"""Committed and optional demand of a joint procurement, summed against its ceiling.

Pure: plain values in, dataclasses out; no Django. The lead and the participating buyers
commit their value (the estimated value, else the maximum); an option holder may buy up to
its maximum value (else its estimated value), which counts as optional demand until the
option is exercised and as committed demand from then on. The ceiling of the procurement
(options included) bounds committed plus optional demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

LEAD = "lead"
PARTICIPANT = "participant"
OPTION_HOLDER = "option_holder"
ZERO = Decimal(0)


@dataclass(frozen=True)
class BuyerDemand:
    """One buyer's part: its role (``lead``, ``participant``, ``option_holder``), values in
    whole units of the procurement's currency, and whether its option was exercised."""

    role: str
    estimated_value: Decimal | None = None
    maximum_value: Decimal | None = None
    exercised: bool = False

    @property
    def is_option(self) -> bool:
        return self.role == OPTION_HOLDER

    @property
    def value(self) -> Decimal:
        """What the buyer counts for against the ceiling."""
        if self.is_option:
            first, second = self.maximum_value, self.estimated_value
        else:
            first, second = self.estimated_value, self.maximum_value
        if first is not None:
            return first
        return second if second is not None else ZERO

    @property
    def committed(self) -> bool:
        return not self.is_option or self.exercised


@dataclass(frozen=True)
class Demand:
    committed: Decimal
    optional: Decimal
    ceiling: Decimal | None
    exercised: Decimal  # the part of ``committed`` that came from exercised options
    option_holders: int
    options_exercised: int

    @property
    def total(self) -> Decimal:
        return self.committed + self.optional

    @property
    def headroom(self) -> Decimal | None:
        """What is left under the ceiling (negative when above it); None without one."""
        return None if self.ceiling is None else self.ceiling - self.total

    @property
    def over_ceiling(self) -> bool:
        return self.ceiling is not None and self.total > self.ceiling

    def share(self, part: Decimal) -> Decimal | None:
        """``part`` as a percentage of the ceiling (None without a positive ceiling)."""
        if not self.ceiling:
            return None
        return (part * 100 / self.ceiling).quantize(Decimal("0.1"))


def demand(buyers: Iterable[BuyerDemand], ceiling: Decimal | None) -> Demand:
    committed = optional = exercised = ZERO
    holders = exercised_count = 0
    for buyer in buyers:
        if buyer.is_option:
            holders += 1
            if buyer.exercised:
                exercised_count += 1
                exercised += buyer.value
        if buyer.committed:
            committed += buyer.value
        else:
            optional += buyer.value
    return Demand(committed, optional, ceiling, exercised, holders, exercised_count)


@dataclass(frozen=True)
class CeilingExceeded:
    """Committed plus optional demand would be ``total``, above the ``ceiling`` by ``excess``."""

    total: Decimal
    ceiling: Decimal
    excess: Decimal


def check_ceiling(buyers: Iterable[BuyerDemand], ceiling: Decimal | None) -> CeilingExceeded | None:
    """None when the buyers fit under the ceiling (or there is none), else by how much not."""
    if ceiling is None:
        return None
    total = demand(buyers, ceiling).total
    if total > ceiling:
        return CeilingExceeded(total=total, ceiling=ceiling, excess=total - ceiling)
    return None
