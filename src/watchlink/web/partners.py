"""Partners: how fast each agency answers the requests it receives, as a table and a chart.

The figures come from ``ResponsivenessService`` (aggregates only, each reading audited).
The chart is SVG drawn on the server: one stacked bar per receiving agency, answered on
time, answered late, open and overdue, open within the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.api.auth import AccessDep
from watchlink.api.requests import get_services
from watchlink.errors import WatchlinkError
from watchlink.services.responsiveness import ResponsivenessRow
from watchlink.store.unit_of_work import UnitOfWork
from watchlink.web.pages import failure, page
from watchlink.web.session import LoggedInDep

__all__ = ["Bar", "Segment", "chart_bars", "router"]

router = APIRouter(include_in_schema=False)

CHART_WIDTH = 560  # the bars' drawing width inside the SVG, in user units
LABEL_WIDTH = 90
ROW_HEIGHT = 26


@dataclass(frozen=True, slots=True)
class Segment:
    """One coloured part of a bar: its kind (CSS class), start, width and count."""

    kind: str
    x: float
    width: float
    count: int


@dataclass(frozen=True, slots=True)
class Bar:
    """One agency's bar, at row ``y``."""

    agency: str
    y: int
    segments: list[Segment]
    received: int


def chart_bars(rows: list[ResponsivenessRow]) -> list[Bar]:
    """Stacked bars scaled to the agency that received the most requests."""
    most = max((r.received for r in rows), default=0) or 1
    bars = []
    for index, row in enumerate(sorted(rows, key=lambda r: (-r.open_overdue, r.agency))):
        late = row.answered - row.answered_on_time
        open_in_time = max(row.received - row.answered - row.open_overdue, 0)
        parts = [
            ("ontime", row.answered_on_time),
            ("late", late),
            ("open", row.open_overdue),
            ("waiting", open_in_time),
        ]
        x = float(LABEL_WIDTH)
        segments = []
        for kind, count in parts:
            width = CHART_WIDTH * count / most
            if count:
                segments.append(Segment(kind, x, width, count))
            x += width
        bars.append(Bar(row.agency, index * ROW_HEIGHT, segments, row.received))
    return bars


@router.get("/partners", response_class=HTMLResponse)
def partners_page(request: Request, state: LoggedInDep, access: AccessDep) -> Response:
    """Responsiveness per agency and per partner pair, with the chart."""
    actor = state.actor
    assert actor is not None
    service = get_services(request, access).responsiveness
    try:
        with UnitOfWork(access.engine) as uow:
            agencies = service.figures(uow, actor)
            pairs = service.figures(uow, actor, by_pair=True)
    except WatchlinkError as error:
        return failure(request, state, error)
    bars = chart_bars(agencies)
    return page(
        request, state, "partners.html", title="Partners", agencies=agencies, pairs=pairs,
        bars=bars, chart_width=LABEL_WIDTH + CHART_WIDTH + 60,
        chart_height=max(len(bars), 1) * ROW_HEIGHT + 10, row_height=ROW_HEIGHT,
    )  # fmt: skip
