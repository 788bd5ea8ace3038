"""Rendering the console's pages: one Jinja2 environment over the templates in the package.

Templates autoescape; every page gets the actor, the CSRF token for its forms and the
navigation. Responses carry a strict Content-Security-Policy: scripts and styles come
only from the console's own static files, so nothing is fetched from elsewhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from watchlink.access import DEFAULT_POLICY, Actor, Policy, permissions_of

__all__ = ["CSP", "environment", "render"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""The console's Content-Security-Policy: its own files only, no inline script."""


def _label(value: object) -> str:
    """An enum value or code as words: ``discreet_check`` → ``discreet check``."""
    text = str(getattr(value, "value", value))
    return text.replace("_", " ")


def _when(value: datetime | None) -> str:
    """A timestamp as the console shows it: UTC, to the minute."""
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago (or, negative, how far ahead) a moment is, in the largest unit."""
    if value is None:
        return "—"
    now = now or datetime.now(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    seconds = (now - value).total_seconds()
    ahead = seconds < 0
    seconds = abs(seconds)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            amount = f"{int(seconds // size)} {unit}"
            break
    else:
        amount = "under a minute"
    return f"in {amount}" if ahead else f"{amount} ago"


def environment() -> Environment:
    """The console's template environment (built once per process)."""
    env = Environment(
        loader=PackageLoader("watchlink.web", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label"] = _label
    env.filters["when"] = _when
    env.filters["ago"] = _ago
    return env


_ENV = environment()


def render(
    request: Request,
    template: str,
    actor: Actor | None,
    csrf: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page: ``template`` with the actor, the form token, what the actor's roles permit
    (``can``: permission names, to show only the pages it may use) and ``context``."""
    policy = getattr(request.app.state, "access_policy", None)
    policy = policy if isinstance(policy, Policy) else DEFAULT_POLICY
    can = set() if actor is None else {p.value for p in permissions_of(actor, policy.roles)}
    page = _ENV.get_template(template).render(
        request=request,
        actor=actor,
        csrf=csrf,
        can=can,
        is_auditor="audit:read" in can,
        path=request.url.path,
        **context,
    )
    response = HTMLResponse(page, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response
