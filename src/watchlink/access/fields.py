"""Field-level handling: a name, document or value stricter than its record.

Such a field is judged on its own, with the stricter of the two handling codes, and
left out of what the actor receives when that judgement says no. The SQL form lets a
query over a field table apply the same judgement.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, case, func, literal

from watchlink.access.actions import Action
from watchlink.access.actor import Actor
from watchlink.access.policy import (
    DEFAULT_POLICY,
    HANDLING_ORDER,
    Policy,
    Resource,
    SubjectColumns,
    stricter,
)
from watchlink.model import BirthDate, IdentityDocument, Name, Subject, Value

__all__ = ["REDACTED_FIELDS", "field_visibility_filter", "redact_subject", "stricter_sql"]

_F = TypeVar("_F", Name, BirthDate, IdentityDocument, Value)

REDACTED_FIELDS = tuple(f.name for f in dataclasses.fields(Subject) if f.default_factory is list)
"""A subject's lists (names, dates, documents, contacts...): each item carries its own
handling code and is judged on its own."""


def _keep(
    items: list[_F], actor: Actor, action: Action, resource: Resource, policy: Policy
) -> list[_F]:
    kept: list[_F] = []
    for item in items:
        own = None if item.handling is None else item.handling.value
        narrowed = dataclasses.replace(resource, handling=stricter(resource.handling, own))
        if policy.allowed(actor, action, narrowed).allow:
            kept.append(item)
    return kept


def redact_subject(
    actor: Actor,
    action: Action,
    subject: Subject,
    resource: Resource,
    policy: Policy = DEFAULT_POLICY,
) -> Subject:
    """A copy of the subject holding only the fields the actor may receive.

    The caller has already decided the record as a whole; this drops each field whose
    own, stricter handling code the policy refuses.
    """
    kept = {
        name: _keep(getattr(subject, name), actor, action, resource, policy)
        for name in REDACTED_FIELDS
    }
    return dataclasses.replace(subject, **cast(dict[str, Any], kept))


def _rank(column: ColumnElement[str]) -> ColumnElement[int]:
    whens = [(column == code, index) for index, code in enumerate(HANDLING_ORDER)]
    return case(*whens, else_=literal(-1))


def stricter_sql(record: ColumnElement[str], own: ColumnElement[str]) -> ColumnElement[str]:
    """SQL twin of ``policy.stricter``: the stricter of a record's and a field's code."""
    own_value = func.coalesce(own, literal(""))
    return case(
        (own_value == literal(""), record),
        (_rank(record) < 0, record),
        (_rank(own_value) < 0, own_value),
        (_rank(own_value) > _rank(record), own_value),
        else_=record,
    )


def field_visibility_filter(
    actor: Actor,
    columns: SubjectColumns,
    field_handling: ColumnElement[str],
    action: Action = Action.READ,
    policy: Policy = DEFAULT_POLICY,
) -> ColumnElement[bool]:
    """The SQL condition for rows of a field table (names, documents, values)."""
    narrowed = dataclasses.replace(columns, handling=stricter_sql(columns.handling, field_handling))
    return policy.filter(actor, narrowed, action)
