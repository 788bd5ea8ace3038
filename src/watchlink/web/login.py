"""The console's login and logout forms, on the access layer's sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from watchlink.access import Actor, Permission, Policy, permissions_of
from watchlink.api.auth import SESSION_COOKIE, AccessDep
from watchlink.errors import AccessDenied, Unauthenticated
from watchlink.web.pages import failure, page, safe_next, see_other
from watchlink.web.session import ConsoleDep, set_cookie

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, state: ConsoleDep, next: str | None = None) -> Response:
    """The login form; a logged-in user goes straight on."""
    if state.actor is not None:
        return see_other(safe_next(next))
    return page(request, state, "login.html", title="Log in", next=safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    state: ConsoleDep,
    access: AccessDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str | None, Form()] = None,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Check the password, open a session and go on; the same message for every failure
    (shown with status 200, so the browser logs no failed resource)."""
    try:
        state.check(csrf)
    except AccessDenied as error:
        return failure(request, state, error)
    try:
        if not username or not password:
            raise Unauthenticated("wrong username or password, or the account is locked")
        actor = access.auth.login(access.engine, username, password)
    except Unauthenticated as error:
        return page(
            request,
            state,
            "login.html",
            title="Log in",
            next=safe_next(next),
            error=error.message,
            username=username,
        )
    with access.engine.begin() as conn:
        session = access.auth.start_session(conn, actor)
    response = see_other(_landing(actor, safe_next(next), access.trail.policy))
    max_age = int(access.auth.rules.session_absolute.total_seconds())
    set_cookie(response, SESSION_COOKIE, session, max_age)
    return state.finish(response)


@router.post("/logout")
def logout(
    request: Request,
    state: ConsoleDep,
    access: AccessDep,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """End the session and return to the login form."""
    try:
        state.check(csrf)
    except AccessDenied as error:
        return failure(request, state, error)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with access.engine.begin() as conn:
            access.auth.end_session(conn, cookie)
    response = see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


def _landing(actor: Actor, target: str, policy: Policy) -> str:
    """Where a login lands: the page asked for, else the inbox, or the audit trail for a
    role that receives no hits but reads the trail."""
    granted = permissions_of(actor, policy.roles)
    if target == "/" and Permission.SCREEN not in granted and Permission.AUDIT_READ in granted:
        return "/audit"
    return target
