"""``/encounters``: report one encounter or a batch; each is stored, screened and answered
with the hits as the caller may see them.

A batch holds at most 10,000 encounters (more is a 413, as is a body beyond
``MAX_BODY_BYTES``); a malformed one is a 422 naming the item and field; an encounter
refused on its own (an id in use) gets its reason in its result while the others go
through. The 413s are decided before any item is validated: from ``Content-Length``
when it says too much, else while the body streams in, else by counting the items of
the parsed JSON (parsed once, then handed on to validation).

The encounters, their hits and the call's audit line are committed before the hits
are turned into the caller's views (read on the same connection, in a transaction of
its own): concurrent screenings queue on the audit trail's head until that commit.
Single encounters reported at the same moment go in one call
(``services.screening_calls``); each request then reads its own views.

An encounter that hit with no birth date given, on a name more listed persons bear than
it hit, carries ``advice``: ask for the date of birth, as nothing else tells them apart.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from watchlink.access import Actor
from watchlink.api.auth import AccessDep, ActorDep, Presented, PresentedDep, access_of
from watchlink.api.hits import HitOut, get_hit_service, get_screening, screening_of
from watchlink.errors import InputError, InputProblem
from watchlink.model import (
    DocumentStatus,
    DocumentType,
    Encounter,
    EncounterKind,
    Gender,
    IdentityDocument,
    PartialDate,
    PresentedPerson,
)
from watchlink.services.access_wiring import AccessContext
from watchlink.services.hit_views import HitView
from watchlink.services.hits import HitService
from watchlink.services.screening import MAX_BATCH, EncounterResult, ScreeningService
from watchlink.services.screening_calls import SharedCalls
from watchlink.services.screening_keeper import IndexKeeper
from watchlink.store.unit_of_work import UnitOfWork

__all__ = [
    "MAX_BODY_BYTES",
    "BatchIn",
    "EncounterIn",
    "keep_screening",
    "router",
    "warm_screening",
]

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024 * 1024
_ID = r"^[A-Za-z0-9._:-]+$"
_COUNTRY = r"^[A-Z]{2}$"
_TOO_LARGE = f"the body is over {MAX_BODY_BYTES} bytes: send at most {{}} encounters a batch"


class _CappedRoute(APIRoute):
    """A route that reads at most ``MAX_BODY_BYTES`` of body (413 beyond), before parsing:
    FastAPI reads the whole body before any dependency could refuse it. On the batch
    route more than ``MAX_BATCH`` items is a 413 before the items are validated."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def capped(request: Request) -> Response:
            length = request.headers.get("content-length", "")
            if length.isdigit() and int(length) > MAX_BODY_BYTES:
                raise HTTPException(413, _TOO_LARGE.format(MAX_BATCH))
            received = bytearray()
            async for chunk in request.stream():
                received += chunk
                if len(received) > MAX_BODY_BYTES:
                    raise HTTPException(413, _TOO_LARGE.format(MAX_BATCH))
            request._body = bytes(received)  # what FastAPI then parses, read once
            if self.path_format.endswith("/batch"):
                _count_items(request)
            return await handler(request)

        return capped


def _count_items(request: Request) -> None:
    """413 when a JSON batch holds more than ``MAX_BATCH`` items; the parsed body is kept
    for FastAPI (``Request.json`` returns it), so it is parsed once. Bodies that are not
    JSON, or not JSON here, are left to FastAPI's own checks (a 422)."""
    if "json" not in request.headers.get("content-type", ""):
        return
    try:
        parsed = json.loads(request._body)
    except (ValueError, RecursionError):  # FastAPI parses again and answers 422 or 400
        return
    request._json = parsed
    items = parsed.get("encounters") if isinstance(parsed, dict) else None
    if isinstance(items, list) and len(items) > MAX_BATCH:
        raise HTTPException(413, f"at most {MAX_BATCH} encounters in a batch")


router = APIRouter(prefix="/encounters", tags=["encounters"], route_class=_CappedRoute)


ScreeningDep = Annotated[ScreeningService, Depends(get_screening)]
HitsDep = Annotated[HitService, Depends(get_hit_service)]


async def get_shared_calls(
    request: Request, access: AccessDep, screening: ScreeningDep
) -> SharedCalls:
    """The app's single-encounter calls (one per process, beside its warm index), made on
    first use: a coroutine with no ``await``, so on the event loop no other request can
    make them at the same time."""
    calls = getattr(request.app.state, "screening_calls", None)
    if calls is None:
        most = request.app.state.settings.screening_call_size
        calls = SharedCalls(screening, access.engine, most=most)
        request.app.state.screening_calls = calls
    assert isinstance(calls, SharedCalls)
    return calls


