"""The pilots API: programmes, pilots, decisions, KPIs and measurements, benchmarks and
benefits — the same reads, services and permission rules as the pages."""

from ninja import Router

router = Router()

# section: programmes
# section: pilots
# section: decisions
# section: kpis and measurements
# section: benchmarks
# section: benefits
