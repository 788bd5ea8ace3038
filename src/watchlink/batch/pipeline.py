"""Bulk screening: one pipeline (rows in, one result row per query out), run by a backend.

The pipeline is fixed: each input row, in the columns of the CSV layout, becomes a query
subject, is screened against the list, and yields one ``ResultRow``. A backend only decides
where rows come from and where results go (DuckDB streams files larger than memory; Spark
spreads partitions over a cluster). ``Backend.run`` is final; backends fill in the hooks.
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, final

from watchlink.errors import InputError, InputProblem
from watchlink.formats.csv_layout import parse_csv_row
from watchlink.matching import Match, Screener

__all__ = ["Backend", "BatchSummary", "ResultRow", "Step", "match_record", "screen_rows"]

QUERY_AGENCY = "QUERY"


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One query's outcome: its id, its best score, whether anything matched, the matches."""

    query: str
    name: str
    best_score: float
    matched: bool
    matches: str  # JSON list of {subject_id, score, match, explanation, document_alert}
    namesakes: int = 0  # listed subjects bearing the query's name, as it is or spelled alike

    def as_dict(self) -> dict[str, Any]:
        """The row as written to JSON lines (matches decoded)."""
        return {
            "query": self.query,
            "name": self.name,
            "matches": json.loads(self.matches),
            "namesakes": self.namesakes,
        }


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a run did."""

    queries: int
    with_match: int
    seconds: float


def match_record(match: Match) -> dict[str, Any]:
    """One match as written in an output line (the ``watchlink screen`` contract)."""
    return {
        "subject_id": match.subject_id,
        "score": round(match.score, 6),
        "match": match.is_match,
        "explanation": match.explanation,
        "document_alert": match.document_alert,
    }


def screen_rows(
    screener: Screener[Any],
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    source: str,
    top: int = 10,
    threshold: float | None = None,
    use: str = "screening",
) -> Iterator[ResultRow]:
    """The pipeline: (line, CSV-layout row) pairs in, one result row per query out.

    A row that does not parse stops the run with its line and field (``InputError``).
    """
    for line, row in rows:
        cells = {k: "" if v is None else str(v) for k, v in row.items()}
        parsed = parse_csv_row(cells, QUERY_AGENCY)
        if isinstance(parsed, list):
            problems = [InputProblem(p.reason, source, line, p.field) for p in parsed]
            raise InputError(f"{source}: row {line} cannot be read", problems)
        matches = screener.screen(parsed, top=top, threshold=threshold, use=use)
        yield ResultRow(
            query=parsed.id,
            name=parsed.primary_name,
            best_score=max((m.score for m in matches), default=0.0),
            matched=any(m.is_match for m in matches),
            matches=json.dumps([match_record(m) for m in matches], ensure_ascii=False),
            namesakes=screener.namesakes(parsed),
        )


Step = Callable[[Iterable[tuple[int, Mapping[str, Any]]]], Iterator[ResultRow]]
"""The pipeline bound to a screener and options: (line, row) pairs in, result rows out."""


class Backend(ABC):
    """Executes the pipeline: where rows come from, how they are spread, where results go."""

    name = "abstract"

    @final
    def run(
        self,
        screener: Screener[Any],
        source: Path,
        out: Path,
        *,
        top: int = 10,
        threshold: float | None = None,
        use: str = "screening",
        chunk_size: int = 10_000,
        progress: Callable[[int], None] | None = None,
    ) -> BatchSummary:
        """Screen every row of ``source`` into ``out`` (JSON lines, or Parquet by suffix)."""
        if not source.is_file():
            raise InputError(f"{source} does not exist or is not a file")
        screener.threshold(use)  # an unknown use fails here, before any work

        def step(rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Iterator[ResultRow]:
            return screen_rows(
                screener, rows, source=str(source), top=top, threshold=threshold, use=use
            )

        start = time.perf_counter()
        queries, matched = self.execute(step, source, out, chunk_size, progress)
        return BatchSummary(queries, matched, time.perf_counter() - start)

    @abstractmethod
    def execute(
        self,
        step: Step,
        source: Path,
        out: Path,
        chunk_size: int,
        progress: Callable[[int], None] | None,
    ) -> tuple[int, int]:
        """Run ``step`` over every row of ``source``, write ``out``; (queries, with a match)."""

    def count(self, source: Path) -> int | None:
        """How many rows the input holds, when cheap to know (for a progress bar)."""
        return None
