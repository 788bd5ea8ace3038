"""``watchlink compare``: the command-line contract (one score line per pair, bad lines named)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, TypedDict

import pytest
import typer
from typer.testing import CliRunner

from watchlink.cli import compare as compare_cli
from watchlink.errors import InputError


def entity(*names: str, born: str | None = None, **props: list[str]) -> dict[str, Any]:
    properties: dict[str, list[str]] = {"name": list(names), **props}
    if born is not None:
        properties["birthDate"] = [born]
    return {"schema": "Person", "properties": properties}


class Pair(TypedDict):
    """One input line: an id (any JSON scalar) and the two entities to compare."""

    id: str | int
    left: dict[str, Any]
    right: dict[str, Any]


PAIRS: list[Pair] = [
    {
        "id": "same",
        "left": entity("Karim Haddad", born="1981-04-02"),
        "right": entity("Kareem Hadad", born="1981-04-02"),
    },
    {
        "id": 7,
        "left": entity("Ahmed Khan", born="1980"),
        "right": entity("Imran Khan", born="1980"),
    },
    {"id": "script", "left": entity("Mohammed Abdelhamid"), "right": entity("محمد عبد الحميد")},
]


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    compare_cli.register(app)
    return app


def write(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ),
        encoding="utf-8",
    )
    return path


def test_one_score_line_per_pair(app: typer.Typer, tmp_path: Path) -> None:
    pairs = write(tmp_path / "pairs.jsonl", PAIRS)
    out = tmp_path / "scores.jsonl"
    result = CliRunner().invoke(
        app, ["compare", str(pairs), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["same", 7, "script"]
    assert all(set(line) == {"id", "score", "match", "explanation"} for line in lines)
    assert all(0.0 <= line["score"] <= 1.0 for line in lines)
    assert [line["match"] for line in lines] == [True, False, True]
    assert lines[2]["explanation"][0].endswith("same name in Arabic script")


def test_deduplication_threshold_is_stricter(app: typer.Typer, tmp_path: Path) -> None:
    pairs = write(tmp_path / "pairs.jsonl", PAIRS)
    flags = {}
    for use in ("screening", "deduplication"):
        out = tmp_path / f"{use}.jsonl"
        CliRunner().invoke(
            app, ["compare", str(pairs), "--out", str(out), "--use", use], catch_exceptions=False
        )
        flags[use] = sum(json.loads(line)["match"] for line in out.read_text("utf-8").splitlines())
    assert flags["screening"] >= flags["deduplication"]


@pytest.mark.parametrize(
    ("bad", "line", "field", "reason"),
    [
        ("not json", 2, None, "JSON"),
        ('["a", "list"]', 2, None, "JSON object"),
        ({"left": entity("A"), "right": entity("B")}, 2, "id", "id"),
        ({"id": "x", "left": entity("A")}, 2, "right", "Person"),
        (
            {"id": "x", "left": {"schema": "Company", "properties": {}}, "right": entity("B")},
            2,
            "left.schema",
            "not supported",
        ),
        (
            {"id": "x", "left": entity("A", born="soon"), "right": entity("B")},
            2,
            "left.birthDate",
            "",
        ),
    ],
)
def test_bad_lines_are_named_and_nothing_is_written(
    app: typer.Typer, tmp_path: Path, bad: Any, line: int, field: str | None, reason: str
) -> None:
    pairs = write(tmp_path / "pairs.jsonl", [PAIRS[0], bad])
    out = tmp_path / "scores.jsonl"
    with pytest.raises(InputError) as error:
        CliRunner().invoke(app, ["compare", str(pairs), "--out", str(out)], catch_exceptions=False)
    problem = error.value.problems[0]
    assert (problem.line, problem.field) == (line, field)
    assert reason in problem.reason
    assert not out.exists()


def test_missing_file_is_an_input_error(app: typer.Typer, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        CliRunner().invoke(
            app,
            ["compare", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")],
            catch_exceptions=False,
        )


def test_several_workers_write_the_same_lines_in_the_same_order(tmp_path: Path) -> None:
    many = [
        {**pair, "id": f"{pair['id']}-{n}"} for n in range(300) for pair in PAIRS
    ]  # 900 pairs: four chunks, over two processes
    pairs = write(tmp_path / "pairs.jsonl", many)
    one, two = io.StringIO(), io.StringIO()
    assert compare_cli.compare_file(pairs, one) == 900
    assert compare_cli.compare_file(pairs, two, workers=2) == 900
    assert two.getvalue() == one.getvalue()
    assert [json.loads(x)["id"] for x in two.getvalue().splitlines()][:4] == [
        "same-0",
        "7-0",
        "script-0",
        "same-1",
    ]


def test_workers_must_be_at_least_one(tmp_path: Path) -> None:
    pairs = write(tmp_path / "pairs.jsonl", PAIRS)
    with pytest.raises(InputError, match="--workers"):
        compare_cli.compare_file(pairs, io.StringIO(), workers=0)


def test_a_bad_line_after_good_ones_leaves_a_stream_untouched(tmp_path: Path) -> None:
    many = [{**pair, "id": f"{pair['id']}-{n}"} for n in range(200) for pair in PAIRS]
    bad = {"id": "bad", "left": entity("Karim Haddad"), "right": entity("Leila", born="1981-13")}
    pairs = write(tmp_path / "pairs.jsonl", [*many, bad, *many[:5]])  # scored, then the bad one
    for workers in (1, 2):
        out = io.StringIO()
        with pytest.raises(InputError, match="1 problem; nothing was written") as error:
            compare_cli.compare_file(pairs, out, workers=workers)
        assert [(p.line, p.field) for p in error.value.problems] == [(601, "right.birthDate")]
        assert out.getvalue() == ""


def test_an_entity_met_again_scores_as_when_met_first(tmp_path: Path) -> None:
    karim = {**entity("Karim Haddad", born="1981-04-02"), "id": "wl-1"}
    lines = [
        {"id": 1, "left": karim, "right": entity("Kareem Hadad", born="1981-04-02")},
        {"id": 2, "left": {**karim, "id": "wl-2"}, "right": entity("Karim Haddad")},
        {"id": 3, "left": karim, "right": entity("Kareem Hadad", born="1981-04-02")},
    ]
    together = io.StringIO()
    compare_cli.compare_file(write(tmp_path / "all.jsonl", lines), together)
    alone = []
    for n, line in enumerate(lines):
        one = io.StringIO()
        compare_cli.compare_file(write(tmp_path / f"{n}.jsonl", [line]), one)
        alone.append(one.getvalue())
    assert together.getvalue() == "".join(alone)
    first, _, third = (json.loads(x) for x in together.getvalue().splitlines())
    assert (first["score"], first["explanation"]) == (third["score"], third["explanation"])


def test_a_malformed_id_is_named_on_every_line_it_is_on(tmp_path: Path) -> None:
    nameless = {**entity("Karim Haddad"), "id": ""}
    lines = [{"id": n, "left": nameless, "right": entity("Karim Haddad")} for n in (1, 2)]
    with pytest.raises(InputError) as error:
        compare_cli.compare_file(write(tmp_path / "pairs.jsonl", lines), io.StringIO())
    assert [(p.line, p.field) for p in error.value.problems] == [(1, "left.id"), (2, "left.id")]
