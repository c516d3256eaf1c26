"""The KPI catalogue and benchmarks: writes of KPI definitions and reference values, and the
benchmark of one definition.

A KPI definition ("minutes per invoice coded") is owned by an organisation; its innovation
leads create and edit it. Shared and public definitions form the catalogue that other
organisations' pilots measure. Once KPIs measure a definition its unit and direction stay
(those KPIs keep them too, see ``kpi_services``), and it cannot become internal while other
organisations' pilots measure it.

A reference value is an external figure (another country's statistics, a best practice) with
its source; innovation leads of any public-sector organisation add one to a definition they
see, and only the adding organisation's innovation leads change or delete it.

``benchmark(user, definition)`` ranks the latest value of every KPI of the definition in the
pilots the user may see, in a constant number of queries whatever their number: one query reads
every KPI's id, unit, owner and latest value (a correlated subquery on the (kpi, measured_on)
index, served backwards on SQLite and PostgreSQL alike), Python ranks them and computes the
summary, and a page of rows is read in two more queries (its KPIs with their latest
measurement, and the organisation trees of their owners). A few small queries more find the
viewer's municipality (the top of their organisations' tree and what lies below it) and read
the reference values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import overload

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core import permissions
from samspil.core.models import Organisation, Role, User, Visibility
from samspil.core.validation import too_long

from . import benchmark_stats as stats
from . import gain as gains
from .kpi_services import normalise_unit, number_error
from .models import TEXT_MAX, Direction, Kpi, KpiDefinition, ReferenceValue

DEFINITION_FIELDS = {"name", "unit", "direction", "description", "visibility"}
REFERENCE_FIELDS = {"label", "value", "measured_on", "source", "source_url"}
NAME_MAX = 200
UNIT_MAX = 60
LABEL_MAX = 200
SOURCE_MAX = 500
URL_MAX = 200
# Organisation trees are a few levels deep: one query follows this many parents, and a deeper
# tree costs one more query per further ``TREE_LEVELS`` levels.
TREE_LEVELS = 4
# Values keep the model's four decimals; gains (fractions) four too, 0.01 of a percent.
PLACES = Decimal("0.0001")

validate_web_address = URLValidator(schemes=["http", "https"])


class Scope(models.TextChoices):
    """Where a benchmark row's pilot sits seen from the viewer."""

    OWN = "own", gettext_lazy("Your organisation")
    MUNICIPALITY = "municipality", gettext_lazy("Elsewhere in your municipality")
    OUTSIDE = "outside", gettext_lazy("Outside your municipality")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _save(actor: User, record: models.Model) -> None:
    record._history_user = actor  # type: ignore[attr-defined]
    record.full_clean()
    record.save()


# KPI definitions ----------------------------------------------------------------------------------


