"""Import and export of watchlists: FollowTheMoney JSON lines, the CSV layout, the SDN list.

An import is one unit of work. Every line is read and checked; when any line is bad
the whole import is rolled back and :class:`InputError` lists every bad line (file,
line, field, reason) — unless ``skip_invalid`` is set, when the good lines are kept and
the bad ones reported. A subject id already held is updated, never duplicated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from watchlink.errors import InputError, InputProblem
from watchlink.formats.csv_layout import read_csv_rows, write_csv
from watchlink.formats.ftm import read_ftm_lines, write_ftm_lines
from watchlink.formats.ofac import ofac_files, read_ofac
from watchlink.model import Subject

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ImportFormat",
    "ImportObserver",
    "ImportReport",
    "ProgressCallback",
    "count_lines",
    "export_subjects",
    "guess_format",
    "import_subjects",
    "read_subjects",
]

ImportFormat = Literal["ftm", "csv", "ofac-csv"]
ExportFormat = Literal["ftm", "csv"]
IMPORT_FORMATS: tuple[ImportFormat, ...] = ("ftm", "csv", "ofac-csv")
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("ftm", "csv")

#: Called with (lines read so far, lines in the file) while importing.
ProgressCallback = Callable[[int, int], None]

_FTM_SUFFIXES = {".json", ".jsonl", ".ndjson", ".ftm"}
_BATCH = 500


class _SubjectRepository(Protocol):
    def get(self, subject_id: str) -> Subject | None: ...

    def upsert(self, subject: Subject) -> Any: ...

    def iter_all(self, batch_size: int = ..., where: Any = None) -> Iterator[Subject]: ...


class _UnitOfWork(Protocol):
    @property
    def subjects(self) -> _SubjectRepository: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class ImportObserver(Protocol):
    """Told of each stored record and of the end of an import, inside its transaction."""

    def imported(self, subject: Subject) -> None: ...

    def finished(self) -> None: ...


def _partner_list_matches(uow: _UnitOfWork, agency: str) -> ImportObserver | None:
    """The default observer: screen the imported records against other agencies' dormant
    and closed subjects, so a partner list naming one reopens it for review."""
    from datetime import UTC, datetime

    from watchlink.store.unit_of_work import UnitOfWork

    if not isinstance(uow, UnitOfWork):
        return None
    from watchlink.services.import_matches import ImportMatchWatcher

    return ImportMatchWatcher(uow, agency, datetime.now(UTC))


@dataclass(slots=True)
class ImportReport:
    """What an import did: how many subjects it created and updated, what it skipped."""

    source: str
    format: ImportFormat
    agency: str
    read: int = 0  # records read, good and bad
    created: int = 0
    updated: int = 0
    problems: list[InputProblem] = field(default_factory=list)  # skipped lines, with why

    @property
    def imported(self) -> int:
        """Subjects created or updated."""
        return self.created + self.updated

    @property
    def skipped_lines(self) -> list[int]:
        """The line numbers that were not imported."""
        return sorted({p.line for p in self.problems if p.line is not None})


def guess_format(path: Path) -> ImportFormat:
    """The format of a file from its name: JSON lines, the SDN list, or the CSV layout."""
    path = Path(path)
    if path.is_dir() or "sdn" in path.name.lower():
        return "ofac-csv"
    suffix = path.suffix.lower()
    if suffix in _FTM_SUFFIXES:
        return "ftm"
    if suffix == ".csv":
        return "csv"
    raise InputError(
        f"cannot tell the format of {path.name}; give --format ftm, csv or ofac-csv",
        [InputProblem("unknown file extension", str(path))],
    )


def count_lines(path: Path) -> int:
    """Lines in a file (for a progress bar), counted without decoding it."""
    if Path(path).is_dir():
        path = ofac_files(path)[0]
    count = 0
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def read_subjects(
    path: Path, agency: str, format: ImportFormat
) -> Iterator[tuple[int, Subject | list[InputProblem]]]:
    """Stream (line, subject or problems) from a file of the given format."""
    if format == "ftm":
        return read_ftm_lines(path, agency)
    if format == "csv":
        return read_csv_rows(path, agency)
    if format == "ofac-csv":
        return read_ofac(path, agency)
    raise InputError(f"unknown format {format!r}; use one of {', '.join(IMPORT_FORMATS)}")


def import_subjects(
    uow: _UnitOfWork,
    source: Path,
    agency: str,
    format: ImportFormat | None = None,
    *,
    skip_invalid: bool = False,
    progress: ProgressCallback | None = None,
    observer: ImportObserver | None = None,
) -> ImportReport:
    """Import a file into ``uow`` and commit once; roll back and raise on any bad line.

    ``uow`` is an open unit of work; this commits it on success and rolls it back when
    the file is refused, so the database holds either the whole file or nothing of it.
    ``observer`` (by default, the partner list matcher) sees each stored record.
    """
    source = Path(source)
    if not source.exists():
        raise InputError(f"{source} does not exist", [InputProblem("no such file", str(source))])
    chosen = format or guess_format(source)
    report = ImportReport(source=str(source), format=chosen, agency=agency)
    total = count_lines(source) if progress is not None else 0
    repository = uow.subjects
    if observer is None:
        observer = _partner_list_matches(uow, agency)
    try:
        for line, result in read_subjects(source, agency, chosen):
            report.read += 1
            if isinstance(result, list):
                report.problems.extend(result)
            elif not report.problems or skip_invalid:
                existed = repository.get(result.id) is not None
                repository.upsert(result)
                if observer is not None:
                    observer.imported(result)
                report.created += not existed
                report.updated += existed
            if progress is not None and report.read % _BATCH == 0:
                progress(line, total)
        if report.problems and not skip_invalid:
            bad = len(report.skipped_lines) or len(report.problems)
            raise InputError(
                f"{source}: {bad} bad line(s); nothing was imported "
                "(fix them, or use --skip-invalid to import the good lines)",
                report.problems,
            )
        if observer is not None:
            observer.finished()
        uow.commit()
    except BaseException:
        uow.rollback()
        raise
    if progress is not None:
        progress(total, total)
    return report


def export_subjects(
    uow: _UnitOfWork, out: TextIO, format: ExportFormat = "ftm", where: Any = None
) -> int:
    """Write the subjects ``where`` selects (all when None), streaming; returns the count."""
    subjects = uow.subjects.iter_all(where=where)
    if format == "ftm":
        return write_ftm_lines(subjects, out)
    if format == "csv":
        return write_csv(subjects, out)
    raise InputError(f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}")
