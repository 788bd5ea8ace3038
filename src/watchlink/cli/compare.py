"""``watchlink compare PAIRS.jsonl --out SCORES.jsonl``: score pairs of persons, with reasons.

Each input line is ``{"id": …, "left": ENTITY, "right": ENTITY}``, ENTITY a FollowTheMoney
Person; each output line is ``{"id": …, "score": 0..1, "match": true|false, "explanation":
[…]}``. Every line is checked before anything is scored: a bad line stops the command with
its line number and field, and nothing is written. ``--workers N`` scores in N processes
(one per core is fastest), chunk by chunk; the output keeps the input's order.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Iterator
from itertools import islice
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from watchlink.errors import InputError, InputProblem
from watchlink.formats.ftm import parse_ftm_entity
from watchlink.matching.record import prepare
from watchlink.matching.scoring import load_model, score
from watchlink.model import Subject

__all__ = ["compare_file", "read_pairs", "register"]

_AGENCY = "COMPARE"
_MAX_PROBLEMS = 50
_CHUNK = 256  # pairs sent to a worker at a time
_console = Console(stderr=True)


def _side(pair: dict[str, Any], side: str, line: int, source: str) -> Subject | list[InputProblem]:
    entity = pair.get(side)
    if not isinstance(entity, dict):
        return [
            InputProblem(f"{side!r} must be a FollowTheMoney Person object", source, line, side)
        ]
    if "id" not in entity:
        entity = {**entity, "id": f"{pair.get('id')}:{side}"}
    result = parse_ftm_entity(entity, _AGENCY)
    if isinstance(result, list):
        return [
            InputProblem(p.reason, source, line, f"{side}.{p.field}" if p.field else side)
            for p in result
        ]
    return result


def _pair_of(
    number: int, text: str, source: str
) -> tuple[int, str | int, Subject, Subject] | list[InputProblem]:
    """One line's pair id and subjects, or the problems found on it."""
    try:
        pair = json.loads(text)
    except json.JSONDecodeError as error:
        return [InputProblem(f"not valid JSON ({error.msg})", source, number)]
    if not isinstance(pair, dict):
        return [InputProblem("each line must be a JSON object", source, number)]
    problems: list[InputProblem] = []
    pair_id = pair.get("id")
    if not isinstance(pair_id, str | int) or isinstance(pair_id, bool) or pair_id == "":
        problems.append(InputProblem("needs an id (string or number)", source, number, "id"))
    left = _side(pair, "left", number, source)
    right = _side(pair, "right", number, source)
    for result in (left, right):
        if isinstance(result, list):
            problems.extend(result)
    if problems:
        return problems
    assert isinstance(left, Subject) and isinstance(right, Subject)
    assert isinstance(pair_id, str | int)
    return number, pair_id, left, right


def _numbered(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        yield from ((n, text) for n, text in enumerate(handle, 1) if text.strip())


def read_pairs(
    path: Path,
) -> Iterator[tuple[int, str | int, Subject, Subject] | list[InputProblem]]:
    """Each line's pair id and subjects, or the problems found on that line."""
    for number, text in _numbered(path):
        yield _pair_of(number, text, str(path))


def _chunks(path: Path) -> Iterator[list[tuple[int, str]]]:
    lines = _numbered(path)
    while chunk := list(islice(lines, _CHUNK)):
        yield chunk


def _check_chunk(job: tuple[list[tuple[int, str]], str]) -> list[InputProblem]:
    """The problems of some lines (run in a worker process, or in this one)."""
    chunk, source = job
    found: list[InputProblem] = []
    for number, text in chunk:
        result = _pair_of(number, text, source)
        if isinstance(result, list):
            found.extend(result)
    return found


def _score_chunk(job: tuple[list[tuple[int, str]], str]) -> list[str]:
    """Output lines for checked input lines (run in a worker process, or in this one)."""
    chunk, use = job
    model = load_model()
    threshold = model.threshold(use)
    out = []
    for number, text in chunk:
        result = _pair_of(number, text, "")
        assert not isinstance(result, list)  # checked before
        _, pair_id, left, right = result
        scored = score(prepare(left), prepare(right), model)
        line = {
            "id": pair_id,
            "score": round(scored.probability, 6),
            "match": scored.probability >= threshold,
            "explanation": scored.explanation,
        }
        out.append(json.dumps(line, ensure_ascii=False) + "\n")
    return out


def _run(path: Path, out: TextIO, use: str, bar: Progress, pool: Pool | None) -> int:
    """Check every line, then score them; both passes spread over ``pool`` when given."""
    apply = map if pool is None else pool.imap
    problems: list[InputProblem] = []
    total = 0
    for chunk_problems, chunk in zip(
        apply(_check_chunk, ((c, str(path)) for c in _chunks(path))), _chunks(path), strict=True
    ):
        problems.extend(chunk_problems)
        total += len(chunk)
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = f" (first {_MAX_PROBLEMS} shown)" if len(problems) > _MAX_PROBLEMS else ""
        raise InputError(f"{path}: {len(problems)} problems{more}; nothing was scored", shown)
    task = bar.add_task("compare", total=total)
    for lines in apply(_score_chunk, ((c, use) for c in _chunks(path))):
        out.writelines(lines)
        bar.advance(task, len(lines))
    return total


def compare_file(
    path: Path, out: TextIO, use: str = "default", progress: bool = False, workers: int = 1
) -> int:
    """Score every pair of ``path`` into ``out`` (JSON lines) with ``workers`` processes;
    returns the number of pairs."""
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    if workers < 1:
        raise InputError(
            "--workers must be 1 or more", [InputProblem("at least 1", field="--workers")]
        )
    try:
        load_model().threshold(use)
    except ValueError as error:
        raise InputError(str(error), [InputProblem(str(error), field="--use")]) from error
    with Progress(
        TextColumn("comparing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console,
        disable=not progress,
    ) as bar:
        if workers == 1:
            return _run(path, out, use, bar, None)
        # Forked: the workers start with the model and the caches already loaded.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return _run(path, out, use, bar, pool)


def register(app: typer.Typer) -> None:
    """Add ``watchlink compare``."""

    @app.command("compare")
    def compare(
        pairs: Annotated[Path, typer.Argument(help="JSON lines of {id, left, right} FtM Persons")],
        out: Annotated[
            Path | None, typer.Option("--out", help="where to write the scores (default stdout)")
        ] = None,
        use: Annotated[
            str,
            typer.Option(
                "--use", help="threshold for the match flag: default, screening, deduplication"
            ),
        ] = "default",
        workers: Annotated[
            int,
            typer.Option("--workers", min=1, help="processes that score (one per core is fastest)"),
        ] = 1,
    ) -> None:
        """Score pairs of persons: a calibrated probability, a match flag and the reasons."""
        if out is None:
            compare_file(pairs, sys.stdout, use, workers=workers)
            return
        tmp = out.with_name(out.name + ".partial")
        try:
            with tmp.open("w", encoding="utf-8") as handle:
                count = compare_file(pairs, handle, use, progress=True, workers=workers)
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        _console.print(f"{count:,} pairs scored → {out}")
