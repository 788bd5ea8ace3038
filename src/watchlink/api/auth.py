"""Login, logout and the current actor; ``ActorDep`` for every protected route.

A request is authenticated by an API token (``Authorization: Bearer wlk_…``) or by the
console's session cookie (Secure, HttpOnly, SameSite=Strict). Either way the actor is
resolved afresh from the database on every request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from pydantic import BaseModel, Field

from watchlink.access import Actor
from watchlink.errors import Unauthenticated
from watchlink.services.access_wiring import AccessContext

__all__ = [
    "SESSION_COOKIE",
    "AccessDep",
    "ActorDep",
    "Presented",
    "PresentedDep",
    "access_of",
    "get_access",
    "get_actor",
    "get_presented",
    "router",
]

SESSION_COOKIE = "watchlink_session"
router = APIRouter(prefix="/auth", tags=["authentication"])


_ACCESS_MADE = threading.Lock()


def access_of(app: FastAPI) -> AccessContext:
    """The app's access services, built once from its settings on first use (opening the
    database and bringing its schema up to date: blocking work)."""
    with _ACCESS_MADE:
        context = getattr(app.state, "access", None)
        if context is None:
            context = AccessContext.from_settings(app.state.settings)
            app.state.access = context
    assert isinstance(context, AccessContext)
    return context


async def get_access(request: Request) -> AccessContext:
    """:func:`access_of` the request's app. A coroutine, so resolving it costs no trip to
    the thread pool (built at start, it is a lookup); a first build goes to a thread."""
    context = getattr(request.app.state, "access", None)
    if isinstance(context, AccessContext):
        return context
    return await anyio.to_thread.run_sync(access_of, request.app)


AccessDep = Annotated[AccessContext, Depends(get_access)]


@dataclass(frozen=True, slots=True)
class Presented:
    """What a request presents to be authenticated: an API token (the ``Authorization``
    header) or the console's session cookie; read without I/O, checked by :meth:`actor`."""

    authorization: str
    session: str | None

    @classmethod
    def of(cls, request: Request) -> Presented:
        """What ``request`` presents; 401 when it presents neither."""
        presented = cls(
            request.headers.get("authorization", ""), request.cookies.get(SESSION_COOKIE)
        )
        if not presented.token and not presented.session:
            raise Unauthenticated("log in, or present an API token")
        return presented

    @property
    def token(self) -> str | None:
        """The bearer token, when one is presented."""
        if self.authorization.lower().startswith("bearer "):
            return self.authorization[7:].strip()
        return None

    def actor(self, access: AccessContext) -> Actor:
        """The authenticated actor (resolved afresh from the database), or 401."""
        token = self.token
        if token is not None:
            return access.auth.actor_of_token(access.engine, token)
        if self.session:
            with access.engine.begin() as conn:
                return access.auth.session_actor(conn, self.session)
        raise Unauthenticated("log in, or present an API token")


def get_actor(request: Request, access: AccessDep) -> Actor:
    """The authenticated actor of this request, or 401."""
    return Presented.of(request).actor(access)


async def get_presented(request: Request) -> Presented:
    """What the request presents, for a route that resolves its actor in its own trip to
    the thread pool (:meth:`Presented.actor` first thing): one trip, not two."""
    return Presented.of(request)


ActorDep = Annotated[Actor, Depends(get_actor)]
PresentedDep = Annotated[Presented, Depends(get_presented)]


class Credentials(BaseModel):
    """A username and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class Me(BaseModel):
    """Who the caller is, as the policy sees it."""

    username: str
    agency: str
    country: str
    roles: list[str]
    partner_groups: list[str]

    @classmethod
    def of(cls, actor: Actor) -> Me:
        """The wire form of an actor."""
        return cls(
            username=actor.user,
            agency=actor.agency,
            country=actor.country,
            roles=sorted(actor.roles),
            partner_groups=sorted(actor.groups),
        )


@router.post("/login", response_model=Me)
def login(credentials: Credentials, response: Response, access: AccessDep) -> Me:
    """Check the password and open a console session (cookie); 401 on any failure."""
    actor = access.auth.login(access.engine, credentials.username, credentials.password)
    with access.engine.begin() as conn:
        session = access.auth.start_session(conn, actor)
    response.set_cookie(
        SESSION_COOKIE,
        session,
        httponly=True,
        secure=True,
        samesite="strict",
        max_age=int(access.auth.rules.session_absolute.total_seconds()),
    )
    return Me.of(actor)


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, access: AccessDep) -> None:
    """End the console session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with access.engine.begin() as conn:
            access.auth.end_session(conn, cookie)
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="strict")


@router.get("/me", response_model=Me)
def me(actor: ActorDep) -> Me:
    """The caller's user, agency, roles and partner groups."""
    return Me.of(actor)
