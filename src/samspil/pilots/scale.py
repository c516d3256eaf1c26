"""Pilots at national scale for benchmarks: ``manage.py load_scale --pilots 50000`` writes them.

The pilots belong to the organisations ``samspil.needs.scale`` generated (slugs ``scale-``): run
after it, or in the same ``load_scale`` run. Everything comes from one seeded
:class:`random.Random`, so the same options give the same data (the database's ids aside):

- programmes, one per about 100 pilots, owned by the larger municipalities;
- pilots in each owner's language on six topics (invoice coding, payroll, falls in care homes,
  complaints, medicine support, hospital equipment), half of them in one of their owner's
  programmes, with statuses and visibilities (60 % shared, 25 % public, 15 % internal);
- one or two KPIs per pilot: the first measures its topic's shared KPI definition (four times
  in five), the second is the pilot's own (staff satisfaction); about one payroll KPI in ten
  outside Norway is kept in the local currency, so the benchmark leaves it out;
- exactly ``measurements`` values, spread over the KPIs of the pilots that have started, each
  KPI's values dated apart and moving from the baseline towards a gain (or a loss).

The shared definitions are the demo's when ``load_demo`` made them (same name and unit, shared
or public), so the demo user's own pilots meet national-scale peers; missing ones are made,
owned by the first generated municipality. Rows are written in batches: ``bulk_create``, or
PostgreSQL ``COPY`` through ``samspil.needs.scale``. No history rows are written.

:func:`clear` removes the pilots, programmes and definitions owned by generated organisations
and what hangs on them (set-based SQL); ``load_scale --clear`` calls it first.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction

from samspil.core.models import Membership, Organisation, OrganisationKind, Visibility
from samspil.needs.scale import (
    EPOCH,
    PREFIX,
    SPAN_DAYS,
    _delete_rows,
    _insert,
    _keep_given_dates,
    _Weighted,
)

from .kpi_services import refresh_latest
from .models import (
    Benefit,
    Direction,
    Kpi,
    KpiDefinition,
    Measurement,
    Method,
    Pilot,
    PilotKind,
    PilotStatus,
    Programme,
)

LANGUAGE = {"DK": "da", "NO": "nb", "SE": "sv"}
METHOD = {"DK": Method.STATENS_IT_PROJEKTMODEL, "NO": Method.PROSJEKTVEIVISEREN, "SE": Method.LEAN}
TODAY = EPOCH.date()
PILOTS_PER_PROGRAMME = 100


@dataclass(frozen=True)
class DefinitionSpec:
    name: str
    unit: str
    direction: str
    description: str
    baseline: tuple[float, float]  # the range baselines are drawn from
    visibility: str = Visibility.SHARED
    ceiling: float | None = None  # the highest value the unit allows


@dataclass(frozen=True)
class Topic:
    definition: DefinitionSpec
    titles: dict[str, str]


# The first three are the demo's definitions (samspil.pilots.demo), matched by name and unit.
INVOICES = DefinitionSpec(
    "Minutter per kontert faktura",
    "minutter",
    Direction.LOWER,
    "Arbeidstid fra en inngående faktura er mottatt til den er kontert, delt på antall fakturaer.",
    (6, 25),
)
PAYSLIPS = DefinitionSpec(
    "Kostnad per lønnsslipp",
    "NOK",
    Direction.LOWER,
    "Alle kostnader ved lønnsproduksjonen i en måned delt på antall lønnsslipper.",
    (120, 420),
)
FALLS = DefinitionSpec(
    "Faldulykker pr. 1.000 sengedage",
    "fald pr. 1.000 sengedage",
    Direction.LOWER,
    "Antal fald blandt beboerne i en måned pr. 1.000 sengedage.",
    (4, 16),
)
COMPLAINTS = DefinitionSpec(
    "Dage fra klage til svar",
    "dage",
    Direction.LOWER,
    "Kalenderdage fra en klage er modtaget, til borgeren har fået svar.",
    (8, 70),
    Visibility.PUBLIC,
)
DOSES = DefinitionSpec(
    "Andel doser taget til tiden",
    "%",
    Direction.HIGHER,
    "Doser taget inden for en time af det ordinerede tidspunkt, i procent af alle doser.",
    (55, 92),
    ceiling=100,
)
EQUIPMENT = DefinitionSpec(
    "Timer brugt på at lede efter udstyr pr. uge",
    "timer pr. uge",
    Direction.LOWER,
    "Personalets samlede tid pr. uge på at finde udstyr på en afdeling.",
    (2, 18),
)

TOPICS = (
    Topic(INVOICES, {"da": "Robotkontering af fakturaer", "nb": "Robotkontering av fakturaer",
                     "sv": "Robotkontering av fakturor"}),
    Topic(PAYSLIPS, {"da": "Lønbehandling i fælles servicecenter",
                     "nb": "Lønnstjenester fra felles tjenestesenter",
                     "sv": "Lönehantering i gemensamt servicecenter"}),
    Topic(FALLS, {"da": "Sensorer mod faldulykker på plejecentre",
                  "nb": "Sensorer mot fallulykker på sykehjem",
                  "sv": "Sensorer mot fallolyckor på äldreboenden"}),
    Topic(COMPLAINTS, {"da": "Digital klagebehandling", "nb": "Digital klagebehandling",
                       "sv": "Digital klagomålshantering"}),
    Topic(DOSES, {"da": "Elektronisk medicinhusker", "nb": "Elektronisk medisindispenser",
                  "sv": "Digital läkemedelsautomat"}),
    Topic(EQUIPMENT, {"da": "Sporing af hospitalsudstyr", "nb": "Sporing av medisinsk utstyr",
                      "sv": "Spårning av sjukvårdsutrustning"}),
)  # fmt: skip
HYPOTHESIS = {
    "da": "Vi afprøver løsningen i seks måneder og måler gevinsten mod udgangspunktet.",
    "nb": "Vi prøver løsningen i seks måneder og måler gevinsten mot utgangspunktet.",
    "sv": "Vi prövar lösningen i sex månader och mäter vinsten mot utgångsläget.",
}
SATISFACTION = {"da": "Medarbejdertilfredshed", "nb": "Medarbeidertilfredshet",
                "sv": "Medarbetarnöjdhet"}  # fmt: skip
# The pilots' own second KPI, outside the catalogue.
SATISFACTION_SPEC = DefinitionSpec("", "1–5", Direction.HIGHER, "", (2.5, 3.8), ceiling=5)
PROGRAMME_TITLE = {"da": "Innovationsprogram {}", "nb": "Innovasjonsprogram {}",
                   "sv": "Innovationsprogram {}"}  # fmt: skip
LOCAL_CURRENCY = {"DK": "DKK", "SE": "SEK", "NO": "NOK"}
VISIBILITIES = ((Visibility.SHARED, 60), (Visibility.PUBLIC, 25), (Visibility.INTERNAL, 15))


@dataclass(frozen=True)
class PilotScaleOptions:
    pilots: int = 50_000
    measurements: int = 500_000
    seed: int = 1
    batch: int = 5_000


@dataclass
class PilotScaleCounts:
    programmes: int = 0
    pilots: int = 0
    kpis: int = 0
    measurements: int = 0
    definitions_made: int = 0


@dataclass
class _Owner:
    pk: int
    country: str
    top: int
    users: list[int]
    weight: float


def generated_organisations_exist() -> bool:
    return Organisation.objects.filter(slug__startswith=PREFIX).exists()


def _owners(rng: random.Random) -> list[_Owner]:
    """The generated public organisations with their people, a few large and many small."""
    rows = list(
        Organisation.objects.filter(slug__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", "country", "parent_id", "kind")
    )
    people: dict[int, list[int]] = {}
    memberships = Membership.objects.filter(organisation__slug__startswith=PREFIX).order_by("pk")
    for organisation_id, user_id in memberships.values_list("organisation_id", "user_id"):
        people.setdefault(organisation_id, []).append(user_id)
    owners = []
    for pk, country, parent_id, kind in rows:
        users = people.get(pk) or people.get(parent_id or 0) or []
        if not users:
            continue
        # Departments run pilots too, less than a whole municipality.
        share = 0.4 if kind in (OrganisationKind.DEPARTMENT, OrganisationKind.DISTRICT) else 1.0
        owners.append(_Owner(pk, country, parent_id or pk, users, share * rng.paretovariate(1.3)))
    return owners


def _definitions(owners: list[_Owner], counts: PilotScaleCounts) -> dict[str, KpiDefinition]:
    """The topics' definitions: the demo's where they exist, else made (owned by the first
    generated municipality)."""
    found: dict[str, KpiDefinition] = {}
    owner = min(owners, key=lambda o: o.pk)
    for topic in TOPICS:
        spec = topic.definition
        existing = (
            KpiDefinition.objects.filter(
                name__iexact=spec.name,
                unit__iexact=spec.unit,
                visibility__in=[Visibility.SHARED, Visibility.PUBLIC],
            )
            .order_by("pk")
            .first()
        )
        if existing is None:
            existing = KpiDefinition.objects.create(
                owner_id=owner.top,
                name=spec.name,
                unit=spec.unit,
                direction=spec.direction,
                description=spec.description,
                visibility=spec.visibility,
                created_by_id=owner.users[0],
            )
            counts.definitions_made += 1
        found[spec.name] = existing
    return found


def _programmes(
    options: PilotScaleOptions,
    rng: random.Random,
    owners: list[_Owner],
    counts: PilotScaleCounts,
) -> dict[int, list[int]]:
    """Programmes of the larger top-level organisations; returns the programme ids by owner."""
    tops = sorted((o for o in owners if o.top == o.pk), key=lambda o: -o.weight)
    wanted = max(1, options.pilots // PILOTS_PER_PROGRAMME)
    rows = []
    for index in range(wanted):
        owner = tops[index % len(tops)]
        starts = TODAY - timedelta(days=SPAN_DAYS - rng.randrange(365))
        language = LANGUAGE[owner.country]
        rows.append(
            Programme(
                owner_id=owner.pk,
                visibility=Visibility.PUBLIC if rng.random() < 0.4 else Visibility.SHARED,
                title=PROGRAMME_TITLE[language].format(f"{starts.year}–{starts.year + 6}"),
                description="",
                starts_on=starts,
                ends_on=starts + timedelta(days=6 * 365),
                method=METHOD[owner.country],
                gain_target_percent=Decimal(rng.choice((20, 25, 30))),
                max_pilot_months=6,
                created_by_id=owner.users[0],
                coordinator_id=owner.users[0],
                created_at=EPOCH - timedelta(days=SPAN_DAYS),
                updated_at=EPOCH - timedelta(days=SPAN_DAYS),
            )
        )
    with _keep_given_dates((Programme, "created_at"), (Programme, "updated_at")):
        _insert(Programme, rows, options.batch, need_ids=True)
    counts.programmes = len(rows)
    by_owner: dict[int, list[int]] = {}
    for row in rows:
        by_owner.setdefault(row.owner_id, []).append(row.pk)
    return by_owner


def _status(starts: date, ends: date, rng: random.Random) -> tuple[str, date | None]:
    if starts > TODAY:
        return PilotStatus.PLANNED, None
    if ends > TODAY:
        return PilotStatus.RUNNING, None
    if rng.random() < 0.15:
        return PilotStatus.STOPPED, starts + (ends - starts) / 2
    return PilotStatus.COMPLETED, ends


def _values(
    rng: random.Random, spec: DefinitionSpec, baseline: Decimal, count: int
) -> list[Decimal]:
    """``count`` values moving from the baseline towards a gain (one pilot in eight worsens),
    with some noise."""
    change = rng.uniform(-0.15, 0.05) if rng.random() < 0.125 else rng.uniform(0.05, 0.5)
    values = []
    for step in range(1, count + 1):
        progress = step / count
        factor = 1 + (change if spec.direction == Direction.HIGHER else -change) * progress
        value = float(baseline) * factor * rng.uniform(0.95, 1.05)
        if spec.ceiling is not None:
            value = min(value, spec.ceiling)
        values.append(Decimal(str(round(max(value, 0.0), 2))))
    return values


def _allocate(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` exactly (largest remainders)."""
    if not weights or total <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    rest = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[:rest]:
        counts[i] += 1
    return counts


