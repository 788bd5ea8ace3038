"""``watchlink compare PAIRS.jsonl --out SCORES.jsonl``: score pairs of persons, with reasons.

Each input line is ``{"id": …, "left": ENTITY, "right": ENTITY}``, ENTITY a FollowTheMoney
Person; each output line is ``{"id": …, "score": 0..1, "match": true|false, "explanation":
[…]}``. Lines are checked and scored in one pass, and an entity met again (one person in
many pairs) is prepared once; a bad line stops the scoring, every line is still checked, and
the command fails naming each bad line's number and field with nothing written.
``--workers N`` scores in N processes (one per core is fastest), chunk by chunk; the output
keeps the input's order.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from itertools import islice
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Annotated, Any, Protocol, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from watchlink.errors import InputError, InputProblem
from watchlink.formats.ftm import parse_ftm_entity
from watchlink.matching.record import PreparedRecord, prepare
from watchlink.matching.scoring import load_model, score

__all__ = ["compare_file", "register"]

_AGENCY = "COMPARE"
_MAX_PROBLEMS = 50
_CHUNK = 256  # pairs sent to a worker at a time
_PREPARED_KEPT = 8192  # prepared entities a process keeps, to reuse when one comes again
_SPOOL_IN_MEMORY = 64 * 2**20  # output held in memory until checked, then on disk
_console = Console(stderr=True)


class _Flag(Protocol):
    def set(self) -> None: ...
    def is_set(self) -> bool: ...


_prepared: OrderedDict[str, PreparedRecord] = OrderedDict()  # this process's, by their JSON
_bad_line: _Flag = threading.Event()  # set at the first bad line: the rest is checked only


def _reusable(entity: dict[str, Any]) -> str | None:
    """The text an entity is kept under (its content without its id, which no score reads),
    or None when its id is malformed and must be reported on each line it is on. The
    ``repr`` of decoded JSON tells its content exactly (a string from a number, a list from
    a string) in a third of the time of writing it back as JSON; the same entity with its
    keys in another order is merely prepared again."""
    entity_id = entity.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        return None
    return repr([(k, v) for k, v in entity.items() if k != "id"])


def _side(
    pair: dict[str, Any], side: str, line: int, source: str
) -> PreparedRecord | list[InputProblem]:
    """One side of a pair, parsed and prepared; an entity met before is prepared once."""
    entity = pair.get(side)
    if not isinstance(entity, dict):
        return [
            InputProblem(f"{side!r} must be a FollowTheMoney Person object", source, line, side)
        ]
    if "id" not in entity:
        entity = {**entity, "id": f"{pair.get('id')}:{side}"}
    key = _reusable(entity)
    if key is not None and (kept := _prepared.get(key)) is not None:
        return kept
    result = parse_ftm_entity(entity, _AGENCY)
    if isinstance(result, list):
        return [
            InputProblem(p.reason, source, line, f"{side}.{p.field}" if p.field else side)
            for p in result
        ]
    record = prepare(result)
    if key is not None:
        if len(_prepared) >= _PREPARED_KEPT:
            _prepared.popitem(last=False)  # the oldest
        _prepared[key] = record
    return record


def _pair_of(
    number: int, text: str, source: str
) -> tuple[str | int, PreparedRecord, PreparedRecord] | list[InputProblem]:
    """One line's pair id and prepared sides, or the problems found on it."""
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
    assert isinstance(left, PreparedRecord) and isinstance(right, PreparedRecord)
    assert isinstance(pair_id, str | int)
    return pair_id, left, right


def _numbered(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        yield from ((n, text) for n, text in enumerate(handle, 1) if text.strip())


def _chunks(path: Path) -> Iterator[list[tuple[int, str]]]:
    lines = _numbered(path)
    while chunk := list(islice(lines, _CHUNK)):
        yield chunk


def _score_chunk(
    job: tuple[list[tuple[int, str]], str, str],
) -> tuple[int, list[str], list[InputProblem]]:
    """Output lines for some input lines and the problems found on them (run in a worker
    process, or in this one). Once a bad line is found anywhere, lines are checked only."""
    chunk, source, use = job
    model = load_model()
    threshold = model.threshold(use)
    out: list[str] = []
    problems: list[InputProblem] = []
    scoring = not _bad_line.is_set()
    for number, text in chunk:
        result = _pair_of(number, text, source)
        if isinstance(result, list):
            problems.extend(result)
            if scoring:
                _bad_line.set()
                scoring = False
            continue
        if not scoring:
            continue
        pair_id, left, right = result
        scored = score(left, right, model)
        line = {
            "id": pair_id,
            "score": round(scored.probability, 6),
            "match": scored.probability >= threshold,
            "explanation": scored.explanation,
        }
        out.append(json.dumps(line, ensure_ascii=False) + "\n")
    return len(chunk), out, problems


def _run(path: Path, out: TextIO, use: str, bar: Progress, pool: Pool | None, staged: bool) -> int:
    """Check and score every line in one pass, spread over ``pool`` when given; the scores
    reach ``out`` only once every line is known good (unless ``out`` is ``staged``: a file
    its caller throws away on error)."""
    apply = map if pool is None else pool.imap
    task = bar.add_task("compare", total=sum(1 for _ in _numbered(path)))
    problems: list[InputProblem] = []
    total = 0
    with tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY, "w+", encoding="utf-8") as spool:
        held: TextIO = out if staged else spool  # type: ignore[assignment]
        jobs = ((chunk, str(path), use) for chunk in _chunks(path))
        for size, lines, found in apply(_score_chunk, jobs):
            problems.extend(found)
            if not problems:
                held.writelines(lines)
            total += size
            bar.advance(task, size)
        if problems:
            shown = problems[:_MAX_PROBLEMS]
            more = f" (first {_MAX_PROBLEMS} shown)" if len(problems) > _MAX_PROBLEMS else ""
            count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
            raise InputError(f"{path}: {count}{more}; nothing was written", shown)
        if not staged:
            spool.seek(0)
            shutil.copyfileobj(spool, out)
    return total


def compare_file(
    path: Path,
    out: TextIO,
    use: str = "default",
    progress: bool = False,
    workers: int = 1,
    staged: bool = False,
) -> int:
    """Score every pair of ``path`` into ``out`` (JSON lines) with ``workers`` processes;
    returns the number of pairs. Nothing reaches ``out`` when a line is bad, unless
    ``staged`` (the caller then discards ``out``)."""
    global _bad_line
    _prepared.clear()  # each run starts afresh
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
            _bad_line = threading.Event()
            return _run(path, out, use, bar, None, staged)
        # Forked: the workers start with the model and the caches already loaded, and share
        # the flag that a bad line was found.
        context = multiprocessing.get_context("fork")
        _bad_line = context.Event()
        with context.Pool(workers) as pool:
            return _run(path, out, use, bar, pool, staged)


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
                count = compare_file(
                    pairs, handle, use, progress=True, workers=workers, staged=True
                )
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        _console.print(f"{count:,} pairs scored → {out}")
