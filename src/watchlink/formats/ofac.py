"""The US Treasury SDN list in its legacy CSV form (``sdn.csv``, ``alt.csv``, ``add.csv``).

The files have no header and write ``-0-`` for an empty cell. Only persons
(``SDN_Type`` ``individual``) become subjects; dates and places of birth,
nationalities, gender and identity documents are read from the free-text Remarks.
Remarks are best-effort: what is not understood stays in the subject's notes.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from watchlink.errors import InputProblem
from watchlink.formats._values import Problems, clean_country, unique
from watchlink.model import (
    BirthDate,
    DocumentType,
    Gender,
    IdentityDocument,
    Name,
    NameKind,
    PartialDate,
    Provenance,
    Subject,
    Value,
)

__all__ = ["ofac_files", "read_ofac", "split_remarks"]

_EMPTY = "-0-"
_ALT_KINDS = {
    "aka": NameKind.ALIAS,
    "nka": NameKind.ALIAS,
    "fka": NameKind.BIRTH_NAME,  # a former name, as FtM previousName
    "weak": NameKind.WEAK_ALIAS,
}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_DATE = re.compile(r"^(?:(\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})$")
_DOCUMENT_LABELS = {
    "Passport": DocumentType.PASSPORT,
    "National ID No.": DocumentType.ID_CARD,
    "Cedula No.": DocumentType.ID_CARD,
    "D.N.I.": DocumentType.ID_CARD,
    "Personal ID Card": DocumentType.ID_CARD,
    "Identification Number": DocumentType.OTHER,
    "Driver's License No.": DocumentType.DRIVING_LICENCE,
}
_DOCUMENT = re.compile(
    r"^(?P<label>" + "|".join(re.escape(k) for k in _DOCUMENT_LABELS) + r")\s+"
    r"(?P<number>.+?)(?:\s+\((?P<country>[^()]+)\))?(?:\s+(?:issued|expires)\b.*)?$"
)


def _cell(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", _EMPTY) else value


def ofac_files(path: Path) -> tuple[Path, Path, Path]:
    """The sdn, alt and add files from a directory or from the path of the sdn file."""
    path = Path(path)
    if path.is_dir():
        for stem in ("ofac_sdn", "sdn", "SDN"):
            if (path / f"{stem}.csv").exists():
                path = path / f"{stem}.csv"
                break
    name = path.name
    return (
        path,
        path.with_name(name.replace("sdn", "alt")),
        path.with_name(name.replace("sdn", "add")),
    )


def _person_name(raw: str, kind: NameKind, prov: Provenance) -> Name:
    """``LAST, First`` becomes ``First LAST`` with its family and given parts."""
    family, sep, given = raw.partition(",")
    if not sep or not given.strip():
        return Name(full=raw.strip(), kind=kind, provenance=prov)
    family, given = family.strip(), given.strip()
    return Name(f"{given} {family}", kind, given=given, family=family, provenance=prov)


def _dates(text: str) -> list[PartialDate]:
    """``01 Jan 1970``, ``Jan 1970``, ``1970``, ``circa 1970`` and ``A to B`` ranges."""
    text = text.removeprefix("circa ").strip()
    ends = re.split(r"\s+to\s+|(?<=\d{4})-(?=\d{4})", text)
    dates: list[PartialDate] = []
    for end in ends:
        match = _DATE.match(end.strip())
        if match is None:
            return []
        day, month, year = match.groups()
        month_number = _MONTHS.get(month) if month else None
        try:
            dates.append(PartialDate(int(year), month_number, int(day) if day else None))
        except ValueError:
            return []
    if len(dates) == 2 and dates[0].month is None and 0 < dates[1].year - dates[0].year <= 5:
        return [PartialDate(y) for y in range(dates[0].year, dates[1].year + 1)]
    return dates


def split_remarks(remarks: str) -> list[str]:
    """The ``;``-separated items of a Remarks cell, without ``alt.`` and the final stop."""
    items = []
    for item in remarks.split(";"):
        item = item.strip().removeprefix("alt. ").strip().rstrip(".").strip()
        if item:
            items.append(item)
    return items


def _apply_remarks(subject: Subject, remarks: str, prov: Provenance) -> None:
    problems = Problems()  # the list is not the user's input: unknown countries are skipped
    for item in split_remarks(remarks):
        head, _, rest = item.partition(" ")
        if head == "DOB":
            subject.birth_dates += [BirthDate(d, provenance=prov) for d in _dates(rest)]
        elif head == "POB":
            subject.birth_places.append(Value(rest, prov))
        elif head in ("nationality", "citizen"):
            if (code := clean_country(rest, "nationality", problems)) is not None:
                subject.nationalities.append(Value(code, prov))
        elif head == "Gender" and rest.lower() in ("male", "female"):
            subject.gender = Gender(rest.lower())
        elif item.startswith("a.k.a. '") and item.endswith("'"):
            subject.names.append(_person_name(item[8:-1], NameKind.WEAK_ALIAS, prov))
        elif item.startswith("Email Address "):
            subject.emails.append(Value(item.removeprefix("Email Address "), prov))
        elif item.startswith("Phone Number "):
            subject.phones.append(Value(item.removeprefix("Phone Number "), prov))
        elif (match := _DOCUMENT.match(item)) is not None:
            country = match["country"]
            code = clean_country(country, "document", problems) if country else None
            kind = _DOCUMENT_LABELS[match["label"]]
            subject.documents.append(
                IdentityDocument(match["number"].strip(), kind, code, provenance=prov)
            )
    subject.nationalities = list({v.value: v for v in subject.nationalities}.values())
    subject.birth_dates = list({b.date: b for b in subject.birth_dates}.values())


def _side_file(path: Path, width: int) -> dict[str, list[list[str]]]:
    """Rows of an alt or add file keyed by entry number (empty when the file is absent)."""
    rows: dict[str, list[list[str]]] = defaultdict(list)
    if not path.exists():
        return rows
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        for row in csv.reader(handle):
            if len(row) == width:
                rows[row[0].strip()].append(row)
    return rows


def read_ofac(path: Path, agency: str) -> Iterator[tuple[int, Subject | list[InputProblem]]]:
    """Stream the persons of the SDN list: (line of sdn.csv, subject or problems).

    Entities that are not persons are passed over silently; the ids are ``ofac-<ent_num>``.
    """
    sdn, alt_path, add_path = ofac_files(path)
    if not sdn.exists():
        yield 0, [InputProblem("no sdn.csv (or ofac_sdn.csv) there", str(path))]
        return
    aliases, addresses = _side_file(alt_path, 5), _side_file(add_path, 6)
    prov = Provenance(agency)
    with sdn.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        for row in reader:
            line = reader.line_num
            if len(row) <= 1 and not "".join(row).strip("\x1a \r\n"):
                continue  # blank lines and the DOS end-of-file mark
            if len(row) != 12:
                yield line, [InputProblem(f"{len(row)} cells, expected 12", str(sdn), line)]
                continue
            if (_cell(row[2]) or "").lower() != "individual":
                continue
            ent_num, raw_name = row[0].strip(), _cell(row[1])
            if raw_name is None:
                yield line, [InputProblem("no name", str(sdn), line, "SDN_Name")]
                continue
            subject = Subject(id=f"ofac-{ent_num}", agency=agency)
            subject.names.append(_person_name(raw_name, NameKind.PRIMARY, prov))
            for alt in aliases.get(ent_num, []):
                alt_name, kind = _cell(alt[3]), _ALT_KINDS.get((_cell(alt[2]) or "").lower())
                if alt_name is not None:
                    subject.names.append(_person_name(alt_name, kind or NameKind.ALIAS, prov))
            remarks = _cell(row[11]) or ""
            _apply_remarks(subject, remarks, prov)
            for add in addresses.get(ent_num, []):
                parts = [p for p in (_cell(c) for c in add[2:5]) if p is not None]
                if parts:
                    subject.addresses.append(Value(", ".join(parts), prov))
            subject.names = list({(n.kind, n.full): n for n in subject.names}.values())
            subject.addresses = list({v.value: v for v in subject.addresses}.values())
            program = _cell(row[3])
            subject.legal_basis = f"US Treasury SDN list, program {program}" if program else None
            subject.notes = "; ".join(unique([p for p in (_cell(row[4]), remarks) if p])) or None
            yield line, subject
