"""Run the real task worker in the test process until no task is ready, or in a process of its
own (to be killed) on a database both processes see."""

import logging
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections


def run_worker(queue_name="*", *options):
    """`db_worker --batch` on `queue_name`, as `make run` does in the background.

    The worker closes database connections it finds unusable; inside a test's transaction
    (autocommit off) it would take the test's own connection for one, so that check is left
    out there. Its signal handlers and log levels are put back afterwards.
    """
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    keep_connection = mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        new=lambda: None,
    )
    try:
        if connection.in_atomic_block:
            keep_connection.start()
        call_command(
            "db_worker",
            "--batch",
            "--queue-name",
            queue_name,
            "--interval",
            "0",
            "--no-startup-delay",
            "--no-reload",
            *options,
        )
    finally:
        if connection.in_atomic_block:
            keep_connection.stop()
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextmanager
def database_for_other_processes(directory: Path):
    """A database URL that a worker process started by the test can use, with the test's own
    connection pointing at the same database while the block runs.

    On PostgreSQL that is the test database itself (the test must commit: `transaction=True`).
    SQLite's test database lives in this process's memory, so its migrated tables are copied
    into a file under `directory` and `default` is switched to that file until the end."""
    if connection.vendor == "postgresql":
        database = connection.settings_dict
        user = database["USER"]
        if database.get("PASSWORD"):
            user = f"{user}:{database['PASSWORD']}"
        yield f"postgres://{user}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        return
    path = Path(directory) / "worker.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    in_memory = connections["default"]
    on_file = in_memory.__class__({**in_memory.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = on_file
    try:
        yield f"sqlite:///{path}"
    finally:
        on_file.close()
        connections["default"] = in_memory


def worker_process(database_url: str, log: Path, **environment) -> subprocess.Popen:
    """`python -m portal db_worker` on the default queue in a process of its own, polling
    every 0.1 s, on `database_url`; its output goes to `log`. `environment` adds variables
    (settings read from the environment, such as NOTICE_BATCH_SIZE)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PYTHONUNBUFFERED": "1",
        **{name: str(value) for name, value in environment.items()},
    }
    with open(log, "ab") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portal",
                "db_worker",
                "--queue-name",
                "default",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.1",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
