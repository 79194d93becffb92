"""Run the real task worker in the test process until no task is ready."""

import logging
import signal
from unittest import mock

from django.core.management import call_command
from django.db import connection


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
