"""Responsiveness figures of requests, computed in the database on both dialects.

A request is answered when its history holds an ``answered`` event (the first one
counts); its time to answer runs from sending to that event. Counts and durations are
SQL on both databases; the median and 90th percentile are ``percentile_cont`` on
PostgreSQL and the same linear interpolation over the SQL-computed durations on SQLite,
which has no percentile function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Float, and_, case, cast, func, select
from sqlalchemy.sql.elements import ColumnElement

from watchlink.store.tables_casework import info_requests
from watchlink.store.tables_requests import request_events

__all__ = ["ResponsivenessRow", "percentile", "responsiveness_rows"]


@dataclass(frozen=True, slots=True)
class ResponsivenessRow:
    """The figures of one receiving agency, or of one sender → receiver pair."""

    agency: str  # the receiving agency
    partner: str | None  # the sending agency, for pairs
    received: int
    answered: int
    answered_on_time: int
    open_overdue: int
    median_hours: float | None
    p90_hours: float | None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks: PostgreSQL's ``percentile_cont``."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours(conn: Connection, start: Any, end: Any) -> ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        return cast(func.extract("epoch", end - start), Float) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def responsiveness_rows(
    conn: Connection,
    now: datetime,
    open_states: Sequence[str],
    by_pair: bool = False,
    since: datetime | None = None,
    agency: str | None = None,
) -> list[ResponsivenessRow]:
    """The figures per receiving agency (or per pair), sorted by agency then partner."""
    answered = (
        select(
            request_events.c.request_id.label("request_id"),
            func.min(request_events.c.at).label("answered_at"),
        )
        .where(request_events.c.kind == "answered")
        .group_by(request_events.c.request_id)
        .subquery()
    )
    r = info_requests.c
    hours = _hours(conn, r.created_at, answered.c.answered_at)
    keys: list[Any] = [r.to_agency] + ([r.from_agency] if by_pair else [])
    one, zero = 1, 0
    late = and_(r.state.in_(open_states), r.deadline < now)
    columns: list[Any] = [
        *keys,
        func.count().label("received"),
        func.sum(case((answered.c.answered_at.is_not(None), one), else_=zero)).label("answered"),
        func.sum(case((answered.c.answered_at <= r.deadline, one), else_=zero)).label("on_time"),
        func.sum(case((late, one), else_=zero)).label("overdue"),
    ]
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        columns += [
            func.percentile_cont(0.5).within_group(hours).label("median"),
            func.percentile_cont(0.9).within_group(hours).label("p90"),
        ]
    base = select(*columns).select_from(
        info_requests.outerjoin(answered, answered.c.request_id == r.id)
    )
    if since is not None:
        base = base.where(r.created_at >= since)
    if agency is not None:
        base = base.where(r.to_agency == agency)
    rows = conn.execute(base.group_by(*keys).order_by(*keys)).all()
    spreads: dict[tuple[str, ...], list[float]] = defaultdict(list)
    if not postgres:
        durations = select(*keys, hours.label("hours")).select_from(
            info_requests.join(answered, answered.c.request_id == r.id)
        )
        if since is not None:
            durations = durations.where(r.created_at >= since)
        if agency is not None:
            durations = durations.where(r.to_agency == agency)
        for row in conn.execute(durations):
            spreads[tuple(row[:-1])].append(float(row[-1]))
    found: list[ResponsivenessRow] = []
    for row in rows:
        key = tuple(row[: len(keys)])
        if postgres:
            median, p90 = row.median, row.p90
        else:
            median, p90 = percentile(spreads[key], 0.5), percentile(spreads[key], 0.9)
        found.append(
            ResponsivenessRow(
                agency=key[0],
                partner=key[1] if by_pair else None,
                received=int(row.received),
                answered=int(row.answered or 0),
                answered_on_time=int(row.on_time or 0),
                open_overdue=int(row.overdue or 0),
                median_hours=None if median is None else round(float(median), 3),
                p90_hours=None if p90 is None else round(float(p90), 3),
            )
        )
    return found
