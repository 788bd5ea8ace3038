"""Every benchmark in one run, one table: matching quality, blocking, speed, the screening
service, delivery, the review sweep and the store's bulk rates.

    .venv/bin/python benchmarks/run.py            # full run (``make bench``): 10k, 100k, 1M
    .venv/bin/python benchmarks/run.py --quick    # small sizes, for a quick look

A row is any object (or mapping) with ``section``, ``measure``, ``system``, ``value`` and
optionally ``target`` and ``note``; each benchmark module exposes ``rows(quick) -> list``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

__all__ = ["MODULES", "print_table"]

MODULES = ("quality", "blocking", "speed", "service", "delivery", "review", "store_bulk")
FIELDS = ("section", "measure", "system", "value", "target", "note")


def _field(row: Any, name: str) -> str:
    value = row.get(name, "") if isinstance(row, dict) else getattr(row, name, "")
    return "" if value is None else str(value)


def print_table(rows: Iterable[Any], title: str) -> None:
    """Print the rows as one rich table, a rule between sections."""
    table = Table(title=title, show_lines=False)
    for name in FIELDS:
        table.add_column(name, justify="right" if name == "value" else "left")
    last = None
    for row in rows:
        cells = [_field(row, name) for name in FIELDS]
        if last is not None and cells[0] != last:
            table.add_section()
        last = cells[0]
        table.add_row(*cells)
    Console(width=200).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes at most")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(MODULES)}")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(MODULES)
    err = Console(stderr=True)
    rows: list[Any] = []
    start = time.perf_counter()
    for name in chosen:
        try:
            module = importlib.import_module(name)
        except ImportError as missing:
            rows.append({"section": name, "measure": "skipped", "note": str(missing)})
            continue
        err.print(f"[dim]running {name}…[/]")
        try:
            rows.extend(module.rows(quick=args.quick))
        except Exception as failure:  # one broken benchmark must not hide the others
            traceback.print_exc()
            rows.append({"section": name, "measure": "failed", "note": repr(failure)})
    mode = "quick" if args.quick else "full"
    print_table(rows, f"watchlink benchmarks ({mode}, {time.perf_counter() - start:,.0f} s)")


if __name__ == "__main__":
    main()
