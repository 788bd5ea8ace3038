"""Indexes screening on ingest adds to existing tables.

``subjects.updated_at`` (SQLite) and ``subjects.changed_xid`` (PostgreSQL), each with the
subject's id after it (read a page at a time by both), let a server catch up, cheaply,
with subjects another process (an import, a second server) changed;
``hits.created_at`` serves the inbox, newest first and ``since`` a time.
"""

from __future__ import annotations

from sqlalchemy import Index

from watchlink.store.tables import subjects
from watchlink.store.tables_casework import hits

__all__ = ["hits_created_at", "subjects_changed_xid", "subjects_updated_at"]

subjects_updated_at = Index("ix_subjects_updated_at", subjects.c.updated_at, subjects.c.id)
subjects_changed_xid = Index("ix_subjects_changed_xid", subjects.c.changed_xid, subjects.c.id)
hits_created_at = Index("ix_hits_created_at", hits.c.created_at)
