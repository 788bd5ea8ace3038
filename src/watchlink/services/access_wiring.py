"""Wiring of the access services to the configured database: engine, trail, directory.

Kept in one place so the CLI, the API and the demo loader build them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import yaml
from sqlalchemy import Connection, Engine, select

from watchlink.access import DEFAULT_POLICY, Policy, SubjectColumns, load_role_permissions
from watchlink.errors import InputError, InputProblem
from watchlink.model import Role, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService, Directory, TableDirectory
from watchlink.services.subjects import FieldTable, SubjectStore
from watchlink.settings import Settings, get_settings
from watchlink.store.tables_access import users

__all__ = [
    "AccessContext",
    "DemoLogin",
    "add_demo_users",
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


def store_directory() -> Directory:
    """The directory over the store's agencies and partner-group tables."""
    from watchlink.store import tables as t

    return TableDirectory(
        t.agencies.c.code,
        t.agencies.c.country,
        t.partner_group_members.c.group_code,
        t.partner_group_members.c.agency_code,
    )


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
        """Build from settings. Without an ``engine``, opens the configured database and
        brings its schema to the newest migration (idempotent); then makes sure the audit
        chain head exists."""
        settings = settings or get_settings()
        policy = load_policy(settings)
        if engine is None:
            from watchlink.store import Database

            database = Database.from_settings(settings)
            database.migrate()
            engine = database.engine
        trail = AuditTrail.from_settings(settings, policy)
        trail.ensure_head(engine)
        return cls(engine, trail, AuthService(trail, directory or store_directory()))


def add_demo_users(
    conn: Connection, demo_users: Iterable[DemoLogin], settings: Settings | None = None
) -> int:
    """Create the demo logins that do not exist yet, in the caller's transaction (demo
    loading); returns how many. Each creation is on the audit trail."""
    settings = settings or get_settings()
    trail = AuditTrail.from_settings(settings, load_policy(settings))
    auth = AuthService(trail, store_directory())
    created = 0
    for user in demo_users:
        known = conn.execute(select(users.c.username).where(users.c.username == user.username))
        if known.first() is not None:
            continue
        auth.add_user(
            conn, None, user.username, user.agency, [user.role.value], user.password,
            user.display_name,
        )  # fmt: skip
        created += 1
    return created


def store_subject_store() -> SubjectStore:
    """The subject store over the store's tables and its ``SubjectRepository``."""
    from watchlink.store import SubjectRepository
    from watchlink.store import tables as t

    owner_country = (
        select(t.agencies.c.country).where(t.agencies.c.code == t.subjects.c.agency)
    ).scalar_subquery()
    directory = store_directory()

    def load(conn: Connection, ids: Sequence[str]) -> list[Subject]:
        return SubjectRepository(conn).get_many(ids)

    def save(conn: Connection, subject: Subject) -> None:
        SubjectRepository(conn).upsert(subject)

    from watchlink.store.consents import consented_to, consenting

    return SubjectStore(
        id=t.subjects.c.id,
        columns=SubjectColumns(
            owner_agency=t.subjects.c.agency,
            owner_country=owner_country,
            distribution=t.subjects.c.distribution,
            partner_group=t.subjects.c.partner_group,
            handling=t.subjects.c.handling,
            consents=consented_to,
        ),
        names=FieldTable(
            t.subject_names.c.subject_id, t.subject_names.c.full, t.subject_names.c.handling
        ),
        documents=FieldTable(
            t.subject_documents.c.subject_id,
            t.subject_documents.c.number,
            t.subject_documents.c.handling,
        ),
        load=load,
        save=save,
        country_of=directory.country_of,
        consents_of=consenting,
    )
