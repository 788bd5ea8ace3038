"""Who is at the console, and the token that proves a form was posted from it.

The console is logged in with the access layer's session cookie (the same one
``POST /api/v1/auth/login`` sets). Every POST form carries a CSRF token: an HMAC, under
the deployment's secret key, of a random value kept in its own cookie. A form posted
from another site has neither the cookie (SameSite=Strict) nor a token matching it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from starlette.exceptions import HTTPException

from watchlink.access import Actor
from watchlink.api.auth import SESSION_COOKIE, AccessDep
from watchlink.errors import AccessDenied, Unauthenticated

__all__ = [
    "CSRF_COOKIE",
    "Console",
    "ConsoleDep",
    "LoggedInDep",
    "console",
    "logged_in",
    "set_cookie",
]

CSRF_COOKIE = "watchlink_csrf"


def set_cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    """A console cookie: Secure, HttpOnly, SameSite=Strict, for the whole site."""
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, secure=True, samesite="strict", path="/"
    )


@dataclass(slots=True)
class Console:
    """The request as the console sees it: the actor (None: not logged in) and form token."""

    actor: Actor | None
    secret: bytes
    csrf_seed: str
    new_seed: bool = False
    messages: list[str] = field(default_factory=list)

    @property
    def csrf(self) -> str:
        """The token every form of this page carries."""
        return hmac.new(self.secret, b"csrf:" + self.csrf_seed.encode(), hashlib.sha256).hexdigest()

    def check(self, token: str | None) -> None:
        """Refuse a form whose token does not match this browser's cookie."""
        if self.new_seed or token is None or not hmac.compare_digest(token, self.csrf):
            raise AccessDenied("the form is stale or was not sent from the console: reload it")

    def finish(self, response: Response) -> Response:
        """Set the CSRF cookie on the response when this browser had none."""
        if self.new_seed:
            set_cookie(response, CSRF_COOKIE, self.csrf_seed)
        return response


def console(request: Request, access: AccessDep) -> Console:
    """The console state of this request; an expired or missing session means no actor."""
    settings = request.app.state.settings
    seed = request.cookies.get(CSRF_COOKIE, "")
    new_seed = len(seed) < 32
    if new_seed:
        seed = secrets.token_urlsafe(32)
    actor = None
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            with access.engine.begin() as conn:
                actor = access.auth.session_actor(conn, cookie)
        except Unauthenticated:
            actor = None
    return Console(actor, settings.secret_key.encode(), seed, new_seed)


ConsoleDep = Annotated[Console, Depends(console)]


def logged_in(request: Request, state: ConsoleDep) -> Console:
    """The console state of a logged-in user; anyone else is sent to the login page."""
    if state.actor is None:
        target = request.url.path
        if request.url.query:
            target = f"{target}?{request.url.query}"
        location = f"/login?next={quote(target, safe='')}"
        raise HTTPException(status_code=303, detail="log in first", headers={"Location": location})
    return state


LoggedInDep = Annotated[Console, Depends(logged_in)]
