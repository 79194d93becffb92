"""Fixtures of the search tests: empty indexes per test, the search worker run in-process."""

import logging
import signal
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from haystack import connections

from portal.search import services


def clear_indexes():
    for alias in connections.connections_info:
        connections[alias].get_backend().clear()


@pytest.fixture(autouse=True)
def empty_indexes(db):
    """Each test starts and ends with both faces' indexes empty, and with no changes noted by
    earlier tests (whose transactions were rolled back, not committed)."""
    services._changed.__dict__.clear()
    clear_indexes()
    yield
    clear_indexes()


def run_search_worker(*options):
    """Run the task worker on the search queue until no task is ready, as `make run` does in
    the background. The worker's signal handlers and log levels are put back afterwards."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        call_command(
            "db_worker",
            "--batch",
            "--queue-name",
            "search",
            "--interval",
            "0",
            "--no-startup-delay",
            "--no-reload",
            *options,
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@pytest.fixture
def search_worker():
    return run_search_worker


@pytest.fixture
def indexed(django_capture_on_commit_callbacks, search_worker):
    """`with indexed(): create things` — commit them and let the worker index them."""

    @contextmanager
    def committed_and_indexed():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        search_worker()

    return committed_and_indexed
