"""Field-level handling: a name, document or value stricter than its record.

Such a field is judged on its own, with the stricter of the two handling codes, and
left out of what the actor receives when that judgement says no. The SQL form lets a
query over a field table apply the same judgement.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

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

__all__ = ["field_visibility_filter", "redact_subject", "stricter_sql"]

_F = TypeVar("_F", Name, BirthDate, IdentityDocument, Value)


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
    return dataclasses.replace(
        subject,
        names=_keep(subject.names, actor, action, resource, policy),
        birth_dates=_keep(subject.birth_dates, actor, action, resource, policy),
        birth_places=_keep(subject.birth_places, actor, action, resource, policy),
        nationalities=_keep(subject.nationalities, actor, action, resource, policy),
        documents=_keep(subject.documents, actor, action, resource, policy),
        phones=_keep(subject.phones, actor, action, resource, policy),
        emails=_keep(subject.emails, actor, action, resource, policy),
        addresses=_keep(subject.addresses, actor, action, resource, policy),
    )


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