# A KPI to measure: (kpi id, how its values move, baseline, baseline date).
Planned = tuple[int, DefinitionSpec, Decimal, date]


def _kpis_of(
    rng: random.Random, pilot: Pilot, country: str, topic: Topic, definition: KpiDefinition
) -> list[tuple[Kpi, DefinitionSpec]]:
    """The topic's KPI (from the catalogue four times in five) and, for half of the pilots,
    staff satisfaction."""
    spec = topic.definition
    unit = spec.unit
    if spec is PAYSLIPS and country != "NO" and rng.random() < 0.1:
        unit = LOCAL_CURRENCY[country]  # kept in the local currency: the benchmark leaves it out
    first = Kpi(
        pilot_id=pilot.pk,
        definition_id=definition.pk if rng.random() < 0.8 else None,
        name=spec.name,
        unit=unit,
        direction=spec.direction,
        baseline_value=Decimal(str(round(rng.uniform(*spec.baseline), 2))),
        baseline_on=pilot.starts_on,
        position=0,
    )
    kpis = [(first, spec)]
    if rng.random() < 0.5:
        second = Kpi(
            pilot_id=pilot.pk,
            name=SATISFACTION[LANGUAGE[country]],
            unit=SATISFACTION_SPEC.unit,
            direction=SATISFACTION_SPEC.direction,
            baseline_value=Decimal(str(round(rng.uniform(*SATISFACTION_SPEC.baseline), 1))),
            baseline_on=pilot.starts_on,
            position=1,
        )
        kpis.append((second, SATISFACTION_SPEC))
    return kpis


