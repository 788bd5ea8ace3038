"""``watchlink serve --workers N --balancer nginx``: N worker processes, each on a Unix socket
of its own, behind nginx, which sends each request to the worker with the fewest requests in
flight.

Workers sharing one port (uvicorn's own way, ``--balancer kernel``) each keep every
connection they accept: a client that reuses a dozen connections, as a gateway or a border
post's terminal pool does, pins its requests to whichever worker accepted each of them, and
a worker's queue is as long as its share of the connections makes it. Behind nginx the
workers draw from one line: the busiest worker gets the next request last (nginx's
``least_conn``), and the tail of the latencies is that of one queue served by N processes,
not of N queues.

The workers start first; nginx opens the port once every worker answers on its socket (its
warm index built), so a client is never sent to a worker still building one. If any of them
stops, the others are stopped and the command fails; Ctrl-C or SIGTERM stops them all.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from watchlink.errors import WatchlinkError

__all__ = ["BalancerError", "find_nginx", "nginx_config", "serve_balanced"]

NGINX_PATHS = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
STOP_GRACE = 30.0  # seconds a process has to stop before it is killed
SOCKET_PATH_LIMIT = 107  # bytes of a Unix socket's path (Linux: 108 with the final NUL)
POLL = 0.2  # seconds between looks at the processes

_TEMPLATE = """# Written by `watchlink serve --balancer nginx` at each start: edits are overwritten.
worker_processes 1;
daemon off;
master_process on;
pid {run}/nginx.pid;
{user}events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    fastcgi_temp_path {run}/nginx-fastcgi;
    uwsgi_temp_path {run}/nginx-uwsgi;
    scgi_temp_path {run}/nginx-scgi;
    client_max_body_size {body_limit};
    upstream watchlink_workers {{
        least_conn;
{servers}
        keepalive 64;
    }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://watchlink_workers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
        }}
    }}
}}
"""


class BalancerError(WatchlinkError):
    """nginx is missing or refuses its configuration."""


def find_nginx() -> str:
    """The nginx executable: on the PATH or where Debian and nginx's own builds put it."""
    found = shutil.which("nginx")
    if found:
        return found
    for candidate in NGINX_PATHS:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BalancerError(
        "nginx is not installed (looked on the PATH and in " + ", ".join(NGINX_PATHS) + "): "
        "install it (Debian: apt-get install nginx-light) or serve with --balancer kernel"
    )


def nginx_config(
    run: Path, sockets: Sequence[Path], host: str, port: int, body_limit: str = "64m"
) -> str:
    """nginx's configuration: ``host:port`` in front of the workers' ``sockets``, each
    request to the worker with the fewest in flight, live streams passed through unbuffered;
    its files under ``run``. Run as root, its worker runs as root too, to read the sockets
    and write its temporary files where the workers' owner does."""
    listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    servers = "\n".join(f"        server unix:{path} max_fails=0;" for path in sockets)
    user = "user root;\n" if os.geteuid() == 0 else ""
    return _TEMPLATE.format(
        run=run, user=user, servers=servers, listen=listen, body_limit=body_limit
    )


def _worker_command(app_factory: str, path: Path, access_log: bool) -> list[str]:
    return [sys.executable, "-m", "uvicorn", app_factory, "--factory", "--uds", str(path),
            "--log-level", "info", "--access-log" if access_log else "--no-access-log"]  # fmt: skip


def _answers(path: Path) -> bool:
    """Whether a worker accepts connections on its socket (its index is built by then)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


class _Stop(Exception):
    """A signal asked the command to stop."""


class _Stopped(Exception):
    """One of the processes stopped on its own."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Ask each process still running to stop (SIGTERM: a worker finishes the requests in
    flight, nginx stops at once), then kill what is left after the grace period."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_balanced(
    app_factory: str,
    run: Path,
    workers: int,
    host: str,
    port: int,
    say: Callable[[str], None] = print,
    access_log: bool = True,
) -> int:
    """Run ``workers`` uvicorn processes of ``app_factory`` on sockets under ``run`` and
    nginx in front of them on ``host:port`` until a signal or one of them stops; the exit
    code (0 after a signal). ``access_log``: each worker logs each request it serves."""
    nginx = find_nginx()
    sockets = [run / f"worker-{n}.sock" for n in range(workers)]
    longest = max(sockets, key=lambda path: len(os.fsencode(path)))
    if len(os.fsencode(longest)) > SOCKET_PATH_LIMIT:
        raise BalancerError(
            f"the workers' socket path {longest} is longer than a Unix socket's "
            f"{SOCKET_PATH_LIMIT} bytes: set WATCHLINK_HOME to a shorter folder"
        )
    run.mkdir(parents=True, exist_ok=True)
    for path in sockets:
        path.unlink(missing_ok=True)  # left by a run that was killed
    config = run / "nginx.conf"
    config.write_text(nginx_config(run, sockets, host, port), "utf-8")
    checked = subprocess.run(
        [nginx, "-t", "-q", "-c", str(config), "-e", str(run / "nginx-error.log")],
        capture_output=True,
        text=True,
    )
    if checked.returncode != 0:
        raise BalancerError(f"nginx refused {config}: {checked.stderr.strip()}")
    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    processes: list[subprocess.Popen[bytes]] = []
    names: list[str] = []
    try:
        for n, path in enumerate(sockets):
            processes.append(subprocess.Popen(_worker_command(app_factory, path, access_log)))
            names.append(f"worker {n}")
        while not all(_answers(path) for path in sockets):
            _check(processes, names)
            time.sleep(POLL)
        processes.append(
            subprocess.Popen([nginx, "-c", str(config), "-e", str(run / "nginx-error.log")])
        )
        names.append("nginx")
        say(f"  balancer           nginx on {host}:{port}, {workers} workers on {run}")
        while True:
            _check(processes, names)
            time.sleep(POLL)
    except _Stop:
        return 0
    except _Stopped as stopped:
        say(f"watchlink: {stopped}; stopping the others")
        return 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _stop(processes)


def _check(processes: Sequence[subprocess.Popen[bytes]], names: Sequence[str]) -> None:
    for process, name in zip(processes, names, strict=True):
        code = process.poll()
        if code is not None:
            raise _Stopped(f"{name} stopped (exit {code})")
