"""The analyst console (layer L4): server-rendered pages over the services.

Pages are FastAPI routes rendering Jinja2 templates; CSS, a little JavaScript and the
SVG map are shipped in the package and served from ``/static`` (nothing is fetched
from elsewhere). Every page reads through the services, so the access policy filters
everything and every read and act is on the audit trail.
"""

from __future__ import annotations

from fastapi import APIRouter

from watchlink.web import (
    assets,
    audit,
    inbox,
    login,
    monitoring,
    partners,
    requests,
    subject_form,
    subjects,
)

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [
    assets.router,
    login.router,
    inbox.router,
    subject_form.router,  # /subjects/new before /subjects/{subject_id}
    subjects.router,
    audit.router,
    requests.router,
    partners.router,
    monitoring.router,
]
"""The console's routers, served at the root (see ``api.app.ROOT_ROUTERS``)."""
