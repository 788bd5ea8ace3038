"""The inbox: the hits for the reader's agency, most urgent first, acted on in place."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.web.pages import page
from watchlink.web.session import LoggedInDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def inbox_page(request: Request, state: LoggedInDep) -> Response:
    """The hits delivered to the reader's agency."""
    assert state.actor is not None
    return page(request, state, "inbox.html", title="Inbox", rows=[])
