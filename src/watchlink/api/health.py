"""``GET /api/v1/health``: is the server up, which version, and can it reach its database."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from watchlink import __version__

__all__ = ["DatabaseHealth", "Health", "database_reachable", "health_engine", "router"]

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


class DatabaseHealth(BaseModel):
    """Whether the database answers; the dialect only, never the URL (it may hold secrets)."""

    reachable: bool
    dialect: str = Field(description="sqlite or postgresql.")


class Health(BaseModel):
    """The server's state: ``ok`` when the database answers, ``unavailable`` otherwise."""

    status: Literal["ok", "unavailable"]
    version: str
    database: DatabaseHealth


def health_engine(url: str) -> Engine:
    """A small engine used only to probe the database, failing fast when it is away."""
    connect_args: dict[str, object] = {}
    if url.startswith("postgresql"):
        connect_args["connect_timeout"] = 3
    return create_engine(url, pool_pre_ping=True, pool_size=1, connect_args=connect_args)


def database_reachable(engine: Engine) -> bool:
    """True when ``SELECT 1`` runs; failures are logged, not raised."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("database unreachable: %s", type(error).__name__)
        return False
    return True


@router.get(
    "/health",
    response_model=Health,
    summary="Server and database state",
    responses={503: {"model": Health, "description": "The database does not answer."}},
)
def health(request: Request, response: Response) -> Health:
    """Report the version and whether the database answers (503 when it does not)."""
    engine = request.app.state.health_engine
    assert isinstance(engine, Engine)
    reachable = database_reachable(engine)
    if not reachable:
        response.status_code = 503
    dialect = engine.dialect.name
    return Health(
        status="ok" if reachable else "unavailable",
        version=__version__,
        database=DatabaseHealth(reachable=reachable, dialect=dialect),
    )
