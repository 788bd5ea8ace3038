"""The subject page and the search page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.api.auth import AccessDep
from watchlink.api.subjects import ReaderDep
from watchlink.errors import WatchlinkError
from watchlink.web.dossier import SubjectDossier, decision_history, linked_subjects
from watchlink.web.pages import failure, page
from watchlink.web.search import search_subjects
from watchlink.web.session import LoggedInDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/subjects/{subject_id}", response_class=HTMLResponse)
def subject_page(
    subject_id: str, request: Request, state: LoggedInDep, access: AccessDep, reader: ReaderDep
) -> Response:
    """One subject as the reader may see it; the same page for missing and not visible."""
    assert state.actor is not None
    try:
        subject = reader.get(access.engine, state.actor, subject_id)
        dossier = SubjectDossier(subject)
        dossier.links = linked_subjects(access.engine, reader, state.actor, subject)
        dossier.decisions = decision_history(access.engine, access.trail, state.actor, subject)
    except WatchlinkError as error:
        return failure(request, state, error)
    return page(request, state, "subject.html", title=subject.primary_name, d=dossier)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    reader: ReaderDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Search every subject the reader may see, by name (any script) or document."""
    assert state.actor is not None
    try:
        results = search_subjects(request, access.engine, reader, state.actor, q)
    except WatchlinkError as error:
        return failure(request, state, error)
    return page(request, state, "search.html", title="Search", q=q, results=results)
