"""``watchlink compare PAIRS.jsonl --out SCORES.jsonl``: score pairs of persons, with reasons.

Each input line is ``{"id": …, "left": ENTITY, "right": ENTITY}``, ENTITY a FollowTheMoney
Person; each output line is ``{"id": …, "score": 0..1, "match": true|false, "explanation":
[…]}``. Every line is checked before anything is scored: a bad line stops the command with
its line number and field, and nothing is written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
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


def read_pairs(
    path: Path,
) -> Iterator[tuple[int, str | int, Subject, Subject] | list[InputProblem]]:
    """Each line's pair id and subjects, or the problems found on that line."""
    source = str(path)
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            try:
                pair = json.loads(text)
            except json.JSONDecodeError as error:
                yield [InputProblem(f"not valid JSON ({error.msg})", source, number)]
                continue
            if not isinstance(pair, dict):
                yield [InputProblem("each line must be a JSON object", source, number)]
                continue
            problems: list[InputProblem] = []
            pair_id = pair.get("id")
            if not isinstance(pair_id, str | int) or isinstance(pair_id, bool) or pair_id == "":
                problems.append(
                    InputProblem("needs an id (string or number)", source, number, "id")
                )
            left = _side(pair, "left", number, source)
            right = _side(pair, "right", number, source)
            for result in (left, right):
                if isinstance(result, list):
                    problems.extend(result)
            if problems:
                yield problems
            else:
                assert isinstance(left, Subject) and isinstance(right, Subject)
                assert isinstance(pair_id, str | int)
                yield number, pair_id, left, right


def _check(path: Path) -> int:
    problems: list[InputProblem] = []
    count = 0
    for result in read_pairs(path):
        if isinstance(result, list):
            problems.extend(result)
        else:
            count += 1
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = f" (first {_MAX_PROBLEMS} shown)" if len(problems) > _MAX_PROBLEMS else ""
        raise InputError(f"{path}: {len(problems)} problems{more}; nothing was scored", shown)
    return count


def compare_file(path: Path, out: TextIO, use: str = "default", progress: bool = False) -> int:
    """Score every pair of ``path`` into ``out`` (JSON lines); returns the number of pairs."""
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    model = load_model()
    try:
        threshold = model.threshold(use)
    except ValueError as error:
        raise InputError(str(error), [InputProblem(str(error), field="--use")]) from error
    total = _check(path)
    with Progress(
        TextColumn("comparing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console,
        disable=not progress,
    ) as bar:
        task = bar.add_task("compare", total=total)
        for result in read_pairs(path):
            assert not isinstance(result, list)
            _, pair_id, left, right = result
            scored = score(prepare(left), prepare(right), model)
            line = {
                "id": pair_id,
                "score": round(scored.probability, 6),
                "match": scored.probability >= threshold,
                "explanation": scored.explanation,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            bar.advance(task)
    return total


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
    ) -> None:
        """Score pairs of persons: a calibrated probability, a match flag and the reasons."""
        if out is None:
            compare_file(pairs, sys.stdout, use)
            return
        tmp = out.with_name(out.name + ".partial")
        try:
            with tmp.open("w", encoding="utf-8") as handle:
                count = compare_file(pairs, handle, use, progress=True)
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        _console.print(f"{count:,} pairs scored → {out}")
