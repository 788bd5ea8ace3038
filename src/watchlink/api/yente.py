"""yente-compatible matching at the root: ``POST /match/{dataset}``, ``GET /catalog``,
``GET /algorithms``.

The request and response shapes are OpenSanctions' yente (``EntityMatchQuery`` in,
``EntityMatchResponse`` out), so an existing sanctions-screening client works against
watchlink by changing its base URL and sending a watchlink token. Results are only the
subjects the caller may read; the route is thin, ``services.yente`` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from watchlink import __version__
from watchlink.api.auth import AccessDep, ActorDep
from watchlink.api.errors import ErrorResponse
from watchlink.services.access_wiring import AccessContext, store_subject_store
from watchlink.services.yente import (
    ALGORITHMS,
    MAX_LIMIT,
    CandidateSource,
    MatchSettings,
    YenteMatcher,
    agency_codes,
)
from watchlink.store.unit_of_work import UnitOfWork

__all__ = [
    "EntityExample",
    "EntityMatchQuery",
    "EntityMatchResponse",
    "get_matcher",
    "router",
]

router = APIRouter(tags=["yente compatibility"])


def _warm_screener(request: Request, access: AccessContext) -> Callable[[], CandidateSource]:
    """The server's warm engine: the screening service's, the one encounters are screened
    with and that follows every subject change."""
    app = request.app

    def warm() -> CandidateSource:
        from watchlink.api.hits import screening_of

        service = screening_of(app, access)
        with UnitOfWork(access.engine) as uow:
            service.warm(uow)  # built at start; this only waits when it is not yet
        return service.screener

    return warm


def get_matcher(request: Request, access: AccessDep) -> YenteMatcher:
    """The app's yente matcher, built once over the warm screening engine."""
    matcher = getattr(request.app.state, "yente_matcher", None)
    if matcher is None:
        matcher = YenteMatcher(
            _warm_screener(request, access), store_subject_store(), access.trail, agency_codes
        )
        request.app.state.yente_matcher = matcher
    assert isinstance(matcher, YenteMatcher)
    return matcher


MatcherDep = Annotated[YenteMatcher, Depends(get_matcher)]


class EntityExample(BaseModel):
    """A query: an entity as FollowTheMoney writes it, with the properties known."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = Field(default=None, max_length=200, examples=["my-entity-id"])
    schema_: str = Field(alias="schema", max_length=64, examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        examples=[{"name": ["Imaginary Person"], "birthDate": ["1980-01-01"]}]
    )


class EntityMatchQuery(BaseModel):
    """yente's request: named examples (names chosen by the client to correlate answers)."""

    weights: dict[str, float] = Field(default_factory=dict, description="Accepted, unused.")
    config: dict[str, Any] = Field(default_factory=dict, description="Accepted, unused.")
    queries: dict[str, EntityExample]


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class ScoredEntityResponse(BaseModel):
    """A listed subject the caller may read, as yente returns a scored entity."""

    model_config = ConfigDict(populate_by_name=True)
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_change: datetime | None = None
    score: float
    features: dict[str, float]
    match: bool = False


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str | None
    coefficient: float
    url: str


class EntityMatchResponse(BaseModel):
    """yente's response: one ``EntityMatches`` per query name, and the features' meanings."""

    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool = True
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = True
    children: list[str] = Field(default_factory=list)


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str] = Field(default_factory=list)
    index_stale: bool = False


ALGO_HELP = f"Accepted: {', '.join(ALGORITHMS)}; every one is watchlink's own scoring model."


@router.post(
    "/match/{dataset}",
    summary="Query by example matcher (yente)",
    response_model=EntityMatchResponse,
    response_model_by_alias=True,
    responses={
        404: {"model": ErrorResponse, "description": "No such dataset."},
        422: {"model": ErrorResponse, "description": "A query cannot be matched."},
    },
)
def match(
    body: EntityMatchQuery,
    response: Response,
    actor: ActorDep,
    access: AccessDep,
    matcher: MatcherDep,
    dataset: Annotated[str, Path(max_length=64, examples=["default"])],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, title="Number of results to return")] = 5,
    threshold: Annotated[float, Query(ge=0.0, le=1.0, title="Score of a match")] = 0.7,
    cutoff: Annotated[
        float, Query(ge=0.0, le=1.0, deprecated=True, title="Lowest score returned at all")
    ] = 0.7,
    algorithm: Annotated[str, Query(max_length=64, title=ALGO_HELP)] = "watchlink-v1",
) -> dict[str, Any]:
    """Match FollowTheMoney examples against the watchlists the caller may read.

    As yente: each named query gets its results best first (a result scores more than
    ``min(cutoff, threshold)``; ``match`` is a score of at least ``threshold``) and
    ``total`` counts the matches. A ``Company`` or other non-person query has no results.
    """
    queries = {key: example.model_dump(by_alias=True) for key, example in body.queries.items()}
    settings = MatchSettings(threshold=threshold, cutoff=cutoff, limit=limit, algorithm=algorithm)
    answer = matcher.match(access.engine, actor, dataset, queries, settings)
    response.headers["x-batch-size"] = str(len(answer["responses"]))
    return answer


@router.get("/catalog", response_model=DataCatalogModel)
def catalog(actor: ActorDep, access: AccessDep, matcher: MatcherDep) -> DataCatalogModel:
    """The datasets ``/match`` accepts: ``default`` (every readable list) and each agency's."""
    datasets = [
        DatasetModel(name=d.name, title=d.title, version=__version__)
        for d in matcher.catalog(access.engine)
    ]
    return DataCatalogModel(datasets=datasets, current=[d.name for d in datasets])


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


@router.get("/algorithms", response_model=AlgorithmResponse)
def algorithms(actor: ActorDep, matcher: MatcherDep) -> AlgorithmResponse:
    """The algorithm names ``/match`` accepts; each is watchlink's one scoring model."""
    features = {name: FeatureDoc(**doc) for name, doc in matcher.matcher_docs().items()}
    described = [
        Algorithm(name=name, description=ALGO_HELP, features=features) for name in ALGORITHMS
    ]
    return AlgorithmResponse(algorithms=described, default=ALGORITHMS[0], best=ALGORITHMS[0])
