"""Helpers every console page uses: render with the console state, show errors as pages."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from watchlink.errors import InputError, WatchlinkError
from watchlink.web.session import Console
from watchlink.web.templating import render

__all__ = ["failure", "page", "safe_next", "see_other"]


def page(
    request: Request, state: Console, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render ``template`` for this request's actor, with its form token."""
    response = render(request, template, state.actor, state.csrf, status_code, **context)
    state.finish(response)
    return response


def failure(request: Request, state: Console, error: WatchlinkError) -> HTMLResponse:
    """An error the user caused (not found, refused, bad input) as a page with its status."""
    problems = [str(p) for p in error.problems] if isinstance(error, InputError) else []
    return page(
        request,
        state,
        "error.html",
        status_code=error.status_code,
        title="Not possible",
        message=error.message,
        problems=problems,
    )


def safe_next(target: str | None) -> str:
    """A post-login destination inside the console only (no ``//host`` or scheme)."""
    if target is None or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    return target


def see_other(target: str) -> RedirectResponse:
    """Post/redirect/get: after a form, the browser reloads the page with a GET."""
    return RedirectResponse(target, status_code=303)
