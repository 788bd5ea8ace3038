"""Every error leaves the API in one shape: ``{"error": {code, message, problems}}``.

``watchlink.errors.WatchlinkError`` carries its HTTP status and is mapped here, once;
request validation (422), routing errors (404, 405, 413, ...) and anything unexpected
(500, logged, never with a traceback in the body) take the same shape, so a client
reads one structure whatever went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from watchlink.errors import InputError, InputProblem, WatchlinkError

__all__ = [
    "ERROR_RESPONSES",
    "ErrorBody",
    "ErrorResponse",
    "Problem",
    "error_response",
    "install_error_handlers",
]

log = logging.getLogger(__name__)


class Problem(BaseModel):
    """One thing wrong with the request: why, and where (source, line, field) when known."""

    reason: str
    source: str | None = None
    line: int | None = None
    field: str | None = None


class ErrorBody(BaseModel):
    """What went wrong: a stable machine code, a sentence for people, and the details."""

    code: str = Field(description="Stable code, e.g. not_found, invalid_input, forbidden.")
    message: str = Field(description="What went wrong and what to do, for people.")
    problems: list[Problem] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


def _described(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: _described("The request is not valid; `problems` says where and why."),
}
"""OpenAPI entries for the error shape, added to every versioned route."""


def error_response(
    status_code: int,
    code: str,
    message: str,
    problems: Sequence[Problem] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON response in the one error shape."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message, problems=list(problems)))
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code, headers=headers)


def _from_input_problem(problem: InputProblem) -> Problem:
    return Problem(
        reason=problem.reason, source=problem.source, line=problem.line, field=problem.field
    )


def _from_validation_error(error: dict[str, Any], body: Any) -> Problem:
    """FastAPI's ``{"loc", "msg", "type"}`` as a problem: ``source`` is body/query/path/header."""
    location = tuple(error.get("loc", ()))
    source = str(location[0]) if location else None
    reason = str(error.get("msg", "invalid value"))
    if error.get("type") == "json_invalid":
        detail = error.get("ctx", {}).get("error")
        reason = f"not valid JSON: {detail}" if detail else "not valid JSON"
        position = location[1] if len(location) > 1 else None
        line = None
        if isinstance(position, int) and isinstance(body, str):
            line = body.count("\n", 0, position) + 1
        return Problem(reason=reason, source=source, line=line)
    field = ".".join(str(part) for part in location[1:]) or None
    return Problem(reason=reason, source=source, field=field)


async def _watchlink_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WatchlinkError)
    problems: list[Problem] = []
    if isinstance(exc, InputError):
        problems = [_from_input_problem(problem) for problem in exc.problems]
    if exc.status_code >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
    return error_response(exc.status_code, exc.code, exc.message, problems)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [_from_validation_error(dict(error), exc.body) for error in exc.errors()]
    return error_response(422, InputError.code, "the request is not valid", problems)


def _code_for(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else _code_for(exc.status_code)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, _code_for(exc.status_code), message, headers=headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, WatchlinkError.code, "internal error; the server logged it")


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to the one shape, in one place."""
    app.add_exception_handler(WatchlinkError, _watchlink_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
