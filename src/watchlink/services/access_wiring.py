"""Wiring of the access services to the configured database: engine, trail, directory.

Kept in one place so the CLI, the API and the demo loader build them the same way.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, create_engine

from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService, Directory, TableDirectory
from watchlink.settings import Settings, get_settings
from watchlink.store.tables_access import access_metadata

__all__ = ["AccessContext", "store_directory"]


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
        access_metadata.create_all(engine)
        trail = AuditTrail.from_settings(settings)
        trail.ensure_head(engine)
        return cls(engine, trail, AuthService(trail, directory or store_directory()))
