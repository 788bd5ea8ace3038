"""The one ``MetaData`` every watchlink table is declared on, with stable constraint names.

Named constraints let Alembic alter them later (SQLite rebuilds tables in batch mode and
needs the names). Tables live in ``tables.py`` and ``tables_*.py`` next to this module;
``all_metadata()`` imports them all so that migrations see the whole schema.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

__all__ = ["all_metadata", "metadata"]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def all_metadata() -> list[MetaData]:
    """Every ``MetaData`` of the store's table modules: the shared one first.

    Importing ``watchlink.store.tables`` and each ``watchlink.store.tables_*`` module
    registers their tables; a module that declares its own ``MetaData`` is included too.
    """
    import watchlink.store as package

    found: list[MetaData] = [metadata]
    names = [
        "watchlink.store.tables",
        *sorted(
            f"watchlink.store.{info.name}"
            for info in pkgutil.iter_modules(package.__path__)
            if info.name.startswith("tables_")
        ),
    ]
    for name in names:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, MetaData) and all(value is not m for m in found):
                found.append(value)
    return found
