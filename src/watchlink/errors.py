"""One exception hierarchy for the whole product; each error carries its HTTP status.

The API maps these to responses in one place; the CLI prints them and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AccessDenied",
    "Conflict",
    "InputError",
    "InputProblem",
    "NotFound",
    "Unauthenticated",
    "WatchlinkError",
]


class WatchlinkError(Exception):
    """Base of every error watchlink raises on purpose."""

    status_code: int = 500
    code: str = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(WatchlinkError):
    """The record does not exist, or the caller may not know that it exists."""

    status_code = 404
    code = "not_found"


class AccessDenied(WatchlinkError):
    """The caller is known but the policy refuses the action."""

    status_code = 403
    code = "forbidden"


class Unauthenticated(WatchlinkError):
    """No valid session or token."""

    status_code = 401
    code = "unauthenticated"


class Conflict(WatchlinkError):
    """The action contradicts the current state (duplicate, stale version, wrong state)."""

    status_code = 409
    code = "conflict"


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One thing wrong with user input: where (source, line, field) and why."""

    reason: str
    source: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        if self.field is not None:
            where = f"{where} field {self.field!r}" if where else f"field {self.field!r}"
        return f"{where}: {self.reason}" if where else self.reason


class InputError(WatchlinkError):
    """User input is invalid; ``problems`` lists every problem found, with where."""

    status_code = 422
    code = "invalid_input"

    def __init__(self, message: str, problems: list[InputProblem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[InputProblem] = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message, *(f"  {problem}" for problem in self.problems)]
        return "\n".join(lines)
