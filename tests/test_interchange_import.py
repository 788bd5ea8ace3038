"""Import and export through the database: all or nothing, updates not duplicates."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from watchlink.errors import InputError
from watchlink.formats.ftm import subject_to_ftm
from watchlink.model import ConcernLevel, Subject
from watchlink.services.interchange import export_subjects, import_subjects

AGENCY = "FR-INT"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def entity(n: int, **props: list[str]) -> dict[str, Any]:
    """A fictional person as an FtM entity."""
    base = {"name": [f"Person Number{n}"], "birthDate": [f"19{60 + n % 40}-0{1 + n % 9}-1{n % 10}"]}
    return {"id": f"t-{n}", "schema": "Person", "properties": base | props}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def ids(database: Any) -> list[str]:
    with database.unit_of_work() as uow:
        return sorted(s.id for s in uow.subjects.iter_all())


def run_import(database: Any, path: Path, **options: Any) -> Any:
    with database.unit_of_work() as uow:
        return import_subjects(uow, path, AGENCY, **options)


def test_import_then_export_gives_the_same_entities(database: Any, tmp_path: Path) -> None:
    entities = [entity(n, alias=[f"Alias{n}"], nationality=["fr"]) for n in range(5)]
    path = write_lines(tmp_path / "list.jsonl", [json.dumps(e) for e in entities])
    report = run_import(database, path)
    assert (report.created, report.updated, report.problems) == (5, 0, [])
    out = io.StringIO()
    with database.unit_of_work() as uow:
        assert export_subjects(uow, out, "ftm") == 5
    exported = sorted(
        (json.loads(line) for line in out.getvalue().splitlines()), key=lambda e: e["id"]
    )
    assert [e["properties"] for e in exported] == [e["properties"] for e in entities]


def test_a_file_with_bad_lines_imports_nothing_and_names_them(
    database: Any, tmp_path: Path
) -> None:
    run_import(database, write_lines(tmp_path / "first.jsonl", [json.dumps(entity(0))]))
    lines = [json.dumps(entity(n)) for n in range(1, 6)]
    lines[1] = json.dumps(entity(2, birthDate=["1987-02-30"]))
    lines[3] = "{broken"
    path = write_lines(tmp_path / "bad.jsonl", lines)
    with pytest.raises(InputError) as caught:
        run_import(database, path)
    where = {(p.line, p.field) for p in caught.value.problems}
    assert where == {(2, "birthDate"), (4, None)}
    assert all(p.source == str(path) for p in caught.value.problems)
    assert ids(database) == ["t-0"]  # unchanged


def test_skip_invalid_imports_the_good_lines_and_reports_the_rest(
    database: Any, tmp_path: Path
) -> None:
    lines = [json.dumps(entity(n)) for n in range(4)]
    lines[2] = json.dumps(entity(2, gender=["unknown"]))
    report = run_import(database, write_lines(tmp_path / "l.jsonl", lines), skip_invalid=True)
    assert report.created == 3 and report.skipped_lines == [3]
    assert report.problems[0].field == "gender"
    assert ids(database) == ["t-0", "t-1", "t-3"]


def test_reimport_updates_and_never_duplicates(database: Any, tmp_path: Path) -> None:
    first = [json.dumps(entity(n)) for n in range(3)]
    run_import(database, write_lines(tmp_path / "a.jsonl", first))
    changed = entity(1, alias=["New Alias"])
    changed["watchlink"] = {"concern": "critical"}
    report = run_import(database, write_lines(tmp_path / "b.jsonl", [json.dumps(changed)]))
    assert (report.created, report.updated) == (0, 1)
    assert ids(database) == ["t-0", "t-1", "t-2"]
    with database.unit_of_work() as uow:
        subject = uow.subjects.get("t-1")
    assert isinstance(subject, Subject)
    assert subject.concern is ConcernLevel.CRITICAL
    assert [n.full for n in subject.names] == ["Person Number1", "New Alias"]


def test_csv_import_and_export_round_trip(database: Any, tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "csv-layout.md").read_text("utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "list.csv"
    path.write_text(example, encoding="utf-8")
    assert run_import(database, path).created == 2
    out = io.StringIO()
    with database.unit_of_work() as uow:
        export_subjects(uow, out, "csv")
    assert sorted(out.getvalue().splitlines()) == sorted(example.splitlines())


@pytest.mark.skipif(
    not (SHARED / "ofac_sdn.csv").exists(),
    reason=f"the SDN list is not at {SHARED} (ofac_*.csv from moov-io/watchman test data)",
)
def test_the_sdn_list_imports_its_4620_persons(database: Any) -> None:
    with database.unit_of_work() as uow:
        report = import_subjects(uow, SHARED / "ofac_sdn.csv", "US-SEC", "ofac-csv")
    assert (report.created, report.problems) == (4620, [])
    with database.unit_of_work() as uow:
        assert uow.subjects.count() == 4620
        noriega = uow.subjects.get("ofac-1572")
    assert noriega is not None and noriega.primary_name == "Manuel Antonio NORIEGA"
    assert subject_to_ftm(noriega)["properties"]["lastName"] == ["NORIEGA"]
