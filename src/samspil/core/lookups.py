"""Integer lookups that treat an id no column can hold as matching no row, on every database.

Django already does this for ``exact`` and the comparisons on integer fields
(``IntegerFieldOverflow``), but not for ``in`` nor for foreign keys: an id such as
99999999999999999999 from a form, a query string or the API then reaches SQLite, whose driver
raises OverflowError (a 500), while PostgreSQL simply finds nothing. Registered in
``CoreConfig.ready`` for every integer field and foreign key.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(field, connection) -> tuple[int | None, int | None] | None:
    """The values ``field``'s column holds, or None when it is not an integer column."""
    target = getattr(field, "target_field", field)
    if not isinstance(target, IntegerField):
        return None
    return connection.ops.integer_field_range(target.get_internal_type())


def _holds(value, bounds: tuple[int | None, int | None]) -> bool:
    low, high = bounds
    if not isinstance(value, int):
        return True  # not ours to judge: the database's own conversion decides
    return (low is None or value >= low) and (high is None or value <= high)


def held_values(field, values, connection) -> list:
    """``values`` without those ``field``'s column cannot hold (for raw SQL as for lookups)."""
    bounds = _integer_range(field, connection)
    if bounds is None:
        return list(values)
    return [value for value in values if _holds(value, bounds)]


def _keep_held_values(lookup: In, connection) -> None:
    """``in`` without the values the column cannot hold (an empty list matches no row)."""
    if lookup.rhs_is_direct_value():
        lookup.rhs = held_values(lookup.lhs.output_field, lookup.rhs, connection)


class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        _keep_held_values(self, connection)
        return super().process_rhs(compiler, connection)


class RelatedIntegerIn(RelatedIn):
    def process_rhs(self, compiler, connection):
        _keep_held_values(self, connection)
        return super().process_rhs(compiler, connection)


class RelatedIntegerExact(RelatedExact):
    lookup_name = "exact"

    def process_rhs(self, compiler, connection):
        bounds = _integer_range(self.lhs.output_field, connection)
        if bounds is not None and not _holds(self.rhs, bounds):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignKey.register_lookup(RelatedIntegerIn)
    ForeignKey.register_lookup(RelatedIntegerExact)
