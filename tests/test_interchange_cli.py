"""``watchlink import`` / ``export`` as a user runs them, and an import killed with -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

WATCHLINK = str(Path(sys.executable).parent / "watchlink")


def run(database: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"WATCHLINK_DATABASE_URL": database.url}
    return subprocess.run(
        [WATCHLINK, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def person(n: int, **props: list[str]) -> str:
    """One JSON line: a fictional person."""
    properties = {"name": [f"Lena Vogel{n}"], "birthDate": ["1979-03-02"]} | props
    return json.dumps({"id": f"c-{n}", "schema": "Person", "properties": properties})


def exported_ids(database: Any) -> list[str]:
    done = run(database, "export", "--format", "ftm")
    assert done.returncode == 0, done.stderr
    return sorted(json.loads(line)["id"] for line in done.stdout.splitlines())


def test_a_bad_file_exits_2_naming_each_line_and_field(database: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(person(1) + "\n", encoding="utf-8")
    assert run(database, "import", str(good), "--agency", "FR-INT").returncode == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        "\n".join([person(2), person(3, gender=["x"]), "{oops", person(4)]) + "\n", "utf-8"
    )
    done = run(database, "import", str(bad), "--agency", "FR-INT")
    assert done.returncode == 2
    assert f"{bad}:2 field 'gender'" in done.stderr
    assert f"{bad}:3: malformed JSON" in done.stderr
    assert exported_ids(database) == ["c-1"]
    done = run(database, "import", str(bad), "--agency", "FR-INT", "--skip-invalid")
    assert done.returncode == 0, done.stderr
    assert "skipped 2 bad line(s)" in done.stderr
    assert exported_ids(database) == ["c-1", "c-2", "c-4"]


def test_unknown_format_and_missing_file_are_input_errors(database: Any, tmp_path: Path) -> None:
    done = run(database, "import", str(tmp_path / "none.jsonl"), "--agency", "FR-INT")
    assert done.returncode == 2 and "does not exist" in done.stderr
    odd = tmp_path / "list.txt"
    odd.write_text("x\n", encoding="utf-8")
    done = run(database, "import", str(odd), "--agency", "FR-INT")
    assert done.returncode == 2 and "--format" in done.stderr


def test_export_csv_to_a_file_filtered_by_agency(database: Any, tmp_path: Path) -> None:
    for agency, n in (("FR-INT", 1), ("BE-POL", 2)):
        path = tmp_path / f"{agency}.jsonl"
        path.write_text(person(n) + "\n", encoding="utf-8")
        assert run(database, "import", str(path), "--agency", agency).returncode == 0
    out = tmp_path / "out.csv"
    done = run(database, "export", "--agency", "BE-POL", "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = out.read_text("utf-8").splitlines()
    assert rows[0].startswith("id,names,") and len(rows) == 2 and rows[1].startswith("c-2,")


@pytest.mark.slow
def test_kill_9_during_a_large_import_leaves_the_database_as_before(
    database: Any, tmp_path: Path
) -> None:
    before = tmp_path / "before.jsonl"
    before.write_text(person(0) + "\n", encoding="utf-8")
    assert run(database, "import", str(before), "--agency", "FR-INT").returncode == 0
    big = (tmp_path / "big.jsonl").resolve()
    with big.open("w", encoding="utf-8") as handle:
        for n in range(1, 60_001):
            handle.write(person(n, alias=[f"Alias {n}"], nationality=["de"]) + "\n")
    env = os.environ | {"WATCHLINK_DATABASE_URL": database.url}
    process = subprocess.Popen(
        [WATCHLINK, "import", str(big), "--agency", "FR-INT"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        # Without a terminal the import logs "read N of M lines" at each tenth of the file.
        for line in process.stderr:
            words = line.replace(",", "").split()
            if words[:1] == ["read"] and int(words[1]) * 3 >= int(words[3]):
                break
        assert process.poll() is None, "the import ended before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert exported_ids(database) == ["c-0"]


def _analysed(database: Any) -> dict[str, bool]:
    """Whether each subject table's statistics were taken by hand (``ANALYZE``), as the
    server's activity statistics tell, once the importing process's have reached them."""
    from sqlalchemy import text

    query = text(
        "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
        "WHERE relname IN ('subjects', 'subject_names', 'subject_documents', 'subject_values')"
    )
    with database.engine.connect() as conn:
        return {name: bool(done) for name, done in conn.execute(query)}


def test_a_large_import_takes_the_subject_tables_statistics_again(
    database: Any, tmp_path: Path
) -> None:
    from watchlink.store.database import LARGE_WRITE

    small = tmp_path / "small.jsonl"
    small.write_text(
        "\n".join(person(n, passportNumber=[f"P{n:07d}"]) for n in range(3)) + "\n", "utf-8"
    )
    done = run(database, "import", str(small), "--agency", "FR-INT")
    assert done.returncode == 0, done.stderr
    large = tmp_path / "large.jsonl"
    lines = (person(n, passportNumber=[f"P{n:07d}"]) for n in range(3, 3 + LARGE_WRITE))
    large.write_text("\n".join(lines) + "\n", "utf-8")
    if database.engine.dialect.name == "sqlite":
        done = run(database, "import", str(large), "--agency", "FR-INT")
        assert done.returncode == 0, done.stderr
        # SQLite's planner reads no statistics unless they are kept: none are made
        assert "sqlite_stat1" not in database.table_names()
        return
    assert not any(_analysed(database).values())  # three subjects: left to autovacuum
    done = run(database, "import", str(large), "--agency", "FR-INT")
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 30  # the importer's statistics reach the server as it exits
    while not all(_analysed(database).values()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _analysed(database) == dict.fromkeys(
        ["subjects", "subject_names", "subject_documents", "subject_values"], True
    )
