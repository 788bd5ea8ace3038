"""The CSV layout: round trip of generated subjects, the documented example, bad cells."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings

from test_formats_ftm import AGENCY, subjects
from watchlink.formats.csv_layout import COLUMNS, read_csv_rows, write_csv
from watchlink.model import DocumentStatus, DocumentType, NameKind, Subject

DOCS = Path(__file__).resolve().parents[1] / "docs" / "csv-layout.md"


def read_back(text: str, tmp_path: Path) -> list[tuple[int, Subject | list[object]]]:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    return list(read_csv_rows(path, AGENCY))  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(subjects(with_seen=False))
def test_a_subject_written_and_read_back_is_the_same(subject: Subject) -> None:
    out = io.StringIO()
    write_csv([subject], out)
    path = Path(f"/tmp/watchlink-csv-{id(out)}.csv")
    try:
        path.write_text(out.getvalue(), encoding="utf-8")
        [(line, back)] = list(read_csv_rows(path, AGENCY))
    finally:
        path.unlink()
    assert line == 2
    assert back == subject


def test_the_documented_example_reads(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    rows = read_back(example, tmp_path)
    subjects_read = [s for _, s in rows]
    assert all(isinstance(s, Subject) for s in subjects_read), subjects_read
    first = subjects_read[0]
    assert isinstance(first, Subject)
    assert first.names[0].given == "Karim" and first.names[0].family == "Haddad"
    assert [n.kind for n in first.names].count(NameKind.ALIAS) == 2
    assert first.documents[0].type is DocumentType.PASSPORT
    assert first.documents[0].status is DocumentStatus.STOLEN
    for column in COLUMNS:  # every column is described
        assert f"`{column}`" in text


HEADER = "id,names,gender,birth_dates,documents,concern,distribution,given,emails\n"


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("s1,Ana Lima,female,1990-02-30,,,,,", "birth_dates", "day is out of range"),
        ("s1,Ana Lima,unknown,,,,,,", "gender", "unknown value"),
        ("s1,Ana Lima,,,passport,,,,", "documents", "type:number"),
        ("s1,Ana Lima,,,tattoo:123,,,,", "documents", "unknown value"),
        ("s1,Ana Lima,,,passport:1:XX:stolen,,,,", "documents", "unknown country"),
        ("s1,Ana Lima,,,,severe,,,", "concern", "unknown level"),
        ("s1,Ana Lima,,,,,partner_group,,", "partner_group", "needs a partner group"),
        ("s1,Ana Lima,,,,,,Ana;Maria,", "given", "2 values for 1 names"),
        ("s1,Ana Lima,,,,,,,ana.example.org", "emails", "not an email"),
        (",Ana Lima,,,,,,,", "id", "needs an id"),
        ("s1,,,,,,,,", "names", "at least one name"),
    ],
)
def test_a_bad_cell_is_reported_with_line_and_column(
    tmp_path: Path, row: str, field: str, reason: str
) -> None:
    good = "s0,Lena Vogel,female,1979,,,,,\n"
    rows = read_back(HEADER + good + row + "\n" + good, tmp_path)
    assert [line for line, _ in rows] == [2, 3, 4]
    problems = rows[1][1]
    assert isinstance(problems, list)
    assert any(p.field == field and reason in p.reason and p.line == 3 for p in problems), problems  # type: ignore[attr-defined]


def test_an_unknown_column_stops_at_the_header(tmp_path: Path) -> None:
    [(line, problems)] = read_back("id,names,shoe_size\ns1,Ana,42\n", tmp_path)
    assert line == 1 and isinstance(problems, list)
    assert "shoe_size" in str(problems[0])
