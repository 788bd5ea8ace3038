"""``watchlink screen``: screen people against a watchlist, one JSON line of matches per person.

QUERIES and LIST are FollowTheMoney JSON lines (``.jsonl``, ``.json``, ``.ndjson``) or the
CSV layout (``.csv``). The list is indexed in memory (a million subjects fit in a few GiB);
the queries stream through, so a file of any length is screened in constant memory.
Every input line is checked before anything is screened: a bad line stops the command
with its file, line and field, and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from watchlink.batch import backend
from watchlink.batch.parallel import ordered_map, pieces
from watchlink.batch.pipeline import match_record
from watchlink.errors import InputError, InputProblem
from watchlink.formats import read_csv_rows, read_ftm_lines
from watchlink.matching import Screener
from watchlink.model import Subject

__all__ = ["check", "read_subjects", "register"]

_console = Console(stderr=True)
_MAX_PROBLEMS = 50
_FTM_SUFFIXES = {".jsonl", ".json", ".ndjson", ".ftm"}


def _rows(path: Path, agency: str) -> Iterator[tuple[int, Subject | list[InputProblem]]]:
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    if path.suffix.lower() == ".csv":
        return read_csv_rows(path, agency)
    if path.suffix.lower() in _FTM_SUFFIXES:
        return read_ftm_lines(path, agency)
    raise InputError(
        f"{path}: cannot tell the format from the name",
        [InputProblem("use .jsonl for FollowTheMoney lines or .csv for the CSV layout", str(path))],
    )


def check(path: Path, agency: str) -> int:
    """Read a file through once; raise ``InputError`` with every problem, else count subjects."""
    problems: list[InputProblem] = []
    count = 0
    for _, result in _rows(path, agency):
        if isinstance(result, list):
            problems.extend(result)
        else:
            count += 1
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = f" (first {_MAX_PROBLEMS} shown)" if len(problems) > _MAX_PROBLEMS else ""
        raise InputError(f"{path}: {len(problems)} problems{more}; nothing was screened", shown)
    return count


def read_subjects(path: Path, agency: str) -> Iterator[Subject]:
    """The subjects of a checked file, streamed."""
    for _, result in _rows(path, agency):
        if isinstance(result, Subject):
            yield result


def _database_subjects() -> Iterator[Subject]:
    try:
        from watchlink.store import iter_screened_subjects
    except ImportError:
        raise InputError(
            "no --against list given and this installation has no database to screen against",
            [InputProblem("pass --against LIST.jsonl (or .csv)", field="--against")],
        ) from None
    yield from iter_screened_subjects()


def _bar() -> Progress:
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), console=_console, transient=False)


def screen(
    queries: Annotated[Path, typer.Argument(help="People to screen (.jsonl FtM or .csv).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the JSON lines.")],
    against: Annotated[
        Path | None,
        typer.Option("--against", "-a", help="Watchlist (.jsonl or .csv); default: the database."),
    ] = None,
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="Matches kept per query.")] = 10,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Keep matches scoring at least this (0..1)."),
    ] = None,
    use: Annotated[
        str, typer.Option(help="Whose threshold marks a match: screening or deduplication.")
    ] = "screening",
    batch: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help="Read QUERIES (.csv layout, .parquet) through a batch backend: duckdb or spark.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Processes that screen, once the list is indexed (one a core)."
        ),
    ] = 1,
) -> None:
    """Screen each person in QUERIES against a watchlist; one output line per person.

    A .parquet QUERIES file, or ``--backend``, streams through the batch pipeline (DuckDB by
    default): inputs larger than memory, rows in the CSV layout's columns. ``--workers N``
    screens in N processes forked after the list is indexed (they share its memory); the
    output keeps the input's order.
    """
    if use not in ("screening", "deduplication"):
        raise InputError(
            f"unknown use {use!r}", [InputProblem("use screening or deduplication", field="--use")]
        )
    if batch is None and queries.suffix.lower() == ".parquet":
        batch = "duckdb"
    runner = None if batch is None else backend(batch, workers=workers)
    total = check(queries, "QUERY") if runner is None else runner.count(queries)
    if against is not None:
        listed = check(against, "LIST")
    with _bar() as bar:
        if against is not None:
            task = bar.add_task("indexing", total=listed)
            source = _counted(read_subjects(against, "LIST"), bar, task)
        else:
            task = bar.add_task("indexing", total=None)
            source = _counted(_database_subjects(), bar, task)
        screener: Screener[Any] = Screener.build(source)
        task = bar.add_task("screening", total=total)
        hits = 0
        if runner is not None:
            summary = runner.run(
                screener,
                queries,
                out,
                top=top,
                threshold=threshold,
                use=use,
                progress=lambda done: bar.advance(task, done),
            )
            total, hits = summary.queries, summary.with_match
        else:
            hits = _stream(
                screener,
                queries,
                out,
                top=top,
                threshold=threshold,
                use=use,
                bar=bar,
                workers=workers,
            )
    _console.print(f"{total:,} screened against {len(screener):,}; {hits:,} with a match → {out}")


def _stream(
    screener: Screener[Any],
    queries: Path,
    out: Path,
    *,
    top: int,
    threshold: float | None,
    use: str,
    bar: Progress,
    workers: int = 1,
) -> int:
    """Screen a checked FtM or CSV file in pieces, in ``workers`` processes; returns how
    many had a match."""

    def lines_of(piece: list[Subject]) -> tuple[list[str], int]:
        texts: list[str] = []
        matched = 0
        for query, matches in screener.screen_many(piece, top=top, threshold=threshold, use=use):
            line: dict[str, Any] = {"query": query.id, "name": query.primary_name}
            line["matches"] = [match_record(m) for m in matches]
            line["namesakes"] = screener.namesakes(query)
            matched += any(m.is_match for m in matches)
            texts.append(json.dumps(line, ensure_ascii=False) + "\n")
        return texts, matched

    task = bar.tasks[-1].id
    hits = 0
    with out.open("w", encoding="utf-8") as sink:
        for texts, matched in ordered_map(
            lines_of, pieces(read_subjects(queries, "QUERY")), workers
        ):
            sink.writelines(texts)
            hits += matched
            bar.advance(task, len(texts))
    return hits


def _counted(subjects: Iterator[Subject], bar: Progress, task: Any) -> Iterator[Subject]:
    for subject in subjects:
        bar.advance(task)
        yield subject


def register(app: typer.Typer) -> None:
    """Add ``watchlink screen``."""
    app.command(name="screen")(screen)
