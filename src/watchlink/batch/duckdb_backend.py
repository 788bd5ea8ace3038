"""The DuckDB backend: stream any file DuckDB reads (CSV, Parquet, JSON) in chunks.

Rows are fetched a chunk at a time, so an input far larger than memory screens in constant
memory (only the watchlist index is held); with ``workers`` the chunks are screened piece
by piece in that many processes forked from this one (``parallel.py``), in order. Results
go to JSON lines, or to Parquet through DuckDB's ``COPY`` when the output name ends in
``.parquet``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from watchlink.batch.parallel import ordered_map, pieces
from watchlink.batch.pipeline import Backend, ResultRow, Step
from watchlink.errors import InputError, InputProblem

__all__ = ["DuckDBBackend"]

_READERS = {
    ".csv": "read_csv(?, all_varchar = true, header = true)",
    ".parquet": "read_parquet(?)",
    ".jsonl": "read_json(?, format = 'newline_delimited')",
    ".ndjson": "read_json(?, format = 'newline_delimited')",
    ".json": "read_json(?)",
}


def _reader(source: Path) -> str:
    try:
        return _READERS[source.suffix.lower()]
    except KeyError:
        raise InputError(
            f"{source}: cannot tell the format from the name",
            [InputProblem(f"use one of {', '.join(_READERS)}", str(source))],
        ) from None


class DuckDBBackend(Backend):
    """Runs the pipeline in this process, reading and writing through an embedded DuckDB."""

    name = "duckdb"

    def __init__(self, memory_limit: str = "1GB", workers: int = 1) -> None:
        if workers < 1:
            raise InputError(
                "--workers must be 1 or more", [InputProblem("at least 1", field="--workers")]
            )
        self.memory_limit = memory_limit
        self.workers = workers

    def _connect(self) -> duckdb.DuckDBPyConnection:
        connection = duckdb.connect()
        connection.execute(f"SET memory_limit = '{self.memory_limit}'")
        return connection

    def count(self, source: Path) -> int | None:
        """Rows in the input (DuckDB counts without loading it)."""
        with self._connect() as connection:
            row = connection.execute(f"SELECT count(*) FROM {_reader(source)}", [str(source)])
            found = row.fetchone()
        return None if found is None else int(found[0])

    def chunks(self, source: Path, size: int) -> Iterator[list[tuple[int, dict[str, Any]]]]:
        """Rows a chunk at a time, numbered as lines (the CSV header is line 1)."""
        first = 2 if source.suffix.lower() == ".csv" else 1
        with self._connect() as connection:
            try:
                cursor = connection.execute(f"SELECT * FROM {_reader(source)}", [str(source)])
            except duckdb.Error as error:
                raise InputError(f"{source}: cannot be read", [InputProblem(str(error))]) from None
            columns = [d[0] for d in cursor.description or []]
            line = first
            while batch := cursor.fetchmany(size):
                rows = [
                    (line + i, dict(zip(columns, values, strict=True)))
                    for i, values in enumerate(batch)
                ]
                line += len(batch)
                yield rows

    def execute(
        self,
        step: Step,
        source: Path,
        out: Path,
        chunk_size: int,
        progress: Callable[[int], None] | None,
    ) -> tuple[int, int]:
        """Chunks in file order through the pipeline, in this process or, piece by piece,
        in ``workers`` forked ones."""

        def screened(rows: list[tuple[int, dict[str, Any]]]) -> list[ResultRow]:
            return list(step(rows))

        rows = (piece for chunk in self.chunks(source, chunk_size) for piece in pieces(chunk))
        queries = matched = 0
        with self.writer(out) as write:
            for results in ordered_map(screened, rows, self.workers):
                write(results)
                queries += len(results)
                matched += sum(r.matched for r in results)
                if progress is not None:
                    progress(len(results))
        return queries, matched

    @contextmanager
    def writer(self, out: Path) -> Iterator[Callable[[list[ResultRow]], None]]:
        """JSON lines straight to ``out``, or through a temporary file into Parquet."""
        parquet = out.suffix.lower() == ".parquet"
        target = Path(tempfile.mkstemp(suffix=".jsonl")[1]) if parquet else out
        try:
            with target.open("w", encoding="utf-8") as sink:

                def write(rows: list[ResultRow]) -> None:
                    for row in rows:
                        sink.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")

                yield write
            if parquet:
                with self._connect() as connection:
                    connection.execute(
                        "COPY (SELECT * FROM read_json(?, format = 'newline_delimited')) "
                        f"TO '{_quoted(out)}' (FORMAT parquet)",
                        [str(target)],
                    )
        finally:
            if parquet:
                target.unlink(missing_ok=True)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
