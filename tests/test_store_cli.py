"""``watchlink init`` and ``watchlink agency add|list`` as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from watchlink.store import Database

WATCHLINK = str(Path(sys.executable).with_name("watchlink"))


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WATCHLINK, *args],
        capture_output=True,
        text=True,
        env=os.environ | env | {"COLUMNS": "200"},
        timeout=120,
        check=False,
    )


def test_init_creates_the_database_under_home_and_is_idempotent(tmp_path: Path) -> None:
    env = {"WATCHLINK_HOME": str(tmp_path / "home")}
    first = run(env, "init")
    assert first.returncode == 0, first.stderr
    assert "new → revision" in first.stdout
    assert (tmp_path / "home" / "watchlink.db").is_file()
    again = run(env, "init")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout


def test_agency_commands_need_an_initialised_database(tmp_path: Path) -> None:
    done = run({"WATCHLINK_HOME": str(tmp_path)}, "agency", "list")
    assert done.returncode == 1
    assert "watchlink init" in done.stderr


def test_agencies_are_added_listed_and_refused_twice(database: Database) -> None:
    env = {"WATCHLINK_DATABASE_URL": database.url}
    added = run(
        env, "agency", "add", "gr-border", "--name", "Fictional Greek border guard",
        "--country", "gr", "--kind", "border", "--officers", "40",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    twice = run(env, "agency", "add", "GR-BORDER", "--name", "Other", "--country", "GR")
    assert twice.returncode == 2
    assert "code" in twice.stderr and "--update" in twice.stderr
    updated = run(env, "agency", "add", "GR-BORDER", "--name", "Renamed", "--country", "GR",
                  "--kind", "border", "--update")  # fmt: skip
    assert updated.returncode == 0, updated.stderr
    listed = run(env, "agency", "list")
    assert listed.returncode == 0, listed.stderr
    assert "GR-BORDER" in listed.stdout and "Renamed" in listed.stdout
    with database.unit_of_work() as uow:
        agency = uow.agencies.get("GR-BORDER")
    assert agency is not None and agency.country == "GR" and agency.officers is None


def test_a_bad_agency_names_every_field(database: Database) -> None:
    env = {"WATCHLINK_DATABASE_URL": database.url}
    done = run(env, "agency", "add", "a b", "--name", " ", "--country", "FRA", "--kind", "spy")
    assert done.returncode == 2
    for field in ("'code'", "'--name'", "'--country'", "'--kind'"):
        assert field in done.stderr
    with database.unit_of_work() as uow:
        assert uow.agencies.list() == []
