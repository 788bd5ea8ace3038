"""Agencies, the partner groups they form, and their users."""

from __future__ import annotations

from dataclasses import dataclass, field

from watchlink.model.enums import AgencyKind, Role

__all__ = ["Agency", "PartnerGroup", "User"]


@dataclass(slots=True)
class Agency:
    """An intelligence, police, border or partner agency of one country."""

    code: str  # short and stable, e.g. "FR-INT"
    name: str
    country: str  # ISO 3166-1 alpha-2, upper case
    kind: AgencyKind
    contact: str | None = None  # national contact point for escalations
    officers: int | None = None  # staff available for monitoring, when known


@dataclass(slots=True)
class PartnerGroup:
    """A named set of agencies that share records distributed to the group."""

    code: str
    name: str
    members: set[str] = field(default_factory=set)  # agency codes


@dataclass(slots=True)
class User:
    """A person who uses watchlink on behalf of one agency."""

    username: str
    agency: str
    roles: set[Role] = field(default_factory=set)
    display_name: str | None = None
    active: bool = True
