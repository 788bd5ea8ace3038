"""The ``watchlink`` command as a user runs it: help, version, usage errors, ``serve``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from watchlink import __version__
from watchlink.settings import Settings

WATCHLINK = str(Path(sys.executable).with_name("watchlink"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WATCHLINK, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("version", "serve"):
        assert command in result.stdout


def test_version_prints_the_package_version() -> None:
    result = run("version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == __version__


def test_an_unknown_command_is_a_usage_error() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert "no-such-command" in result.stderr


def test_serve_help_says_where_the_documentation_is() -> None:
    result = run("serve", "--help")
    assert result.returncode == 0, result.stderr
    assert "/docs" in result.stdout
    assert "--port" in result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def get_json(url: str) -> dict[str, object] | None:
    """The JSON at ``url``, or None while nothing answers there yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: dict[str, object] = json.load(response)
            return body
    except (urllib.error.URLError, ConnectionError):
        return None


@pytest.mark.slow
def test_serve_answers_health_and_prints_its_urls(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "WATCHLINK_HOME": str(tmp_path)}
    env.pop("WATCHLINK_DATABASE_URL", None)
    server = subprocess.Popen(
        [WATCHLINK, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        health = None
        deadline = time.monotonic() + 60
        while health is None and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            health = get_json(f"http://127.0.0.1:{port}/api/v1/health")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert health == {
        "status": "ok",
        "version": __version__,
        "database": {"reachable": True, "dialect": "sqlite"},
    }, output
    assert f"http://127.0.0.1:{port}/docs" in output


def test_the_readme_documents_every_setting() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [
        f"WATCHLINK_{name.upper()}"
        for name in Settings.model_fields
        if f"`WATCHLINK_{name.upper()}`" not in readme
    ]
    assert missing == [], "add these to the README's configuration table"


def test_the_readme_opens_with_the_two_commands() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    opening = readme.split("\n## ", 1)[0]
    commands = [line.split("#")[0].strip() for line in opening.splitlines() if "make " in line]
    assert commands[:2] == ["make run", "make test"]


def _serve_output(port: int, env: dict[str, str]) -> str:
    """Start `watchlink serve`, wait until it answers, stop it, and return what it printed."""
    server = subprocess.Popen(
        [WATCHLINK, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while server.poll() is None and time.monotonic() < deadline:
            if get_json(f"http://127.0.0.1:{port}/api/v1/health") is not None:
                break
            time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return output


@pytest.mark.slow
def test_serve_prints_the_demo_logins_once_the_demo_is_loaded(tmp_path: Path) -> None:
    env = {**os.environ, "WATCHLINK_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("WATCHLINK_DATABASE_URL", None)
    assert run("init", env=env).returncode == 0
    before = _serve_output(free_port(), env)
    assert "load the demo with `watchlink demo`" in before
    assert "demo-fr-analyst" not in before
    loaded = run("demo", "--synthetic", "20", env=env)
    assert loaded.returncode == 0, loaded.stderr
    after = _serve_output(free_port(), env)
    assert "fr.analyst" in after
    assert "demo-fr-analyst" in after
    assert "be.analyst" in after
