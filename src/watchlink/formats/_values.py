"""Shared cleaners for the interchange formats: enums, dates, countries, multi-values.

Each reader collects every problem of a record instead of stopping at the first, so
that a user fixes a file in one pass; :class:`Problems` is that collector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import TypeVar, cast

from watchlink.errors import InputProblem
from watchlink.model import ConcernLevel, PartialDate

__all__ = [
    "Problems",
    "clean_country",
    "escape",
    "join_multi",
    "parse_concern",
    "parse_date",
    "parse_enum",
    "parse_partial_date",
    "split_multi",
    "split_positional",
    "unique",
]

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

_COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?$|^[A-Za-z]{4}$")


class Problems:
    """Collects the problems of one record; each carries the field it concerns."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[InputProblem] = []

    def add(self, field: str, reason: str) -> None:
        """Record that ``field`` is wrong and why."""
        self.items.append(InputProblem(reason=reason, field=field))

    def __bool__(self) -> bool:
        return bool(self.items)


def unique(values: Iterable[T]) -> list[T]:
    """The values without repeats, in their first order (FtM values are sets)."""
    return list(dict.fromkeys(values))


_BY_VALUE: dict[type[Enum], dict[str, Enum]] = {}


def parse_enum(enum: type[E], text: str, field: str, problems: Problems) -> E | None:
    """Read an enum by its value (case-insensitive), or record the allowed values."""
    members = _BY_VALUE.get(enum)
    if members is None:  # once per enum: walking an enum's members costs a list each time
        members = _BY_VALUE[enum] = {str(m.value).lower(): m for m in enum}
    member = members.get(text.strip().lower())
    if member is not None:
        return cast(E, member)
    allowed = ", ".join(str(m.value) for m in enum)
    problems.add(field, f"unknown value {text!r}; expected one of: {allowed}")
    return None


def parse_concern(text: str, field: str, problems: Problems) -> ConcernLevel | None:
    """Read a level of concern by name (``high``) or number (``3``)."""
    cleaned = text.strip()
    if cleaned.isdigit() and int(cleaned) in ConcernLevel._value2member_map_:
        return ConcernLevel(int(cleaned))
    try:
        return ConcernLevel[cleaned.upper()]
    except KeyError:
        allowed = ", ".join(level.name.lower() for level in ConcernLevel)
        problems.add(field, f"unknown level of concern {text!r}; expected one of: {allowed}")
        return None


def parse_partial_date(text: str, field: str, problems: Problems) -> PartialDate | None:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, recording a problem otherwise."""
    try:
        return PartialDate.parse(text)
    except ValueError as error:
        problems.add(field, str(error))
        return None


def parse_date(text: str, field: str, problems: Problems) -> date | None:
    """Read a full ISO date ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.add(field, f"{text!r} is not a date of the form YYYY-MM-DD")
        return None


@lru_cache(maxsize=4096)
def _lookup_country(text: str) -> str | None:
    from rigour.territories import lookup_territory

    for candidate in (text, text.replace("-", " and "), text.replace("-", " ")):
        territory = lookup_territory(candidate)
        if territory is not None:
            return str(territory.code).upper()
    return None


def clean_country(text: str, field: str, problems: Problems) -> str | None:
    """An ISO 3166-1 alpha-2 code (upper case) from a code or a country name."""
    cleaned = text.strip()
    code = _lookup_country(cleaned)
    if code is None and _COUNTRY_CODE.match(cleaned):
        code = _lookup_country(cleaned.lower())
    if code is None:
        problems.add(field, f"unknown country {text!r}; give an ISO code such as FR or a name")
    return code


def split_multi(text: str, sep: str = ";") -> list[str]:
    """Split on ``sep`` unless escaped with a backslash; trims, drops empty parts."""
    return [part for part in split_positional(text, sep) if part]


def split_positional(text: str, sep: str) -> list[str]:
    """Like :func:`split_multi` but keeps empty parts, for positional fields."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == sep:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def escape(value: str, seps: str = ";") -> str:
    """Escape the backslash and each separator so :func:`split_multi` gives ``value`` back."""
    out = value.replace("\\", "\\\\")
    for sep in seps:
        out = out.replace(sep, "\\" + sep)
    return out


def join_multi(values: Iterable[str], sep: str = ";") -> str:
    """Join values with ``sep``, escaping it inside values."""
    return sep.join(escape(value, sep) for value in values)
