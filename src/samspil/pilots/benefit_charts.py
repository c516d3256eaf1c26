"""The benefits charts, drawn by the shared ``samspil.charts``: a benefit's measurements
against its baseline and target, and a programme's realised share of the planned improvement
per unit. Each page puts a table with the same figures next to its chart."""

from decimal import Decimal

from django.utils.translation import gettext as _

from samspil import charts

from .benefit_queries import ProgrammeBenefits
from .models import Benefit, BenefitMeasurement

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def measurement_chart(benefit: Benefit, measurements: list[BenefitMeasurement]):
    """The measurements over their dates with the baseline and target as horizontal lines;
    the axis follows the values (a change from 400 to 325 hours stays visible)."""
    series = charts.Series(_("Measured"), [(m.measured_on, m.value) for m in measurements])
    return charts.time_chart(
        [series],
        references=[
            charts.Reference(_("Baseline"), benefit.baseline_value),
            charts.Reference(_("Target"), benefit.target_value),
        ],
        y_from_zero=False,
        unit_chars=len(benefit.unit) + 1,
    )


def programme_chart(summary: ProgrammeBenefits):
    """A bar per unit: the realised improvement as a percentage of the planned one, with a
    line at 100 %. A unit whose plan has no improvement shows a dash."""
    bars = [
        charts.Bar(
            unit.unit, None if unit.share is None else (unit.share * HUNDRED).quantize(TENTH)
        )
        for unit in summary.units
    ]
    return charts.bar_chart(bars, references=[charts.Reference(_("Planned"), HUNDRED)])
