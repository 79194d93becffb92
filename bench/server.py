"""The two faces served by gunicorn on loopback ports, started and always stopped by the bench."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import gunicorn.config

HOST = "127.0.0.1"
READY_TRIES = 600
READY_INTERVAL = 0.2  # seconds between readiness probes: at most 2 minutes to come up
SETTLE_TRIES = 120
SETTLE_INTERVAL = 0.5  # seconds between CPU samples: at most 1 minute to settle
SETTLE_BUSY = 0.1  # share of one core below which the servers count as idle
STOP_TIMEOUT = 10


@dataclass
class Server:
    face: str
    port: int
    process: subprocess.Popen
    log_path: Path
    command: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# The production configuration (portal/gunicorn_conf.py): the project preloaded and warmed up
# in the master, shared by the forked workers.
CONFIG = "python:portal.gunicorn_conf"


def start(
    face: str, *, env: dict, workers: int, log_dir: Path, cwd: Path, config: str | None = CONFIG
) -> Server:
    """Start gunicorn for one face in its own process group (so that stop() reaches every
    worker), logging to `log_dir/gunicorn-<face>.log`; `config=None` runs gunicorn's defaults
    (every worker loads the project itself)."""
    port = free_port()
    log_path = log_dir / f"gunicorn-{face}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        *(["--config", config] if config else []),
        f"portal.wsgi_{face}:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    if hasattr(gunicorn.config, "ControlSocketDisable"):
        # Two servers would otherwise fight over the one default control socket in $HOME.
        command.append("--no-control-socket")
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(face=face, port=port, process=process, log_path=log_path, command=command)


def wait_ready(server: Server) -> None:
    """Poll /healthz a bounded number of times; raise with the server's log if it never
    answers."""
    url = f"{server.base_url}/healthz"
    for _try in range(READY_TRIES):
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(READY_INTERVAL)
    raise RuntimeError(
        f"The {server.face} server did not answer {url}.\n--- {server.log_path} ---\n"
        f"{server.log_tail()}"
    )


def _process_stats():
    """(program name, stat fields after the name) of every live process (Linux /proc)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # Fields after the command name: state, ppid, pgrp, ... utime (14th), stime (15th).
        yield stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()


def _cpu_seconds(fields) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group_cpu_seconds(process_group: int) -> float:
    """CPU time used so far by the live processes of a process group (Linux /proc)."""
    return sum(
        _cpu_seconds(fields)
        for _name, fields in _process_stats()
        if int(fields[2]) == process_group
    )


def programs_cpu_seconds(names) -> dict[str, float]:
    """CPU seconds used so far by the live processes of each of these programs (Linux /proc)."""
    used = dict.fromkeys(names, 0.0)
    for name, fields in _process_stats():
        if name in used:
            used[name] += _cpu_seconds(fields)
    return used


def wait_settled(servers: list[Server]) -> bool:
    """Wait until the servers' processes stop using CPU: /healthz answers as soon as one worker
    has loaded the project, while the others may still be loading it, which would slow down
    the first page measured. Returns False if they were still busy after the last try."""
    if not Path("/proc/self/stat").exists():
        return True
    groups = [server.process.pid for server in servers]

    def used():
        return sum(_group_cpu_seconds(group) for group in groups)

    previous = used()
    for _try in range(SETTLE_TRIES):
        time.sleep(SETTLE_INTERVAL)
        current = used()
        if current - previous < SETTLE_BUSY * SETTLE_INTERVAL:
            return True
        previous = current
    return False


def stop(server: Server) -> None:
    """Stop the server's whole process group: TERM, then KILL if it lingers."""
    if server.process.poll() is not None:
        return
    for sig, timeout in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.process.wait(timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    # A worker that outlived its master would still be in the group.
    try:
        os.killpg(server.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
