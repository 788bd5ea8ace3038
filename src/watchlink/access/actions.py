"""What an actor may try to do (actions) and what a role grants (permissions).

The role → permission table is data: the shipped defaults below, optionally replaced
by configuration. An unknown role or permission in configuration is refused, so a
typo can never silently widen or narrow access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from watchlink.errors import InputError, InputProblem
from watchlink.model import Role

__all__ = [
    "DEFAULT_ROLE_PERMISSIONS",
    "Action",
    "Permission",
    "RolePermissions",
    "load_role_permissions",
]


class Action(StrEnum):
    """An act the policy decides on; each needs one permission."""

    READ = "read"  # one subject, by id
    LIST = "list"  # list, search, count
    EXPORT = "export"  # take records out of watchlink (files, data-subject export)
    SHARE_ONWARD = "share_onward"  # pass a record to an agency outside its distribution
    WRITE = "write"
    SCREEN = "screen"
    READ_AUDIT = "read_audit"
    MANAGE_USERS = "manage_users"


class Permission(StrEnum):
    """A capability a role grants."""

    SUBJECT_READ = "subject:read"
    SUBJECT_EXPORT = "subject:export"
    SUBJECT_SHARE = "subject:share"
    SUBJECT_WRITE = "subject:write"
    SCREEN = "screen"
    AUDIT_READ = "audit:read"
    USERS_MANAGE = "users:manage"


REQUIRED: dict[Action, Permission] = {
    Action.READ: Permission.SUBJECT_READ,
    Action.LIST: Permission.SUBJECT_READ,
    Action.EXPORT: Permission.SUBJECT_EXPORT,
    Action.SHARE_ONWARD: Permission.SUBJECT_SHARE,
    Action.WRITE: Permission.SUBJECT_WRITE,
    Action.SCREEN: Permission.SCREEN,
    Action.READ_AUDIT: Permission.AUDIT_READ,
    Action.MANAGE_USERS: Permission.USERS_MANAGE,
}

RolePermissions = Mapping[Role, frozenset[Permission]]

_P = Permission
DEFAULT_ROLE_PERMISSIONS: RolePermissions = {
    Role.ADMIN: frozenset({_P.USERS_MANAGE}),
    Role.SUPERVISOR: frozenset(
        {_P.SUBJECT_READ, _P.SUBJECT_EXPORT, _P.SUBJECT_SHARE, _P.SUBJECT_WRITE, _P.SCREEN}
    ),
    Role.ANALYST: frozenset({_P.SUBJECT_READ, _P.SUBJECT_EXPORT, _P.SUBJECT_WRITE, _P.SCREEN}),
    Role.LIAISON_OFFICER: frozenset({_P.SUBJECT_READ, _P.SUBJECT_SHARE, _P.SCREEN}),
    # A border officer screens; what a hit allows is decided by the hit, not by reading.
    Role.BORDER_OFFICER: frozenset({_P.SCREEN}),
    Role.AUDITOR: frozenset({_P.AUDIT_READ}),
}


def load_role_permissions(
    config: Mapping[str, Iterable[str]], source: str = "configuration"
) -> RolePermissions:
    """Read a role → permissions table, refusing any unknown role or permission."""
    problems: list[InputProblem] = []
    table: dict[Role, frozenset[Permission]] = {}
    for role_name, names in config.items():
        try:
            role = Role(role_name)
        except ValueError:
            problems.append(InputProblem(f"unknown role {role_name!r}", source, field="role"))
            continue
        granted: set[Permission] = set()
        for name in names:
            try:
                granted.add(Permission(name))
            except ValueError:
                problems.append(
                    InputProblem(f"unknown permission {name!r} for role {role_name!r}", source)
                )
        table[role] = frozenset(granted)
    if problems:
        raise InputError("the access configuration names unknown roles or permissions", problems)
    return table
