"""The console's static files (CSS, JavaScript, the SVG map), served from the package.

Only the files shipped in ``web/static`` are served, by exact name: nothing is fetched
from another site at run time, and no path can climb out of the folder.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import Response

from watchlink.errors import NotFound

__all__ = ["TYPES", "read_static", "router"]

TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}

router = APIRouter(include_in_schema=False)


@cache
def _shipped() -> frozenset[str]:
    folder = files("watchlink.web").joinpath("static")
    return frozenset(item.name for item in folder.iterdir() if item.is_file())


@cache
def read_static(name: str) -> bytes:
    """The bytes of a shipped static file; ``NotFound`` for any other name."""
    if name not in _shipped():
        raise NotFound("no such console file")
    return files("watchlink.web").joinpath("static", name).read_bytes()


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    """One shipped file, with its content type."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in TYPES:
        raise NotFound("no such console file")
    return Response(
        read_static(name),
        media_type=TYPES[suffix],
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
