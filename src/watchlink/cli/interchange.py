"""``watchlink import`` and ``watchlink export``: watchlists in and out of the database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from watchlink.errors import InputError, InputProblem
from watchlink.services.interchange import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    ExportFormat,
    ImportFormat,
    ImportReport,
    ProgressCallback,
    count_lines,
    guess_format,
)

__all__ = ["export", "import_", "register"]

_LARGE = 2_000  # lines from which an import shows a progress bar
_err = Console(stderr=True)


@contextmanager
def _unit_of_work() -> Iterator[Any]:
    """One unit of work on the configured database, closed afterwards; the statistics of
    the subject tables taken again after a large write (``configured_unit_of_work``)."""
    from watchlink.store.database import configured_unit_of_work

    with configured_unit_of_work() as uow:
        yield uow


def _check_format(value: str | None, allowed: tuple[str, ...], option: str) -> None:
    if value is not None and value not in allowed:
        raise InputError(
            f"unknown format {value!r}",
            [InputProblem(f"use one of: {', '.join(allowed)}", field=option)],
        )


def _log_progress() -> ProgressCallback:
    """A progress callback that prints a plain line at each tenth of the file."""
    shown = [0]

    def log(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth > shown[0]:
            shown[0] = tenth
            print(f"read {done:,} of {total:,} lines", file=sys.stderr, flush=True)

    return log


def _print_report(report: ImportReport) -> None:
    _err.print(
        f"imported {report.imported:,} subject(s) for {report.agency} from {report.source} "
        f"({report.format}): {report.created:,} new, {report.updated:,} updated",
        highlight=False,
    )
    if report.problems:
        _err.print(
            f"[yellow]skipped {len(report.skipped_lines):,} bad line(s):[/]", highlight=False
        )
        for problem in report.problems:
            _err.print(f"  {problem}", highlight=False, markup=False)


def import_(
    file: Annotated[Path, typer.Argument(help="The file (or, for ofac-csv, its folder).")],
    agency: Annotated[str, typer.Option("--agency", help="Code of the agency that owns it.")],
    format: Annotated[
        str | None,
        typer.Option("--format", help="ftm, csv or ofac-csv; guessed from the name if omitted."),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Import the good lines and list the bad ones."),
    ] = False,
) -> None:
    """Import a watchlist: FtM JSON lines, the watchlink CSV layout or the US SDN list.

    The whole file is one transaction: if any line is bad, nothing is imported and every
    bad line is listed with its field (exit code 2), unless --skip-invalid. Subjects
    already held (same id) are updated, never duplicated. See docs/csv-layout.md.
    """
    from watchlink.services.interchange import import_subjects

    _check_format(format, IMPORT_FORMATS, "--format")
    if not file.exists():
        raise InputError(f"{file} does not exist", [InputProblem("no such file", str(file))])
    chosen: ImportFormat = format if format is not None else guess_format(file)  # type: ignore[assignment]
    total = count_lines(file)
    with _unit_of_work() as uow:
        if total < _LARGE:
            report = import_subjects(uow, file, agency, chosen, skip_invalid=skip_invalid)
        elif not _err.is_terminal:  # logs get a plain line at every tenth of the file
            report = import_subjects(
                uow, file, agency, chosen, skip_invalid=skip_invalid, progress=_log_progress()
            )
        else:
            columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, TimeRemainingColumn(), console=_err, transient=True) as bar:
                task = bar.add_task("lines", total=total)

                def advance(done: int, _total: int) -> None:
                    bar.update(task, completed=done)

                report = import_subjects(
                    uow, file, agency, chosen, skip_invalid=skip_invalid, progress=advance
                )
    _print_report(report)


def export(
    agency: Annotated[
        str | None, typer.Option("--agency", help="Only the subjects this agency owns.")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="ftm (JSON lines) or csv.")] = "ftm",
    out: Annotated[str, typer.Option("--out", help="File to write, or - for stdout.")] = "-",
) -> None:
    """Export subjects as FtM JSON lines or the watchlink CSV layout, streaming."""
    from watchlink.services.interchange import export_subjects
    from watchlink.store import subjects_of_agency

    _check_format(format, EXPORT_FORMATS, "--format")
    chosen: ExportFormat = format  # type: ignore[assignment]
    where = None if agency is None else subjects_of_agency(agency)
    with _unit_of_work() as uow:
        if out == "-":
            count = export_subjects(uow, sys.stdout, chosen, where=where)
        else:
            with Path(out).open("w", encoding="utf-8", newline="") as handle:
                count = export_subjects(uow, handle, chosen, where=where)
    _err.print(f"exported {count:,} subject(s) ({chosen})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the app."""
    app.command("import")(import_)
    app.command("export")(export)
