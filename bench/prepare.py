"""The bench's own environment and database: production settings, a separate var directory,
migrations, generated data, static files and the search index."""

import hashlib
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# One directory (SQLite database, static files, search index, logs) per scale, so that a small
# run after a full one does not measure the full data.
VAR_ROOT = BASE_DIR / "var" / "bench"
REBUILD_INDEX_TIMEOUT = {"small": 300, "full": 3 * 3600}


def var_dir(scale_name: str) -> Path:
    return VAR_ROOT / scale_name


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def bench_environment(scale_name: str) -> dict[str, str]:
    """The environment of the bench and of the servers it starts: production settings, DEBUG
    off, a throw-away secret key, loopback hosts over plain HTTP, and files under var/bench.
    DATABASE_URL (PostgreSQL), CACHE_URL and SEARCH_URL pass through when set."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        PORTAL_FACE="intranet",
        PORTAL_VAR_DIR=str(var_dir(scale_name)),
        SEARCH_DIR=str(var_dir(scale_name) / "search"),
        MEDIA_ROOT=str(var_dir(scale_name) / "media"),
        # Generated data is indexed in one go by rebuild_index, not object by object.
        SEARCH_QUEUE_UPDATES="0",
    )
    if "CACHE_URL" not in env and redis_answers():
        # Production runs with a shared Redis cache (sessions, rate limits): so does the bench.
        env["CACHE_URL"] = "redis://127.0.0.1:6379/7"
    if "CACHE_KEY_PREFIX" not in env:
        # One prefix per database: the small and the full scale's data (or two PostgreSQL
        # databases) share the Redis database, and a user, a session or a kept fragment
        # cached for one must not be read for the other (same user ids, other passwords).
        database = env.get("DATABASE_URL") or str(var_dir(scale_name))
        env["CACHE_KEY_PREFIX"] = "bench-" + hashlib.sha256(database.encode()).hexdigest()[:12]
    env.pop("DEBUG", None)
    env.pop("EMAIL_HOST", None)  # generated people must never be mailed
    return env


def index_has_segments(search_dir: str) -> bool:
    """Whether every face's Whoosh index holds documents (segment files, not only its table
    of contents)."""
    faces = [path for path in Path(search_dir).glob("*") if path.is_dir()]
    return bool(faces) and all(any(face.glob("*.seg")) for face in faces)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def collectstatic() -> None:
    from django.core.management import call_command

    # Production settings serve static files through whitenoise's manifest storage.
    call_command("collectstatic", interactive=False, verbosity=0)


def rebuild_index(scale_name: str, env: dict[str, str]) -> tuple[bool, str]:
    """Rebuild the search index in a child process (it can be long and memory-hungry at the
    full scale); returns (succeeded, the end of its output)."""
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "portal", "rebuild_index", "--noinput"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=REBUILD_INDEX_TIMEOUT[scale_name],
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, f"timed out after {REBUILD_INDEX_TIMEOUT[scale_name]} s"
    output = (completed.stdout + completed.stderr).strip()
    return completed.returncode == 0, "\n".join(output.splitlines()[-10:])


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, round(time.perf_counter() - started, 2)
