"""Bulk screening (layer L2): one pipeline, backends that only execute it.

DuckDB is the default backend (embedded, streams inputs larger than memory); Spark is an
optional extra (``pip install 'watchlink[spark]'``), imported only when asked for.
"""

from __future__ import annotations

from watchlink.batch.duckdb_backend import DuckDBBackend
from watchlink.batch.pipeline import Backend, BatchSummary, ResultRow, screen_rows
from watchlink.errors import InputError, InputProblem

__all__ = [
    "BACKENDS",
    "Backend",
    "BatchSummary",
    "DuckDBBackend",
    "ResultRow",
    "backend",
    "screen_rows",
]

BACKENDS = ("duckdb", "spark")


def backend(name: str = "duckdb", *, workers: int = 1) -> Backend:
    """The backend called ``name``, DuckDB's screening in ``workers`` local processes; Spark
    needs the ``spark`` extra and says how to get it, and spreads its work itself."""
    if name == "duckdb":
        return DuckDBBackend(workers=workers)
    if name == "spark":
        if workers != 1:
            raise InputError(
                "--workers is for a run on this machine",
                [InputProblem("Spark spreads the work over its executors", field="--workers")],
            )
        try:
            from watchlink.batch.spark_backend import SparkBackend
        except ImportError as missing:
            raise InputError(
                "the Spark backend needs pyspark",
                [InputProblem(f"pip install 'watchlink[spark]' ({missing})", field="--backend")],
            ) from None
        return SparkBackend()
    raise InputError(
        f"unknown batch backend {name!r}",
        [InputProblem(f"choose one of {', '.join(BACKENDS)}", field="--backend")],
    )
