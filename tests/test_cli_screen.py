"""``watchlink screen``: the command-line contract (one output line per query, bad input named)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

import pytest
import typer
from typer.testing import CliRunner

from watchlink.cli import screen as screen_cli
from watchlink.errors import InputError
from watchlink.formats import write_csv, write_ftm_lines
from watchlink.model import BirthDate, DocumentStatus, IdentityDocument, Name, PartialDate, Subject
from watchlink.settings import get_settings
from watchlink.store import Database


def person(
    subject_id: str, name: str, born: str | None = None, document: IdentityDocument | None = None
) -> Subject:
    return Subject(
        id=subject_id,
        agency="FR-DGSI",
        names=[Name(name)],
        birth_dates=[] if born is None else [BirthDate(PartialDate.parse(born))],
        documents=[] if document is None else [document],
    )


WATCHLIST = [
    person("s-karim", "Karim Haddad", "1981-04-02"),
    person("s-leila", "Leila Mansour", "1975"),
    person(
        "s-stolen",
        "Omar Farouk",
        document=IdentityDocument("XA1234567", status=DocumentStatus.STOLEN),
    ),
]
QUERIES = [
    person("q-karim", "Kareem Hadad", "1981-04-02"),
    person("q-nobody", "Ingrid Johansson", "1990-01-01"),
    person("q-doc", "Jan Novak", "1970", IdentityDocument("XA1234567")),
]


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    screen_cli.register(app)
    return app


def write(path: Path, subjects: list[Subject]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        (write_csv if path.suffix == ".csv" else write_ftm_lines)(subjects, out)
    return path


class MatchLine(TypedDict):
    """One match in an output line (``batch.pipeline.match_record``)."""

    subject_id: str
    score: float
    match: bool
    explanation: list[str]
    document_alert: bool


class OutputLine(TypedDict):
    """One output line: the query and its matches."""

    query: str
    name: str
    matches: list[MatchLine]
    namesakes: int


def run(app: typer.Typer, *args: str) -> list[OutputLine]:
    result = CliRunner().invoke(app, ["screen", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = Path(args[args.index("--out") + 1])
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_one_line_per_query_with_its_matches(app: typer.Typer, tmp_path: Path, suffix: str) -> None:
    listed = write(tmp_path / f"list{suffix}", WATCHLIST)
    queries = write(tmp_path / f"queries{suffix}", QUERIES)
    lines = run(app, str(queries), "--against", str(listed), "--out", str(tmp_path / "hits.jsonl"))
    by_query = {line["query"]: line["matches"] for line in lines}
    assert list(by_query) == ["q-karim", "q-nobody", "q-doc"]
    karim = by_query["q-karim"]
    assert isinstance(karim, list) and karim[0]["subject_id"] == "s-karim" and karim[0]["match"]
    assert karim[0]["explanation"] and 0.0 <= karim[0]["score"] <= 1.0
    assert not any(m["match"] for m in by_query["q-nobody"])
    doc = by_query["q-doc"]
    assert [m["subject_id"] for m in doc if m["document_alert"]] == ["s-stolen"]


def test_threshold_and_top(app: typer.Typer, tmp_path: Path) -> None:
    listed = write(tmp_path / "list.jsonl", WATCHLIST)
    queries = write(tmp_path / "q.jsonl", [person("q-mixed", "Karim Mansour", "1960")])
    hits = str(tmp_path / "hits.jsonl")
    loose = run(app, str(queries), "-a", str(listed), "--out", hits, "--threshold", "0")
    strict = run(app, str(queries), "-a", str(listed), "--out", hits, "--threshold", "0.999")
    top_one = run(app, str(queries), "-a", str(listed), "--out", hits, "--top", "1")
    assert {m["subject_id"] for m in loose[0]["matches"]} == {"s-karim", "s-leila"}
    assert strict[0]["matches"] == []  # a half-shared name is far from certain
    assert len(top_one[0]["matches"]) == 1


def test_bad_line_is_named_and_nothing_is_written(app: typer.Typer, tmp_path: Path) -> None:
    listed = write(tmp_path / "list.jsonl", WATCHLIST)
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"schema": "Person", "id": "a", "properties": {"name": ["A B"]}}\nnot json\n'
    )
    out = tmp_path / "hits.jsonl"
    with pytest.raises(InputError) as error:
        CliRunner().invoke(
            app,
            ["screen", str(queries), "-a", str(listed), "--out", str(out)],
            catch_exceptions=False,
        )
    assert [(p.line, "JSON" in p.reason) for p in error.value.problems] == [(2, True)]
    assert not out.exists()


def test_unknown_format_is_refused(app: typer.Typer, tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("Karim Haddad\n")
    with pytest.raises(InputError, match="cannot tell the format"):
        CliRunner().invoke(
            app, ["screen", str(queries), "--out", str(tmp_path / "o")], catch_exceptions=False
        )


def test_parquet_queries_go_through_the_duckdb_pipeline(app: typer.Typer, tmp_path: Path) -> None:
    import duckdb

    listed = write(tmp_path / "list.jsonl", WATCHLIST)
    as_csv = write(tmp_path / "queries.csv", QUERIES)
    queries = tmp_path / "queries.parquet"
    select = f"SELECT * FROM read_csv('{as_csv}', all_varchar = true)"
    duckdb.sql(f"COPY ({select}) TO '{queries}' (FORMAT parquet)")
    lines = run(app, str(queries), "--against", str(listed), "--out", str(tmp_path / "hits.jsonl"))
    matched = {
        line["query"]: [m["subject_id"] for m in line["matches"] if m["match"]] for line in lines
    }
    assert matched == {"q-karim": ["s-karim"], "q-nobody": [], "q-doc": ["s-stolen"]}


def test_unknown_backend_is_refused(app: typer.Typer, tmp_path: Path) -> None:
    queries = write(tmp_path / "q.csv", QUERIES)
    with pytest.raises(InputError, match="unknown batch backend"):
        CliRunner().invoke(
            app,
            ["screen", str(queries), "--backend", "hadoop", "--out", str(tmp_path / "o.jsonl")],
            catch_exceptions=False,
        )


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_each_line_counts_the_namesakes_beyond_the_matches_shown(
    app: typer.Typer, tmp_path: Path, suffix: str
) -> None:
    crowd = [person(f"s-{i}", "Karim Haddad", f"{1950 + i}") for i in range(12)]
    listed = write(tmp_path / "list.jsonl", [*crowd, person("s-leila", "Leila Mansour")])
    asked = [person("q-undated", "Kareem Hadad"), person("q-nobody", "Ingrid Johansson")]
    queries = write(tmp_path / "q.jsonl", asked)
    if suffix == ".parquet":  # through the DuckDB pipeline
        import duckdb

        as_csv = write(tmp_path / "q.csv", asked)
        queries = tmp_path / "q.parquet"
        select = f"SELECT * FROM read_csv('{as_csv}', all_varchar = true)"
        duckdb.sql(f"COPY ({select}) TO '{queries}' (FORMAT parquet)")
    lines = run(app, str(queries), "-a", str(listed), "--out", str(tmp_path / "hits.jsonl"))
    by_query = {line["query"]: line for line in lines}
    assert len(by_query["q-undated"]["matches"]) == 10 and by_query["q-undated"]["namesakes"] == 12
    assert by_query["q-nobody"]["namesakes"] == 0


def test_without_a_list_the_database_is_screened_against(
    app: typer.Typer, tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with database.unit_of_work() as uow:
        uow.subjects.bulk_insert(WATCHLIST)
    monkeypatch.setenv("WATCHLINK_DATABASE_URL", database.url)
    get_settings.cache_clear()  # read again, with the database named above
    queries = write(tmp_path / "queries.jsonl", QUERIES)
    try:
        lines = run(app, str(queries), "--out", str(tmp_path / "hits.jsonl"))
    finally:
        get_settings.cache_clear()
    by_query = {line["query"]: line["matches"] for line in lines}
    assert by_query["q-karim"][0]["subject_id"] == "s-karim" and by_query["q-karim"][0]["match"]
    assert [m["subject_id"] for m in by_query["q-doc"] if m["document_alert"]] == ["s-stolen"]
    assert not any(m["match"] for m in by_query["q-nobody"])


def people_of(prefix: str, count: int) -> list[Subject]:
    """``count`` people of a few common names, each born on another day."""
    given = ["Karim", "Leila", "Omar", "Yusuf", "Anna", "Sven", "Mehmet", "Ines", "Samir"]
    family = ["Haddad", "Mansour", "Farouk", "El Amrani", "Petrova", "Olsen", "Yilmaz"]
    return [
        person(
            f"{prefix}-{n}",
            f"{given[n % len(given)]} {family[n % len(family)]}",
            f"{1950 + n % 40}-0{1 + n % 9}-1{n % 10}",
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv-duckdb"])
def test_screen_writes_the_same_lines_with_two_workers(
    app: typer.Typer, tmp_path: Path, suffix: str
) -> None:
    listed = tmp_path / "list.jsonl"
    with listed.open("w", encoding="utf-8") as out:
        write_ftm_lines(people_of("s", 150), out)
    asked = [*people_of("q", 200)]  # as many namesakes of the list as there are queries
    queries = tmp_path / ("q.jsonl" if suffix == ".jsonl" else "q.csv")
    with queries.open("w", encoding="utf-8", newline="") as out:
        (write_ftm_lines if suffix == ".jsonl" else write_csv)(asked, out)
    extra = [] if suffix == ".jsonl" else ["--backend", "duckdb"]
    texts = []
    for workers in ("1", "2"):
        hits = tmp_path / f"hits-{workers}.jsonl"
        args = ["screen", str(queries), "-a", str(listed), "--out", str(hits), *extra]
        result = CliRunner().invoke(app, [*args, "--workers", workers], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        texts.append(hits.read_text("utf-8"))
    assert texts[0] == texts[1]
    assert len(texts[0].splitlines()) == 200 and '"match": true' in texts[0]
