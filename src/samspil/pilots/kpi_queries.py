"""Reads of a pilot's KPIs with their latest value, gain and progress to the target.

The caller has fetched the pilot through ``permissions.get_pilot_for_user``: a pilot one may
see shows all its KPIs. Each KPI carries its latest measurement (``latest_value``,
``latest_on``, kept by ``kpi_services.refresh_latest``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from . import gain as gains
from .models import Kpi, Measurement, Pilot


def kpis_with_measurements(pilot: Pilot) -> list[Kpi]:
    """The pilot's KPIs with all their measurements (oldest first), in two queries."""
    measurements = Measurement.objects.select_related("recorded_by").order_by("measured_on", "pk")
    return list(
        pilot.kpis.select_related("definition")
        .prefetch_related(Prefetch("measurements", queryset=measurements))
        .order_by("position", "pk")
    )


@dataclass
class KpiSummary:
    kpi: Kpi
    latest_value: Decimal | None
    latest_on: date | None
    gain: Decimal | None
    progress: Decimal | None
    primary: bool = False
    measurements: list[Measurement] = field(default_factory=list)

    @property
    def measurement_rows(self) -> list[tuple[Measurement, Decimal | None]]:
        """Each measurement with its gain on the baseline."""
        kpi = self.kpi
        return [
            (m, gains.gain(kpi.baseline_value, m.value, kpi.direction)) for m in self.measurements
        ]

    @property
    def gain_state(self) -> str:
        """ "measured", "not_defined" (a zero baseline) or "no_measurement"."""
        if self.latest_value is None:
            return "no_measurement"
        return "measured" if self.gain is not None else "not_defined"


def summarise(
    kpi: Kpi,
    latest_value: Decimal | None,
    latest_on: date | None,
    *,
    primary: bool = False,
    measurements: list[Measurement] | None = None,
) -> KpiSummary:
    value = None if latest_value is None else Decimal(latest_value)
    return KpiSummary(
        kpi=kpi,
        latest_value=value,
        latest_on=latest_on,
        gain=None if value is None else gains.gain(kpi.baseline_value, value, kpi.direction),
        progress=gains.progress_to_target(kpi.baseline_value, kpi.target_value, value),
        primary=primary,
        measurements=measurements or [],
    )


def summaries_with_latest(pilot: Pilot) -> list[KpiSummary]:
    """One query: each KPI with its latest value, gain and progress (the pilot page's panel,
    the API)."""
    return [
        summarise(kpi, kpi.latest_value, kpi.latest_on, primary=index == 0)
        for index, kpi in enumerate(
            pilot.kpis.select_related("definition").order_by("position", "pk")
        )
    ]


def summaries_with_measurements(pilot: Pilot) -> list[KpiSummary]:
    """Two queries: each KPI with all its measurements as well (the KPI page)."""
    rows = []
    for index, kpi in enumerate(kpis_with_measurements(pilot)):
        measurements = list(kpi.measurements.all())
        last = gains.latest_point(gains.Point(m.measured_on, m.value) for m in measurements)
        rows.append(
            summarise(
                kpi,
                last.value if last else None,
                last.measured_on if last else None,
                primary=index == 0,
                measurements=measurements,
            )
        )
    return rows
