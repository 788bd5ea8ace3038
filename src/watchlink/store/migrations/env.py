"""Alembic's environment: migrate the engine handed in by ``watchlink.store.migrate``."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON, Engine
from sqlalchemy.types import TypeDecorator

from watchlink.store.metadata import all_metadata


def render_item(kind: str, value: Any, autogen: AutogenContext) -> str | Literal[False]:
    """Render our column types as the plain SQLAlchemy types they store."""
    if kind != "type":
        return False
    if isinstance(value, TypeDecorator):
        return f"sa.{type(value.impl_instance).__name__}()"
    if isinstance(value, JSON) and "postgresql" in value._variant_mapping:
        autogen.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False


def run() -> None:
    """Run the migrations on the configured engine, in one transaction."""
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("migrations run through watchlink.store.migrate, with an engine")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=all_metadata(),
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
