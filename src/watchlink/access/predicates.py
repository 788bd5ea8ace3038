"""A tiny predicate language over a record's sharing fields.

Each rule of the policy states its condition in this language once; the same
condition is then *evaluated* in Python (``allowed``) and *compiled* to SQL (the
visibility filter), so the two can never drift apart. Missing values compare as the
empty string in both, so a NULL never turns into "unknown" in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, func, literal, not_, or_, true

__all__ = [
    "AllOf",
    "AnyOf",
    "Const",
    "Field",
    "FieldEq",
    "FieldIn",
    "Not",
    "Pred",
    "RecordHolds",
    "compile_sql",
    "evaluate",
]


class Field(StrEnum):
    """The sharing fields of a record that rules may look at."""

    OWNER_AGENCY = "owner_agency"
    OWNER_COUNTRY = "owner_country"
    DISTRIBUTION = "distribution"
    PARTNER_GROUP = "partner_group"
    HANDLING = "handling"


@dataclass(frozen=True, slots=True)
class Const:
    """Always true or always false (a condition on the actor alone)."""

    value: bool


@dataclass(frozen=True, slots=True)
class FieldEq:
    """The record's field equals a constant."""

    field: Field
    value: str


@dataclass(frozen=True, slots=True)
class FieldIn:
    """The record's field is one of the constants (false for an empty set)."""

    field: Field
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class RecordHolds:
    """The record carries ``value`` in a set-valued attribute (e.g. owner's consents)."""

    attribute: str
    value: str


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every part holds (true when empty)."""

    parts: tuple[Pred, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one part holds (false when empty)."""

    parts: tuple[Pred, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The part does not hold."""

    part: Pred


Pred = Const | FieldEq | FieldIn | RecordHolds | AllOf | AnyOf | Not


def evaluate(
    pred: Pred, fields: Mapping[Field, str | None], sets: Mapping[str, frozenset[str]]
) -> bool:
    """Decide the predicate for one record given its field values and set attributes."""
    match pred:
        case Const(value):
            return value
        case FieldEq(field, value):
            return (fields.get(field) or "") == value
        case FieldIn(field, values):
            return (fields.get(field) or "") in values
        case RecordHolds(attribute, value):
            return value in sets.get(attribute, frozenset())
        case AllOf(parts):
            return all(evaluate(p, fields, sets) for p in parts)
        case AnyOf(parts):
            return any(evaluate(p, fields, sets) for p in parts)
        case Not(part):
            return not evaluate(part, fields, sets)
    raise TypeError(f"not a predicate: {pred!r}")  # pragma: no cover


SetTest = Callable[[str], ColumnElement[bool]]


def compile_sql(
    pred: Pred,
    columns: Mapping[Field, ColumnElement[str]],
    sets: Mapping[str, SetTest],
) -> ColumnElement[bool]:
    """Translate the predicate to a SQLAlchemy boolean expression over ``columns``.

    A set attribute without a SQL test compiles to false: the narrowest reading.
    """
    match pred:
        case Const(value):
            return true() if value else false()
        case FieldEq(field, value):
            return func.coalesce(columns[field], literal("")) == literal(value)
        case FieldIn(field, values):
            if not values:
                return false()
            return func.coalesce(columns[field], literal("")).in_(sorted(values))
        case RecordHolds(attribute, value):
            test = sets.get(attribute)
            return false() if test is None else test(value)
        case AllOf(parts):
            return and_(true(), *(compile_sql(p, columns, sets) for p in parts))
        case AnyOf(parts):
            return or_(false(), *(compile_sql(p, columns, sets) for p in parts))
        case Not(part):
            return not_(compile_sql(part, columns, sets))
    raise TypeError(f"not a predicate: {pred!r}")  # pragma: no cover
