"""The Spark backend (extra ``spark``): the same pipeline, spread over Spark partitions.

The input (CSV layout, Parquet or JSON) is read by Spark; the screener is broadcast once
to the executors and each partition streams its rows through the pipeline; results are
written by the executors as part files and gathered, in partition order, into one JSON-lines
file ``out`` (the same lines the DuckDB backend writes).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pyspark import cloudpickle
from pyspark.sql import SparkSession

from watchlink.batch.pipeline import Backend, Step

__all__ = ["SparkBackend"]


class SparkBackend(Backend):
    """Runs the pipeline on Spark (``local[*]`` unless a session is given)."""

    name = "spark"

    def __init__(self, session: SparkSession | None = None, master: str = "local[*]") -> None:
        self._session = session
        self.master = master

    @property
    def session(self) -> SparkSession:
        """The Spark session, started on first use."""
        if self._session is None:
            # local workers run this interpreter, so they import the same watchlink (pyspark
            # reads the interpreter only from the environment; an explicit choice is kept)
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder: Any = SparkSession.builder
            self._session = builder.master(self.master).appName("watchlink").getOrCreate()
        return self._session

    def _read(self, source: Path) -> Any:
        reader = self.session.read
        suffix = source.suffix.lower()
        if suffix == ".csv":
            return reader.csv(str(source), header=True, inferSchema=False, multiLine=True)
        if suffix == ".parquet":
            return reader.parquet(str(source))
        return reader.json(str(source))

    def execute(
        self,
        step: Step,
        source: Path,
        out: Path,
        chunk_size: int,
        progress: Callable[[int], None] | None,
    ) -> tuple[int, int]:
        """Each partition through the pipeline on the executors; results gathered to ``out``."""
        first = 2 if source.suffix.lower() == ".csv" else 1
        # the step holds the screener and closures: cloudpickle ships them, once per executor
        dumps: Callable[[object], bytes] = cloudpickle.dumps  # typed here, whatever its stubs
        packed = dumps(step)
        shared = self.session.sparkContext.broadcast(packed)

        def partition(rows: Iterator[tuple[Any, int]]) -> Iterator[str]:
            run_step: Step = cloudpickle.loads(shared.value)
            numbered = ((first + index, row.asDict()) for row, index in rows)
            for result in run_step(numbered):
                yield json.dumps(
                    {**result.as_dict(), "matched": result.matched}, ensure_ascii=False
                )

        lines = self._read(source).rdd.zipWithIndex().mapPartitions(partition)
        scratch = Path(tempfile.mkdtemp(prefix="watchlink-spark-"))
        try:
            lines.saveAsTextFile(str(scratch / "out"))
            return _gather(sorted((scratch / "out").glob("part-*")), out, progress)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _gather(
    parts: list[Path], out: Path, progress: Callable[[int], None] | None
) -> tuple[int, int]:
    queries = matched = 0
    with out.open("w", encoding="utf-8") as sink:
        for part in parts:
            with part.open(encoding="utf-8") as lines:
                for line in lines:
                    data = json.loads(line)
                    matched += bool(data.pop("matched"))
                    queries += 1
                    sink.write(json.dumps(data, ensure_ascii=False) + "\n")
            if progress is not None:
                progress(0)
    return queries, matched