CallsDep = Annotated[SharedCalls, Depends(get_shared_calls)]


class PersonIn(BaseModel):
    """The person as presented: what the papers or the booking say."""

    model_config = ConfigDict(extra="forbid")
    names: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, max_length=20
    )
    given: str | None = Field(default=None, max_length=200)
    family: str | None = Field(default=None, max_length=200)
    birth_date: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    nationality: str | None = Field(default=None, pattern=_COUNTRY)
    gender: Gender | None = None
    birth_place: str | None = Field(default=None, max_length=200)

    @field_validator("birth_date")
    @classmethod
    def _partial_date(cls, value: str | None) -> str | None:
        if value is not None:
            PartialDate.parse(value)  # ValueError: a 422 naming the field
        return value

    @field_validator("names", "given", "family", "birth_place")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise ValueError("NUL character")
        return value


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]+$")
    type: DocumentType = DocumentType.PASSPORT
    country: str | None = Field(default=None, pattern=_COUNTRY)
    status: DocumentStatus = DocumentStatus.VALID


class EncounterIn(BaseModel):
    """One encounter. The reporter is the caller's agency; there is no field to say otherwise."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        pattern=_ID,
        description="Optional; starts with the caller's agency code in lower case. "
        "Without it, one is made.",
    )
    kind: EncounterKind
    occurred_at: datetime = Field(description="Without a time zone, UTC.")
    country: str = Field(pattern=_COUNTRY, description="Where it happened, ISO alpha-2.")
    person: PersonIn
    document: DocumentIn | None = None
    site: str | None = Field(default=None, max_length=200, pattern=r"^[^\x00]*$")
    origin_country: str | None = Field(default=None, pattern=_COUNTRY)
    destination_country: str | None = Field(default=None, pattern=_COUNTRY)
    group_ref: str | None = Field(default=None, max_length=200, pattern=r"^[^\x00]+$")

    def to_encounter(self, actor: Actor) -> Encounter:
        """The domain encounter, reported by the caller's agency."""
        person = self.person
        at = self.occurred_at
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        document = None
        if self.document is not None:
            d = self.document
            document = IdentityDocument(d.number, d.type, d.country, d.status)
        return Encounter(
            id=self.id or f"{actor.agency.lower()}-enc-{uuid.uuid4().hex}",
            kind=self.kind,
            agency=actor.agency,
            occurred_at=at,
            country=self.country,
            person=PresentedPerson(
                names=list(person.names),
                given=person.given,
                family=person.family,
                birth_date=None
                if person.birth_date is None
                else PartialDate.parse(person.birth_date),
                nationality=person.nationality,
                gender=person.gender,
                birth_place=person.birth_place,
            ),
            document=document,
            site=self.site,
            origin_country=self.origin_country,
            destination_country=self.destination_country,
            group_ref=self.group_ref,
        )


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    encounters: list[EncounterIn] = Field(description=f"At most {MAX_BATCH}; more is a 413.")


NAMESAKES_ADVICE = (
    "more listed persons bear this name than it hit, and nothing given tells them apart: "
    "ask for the date of birth"
)
_ADVICE = Field(
    default=None,
    description="What to ask the person for before the hits can be trusted to be all there "
    "are: given when no birth date was and more listed persons bear the name than it hit.",
)


def _advice(result: EncounterResult) -> str | None:
    return NAMESAKES_ADVICE if result.namesakes_beyond else None


class EncounterOut(BaseModel):
    """The stored encounter's id and its hits as the caller may see them."""

    encounter_id: str
    hits: list[HitOut]
    advice: str | None = _ADVICE


class ItemOut(BaseModel):
    """One batch item: screened (with its hits) or refused (with why)."""

    index: int
    encounter_id: str
    status: str = Field(description="screened or refused")
    hits: list[HitOut] = Field(default_factory=list)
    reason: str | None = None
    advice: str | None = _ADVICE


class BatchOut(BaseModel):
    screened: int
    refused: int
    hits: int
    items: list[ItemOut]


def _own_ids(body: list[EncounterIn], actor: Actor, *, batch: bool) -> None:
    prefix = f"{actor.agency.lower()}-"
    for index, item in enumerate(body):
        if item.id is not None and not item.id.startswith(prefix):
            where = f"encounters.{index}.id" if batch else "id"
            problem = InputProblem(f"must start with {prefix!r}", field=where)
            raise InputError("an encounter id starts with its agency's code", [problem])


