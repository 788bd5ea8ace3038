"""``watchlink synth --out``: the world as files other tools (and ``watchlink import``) read."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from watchlink.cli import world as world_cli
from watchlink.formats.ftm import read_ftm_lines
from watchlink.services.world import write_world
from watchlink.world.synth import generate


def test_written_world_reads_back(tmp_path: Path) -> None:
    world = generate(9, subjects=120, encounters=300)
    written = write_world(world, tmp_path, chunk=50)
    assert (written.subjects, written.encounters) == (121, 300)
    parsed = [result for _, result in read_ftm_lines(tmp_path / "subjects.ftm.jsonl", "FR-INT")]
    problems = [r for r in parsed if isinstance(r, list)]
    assert problems == []
    assert [s.id for s in parsed if not isinstance(s, list)] == [s.id for s in world.subjects()]
    encounters = (tmp_path / "encounters.jsonl").read_text().splitlines()
    truth = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    assert [json.loads(e)["id"] for e in encounters] == [t["encounter_id"] for t in truth]
    listed = [t for t in truth if t["subject_id"] is not None]
    assert listed and all(t["variations"] for t in listed)
    meta = json.loads((tmp_path / "world.json").read_text())
    assert meta["seed"] == 9 and meta["stolen_batches"][0]["count"] == 200
    links = (tmp_path / "links.jsonl").read_text().splitlines()
    assert len(links) == written.links == sum(1 for _ in world.links())


def test_synth_command_writes_the_same_world_for_the_same_seed(tmp_path: Path) -> None:
    app = typer.Typer()
    world_cli.register(app)
    runner = CliRunner()
    for name in ("a", "b"):
        args = ["synth", "-n", "40", "-e", "60", "--seed", "5", "--out", str(tmp_path / name)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    for file in ("subjects.ftm.jsonl", "encounters.jsonl", "truth.jsonl", "links.jsonl"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_synth_refuses_negative_sizes(tmp_path: Path) -> None:
    app = typer.Typer()
    world_cli.register(app)
    result = CliRunner().invoke(app, ["synth", "-n", "-1", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "--subjects" in str(result.exception)