def _measure(
    options: PilotScaleOptions,
    rng: random.Random,
    plan: list[Planned],
    progress: Callable[[int], None],
    counts: PilotScaleCounts,
) -> None:
    """Exactly ``options.measurements`` values over the planned KPIs, dated apart after the
    baseline (monthly when the time since allows it)."""
    allocation = _allocate(options.measurements, [rng.uniform(0.5, 1.5) for _ in plan])
    rows: list[Measurement] = []

    def flush() -> None:
        with transaction.atomic(), _keep_given_dates((Measurement, "recorded_at")):
            _insert(Measurement, rows, options.batch)
            refresh_latest({row.kpi_id for row in rows})
        counts.measurements += len(rows)
        progress(len(rows))
        rows.clear()

    for (kpi_id, spec, baseline, baseline_on), count in zip(plan, allocation, strict=True):
        if not count:
            continue
        spacing = max(1, min(30, (TODAY - baseline_on).days // count))
        for step, value in enumerate(_values(rng, spec, baseline, count), start=1):
            rows.append(
                Measurement(
                    kpi_id=kpi_id,
                    measured_on=baseline_on + timedelta(days=spacing * step),
                    value=value,
                    note="",
                    recorded_at=EPOCH,
                )
            )
        if len(rows) >= options.batch:
            flush()
    if rows:
        flush()


def load_pilots(
    options: PilotScaleOptions,
    progress: Callable[[int], None] = lambda n: None,
    stage: Callable[[str], None] = lambda name: None,
) -> PilotScaleCounts:
    """Generate the programmes, pilots, KPIs and measurements; refuses to run twice over.
    ``progress`` is told of every pilot and every measurement written."""
    if not generated_organisations_exist():
        raise RuntimeError("No generated organisations: run load_scale first.")
    if Pilot.objects.filter(owner__slug__startswith=PREFIX).exists():
        raise RuntimeError("Generated pilots exist already; run load_scale --clear first.")
    rng = random.Random(options.seed)  # noqa: S311 - reproducible test data, not secrets
    counts = PilotScaleCounts()
    stage("programmes")
    with transaction.atomic():
        owners = _owners(rng)
        definitions = _definitions(owners, counts)
        programmes = _programmes(options, rng, owners, counts)
    pick_owner = _Weighted([(o, o.weight) for o in owners])
    pick_visibility = _Weighted(VISIBILITIES)
    plan: list[Planned] = []
    stage("pilots")
    done = 0
    while done < options.pilots:
        size = min(options.batch, options.pilots - done)
        pilots: list[tuple[Pilot, _Owner, Topic]] = []
        for _n in range(size):
            owner = pick_owner(rng)
            topic = rng.choice(TOPICS)
            # Starts over the five years before "today" and two months after it (planned).
            starts = TODAY - timedelta(days=rng.randrange(SPAN_DAYS) - 60)
            ends = starts + timedelta(days=rng.choice((90, 120, 150, 180)))
            status, ended = _status(starts, ends, rng)
            own_programmes = programmes.get(owner.top, [])
            in_programme = own_programmes and rng.random() < 0.5
            created = EPOCH - timedelta(days=max((TODAY - starts).days, 0) + 30)
            pilot = Pilot(
                owner_id=owner.pk,
                visibility=pick_visibility(rng),
                title=f"{topic.titles[LANGUAGE[owner.country]]} {starts.year}",
                programme_id=rng.choice(own_programmes) if in_programme else None,
                hypothesis=HYPOTHESIS[LANGUAGE[owner.country]],
                description="",
                kind=PilotKind.GAIN if rng.random() < 0.8 else PilotKind.SANDBOX,
                lead_id=rng.choice(owner.users),
                starts_on=starts,
                planned_end_on=ends,
                ended_on=ended,
                status=status,
                created_by_id=owner.users[0],
                created_at=created,
                updated_at=created,
            )
            pilots.append((pilot, owner, topic))
        with transaction.atomic(), _keep_given_dates((Pilot, "created_at"), (Pilot, "updated_at")):
            _insert(Pilot, [pilot for pilot, _o, _t in pilots], options.batch, need_ids=True)
            kpis: list[tuple[Kpi, DefinitionSpec]] = []
            for pilot, owner, topic in pilots:
                kpis.extend(
                    _kpis_of(rng, pilot, owner.country, topic, definitions[topic.definition.name])
                )
            _insert(Kpi, [kpi for kpi, _spec in kpis], options.batch, need_ids=True)
        started = {pilot.pk for pilot, _o, _t in pilots if pilot.status != PilotStatus.PLANNED}
        plan.extend(
            (kpi.pk, spec, kpi.baseline_value, kpi.baseline_on)
            for kpi, spec in kpis
            if kpi.pilot_id in started
        )
        counts.pilots += len(pilots)
        counts.kpis += len(kpis)
        done += size
        progress(size)
    stage("measurements")
    _measure(options, rng, plan, progress, counts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Programme, Pilot, KpiDefinition, Kpi, Measurement):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return counts


def clear() -> dict[str, int]:
    """Delete the pilots, programmes and KPI definitions owned by generated organisations, and
    what hangs on them; KPIs elsewhere that measured such a definition leave the catalogue.
    Set-based, like ``samspil.needs.scale.clear`` (which cannot delete an organisation that
    still owns a pilot)."""
    organisations = f"SELECT id FROM {Organisation._meta.db_table} WHERE slug LIKE %s"  # noqa: S608
    pilots = f"SELECT id FROM {Pilot._meta.db_table} WHERE owner_id IN ({organisations})"  # noqa: S608
    kpis = f"SELECT id FROM {Kpi._meta.db_table} WHERE pilot_id IN ({pilots})"  # noqa: S608
    benefits = f"SELECT id FROM {Benefit._meta.db_table} WHERE pilot_id IN ({pilots})"  # noqa: S608
    programmes = f"SELECT id FROM {Programme._meta.db_table} WHERE owner_id IN ({organisations})"  # noqa: S608
    definitions = (
        f"SELECT id FROM {KpiDefinition._meta.db_table} WHERE owner_id IN ({organisations})"  # noqa: S608
    )
    pattern = PREFIX.replace("_", r"\_") + "%"
    removed: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Measurement._meta.db_table} WHERE kpi_id IN ({kpis})",  # noqa: S608
            [pattern],
        )
        removed["measurements"] = cursor.rowcount
        removed["KPIs"] = _delete_rows(cursor, Kpi, kpis, pattern)
        removed["benefits"] = _delete_rows(cursor, Benefit, benefits, pattern)
        removed["pilots"] = _delete_rows(cursor, Pilot, pilots, pattern)
        cursor.execute(
            f"UPDATE {Kpi._meta.db_table} SET definition_id = NULL "  # noqa: S608
            f"WHERE definition_id IN ({definitions})",
            [pattern],
        )
        removed["KPI definitions"] = _delete_rows(cursor, KpiDefinition, definitions, pattern)
        removed["programmes"] = _delete_rows(cursor, Programme, programmes, pattern)
    return removed