@router.post(
    "",
    response_model=EncounterOut,
    response_model_exclude_none=True,
    status_code=201,
)
async def report_encounter(
    body: EncounterIn,
    presented: PresentedDep,
    access: AccessDep,
    calls: CallsDep,
    hits: HitsDep,
) -> EncounterOut:
    """Store and screen one encounter; 409 when its id is in use.

    Encounters reported at the same moment are screened together (``SharedCalls``):
    each request still gets its own hits or its own error."""
    # One trip to the thread pool for the caller's token, the screening and the views: as
    # a plain function, FastAPI would make three (the actor, the route, the response).
    return await anyio.to_thread.run_sync(_report_one, body, presented, access, calls, hits)


def _report_one(
    body: EncounterIn,
    presented: Presented,
    access: AccessContext,
    calls: SharedCalls,
    hits: HitService,
) -> EncounterOut:
    actor = presented.actor(access)  # authenticated before anything is read or written
    _own_ids([body], actor, batch=False)
    result = calls.screen(actor, body.to_encounter(actor))  # stored, audited, committed
    views: list[HitView] = []
    if result.hits:  # most encounters hit nothing: no second visit to the database
        with UnitOfWork(access.engine) as uow:
            views = hits.views_of(uow, actor, result.hits)
    return EncounterOut(
        encounter_id=result.encounter.id,
        hits=[HitOut.of(v, actor) for v in views],
        advice=_advice(result),
    )


@router.post(
    "/batch",
    response_model=BatchOut,
    response_model_exclude_none=True,
    responses={413: {"description": f"More than {MAX_BATCH} encounters."}},
)
def report_batch(
    body: BatchIn,
    actor: ActorDep,
    access: AccessDep,
    screening: ScreeningDep,
    hits: HitsDep,
) -> BatchOut:
    """Store and screen up to 10,000 encounters in one transaction, a result for each."""
    if len(body.encounters) > MAX_BATCH:
        raise HTTPException(413, f"at most {MAX_BATCH} encounters in a batch")
    _own_ids(body.encounters, actor, batch=True)
    items: list[ItemOut] = []
    encounters = [e.to_encounter(actor) for e in body.encounters]
    ahead = screening.screen_ahead(access.engine, actor, encounters)  # before the writer lock
    with UnitOfWork(access.engine) as uow:
        results = screening.screen_batch(uow, actor, encounters, ahead)
        uow.commit()  # stored and audited: the trail's head is free before the views
        screened = [h for r in results for h in r.hits]
        views: dict[str, list[HitView]] = {}  # by encounter, in the service's order
        for view in hits.views_of(uow, actor, screened):
            views.setdefault(view.encounter_id or "", []).append(view)
    for index, result in enumerate(results):
        if result.error is not None:
            items.append(
                ItemOut(
                    index=index,
                    encounter_id=result.encounter.id,
                    status="refused",
                    reason=result.error.reason,
                )
            )
            continue
        shown = [HitOut.of(v, actor) for v in views.get(result.encounter.id, [])]
        items.append(
            ItemOut(
                index=index,
                encounter_id=result.encounter.id,
                status="screened",
                hits=shown,
                advice=_advice(result),
            )
        )
    refused = sum(1 for i in items if i.status == "refused")
    return BatchOut(
        screened=len(items) - refused,
        refused=refused,
        hits=sum(len(i.hits) for i in items),
        items=items,
    )


def _has_schema(engine: Engine) -> bool:
    """Whether the database answers and already holds the subjects table."""
    try:
        with engine.connect() as conn:
            return inspect(conn).has_table("subjects")
    except SQLAlchemyError:
        return False


def warm_screening(app: FastAPI) -> bool:
    """Build the app's warm screening index now (at start); False when it cannot yet.

    Nothing is created at start: without an access context already set and a database
    already holding its schema, the index is built on the first screening instead. A
    failure is logged, not raised.
    """
    if getattr(app.state, "access", None) is None and not _has_schema(app.state.health_engine):
        return False
    try:
        access = access_of(app)
        service = screening_of(app, access)
        with UnitOfWork(access.engine) as uow:
            service.warm(uow)
    except Exception as error:  # start-up must not fail on an absent database
        log.warning("screening index not built at start: %s", error)
        return False
    return True


def keep_screening(app: FastAPI) -> IndexKeeper | None:
    """A keeper of the app's warm index (not started), or None when it was not built at
    start (it is built and caught up by the first screening instead)."""
    service = getattr(app.state, "screening", None)
    access = getattr(app.state, "access", None)
    if not isinstance(service, ScreeningService) or access is None or not service.screener.built:
        return None
    return IndexKeeper(service, access_of(app).engine)
