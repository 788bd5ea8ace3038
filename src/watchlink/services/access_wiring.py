"""Wiring of the access services to the configured database: engine, trail, directory.

Kept in one place so the CLI, the API and the demo loader build them the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import yaml
from sqlalchemy import Connection, Engine, create_engine, select

from watchlink.access import DEFAULT_POLICY, Policy, load_role_permissions
from watchlink.errors import InputError, InputProblem, WatchlinkError
from watchlink.model import Role
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService, Directory, TableDirectory
from watchlink.services.subjects import SubjectStore
from watchlink.settings import Settings, get_settings
from watchlink.store.tables_access import access_metadata, users

__all__ = [
    "AccessContext",
    "DemoLogin",
    "create_demo_users",
    "load_policy",
    "store_directory",
    "store_subject_store",
]


class DemoLogin(Protocol):
    """A demo login as the demo world lists it."""

    @property
    def username(self) -> str: ...
    @property
    def agency(self) -> str: ...
    @property
    def role(self) -> Role: ...
    @property
    def password(self) -> str: ...
    @property
    def display_name(self) -> str: ...


class _StoreDirectory:
    """The directory over the store's agencies and partner-group tables (read lazily)."""

    def _tables(self) -> TableDirectory:
        tables = importlib.import_module("watchlink.store.tables")
        return TableDirectory(
            tables.agencies.c.code,
            tables.agencies.c.country,
            tables.partner_group_members.c.group_code,
            tables.partner_group_members.c.agency_code,
        )

    def country_of(self, conn: Connection, agency: str) -> str | None:
        """The agency's country, or None when the agency is unknown."""
        return self._tables().country_of(conn, agency)

    def groups_of(self, conn: Connection, agency: str) -> frozenset[str]:
        """The partner groups the agency belongs to now."""
        return self._tables().groups_of(conn, agency)


def store_directory() -> Directory:
    """The directory over the store's agencies and partner-group tables."""
    return _StoreDirectory()


def load_policy(settings: Settings) -> Policy:
    """The policy: shipped rules, with the role table from ``access_roles_file`` when set.

    An unreadable file, or one naming an unknown role or permission, raises
    ``InputError``: called at start-up, it stops the server before it serves.
    """
    path = settings.access_roles_file
    if path is None:
        return DEFAULT_POLICY
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problem = InputProblem(str(error), source)
        raise InputError("the access roles file cannot be read", [problem]) from error
    if not isinstance(data, dict) or not all(
        isinstance(v, list) and all(isinstance(p, str) for p in v) for v in data.values()
    ):
        problem = InputProblem("expected a mapping of role: [permission, ...]", source)
        raise InputError("the access roles file is malformed", [problem])
    return Policy(roles=load_role_permissions({str(k): v for k, v in data.items()}, source))


@dataclass(frozen=True, slots=True)
class AccessContext:
    """The engine, the audit trail and the auth service, built from settings."""

    engine: Engine
    trail: AuditTrail
    auth: AuthService

    @classmethod
    def from_settings(
        cls,
        settings: Settings | None = None,
        engine: Engine | None = None,
        directory: Directory | None = None,
    ) -> AccessContext:
        """Build from settings; creates the access tables and the chain head if missing."""
        settings = settings or get_settings()
        if engine is None:
            settings.home.mkdir(parents=True, exist_ok=True)
            engine = create_engine(settings.effective_database_url)
        policy = load_policy(settings)
        access_metadata.create_all(engine)
        trail = AuditTrail.from_settings(settings, policy)
        trail.ensure_head(engine)
        return cls(engine, trail, AuthService(trail, directory or store_directory()))


def create_demo_users(context: AccessContext, demo_users: Iterable[DemoLogin]) -> int:
    """Create the demo logins that do not exist yet (development only); returns how many."""
    created = 0
    with context.engine.begin() as conn:
        for user in demo_users:
            known = conn.execute(select(users.c.username).where(users.c.username == user.username))
            if known.first() is not None:
                continue
            context.auth.add_user(
                conn,
                None,
                user.username,
                user.agency,
                [user.role.value],
                user.password,
                user.display_name,
            )
            created += 1
    return created


def store_subject_store() -> SubjectStore:
    """The subject store over the store's tables (``watchlink.store.subject_store``)."""
    store = importlib.import_module("watchlink.store")
    factory = getattr(store, "access_subject_store", None)
    if factory is None:
        raise WatchlinkError("the subject store is not available in this build")
    built = factory()
    if not isinstance(built, SubjectStore):
        raise TypeError("access_subject_store() must return a SubjectStore")
    return built
