"""The watchlink CSV layout: one subject per row, multi-values separated by ``;``.

``docs/csv-layout.md`` describes every column with an example. A backslash escapes a
literal ``;`` (or ``:`` inside a document). ``given``/``family`` are positional: the
i-th value belongs to the i-th value of ``names`` (an empty slot keeps the position).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from watchlink.errors import InputProblem
from watchlink.formats._values import (
    Problems,
    clean_country,
    escape,
    join_multi,
    parse_concern,
    parse_date,
    parse_enum,
    parse_partial_date,
    split_multi,
    split_positional,
)
from watchlink.model import (
    ActionOnHit,
    BirthDate,
    Distribution,
    DocumentStatus,
    DocumentType,
    Gender,
    HandlingCode,
    IdentityDocument,
    Name,
    NameKind,
    Provenance,
    Sharing,
    Subject,
    SubjectStatus,
    Value,
)

__all__ = ["COLUMNS", "parse_csv_row", "read_csv_rows", "subject_to_row", "write_csv"]

#: The columns, in the order they are written. Only ``id`` is required in a file.
COLUMNS: tuple[str, ...] = (
    "id",
    "names",
    "aliases",
    "weak_aliases",
    "birth_names",
    "given",
    "family",
    "birth_dates",
    "birth_places",
    "nationalities",
    "gender",
    "documents",
    "phones",
    "emails",
    "addresses",
    "concern",
    "action_on_hit",
    "status",
    "legal_basis",
    "review_date",
    "distribution",
    "partner_group",
    "handling",
    "notes",
)

_NAME_COLUMNS = {
    "names": NameKind.PRIMARY,
    "aliases": NameKind.ALIAS,
    "weak_aliases": NameKind.WEAK_ALIAS,
    "birth_names": NameKind.BIRTH_NAME,
}


def _document(text: str, prov: Provenance, problems: Problems) -> IdentityDocument | None:
    """``type:number:country:status``; country and status may be left out."""
    parts = split_positional(text, ":")
    if len(parts) < 2 or len(parts) > 4 or not parts[1]:
        problems.add("documents", f"{text!r} is not of the form type:number[:country[:status]]")
        return None
    parts += [""] * (4 - len(parts))
    kind = parse_enum(DocumentType, parts[0] or "passport", "documents", problems)
    country = clean_country(parts[2], "documents", problems) if parts[2] else None
    status = parse_enum(DocumentStatus, parts[3] or "valid", "documents", problems)
    if kind is None or status is None:
        return None
    return IdentityDocument(parts[1], kind, country, status, provenance=prov)


def _names(row: dict[str, str], prov: Provenance, problems: Problems) -> list[Name]:
    names = [
        Name(full=value, kind=kind, provenance=prov)
        for column, kind in _NAME_COLUMNS.items()
        for value in split_multi(row.get(column) or "")
    ]
    primaries = [n for n in names if n.kind is NameKind.PRIMARY]
    for column in ("given", "family"):
        raw = row.get(column) or ""
        parts = split_positional(raw, ";") if raw.strip() else []
        if len(parts) > len(primaries):
            problems.add(column, f"{len(parts)} values for {len(primaries)} names")
            continue
        for name, part in zip(primaries, parts, strict=False):
            setattr(name, column, part or None)
    if not names:
        problems.add("names", "a person needs at least one name")
    return names


def parse_csv_row(row: dict[str, str], agency: str) -> Subject | list[InputProblem]:
    """The subject one row describes, or every problem found in it (with columns)."""
    problems = Problems()
    prov = Provenance(agency)
    subject_id = (row.get("id") or "").strip()
    if not subject_id:
        problems.add("id", "every row needs an id")
    subject = Subject(id=subject_id, agency=agency, names=_names(row, prov, problems))

    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    for raw in split_multi(cell("birth_dates")):
        if (day := parse_partial_date(raw, "birth_dates", problems)) is not None:
            subject.birth_dates.append(BirthDate(day, provenance=prov))
    subject.birth_places = [Value(v, prov) for v in split_multi(cell("birth_places"))]
    for raw in split_multi(cell("nationalities")):
        if (code := clean_country(raw, "nationalities", problems)) is not None:
            subject.nationalities.append(Value(code, prov))
    if cell("gender"):
        subject.gender = parse_enum(Gender, cell("gender"), "gender", problems)
    for raw in split_multi(cell("documents")):
        if (doc := _document(raw, prov, problems)) is not None:
            subject.documents.append(doc)
    subject.phones = [Value(v, prov) for v in split_multi(cell("phones"))]
    subject.emails = [Value(v, prov) for v in split_multi(cell("emails"))]
    for email in subject.emails:
        if "@" not in email.value:
            problems.add("emails", f"{email.value!r} is not an email address")
    subject.addresses = [Value(v, prov) for v in split_multi(cell("addresses"))]
    if cell("concern") and (level := parse_concern(cell("concern"), "concern", problems)):
        subject.concern = level
    if cell("action_on_hit"):
        action = parse_enum(ActionOnHit, cell("action_on_hit"), "action_on_hit", problems)
        subject.action_on_hit = action if action is not None else subject.action_on_hit
    if cell("status"):
        status = parse_enum(SubjectStatus, cell("status"), "status", problems)
        subject.status = status if status is not None else subject.status
    subject.legal_basis = cell("legal_basis") or None
    if cell("review_date"):
        subject.review_date = parse_date(cell("review_date"), "review_date", problems)
    distribution = Distribution.OWN_AGENCY
    if cell("distribution"):
        parsed = parse_enum(Distribution, cell("distribution"), "distribution", problems)
        distribution = parsed if parsed is not None else distribution
    handling = HandlingCode.H1
    if cell("handling"):
        parsed_h = parse_enum(HandlingCode, cell("handling"), "handling", problems)
        handling = parsed_h if parsed_h is not None else handling
    group = cell("partner_group") or None
    if distribution is Distribution.PARTNER_GROUP and group is None:
        problems.add("partner_group", "distribution partner_group needs a partner group")
    subject.sharing = Sharing(distribution, group, handling)
    subject.notes = cell("notes") or None
    return problems.items if problems else subject


def _document_cell(document: IdentityDocument) -> str:
    """``type:number:country:status`` without the trailing parts that are defaults."""
    parts = [document.type.value, document.number, document.country or "", document.status.value]
    if document.status is DocumentStatus.VALID:
        parts = parts[:3] if document.country else parts[:2]
    return ":".join(escape(part, ":") for part in parts)


def subject_to_row(subject: Subject) -> dict[str, str]:
    """The subject as one row of the layout (every column present)."""
    row = {column: "" for column in COLUMNS}
    row["id"] = subject.id
    for column, kind in _NAME_COLUMNS.items():
        row[column] = join_multi(n.full for n in subject.names if n.kind is kind)
    primaries = [n for n in subject.names if n.kind is NameKind.PRIMARY]
    for column in ("given", "family"):
        parts = [getattr(n, column) or "" for n in primaries]
        row[column] = join_multi(parts) if any(parts) else ""
    row["birth_dates"] = join_multi(str(b.date) for b in subject.birth_dates)
    row["birth_places"] = join_multi(v.value for v in subject.birth_places)
    row["nationalities"] = join_multi(v.value for v in subject.nationalities)
    row["gender"] = subject.gender.value if subject.gender is not None else ""
    row["documents"] = join_multi(_document_cell(d) for d in subject.documents)
    row["phones"] = join_multi(v.value for v in subject.phones)
    row["emails"] = join_multi(v.value for v in subject.emails)
    row["addresses"] = join_multi(v.value for v in subject.addresses)
    row["concern"] = subject.concern.name.lower()
    row["action_on_hit"] = subject.action_on_hit.value
    row["status"] = subject.status.value
    row["legal_basis"] = subject.legal_basis or ""
    row["review_date"] = subject.review_date.isoformat() if subject.review_date else ""
    row["distribution"] = subject.sharing.distribution.value
    row["partner_group"] = subject.sharing.partner_group or ""
    row["handling"] = subject.sharing.handling.value
    row["notes"] = subject.notes or ""
    return row


def read_csv_rows(path: Path, agency: str) -> Iterator[tuple[int, Subject | list[InputProblem]]]:
    """Stream a layout file: (line number, subject or that row's problems).

    A header with an unknown column, or without ``id``, is a problem of line 1 and
    nothing else is read.
    """
    source = str(path)
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in COLUMNS]
        if "id" not in header or unknown:
            reason = f"unknown columns {unknown}" if unknown else "the header has no id column"
            yield 1, [InputProblem(f"{reason}; columns are: {', '.join(COLUMNS)}", source, 1)]
            return
        line = 1
        for row in reader:
            line = reader.line_num
            if None in row:
                problem = InputProblem("more cells than header columns", source, line)
                yield line, [problem]
                continue
            if not any((v or "").strip() for v in row.values()):
                continue
            result = parse_csv_row(row, agency)
            if isinstance(result, list):
                result = [replace(p, source=source, line=line) for p in result]
            yield line, result


def write_csv(subjects: Iterable[Subject], out: TextIO) -> int:
    """Write the header and one row per subject; returns how many rows were written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for subject in subjects:
        writer.writerow(subject_to_row(subject))
        count += 1
    return count
