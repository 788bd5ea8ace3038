"""Bulk screening: one test body for every backend (DuckDB always; Spark when installed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import duckdb
import pytest

from watchlink.batch import Backend, backend
from watchlink.errors import InputError
from watchlink.formats import write_csv
from watchlink.matching import Screener
from watchlink.model import BirthDate, DocumentStatus, IdentityDocument, Name, PartialDate, Subject

HAS_SPARK = importlib.util.find_spec("pyspark") is not None
BACKENDS = [
    "duckdb",
    pytest.param(
        "spark",
        marks=[
            pytest.mark.slow,
            pytest.mark.skipif(not HAS_SPARK, reason="pip install 'watchlink[spark]'"),
        ],
    ),
]


def person(
    subject_id: str, name: str, born: str | None = None, doc: IdentityDocument | None = None
) -> Subject:
    return Subject(
        id=subject_id,
        agency="BE-POL",
        names=[Name(name)],
        birth_dates=[] if born is None else [BirthDate(PartialDate.parse(born))],
        documents=[] if doc is None else [doc],
    )


WATCHLIST = [
    person("s-amrani", "Djamel El Amrani", "1990-12-18"),
    person("s-petrova", "Anna Petrova", "1985"),
    person(
        "s-batch",
        "Stolen batch XB",
        doc=IdentityDocument("XB7001234", status=DocumentStatus.STOLEN),
    ),
]
QUERIES = [
    person("p1", "Jamal Amrani", "1990-12-18"),
    person("p2", "Sven Olsen", "1979-05-05"),
    person("p3", "Marc Dubois", "1988", IdentityDocument("XB7001234")),
]


@pytest.fixture(scope="module")
def screener() -> Screener[object]:
    return Screener.build(WATCHLIST)


def passenger_file(tmp_path: Path, suffix: str) -> Path:
    csv_path = tmp_path / "passengers.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        write_csv(QUERIES, out)
    if suffix == ".csv":
        return csv_path
    target = tmp_path / f"passengers{suffix}"
    fmt = "parquet" if suffix == ".parquet" else "json"
    select = f"SELECT * FROM read_csv('{csv_path}', all_varchar = true)"
    duckdb.sql(f"COPY ({select}) TO '{target}' (FORMAT {fmt})")
    return target


def read_lines(path: Path) -> list[dict[str, object]]:
    if path.suffix == ".parquet":
        relation = duckdb.sql(f"SELECT query, matches FROM read_parquet('{path}')")
        assert relation is not None  # a SELECT always gives one (typed optional in DuckDB 2)
        rows = relation.fetchall()
        return [{"query": q, "matches": m} for q, m in rows]
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def by_query(lines: list[dict[str, object]]) -> dict[str, list[str]]:
    return {
        str(line["query"]): [m["subject_id"] for m in line["matches"] if m["match"]]  # type: ignore[attr-defined]
        for line in lines
    }


EXPECTED = {"p1": ["s-amrani"], "p2": [], "p3": ["s-batch"]}


@pytest.mark.parametrize("name", BACKENDS)
def test_every_row_gets_one_result_line(
    name: str, screener: Screener[object], tmp_path: Path
) -> None:
    source = passenger_file(tmp_path, ".csv")
    out = tmp_path / "hits.jsonl"
    summary = backend(name).run(screener, source, out)
    assert (summary.queries, summary.with_match) == (3, 2)
    assert by_query(read_lines(out)) == EXPECTED


@pytest.mark.parametrize(
    ("suffix", "out_name"), [(".parquet", "hits.parquet"), (".jsonl", "hits.jsonl")]
)
def test_duckdb_reads_and_writes_other_formats(
    suffix: str, out_name: str, screener: Screener[object], tmp_path: Path
) -> None:
    source = passenger_file(tmp_path, suffix)
    out = tmp_path / out_name
    backend("duckdb").run(screener, source, out, chunk_size=2)
    assert by_query(read_lines(out)) == EXPECTED


def test_duckdb_counts_rows(tmp_path: Path) -> None:
    assert backend("duckdb").count(passenger_file(tmp_path, ".parquet")) == 3


def test_bad_row_names_its_line(screener: Screener[object], tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("id,names,birth_dates\nok,Anna Petrova,1985\nbad,Sven Olsen,31/02/1999\n")
    with pytest.raises(InputError) as error:
        backend("duckdb").run(screener, source, tmp_path / "out.jsonl")
    assert [(p.line, p.field) for p in error.value.problems] == [(3, "birth_dates")]


@pytest.mark.parametrize(("name", "message"), [("hadoop", "unknown batch backend")])
def test_unknown_backend_is_refused(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        backend(name)


def test_backend_is_a_small_abstract_class() -> None:
    assert isinstance(backend("duckdb"), Backend)
    with pytest.raises(TypeError):
        Backend()  # type: ignore[abstract]