def _clean_definition_fields(fields: dict) -> dict:
    unknown = set(fields) - DEFINITION_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    cleaned = dict(fields)
    errors: dict[str, str] = {}
    for name, limit in (("name", NAME_MAX), ("unit", UNIT_MAX)):
        if name in cleaned:
            cleaned[name] = " ".join((cleaned[name] or "").split())
            if not cleaned[name]:
                errors[name] = _("This field is required.")
            elif len(cleaned[name]) > limit:
                errors[name] = too_long(limit)
    if "description" in cleaned:
        cleaned["description"] = (cleaned["description"] or "").strip()
        if len(cleaned["description"]) > TEXT_MAX:
            errors["description"] = too_long(TEXT_MAX)
    if "direction" in cleaned and cleaned["direction"] not in Direction.values:
        errors["direction"] = _("Choose whether lower or higher is better.")
    if "visibility" in cleaned and cleaned["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose internal, shared or public.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_kpi_definition(actor: User, owner: Organisation, **fields) -> KpiDefinition:
    """An innovation lead of ``owner`` adds a definition; internal unless told otherwise."""
    fields = _clean_definition_fields(fields)
    missing = {"name", "unit", "direction"} - set(fields)
    if missing:
        raise ValidationError({name: _("This field is required.") for name in sorted(missing)})
    definition = KpiDefinition(owner=owner, created_by=actor, **fields)
    _require(permissions.can_edit_kpi_definition(actor, definition))
    _save(actor, definition)
    return definition


def _measured_elsewhere(definition: KpiDefinition) -> bool:
    """Whether pilots outside the owner's organisation tree measure the definition."""
    own = permissions._with_descendants({definition.owner_id})
    return definition.kpis.exclude(pilot__owner_id__in=own).exists()


@transaction.atomic
def update_kpi_definition(actor: User, definition: KpiDefinition, **fields) -> KpiDefinition:
    _require(permissions.can_edit_kpi_definition(actor, definition))
    fields = _clean_definition_fields(fields)
    definition = KpiDefinition.objects.select_for_update().get(pk=definition.pk)
    errors: dict[str, str] = {}
    unit_changes = "unit" in fields and normalise_unit(fields["unit"]) != normalise_unit(
        definition.unit
    )
    direction_changes = "direction" in fields and fields["direction"] != definition.direction
    if (unit_changes or direction_changes) and definition.kpis.exists():
        message = _("KPIs measure this definition already: make a new definition instead.")
        if unit_changes:
            errors["unit"] = message
        if direction_changes:
            errors["direction"] = message
    if (
        fields.get("visibility") == Visibility.INTERNAL
        and definition.visibility != Visibility.INTERNAL
        and _measured_elsewhere(definition)
    ):
        errors["visibility"] = _(
            "Other organisations' pilots measure this definition: it stays shared or public."
        )
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(definition, name, value)
    _save(actor, definition)
    return definition


# Reference values ---------------------------------------------------------------------------------


def reference_organisations(user) -> models.QuerySet[Organisation]:
    """The public-sector organisations in whose name the user may add a reference value."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return Organisation.objects.filter(
        pk__in=led & permissions.public_sector_memberships(user)
    ).order_by("name", "pk")


def can_change_reference_value(user, reference: ReferenceValue) -> bool:
    """Only the adding organisation's innovation leads (and those above it) change or delete
    a reference value."""
    if not user.is_authenticated:
        return False
    led = permissions.organisations_with_role(user, Role.Code.INNOVATION_LEAD)
    return reference.added_by_organisation_id in led


def _clean_reference_fields(fields: dict, *, partial: bool) -> dict:
    unknown = set(fields) - REFERENCE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    cleaned = dict(fields)
    errors: dict[str, str] = {}
    required = set() if partial else {"label", "value", "measured_on", "source"}
    for name, limit in (("label", LABEL_MAX), ("source", SOURCE_MAX)):
        if name in cleaned or name in required:
            cleaned[name] = (cleaned.get(name) or "").strip()
            if not cleaned[name]:
                errors[name] = _("This field is required.")
            elif len(cleaned[name]) > limit:
                errors[name] = too_long(limit)
    if "value" in cleaned or "value" in required:
        message = number_error(cleaned.get("value"))
        if message:
            errors["value"] = message
    if "measured_on" in cleaned or "measured_on" in required:
        measured_on = cleaned.get("measured_on")
        if not isinstance(measured_on, date):
            errors["measured_on"] = _("Give the date the value was measured or published.")
    if "source_url" in cleaned:
        url = (cleaned["source_url"] or "").strip()
        cleaned["source_url"] = url
        if len(url) > URL_MAX:
            errors["source_url"] = too_long(URL_MAX)
        elif url:
            try:
                validate_web_address(url)
            except ValidationError:
                errors["source_url"] = _("Enter a web address starting with http:// or https://.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def add_reference_value(
    actor: User, definition: KpiDefinition, organisation: Organisation | None, **fields
) -> ReferenceValue:
    """An innovation lead of a public-sector organisation adds an external value, with its
    source, to a definition they see."""
    _require(permissions.can_add_reference_value(actor))
    if not permissions.kpi_definitions_visible_to(actor).filter(pk=definition.pk).exists():
        raise PermissionDenied
    if (
        organisation is None
        or not reference_organisations(actor).filter(pk=organisation.pk).exists()
    ):
        raise ValidationError(
            {"organisation": _("Choose a public organisation where you lead innovation.")}
        )
    fields = _clean_reference_fields(fields, partial=False)
    reference = ReferenceValue(
        definition=definition, added_by_organisation=organisation, created_by=actor, **fields
    )
    _save(actor, reference)
    return reference


@transaction.atomic
def update_reference_value(actor: User, reference: ReferenceValue, **fields) -> ReferenceValue:
    _require(can_change_reference_value(actor, reference))
    fields = _clean_reference_fields(fields, partial=True)
    for name, value in fields.items():
        setattr(reference, name, value)
    _save(actor, reference)
    return reference


@transaction.atomic
def delete_reference_value(actor: User, reference: ReferenceValue) -> None:
    _require(can_change_reference_value(actor, reference))
    reference._history_user = actor  # type: ignore[attr-defined]
    reference.delete()


# The benchmark ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """An organisation and the top of its tree (its municipality, region or agency)."""

    organisation_id: int
    organisation: str
    country: str
    top_id: int
    top: str


@dataclass(frozen=True)
class BenchmarkRow:
    kpi_id: int
    kpi_name: str
    pilot_id: int
    pilot_title: str
    place: Place
    baseline: Decimal
    baseline_on: date
    latest: Decimal | None
    latest_on: date | None
    gain: Decimal | None  # a fraction; None without a measurement or with a zero baseline
    scope: str
    position: int | None  # 1 = the best latest value; None without a measurement

    @property
    def is_own(self) -> bool:
        return self.scope == Scope.OWN

    @property
    def scope_label(self) -> str:
        return str(Scope(self.scope).label)


@dataclass(frozen=True)
class Summary:
    count: int  # KPIs compared (in the definition's unit)
    measured: int  # of them with a measurement
    organisations: int
    median: Decimal | None
    best: Decimal | None
    own_count: int
    own_position: int | None  # the position of the viewer's best row among the measured
    other_unit_count: int  # KPIs left out because they measure in another unit


# One KPI in the ranking: (KPI id, scope, position or None).
Ranked = tuple[int, str, int | None]


class BenchmarkRows:
    """The ranked KPIs of a benchmark, best first. Slicing (a page) reads the rows' details in
    two queries, so that a page costs the same whatever the number of KPIs; ``len`` and
    ``count()`` read nothing. Paginators take it like a queryset."""

    def __init__(self, ranked: list[Ranked], direction: str):
        self.ranked = ranked
        self.direction = direction

    def __len__(self) -> int:
        return len(self.ranked)

    def count(self) -> int:
        return len(self.ranked)

    @overload
    def __getitem__(self, index: int) -> BenchmarkRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[BenchmarkRow]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _details(self.ranked[index], self.direction)
        return _details([self.ranked[index]], self.direction)[0]

    def __iter__(self) -> Iterator[BenchmarkRow]:
        return iter(self[:])


@dataclass(frozen=True)
class Benchmark:
    definition: KpiDefinition
    ranked: list[Ranked]  # best first; KPIs without a measurement last
    summary: Summary
    reference_values: list[ReferenceValue] = field(default_factory=list)

    @property
    def rows(self) -> BenchmarkRows:
        return self.rows_in("")

    def rows_in(self, scope: str) -> BenchmarkRows:
        ranked = self.ranked if not scope else [entry for entry in self.ranked if entry[1] == scope]
        return BenchmarkRows(ranked, self.definition.direction)

    def own_page(self, page_size: int) -> int | None:
        """The page (of ``page_size`` rows) that holds the viewer's best row."""
        for index, (_kpi, scope, _position) in enumerate(self.ranked):
            if scope == Scope.OWN:
                return index // page_size + 1
        return None


def _decimal(value: float | None) -> Decimal | None:
    """A value computed in floats, back to the model's four decimals."""
    return None if value is None else Decimal(repr(value)).quantize(PLACES)


def _places(organisation_ids: set[int]) -> dict[int, Place]:
    """Each organisation with the top of its tree, in one query for trees up to
    ``TREE_LEVELS`` levels."""
    chain = ["parent__" * level for level in range(TREE_LEVELS)]
    columns = [name for prefix in chain for name in (f"{prefix}pk", f"{prefix}name")]
    beyond = "parent__" * TREE_LEVELS + "pk"
    found: dict[int, Place] = {}
    deeper: dict[int, int] = {}  # organisation → the ancestor whose top is still unknown
    rows = Organisation.objects.filter(pk__in=organisation_ids).values_list(
        "country", beyond, *columns
    )
    for country, further, *pairs in rows:
        levels = [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
        levels = [(pk, name) for pk, name in levels if pk is not None]
        top_id, top = levels[-1]
        own_id, own = levels[0]
        found[own_id] = Place(own_id, own, country, top_id, top)
        if further is not None:
            deeper[own_id] = further
    if deeper:
        above = _places(set(deeper.values()))
        for own_id, ancestor in deeper.items():
            place = found[own_id]
            top = above[ancestor]
            found[own_id] = Place(
                place.organisation_id, place.organisation, place.country, top.top_id, top.top
            )
    return found


def _entries(user, definition: KpiDefinition):
    """(KPI id, unit, owner id, latest value) of every visible KPI of the definition.

    The latest value is the one each KPI keeps; it comes as a float, which spares thousands
    of Decimal conversions: the page shows exact values, read again for its rows only.
    """
    return (
        Kpi.objects.filter(permissions.pilot_visible_q(user, path="pilot"), definition=definition)
        .order_by()
        .annotate(latest=Cast("latest_value", FloatField()))
        .values_list("pk", "unit", "pilot__owner_id", "latest")
    )


def _details(ranked: list[Ranked], direction: str) -> list[BenchmarkRow]:
    """The rows of these ranked KPIs, in their order, with their gain in ``direction``: two
    queries."""
    if not ranked:
        return []
    kpis = Kpi.objects.filter(pk__in=[kpi for kpi, _s, _p in ranked]).select_related("pilot")
    by_kpi = {kpi.pk: kpi for kpi in kpis}
    places = _places({kpi.pilot.owner_id for kpi in by_kpi.values()})
    found = []
    for kpi_id, scope, position in ranked:
        kpi = by_kpi.get(kpi_id)
        if kpi is None:  # deleted since the ranking was read
            continue
        value = kpi.latest_value
        found.append(
            BenchmarkRow(
                kpi_id=kpi_id,
                kpi_name=kpi.name,
                pilot_id=kpi.pilot_id,
                pilot_title=kpi.pilot.title,
                place=places[kpi.pilot.owner_id],
                baseline=kpi.baseline_value,
                baseline_on=kpi.baseline_on,
                latest=value,
                latest_on=kpi.latest_on,
                gain=None
                if value is None
                else _rounded(gains.gain(kpi.baseline_value, value, direction)),
                scope=scope,
                position=position,
            )
        )
    return found


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PLACES)


def benchmark(user, definition: KpiDefinition) -> Benchmark:
    """Every KPI of ``definition`` in a pilot ``user`` may see, ranked by its latest value.

    Positions, the median and the best value follow the definition's direction; a row's gain
    is against its own baseline, in the definition's direction. KPIs measured in another unit
    than the definition's are left out and counted. Rows of the viewer's organisations (and
    their parts) are ``own``, others in the same municipality (the top of the organisation
    tree) ``municipality``, the rest ``outside``; an anonymous visitor has no own rows. Among
    equal values the viewer's own come first.

    The ranking and summary come from one query over the KPIs (ids, owners and latest values
    only); the rows of a page are read when ``rows_in(scope)`` is sliced.
    """
    direction = definition.direction
    unit = normalise_unit(definition.unit)
    access = permissions.access_of(user)
    own = access.sees_internal_of
    entries = []
    other_unit = 0
    for kpi_id, kpi_unit, owner_id, latest in _entries(user, definition):
        if normalise_unit(kpi_unit) == unit:
            entries.append((kpi_id, owner_id, latest))
        else:
            other_unit += 1
    municipality: set[int] = set()
    if entries and access.member_of:
        tops = {place.top_id for place in _places(set(access.member_of)).values()}
        municipality = permissions._with_descendants(tops) - own
    values = [latest for _kpi, _owner, latest in entries]
    positions = stats.positions(values, direction)
    sign = 1 if direction == Direction.LOWER else -1
    ranked_entries = []
    for (kpi_id, owner_id, latest), position in zip(entries, positions, strict=True):
        if owner_id in own:
            scope = Scope.OWN
        elif owner_id in municipality:
            scope = Scope.MUNICIPALITY
        else:
            scope = Scope.OUTSIDE
        key = (latest is None, sign * (latest or 0), scope != Scope.OWN, kpi_id)
        ranked_entries.append((key, (kpi_id, str(scope), position)))
    ranked_entries.sort(key=lambda pair: pair[0])
    ranked = [entry for _key, entry in ranked_entries]
    own_positions = [p for _k, scope, p in ranked if scope == Scope.OWN and p is not None]
    summary = Summary(
        count=len(ranked),
        measured=sum(1 for value in values if value is not None),
        organisations=len({owner for _kpi, owner, _latest in entries}),
        median=_decimal(stats.median(values)),
        best=_decimal(stats.best(values, direction)),
        own_count=sum(1 for _k, scope, _p in ranked if scope == Scope.OWN),
        own_position=min(own_positions, default=None),
        other_unit_count=other_unit,
    )
    references = list(
        definition.reference_values.select_related("added_by_organisation").order_by("label", "pk")
    )
    return Benchmark(definition, ranked, summary, references)
