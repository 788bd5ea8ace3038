"""Write a new migration: ``python -m watchlink.store.revise "what changed"``.

Run it after adding or changing a table (in ``tables.py`` or a ``tables_*.py``); read
the revision file it writes under ``store/migrations/versions/`` before committing.
"""

from __future__ import annotations

import sys

from watchlink.store.migrate import revise

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Autogenerate one revision named by the arguments."""
    if not argv or not " ".join(argv).strip():
        print('usage: python -m watchlink.store.revise "what changed"', file=sys.stderr)
        return 2
    revise(" ".join(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
