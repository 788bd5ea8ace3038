"""The subject page and the search page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.api.auth import AccessDep
from watchlink.api.hits import HitServiceDep
from watchlink.api.subjects import ReaderDep
from watchlink.api.yente import get_matcher
from watchlink.errors import WatchlinkError
from watchlink.model import ConcernLevel
from watchlink.web.dossier import (
    SubjectDossier,
    decision_history,
    journey_map,
    linked_subjects,
    subject_hits,
    subject_requests,
)
from watchlink.web.monitoring import DECIDABLE, open_reviews
from watchlink.web.pages import failure, page
from watchlink.web.requests import get_request_service
from watchlink.web.search import search_subjects
from watchlink.web.session import LoggedInDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/subjects/{subject_id}", response_class=HTMLResponse)
def subject_page(
    subject_id: str,
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    reader: ReaderDep,
    hits: HitServiceDep,
) -> Response:
    """One subject as the reader may see it; the same page for missing and not visible."""
    assert state.actor is not None
    try:
        subject = reader.get(access.engine, state.actor, subject_id)
        dossier = SubjectDossier(subject)
        dossier.links = linked_subjects(access.engine, reader, state.actor, subject)
        dossier.decisions = decision_history(access.engine, access.trail, state.actor, subject)
        dossier.reviews = open_reviews(access.engine, access.trail, state.actor, subject)
        dossier.hits = subject_hits(access.engine, hits, state.actor, subject)
        dossier.map = journey_map(dossier.encounters)
        requests = get_request_service(request, access)
        dossier.requests = subject_requests(access.engine, requests, state.actor, subject)
    except WatchlinkError as error:
        return failure(request, state, error)
    return page(
        request, state, "subject.html", title=subject.primary_name, d=dossier,
        decidable=DECIDABLE, levels=list(ConcernLevel),
    )  # fmt: skip


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    reader: ReaderDep,
    q: Annotated[str, Query(max_length=200)] = "",
    born: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """Search every subject the reader may see, by name (any script) or document."""
    assert state.actor is not None
    try:
        matcher = get_matcher(request, access)
        threshold = request.app.state.settings.screening_threshold
        results = search_subjects(
            access.engine, reader, matcher, state.actor, q, born, float(threshold)
        )
    except WatchlinkError as error:
        return failure(request, state, error)
    return page(request, state, "search.html", title="Search", q=q, born=born, results=results)
