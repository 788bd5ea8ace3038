"""The actor: who is asking, resolved fresh from the database on every request."""

from __future__ import annotations

from dataclasses import dataclass, field

from watchlink.model import Role

__all__ = ["Actor"]


@dataclass(frozen=True, slots=True)
class Actor:
    """A user acting for one agency, with the roles and partner groups it holds *now*.

    Built per request (never cached across requests) so that removing an agency from a
    partner group, or a role from a user, takes effect on the next request.
    """

    user: str
    agency: str
    country: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    groups: frozenset[str] = field(default_factory=frozenset)  # partner group codes
    scopes: frozenset[str] | None = None  # an API token's scopes; None for a session

    @property
    def role_label(self) -> str:
        """The roles as one stable string, for the audit trail."""
        return ",".join(sorted(self.roles))
