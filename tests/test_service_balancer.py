"""``watchlink serve --workers 2 --balancer nginx``: nginx in front of two workers on Unix
sockets. Requests sent one after another on one kept-alive connection reach both workers
(each request goes to the worker with the fewest in flight, not to the one that accepted the
connection); every encounter is screened once and hit once; a signal stops every process;
without nginx the command says what to install. On every database.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from watchlink.cli import server_balancer
from watchlink.cli.server_balancer import BalancerError, find_nginx, nginx_config, serve_balanced
from watchlink.store import Database
from watchlink.store.tables_casework import hits
from workers_support import CLI, NAMES, count, free_port, screening_token, server_env


def test_the_config_sends_each_request_to_the_least_busy_worker(tmp_path: Path) -> None:
    sockets = [tmp_path / "worker-0.sock", tmp_path / "worker-1.sock"]
    config = nginx_config(tmp_path, sockets, "::1", 8443)
    upstream = config.split("upstream watchlink_workers {")[1].split("}")[0]
    assert "least_conn;" in upstream
    assert [line.split()[1] for line in upstream.splitlines() if "server unix:" in line] == [
        f"unix:{path}" for path in sockets
    ]
    assert "listen [::1]:8443;" in config  # an IPv6 address in brackets
    assert "proxy_buffering off;" in config  # live streams pass as they are written
    assert f"client_body_temp_path {tmp_path}/nginx-body;" in config  # nothing outside run/


def test_without_nginx_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(server_balancer, "NGINX_PATHS", (str(tmp_path / "nginx"),))
    with pytest.raises(BalancerError, match="apt-get install nginx-light"):
        find_nginx()


def _nginx_or_skip() -> None:
    try:
        find_nginx()
    except BalancerError:
        if os.environ.get("CI"):
            raise  # CI installs nginx (scripts/install-nginx.sh): its absence is a failure
        pytest.skip("nginx is not installed here (scripts/install-nginx.sh)")


def _screened(socket_path: Path) -> float:
    """Encounters one worker took in, from its own metrics, asked on its own socket."""
    transport = httpx.HTTPTransport(uds=str(socket_path))
    with httpx.Client(transport=transport, base_url="http://worker", timeout=60) as client:
        text = client.get("/metrics").text
    values = [
        float(line.split()[1])
        for line in text.splitlines()
        if line.startswith("watchlink_http_requests_total")
        and 'route="/api/v1/encounters"' in line
        and 'status="201"' in line
    ]
    return sum(values)


@pytest.fixture
def home() -> Iterator[Path]:
    """A home of a short path: a Unix socket's path holds 107 bytes at most."""
    folder = Path(tempfile.mkdtemp(prefix="wl-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_socket_path_too_long_is_refused_before_anything_starts(tmp_path: Path) -> None:
    run = tmp_path / ("r" * 120)
    with pytest.raises(BalancerError, match="longer than"):
        serve_balanced("watchlink.api.app:create_app", run, 2, "127.0.0.1", free_port())
    assert not run.exists()


@pytest.mark.slow  # starts two worker processes and nginx
def test_nginx_spreads_one_connections_requests_over_both_workers(
    database: Database, home: Path
) -> None:
    _nginx_or_skip()
    token = screening_token(database, home)
    port = free_port()
    env = server_env(database, home)
    command = [sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", "2",
               "--balancer", "nginx"]  # fmt: skip
    log = home / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    run = home / "run"
    try:
        deadline = time.monotonic() + 180
        up = False
        while not up and time.monotonic() < deadline and process.poll() is None:
            try:
                up = httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        output = log.read_text("utf-8", errors="replace")
        assert up, output
        assert "balancer           nginx" in output
        headers = {"Authorization": f"Bearer {token}"}
        answered = 0
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            for index in range(20):  # one after another, on the client's one connection
                body = {
                    "id": f"gr-bor-n-{index}",
                    "kind": "border_entry",
                    "occurred_at": "2026-11-29T10:00:00Z",
                    "country": "GR",
                    "person": {"names": [NAMES[index % 3] if index % 2 else f"Nobody {index}"]},
                }
                response = client.post("/api/v1/encounters", json=body)
                assert response.status_code == 201, response.text
                answered += len(response.json()["hits"])
        shares = [_screened(run / f"worker-{n}.sock") for n in range(2)]
        assert sum(shares) == 20 and min(shares) > 0, shares  # both workers served
        assert answered == 10
        assert count(database, select(func.count()).select_from(hits)) == answered
    finally:
        os.kill(process.pid, signal.SIGTERM)
        code = process.wait(60)
    assert code == 0, log.read_text("utf-8", errors="replace")
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{base}/api/v1/health", timeout=5)  # nginx is gone
    for n in range(2):
        with pytest.raises(httpx.HTTPError):  # and so is each worker
            _screened(run / f"worker-{n}.sock")
